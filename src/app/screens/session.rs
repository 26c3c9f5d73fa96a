//! The session: the client panel, the conversation so far, the replies, the feedback card.
//! The engine does the work; this module turns actions into engine calls and saves the result.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use attune_core::engine::{Applied, Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::model::Cue;
use attune_core::results::RunResult;
use attune_core::scoring::Scorecard;
use attune_core::skills::Skill;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{Action, Screen, Selection};
use crate::app::AppPaths;
use crate::app::portrait::{Portraits, draw_portrait};
use crate::app::scenarios::Library;
use crate::app::settings::{Settings, SettingsOpen};
use crate::app::widgets;

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
    app.init_resource::<SessionView>().add_systems(
        EguiPrimaryContextPass,
        draw_session.run_if(in_state(Screen::Session)),
    );
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
) {
    let Some(mut active) = active else {
        return;
    };
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
                            finish(&mut commands, &active, &settings, &paths, false);
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
                    finish(&mut commands, &active, &settings, &paths, false);
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
                finish(&mut commands, &active, &settings, &paths, true);
                next_screen.set(Screen::Debrief);
            }
            _ => {}
        }
    }
    // A session can also stop without a choice (a scenario with a loop or no reply offered).
    if matches!(active.session.status(), Status::Stopped(_))
        && *phase.get() == SessionPhase::Choosing
    {
        finish(&mut commands, &active, &settings, &paths, false);
        next_screen.set(Screen::Debrief);
    }
}

