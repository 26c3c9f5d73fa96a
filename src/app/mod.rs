//! The desktop app. Logic plugins (no egui) run headless in tests; the UI plugins draw with
//! egui. To add a screen: a variant in [`screens::Screen`], a module in `screens/` with a
//! `plugin` (logic) and a `ui_plugin` (drawing), both registered in `screens/mod.rs`.

pub mod automation;
mod egui_config;
pub mod portrait;
pub mod scenarios;
pub mod screens;
pub mod settings;
mod theme;
mod widgets;

use std::path::PathBuf;

use attune_core::assets::AssetCatalog;
use bevy::asset::io::AssetSourceBuilder;
use bevy::prelude::*;

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
pub fn register_sources(app: &mut App, paths: &AppPaths) {
    app.register_asset_source(
        scenarios::SOURCE,
        AssetSourceBuilder::platform_default(&paths.scenarios.to_string_lossy(), None),
    );
}

/// Everything but drawing: assets, the library, screens and sessions, settings, results.
/// Needs `AppPaths` inserted, and asset and state plugins added, first.
pub fn logic_plugin(app: &mut App) {
    app.add_plugins((
        settings::plugin,
        scenarios::plugin,
        portrait::plugin,
        screens::plugin,
    ));
}

/// The egui views of every screen.
pub fn ui_plugin(app: &mut App) {
    app.add_plugins((
        egui_config::plugin,
        theme::plugin,
        settings::ui_plugin,
        screens::ui_plugin,
    ));
}
