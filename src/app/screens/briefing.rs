//! The briefing: who the client is and what the session is for, before it starts.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{Action, Screen, Selection};
use crate::app::portrait::{Portraits, draw_portrait};
use crate::app::settings::SettingsOpen;
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, leave_briefing.run_if(in_state(Screen::Briefing)));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_briefing.run_if(in_state(Screen::Briefing)),
    );
}

fn leave_briefing(mut actions: MessageReader<Action>, mut next: ResMut<NextState<Screen>>) {
    for action in actions.read() {
        match action {
            Action::Begin => next.set(Screen::Session),
            Action::ToLibrary => next.set(Screen::Library),
            _ => {}
        }
    }
}

fn draw_briefing(
    mut contexts: EguiContexts,
    selection: Res<Selection>,
    portraits: Res<Portraits>,
    mut actions: MessageWriter<Action>,
    mut settings_open: ResMut<SettingsOpen>,
) -> Result {
    let Some(playable) = selection.scenario.clone() else {
        return Ok(());
    };
    let s = playable.scenario();
    let ctx = contexts.ctx_mut()?;
    // Enter in the Settings window is the settings' own.
    let enter = !settings_open.0 && ctx.input(|i| i.key_pressed(egui::Key::Enter));
    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, Screen::Briefing.title(), &mut settings_open.0);
    egui::Panel::bottom("briefing-actions").show(&mut root, |ui| {
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("‹ Back to the library").clicked() {
                actions.write(Action::ToLibrary);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let begin = ui.add(
                    egui::Button::new(egui::RichText::new("Begin the session").strong())
                        .min_size(egui::vec2(180.0, 36.0)),
                );
                if begin.clicked() || enter {
                    actions.write(Action::Begin);
                }
                ui.label(egui::RichText::new(format!("{} mode", selection.mode.label())).weak());
            });
        });
        ui.add_space(8.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical().id_salt("briefing-scroll").show(ui, |ui| {
            widgets::page(ui, |ui| {
                ui.horizontal(|ui| {
                    let portrait = s.client.portrait.as_ref().and_then(|p| portraits.get(p));
                    draw_portrait(ui, portrait, attune_core::model::Emotion::Neutral, 120.0);
                    ui.vertical(|ui| {
                        ui.heading(&s.title.value);
                        let c = &s.client;
                        ui.label(egui::RichText::new(format!("{}, {} ({})", c.name.value, c.age, c.pronouns)).strong());
                        ui.label(format!("Presenting concern: {}", c.presenting_concern.value));
                        ui.label(egui::RichText::new(format!("{} · about {} minutes", s.difficulty.label(), s.minutes)).weak());
                    });
                });
                ui.add_space(12.0);
                if !s.content_notes.is_empty() {
                    widgets::content_notes(ui, &s.content_notes);
                    ui.add_space(8.0);
                }
                ui.label(egui::RichText::new("Background").strong());
                ui.label(&s.client.briefing.value);
                ui.add_space(12.0);
                ui.label(egui::RichText::new("What this session is for").strong());
                for objective in &s.objectives {
                    ui.label(format!("  • {}", objective.value));
                }
                ui.add_space(12.0);
                let how = match selection.mode {
                    attune_core::engine::Mode::Practice => {
                        "Practice mode: after each reply you will see feedback and what the client was thinking. You can take a reply back and ask for a hint."
                    }
                    attune_core::engine::Mode::Assessment => {
                        "Assessment mode: no feedback until the debrief, and no going back."
                    }
                };
                ui.label(egui::RichText::new(how).italics());
                ui.label(egui::RichText::new("Choose replies with the mouse, or with the keys 1–9 (arrows and Enter also work).").weak());
            });
        });
    });
    Ok(())
}