/// Saves the result and hands the run to the debrief.
fn finish(
    commands: &mut Commands,
    active: &ActiveSession,
    settings: &Settings,
    paths: &AppPaths,
    quit: bool,
) {
    let trainee = if settings.trainee.trim().is_empty() {
        "anonymous".to_owned()
    } else {
        settings.trainee.trim().to_owned()
    };
    let card = Scorecard::of(&active.session);
    let result = RunResult::from_session(
        &active.session,
        &card,
        TraineeId(trainee),
        Some(paths.scenarios.join(&active.file).display().to_string()),
        active.started_at,
        SystemTime::now(),
        quit,
    );
    let saved = crate::app::results_folder::save(&paths.results, &result);
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
) {
    if exits.read().next().is_some() {
        finish(&mut commands, &active, &settings, &paths, true);
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

/// View state that only the drawing needs.
#[derive(Resource, Debug, Default)]
struct SessionView {
    /// Which reply has keyboard focus (0-based in the order shown).
    focus: usize,
    /// The prompt the pause beat was started for, and when the line appears.
    beat: Option<(usize, Instant)>,
}

const PAUSE_BEAT: Duration = Duration::from_millis(1400);

fn draw_session(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveSession>>,
    phase: Res<State<SessionPhase>>,
    portraits: Res<Portraits>,
    settings: Res<Settings>,
    library: Res<Library>,
    mut view: ResMut<SessionView>,
    mut actions: MessageWriter<Action>,
    mut settings_open: ResMut<SettingsOpen>,
) -> Result {
    let Some(active) = active else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let session = &active.session;
    let playable = session.playable();
    let scenario = playable.scenario();
    // After the last reply of a practice session the engine has ended; the feedback card still
    // belongs to the node just answered.
    let current = session.node();
    let answered = active.last.as_ref().map(|a| playable.client(a.node));
    let Some(node) = current.or(answered) else {
        return Ok(());
    };
    let offered: Vec<_> = session.offered().collect();
    let feedback = *phase.get() == SessionPhase::Feedback;

    // The pause beat: a short "…" before a line that follows a pause, unless motion is reduced.
    let step = session.decisions().len();
    let pausing = !settings.reduced_motion && matches!(node.cue, Some(Cue::Pause(_))) && !feedback;
    if view.beat.is_none_or(|(s, _)| s != step) {
        view.beat = Some((
            step,
            Instant::now() + if pausing { PAUSE_BEAT } else { Duration::ZERO },
        ));
        view.focus = 0;
    }
    let reveal_at = view.beat.map_or_else(Instant::now, |(_, at)| at);
    let mut in_beat = Instant::now() < reveal_at;

    // Keyboard: 1–9 choose, arrows move focus, Enter chooses or continues; Space skips the beat.
    let mut pressed = None;
    let (mut up, mut down, mut enter, mut space, mut back) = (false, false, false, false, false);
    if !settings_open.0 {
        ctx.input(|i| {
            for (n, key) in DIGITS.iter().enumerate() {
                if i.key_pressed(*key) {
                    pressed = Some(n + 1);
                }
            }
            up = i.key_pressed(egui::Key::ArrowUp);
            down = i.key_pressed(egui::Key::ArrowDown);
            enter = i.key_pressed(egui::Key::Enter);
            space = i.key_pressed(egui::Key::Space);
            back = i.key_pressed(egui::Key::Backspace);
        });
    }
    if in_beat && (space || enter) {
        view.beat = Some((step, Instant::now()));
        in_beat = false;
        enter = false;
    }
    if in_beat {
        ctx.request_repaint_after(reveal_at.saturating_duration_since(Instant::now()));
    }

    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, &scenario.title.value, &mut settings_open.0);

    if active.reload_available {
        egui::Panel::top("reload").show(&mut root, |ui| {
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                let has_errors = library.entry(&active.file).is_some_and(|e| e.has_errors());
                if has_errors {
                    ui.colored_label(ui.visuals().warn_fg_color, "The scenario file changed and has errors; you are still playing the last good version.");
                } else {
                    ui.label("The scenario file changed on disk.");
                    if ui.button("Resume here in the new version").clicked() {
                        actions.write(Action::TakeReload { resume: true });
                    }
                    if ui.button("Restart").clicked() {
                        actions.write(Action::TakeReload { resume: false });
                    }
                }
                if ui.button("Dismiss").clicked() {
                    actions.write(Action::DismissReload);
                }
            });
            ui.add_space(4.0);
        });
    }

    // The client panel on the left.
    egui::Panel::left("client")
        .exact_size(300.0)
        .resizable(false)
        .show(&mut root, |ui| {
            ui.add_space(12.0);
            ui.vertical_centered(|ui| {
                let portrait = scenario
                    .client
                    .portrait
                    .as_ref()
                    .and_then(|p| portraits.get(p));
                draw_portrait(ui, portrait, node.emotion, 200.0);
                ui.add_space(6.0);
                ui.label(
                    egui::RichText::new(&scenario.client.name.value)
                        .heading()
                        .strong(),
                );
                ui.label(
                    egui::RichText::new(format!("looks {}", widgets::emotion_word(node.emotion)))
                        .weak(),
                );
            });
            ui.add_space(12.0);
            // In assessment mode the meters stay still until the debrief, so they do not give
            // away whether a reply was right.
            let still = session.mode() == Mode::Assessment;
            for (variable, &value) in playable.variables().iter().zip(session.variables()) {
                let value = if still { variable.start.value } else { value };
                if variable.visible {
                    widgets::meter(
                        ui,
                        &variable.name,
                        value,
                        variable.min.value,
                        variable.max.value,
                    );
                }
            }
            ui.add_space(12.0);
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                if session.mode() == Mode::Practice
                    && !feedback
                    && ui
                        .button("Hint")
                        .on_hover_text("What to notice here (recorded in your result)")
                        .clicked()
                {
                    actions.write(Action::Hint);
                }
                if ui
                    .button("Leave session")
                    .on_hover_text("Ends the session now; your replies so far are saved.")
                    .clicked()
                {
                    actions.write(Action::Leave);
                }
            });
            if let Some(hint) = &active.hint {
                widgets::card(ui, |ui| {
                    ui.label(egui::RichText::new("Hint").strong());
                    ui.label(hint);
                });
            }
        });

    // The replies, or the feedback card, at the bottom.
    egui::Panel::bottom("replies").show(&mut root, |ui| {
        ui.add_space(8.0);
        if let Some(notice) = &active.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
        if feedback {
            if let Some(applied) = &active.last {
                feedback_card(ui, session, applied, &mut actions, enter, back);
            }
        } else if in_beat {
            ui.label(egui::RichText::new("(Space to skip the pause)").weak());
        } else {
            if up {
                view.focus = view.focus.saturating_sub(1);
            }
            if down {
                view.focus = (view.focus + 1).min(offered.len().saturating_sub(1));
            }
            if let Some(n) = pressed.filter(|&n| n <= offered.len()) {
                actions.write(Action::Choose(n));
            } else if enter {
                actions.write(Action::Choose(view.focus + 1));
            }
            ui.label(egui::RichText::new("Your reply").strong());
            for (i, choice) in offered.iter().enumerate() {
                if widgets::choice_button(ui, i + 1, &choice.reply, view.focus == i).clicked() {
                    actions.write(Action::Choose(i + 1));
                }
            }
        }
        ui.add_space(8.0);
    });

    // The conversation so far, scrolling above the current line.
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("session-scroll")
            .stick_to_bottom(true)
            .show(ui, |ui| {
                widgets::page(ui, |ui| {
                    for decision in session.decisions().iter().filter(|d| !d.taken_back) {
                        let past = playable.client(decision.prompt.node);
                        if let Some(said) = past.says.get(decision.prompt.variant as usize) {
                            widgets::client_bubble(ui, &scenario.client.name.value, said, None);
                        }
                        widgets::trainee_bubble(
                            ui,
                            &playable.choice(decision.prompt.node, decision.choice).reply,
                        );
                    }
                    let line = session.line().unwrap_or_default();
                    if feedback || current.is_none() {
                        // The reply just made is already in the history above.
                    } else if in_beat {
                        widgets::client_bubble(
                            ui,
                            &scenario.client.name.value,
                            "…",
                            node.cue.as_ref(),
                        );
                    } else {
                        widgets::client_bubble(
                            ui,
                            &scenario.client.name.value,
                            line,
                            node.cue.as_ref(),
                        );
                    }
                });
            });
    });
    Ok(())
}

