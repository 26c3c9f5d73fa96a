//! `attune lint PATH...`: the teaching-quality lint (`attune_author::lint`) over scenario files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use attune_author::lint::{LintThresholds, lint_library, lint_scenario};
use attune_core::diagnostics::Diagnostic;
use attune_core::{Loaded, Severity, load_file};

use super::exit;
use super::report::{self, FileReport, Format, plural};
use super::scenario_file::{collect_files, nearest_assets, shown};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files, or folders to search for `*.scenario.ron`.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Treat findings as errors (exit code 1 when there are any).
    #[arg(long)]
    strict: bool,
    /// How to print: `human` (snippets), `short` (one line each) or `json` (for tools).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// One file: loaded, and what is reported for it.
struct Linted {
    loaded: Loaded,
    /// The lint's findings when the file checks; its check diagnostics when it does not.
    diagnostics: Vec<Diagnostic>,
}

pub fn run(args: Args) -> u8 {
    // As `check` does: a path that cannot be read is reported and the others still linted.
    let collected = collect_files(&args.paths);
    if collected.bad_argument {
        return exit::USAGE;
    }
    let mut linted = Vec::with_capacity(collected.files.len());
    for (path, _) in &collected.files {
        match load_file(path, nearest_assets(path).as_ref()) {
            Ok(loaded) => linted.push(Linted {
                diagnostics: Vec::new(),
                loaded,
            }),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", shown(path));
                return exit::USAGE;
            }
        }
    }

    let thresholds = LintThresholds::default();
    let mut skipped = Vec::new();
    for file in &mut linted {
        file.diagnostics = match &file.loaded.playable {
            Some(playable) => {
                let findings = lint_scenario(&file.loaded.file, playable, &thresholds);
                skipped.extend(findings.skipped);
                findings.diagnostics
            }
            None => file.loaded.diagnostics.clone(),
        };
    }
    let checked: Vec<usize> = (0..linted.len())
        .filter(|&i| linted[i].loaded.playable.is_some())
        .collect();
    let library: Vec<_> = checked
        .iter()
        .filter_map(|&i| {
            let loaded = &linted[i].loaded;
            Some((&loaded.file, loaded.playable.as_deref()?))
        })
        .collect();
    let across = lint_library(&library);
    for (&i, found) in checked.iter().zip(across) {
        let file = &mut linted[i];
        file.diagnostics.extend(found);
        file.diagnostics
            .sort_by_key(|d| (d.primary.span.start, d.code));
        if args.strict {
            for d in &mut file.diagnostics {
                d.severity = Severity::Error;
            }
        }
    }

    let printed: Vec<FileReport> = linted.iter().map(|f| file_report(f, args.strict)).collect();
    report::print(&printed, args.format);
    for note in &skipped {
        eprintln!("note: {note}");
    }
    if printed.iter().all(|r| r.ok) {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}

fn file_report(linted: &Linted, strict: bool) -> FileReport<'_> {
    let path = linted.loaded.file.path.display();
    let checks = linted.loaded.playable.is_some();
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    if checks {
        for d in &linted.diagnostics {
            *codes.entry(d.code.as_str()).or_default() += 1;
        }
    }
    let found = linted.diagnostics.len();
    let ok = checks && !(strict && found > 0);
    let summary = if !checks {
        format!(
            "FAIL {path}: does not check ({}); fix it first, `attune check {path}` says how",
            plural(linted.loaded.errors(), "error")
        )
    } else if found == 0 {
        format!("ok   {path}: no findings")
    } else {
        let counts: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
        format!(
            "{} {path}: {} ({})",
            if ok { "warn" } else { "FAIL" },
            plural(found, "finding"),
            counts.join(", ")
        )
    };
    let mut json = serde_json::Map::new();
    json.insert("checks".into(), checks.into());
    json.insert(
        "findings".into(),
        serde_json::to_value(&codes).unwrap_or_default(),
    );
    FileReport {
        file: &linted.loaded.file,
        diagnostics: &linted.diagnostics,
        ok,
        summary,
        json,
    }
}
