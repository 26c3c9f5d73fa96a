//! Finding scenario files, and loading one for a subcommand that plays it (diagnostics are
//! printed as `check` does).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_core::assets::AssetCatalog;
use attune_core::diagnostics::{self, Style};
use attune_core::text::one_line;
use attune_core::{Playable, SourceFile};

use super::exit;

pub const SCENARIO_EXTENSION: &str = attune_core::files::SCENARIO_EXTENSION;

/// A path as printed: control characters in a file name cannot steer the terminal.
pub fn shown(path: &Path) -> String {
    one_line(&path.display().to_string()).into_owned()
}

pub struct Collected {
    /// Each file, and whether it was named on the command line (rather than found in a folder).
    pub files: Vec<(PathBuf, bool)>,
    /// A path on the command line could not be read, or is a folder without scenarios.
    pub bad_argument: bool,
    /// Something in a folder could not be read (each is reported).
    pub skipped: bool,
}

/// Files named directly, and `*.scenario.ron` files under folders, sorted within each folder
/// (regular files only; each real folder visited once, so a link loop cannot trap the walk).
/// Problems are reported on stderr as they are found; the rest is still collected.
pub fn collect_files(paths: &[PathBuf]) -> Collected {
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

/// The checked scenario, or the exit code after its problems have been printed to stderr.
pub fn load_checked(path: &Path) -> Result<Arc<Playable>, u8> {
    load_checked_with_source(path).map(|(playable, _)| playable)
}

/// [`load_checked`], keeping the file's text for commands that point into it (line numbers).
pub fn load_checked_with_source(path: &Path) -> Result<(Arc<Playable>, SourceFile), u8> {
    let shown = shown(path);
    let loaded = match attune_core::load_file(path, nearest_assets(path).as_ref()) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("error: cannot read {shown}: {err}");
            return Err(exit::USAGE);
        }
    };
    match loaded.playable {
        Some(playable) => Ok((playable, loaded.file)),
        None => {
            for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
                eprintln!(
                    "{}",
                    diagnostics::render(&loaded.file, d, Style::Human { color: false })
                );
            }
            eprintln!(
                "error: {shown} has {} error(s); run `attune check {shown}` after fixing them",
                loaded.errors(),
            );
            Err(exit::PROBLEMS)
        }
    }
}

/// Where results go unless `--results` says otherwise: the user's data folder.
pub fn default_results_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("org", "Attune", "attune").map(|d| d.data_dir().join("results"))
}

/// Where a finished run is saved: `asked`, or if that fails the user's data folder, then a
/// private temporary folder (see [`attune_core::results::save_folders`]).
pub fn results_save_folders(asked: &Path) -> Vec<std::path::PathBuf> {
    attune_core::results::save_folders(asked, default_results_dir())
}
