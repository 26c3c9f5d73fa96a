//! Projector mode: one session played by a whole room, on a projector. At each decision the
//! facilitator types how many chose each reply (or picks the class's choice), the path goes on
//! with the room's reply, the feedback stays hidden until the room has discussed it, and a
//! PEARLS debrief closes the session. The run is saved as a normal result with the room's votes.
//!
//! This module turns [`ProjectorAction`]s into engine calls; [`draw`] lays out the screen from
//! the pure views in [`views`]; [`room`] holds the logic that needs neither.

mod draw;
pub mod room;
pub mod views;

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use attune_core::engine::{Applied, Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::results::RunResult;
use attune_core::scoring::Scorecard;
use bevy::prelude::*;
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode};

use self::room::{RoomChoice, group_votes, room_choice, unsettled_message};
use crate::app::AppPaths;
use crate::app::scenarios::Library;
use crate::app::screens::{Action, Screen};

pub(super) fn plugin(app: &mut App) {
    app.add_sub_state::<ProjectorPhase>()
        .add_message::<ProjectorAction>()
        // The screen changes read `Action`s in every state (and check the state themselves),
        // so a message sent just before they start is never taken for a new one.
        .add_systems(Update, (open_projector, leave_projector))
        .add_systems(OnEnter(Screen::Projector), forget_last_run)
        .add_systems(
            Update,
            apply_projector_actions.run_if(in_state(Screen::Projector)),
        )
        .add_systems(
            Last,
            save_projector_on_exit.run_if(resource_exists::<ProjectorRun>),
        );
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins(draw::plugin);
}

/// Opens the app in projector mode (`attune app --projector`), filling the screen it is on.
pub fn open_at_start(app: &mut App) {
    app.add_systems(Startup, open_full_screen);
}

fn open_full_screen(
    mut next: ResMut<NextState<Screen>>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    next.set(Screen::Projector);
    for mut window in &mut windows {
        window.mode = WindowMode::BorderlessFullscreen(MonitorSelection::Current);
    }
}

/// Where a projector session stands.
#[derive(SubStates, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[source(Screen = Screen::Projector)]
pub enum ProjectorPhase {
    /// Choosing the scenario and naming the group.
    #[default]
    Setup,
    /// The room votes on the replies.
    Voting,
    /// The room's reply is shown with the votes; its feedback is still hidden.
    Discussing,
    /// The feedback, codes and the client's thought are shown.
    Revealed,
    /// The PEARLS debrief; the result is saved.
    Debrief,
}

/// What the facilitator asked for. Written by the views, the automation and tests.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum ProjectorAction {
    Start {
        file: String,
        /// Saved as the result's trainee id, e.g. the group's name.
        group: String,
        seed: u64,
        participants: Option<u32>,
    },
    /// The room's decision: how many chose each reply (in the order shown), and the reply the
    /// facilitator picked (1-based), if any. Without a pick the most votes win.
    Decide {
        votes: Vec<u32>,
        pick: Option<usize>,
    },
    Reveal,
    /// After the reveal: the next decision, or the debrief.
    Next,
    /// End before the scenario's end; the run is saved as abandoned.
    End,
}

/// The session the room is playing.
#[derive(Resource, Debug)]
pub struct ProjectorRun {
    pub session: Session,
    pub file: String,
    pub group: String,
    pub participants: Option<u32>,
    pub started_at: SystemTime,
    pub prompt_shown_at: Instant,
    /// How many chose each reply, in the order shown, one entry per decision made.
    pub tallies: Vec<Vec<u32>>,
    /// What the room's last reply did, for the reveal.
    pub last: Option<Applied>,
    pub notice: Option<String>,
    /// Set once the run is over: its scores, and where it was saved (or why it could not be).
    pub finished: Option<(Scorecard, Result<PathBuf, String>)>,
}

fn open_projector(
    mut actions: MessageReader<Action>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    for action in actions.read() {
        if *action == Action::OpenProjector && *screen.get() == Screen::Library {
            next.set(Screen::Projector);
        }
    }
}

fn forget_last_run(mut commands: Commands) {
    commands.remove_resource::<ProjectorRun>();
}

fn leave_projector(
    mut actions: MessageReader<Action>,
    screen: Res<State<Screen>>,
    run: Option<Res<ProjectorRun>>,
    mut next: ResMut<NextState<Screen>>,
) {
    for action in actions.read() {
        // Leaving mid-session goes through `End` first, so no run is lost.
        if *action == Action::ToLibrary
            && *screen.get() == Screen::Projector
            && run.as_ref().is_none_or(|r| r.finished.is_some())
        {
            next.set(Screen::Library);
        }
    }
}

