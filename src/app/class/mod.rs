//! The classroom in the app: projector mode for facilitated group sessions. Each part is a
//! screen with a logic plugin and a drawing plugin, as in `screens/`.

pub mod projector;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(projector::plugin);
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins(projector::ui_plugin);
}
