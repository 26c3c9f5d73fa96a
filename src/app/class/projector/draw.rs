//! Projector mode's system: lays out the screen for the phase, draws the views in room-sized
//! text and turns what the facilitator did into [`ProjectorAction`]s. It changes no run state.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::views::{
    GroupDebrief, Reveal, RevealAction, RoomPrompt, RoomTally, ScenarioChoice, SetupAction,
    SetupForm, VoteAction, client_line, debrief_view, reveal_view, room_text, setup_view,
    tally_view, voting_view,
};
use super::{ProjectorAction, ProjectorPhase, ProjectorRun};
use crate::app::scenarios::Library;
use crate::app::screens::{Action, Screen, random_seed};
use crate::app::settings::SettingsOpen;
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProjectorView>().add_systems(
        EguiPrimaryContextPass,
        draw_projector.run_if(in_state(Screen::Projector)),
    );
}

/// What only the drawing keeps: the set-up form and the counts being typed.
#[derive(Resource, Debug, Default)]
struct ProjectorView {
    form: SetupForm,
    fields: Vec<String>,
    /// The decision number the fields were typed for; a new decision starts from blank.
    fields_for: usize,
}

/// Wide enough for long replies, narrow enough that eyes need not sweep a whole wall.
const ROOM_PAGE_WIDTH: f32 = 1500.0;

#[allow(clippy::too_many_arguments)]
fn draw_projector(
    mut contexts: EguiContexts,
    run: Option<Res<ProjectorRun>>,
    phase: Res<State<ProjectorPhase>>,
    library: Res<Library>,
    mut view: ResMut<ProjectorView>,
    mut actions: MessageWriter<ProjectorAction>,
    mut screen_actions: MessageWriter<Action>,
    mut settings_open: ResMut<SettingsOpen>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    // Enter in the Settings window is the settings' own.
    let keyboard = !settings_open.0;
    let mut root = widgets::root_ui(ctx);
    let title = match &run {
        Some(run) => format!(
            "Projector — {} — {}",
            run.group,
            run.session.playable().scenario().title.value
        ),
        None => "Projector mode".to_owned(),
    };
    widgets::top_bar(&mut root, &title, &mut settings_open.0);
    room_text(&mut root);
    let view = &mut *view;
    match (phase.get(), run.as_deref()) {
        (ProjectorPhase::Setup, _) => {
            let scenarios: Vec<ScenarioChoice> = library
                .entries
                .iter()
                .filter_map(|e| {
                    let p = e.playable.as_ref()?;
                    let s = p.scenario();
                    Some(ScenarioChoice {
                        file: e.file.clone(),
                        title: s.title.value.clone(),
                        client: s.client.name.value.clone(),
                        minutes: s.minutes,
                    })
                })
                .collect();
            room_page(&mut root, "projector-setup", |ui| {
                match setup_view(ui, &scenarios, &mut view.form) {
                    Some(SetupAction::Start {
                        file,
                        group,
                        seed,
                        participants,
                    }) => {
                        actions.write(ProjectorAction::Start {
                            file,
                            group,
                            seed: seed.unwrap_or_else(random_seed),
                            participants,
                        });
                    }
                    Some(SetupAction::Back) => {
                        screen_actions.write(Action::ToLibrary);
                    }
                    None => {}
                }
            });
        }
        (ProjectorPhase::Voting, Some(run)) => {
            let Some(prompt) = RoomPrompt::of(&run.session) else {
                return Ok(());
            };
            if view.fields_for != prompt.number {
                view.fields.clear();
                view.fields_for = prompt.number;
            }
            room_page(&mut root, "projector-voting", |ui| {
                match voting_view(
                    ui,
                    &prompt,
                    &mut view.fields,
                    run.notice.as_deref(),
                    keyboard,
                ) {
                    Some(VoteAction::Decide { votes, pick }) => {
                        actions.write(ProjectorAction::Decide { votes, pick });
                    }
                    Some(VoteAction::End) => {
                        actions.write(ProjectorAction::End);
                    }
                    None => {}
                }
            });
        }
        (ProjectorPhase::Discussing | ProjectorPhase::Revealed, Some(run)) => {
            let (Some(tally), Some(applied)) =
                (RoomTally::of(&run.session, &run.tallies), run.last.as_ref())
            else {
                return Ok(());
            };
            let reveal = Reveal::of(&run.session, applied);
            let shown = *phase.get() == ProjectorPhase::Revealed;
            let width = root.available_width();
            egui::Panel::right("reveal")
                .exact_size((width * 0.45).round())
                .resizable(false)
                .show(&mut root, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("reveal-scroll")
                        .show(ui, |ui| {
                            ui.add_space(12.0);
                            match reveal_view(ui, &reveal, shown, keyboard) {
                                Some(RevealAction::Reveal) => {
                                    actions.write(ProjectorAction::Reveal);
                                }
                                Some(RevealAction::Next) => {
                                    actions.write(ProjectorAction::Next);
                                }
                                Some(RevealAction::End) => {
                                    actions.write(ProjectorAction::End);
                                }
                                None => {}
                            }
                        });
                });
            egui::CentralPanel::default().show(&mut root, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("tally-scroll")
                    .show(ui, |ui| {
                        ui.add_space(12.0);
                        client_line(ui, tally.client, tally.line, tally.cue);
                        ui.add_space(8.0);
                        tally_view(ui, &tally);
                    });
            });
        }
        (ProjectorPhase::Debrief, Some(run)) => {
            let Some((card, saved)) = &run.finished else {
                return Ok(());
            };
            let debrief = GroupDebrief::of(&run.session, card, &run.tallies, &run.group, saved);
            room_page(&mut root, "projector-debrief", |ui| {
                if debrief_view(ui, &debrief) {
                    screen_actions.write(Action::ToLibrary);
                }
            });
        }
        _ => {}
    }
    Ok(())
}

/// A centred, scrolling column as wide as a room can read.
fn room_page(root: &mut egui::Ui, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(id)
            .show(ui, |ui| widgets::page_of_width(ui, ROOM_PAGE_WIDTH, add));
    });
}
