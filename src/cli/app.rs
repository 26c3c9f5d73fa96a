//! `attune` / `attune app`: the desktop app.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::winit::WinitSettings;

use super::exit;
use super::scenario_file::default_results_dir;
use crate::app::automation::Automation;
use crate::app::scenarios::default_scenarios_dir;
use crate::app::{AppPaths, logic_plugin, register_sources, ui_plugin};

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// The folder of `*.scenario.ron` files (default: `scenarios/`).
    #[arg(long, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// The assets folder with `portraits/` (default: `assets/`).
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,
    /// Where results are saved (default: your user data folder).
    #[arg(long, value_name = "DIR")]
    results: Option<PathBuf>,
    /// Open this scenario (id or file name) straight away, skipping the library.
    #[arg(long, value_name = "ID")]
    scenario: Option<String>,
    /// With --scenario: the seed (default 1).
    #[arg(long)]
    seed: Option<u64>,
    /// With --scenario: play in assessment mode instead of practice.
    #[arg(long)]
    assessment: bool,
    /// With --scenario: a scripted path (option numbers, choice ids, `h`, `b`).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    choices: Vec<String>,
    /// With --scenario: begin the session even without --choices (instead of stopping at the briefing).
    #[arg(long)]
    begin: bool,
    /// Save a screenshot of the window once the path is played, then exit.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// For `benches/app.sh`: print when the first library frame is drawn, then exit.
    #[arg(long, hide = true)]
    report_startup: bool,
}

pub fn run(args: Args) -> u8 {
    // The app draws through X11 (XWayland on Wayland desktops); without a display winit would
    // panic, so say what is wrong instead.
    if cfg!(target_os = "linux") && std::env::var_os("DISPLAY").is_none() {
        eprintln!(
            "error: no display to open the app on (DISPLAY is not set)\nhelp: run it from a desktop session, or use the terminal tools: `attune play SCENARIO`, `attune check PATH`"
        );
        return exit::USAGE;
    }
    let Some(results) = args.results.clone().or_else(default_results_dir) else {
        eprintln!("error: no user data folder on this system; give one with --results DIR");
        return exit::USAGE;
    };
    let assets = args.assets.clone().unwrap_or_else(|| {
        let here = PathBuf::from("assets");
        if here.is_dir() {
            here
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
        }
    });
    let settings = directories::ProjectDirs::from("org", "Attune", "attune")
        .map(|d| d.config_dir().join("settings.ron"));
    let paths = AppPaths::new(
        args.scenarios.clone().unwrap_or_else(default_scenarios_dir),
        assets,
        results,
        settings,
    );
    let scripted = args.scenario.is_some() || args.screenshot.is_some() || args.report_startup;

    let mut app = App::new();
    app.insert_resource(paths.clone());
    register_sources(&mut app, &paths);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Attune — counselling skills practice".into(),
                    resolution: (1280u32, 800u32).into(),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: paths.assets.to_string_lossy().into_owned(),
                ..default()
            }),
    )
    // A calm desktop app: redraw only on input or when egui asks, so an idle window costs
    // next to no CPU. Scripted runs draw continuously so they never wait for input.
    .insert_resource(if scripted {
        WinitSettings::continuous()
    } else {
        WinitSettings::desktop_app()
    })
    .insert_resource(ClearColor(Color::srgb(0.96, 0.95, 0.94)))
    .add_systems(Startup, spawn_camera);
    // A failing system logs and the app keeps running; failures users must see are in the UI.
    app.set_error_handler(bevy::ecs::error::warn);
    app.add_plugins((logic_plugin, ui_plugin));
    if scripted {
        app.insert_resource(Automation::new(
            args.scenario.clone(),
            if args.assessment {
                attune_core::engine::Mode::Assessment
            } else {
                attune_core::engine::Mode::Practice
            },
            args.seed.unwrap_or(1),
            args.choices.clone(),
            args.begin,
            args.screenshot.clone(),
        ))
        .add_plugins(crate::app::automation::plugin);
    }
    if args.report_startup {
        app.insert_resource(crate::app::automation::ReportStartup);
    }
    match app.run() {
        AppExit::Success => exit::OK,
        AppExit::Error(_) => exit::PROBLEMS,
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("Camera"), Camera2d));
}
