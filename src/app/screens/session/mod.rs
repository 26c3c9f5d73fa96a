//! The session: the client panel, the conversation so far, the replies, the feedback card.
//! The engine does the work; this module turns actions into engine calls and saves the result.
//! The screen is drawn by [`draw`] from the pure views in [`views`]; [`keys`] maps the keyboard.

mod draw;
mod keys;
mod views;

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use attune_core::engine::{Applied, Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::results::RunResult;
use attune_core::scoring::Scorecard;
use bevy::prelude::*;

use super::{Action, Screen, Selection};
use crate::app::AppPaths;
use crate::app::class::exercise::ExerciseMode;
use crate::app::scenarios::Library;
use crate::app::settings::Settings;

pub(crate) use views::FeedbackCard;

pub(super) fn plugin(app: &mut App) {
    app.add_sub_state::<SessionPhase>()
        .add_systems(OnEnter(Screen::Session), start_session)
        .add_systems(
            Update,
            (apply_session_actions, notice_scenario_reload).run_if(in_state(Screen::Session)),
        )
        .add_systems(Last, save_on_exit.run_if(resource_exists::<ActiveSession>));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins(draw::plugin);
}

/// Within a session: choosing a reply, or reading the feedback on one (practice mode).
#[derive(SubStates, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[source(Screen = Screen::Session)]
pub enum SessionPhase {
    #[default]
    Choosing,
    Feedback,
}

/// The session being played.
#[derive(Resource, Debug)]
pub struct ActiveSession {
    pub session: Session,
    pub file: String,
    /// The library revision of the scenario this session runs on.
    pub revision: u32,
    pub started_at: SystemTime,
    pub prompt_shown_at: Instant,
    /// What the last reply did, for the feedback card.
    pub last: Option<Applied>,
    pub hint: Option<String>,
    /// A newer version of the scenario was saved while playing.
    pub reload_available: bool,
    pub notice: Option<String>,
}

/// The run just finished (or left), for the debrief.
#[derive(Resource, Debug)]
pub struct FinishedRun {
    pub session: Session,
    /// Scored once, when the session ended: the debrief draws this card.
    pub card: Scorecard,
    pub file: String,
    /// Where the result was saved, or why it could not be.
    pub saved: Result<PathBuf, String>,
}

fn start_session(mut commands: Commands, mut selection: ResMut<Selection>, library: Res<Library>) {
    let (Some(file), Some(scenario)) = (selection.file.clone(), selection.scenario.clone()) else {
        return;
    };
    let seed = selection.seed();
    selection.last_seed = Some(seed);
    let revision = library.entry(&file).map_or(0, |e| e.revision);
    commands.insert_resource(ActiveSession {
        session: Session::start(scenario, selection.mode, seed),
        file,
        revision,
        started_at: SystemTime::now(),
        prompt_shown_at: Instant::now(),
        last: None,
        hint: None,
        reload_available: false,
        notice: None,
    });
}

fn apply_session_actions(
    mut commands: Commands,
    mut actions: MessageReader<Action>,
    active: Option<ResMut<ActiveSession>>,
    phase: Res<State<SessionPhase>>,
    mut next_phase: ResMut<NextState<SessionPhase>>,
    mut next_screen: ResMut<NextState<Screen>>,
    library: Res<Library>,
    settings: Res<Settings>,
    paths: Res<AppPaths>,
    exercise: Option<Res<ExerciseMode>>,
) {
    let Some(mut active) = active else {
        return;
    };
    let exercise = exercise.as_deref();
    for action in actions.read() {
        active.notice = None;
        match action {
            Action::Choose(position) if *phase.get() == SessionPhase::Choosing => {
                let elapsed = active.prompt_shown_at.elapsed().as_millis() as u64;
                match active.session.choose(*position, elapsed) {
                    Ok(applied) => {
                        active.last = Some(applied);
                        active.hint = None;
                        active.prompt_shown_at = Instant::now();
                        if active.session.mode() == Mode::Practice {
                            next_phase.set(SessionPhase::Feedback);
                        } else if active.session.status() != Status::AwaitingChoice {
                            finish(&mut commands, &active, &settings, &paths, exercise, false);
                            next_screen.set(Screen::Debrief);
                        }
                    }
                    Err(err) => active.notice = Some(err.to_string()),
                }
            }
            Action::Continue if *phase.get() == SessionPhase::Feedback => {
                if active.session.status() == Status::AwaitingChoice {
                    active.prompt_shown_at = Instant::now();
                    next_phase.set(SessionPhase::Choosing);
                } else {
                    finish(&mut commands, &active, &settings, &paths, exercise, false);
                    next_screen.set(Screen::Debrief);
                }
            }
            Action::TakeBack => match active.session.take_back() {
                Ok(()) => {
                    active.last = None;
                    active.prompt_shown_at = Instant::now();
                    next_phase.set(SessionPhase::Choosing);
                }
                Err(err) => active.notice = Some(err.to_string()),
            },
            Action::Hint
                if exercise.is_some_and(|e| e.exercise.as_ref().is_some_and(|e| !e.hints)) =>
            {
                active.hint = Some("Hints are off in this exercise.".to_owned());
            }
            Action::Hint => {
                let hint = match active.session.hint() {
                    Ok(Some(hint)) => hint.to_owned(),
                    Ok(None) => {
                        "There is no hint here: trust your reading of the client.".to_owned()
                    }
                    Err(err) => err.to_string(),
                };
                active.hint = Some(hint);
            }
            Action::TakeReload { resume } => {
                let Some(scenario) = library.entry(&active.file).and_then(|e| e.playable.clone())
                else {
                    continue;
                };
                let revision = library.entry(&active.file).map_or(0, |e| e.revision);
                let replacement = if *resume {
                    Session::resume_in(scenario, &active.session)
                } else {
                    Ok(Session::start(
                        scenario,
                        active.session.mode(),
                        active.session.seed(),
                    ))
                };
                match replacement {
                    Ok(session) => {
                        active.session = session;
                        active.revision = revision;
                        active.reload_available = false;
                        active.last = None;
                        active.prompt_shown_at = Instant::now();
                        next_phase.set(SessionPhase::Choosing);
                    }
                    Err(err) => {
                        active.notice = Some(format!(
                            "Cannot resume here in the new version ({err}); restart instead."
                        ))
                    }
                }
            }
            Action::DismissReload => active.reload_available = false,
            Action::Leave => {
                finish(&mut commands, &active, &settings, &paths, exercise, true);
                next_screen.set(Screen::Debrief);
            }
            _ => {}
        }
    }
    // A session can also stop without a choice (a scenario with a loop or no reply offered).
    if matches!(active.session.status(), Status::Stopped(_))
        && *phase.get() == SessionPhase::Choosing
    {
        finish(&mut commands, &active, &settings, &paths, exercise, false);
        next_screen.set(Screen::Debrief);
    }
}

/// Saves the result and hands the run to the debrief.
fn finish(
    commands: &mut Commands,
    active: &ActiveSession,
    settings: &Settings,
    paths: &AppPaths,
    exercise: Option<&ExerciseMode>,
    quit: bool,
) {
    // In exercise mode: its trainee id, its folder, and the exercise recorded in the result
    // (the library opened the scenario by its path).
    let playing = exercise.and_then(ExerciseMode::playing);
    let trainee = match playing {
        Some((_, trainee)) => trainee.to_owned(),
        None if settings.trainee.trim().is_empty() => "anonymous".to_owned(),
        None => settings.trainee.trim().to_owned(),
    };
    let card = Scorecard::of(&active.session);
    let mut result = RunResult::from_session(
        &active.session,
        &card,
        TraineeId(trainee),
        Some(match playing {
            Some(_) => active.file.clone(),
            None => paths.scenarios.join(&active.file).display().to_string(),
        }),
        active.started_at,
        SystemTime::now(),
        quit,
    );
    let folder = match playing {
        Some((exercise, _)) => {
            result.exercise = Some(exercise.reference());
            &exercise.results
        }
        None => &paths.results,
    };
    let saved = crate::app::results_folder::save(folder, &result);
    if let Err(err) = &saved {
        error!("{err}");
    }
    commands.insert_resource(FinishedRun {
        session: active.session.clone(),
        card,
        file: active.file.clone(),
        saved,
    });
    commands.remove_resource::<ActiveSession>();
}

/// Closing the app mid-session keeps the run: it is saved as abandoned.
fn save_on_exit(
    mut commands: Commands,
    mut exits: MessageReader<AppExit>,
    active: Res<ActiveSession>,
    settings: Res<Settings>,
    paths: Res<AppPaths>,
    exercise: Option<Res<ExerciseMode>>,
) {
    if exits.read().next().is_some() {
        finish(
            &mut commands,
            &active,
            &settings,
            &paths,
            exercise.as_deref(),
            true,
        );
    }
}

fn notice_scenario_reload(library: Res<Library>, active: Option<ResMut<ActiveSession>>) {
    let Some(mut active) = active else {
        return;
    };
    if let Some(entry) = library.entry(&active.file)
        && entry.revision != active.revision
        && !active.reload_available
    {
        active.reload_available = true;
        active.revision = entry.revision;
    }
}
