//! `attune` / `attune app`: parses the app's options and runs [`AppPlugin`].

use std::path::PathBuf;

use bevy::prelude::*;

use super::exit;
use super::scenario_file::default_results_dir;
use crate::app::scenarios::default_scenarios_dir;
use crate::app::{AppPaths, AppPlugin, Display};

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
    /// Open in projector mode, for a facilitated group session (large text, the room's votes).
    #[arg(long)]
    projector: bool,
    /// Open the instructor view of this results folder: the class report as charts and tables.
    #[arg(long, value_name = "DIR", conflicts_with = "projector")]
    instructor: Option<PathBuf>,
    /// Play an exercise (`*.exercise.ron`) as a trainee: only its scenarios, with its mode,
    /// seed, hints and attempts, each run saved into its results folder. Asks for your trainee
    /// id once unless --trainee gives it.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["projector", "instructor", "results"]
    )]
    exercise: Option<PathBuf>,
    /// With --exercise: your pseudonymous trainee id (instead of being asked).
    #[arg(long, requires = "exercise")]
    trainee: Option<String>,
    /// Start in author mode: ids, scores, the scenario map and live state (practice sessions).
    #[arg(long)]
    author: bool,
    /// Test and screenshot automation (builds with the `dev` feature only).
    #[cfg(feature = "dev")]
    #[command(flatten)]
    script: crate::app::automation::Script,
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

    let mut app = App::new();
    app.add_plugins(AppPlugin {
        paths,
        display: Display::Window,
    });
    if args.projector {
        crate::app::class::projector::open_at_start(&mut app);
    }
    if let Some(folder) = args.instructor.clone() {
        crate::app::class::instructor::open_at_start(&mut app, folder);
    }
    if let Some(file) = &args.exercise {
        crate::app::class::exercise::open_at_start(&mut app, file, args.trainee.clone());
    }
    if args.author {
        app.insert_resource(crate::app::author::StartInAuthorMode);
    }
    #[cfg(feature = "dev")]
    args.script.install(&mut app);
    match app.run() {
        AppExit::Success => exit::OK,
        AppExit::Error(_) => exit::PROBLEMS,
    }
}
