//! Finding scenario files, and loading one for a subcommand that plays it (diagnostics are
//! printed as `check` does).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_core::assets::AssetCatalog;
use attune_core::diagnostics::{self, Style};
use attune_core::{Playable, SourceFile};

use super::exit;

pub const SCENARIO_EXTENSION: &str = ".scenario.ron";

/// Files named directly, and `*.scenario.ron` files under folders, sorted within each folder.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
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

/// The checked scenario, or the exit code after its problems have been printed to stderr.
pub fn load_checked(path: &Path) -> Result<Arc<Playable>, u8> {
    load_checked_with_source(path).map(|(playable, _)| playable)
}

/// [`load_checked`], keeping the file's text for commands that point into it (line numbers).
pub fn load_checked_with_source(path: &Path) -> Result<(Arc<Playable>, SourceFile), u8> {
    let loaded = match attune_core::load_file(path, nearest_assets(path).as_ref()) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", path.display());
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
                "error: {} has {} error(s); run `attune check {}` after fixing them",
                path.display(),
                loaded.errors(),
                path.display()
            );
            Err(exit::PROBLEMS)
        }
    }
}

/// Where results go unless `--results` says otherwise: the user's data folder.
pub fn default_results_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("org", "Attune", "attune").map(|d| d.data_dir().join("results"))
}
