//! Author mode's windows over the session screen: a small bar with the switches and what the
//! last save did, the map, the state panel and the saved file's errors. They send
//! [`AuthorAction`]s; the logic in [`super`] acts on them.

use std::sync::Arc;

use attune_author::lint::{LintThresholds, lint_scenario};
use attune_core::Playable;
use attune_core::playable::Target;
use bevy::prelude::*;
use bevy_egui::input::egui_wants_any_keyboard_input;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::map::{Highlight, MapAction, MapModel, MapView, Pending, map_view};
use super::state::{StateAction, preview, state_panel};
use super::{AuthorAction, AuthorMode, AuthorSession};
use crate::app::scenarios::{Library, ScenarioAsset};
use crate::app::screens::{ActiveSession, Screen};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<MapState>()
        .init_resource::<AuthorKeyboard>()
        .add_systems(
            Update,
            read_author_keys
                .run_if(in_state(Screen::Session).and_then(not(egui_wants_any_keyboard_input))),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw_author_windows.run_if(in_state(Screen::Session)),
        );
}

/// Whether an author window has the keyboard, so the session's keys (digits, arrows, Enter)
/// leave it alone.
#[derive(Resource, Debug, Default)]
pub struct AuthorKeyboard(pub bool);

/// The map of the scenario on screen, rebuilt when the version played changes.
#[derive(Resource, Default)]
pub struct MapState {
    model: Option<(Arc<Playable>, MapModel)>,
    pub view: MapView,
}

/// The map of `playable`, rebuilt (and linted) only when the version on screen changes.
fn ensure_model<'m>(
    slot: &'m mut Option<(Arc<Playable>, MapModel)>,
    view: &mut MapView,
    playable: &Arc<Playable>,
    assets: &Assets<ScenarioAsset>,
    library: &Library,
    file: &str,
) -> &'m MapModel {
    let stale = slot.as_ref().is_none_or(|(p, _)| !Arc::ptr_eq(p, playable));
    if stale {
        // Lint the version on screen, when the asset still holds its text (as `attune lint`).
        let findings = library
            .entry(file)
            .and_then(|e| assets.get(&e.handle))
            .filter(|a| {
                a.loaded
                    .playable
                    .as_ref()
                    .is_some_and(|p| Arc::ptr_eq(p, playable))
            })
            .map(|a| {
                lint_scenario(&a.loaded.file, playable, &LintThresholds::default()).diagnostics
            })
            .unwrap_or_default();
        // What `attune check` adds: nodes no session reaches, replies never offered.
        let mut findings = findings;
        findings.extend(attune_author::explore::check(playable));
        // Another version of the same scenario keeps the author's pan and zoom; another
        // scenario starts fitted.
        let other_scenario = slot
            .as_ref()
            .is_some_and(|(p, _)| p.scenario().id.value != playable.scenario().id.value);
        if other_scenario {
            *view = MapView::default();
        }
        *slot = Some((Arc::clone(playable), MapModel::of(playable, &findings)));
    }
    &slot.as_ref().expect("just built").1
}

fn read_author_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut actions: MessageWriter<AuthorAction>,
    active: Option<Res<ActiveSession>>,
) {
    let pressed = |k| keys.just_pressed(k);
    if pressed(KeyCode::F2) {
        actions.write(AuthorAction::Toggle);
    }
    if pressed(KeyCode::F3) {
        actions.write(AuthorAction::ToggleMap);
    }
    if pressed(KeyCode::F4) {
        actions.write(AuthorAction::ToggleStatePanel);
    }
    if pressed(KeyCode::F5)
        && let Some(node) = active.and_then(|a| a.session.node().map(|n| n.id.as_str().to_owned()))
    {
        actions.write(AuthorAction::JumpTo { node });
    }
}

