//! Loading one scenario for a subcommand that plays it: diagnostics are printed as `check` does.

use std::path::Path;
use std::sync::Arc;

use attune_core::Playable;
use attune_core::diagnostics::{self, Style};
use attune_core::text::one_line;

use super::check::nearest_assets;
use super::exit;

/// The checked scenario, or the exit code after its problems have been printed to stderr.
pub fn load_checked(path: &Path) -> Result<Arc<Playable>, u8> {
    let shown = one_line(&path.display().to_string()).into_owned();
    let loaded = match attune_core::load_file(path, nearest_assets(path).as_ref()) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("error: cannot read {shown}: {err}");
            return Err(exit::USAGE);
        }
    };
    match loaded.playable {
        Some(playable) => Ok(playable),
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
