//! `attune test PATH...`: every path through each scenario, with its conditions honoured (random
//! walks when there are too many), and what never happens.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use attune_author::explore::{
    self, DEFAULT_MAX_STATES, DEFAULT_WALKS, Finding, Method, Options, Progress, Purpose, Report,
    thousands,
};
use attune_core::diagnostics::{self, Style};
use attune_core::engine::{Status, StopReason};
use attune_core::skills::Skill;
use attune_core::{Loaded, Severity, load_file};
use indicatif::{ProgressBar, ProgressStyle};

use super::exit;
use super::scenario_file::{collect_files, nearest_assets, shown};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files, or folders to search for `*.scenario.ron`.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Try every path when a scenario has at most this many situations (a node with its trust,
    /// flags and other state); above it, play random walks instead.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_STATES)]
    max_states: usize,
    /// How many random walks when there are too many situations to try them all.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_WALKS)]
    walks: usize,
    /// The first random walk's seed (walk i plays seed S + i), and the seed the reproducers name.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Fail on every finding (conditions that never hold, flags and variables nothing reads,
    /// anything only random walks missed), not only on what is never offered or reached.
    #[arg(long)]
    strict: bool,
    /// How to print: `human` (snippets and a summary), `short` (one line each) or `json`.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Short,
    Json,
}

/// One file's outcome.
struct Tested<'l> {
    loaded: &'l Loaded,
    report: Option<Report<'l>>,
    findings: Vec<Finding>,
}

impl Tested<'_> {
    fn errors(&self) -> usize {
        self.loaded.errors() + self.findings.iter().filter(|f| is_error(f)).count()
    }

    fn warnings(&self) -> usize {
        self.loaded.warnings() + self.findings.iter().filter(|f| !is_error(f)).count()
    }

    fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }
}

fn is_error(f: &Finding) -> bool {
    f.diagnostic.severity == Severity::Error
}

pub fn run(args: Args) -> u8 {
    // As `check` does: a path that cannot be read is reported and the others still tested.
    let collected = collect_files(&args.paths);
    if collected.bad_argument {
        return exit::USAGE;
    }
    let files: Vec<_> = collected.files.into_iter().map(|(path, _)| path).collect();
    let options = Options {
        max_states: args.max_states,
        walks: args.walks,
        seed: args.seed,
        ..Options::default()
    };
    let mut loaded = Vec::new();
    for path in &files {
        match load_file(path, nearest_assets(path).as_ref()) {
            Ok(l) => loaded.push(l),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", shown(path));
                return exit::USAGE;
            }
        }
    }
    let show_progress = std::io::stderr().is_terminal();
    let tested: Vec<Tested> = loaded
        .iter()
        .map(|l| {
            let report = l.playable.as_ref().map(|p| {
                let name = l.file.path.file_name().map_or_else(
                    || l.file.path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let bar = show_progress.then(|| progress_bar(name));
                let report = explore::test(p, options, &|progress| {
                    if let Some(bar) = &bar {
                        advance(bar, progress);
                    }
                });
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
                report
            });
            let findings = report
                .as_ref()
                .map_or_else(Vec::new, |r| r.findings(Purpose::Test));
            Tested {
                loaded: l,
                report,
                findings,
            }
        })
        .collect();

    let any_failed = tested.iter().any(|t| t.failed(args.strict));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match args.format {
        Format::Json => print_json(&mut out, &tested, args.strict, any_failed),
        Format::Short => print_text(&mut out, &tested, Style::Short, args.strict),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            print_text(&mut out, &tested, Style::Human { color }, args.strict)
        }
    };
    if let Err(err) = result
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: {err}");
    }
    if any_failed { exit::PROBLEMS } else { exit::OK }
}