/// The map's window: the map's own background, and no shadow. The window covers most of the
/// screen, and a shadow is filled under all of it; each full-window fill is as dear as the rest
/// of a frame on a software renderer, where panning must stay smooth (`benches/map.sh`).
fn map_frame(style: &egui::Style) -> egui::Frame {
    egui::Frame::window(style)
        .fill(style.visuals.extreme_bg_color)
        .shadow(egui::Shadow::NONE)
}

/// The vertices and edges of the way the session came, and where it is.
fn highlight_of(active: &ActiveSession, model: &MapModel) -> Highlight {
    let session = &active.session;
    let playable = session.playable();
    let mut highlight = Highlight::default();
    let mut previous: Option<usize> = None;
    for d in session.decisions().iter().filter(|d| !d.taken_back) {
        let at = playable.vertex(Target::Client(d.prompt.node)) as usize;
        if let Some(p) = previous {
            highlight.walked_edges.insert((p, at));
        }
        highlight.walked.insert(at);
        let next = playable.vertex(playable.choice_links(d.prompt.node, d.choice).next) as usize;
        highlight.walked_edges.insert((at, next));
        highlight.walked.insert(next);
        // Through a branch, the next decision's node follows the branch vertex.
        previous = model
            .nodes
            .get(next)
            .and_then(|n| (n.kind == attune_author::export::NodeKind::Branch).then_some(next));
    }
    let current = session
        .prompt()
        .map(|p| playable.vertex(Target::Client(p.node)) as usize);
    if let (Some(p), Some(c)) = (previous, current) {
        highlight.walked_edges.insert((p, c));
    }
    if let attune_core::engine::Status::Ended(e) = session.status() {
        highlight.current = Some(playable.vertex(Target::Ending(e)) as usize);
    } else {
        highlight.current = current;
    }
    highlight
}

/// Where author windows open: under the title bar and author mode's bar, which they would cover.
const BELOW_BARS: f32 = 96.0;

/// Author mode's bar, a strip under the session's title bar (so it covers nothing): the
/// switches and what the last save or jump did.
pub fn author_bar(ui: &mut egui::Ui, author: &AuthorSession) -> Option<AuthorAction> {
    let mut action = None;
    let layout = egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true);
    ui.with_layout(layout, |ui| {
        ui.label(egui::RichText::new("Author mode").strong());
        if ui.selectable_label(author.map_open, "Map (F3)").clicked() {
            action = Some(AuthorAction::ToggleMap);
        }
        if ui
            .selectable_label(author.state_open, "State (F4)")
            .clicked()
        {
            action = Some(AuthorAction::ToggleStatePanel);
        }
        if ui.button("Off (F2)").clicked() {
            action = Some(AuthorAction::Toggle);
        }
        if let Some(message) = &author.message {
            ui.label(egui::RichText::new(message).small());
        }
        if !author.problems.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "The saved file has errors: still playing the last good version.",
            );
        }
    });
    action
}

