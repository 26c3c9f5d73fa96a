//! Scenarios as Bevy assets. The loader runs the same core loader and checks as `attune check`,
//! so the app shows authors the same diagnostics. It never fails on a broken file: the asset
//! carries the diagnostics, and the [`Library`] keeps the last good version playable.

use std::path::PathBuf;
use std::sync::Arc;

use attune_core::diagnostics::{self, Style};
use attune_core::{Loaded, Playable};
use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext};
use bevy::prelude::*;

use super::AppPaths;

pub(super) fn plugin(app: &mut App) {
    let paths = app.world().resource::<AppPaths>();
    let loader = ScenarioLoader {
        catalog: paths.catalog.clone(),
        dir: paths.scenarios.clone(),
    };
    app.init_asset::<ScenarioAsset>()
        .register_asset_loader(loader)
        .init_resource::<Library>()
        .add_systems(Startup, load_library)
        .add_systems(PreUpdate, update_library)
        .add_systems(Update, discover_new_files);
}

/// The asset source scenarios are loaded from: `scenarios://name.scenario.ron`.
pub const SOURCE: &str = "scenarios";

#[derive(Asset, TypePath, Debug)]
pub struct ScenarioAsset {
    pub loaded: Loaded,
}

#[derive(TypePath)]
pub struct ScenarioLoader {
    catalog: attune_core::assets::AssetCatalog,
    /// For file names in diagnostics, as `attune check` would print them.
    dir: PathBuf,
}

impl AssetLoader for ScenarioLoader {
    type Asset = ScenarioAsset;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        load_context: &mut LoadContext<'_>,
    ) -> Result<ScenarioAsset, Self::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        let path = self.dir.join(load_context.path().path());
        let loaded = attune_core::load_bytes(path, bytes, Some(&self.catalog));
        Ok(ScenarioAsset { loaded })
    }

    fn extensions(&self) -> &[&str] {
        &["scenario.ron"]
    }
}

/// One scenario file in the library.
#[derive(Debug)]
pub struct Entry {
    /// The file name within the scenarios folder; also the entry's stable key.
    pub file: String,
    pub handle: Handle<ScenarioAsset>,
    /// The newest version without errors: what is played.
    pub playable: Option<Arc<Playable>>,
    /// Problems in the newest version on disk, rendered as `attune check` prints them.
    pub problems: Vec<Problem>,
    /// Bumped whenever the playable version changes (hot reload).
    pub revision: u32,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub is_error: bool,
    /// `file:line:col: error[code]: message`.
    pub headline: String,
    /// `line:col: error[code]: message`.
    pub short: String,
    /// The snippet with a caret, as the CLI shows it.
    pub detail: String,
}

impl Entry {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.is_error)
    }
}

#[derive(Resource, Debug, Default)]
pub struct Library {
    pub entries: Vec<Entry>,
    /// Set when the scenarios folder itself could not be read.
    pub folder_error: Option<String>,
}

impl Library {
    pub fn entry(&self, file: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.file == file)
    }

    /// The entry whose scenario has this id (as `--scenario ID` names it) or file name.
    pub fn find(&self, id_or_file: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.file == id_or_file
                || e.file.trim_end_matches(".scenario.ron") == id_or_file
                || e.playable
                    .as_ref()
                    .is_some_and(|p| p.scenario().id.value.as_str() == id_or_file)
        })
    }

    /// Whether every file has been read at least once.
    pub fn is_ready(&self) -> bool {
        self.entries
            .iter()
            .all(|e| e.playable.is_some() || !e.problems.is_empty())
    }
}

fn scenario_files(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut files: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".scenario.ron") && !name.starts_with('.'))
        // A named pipe would hang its loader and a device never end: only ordinary files within
        // the size limit are loaded (`attune check` on the folder says what was left out).
        .filter(|name| {
            attune_core::files::check_regular(
                &dir.join(name),
                attune_core::limits::SCENARIO_FILE_BYTES,
            )
            .is_ok()
        })
        .collect();
    files.sort();
    Ok(files)
}

fn new_entry(assets: &AssetServer, file: String) -> Entry {
    Entry {
        handle: assets.load(format!("{SOURCE}://{file}")),
        file,
        playable: None,
        problems: Vec::new(),
        revision: 0,
    }
}

fn load_library(paths: Res<AppPaths>, assets: Res<AssetServer>, mut library: ResMut<Library>) {
    match scenario_files(&paths.scenarios) {
        Ok(files) => {
            library.entries = files
                .into_iter()
                .map(|file| new_entry(&assets, file))
                .collect();
            if library.entries.is_empty() {
                library.folder_error = Some(format!(
                    "There are no *.scenario.ron files in {}.",
                    paths.scenarios.display()
                ));
            }
        }
        Err(err) => {
            library.folder_error = Some(format!(
                "Cannot read the scenarios folder {}: {err}",
                paths.scenarios.display()
            ));
        }
    }
}

/// How often the scenarios folder is looked at for new files (changes to known files arrive
/// through the asset watcher).
const DISCOVERY_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// Adds scenario files saved into the folder while the app runs.
fn discover_new_files(
    paths: Res<AppPaths>,
    assets: Res<AssetServer>,
    mut library: ResMut<Library>,
    mut last_look: Local<Option<std::time::Instant>>,
) {
    if last_look.is_some_and(|t| t.elapsed() < DISCOVERY_INTERVAL) {
        return;
    }
    *last_look = Some(std::time::Instant::now());
    let Ok(files) = scenario_files(&paths.scenarios) else {
        return;
    };
    for file in files {
        if library.entry(&file).is_none() {
            let at = library.entries.partition_point(|e| e.file < file);
            let entry = new_entry(&assets, file);
            library.entries.insert(at, entry);
            library.folder_error = None;
        }
    }
}

/// Takes each newly loaded or changed version into the library.
fn update_library(
    mut events: MessageReader<AssetEvent<ScenarioAsset>>,
    assets: Res<Assets<ScenarioAsset>>,
    mut library: ResMut<Library>,
) {
    for event in events.read() {
        let (AssetEvent::LoadedWithDependencies { id } | AssetEvent::Modified { id }) = *event
        else {
            continue;
        };
        let Some(entry) = library.entries.iter_mut().find(|e| e.handle.id() == id) else {
            continue;
        };
        let Some(asset) = assets.get(id) else {
            continue;
        };
        let loaded = &asset.loaded;
        entry.problems = loaded
            .diagnostics
            .iter()
            .map(|d| Problem {
                is_error: d.is_error(),
                headline: diagnostics::render(&loaded.file, d, Style::Short),
                // The card already names the file: show `line:col: error[code]: message`.
                short: {
                    let headline = diagnostics::render(&loaded.file, d, Style::Short);
                    let prefix = format!("{}:", loaded.file.path.display());
                    headline
                        .strip_prefix(&prefix)
                        .map_or(headline.clone(), str::to_owned)
                },
                detail: diagnostics::render(&loaded.file, d, Style::Human { color: false }),
            })
            .collect();
        if let Some(playable) = &loaded.playable {
            entry.playable = Some(Arc::clone(playable));
            entry.revision += 1;
        }
    }
}

/// Where the app's files are.
pub fn default_scenarios_dir() -> PathBuf {
    let here = PathBuf::from("scenarios");
    if here.is_dir() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }
}
