//! Client portraits, drawn from the parameters in `assets/portraits/<name>.portrait.ron` with
//! egui's painter, so the expression can follow the client's emotion. Nothing is downloaded.

use std::collections::HashMap;

use attune_core::assets::{HairStyle, PORTRAIT_EXTENSION, Portrait};
use attune_core::model::Emotion;
use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, Pos2, Stroke, pos2, vec2};

use super::AppPaths;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Portraits>()
        .add_systems(Startup, load_portraits);
}

#[derive(Resource, Debug, Default)]
pub struct Portraits(HashMap<String, Portrait>);

impl Portraits {
    pub fn get(&self, name: &str) -> Option<&Portrait> {
        self.0.get(name)
    }
}

fn load_portraits(paths: Res<AppPaths>, mut portraits: ResMut<Portraits>) {
    for name in &paths.catalog.portraits {
        let path = paths
            .assets
            .join("portraits")
            .join(format!("{name}{PORTRAIT_EXTENSION}"));
        match attune_core::files::read_limited(&path, attune_core::limits::PORTRAIT_FILE_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
            .and_then(|t| Portrait::parse(&t).map_err(|e| e.to_string()))
        {
            Ok(p) => {
                portraits.0.insert(name.clone(), p);
            }
            Err(err) => warn!("portrait {}: {err}", path.display()),
        }
    }
}

fn color(hex: &str, fallback: Color32) -> Color32 {
    let hex = hex.trim_start_matches('#');
    if hex.len() != 6 {
        return fallback;
    }
    match u32::from_str_radix(hex, 16) {
        Ok(v) => Color32::from_rgb((v >> 16) as u8, (v >> 8) as u8, v as u8),
        Err(_) => fallback,
    }
}

/// How the face is set for an emotion: brow tilt (+ inner ends raised), mouth curve (+ smile),
/// eye openness (1 = open), gaze down.
struct Expression {
    brow_tilt: f32,
    brow_lower: f32,
    mouth_curve: f32,
    eye_open: f32,
    gaze_down: f32,
    tears: bool,
}

fn expression(emotion: Emotion) -> Expression {
    let e = |brow_tilt, brow_lower, mouth_curve, eye_open, gaze_down| Expression {
        brow_tilt,
        brow_lower,
        mouth_curve,
        eye_open,
        gaze_down,
        tears: false,
    };
    match emotion {
        Emotion::Neutral => e(0.0, 0.0, 0.0, 1.0, 0.0),
        Emotion::Sad => e(0.6, 0.0, -0.6, 0.8, 0.3),
        Emotion::Tearful => Expression {
            tears: true,
            ..e(0.8, 0.0, -0.7, 0.7, 0.4)
        },
        Emotion::Anxious => e(0.7, -0.2, -0.3, 1.2, 0.0),
        Emotion::Angry => e(-0.8, 0.4, -0.5, 0.8, 0.0),
        Emotion::Guarded => e(-0.2, 0.3, -0.2, 0.7, 0.0),
        Emotion::Ashamed => e(0.5, 0.0, -0.4, 0.6, 0.8),
        Emotion::Flat => e(0.0, 0.1, 0.0, 0.6, 0.1),
        Emotion::Relieved => e(0.3, -0.1, 0.5, 0.8, 0.0),
        Emotion::Hopeful => e(0.2, -0.2, 0.7, 1.0, 0.0),
    }
}

/// Draws a portrait in a square of `size` points; a neutral silhouette when there is none.
pub fn draw_portrait(
    ui: &mut egui::Ui,
    portrait: Option<&Portrait>,
    emotion: Emotion,
    size: f32,
) -> egui::Response {
    let (response, painter) = ui.allocate_painter(vec2(size, size), egui::Sense::hover());
    let rect = response.rect;
    let s = size / 200.0; // drawn on a 200×200 grid
    let at = |x: f32, y: f32| pos2(rect.left() + x * s, rect.top() + y * s);
    let grey = Color32::from_gray(160);
    let (skin, hair, backdrop) = match portrait {
        Some(p) => (
            color(&p.skin, grey),
            color(&p.hair, Color32::from_gray(60)),
            color(&p.backdrop, Color32::from_gray(225)),
        ),
        None => (grey, Color32::from_gray(110), Color32::from_gray(225)),
    };
    let ink = Color32::from_rgb(0x33, 0x2a, 0x26);
    painter.rect_filled(rect, 16.0 * s, backdrop);

    // Shoulders and neck.
    painter.add(egui::Shape::convex_polygon(
        vec![
            at(30.0, 200.0),
            at(50.0, 160.0),
            at(150.0, 160.0),
            at(170.0, 200.0),
        ],
        Color32::from_rgb(0x6a, 0x78, 0x8a),
        Stroke::NONE,
    ));
    painter.rect_filled(
        egui::Rect::from_min_max(at(86.0, 128.0), at(114.0, 165.0)),
        4.0 * s,
        skin,
    );

    let style = portrait.map(|p| p.hair_style);
    // Hair behind the head.
    match style {
        Some(HairStyle::Long) => {
            painter.rect_filled(
                egui::Rect::from_min_max(at(52.0, 60.0), at(148.0, 170.0)),
                30.0 * s,
                hair,
            );
        }
        Some(HairStyle::Bun) => {
            painter.circle_filled(at(100.0, 30.0), 18.0 * s, hair);
        }
        Some(HairStyle::Curly) => {
            for (x, y) in [
                (62.0, 62.0),
                (80.0, 44.0),
                (100.0, 38.0),
                (120.0, 44.0),
                (138.0, 62.0),
                (58.0, 84.0),
                (142.0, 84.0),
            ] {
                painter.circle_filled(at(x, y), 17.0 * s, hair);
            }
        }
        _ => {}
    }
    // Head.
    painter.add(egui::epaint::EllipseShape::filled(
        at(100.0, 88.0),
        vec2(44.0 * s, 54.0 * s),
        skin,
    ));
    // Hair on top.
    match style {
        Some(HairStyle::Short | HairStyle::Long | HairStyle::Bun) => {
            painter.add(egui::epaint::EllipseShape::filled(
                at(100.0, 50.0),
                vec2(45.0 * s, 19.0 * s),
                hair,
            ));
        }
        Some(HairStyle::Cropped) => {
            painter.add(egui::epaint::EllipseShape::filled(
                at(100.0, 48.0),
                vec2(42.0 * s, 16.0 * s),
                hair,
            ));
        }
        Some(HairStyle::Curly) => {
            painter.add(egui::epaint::EllipseShape::filled(
                at(100.0, 50.0),
                vec2(44.0 * s, 20.0 * s),
                hair,
            ));
        }
        Some(HairStyle::Bald) | None => {}
    }

    let x = expression(emotion);
    let eye_y = 86.0 + x.gaze_down * 3.0;
    for side in [-1.0f32, 1.0] {
        let cx = 100.0 + side * 17.0;
        // Eye: an ellipse whose height follows openness; the pupil drops with the gaze.
        painter.add(egui::epaint::EllipseShape::filled(
            at(cx, eye_y),
            vec2(7.0 * s, 4.5 * s * x.eye_open),
            Color32::WHITE,
        ));
        painter.circle_filled(at(cx, eye_y + x.gaze_down * 1.5), 2.6 * s, ink);
        // Brow: inner end raised for sadness/worry, lowered for anger.
        let inner = pos2(
            cx - side * 8.0,
            74.0 - x.brow_tilt * 5.0 + x.brow_lower * 3.0,
        );
        let outer = pos2(
            cx + side * 9.0,
            74.0 + x.brow_tilt * 2.0 + x.brow_lower * 3.0,
        );
        let brow = Color32::from_rgb(hair.r() / 2, hair.g() / 2, hair.b() / 2);
        painter.line_segment(
            [at(inner.x, inner.y), at(outer.x, outer.y)],
            Stroke::new(3.0 * s, brow),
        );
        if x.tears {
            painter.circle_filled(
                at(cx + side * 3.0, eye_y + 11.0),
                2.2 * s,
                Color32::from_rgb(0x8f, 0xc1, 0xe3),
            );
        }
    }
    if portrait.is_some_and(|p| p.glasses) {
        for side in [-1.0f32, 1.0] {
            painter.circle_stroke(
                at(100.0 + side * 17.0, eye_y),
                11.0 * s,
                Stroke::new(2.0 * s, ink),
            );
        }
        painter.line_segment(
            [at(94.0, eye_y), at(106.0, eye_y)],
            Stroke::new(2.0 * s, ink),
        );
    }
    // Nose.
    painter.line_segment(
        [at(100.0, 92.0), at(97.0, 104.0)],
        Stroke::new(1.5 * s, skin.gamma_multiply(0.6)),
    );
    if portrait.is_some_and(|p| p.beard) {
        painter.add(egui::epaint::EllipseShape::filled(
            at(100.0, 124.0),
            vec2(30.0 * s, 16.0 * s),
            hair,
        ));
    }
    // Mouth: a quadratic curve, up for a smile, down for sadness.
    let mouth: Vec<Pos2> = (0..=12)
        .map(|i| {
            let t = i as f32 / 12.0;
            let px = 86.0 + 28.0 * t;
            let py = 118.0 + x.mouth_curve * 6.0 * (1.0 - (2.0 * t - 1.0).powi(2));
            at(px, py)
        })
        .collect();
    painter.add(egui::Shape::line(
        mouth,
        Stroke::new(2.5 * s, Color32::from_rgb(0x8a, 0x4b, 0x45)),
    ));
    response.on_hover_text(format!("Looks {}", super::widgets::emotion_word(emotion)))
}
