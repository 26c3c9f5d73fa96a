//! The desktop app, assembled by one [`AppPlugin`]: windowed for people, headless (the same
//! logic, no window or drawing) for tests. Logic plugins (no egui) run in both; the UI plugins
//! draw with egui. To add a screen: a variant in [`screens::Screen`], a module in `screens/`
//! with a `plugin` (logic) and a `ui_plugin` (drawing), both registered in `screens/mod.rs`.

pub mod author;
#[cfg(feature = "dev")]
pub mod automation;
pub mod class;
mod egui_config;
pub mod portrait;
pub mod results_folder;
pub mod scenarios;
pub mod screens;
pub mod settings;
mod theme;
pub mod wake;
mod widgets;

use std::path::PathBuf;

use attune_core::assets::AssetCatalog;
use bevy::asset::io::AssetSourceBuilder;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::winit::WinitSettings;

/// The whole app. `cargo run` builds it with a window; tests build it headless.
pub struct AppPlugin {
    pub paths: AppPaths,
    pub display: Display,
}

/// Where the app shows itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// A real window drawn with egui.
    Window,
    /// No window and no drawing: the logic driven by `Action` messages (tests). Scenario files
    /// are watched, as in the window.
    Headless,
}

impl Plugin for AppPlugin {
    fn build(&self, app: &mut App) {
        let paths = &self.paths;
        app.insert_resource(paths.clone());
        // The `scenarios://` source must exist before the asset plugin starts.
        register_sources(app, paths);
        let assets = AssetPlugin {
            file_path: paths.assets.to_string_lossy().into_owned(),
            ..default()
        };
        match self.display {
            Display::Window => {
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
                        .set(assets),
                )
                // A calm desktop app: redraw only on input or when egui asks, so an idle
                // window costs next to no CPU.
                .insert_resource(WinitSettings::desktop_app())
                .add_systems(Startup, spawn_camera);
            }
            Display::Headless => {
                app.add_plugins((
                    MinimalPlugins,
                    AssetPlugin {
                        watch_for_changes_override: Some(true),
                        ..assets
                    },
                    StatesPlugin,
                ));
            }
        }
        // A failing system logs and the app keeps running; failures users must see are in
        // the UI.
        app.set_error_handler(bevy::ecs::error::warn);
        app.add_plugins(logic_plugin);
        if self.display == Display::Window {
            app.add_plugins(ui_plugin);
        }
    }
}

fn spawn_camera(mut commands: Commands) {
    // Everything on screen is egui, which antialiases its own shapes: multisampling would only
    // clear and resolve four samples a pixel for nothing (the most of a frame on a software
    // renderer).
    commands.spawn((Name::new("Camera"), Camera2d, Msaa::Off));
}

/// Where the app reads and writes.
#[derive(Resource, Debug, Clone)]
pub struct AppPaths {
    pub scenarios: PathBuf,
    pub assets: PathBuf,
    pub results: PathBuf,
    /// The settings file (text size, theme, trainee id); `None` keeps settings in memory only.
    pub settings: Option<PathBuf>,
    /// The portraits under `assets/portraits`.
    pub catalog: AssetCatalog,
}

impl AppPaths {
    pub fn new(
        scenarios: PathBuf,
        assets: PathBuf,
        results: PathBuf,
        settings: Option<PathBuf>,
    ) -> Self {
        let scenarios = std::path::absolute(&scenarios).unwrap_or(scenarios);
        let assets = std::path::absolute(&assets).unwrap_or(assets);
        let catalog = AssetCatalog::from_dir(&assets).unwrap_or_default();
        AppPaths {
            scenarios,
            assets,
            results,
            settings,
            catalog,
        }
    }
}

/// Registers the `scenarios://` asset source. Must run before `AssetPlugin` is added.
fn register_sources(app: &mut App, paths: &AppPaths) {
    app.register_asset_source(
        scenarios::SOURCE,
        AssetSourceBuilder::platform_default(&paths.scenarios.to_string_lossy(), None),
    );
}

/// Everything but drawing: assets, the library, screens and sessions, settings, results.
fn logic_plugin(app: &mut App) {
    app.add_plugins((
        settings::plugin,
        scenarios::plugin,
        portrait::plugin,
        screens::plugin,
        author::plugin,
        wake::plugin,
        // After `screens`, which sets up the screen states it runs on entering.
        results_folder::plugin,
        class::plugin,
    ));
}

/// The egui views of every screen.
fn ui_plugin(app: &mut App) {
    app.add_plugins((
        egui_config::plugin,
        theme::plugin,
        settings::ui_plugin,
        screens::ui_plugin,
        class::ui_plugin,
        author::ui_plugin,
    ));
}
