//! Loading one scenario for a subcommand that plays it: diagnostics are printed as `check` does.

use std::path::Path;
use std::sync::Arc;

use attune_core::diagnostics::{self, Style};
use attune_core::{Playable, SourceFile};

use super::check::nearest_assets;
use super::exit;

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
