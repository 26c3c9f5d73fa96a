//! `attune check PATH...`

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use attune_core::assets::AssetCatalog;
use attune_core::diagnostics::{self, Style};
use attune_core::text::one_line;
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

pub const SCENARIO_EXTENSION: &str = attune_core::files::SCENARIO_EXTENSION;

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
    for (path, named) in &files {
        let found_assets;
        let assets = match &explicit_assets {
            Some(catalog) => Some(catalog),
            None => {
                found_assets = nearest_assets(path);
                found_assets.as_ref()
            }
        };
        match load_file(path, assets) {
            Ok(loaded) => reports.push(loaded),
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
    if reports.is_empty() && bad_argument {
        return exit::USAGE;
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
    if bad_argument {
        exit::USAGE
    } else if any_failed || skipped {
        exit::PROBLEMS
    } else {
        exit::OK
    }
}

/// A path as printed: control characters in a file name cannot steer the terminal.
fn shown(path: &Path) -> String {
    one_line(&path.display().to_string()).into_owned()
}

struct Collected {
    /// Each file, and whether it was named on the command line (rather than found in a folder).
    files: Vec<(PathBuf, bool)>,
    /// A path on the command line could not be read, or is a folder without scenarios.
    bad_argument: bool,
    /// Something in a folder could not be read (each is reported).
    skipped: bool,
}

/// Files named directly, and `*.scenario.ron` files under folders, sorted within each folder.
/// Problems are reported on stderr as they are found; the rest is still collected.
fn collect_files(paths: &[PathBuf]) -> Collected {
    let mut collected = Collected {
        files: Vec::new(),
        bad_argument: false,
        skipped: false,
    };
    for path in paths {
        // Does not open the path, so a named pipe cannot block here.
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", shown(path));
                collected.bad_argument = true;
                continue;
            }
        };
        if !meta.is_dir() {
            collected.files.push((path.clone(), true));
            continue;
        }
        match attune_core::files::files_under(path, SCENARIO_EXTENSION) {
            Ok(found) => {
                for skipped in &found.skipped {
                    eprintln!(
                        "error: cannot read {}: {}; it is skipped",
                        shown(&skipped.path),
                        skipped.why
                    );
                }
                collected.skipped |= !found.skipped.is_empty();
                if found.files.is_empty() && found.skipped.is_empty() {
                    eprintln!("error: no *{SCENARIO_EXTENSION} files in {}", shown(path));
                    collected.bad_argument = true;
                }
                collected
                    .files
                    .extend(found.files.into_iter().map(|f| (f, false)));
            }
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", shown(path));
                collected.bad_argument = true;
            }
        }
    }
    collected
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
                shown(&loaded.file.path),
                plural(s.nodes.len(), "node"),
                plural(choices, "choice"),
                plural(s.endings.len(), "ending"),
                plural(warnings, "warning"),
            )
        }
        None => format!(
            "FAIL {}: {}, {}",
            shown(&loaded.file.path),
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
