//! Exercise mode (`attune app --exercise FILE`): the app as a trainee in a class uses it. The
//! exercise file is read by `attune_class` (as for `attune play --exercise`); the app asks the
//! trainee id once, then the library shows only the exercise's scenarios and settings, and each
//! run is played with its mode, seed and hints and saved into its results folder, as the
//! terminal saves it. An exercise file with errors shows its diagnostics instead of starting.

use std::path::{Path, PathBuf};

use attune_class::exercise::{Exercise, ExerciseScenario, check_trainee_id, load_exercise};
use attune_core::diagnostics::{self, Style};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::app::screens::Screen;
use crate::app::settings::SettingsOpen;
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<ExerciseAction>()
        .add_systems(
            Update,
            start_exercise
                .run_if(in_state(Screen::Exercise).and_then(resource_exists::<ExerciseMode>)),
        )
        .add_systems(
            OnEnter(Screen::Library),
            count_attempts.run_if(resource_exists::<ExerciseMode>),
        );
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_exercise_start
            .run_if(in_state(Screen::Exercise).and_then(resource_exists::<ExerciseMode>)),
    );
}

/// Opens the app in exercise mode: on the trainee id screen, or with `trainee` given, on the
/// library. The file is read now; its problems, if any, are shown in place of the exercise.
pub fn open_at_start(app: &mut App, file: &Path, trainee: Option<String>) {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let mode = ExerciseMode::read(&file, trainee);
    let ready = mode.exercise.is_some() && mode.trainee.is_some();
    app.insert_resource(mode);
    if !ready {
        app.add_systems(Startup, |mut next: ResMut<NextState<Screen>>| {
            next.set(Screen::Exercise);
        });
    }
}

/// The trainee's answer on the exercise's first screen.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum ExerciseAction {
    /// Play the exercise as this trainee.
    Start { trainee: String },
}

/// The exercise being played, and by whom. Present only in exercise mode.
#[derive(Resource, Debug)]
pub struct ExerciseMode {
    pub file: PathBuf,
    /// `None` when the file has errors: `problems` shows them.
    pub exercise: Option<Exercise>,
    /// The file's diagnostics as `attune check` prints them (file, line, column, snippet).
    pub problems: Vec<String>,
    /// Asked once, on the first screen (or `--trainee`).
    pub trainee: Option<String>,
    /// Runs saved by this trainee for each scenario, in the exercise's order; counted whenever
    /// the library opens.
    pub saved: Vec<u32>,
    /// Why the last trainee id was refused.
    pub notice: Option<String>,
}

impl ExerciseMode {
    pub fn read(file: &Path, trainee: Option<String>) -> ExerciseMode {
        let (exercise, problems) = match load_exercise(file) {
            Ok(loaded) => {
                let problems = loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| diagnostics::render(&loaded.file, d, Style::Human { color: false }))
                    .collect();
                (loaded.exercise, problems)
            }
            Err(err) => (None, vec![format!("cannot read {}: {err}", file.display())]),
        };
        let mut mode = ExerciseMode {
            file: file.to_owned(),
            exercise,
            problems,
            trainee: None,
            saved: Vec::new(),
            notice: None,
        };
        if let Some(trainee) = trainee {
            mode.take_trainee(&trainee);
        }
        mode
    }

    /// Takes the trainee id if it is one; else says why not in `notice`.
    fn take_trainee(&mut self, typed: &str) -> bool {
        let typed = typed.trim();
        match check_trainee_id(typed) {
            Ok(()) => {
                self.trainee = Some(typed.to_owned());
                self.notice = None;
                true
            }
            Err(why) => {
                self.notice = Some(format!("This cannot be a trainee id: {why}."));
                false
            }
        }
    }

    /// The exercise and the trainee, once both are known.
    pub fn playing(&self) -> Option<(&Exercise, &str)> {
        Some((self.exercise.as_ref()?, self.trainee.as_deref()?))
    }

    /// The exercise's scenario opened as `file` (its path, as the library's cards name it).
    pub fn scenario(&self, file: &str) -> Option<(usize, &ExerciseScenario)> {
        self.exercise
            .as_ref()?
            .scenarios
            .iter()
            .enumerate()
            .find(|(_, s)| s.path.display().to_string() == file)
    }

    /// Whether the trainee has attempts left at the scenario at this position.
    pub fn may_play(&self, position: usize) -> bool {
        let Some((exercise, _)) = self.playing() else {
            return false;
        };
        exercise
            .attempts
            .is_none_or(|allowed| self.saved.get(position).copied().unwrap_or(0) < allowed)
    }
}