const DIGITS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

fn feedback_card(
    ui: &mut egui::Ui,
    session: &Session,
    applied: &Applied,
    actions: &mut MessageWriter<Action>,
    enter: bool,
    back: bool,
) {
    let playable = session.playable();
    let scenario = playable.scenario();
    let choice = applied.chosen(playable);
    widgets::card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for skill in Skill::ALL {
                widgets::skill_change(ui, skill, choice.scores.get(skill).value);
                ui.add_space(12.0);
            }
        });
        ui.add_space(4.0);
        ui.label(&choice.feedback.value);
        if let Some(thought) = &choice.thought {
            ui.add_space(4.0);
            ui.label(
                egui::RichText::new(format!(
                    "{} thinks: “{}”",
                    scenario.client.name.value, thought.value
                ))
                .italics()
                .color(ui.visuals().weak_text_color()),
            );
        }
        let changes: Vec<String> = applied
            .visible_changes(playable)
            .map(|(name, b, a)| format!("{name} went from {b} to {a}"))
            .collect();
        if !changes.is_empty() {
            ui.label(egui::RichText::new(changes.join("; ")).weak());
        }
    });
    ui.horizontal(|ui| {
        let continue_button = ui.add(
            egui::Button::new(egui::RichText::new("Continue  ›").strong())
                .min_size(egui::vec2(140.0, 34.0)),
        );
        if continue_button.clicked() || enter {
            actions.write(Action::Continue);
        }
        if session.can_take_back()
            && (ui
                .button("Take back")
                .on_hover_text("Choose again. Your first reply is the one scored.")
                .clicked()
                || back)
        {
            actions.write(Action::TakeBack);
        }
    });
}
