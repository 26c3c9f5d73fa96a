//! The library: a card per scenario, broken ones with their diagnostics.

use attune_core::engine::Mode;
use attune_core::model::Scenario;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{Action, Screen, Selection};
use crate::app::class::exercise::{ExerciseMode, exercise_library};
use crate::app::scenarios::{Entry, Library};
use crate::app::settings::Settings;
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, open_briefing.run_if(in_state(Screen::Library)));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_library.run_if(in_state(Screen::Library)),
    );
}

fn open_briefing(
    mut actions: MessageReader<Action>,
    library: Res<Library>,
    exercise: Option<Res<ExerciseMode>>,
    mut selection: ResMut<Selection>,
    mut next: ResMut<NextState<Screen>>,
) {
    for action in actions.read() {
        let Action::Open { file } = action else {
            continue;
        };
        if let Some(exercise) = &exercise {
            // Only the exercise's scenarios, with its mode and seed, while attempts are left.
            if let Some((position, scenario)) = exercise.scenario(file)
                && let Some((settings, _)) = exercise.playing()
                && exercise.may_play(position)
            {
                selection.file = Some(file.clone());
                selection.scenario = Some(scenario.playable.clone());
                selection.mode = settings.mode;
                selection.seed_text = settings
                    .shared_seed()
                    .map(|seed| seed.to_string())
                    .unwrap_or_default();
                next.set(Screen::Briefing);
            }
            continue;
        }
        if let Some(scenario) = library.entry(file).and_then(|e| e.playable.clone()) {
            selection.file = Some(file.clone());
            selection.scenario = Some(scenario);
            next.set(Screen::Briefing);
        }
    }
}

fn draw_library(
    mut contexts: EguiContexts,
    library: Res<Library>,
    mut selection: ResMut<Selection>,
    mut settings: ResMut<Settings>,
    mut actions: MessageWriter<Action>,
    mut settings_open: ResMut<crate::app::settings::SettingsOpen>,
    results_folder: Res<crate::app::results_folder::ResultsFolder>,
    exercise: Option<Res<ExerciseMode>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, Screen::Library.title(), &mut settings_open.0);
    if let Some(exercise) = exercise {
        // Exercise mode: its scenarios and settings only; mode, seed and trainee are its own.
        egui::CentralPanel::default().show(&mut root, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("library-scroll")
                .show(ui, |ui| {
                    widgets::page(ui, |ui| {
                        if let Some(problem) = &results_folder.problem {
                            ui.colored_label(ui.visuals().error_fg_color, problem);
                        }
                        if let Some(file) = exercise_library(ui, &exercise) {
                            actions.write(Action::Open { file });
                        }
                    });
                });
        });
        return Ok(());
    }
    egui::Panel::bottom("session-options").show(&mut root, |ui| {
        ui.add_space(6.0);
        // Edit a copy, so the settings (and their file) change only when the trainee types.
        let mut trainee = settings.trainee.clone();
        session_options(ui, &mut selection, &mut trainee);
        if trainee != settings.trainee {
            settings.trainee = trainee;
        }
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("library-scroll")
            .show(ui, |ui| {
                widgets::page(ui, |ui| {
                    ui.heading("Choose a client");
                    ui.label(
                    "Each scenario is one conversation. Read the content notes before you start.",
                );
                    if ui
                        .button("Projector mode: play one session with a whole room  ›")
                        .on_hover_text("For a facilitator: large text, the room's votes at each reply, the feedback revealed after discussion, and a debrief.")
                        .clicked()
                    {
                        actions.write(Action::OpenProjector);
                    }
                    if ui
                        .button("Instructor view: a class's results as charts and tables  ›")
                        .clicked()
                    {
                        actions.write(Action::OpenInstructor);
                    }
                    ui.add_space(12.0);
                    if let Some(error) = &library.folder_error {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                    }
                    if let Some(problem) = &results_folder.problem {
                        ui.colored_label(ui.visuals().error_fg_color, problem);
                    }
                    if !library.is_ready() {
                        ui.spinner();
                    }
                    for entry in &library.entries {
                        if let Some(file) = scenario_card(ui, entry) {
                            actions.write(Action::Open { file });
                        }
                        ui.add_space(10.0);
                    }
                });
            });
    });
    Ok(())
}