/// A spinner while the search counts situations, turned into a bar if it falls back on walks.
fn progress_bar(file: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_message(file);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}: {human_pos} situations tried")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn advance(bar: &ProgressBar, progress: Progress) {
    match progress {
        Progress::Searching { situations } => bar.set_position(situations),
        Progress::Walking { total, more } => {
            if bar.length() != Some(total) {
                if let Ok(style) = ProgressStyle::with_template(
                    "{msg}: random walks {bar:20} {human_pos}/{human_len} ({eta})",
                ) {
                    bar.set_style(style);
                }
                bar.set_length(total);
                bar.set_position(0);
            }
            bar.inc(more);
        }
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn print_text(
    out: &mut impl Write,
    tested: &[Tested],
    style: Style,
    strict: bool,
) -> std::io::Result<()> {
    for t in tested {
        let file = &t.loaded.file;
        if let (Style::Human { .. }, Some(report)) = (style, &t.report) {
            write_report(out, &file.path.display().to_string(), report)?;
        }
        for d in &t.loaded.diagnostics {
            writeln!(out, "{}", diagnostics::render(file, d, style))?;
        }
        for f in &t.findings {
            writeln!(out, "{}", diagnostics::render(file, &f.diagnostic, style))?;
            if let (Style::Human { .. }, Some(reproducer)) = (style, &f.reproducer) {
                // On a line of its own and never wrapped, so it can be copied whole.
                writeln!(out, "  try it: {}\n", reproducer.command(&file.path))?;
            }
        }
    }
    for t in tested {
        writeln!(out, "{}", summary(t, strict))?;
    }
    Ok(())
}

fn summary(t: &Tested, strict: bool) -> String {
    let (errors, warnings) = (t.errors() as u64, t.warnings() as u64);
    let path = t.loaded.file.path.display();
    let counts = format!(
        "{}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    );
    match &t.report {
        None => format!("FAIL {path}: {counts}; fix them first (`attune check {path}` lists them)"),
        Some(report) => {
            let tag = if t.failed(strict) {
                "FAIL"
            } else if warnings > 0 {
                "warn"
            } else {
                "ok  "
            };
            let how = match report.method {
                Method::Exhaustive { situations } => {
                    format!(
                        "every path tried ({})",
                        plural(situations as u64, "situation", "situations")
                    )
                }
                Method::Walks { count, .. } => {
                    format!(
                        "{} (too many situations to try every path)",
                        plural(count as u64, "random walk", "random walks")
                    )
                }
            };
            format!("{tag} {path}: {how}, {counts}")
        }
    }
}

fn ending_name(report: &Report, status: Status) -> String {
    let p = report.playable();
    match status {
        Status::Ended(e) => {
            let ending = p.ending(e);
            format!("`{}` ({})", ending.id.value, ending.outcome.label())
        }
        Status::Stopped(StopReason::LoopLimit) => "no ending: stopped at the move limit".to_owned(),
        Status::Stopped(StopReason::NoChoiceOffered) => {
            "no ending: stuck with no reply on offer".to_owned()
        }
        Status::AwaitingChoice => "no ending".to_owned(),
    }
}

fn scores(range: &([i32; 3], [i32; 3])) -> String {
    Skill::ALL
        .iter()
        .map(|s| {
            let i = s.index();
            format!(
                "{} {} to {}",
                s.label().to_lowercase(),
                range.0[i],
                range.1[i]
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_report(out: &mut impl Write, path: &str, report: &Report) -> std::io::Result<()> {
    let p = report.playable();
    writeln!(out, "{path}")?;
    match report.method {
        Method::Exhaustive { situations } => writeln!(
            out,
            "  every path tried: {} in {:.2} s",
            plural(situations as u64, "situation", "situations"),
            report.elapsed.as_secs_f64()
        )?,
        Method::Walks {
            max_states,
            count,
            seed,
        } => writeln!(
            out,
            "  more than {} situations, too many to try every path: {} (seeds {} to {}) and the two greedy players instead, in {:.2} s",
            thousands(max_states as u64),
            plural(count as u64, "random walk", "random walks"),
            seed,
            seed.saturating_add(count.saturating_sub(1) as u64),
            report.elapsed.as_secs_f64()
        )?,
    }
    writeln!(out, "  endings:")?;
    for summary in &report.endings {
        let ending = p.ending(summary.ending);
        let how = match (summary.reached, summary.paths, summary.walks) {
            (false, _, _) => "never reached".to_owned(),
            (true, Some(u64::MAX), _) => format!("more than {} paths", thousands(u64::MAX)),
            (true, Some(paths), _) => plural(paths, "path", "paths"),
            (true, None, Some(walks)) => format!("{} of the random walks", thousands(walks)),
            (true, None, None) => {
                "reached; the conversation can loop, so its paths cannot be counted".to_owned()
            }
        };
        writeln!(
            out,
            "    `{}` ({}): {how}",
            ending.id.value,
            ending.outcome.label()
        )?;
    }
    if report.loops {
        writeln!(
            out,
            "  the conversation can loop, so there is no end to its paths and no limit to its scores"
        )?;
    }
    if let Some(range) = &report.score_range {
        let over = if report.is_exhaustive() {
            "over every complete path"
        } else {
            "over the random walks"
        };
        writeln!(out, "  scores {over}: {}", scores(range))?;
    }
    for (who, outcome) in [
        ("the strongest", &report.strongest),
        ("the weakest", &report.weakest),
    ] {
        writeln!(
            out,
            "  always {who} reply on offer: {} after {}",
            ending_name(report, outcome.status),
            plural(u64::from(outcome.decisions), "reply", "replies")
        )?;
    }
    writeln!(out)
}

fn print_json(
    out: &mut impl Write,
    tested: &[Tested],
    strict: bool,
    failed: bool,
) -> std::io::Result<()> {
    let files: Vec<_> = tested.iter().map(|t| file_json(t, strict)).collect();
    let doc = serde_json::json!({ "ok": !failed, "files": files });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?
    )
}

fn file_json(t: &Tested, strict: bool) -> serde_json::Value {
    use serde_json::json;
    let file = &t.loaded.file;
    let mut findings: Vec<serde_json::Value> = t
        .loaded
        .diagnostics
        .iter()
        .map(|d| json!(diagnostics::to_json(file, d)))
        .collect();
    for f in &t.findings {
        let mut value = json!(diagnostics::to_json(file, &f.diagnostic));
        if let (Some(object), Some(reproducer)) = (value.as_object_mut(), &f.reproducer) {
            object.insert("reproduce".into(), json!(reproducer.command(&file.path)));
            object.insert("seed".into(), json!(reproducer.seed));
            object.insert(
                "choices".into(),
                json!(
                    reproducer
                        .choices
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                ),
            );
        }
        findings.push(value);
    }
    let skills = |totals: &[i32; 3]| {
        Skill::ALL
            .iter()
            .map(|s| (s.key().to_owned(), json!(totals[s.index()])))
            .collect::<serde_json::Map<_, _>>()
    };
    let report = t.report.as_ref().map(|r| {
        let p = r.playable();
        let (exhaustive, situations, walks) = match r.method {
            Method::Exhaustive { situations } => (true, Some(situations), None),
            Method::Walks { count, seed, .. } => {
                (false, None, Some(json!({ "count": count, "seed": seed })))
            }
        };
        let endings: Vec<_> = r
            .endings
            .iter()
            .map(|e| {
                let ending = p.ending(e.ending);
                json!({
                    "id": ending.id.value.as_str(),
                    "outcome": ending.outcome.label(),
                    "reached": e.reached,
                    "paths": e.paths,
                    "walks": e.walks,
                })
            })
            .collect();
        let greedy = |o: &attune_author::walks::Outcome| {
            let ending = match o.status {
                Status::Ended(e) => Some(p.ending(e).id.value.as_str()),
                _ => None,
            };
            json!({ "ending": ending, "decisions": o.decisions, "scores": skills(&o.totals) })
        };
        json!({
            "exhaustive": exhaustive,
            "situations": situations,
            "walks": walks,
            "loops": r.loops,
            "endings": endings,
            "scores": r.score_range.as_ref().map(|(lo, hi)| json!({ "min": skills(lo), "max": skills(hi) })),
            "strongest": greedy(&r.strongest),
            "weakest": greedy(&r.weakest),
            "seconds": r.elapsed.as_secs_f64(),
        })
    });
    json!({
        "file": file.path.display().to_string(),
        "ok": !t.failed(strict),
        "errors": t.errors(),
        "warnings": t.warnings(),
        "report": report,
        "findings": findings,
    })
}
