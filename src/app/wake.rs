//! Waking the app for changes that are not input. The window redraws only on input
//! (`WinitSettings::desktop_app`, so an idle window costs next to no CPU), and Bevy's asset
//! watcher does not wake it: a scenario saved from an editor beside the app would show only
//! when the mouse next moved over the window. Here a watcher on the scenarios folder wakes the
//! event loop when a file changes, and the app then keeps updating, briefly, until the asset
//! server has read the new version and the screen shows it. Idle, nothing runs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::asset::LoadState;
use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::AppPaths;
use super::scenarios::Library;

pub(super) fn plugin(app: &mut App) {
    if !app.world().contains_resource::<Messages<RequestRedraw>>() {
        app.add_message::<RequestRedraw>();
    }
    app.init_resource::<Wakeups>()
        .add_systems(Startup, watch_scenarios)
        .add_systems(Update, keep_updating_while_reloading);
}

/// After a change on disk, the app updates continuously for this long (Bevy's watcher waits
/// 300 ms for writes to settle, then the file is read and checked), and for as long as a
/// scenario is still loading.
const SETTLE: Duration = Duration::from_secs(2);

/// What the watcher thread shares with the app.
#[derive(Resource, Clone, Default)]
pub struct Wakeups {
    inner: Arc<WakeState>,
}

#[derive(Default)]
struct WakeState {
    /// Changes seen in the scenarios folder.
    changes: AtomicU64,
    last_change: Mutex<Option<Instant>>,
    /// Wakes the window's event loop (absent headless).
    #[cfg_attr(not(feature = "hot_reload"), allow(dead_code))]
    waker: Mutex<Option<Box<dyn Fn() + Send>>>,
    /// The watcher lives as long as the app.
    #[cfg(feature = "hot_reload")]
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
}

impl Wakeups {
    /// How many changes to the scenarios folder the watcher has seen.
    pub fn changes(&self) -> u64 {
        self.inner.changes.load(Ordering::SeqCst)
    }

    /// Whether the app should keep updating: a change was seen within [`SETTLE`].
    fn settling(&self) -> bool {
        self.inner
            .last_change
            .lock()
            .ok()
            .and_then(|t| *t)
            .is_some_and(|t| t.elapsed() < SETTLE)
    }

    /// Called from the watcher's thread.
    #[cfg_attr(not(feature = "hot_reload"), allow(dead_code))]
    fn changed(&self) {
        if let Ok(mut last) = self.inner.last_change.lock() {
            *last = Some(Instant::now());
        }
        self.inner.changes.fetch_add(1, Ordering::SeqCst);
        if let Ok(waker) = self.inner.waker.lock()
            && let Some(wake) = waker.as_ref()
        {
            wake();
        }
    }
}

#[cfg(feature = "hot_reload")]
fn watch_scenarios(
    wakeups: Res<Wakeups>,
    paths: Res<AppPaths>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
) {
    use notify::Watcher;

    if let Some(proxy) = proxy {
        let proxy: bevy::winit::EventLoopProxy<bevy::winit::WinitUserEvent> = (**proxy).clone();
        if let Ok(mut waker) = wakeups.inner.waker.lock() {
            *waker = Some(Box::new(move || {
                // Fails only once the event loop has closed, when there is nothing to wake.
                let _ = proxy.send_event(bevy::winit::WinitUserEvent::WakeUp);
            }));
        }
    }
    let shared = wakeups.clone();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            shared.changed();
        }
    });
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(err) => {
            warn!("saved scenarios will show only on the next input: {err}");
            return;
        }
    };
    if let Err(err) = watcher.watch(&paths.scenarios, notify::RecursiveMode::NonRecursive) {
        warn!(
            "saved scenarios will show only on the next input: cannot watch {}: {err}",
            paths.scenarios.display()
        );
        return;
    }
    if let Ok(mut slot) = wakeups.inner.watcher.lock() {
        *slot = Some(watcher);
    }
}

/// Without hot reload nothing changes on disk that the app would show.
#[cfg(not(feature = "hot_reload"))]
fn watch_scenarios(_wakeups: Res<Wakeups>, _paths: Res<AppPaths>) {}

/// Asks for another frame while a change is settling or a scenario is loading, so the new
/// version reaches the screen without input.
fn keep_updating_while_reloading(
    wakeups: Res<Wakeups>,
    library: Res<Library>,
    assets: Res<AssetServer>,
    mut redraws: MessageWriter<RequestRedraw>,
) {
    let loading = || {
        library.entries.iter().any(|e| {
            matches!(
                assets.get_load_state(e.handle.id()),
                Some(LoadState::Loading)
            )
        })
    };
    if wakeups.settling() || loading() {
        redraws.write(RequestRedraw);
    }
}