fn start_exercise(
    mut actions: MessageReader<ExerciseAction>,
    mut mode: ResMut<ExerciseMode>,
    mut next: ResMut<NextState<Screen>>,
) {
    for ExerciseAction::Start { trainee } in actions.read() {
        if mode.exercise.is_some() && mode.take_trainee(trainee) {
            next.set(Screen::Library);
        }
    }
}

fn count_attempts(mut mode: ResMut<ExerciseMode>) {
    let saved = match mode.playing() {
        Some((exercise, trainee)) => exercise
            .scenarios
            .iter()
            .map(|s| exercise.attempts_saved(trainee, s.id().as_str()))
            .collect(),
        None => Vec::new(),
    };
    mode.saved = saved;
}

fn draw_exercise_start(
    mut contexts: EguiContexts,
    mut mode: ResMut<ExerciseMode>,
    mut typed: Local<String>,
    mut actions: MessageWriter<ExerciseAction>,
    mut settings_open: ResMut<SettingsOpen>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, Screen::Exercise.title(), &mut settings_open.0);
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("exercise-scroll")
            .show(ui, |ui| {
                widgets::page(ui, |ui| match &mode.exercise {
                    Some(exercise) => {
                        if trainee_form(ui, exercise, &mut typed, mode.notice.as_deref()) {
                            actions.write(ExerciseAction::Start {
                                trainee: typed.clone(),
                            });
                        }
                    }
                    None => exercise_problems(ui, &mode.file, &mode.problems),
                });
            });
    });
    // Emptying the field clears the complaint about the id it held.
    if mode.notice.is_some() && typed.is_empty() {
        mode.notice = None;
    }
    Ok(())
}

/// The exercise's title, instructions and settings, and the trainee id field. True when the
/// trainee starts (the button, or Enter in the field).
pub fn trainee_form(
    ui: &mut egui::Ui,
    exercise: &Exercise,
    typed: &mut String,
    notice: Option<&str>,
) -> bool {
    exercise_header(ui, exercise);
    ui.add_space(16.0);
    ui.label(egui::RichText::new("Your trainee id").strong());
    let field = ui.add(
        egui::TextEdit::singleline(typed)
            .hint_text("the id your instructor gave you, e.g. T-07")
            .desired_width(340.0),
    );
    field.request_focus();
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if let Some(notice) = notice {
        ui.colored_label(ui.visuals().error_fg_color, notice);
    }
    ui.label(
        egui::RichText::new(
            "Asked once: it is saved with every run of this exercise. Use the id, not your name.",
        )
        .small()
        .weak(),
    );
    ui.add_space(8.0);
    let start = ui.add(
        egui::Button::new(egui::RichText::new("Start the exercise  ›").strong())
            .min_size(egui::vec2(180.0, 34.0)),
    );
    start.clicked() || enter
}

/// Title, instructions and settings: what the trainee reads before playing.
pub fn exercise_header(ui: &mut egui::Ui, exercise: &Exercise) {
    ui.heading(format!("Exercise: {}", exercise.title));
    if !exercise.instructions.trim().is_empty() {
        ui.label(&exercise.instructions);
    }
    ui.add_space(4.0);
    ui.label(egui::RichText::new(exercise.settings_summary()).weak());
}

/// Why the exercise cannot start: each error with its file, line, column and snippet.
pub fn exercise_problems(ui: &mut egui::Ui, file: &Path, problems: &[String]) {
    ui.heading("This exercise cannot start");
    ui.colored_label(
        ui.visuals().error_fg_color,
        format!(
            "{} has {} problem(s). Ask your instructor, who can check it with `attune check`:",
            file.display(),
            problems.len()
        ),
    );
    ui.add_space(8.0);
    for problem in problems {
        widgets::card(ui, |ui| {
            egui::ScrollArea::horizontal()
                .id_salt(("exercise-problem", problem))
                .show(ui, |ui| {
                    ui.label(egui::RichText::new(problem).monospace().size(12.0));
                });
        });
        ui.add_space(6.0);
    }
}