fn apply_projector_actions(
    mut commands: Commands,
    mut actions: MessageReader<ProjectorAction>,
    run: Option<ResMut<ProjectorRun>>,
    phase: Res<State<ProjectorPhase>>,
    mut next_phase: ResMut<NextState<ProjectorPhase>>,
    library: Res<Library>,
    paths: Res<AppPaths>,
) {
    let mut run = run;
    for action in actions.read() {
        match (action, phase.get()) {
            (
                ProjectorAction::Start {
                    file,
                    group,
                    seed,
                    participants,
                },
                ProjectorPhase::Setup,
            ) => {
                let Some(scenario) = library.entry(file).and_then(|e| e.playable.clone()) else {
                    warn!("projector: no playable scenario {file}");
                    continue;
                };
                let group = group.trim();
                commands.insert_resource(ProjectorRun {
                    session: Session::start(scenario, Mode::Practice, *seed),
                    file: file.clone(),
                    group: if group.is_empty() { "group" } else { group }.to_owned(),
                    participants: *participants,
                    started_at: SystemTime::now(),
                    prompt_shown_at: Instant::now(),
                    tallies: Vec::new(),
                    last: None,
                    notice: None,
                    finished: None,
                });
                next_phase.set(ProjectorPhase::Voting);
            }
            (ProjectorAction::Decide { votes, pick }, ProjectorPhase::Voting) => {
                let Some(run) = run.as_mut() else { continue };
                let offered = run.session.offered().count();
                if votes.len() != offered || pick.is_some_and(|p| p == 0 || p > offered) {
                    run.notice = Some(format!("There are {offered} replies to vote on."));
                    continue;
                }
                match room_choice(votes, pick.map(|p| p - 1)) {
                    RoomChoice::Chosen(position) => {
                        let elapsed = run.prompt_shown_at.elapsed().as_millis() as u64;
                        match run.session.choose(position + 1, elapsed) {
                            Ok(applied) => {
                                run.tallies.push(votes.clone());
                                run.last = Some(applied);
                                run.notice = None;
                                next_phase.set(ProjectorPhase::Discussing);
                            }
                            Err(err) => run.notice = Some(err.to_string()),
                        }
                    }
                    unsettled => run.notice = unsettled_message(&unsettled),
                }
            }
            (ProjectorAction::Reveal, ProjectorPhase::Discussing) => {
                next_phase.set(ProjectorPhase::Revealed);
            }
            (ProjectorAction::Next, ProjectorPhase::Revealed) => {
                let Some(run) = run.as_mut() else { continue };
                if run.session.status() == Status::AwaitingChoice {
                    run.prompt_shown_at = Instant::now();
                    run.last = None;
                    next_phase.set(ProjectorPhase::Voting);
                } else {
                    finish(run, &paths);
                    next_phase.set(ProjectorPhase::Debrief);
                }
            }
            (
                ProjectorAction::End,
                ProjectorPhase::Voting | ProjectorPhase::Discussing | ProjectorPhase::Revealed,
            ) => {
                let Some(run) = run.as_mut() else { continue };
                finish(run, &paths);
                next_phase.set(ProjectorPhase::Debrief);
            }
            _ => {}
        }
    }
    // A scenario can also stop without a reply to vote on (a loop, or none offered).
    if let Some(run) = run.as_mut()
        && *phase.get() == ProjectorPhase::Voting
        && matches!(run.session.status(), Status::Stopped(_))
        && run.finished.is_none()
    {
        finish(run, &paths);
        next_phase.set(ProjectorPhase::Debrief);
    }
}

/// Scores the run once and saves it with the room's votes.
fn finish(run: &mut ProjectorRun, paths: &AppPaths) {
    if run.finished.is_some() {
        return;
    }
    let card = Scorecard::of(&run.session);
    let mut result = RunResult::from_session(
        &run.session,
        &card,
        TraineeId(run.group.clone()),
        Some(paths.scenarios.join(&run.file).display().to_string()),
        run.started_at,
        SystemTime::now(),
        true,
    );
    result.group = Some(group_votes(&run.session, &run.tallies, run.participants));
    let saved = crate::app::results_folder::save(&paths.results, &result);
    if let Err(err) = &saved {
        error!("{err}");
    }
    run.finished = Some((card, saved));
}

/// Closing the app mid-session keeps the room's run: it is saved as abandoned.
fn save_projector_on_exit(
    mut exits: MessageReader<AppExit>,
    mut run: ResMut<ProjectorRun>,
    paths: Res<AppPaths>,
) {
    if exits.read().next().is_some() {
        finish(&mut run, &paths);
    }
}
