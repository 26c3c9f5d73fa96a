//! What a frame costs before the app draws anything: a Bevy window with bevy_egui, the same
//! camera as the app and one line of text, redrawn continuously. `benches/map.sh` runs it under
//! Xvfb beside the map's frame times, so they can be read against what the renderer itself
//! costs on the machine (with Mesa's llvmpipe the whole frame is drawn on the CPU).
//!
//!   xvfb-run -a -s "-screen 0 1280x800x24" cargo bench --bench window_floor [-- fill]
//!
//! With `fill`, one full-window egui panel is painted as well: what one layer of egui fill
//! costs, the reason the app's background is the camera's clear colour.

use bevy::diagnostic::{DiagnosticsStore, FrameTimeDiagnosticsPlugin};
use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

/// Frames drawn before measuring (pipelines compile, fonts load), then frames measured.
const WARM_UP: u32 = 60;
const MEASURED: u32 = 300;

#[derive(Resource)]
struct Fill(bool);

fn main() {
    let fill = std::env::args().any(|a| a == "fill");
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                resolution: (1280u32, 800u32).into(),
                ..default()
            }),
            ..default()
        }))
        .add_plugins((
            EguiPlugin::default(),
            FrameTimeDiagnosticsPlugin::new(MEASURED as usize),
        ))
        .insert_resource(WinitSettings::continuous())
        .insert_resource(Fill(fill))
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn((Camera2d, Msaa::Off));
        })
        .add_systems(EguiPrimaryContextPass, draw_and_measure)
        .run();
}

fn draw_and_measure(
    mut contexts: EguiContexts,
    fill: Res<Fill>,
    diagnostics: Res<DiagnosticsStore>,
    mut frames: Local<u32>,
    mut exit: MessageWriter<AppExit>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let frame = if fill.0 {
        egui::Frame::central_panel(&ctx.global_style())
    } else {
        egui::Frame::NONE
    };
    let mut root = egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::CentralPanel::default()
        .frame(frame)
        .show(&mut root, |ui| ui.label(format!("frame {}", *frames)));
    *frames += 1;
    if *frames == WARM_UP + MEASURED {
        let times = diagnostics
            .get(&FrameTimeDiagnosticsPlugin::FRAME_TIME)
            .map(|d| d.values().copied().collect::<Vec<f64>>())
            .unwrap_or_default();
        let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
        println!(
            "window-floor {}: {} frames, mean {mean:.2} ms ({:.1} fps)",
            if fill.0 {
                "one full-window fill"
            } else {
                "empty"
            },
            times.len(),
            1000.0 / mean
        );
        exit.write(AppExit::Success);
    }
    Ok(())
}
