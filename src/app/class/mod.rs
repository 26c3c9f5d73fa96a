//! The classroom in the app: projector mode for facilitated group sessions, and the instructor
//! view of a class's results. Each is a screen with a logic plugin and a drawing plugin, as in
//! `screens/`.

pub mod instructor;
pub mod projector;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((projector::plugin, instructor::plugin));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins((projector::ui_plugin, instructor::ui_plugin));
}
