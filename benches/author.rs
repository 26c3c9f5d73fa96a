//! `attune test`: its walk phase on the 10,000-node generated scenario (10,000 random walks and
//! the two greedy ones, coverage recorded), and the exhaustive search of each shipped scenario.
//!
//! Also the app map's layered layout of the 1,000-node generated scenario.
//!
//! Run: `cargo bench --no-default-features --bench author`. Targets: the walks under 2 s; the
//! search of the largest shipped scenario under 0.5 s; the map layout under 200 ms.

use std::hint::black_box;
use std::time::Duration;

use attune_author::explore::{self, Method, Options};
use attune_author::layout::{self, LayoutOptions};
use attune_core::generate::scenario_text;
use criterion::{Criterion, criterion_group, criterion_main};

fn author(c: &mut Criterion) {
    let mut group = c.benchmark_group("test");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));

    let loaded = attune_core::load_str("bench.scenario.ron", scenario_text(10_000), None);
    let generated = loaded.playable.expect("the generated scenario is valid");
    // No situation allowed: straight to the walks, as a scenario too large to search would.
    let walks_only = Options {
        max_states: 0,
        walks: 10_000,
        ..Options::default()
    };
    group.bench_function("walks_10k_nodes_10k_walks", |b| {
        b.iter(|| {
            let report = explore::test(&generated, walks_only, &|_| {});
            assert!(matches!(report.method, Method::Walks { .. }));
            black_box(report.endings.len())
        });
    });

    let root = env!("CARGO_MANIFEST_DIR");
    for name in [
        "grief-eleven-weeks",
        "guarded-teen-referral",
        "new-country-student",
    ] {
        let path = format!("{root}/scenarios/{name}.scenario.ron");
        let playable = attune_core::load_file(path.as_ref(), None)
            .expect("the shipped scenario reads")
            .playable
            .expect("the shipped scenario is valid");
        group.bench_function(format!("exhaustive_{name}"), |b| {
            b.iter(|| {
                let report = explore::test(&playable, Options::default(), &|_| {});
                assert!(report.is_exhaustive());
                black_box(report.findings(explore::Purpose::Test).len())
            });
        });
    }
    group.finish();
}

fn map_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("map");
    group.sample_size(20);
    let loaded = attune_core::load_str("bench.scenario.ron", scenario_text(1_000), None);
    let generated = loaded.playable.expect("the generated scenario is valid");
    let start = generated.vertex(generated.start());
    group.bench_function("layout_1000_nodes", |b| {
        b.iter(|| {
            let layout = layout::layered(generated.graph(), &[start], LayoutOptions::default());
            black_box(layout.width)
        });
    });
    group.finish();
}

criterion_group!(benches, author, map_layout);
criterion_main!(benches);
