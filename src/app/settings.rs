//! The trainee's preferences: text size, theme, reduced motion and trainee id, saved in the
//! user's config folder and reachable from every screen.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use serde::{Deserialize, Serialize};

use super::AppPaths;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SettingsOpen>()
        .add_systems(PreStartup, load_settings)
        .add_systems(Last, save_settings.run_if(resource_changed::<Settings>));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw_settings_window);
}

#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Multiplies every text and widget size.
    pub text_scale: f32,
    pub theme: Theme,
    /// No animated beats (e.g. the pause before a line).
    pub reduced_motion: bool,
    /// Pseudonymous, saved with every result.
    pub trainee: String,
    /// Author mode: ids, scores, the map and the live state while playing (practice only).
    pub author_mode: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_scale: 1.0,
            theme: Theme::Light,
            reduced_motion: false,
            trainee: String::new(),
            author_mode: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    Light,
    Dark,
    HighContrast,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::HighContrast];

    pub fn label(self) -> &'static str {
        match self {
            Theme::Light => "Light",
            Theme::Dark => "Dark",
            Theme::HighContrast => "High contrast",
        }
    }
}

/// Whether the settings window is showing.
#[derive(Resource, Debug, Default)]
pub struct SettingsOpen(pub bool);

pub const TEXT_SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.8..=1.8;

fn load_settings(mut commands: Commands, paths: Res<AppPaths>) {
    let settings = paths
        .settings
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| match ron::from_str::<Settings>(&text) {
            Ok(s) => Some(s),
            Err(err) => {
                // A damaged settings file is not worth stopping for: start from the defaults.
                warn!("ignoring the settings file: {err}");
                None
            }
        })
        .unwrap_or_default();
    commands.insert_resource(settings);
}

fn save_settings(settings: Res<Settings>, paths: Res<AppPaths>) -> Result {
    let Some(path) = &paths.settings else {
        return Ok(());
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = ron::ser::to_string_pretty(&*settings, ron::ser::PrettyConfig::default())?;
    // Atomic: a crash mid-save never leaves a half-written settings file.
    attune_core::save::replace(path, text.as_bytes())?;
    Ok(())
}

fn draw_settings_window(
    mut contexts: EguiContexts,
    mut open: ResMut<SettingsOpen>,
    mut settings: ResMut<Settings>,
) -> Result {
    if !open.0 {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let mut edited = settings.clone();
    let mut still_open = true;
    egui::Window::new("Settings")
        .open(&mut still_open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| settings_form(ui, &mut edited));
    open.0 = still_open;
    // Write only on a real change, so the file is saved once per edit, not every frame.
    if edited != *settings {
        *settings = edited;
    }
    Ok(())
}

/// The settings form, as a pure function over the settings being edited.
pub fn settings_form(ui: &mut egui::Ui, settings: &mut Settings) {
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 12.0])
        .show(ui, |ui| {
            ui.label("Text size");
            ui.add(
                egui::Slider::new(&mut settings.text_scale, TEXT_SCALE_RANGE)
                    .step_by(0.1)
                    .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
            );
            ui.end_row();

            ui.label("Theme");
            ui.horizontal(|ui| {
                for theme in Theme::ALL {
                    ui.selectable_value(&mut settings.theme, theme, theme.label());
                }
            });
            ui.end_row();

            ui.label("Reduced motion");
            ui.checkbox(&mut settings.reduced_motion, "No animated pauses");
            ui.end_row();

            ui.label("Trainee id");
            ui.add(
                egui::TextEdit::singleline(&mut settings.trainee)
                    .hint_text("a pseudonym, e.g. T-07")
                    .desired_width(200.0),
            );
            ui.end_row();

            ui.label("Author mode");
            ui.checkbox(
                &mut settings.author_mode,
                "Ids, scores, map and live state while playing (F2)",
            );
            ui.end_row();
        });
    ui.add_space(8.0);
    ui.label(
        egui::RichText::new("Saved on this computer only. Results use the trainee id, never your name unless you type it.")
            .small()
            .weak(),
    );
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    #[test]
    fn the_form_edits_theme_and_motion_by_their_labels() {
        let mut harness = Harness::new_ui_state(settings_form, Settings::default());
        harness.get_by_label("High contrast").click();
        harness.get_by_label("No animated pauses").click();
        harness.run();
        assert_eq!(harness.state().theme, Theme::HighContrast);
        assert!(harness.state().reduced_motion);
        assert_eq!(harness.state().text_scale, 1.0);
    }
}
