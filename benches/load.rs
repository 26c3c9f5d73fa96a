//! Loading + checking generated scenarios of 1,000 to 100,000 nodes, against the floor: a bare
//! typed `ron` parse of the same text into mirror structs without spans (`benches/mirror.rs`).
//!
//! Run: `cargo bench --no-default-features --bench load`. Targets: `load_str` (parse with spans,
//! every check, the `Playable`) within 1.3x of the floor's time and 1.2x of its peak memory, and
//! the 100k-node time under 11x the 10k-node time. 100,000 nodes are 183 MiB, over the 64 MiB a
//! scenario file may be, so at that size the same work runs through `load_str`'s public parts.
//!
//! After criterion's groups it prints the ratios measured in this run:
//! - time: medians of the two measured in alternation at each size (the machine's load then
//!   weighs on both alike);
//! - memory: the peak resident memory (`VmHWM`) of two child processes, each this bench binary
//!   run with `ATTUNE_LOAD_PEAK=mirror` or `ATTUNE_LOAD_PEAK=load` (and `ATTUNE_LOAD_NODES`,
//!   100,000 by default): each generates the text, reads it once and reports its peak, which
//!   includes the text itself, as `/usr/bin/time -v` would. By hand:
//!   `ATTUNE_LOAD_PEAK=load /usr/bin/time -v target/release/deps/load-<hash>` (Linux only).
//!
//! `ATTUNE_LOAD_SIZES=10000` (a comma-separated list) runs only those sizes.
//!
//! Instruction counts do not depend on what else the machine is doing, so for a ratio free of
//! noise run the same children under callgrind, with `ATTUNE_LOAD_PEAK=generate` (the text alone)
//! to subtract: `benches/load-instructions.sh [NODES]` prints
//! (load − generate) / (mirror − generate).

#[allow(dead_code)] // Parsed, never read: the fields exist to be deserialised.
mod mirror;

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use attune_core::generate::scenario_text;
use attune_core::limits::SCENARIO_FILE_BYTES;
use attune_core::{SourceFile, check, load};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};

const PEAK_SWITCH: &str = "ATTUNE_LOAD_PEAK";
const PEAK_NODES: &str = "ATTUNE_LOAD_NODES";

fn sizes() -> Vec<usize> {
    match std::env::var("ATTUNE_LOAD_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|n| n.trim().parse().expect("ATTUNE_LOAD_SIZES: node counts"))
            .collect(),
        Err(_) => vec![1_000, 10_000, 100_000],
    }
}

/// `load_str`, or for a text over the size cap it refuses (100,000 nodes are 183 MiB; the cap is
/// 64 MiB) the same work through its public parts: the parse with spans, then the checks.
fn load_checked(text: String) -> Box<dyn std::any::Any> {
    if text.len() as u64 <= SCENARIO_FILE_BYTES {
        let loaded = load::load_str("bench.scenario.ron", text, None);
        assert!(
            loaded.playable.is_some(),
            "{:?}",
            loaded.diagnostics.first()
        );
        return Box::new(loaded);
    }
    let file = SourceFile::new("bench.scenario.ron", text);
    let scenario = load::parse(&file).expect("the generated scenario parses");
    let checked = check::check(scenario, &file, None);
    assert!(
        checked.playable.is_some(),
        "{:?}",
        checked.diagnostics.first()
    );
    Box::new((file, checked))
}

fn criterion_groups(c: &mut Criterion, sizes: &[usize]) {
    let mut group = c.benchmark_group("scenario");
    for &nodes in sizes {
        let text = scenario_text(nodes);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(if nodes >= 100_000 { 10 } else { 20 });
        group.measurement_time(Duration::from_secs(if nodes >= 100_000 { 25 } else { 8 }));
        group.bench_with_input(BenchmarkId::new("mirror_parse", nodes), &text, |b, text| {
            b.iter(|| black_box(mirror::parse(text)));
        });
        group.bench_with_input(
            BenchmarkId::new("load_and_check", nodes),
            &text,
            |b, text| {
                b.iter_batched(
                    || text.clone(),
                    |text| black_box(load_checked(text)),
                    BatchSize::LargeInput,
                );
            },
        );
    }
    group.finish();
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Both reads of the same text, alternately, each timed with its drop (the loader's result is
/// dropped too when `attune check` finishes); the copy the loader takes is made outside the timing.
fn time_ratio(nodes: usize) -> (Duration, Duration) {
    let text = scenario_text(nodes);
    let rounds = (30_000 / nodes).clamp(5, 30);
    let (mut floor, mut loader) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        drop(black_box(mirror::parse(&text)));
        floor.push(started.elapsed());
        let copy = text.clone();
        let started = Instant::now();
        drop(black_box(load_checked(copy)));
        loader.push(started.elapsed());
    }
    (median(floor), median(loader))
}

/// The child process's side: read the text once the way `which` says, then print the peak.
fn peak_child(which: &str) {
    let nodes = std::env::var(PEAK_NODES).map_or(100_000, |n| n.parse().expect("node count"));
    let text = scenario_text(nodes);
    match which {
        "mirror" => drop(black_box(mirror::parse(&text))),
        "load" => drop(black_box(load_checked(text))),
        // The text alone: what to subtract from the other two under callgrind.
        "generate" => drop(black_box(text)),
        other => panic!("{PEAK_SWITCH}: `mirror`, `load` or `generate`, not `{other}`"),
    }
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .expect("VmHWM in /proc/self/status");
    println!("{}", peak.trim().trim_end_matches(" kB"));
}

/// Peak resident memory in KiB of this binary run as a child reading `nodes` nodes as `which`.
fn peak_kib(which: &str, nodes: usize) -> u64 {
    let exe = std::env::current_exe().expect("the bench binary");
    let out = Command::new(exe)
        .env(PEAK_SWITCH, which)
        .env(PEAK_NODES, nodes.to_string())
        .output()
        .expect("run the bench binary as a child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a peak in KiB")
}

fn main() {
    if let Ok(which) = std::env::var(PEAK_SWITCH) {
        peak_child(&which);
        return;
    }
    let sizes = sizes();
    let mut c = Criterion::default().configure_from_args();
    criterion_groups(&mut c, &sizes);
    c.final_summary();

    println!("\nload_str / mirror parse, measured alternately in this run:");
    println!(
        "{:>8} {:>14} {:>14} {:>7}",
        "nodes", "mirror", "load_str", "ratio"
    );
    for &nodes in &sizes {
        let (floor, loader) = time_ratio(nodes);
        println!(
            "{nodes:>8} {:>14.2?} {:>14.2?} {:>6.2}x",
            floor,
            loader,
            loader.as_secs_f64() / floor.as_secs_f64()
        );
    }
    if cfg!(target_os = "linux") {
        println!("\npeak resident memory of a process that generates the text and reads it once:");
        println!(
            "{:>8} {:>14} {:>14} {:>7}",
            "nodes", "mirror", "load_str", "ratio"
        );
        // Below 10,000 nodes the peak is mostly the program itself.
        for nodes in sizes.iter().copied().filter(|&n| n >= 10_000) {
            let floor = peak_kib("mirror", nodes);
            let loader = peak_kib("load", nodes);
            println!(
                "{nodes:>8} {:>10} MiB {:>10} MiB {:>6.2}x",
                floor / 1024,
                loader / 1024,
                loader as f64 / floor as f64
            );
        }
    }
}
