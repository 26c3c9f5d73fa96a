//! Where the app saves results, and what it says when it cannot. The folder is checked when the
//! library opens, before any session, so a trainee is told before playing rather than after;
//! and a finished run its folder refuses (a full disk, a stick pulled out) is saved in the user's
//! data folder or a private temporary folder instead (see `attune_core::results::save_folders`).

use std::path::{Path, PathBuf};

use attune_core::results::{self, RunResult};
use bevy::prelude::*;

use crate::app::AppPaths;
use crate::app::screens::Screen;
use crate::cli::scenario_file::results_save_folders;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ResultsFolder>()
        .add_systems(OnEnter(Screen::Library), check_results_folder);
}

/// Whether results can be saved where the app was told to save them.
#[derive(Resource, Debug, Default)]
pub struct ResultsFolder {
    /// Shown in the library while the folder cannot be written; sessions still save elsewhere.
    pub problem: Option<String>,
}

fn check_results_folder(
    paths: Res<AppPaths>,
    exercise: Option<Res<crate::app::class::exercise::ExerciseMode>>,
    mut folder: ResMut<ResultsFolder>,
) {
    // In exercise mode, results go to the exercise's folder (a shared folder may not be mounted).
    let dir = exercise
        .as_ref()
        .and_then(|e| e.exercise.as_ref())
        .map_or(&paths.results, |e| &e.results);
    folder.problem = results::ready_folder(dir).err().map(|err| {
        format!(
            "Results cannot be saved in {}: {err}. Your sessions will be saved in another folder, shown at the end of each session.",
            dir.display()
        )
    });
}

/// Saves a finished run in `asked`, or if that fails in the next folder that takes it. Ok with
/// where it went (the debrief shows it); Err only when no folder took it.
pub fn save(asked: &Path, result: &RunResult) -> Result<PathBuf, String> {
    match results::save_to_first(&results_save_folders(asked), result) {
        Ok(saved) => {
            for (folder, err) in &saved.failed {
                warn!("could not save the result in {}: {err}", folder.display());
            }
            Ok(saved.path)
        }
        Err(failed) => Err(format!(
            "The result could not be saved: {}",
            failed
                .iter()
                .map(|(folder, err)| format!("{}: {err}", folder.display()))
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}