fn draw_author_windows(
    mut contexts: EguiContexts,
    mode: Res<AuthorMode>,
    author: Res<AuthorSession>,
    active: Option<Res<ActiveSession>>,
    library: Res<Library>,
    assets: Res<Assets<ScenarioAsset>>,
    mut map: ResMut<MapState>,
    mut keyboard: ResMut<AuthorKeyboard>,
    mut actions: MessageWriter<AuthorAction>,
) -> Result {
    let Some(active) = active else {
        return Ok(());
    };
    if !mode.shows_for(Some(&active)) {
        keyboard.0 = false;
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.content_rect();
    let mut has_keyboard = false;

    // The saved file's errors, as `attune check` prints them.
    if !author.problems.is_empty() {
        egui::Window::new("Errors in the saved file")
            .default_pos(egui::pos2(
                screen.center().x - 300.0,
                screen.top() + BELOW_BARS,
            ))
            .default_width(600.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(screen.height() * 0.5)
                    .show(ui, |ui| {
                        for problem in &author.problems {
                            ui.label(egui::RichText::new(problem).monospace());
                            ui.separator();
                        }
                    });
            });
    }

    let playable = Arc::clone(active.session.playable());
    if author.map_open {
        let MapState { model, view } = &mut *map;
        let model = ensure_model(model, view, &playable, &assets, &library, &active.file);
        let highlight = highlight_of(&active, model);
        let mut open = true;
        let response = egui::Window::new("Scenario map")
            .frame(map_frame(&ctx.global_style()))
            .open(&mut open)
            .default_rect(egui::Rect::from_min_size(
                egui::pos2(screen.left() + 16.0, screen.top() + BELOW_BARS),
                egui::vec2(screen.width() * 0.72, screen.height() - BELOW_BARS - 64.0),
            ))
            .resizable(true)
            .show(ctx, |ui| {
                if let Some(MapAction::Jump(v)) = map_view(ui, model, &highlight, view) {
                    actions.write(AuthorAction::JumpTo {
                        node: model.nodes[v].id.clone(),
                    });
                }
            });
        has_keyboard = response.is_some() && view.has_keyboard;
        if !open {
            actions.write(AuthorAction::ToggleMap);
        }
    }

    if author.state_open {
        let node = active.session.prompt().map(|p| p.node);
        let replies = node
            .map(|n| preview(&playable, n, &author.draft))
            .unwrap_or_default();
        let node_id = node.map(|n| playable.client(n).id.as_str().to_owned());
        let mut open = true;
        egui::Window::new("Live state")
            .open(&mut open)
            .default_pos(egui::pos2(screen.right() - 380.0, screen.top() + 200.0))
            .default_width(360.0)
            .show(ctx, |ui| {
                let action = state_panel(ui, &author.draft, node_id.as_deref(), &replies);
                match action {
                    Some(StateAction::SetVariable(name, value)) => {
                        actions.write(AuthorAction::SetVariable { name, value });
                    }
                    Some(StateAction::SetFlag(name, on)) => {
                        actions.write(AuthorAction::SetFlag { name, on });
                    }
                    Some(StateAction::JumpHere) => {
                        if let Some(node) = node_id.clone() {
                            actions.write(AuthorAction::JumpTo { node });
                        }
                    }
                    Some(StateAction::Reset) => {
                        actions.write(AuthorAction::ResetDraft);
                    }
                    None => {}
                }
            });
        if !open {
            actions.write(AuthorAction::ToggleStatePanel);
        }
    }
    // Typing a value in the state panel must not choose a reply either.
    keyboard.0 = has_keyboard || ctx.egui_wants_keyboard_input();
    Ok(())
}

/// For the automation: open the map at a zoom (`None` fits the whole map).
pub fn open_map(author: &mut AuthorSession, map: &mut MapState, zoom: Option<f32>) {
    author.map_open = true;
    map.view.pending = Some(Pending::Fit);
    if let Some(zoom) = zoom {
        map.view.zoom = zoom;
        map.view.pending = Some(Pending::CentreCurrent);
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    #[test]
    fn the_bar_switches_the_map_and_says_what_the_last_save_did() {
        let author = AuthorSession {
            message: Some("Reloaded: 2 replies replayed.".into()),
            problems: vec!["error[syntax]: expected `)`".into()],
            ..Default::default()
        };
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 60.0))
            .build_ui_state(
                |ui, done: &mut Option<AuthorAction>| {
                    if let Some(action) = author_bar(ui, &author) {
                        *done = Some(action);
                    }
                },
                None,
            );
        harness.run();
        harness.get_by_label("Reloaded: 2 replies replayed.");
        harness.get_by_label("The saved file has errors: still playing the last good version.");
        harness.get_by_label("Map (F3)").click();
        harness.run();
        assert_eq!(harness.state(), &Some(AuthorAction::ToggleMap));
        harness.get_by_label("Off (F2)").click();
        harness.run();
        assert_eq!(harness.state(), &Some(AuthorAction::Toggle));
    }
}