/// Mode, trainee id and seed for the next session.
fn session_options(ui: &mut egui::Ui, selection: &mut Selection, trainee: &mut String) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Mode:");
        ui.selectable_value(&mut selection.mode, Mode::Practice, "Practice")
            .on_hover_text("Feedback after every reply; you can take a reply back and ask for hints.");
        ui.selectable_value(&mut selection.mode, Mode::Assessment, "Assessment")
            .on_hover_text("Feedback only in the debrief; no going back.");
        ui.separator();
        ui.label("Trainee id:");
        ui.add(egui::TextEdit::singleline(trainee).hint_text("pseudonym").desired_width(120.0));
        ui.separator();
        ui.label("Seed:");
        ui.add(
            egui::TextEdit::singleline(&mut selection.seed_text)
                .hint_text("random")
                .desired_width(80.0),
        )
        .on_hover_text("Leave blank for a random seed. The same seed gives the same order of replies, for a class exercise.");
        if !selection.seed_text.trim().is_empty() && selection.seed_text.trim().parse::<u64>().is_err() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "A seed is a whole number, e.g. 42; this one would be ignored.",
            );
        }
        if let Some(seed) = selection.last_seed {
            ui.label(egui::RichText::new(format!("(last seed: {seed})")).weak());
        }
    });
}

/// A scenario card; returns the file when the trainee starts it.
fn scenario_card(ui: &mut egui::Ui, entry: &Entry) -> Option<String> {
    let mut start = None;
    widgets::card(ui, |ui| match &entry.playable {
        Some(p) => {
            scenario_summary(ui, p.scenario());
            if entry.has_errors() {
                ui.add_space(6.0);
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "The file on disk has errors; the last version that worked is shown and playable.",
                );
                problems(ui, entry);
            }
            ui.add_space(6.0);
            if ui
                .add(
                    egui::Button::new(egui::RichText::new("Read the briefing  ›").strong())
                        .min_size(egui::vec2(160.0, 32.0)),
                )
                .clicked()
            {
                start = Some(entry.file.clone());
            }
        }
        None if entry.problems.is_empty() => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Loading {}…", entry.file));
            });
        }
        None => {
            ui.label(egui::RichText::new(&entry.file).strong());
            ui.colored_label(
                ui.visuals().error_fg_color,
                "This scenario cannot be played until these problems are fixed:",
            );
            problems(ui, entry);
        }
    });
    start
}

pub(crate) fn scenario_summary(ui: &mut egui::Ui, s: &Scenario) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(&s.title.value).heading().strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(format!(
                "{} · about {} min",
                s.difficulty.label(),
                s.minutes
            ));
        });
    });
    let c = &s.client;
    ui.label(
        egui::RichText::new(format!(
            "{}, {} ({}) — {}",
            c.name.value, c.age, c.pronouns, c.presenting_concern.value
        ))
        .strong(),
    );
    ui.label(&s.summary.value);
    ui.add_space(4.0);
    ui.label(egui::RichText::new("You will practise:").weak());
    for objective in &s.objectives {
        ui.label(format!("  • {}", objective.value));
    }
    if !s.content_notes.is_empty() {
        ui.add_space(4.0);
        widgets::content_notes(ui, &s.content_notes);
    }
}

fn problems(ui: &mut egui::Ui, entry: &Entry) {
    for (n, problem) in entry.problems.iter().enumerate() {
        let color = if problem.is_error {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().warn_fg_color
        };
        // The first problem opens with its snippet, so the fix is one look away.
        egui::CollapsingHeader::new(egui::RichText::new(&problem.short).monospace().color(color))
            .id_salt(&problem.headline)
            .default_open(n == 0)
            .show(ui, |ui| {
                egui::ScrollArea::horizontal()
                    .id_salt(("problem", &problem.headline))
                    .show(ui, |ui| {
                        ui.label(egui::RichText::new(&problem.detail).monospace().size(12.0));
                    });
            });
    }
}
