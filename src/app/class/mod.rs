//! The classroom in the app: projector mode for facilitated group sessions, the instructor
//! view of a class's results, and exercise mode for a trainee playing a class's exercise. Each is a screen with a logic plugin and a drawing plugin, as in
//! `screens/`.

pub mod exercise;
pub mod instructor;
pub mod projector;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((projector::plugin, instructor::plugin, exercise::plugin));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins((
        projector::ui_plugin,
        instructor::ui_plugin,
        exercise::ui_plugin,
    ));
}
