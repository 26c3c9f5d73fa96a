//! Applies the trainee's settings (theme, text size) to egui. A calm, readable look: soft
//! backgrounds, generous spacing, one accent colour.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::settings::{Settings, Theme};

pub(super) fn plugin(app: &mut App) {
    // The theme sets the clear colour: it is the window's background.
    app.init_resource::<ClearColor>()
        .add_systems(EguiPrimaryContextPass, apply_theme);
}

fn apply_theme(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut applied: Local<Option<Settings>>,
    mut clear: ResMut<ClearColor>,
) -> Result {
    if applied.as_ref() == Some(&*settings) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let visuals = visuals(settings.theme);
    // The background is the camera's clear, not an egui panel fill. egui paints every pixel
    // it fills through a textured, gamma-converting shader: on a software renderer (Mesa's
    // llvmpipe, as on many remote and virtual lab desktops) a full-window fill costs about as
    // much as the rest of the frame, where the clear is a memset. Panels stay transparent.
    clear.0 = colour_of(visuals.panel_fill);
    ctx.set_visuals(egui::Visuals {
        panel_fill: egui::Color32::TRANSPARENT,
        ..visuals
    });
    ctx.set_zoom_factor(settings.text_scale);
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 6.0);
        for (text_style, size) in [
            (egui::TextStyle::Heading, 22.0),
            (egui::TextStyle::Body, 15.0),
            (egui::TextStyle::Button, 15.0),
            (egui::TextStyle::Small, 12.0),
            (egui::TextStyle::Monospace, 13.0),
        ] {
            if let Some(font) = style.text_styles.get_mut(&text_style) {
                font.size = size;
            }
        }
        style.animation_time = if settings.reduced_motion { 0.0 } else { 0.1 };
    });
    *applied = Some(settings.clone());
    Ok(())
}

fn colour_of(c: egui::Color32) -> Color {
    Color::srgba_u8(c.r(), c.g(), c.b(), c.a())
}

/// The theme's look, with `panel_fill` the colour behind everything.
fn visuals(theme: Theme) -> egui::Visuals {
    match theme {
        Theme::Light => {
            let mut v = egui::Visuals::light();
            v.panel_fill = egui::Color32::from_rgb(0xf6, 0xf4, 0xf0);
            v.window_fill = egui::Color32::from_rgb(0xfb, 0xfa, 0xf7);
            v.faint_bg_color = egui::Color32::from_rgb(0xfd, 0xfc, 0xfa);
            v.extreme_bg_color = egui::Color32::from_rgb(0xea, 0xef, 0xec);
            v.selection.bg_fill = egui::Color32::from_rgb(0x5b, 0x8a, 0x7a);
            v.selection.stroke.color = egui::Color32::from_rgb(0x2f, 0x5d, 0x50);
            v.hyperlink_color = egui::Color32::from_rgb(0x2f, 0x5d, 0x50);
            v
        }
        Theme::Dark => {
            let mut v = egui::Visuals::dark();
            v.panel_fill = egui::Color32::from_rgb(0x22, 0x25, 0x27);
            v.extreme_bg_color = egui::Color32::from_rgb(0x2d, 0x33, 0x31);
            v.selection.bg_fill = egui::Color32::from_rgb(0x4f, 0x7d, 0x6e);
            v
        }
        Theme::HighContrast => {
            let mut v = egui::Visuals::dark();
            v.panel_fill = egui::Color32::BLACK;
            v.window_fill = egui::Color32::BLACK;
            v.faint_bg_color = egui::Color32::BLACK;
            v.extreme_bg_color = egui::Color32::from_gray(20);
            v.override_text_color = Some(egui::Color32::WHITE);
            v.widgets.inactive.bg_stroke = egui::Stroke::new(2.0, egui::Color32::WHITE);
            v.widgets.noninteractive.bg_stroke = egui::Stroke::new(1.5, egui::Color32::WHITE);
            v.selection.bg_fill = egui::Color32::from_rgb(0x00, 0x5f, 0xcc);
            v.selection.stroke = egui::Stroke::new(3.0, egui::Color32::YELLOW);
            v
        }
    }
}
