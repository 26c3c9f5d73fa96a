//! Play-as-you-write in the app: when the session's file is saved, author mode replays the
//! replies chosen so far in the new version ([`attune_author::follow`]) and carries on there,
//! or says at which decision the edit broke the path. A saved file with errors leaves the last
//! good version on screen and its diagnostics in [`AuthorSession::problems`].

use std::time::Instant;

use attune_author::follow::{self, Origin};
use bevy::prelude::*;

use super::{AuthorMode, AuthorSession};
use crate::app::scenarios::Library;
use crate::app::screens::{ActiveSession, SessionPhase};

/// A new session starts at the scenario's start, on the version the library has now.
pub(super) fn remember_start(
    mut author: ResMut<AuthorSession>,
    active: Option<Res<ActiveSession>>,
    library: Res<Library>,
) {
    author.origin = Origin::Start;
    author.message = None;
    author.problems.clear();
    if let Some(entry) = active.and_then(|a| library.entry(&a.file)) {
        author.seen_revision = entry.revision;
    } else {
        author.seen_revision = 0;
    }
}

pub(super) fn follow_saved_edits(
    mode: Res<AuthorMode>,
    library: Res<Library>,
    active: Option<ResMut<ActiveSession>>,
    mut author: ResMut<AuthorSession>,
    mut next_phase: ResMut<NextState<SessionPhase>>,
) {
    let Some(mut active) = active else {
        return;
    };
    if !mode.shows_for(Some(&active)) {
        return;
    }
    let Some(entry) = library.entry(&active.file) else {
        return;
    };
    // The session was started before this system first saw it (e.g. its first frame).
    if author.seen_revision == 0 {
        author.seen_revision = entry.revision;
    }
    let problems: Vec<String> = entry
        .problems
        .iter()
        .filter(|p| p.is_error)
        .map(|p| p.detail.clone())
        .collect();
    if problems != author.problems {
        author.problems = problems;
    }
    if entry.revision == author.seen_revision {
        return;
    }
    author.seen_revision = entry.revision;
    let Some(edited) = entry.playable.clone() else {
        return;
    };
    let session = &active.session;
    let path = follow::path_of(session);
    match follow::follow(
        edited,
        &author.origin,
        session.mode(),
        session.seed(),
        &path,
    ) {
        Ok(followed) => {
            author.message = Some(match &followed.broke {
                None => format!(
                    "Saved version loaded: {} of {} replies replayed; carry on.",
                    followed.followed,
                    path.len()
                ),
                Some(broke) => format!(
                    "Saved version loaded, but the path breaks at {broke}. Carrying on after reply {}.",
                    followed.followed
                ),
            });
            active.session = followed.session;
            active.revision = entry.revision;
            active.reload_available = false;
            active.last = None;
            active.hint = None;
            active.prompt_shown_at = Instant::now();
            next_phase.set(SessionPhase::Choosing);
        }
        Err(problem) => {
            author.message = Some(format!(
                "The saved version has no place to start where you jumped to: {}; {}. Use the map to jump again.",
                problem.message, problem.help
            ));
        }
    }
}
