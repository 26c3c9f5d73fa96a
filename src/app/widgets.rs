//! Small, pure egui building blocks shared by the screens.

use attune_core::debrief;
use attune_core::model::{Cue, Emotion};
use attune_core::scoring::{Band, SkillScore};
use attune_core::skills::Skill;
use bevy_egui::egui;

/// Green for what helps, red for what hurts, readable on light and dark backgrounds alike.
pub fn positive(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(0x8f, 0xe3, 0xb0)
    } else {
        egui::Color32::from_rgb(0x2e, 0x7d, 0x4f)
    }
}

pub fn negative(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(0xff, 0x9e, 0x94)
    } else {
        egui::Color32::from_rgb(0xb0, 0x3a, 0x2e)
    }
}
const PAGE_WIDTH: f32 = 760.0;

/// A `Ui` covering the whole window, for panels to be laid out in (egui 0.36 panels take a `Ui`).
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

/// The bar at the top of every screen, with the settings button.
pub fn top_bar(root: &mut egui::Ui, title: &str, settings_open: &mut bool) {
    egui::Panel::top("top-bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                egui::RichText::new("Attune")
                    .strong()
                    .size(18.0)
                    .color(ui.visuals().selection.stroke.color),
            );
            ui.separator();
            ui.label(title);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("⚙ Settings").clicked() {
                    *settings_open = !*settings_open;
                }
            });
        });
        ui.add_space(4.0);
    });
}

/// A centred column of comfortable reading width.
pub fn page(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    page_of_width(ui, PAGE_WIDTH, add);
}

/// A centred column at most `max_width` wide.
pub fn page_of_width(ui: &mut egui::Ui, max_width: f32, add: impl FnOnce(&mut egui::Ui)) {
    let width = ui.available_width().min(max_width);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_max_width(width);
            ui.add_space(12.0);
            add(ui);
            ui.add_space(12.0);
        });
    });
}

pub fn card(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .corner_radius(8.0)
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui);
        });
}

pub fn content_notes(ui: &mut egui::Ui, notes: &[String]) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            egui::RichText::new("Content notes:")
                .strong()
                .color(ui.visuals().warn_fg_color),
        );
        ui.label(notes.join(", "));
    });
}

/// A reply button: number, text, and a visible keyboard focus.
pub fn choice_button(
    ui: &mut egui::Ui,
    number: usize,
    text: &str,
    focused: bool,
) -> egui::Response {
    let label = egui::RichText::new(format!("{number}.  {text}"))
        .size(ui.style().text_styles[&egui::TextStyle::Body].size * 1.05);
    let button = egui::Button::new(label)
        .wrap()
        .min_size(egui::vec2(ui.available_width(), 40.0))
        .stroke(if focused {
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
        } else {
            ui.visuals().widgets.inactive.bg_stroke
        });
    let response = ui.add(button);
    ui.add_space(4.0);
    response
}

/// A visible state variable as a labelled bar.
pub fn meter(ui: &mut egui::Ui, name: &str, value: i32, min: i32, max: i32) {
    let fraction = if max > min {
        (value - min) as f32 / (max - min) as f32
    } else {
        1.0
    };
    ui.label(format!("{} {value}/{max}", capitalise(name)));
    ui.add(egui::ProgressBar::new(fraction).desired_height(10.0));
    ui.add_space(4.0);
}

/// A per-skill change with colour *and* a sign and arrow, so colour is never the only signal.
pub fn skill_change(ui: &mut egui::Ui, skill: Skill, value: i32) {
    // Sign and word as well as colour, so colour is never the only signal.
    let (word, color) = match value.signum() {
        1 => ("helps", positive(ui)),
        -1 => ("hurts", negative(ui)),
        _ => ("neutral", ui.visuals().weak_text_color()),
    };
    ui.label(
        egui::RichText::new(format!("{value:+} {} ({word})", skill.label()))
            .color(color)
            .strong(),
    );
}

/// A skill's row in the debrief's grid: name, then bar, band and points.
pub fn skill_bar(ui: &mut egui::Ui, s: &SkillScore) {
    ui.label(egui::RichText::new(s.skill.label()).strong());
    ui.vertical(|ui| match s.percent {
        Some(p) => {
            ui.horizontal(|ui| {
                let color = match s.band {
                    Some(Band::Proficient) => egui::Color32::from_rgb(0x3f, 0x8f, 0x62),
                    Some(Band::Developing) => egui::Color32::from_rgb(0xc2, 0x8a, 0x1e),
                    Some(Band::Emerging) => egui::Color32::from_rgb(0xc0, 0x4a, 0x3c),
                    None => ui.visuals().weak_text_color(),
                };
                ui.add(
                    egui::ProgressBar::new(p as f32 / 100.0)
                        .desired_width(260.0)
                        .fill(color)
                        .text(format!("{p}%")),
                );
                match s.band {
                    Some(band) => ui.label(egui::RichText::new(band.label()).strong()),
                    None => ui.label(egui::RichText::new(debrief::no_band_reason(s)).weak()),
                };
            });
            ui.label(egui::RichText::new(debrief::skill_points(s)).weak().small());
        }
        None => {
            ui.label(egui::RichText::new("not assessed on this path").weak());
        }
    });
}

/// A line the client said, with its nonverbal cue set apart in its own style.
pub fn client_bubble(ui: &mut egui::Ui, name: &str, line: &str, cue: Option<&Cue>) {
    ui.add_space(6.0);
    if let Some(cue) = cue {
        // Nonverbal cues are set apart from the words: a label for the kind, then the cue.
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(cue_label(cue))
                    .small()
                    .strong()
                    .color(ui.visuals().selection.stroke.color),
            );
            ui.label(egui::RichText::new(&cue.text().value).italics());
        });
    }
    egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .corner_radius(10.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width() * 0.85);
            ui.label(egui::RichText::new(name).strong());
            ui.label(
                egui::RichText::new(line)
                    .size(ui.style().text_styles[&egui::TextStyle::Body].size * 1.1),
            );
        });
}

/// A reply the trainee gave, on the right.
pub fn trainee_bubble(ui: &mut egui::Ui, reply: &str) {
    ui.add_space(4.0);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        egui::Frame::new()
            .fill(ui.visuals().selection.bg_fill.gamma_multiply(0.35))
            .corner_radius(10.0)
            .inner_margin(10.0)
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width() * 0.75);
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.label(egui::RichText::new("You").strong());
                    ui.label(reply);
                });
            });
    });
}

fn cue_label(cue: &Cue) -> &'static str {
    match cue {
        Cue::Tone(_) => "TONE",
        Cue::Pause(_) => "PAUSE",
        Cue::Gaze(_) => "GAZE",
        Cue::Posture(_) => "POSTURE",
        Cue::Gesture(_) => "GESTURE",
    }
}

pub fn emotion_word(emotion: Emotion) -> &'static str {
    match emotion {
        // "looks neutral" reads as a judgement; "composed" is what the portrait shows.
        Emotion::Neutral => "composed",
        other => other.label(),
    }
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
