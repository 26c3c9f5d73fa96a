//! Author mode: what an author needs while trying their scenario in the app. The ids of nodes
//! and replies, each reply's scores, codes and destination, the hint and the client's thought
//! ([`details`]); the scenario as a map to jump around in ([`map`]); every variable and flag,
//! editable, with the replies they make available ([`state`]); and play-as-you-write: a saved
//! edit is replayed up to where the author was ([`follow`]).
//!
//! Off by default (trainees never see it) and always off in assessment mode. Turned on in the
//! settings, with F2, or with `attune app --author`. Views send [`AuthorAction`]s; the logic
//! here turns them into sessions through the same functions the command line uses
//! (`attune_author::start_at` for `play --from`).
//!
//! Keys (while a session is on screen): F2 author mode on/off, F3 the map, F4 the state panel,
//! F5 jump to the current node with the state panel's values.

pub mod details;
pub mod draw;
mod follow;
pub mod map;
pub mod state;

use attune_author::follow::Origin;
use attune_author::start_at;
use attune_core::engine::Mode;
use bevy::prelude::*;

use crate::app::scenarios::Library;
use crate::app::screens::{ActiveSession, Screen, SessionPhase};
use crate::app::settings::Settings;
pub use draw::{AuthorKeyboard, MapState, open_map};
pub use state::Draft;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AuthorMode>()
        .init_resource::<AuthorSession>()
        .add_message::<AuthorAction>()
        .add_systems(Startup, start_in_author_mode)
        .add_systems(
            Update,
            (
                follow_settings,
                apply_author_actions,
                sync_draft,
                follow::follow_saved_edits,
            )
                .chain(),
        )
        .add_systems(OnEnter(Screen::Session), follow::remember_start);
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins(draw::plugin);
}

/// Whether author mode is on (it shows only in practice sessions).
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AuthorMode {
    pub enabled: bool,
}

impl AuthorMode {
    /// On, and the session (if any) is a practice one.
    pub fn shows_for(&self, active: Option<&ActiveSession>) -> bool {
        self.enabled && active.is_none_or(|a| a.session.mode() == Mode::Practice)
    }
}

/// `attune app --author`: start with author mode on, whatever the settings say.
#[derive(Resource, Debug, Default)]
pub struct StartInAuthorMode;

/// What the author asked for. Written by the author views (and tests), read once.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum AuthorAction {
    /// Author mode on or off.
    Toggle,
    /// Start the session afresh at this node with the state panel's values, as
    /// `attune play --from NODE --state ...` would.
    JumpTo {
        node: String,
    },
    /// Change a variable in the state panel.
    SetVariable {
        name: String,
        value: i32,
    },
    /// Set or clear a flag in the state panel.
    SetFlag {
        name: String,
        on: bool,
    },
    /// The state panel back to the session's values.
    ResetDraft,
    ToggleMap,
    ToggleStatePanel,
}

/// Author mode's part of the session: where it began, the state panel, what happened last.
#[derive(Resource, Debug, Default)]
pub struct AuthorSession {
    /// Where the session began, for replaying the path after an edit.
    pub origin: Origin,
    /// The state panel's values.
    pub draft: Draft,
    /// The session position the draft was taken from: (decisions made, node id).
    draft_of: Option<(usize, Option<String>)>,
    /// The library revision of the session's file last followed.
    pub seen_revision: u32,
    /// What the last jump or reload did, or why it could not.
    pub message: Option<String>,
    /// The diagnostics of the file on disk while it has errors (the last good version plays).
    pub problems: Vec<String>,
    pub map_open: bool,
    pub state_open: bool,
}

fn start_in_author_mode(flag: Option<Res<StartInAuthorMode>>, mut mode: ResMut<AuthorMode>) {
    if flag.is_some() {
        mode.enabled = true;
    }
}

/// The settings' switch turns author mode on or off when it changes.
fn follow_settings(
    settings: Option<Res<Settings>>,
    mut mode: ResMut<AuthorMode>,
    mut seen: Local<Option<bool>>,
) {
    let Some(settings) = settings else {
        return;
    };
    if *seen != Some(settings.author_mode) {
        if seen.is_some() || settings.author_mode {
            mode.enabled = settings.author_mode;
        }
        *seen = Some(settings.author_mode);
    }
}

fn apply_author_actions(
    mut actions: MessageReader<AuthorAction>,
    mut mode: ResMut<AuthorMode>,
    mut author: ResMut<AuthorSession>,
    settings: Option<ResMut<Settings>>,
    active: Option<ResMut<ActiveSession>>,
    library: Res<Library>,
    mut next_phase: ResMut<NextState<SessionPhase>>,
) {
    let mut settings = settings;
    let mut active = active;
    for action in actions.read() {
        if *action == AuthorAction::Toggle {
            mode.enabled = !mode.enabled;
            if let Some(settings) = settings.as_mut()
                && settings.author_mode != mode.enabled
            {
                settings.author_mode = mode.enabled;
            }
            continue;
        }
        if !mode.shows_for(active.as_deref()) {
            continue;
        }
        match action {
            AuthorAction::Toggle => {}
            AuthorAction::ToggleMap => author.map_open = !author.map_open,
            AuthorAction::ToggleStatePanel => author.state_open = !author.state_open,
            AuthorAction::SetVariable { name, value } => author.draft.set_variable(name, *value),
            AuthorAction::SetFlag { name, on } => author.draft.set_flag(name, *on),
            AuthorAction::ResetDraft => author.draft_of = None,
            AuthorAction::JumpTo { node } => {
                let Some(active) = active.as_mut() else {
                    continue;
                };
                // The version on screen: the session's own (the last good one).
                let playable = active.session.playable().clone();
                let state = author.draft.start_state(&playable);
                let seed = active.session.seed();
                match start_at::start(playable, Mode::Practice, seed, node, &state) {
                    Ok(session) => {
                        active.session = session;
                        active.last = None;
                        active.hint = None;
                        active.notice = None;
                        active.reload_available = false;
                        active.prompt_shown_at = std::time::Instant::now();
                        if let Some(entry) = library.entry(&active.file) {
                            author.seen_revision = entry.revision;
                        }
                        author.origin = Origin::Jump {
                            node: node.clone(),
                            state,
                        };
                        author.message = Some(format!("Jumped to `{node}`."));
                        next_phase.set(SessionPhase::Choosing);
                    }
                    Err(problem) => {
                        author.message = Some(format!(
                            "Cannot jump there: {}; {}.",
                            problem.message, problem.help
                        ));
                    }
                }
            }
        }
    }
}

/// The state panel follows the session: each time it moves on, the panel shows its values.
fn sync_draft(active: Option<Res<ActiveSession>>, mut author: ResMut<AuthorSession>) {
    let Some(active) = active else {
        return;
    };
    let session = &active.session;
    let at = (
        session.decisions().len(),
        session.node().map(|n| n.id.as_str().to_owned()),
    );
    if author.draft_of.as_ref() != Some(&at) || author.draft.is_empty() {
        author.draft = Draft::of(session);
        author.draft_of = Some(at);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use attune_core::Playable;

    /// Tom's scenario, as shipped: the author views' tests run on it.
    pub(crate) fn tom() -> Arc<Playable> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/grief-eleven-weeks.scenario.ron"
        );
        attune_core::load_file(path.as_ref(), None)
            .unwrap()
            .playable
            .unwrap()
    }
}
