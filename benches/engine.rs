//! The session engine: one full step (choose → apply effects → follow branches → next prompt),
//! and the best/worst analysis of a 100,000-node scenario.
//!
//! Run: `cargo bench --bench engine`. Targets: a step well under 10 µs; the analysis under 100 ms.

use std::hint::black_box;
use std::sync::Arc;

use attune_core::analysis;
use attune_core::engine::{Mode, Session, Status};
use attune_core::generate::scenario_text;
use criterion::{Criterion, criterion_group, criterion_main};

fn engine(c: &mut Criterion) {
    // 100,000 nodes is 183 MiB of text, over the size a scenario file may be: check it
    // directly, past the loader's cap, to keep the numbers comparable with earlier runs.
    let file = attune_core::SourceFile::new("bench.scenario.ron", scenario_text(100_000));
    let parsed = attune_core::load::parse(&file).expect("the generated scenario parses");
    let scenario: Arc<_> = attune_core::check::check(parsed, &file, None)
        .playable
        .map(Arc::new)
        .expect("the generated scenario is valid");

    for (name, mode) in [
        ("step_practice", Mode::Practice),
        ("step_assessment", Mode::Assessment),
    ] {
        c.bench_function(&format!("session/{name}"), |b| {
            let mut session = Session::start(scenario.clone(), mode, 7);
            let mut pick = 0usize;
            b.iter(|| {
                if session.status() != Status::AwaitingChoice {
                    session = Session::start(scenario.clone(), mode, 7);
                }
                // The first two options move on by one or two nodes; the walk stays long.
                pick = (pick + 1) % 2;
                let offered = session.offered().count();
                black_box(session.choose(pick % offered + 1, 0).is_ok());
                black_box(session.line());
            });
        });
    }

    c.bench_function("analysis/skill_bounds_100k", |b| {
        let start = scenario.vertex(scenario.start());
        b.iter(|| {
            black_box(analysis::skill_bounds(scenario.graph(), start, |v, via| {
                scenario.edge_scores(v, via)
            }))
        });
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
