//! `attune check PATH...`

use std::path::PathBuf;

use attune_class::exercise::{LoadedExercise, is_exercise_file, load_exercise};
use attune_core::assets::AssetCatalog;
use attune_core::{Loaded, load_file};

use super::exit;
use super::report::{self, FileReport, Format, plural};
use super::scenario_file::{Collected, collect_files, nearest_assets, shown};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario or exercise (`*.exercise.ron`) files, or folders to search for `*.scenario.ron`.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// How to print: `human` (snippets), `short` (one line each) or `json` (for tools).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The assets folder portraits are looked up in (default: the nearest `assets/` above each file).
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    // A path that cannot be checked is reported and the others are still checked.
    let Collected {
        files,
        mut bad_argument,
        mut skipped,
    } = collect_files(&args.paths);
    let explicit_assets = match &args.assets {
        Some(dir) => match AssetCatalog::from_dir(dir) {
            Ok(catalog) => Some(catalog),
            Err(err) => {
                eprintln!(
                    "error: cannot read portraits from {}: {err}\nhelp: --assets names the folder that holds `portraits/`",
                    dir.display()
                );
                return exit::USAGE;
            }
        },
        None => None,
    };

    let mut reports = Vec::new();
    let mut exercises = Vec::new();
    for (path, named) in &files {
        if is_exercise_file(path) {
            match load_exercise(path) {
                Ok(loaded) => exercises.push(loaded),
                Err(err) => {
                    eprintln!("error: cannot read {}: {err}", shown(path));
                    bad_argument = true;
                }
            }
            continue;
        }
        let found_assets;
        let assets = match &explicit_assets {
            Some(catalog) => Some(catalog),
            None => {
                found_assets = nearest_assets(path);
                found_assets.as_ref()
            }
        };
        match load_file(path, assets) {
            Ok(loaded) => reports.push(with_every_path_tried(loaded)),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", shown(path));
                if *named {
                    bad_argument = true;
                } else {
                    skipped = true;
                }
            }
        }
    }
    if reports.is_empty() && exercises.is_empty() && bad_argument {
        return exit::USAGE;
    }

    let failed = |l: &Loaded| l.errors() > 0 || (args.strict && l.warnings() > 0);
    let exercise_failed = |l: &LoadedExercise| l.errors() > 0 || (args.strict && l.warnings() > 0);
    let any_failed = reports.iter().any(failed) || exercises.iter().any(exercise_failed);
    let mut printed: Vec<FileReport> = reports
        .iter()
        .map(|l| {
            let (nodes, endings) = l
                .playable
                .as_ref()
                .map(|p| p.scenario())
                .map_or((None, None), |s| {
                    (Some(s.nodes.len()), Some(s.endings.len()))
                });
            let mut json = serde_json::Map::new();
            json.insert("nodes".into(), nodes.into());
            json.insert("endings".into(), endings.into());
            FileReport {
                file: &l.file,
                diagnostics: &l.diagnostics,
                ok: !failed(l),
                summary: summary(l),
                json,
            }
        })
        .collect();
    printed.extend(exercises.iter().map(|l| {
        let mut json = serde_json::Map::new();
        json.insert(
            "scenarios".into(),
            l.exercise.as_ref().map(|e| e.scenarios.len()).into(),
        );
        FileReport {
            file: &l.file,
            diagnostics: &l.diagnostics,
            ok: !exercise_failed(l),
            summary: exercise_summary(l),
            json,
        }
    }));
    report::print(&printed, args.format);
    if bad_argument {
        exit::USAGE
    } else if any_failed || skipped {
        exit::PROBLEMS
    } else {
        exit::OK
    }
}

/// Adds what trying every path finds (a reply never offered, a trainee who cannot finish) to a
/// scenario without errors, when it is small enough to try them all.
fn with_every_path_tried(mut loaded: Loaded) -> Loaded {
    let Some(playable) = &loaded.playable else {
        return loaded;
    };
    let found = attune_author::explore::check(playable);
    if found.is_empty() {
        return loaded;
    }
    loaded.diagnostics.extend(found);
    loaded
        .diagnostics
        .sort_by_key(|d| (d.primary.span.start, std::cmp::Reverse(d.severity)));
    if loaded.errors() > 0 {
        // A scenario with errors is not playable, here as everywhere.
        loaded.playable = None;
    }
    loaded
}

fn summary(loaded: &Loaded) -> String {
    let (errors, warnings) = (loaded.errors(), loaded.warnings());
    match &loaded.playable {
        Some(p) => {
            let s = p.scenario();
            let choices: usize = p.clients().map(|c| p.client(c).choices.len()).sum();
            format!(
                "{} {}: {}, {}, {}, {}",
                if warnings == 0 { "ok  " } else { "warn" },
                shown(&loaded.file.path),
                plural(s.nodes.len(), "node"),
                plural(choices, "choice"),
                plural(s.endings.len(), "ending"),
                plural(warnings, "warning"),
            )
        }
        None => failed_summary(&loaded.file.path, errors, warnings),
    }
}

fn exercise_summary(loaded: &LoadedExercise) -> String {
    let (errors, warnings) = (loaded.errors(), loaded.warnings());
    match &loaded.exercise {
        Some(e) => format!(
            "{} {}: exercise, {}, {} mode, results in {}, {}",
            if warnings == 0 { "ok  " } else { "warn" },
            shown(&loaded.file.path),
            plural(e.scenarios.len(), "scenario"),
            match e.mode {
                attune_core::engine::Mode::Practice => "practice",
                attune_core::engine::Mode::Assessment => "assessment",
            },
            shown(&e.results),
            plural(warnings, "warning"),
        ),
        None => failed_summary(&loaded.file.path, errors, warnings),
    }
}

fn failed_summary(path: &std::path::Path, errors: usize, warnings: usize) -> String {
    format!(
        "FAIL {}: {}, {}",
        shown(path),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
