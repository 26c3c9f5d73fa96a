//! `attune check PATH...`

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use attune_core::assets::AssetCatalog;
use attune_core::diagnostics::{self, Style};
use attune_core::{Loaded, load_file};

use super::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files, or folders to search for `*.scenario.ron`.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Short,
    Json,
}

pub const SCENARIO_EXTENSION: &str = ".scenario.ron";

pub fn run(args: Args) -> u8 {
    let files = match collect_files(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::USAGE;
        }
    };
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
    for path in &files {
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
                eprintln!("error: cannot read {}: {err}", path.display());
                return exit::USAGE;
            }
        }
    }

    let failed = |l: &Loaded| l.errors() > 0 || (args.strict && l.warnings() > 0);
    let any_failed = reports.iter().any(failed);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match args.format {
        Format::Json => print_json(&mut out, &reports, args.strict, any_failed),
        Format::Short => print_text(&mut out, &reports, Style::Short),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            print_text(&mut out, &reports, Style::Human { color })
        }
    };
    if let Err(err) = result {
        // A closed pipe (`attune check | head`) is not worth a message.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: {err}");
        }
    }
    if any_failed { exit::PROBLEMS } else { exit::OK }
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

/// Files named directly, and `*.scenario.ron` files under folders, sorted within each folder.
pub(crate) fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            if files.len() == before {
                return Err(format!(
                    "no *{SCENARIO_EXTENSION} files in {}",
                    path.display()
                ));
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(SCENARIO_EXTENSION))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The portraits in the nearest `assets/` folder above a scenario file, if there is one.
pub fn nearest_assets(file: &Path) -> Option<AssetCatalog> {
    let absolute = std::path::absolute(file).ok()?;
    absolute
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("assets"))
        .find(|assets| assets.join("portraits").is_dir())
        .and_then(|assets| AssetCatalog::from_dir(&assets).ok())
}

fn summary(loaded: &Loaded) -> String {
    let (errors, warnings) = (loaded.errors(), loaded.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match &loaded.playable {
        Some(p) => {
            let s = p.scenario();
            let choices: usize = p.clients().map(|c| p.client(c).choices.len()).sum();
            format!(
                "{} {}: {}, {}, {}, {}",
                if warnings == 0 { "ok  " } else { "warn" },
                loaded.file.path.display(),
                plural(s.nodes.len(), "node"),
                plural(choices, "choice"),
                plural(s.endings.len(), "ending"),
                plural(warnings, "warning"),
            )
        }
        None => format!(
            "FAIL {}: {}, {}",
            loaded.file.path.display(),
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    }
}

fn print_text(out: &mut impl Write, reports: &[Loaded], style: Style) -> std::io::Result<()> {
    for loaded in reports {
        for d in &loaded.diagnostics {
            writeln!(out, "{}", diagnostics::render(&loaded.file, d, style))?;
        }
    }
    for loaded in reports {
        writeln!(out, "{}", summary(loaded))?;
    }
    Ok(())
}

fn print_json(
    out: &mut impl Write,
    reports: &[Loaded],
    strict: bool,
    failed: bool,
) -> std::io::Result<()> {
    let files: Vec<_> = reports
        .iter()
        .map(|l| {
            let (nodes, endings) = l
                .playable
                .as_ref()
                .map(|p| p.scenario())
                .map_or((None, None), |s| (Some(s.nodes.len()), Some(s.endings.len())));
            serde_json::json!({
                "file": l.file.path.display().to_string(),
                "ok": l.errors() == 0 && !(strict && l.warnings() > 0),
                "errors": l.errors(),
                "warnings": l.warnings(),
                "nodes": nodes,
                "endings": endings,
                "diagnostics": l.diagnostics.iter().map(|d| diagnostics::to_json(&l.file, d)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = serde_json::json!({ "ok": !failed, "files": files });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?
    )
}
