//! bevy_egui set-up and the one workaround it needs.

use bevy::prelude::*;
use bevy_egui::{EguiInput, EguiPlugin, EguiPreUpdateSet, egui};

pub(super) fn plugin(app: &mut App) {
    if !app.is_plugin_added::<EguiPlugin>() {
        app.add_plugins(EguiPlugin::default());
    }
    app.add_systems(
        PreUpdate,
        drop_unchanged_modifiers
            .after(EguiPreUpdateSet::ProcessInput)
            .before(EguiPreUpdateSet::BeginPass),
    );
}

/// bevy_egui 0.42 reports the modifier keys as changed on every frame; egui takes any input
/// event as a reason to repaint at once, so the window would redraw forever and an idle app
/// would use a whole core. Keep the report only when the modifiers really changed.
fn drop_unchanged_modifiers(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        input.0.events.retain(|event| match event {
            egui::Event::ModifiersChanged(modifiers) => {
                let changed = *last != Some(*modifiers);
                *last = Some(*modifiers);
                changed
            }
            _ => true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events_after_update(app: &mut App, entity: Entity, modifiers: egui::Modifiers) -> usize {
        app.world_mut()
            .get_mut::<EguiInput>(entity)
            .unwrap()
            .0
            .events = vec![
            egui::Event::ModifiersChanged(modifiers),
            egui::Event::Text("a".into()),
        ];
        app.update();
        app.world().get::<EguiInput>(entity).unwrap().0.events.len()
    }

    #[test]
    fn only_real_modifier_changes_reach_egui() {
        let mut app = App::new();
        app.add_systems(Update, drop_unchanged_modifiers);
        let entity = app.world_mut().spawn(EguiInput::default()).id();
        assert_eq!(
            events_after_update(&mut app, entity, egui::Modifiers::NONE),
            2,
            "the first report passes"
        );
        assert_eq!(
            events_after_update(&mut app, entity, egui::Modifiers::NONE),
            1,
            "a repeat is dropped, other events stay"
        );
        assert_eq!(
            events_after_update(&mut app, entity, egui::Modifiers::SHIFT),
            2,
            "a change passes"
        );
    }
}
