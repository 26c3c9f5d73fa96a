//! Loading + checking generated scenarios of 1,000 to 100,000 nodes, against the floor: the bare
//! `ron` deserialisation of the same text into the same structs.
//!
//! Run: `cargo bench --bench load`. Target: load + checks within 1.3x of the floor, and the
//! 100k-node time under 11x the 10k-node time.

use std::hint::black_box;
use std::time::Duration;

use attune_core::generate::scenario_text;
use attune_core::{SourceFile, load};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn load_and_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("scenario");
    for nodes in [1_000usize, 10_000, 100_000] {
        let text = scenario_text(nodes);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(if nodes >= 100_000 { 10 } else { 20 });
        group.measurement_time(Duration::from_secs(if nodes >= 100_000 { 25 } else { 8 }));
        group.bench_with_input(BenchmarkId::new("ron_floor", nodes), &text, |b, text| {
            let file = SourceFile::new("bench.scenario.ron", text.clone());
            b.iter(|| black_box(load::parse(&file).is_ok()));
        });
        group.bench_with_input(
            BenchmarkId::new("load_and_check", nodes),
            &text,
            |b, text| {
                b.iter_batched(
                    || text.clone(),
                    |text| {
                        let loaded = load::load_str("bench.scenario.ron", text, None);
                        assert!(loaded.playable.is_some());
                        black_box(loaded)
                    },
                    BatchSize::LargeInput,
                );
            },
        );
    }
    group.finish();
}

criterion_group!(benches, load_and_check);
criterion_main!(benches);