/// The library in exercise mode: the exercise, the trainee, and a card per scenario of the
/// exercise only. Returns the file of the scenario the trainee opens.
pub fn exercise_library(ui: &mut egui::Ui, mode: &ExerciseMode) -> Option<String> {
    let (exercise, trainee) = mode.playing()?;
    let mut open = None;
    exercise_header(ui, exercise);
    ui.label(format!("Playing as {trainee}."));
    ui.add_space(12.0);
    for (position, scenario) in exercise.scenarios.iter().enumerate() {
        widgets::card(ui, |ui| {
            crate::app::screens::scenario_summary(ui, scenario.playable.scenario());
            ui.add_space(6.0);
            let saved = mode.saved.get(position).copied().unwrap_or(0);
            if mode.may_play(position) {
                let left = exercise
                    .attempts
                    .map(|allowed| format!(" · attempts left: {}", allowed - saved))
                    .unwrap_or_default();
                ui.horizontal(|ui| {
                    if ui
                        .add(
                            egui::Button::new(egui::RichText::new("Read the briefing  ›").strong())
                                .min_size(egui::vec2(160.0, 32.0)),
                        )
                        .clicked()
                    {
                        open = Some(scenario.path.display().to_string());
                    }
                    ui.label(egui::RichText::new(format!("Runs saved: {saved}{left}")).weak());
                });
            } else {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("You have used all {saved} attempt(s) at this scenario."),
                );
            }
        });
        ui.add_space(10.0);
    }
    open
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    fn exercise_file(dir: &Path, body: &str) -> PathBuf {
        let scenario =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/grief-eleven-weeks.scenario.ron");
        let file = dir.join("week-3.exercise.ron");
        let text = attune_class::exercise::template("Week 3", &scenario.display().to_string())
            .replace("attempts: 2,", body);
        std::fs::write(&file, text).unwrap();
        file
    }

    #[test]
    fn the_library_shows_only_the_exercise_its_settings_and_attempts_left() {
        let dir = tempfile::tempdir().unwrap();
        let file = exercise_file(dir.path(), "attempts: 2,");
        let mut mode = ExerciseMode::read(&file, Some("T-07".into()));
        mode.saved = vec![1];
        let mut harness = Harness::new_ui_state(
            |ui, (mode, open): &mut (ExerciseMode, Option<String>)| {
                if let Some(file) = exercise_library(ui, mode) {
                    *open = Some(file);
                }
            },
            (mode, None),
        );
        harness.get_by_label("Exercise: Week 3");
        harness
            .get_by_label_contains("Attempts per scenario: 2. Seed: the same for everyone (2026).");
        harness.get_by_label("Playing as T-07.");
        harness.get_by_label("Runs saved: 1 · attempts left: 1");
        harness.get_by_label("Eleven weeks");
        harness.get_by_label("Read the briefing  ›").click();
        harness.run();
        let opened = harness.state().1.clone().unwrap();
        assert!(
            opened.ends_with("grief-eleven-weeks.scenario.ron"),
            "{opened}"
        );

        harness.state_mut().0.saved = vec![2];
        harness.run();
        assert!(harness.query_by_label("Read the briefing  ›").is_none());
        harness.get_by_label("You have used all 2 attempt(s) at this scenario.");
    }

    #[test]
    fn an_exercise_with_errors_shows_them_at_their_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = exercise_file(dir.path(), "attempts: 0,");
        let mode = ExerciseMode::read(&file, Some("T-07".into()));
        assert!(mode.exercise.is_none() && mode.playing().is_none());
        assert_eq!(mode.problems.len(), 1, "{:?}", mode.problems);
        let harness = Harness::new_ui_state(
            |ui, mode: &mut ExerciseMode| exercise_problems(ui, &mode.file, &mode.problems),
            mode,
        );
        harness.get_by_label("This exercise cannot start");
        harness.get_by_label_contains("× no attempts allowed");
        // The line and column of `attempts: 0` in the file.
        harness.get_by_label_contains("week-3.exercise.ron:20:15");
    }
}
