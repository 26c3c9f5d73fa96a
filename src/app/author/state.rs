//! The live state panel: every variable and flag (hidden ones too), editable, and the replies
//! of the current node that those values make available. "Jump here" starts the node afresh
//! with them, through [`attune_author::start_at::start`], as `attune play --from` does.

use attune_author::start_at::StartState;
use attune_core::Playable;
use attune_core::engine::Session;
use attune_core::playable::ClientIx;
use bevy_egui::egui;

/// The values in the panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub variables: Vec<DraftVariable>,
    /// Every flag, with whether it is set.
    pub flags: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftVariable {
    pub name: String,
    pub value: i32,
    pub min: i32,
    pub max: i32,
    pub visible: bool,
}

impl Draft {
    /// The session's values now.
    pub fn of(session: &Session) -> Draft {
        let playable = session.playable();
        Draft {
            variables: playable
                .variables()
                .iter()
                .zip(session.variables())
                .map(|(v, &value)| DraftVariable {
                    name: v.name.to_string(),
                    value,
                    min: v.min.value,
                    max: v.max.value,
                    visible: v.visible,
                })
                .collect(),
            flags: playable
                .flags()
                .iter()
                .cloned()
                .zip(session.flags().iter().copied())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.variables.is_empty() && self.flags.is_empty()
    }

    /// Sets a variable, kept within its range; an unknown name changes nothing.
    pub fn set_variable(&mut self, name: &str, value: i32) {
        if let Some(v) = self.variables.iter_mut().find(|v| v.name == name) {
            v.value = value.clamp(v.min, v.max);
        }
    }

    pub fn set_flag(&mut self, name: &str, on: bool) {
        if let Some(f) = self.flags.iter_mut().find(|(n, _)| n == name) {
            f.1 = on;
        }
    }

    /// As `--state` would give it: each variable of the scenario with its value, the flags set.
    /// Names the scenario no longer has (after an edit) are left out.
    pub fn start_state(&self, playable: &Playable) -> StartState {
        StartState {
            variables: self
                .variables
                .iter()
                .filter(|v| playable.variable_index(&v.name).is_some())
                .map(|v| (v.name.clone(), v.value))
                .collect(),
            flags: self
                .flags
                .iter()
                .filter(|(name, on)| *on && playable.flag_index(name).is_some())
                .map(|(name, _)| name.clone())
                .collect(),
        }
    }

    /// Variable values and flags indexed as the scenario's, for its conditions.
    fn values(&self, playable: &Playable) -> (Vec<i32>, Vec<bool>) {
        let variables = playable
            .variables()
            .iter()
            .map(|v| {
                self.variables
                    .iter()
                    .find(|d| d.name == v.name.as_str())
                    .map_or(v.start.value, |d| d.value)
            })
            .collect();
        let flags = playable
            .flags()
            .iter()
            .map(|f| self.flags.iter().any(|(n, on)| n == f && *on))
            .collect();
        (variables, flags)
    }
}

/// One reply of the node, and whether the panel's values offer it.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewReply {
    pub id: String,
    pub reply: String,
    pub offered: bool,
    pub when: Option<String>,
}

/// Every reply of `node`, each with whether the draft's values offer it.
pub fn preview(playable: &Playable, node: ClientIx, draft: &Draft) -> Vec<PreviewReply> {
    let (variables, flags) = draft.values(playable);
    playable
        .choices(node)
        .map(|(ix, choice, links)| PreviewReply {
            id: links.id.to_string(),
            reply: choice.reply.value.clone(),
            offered: playable.offers(node, ix, &variables, &flags),
            when: choice.when.as_ref().map(|w| w.value.clone()),
        })
        .collect()
}

/// What the author did in the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum StateAction {
    SetVariable(String, i32),
    SetFlag(String, bool),
    /// Start this node afresh with these values.
    JumpHere,
    /// Back to the session's values.
    Reset,
}

/// The panel: variables (drag or type; hidden ones marked), flags, then the node's replies
/// with the ones these values offer ticked.
pub fn state_panel(
    ui: &mut egui::Ui,
    draft: &Draft,
    node: Option<&str>,
    replies: &[PreviewReply],
) -> Option<StateAction> {
    let mut action = None;
    egui::Grid::new("author-state")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for v in &draft.variables {
                let hidden = if v.visible { "" } else { " (hidden)" };
                ui.label(format!("{}{hidden}", v.name));
                let mut value = v.value;
                let drag = ui.add(egui::DragValue::new(&mut value).range(v.min..=v.max));
                drag.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::WidgetType::DragValue, true, &v.name)
                });
                if value != v.value {
                    action = Some(StateAction::SetVariable(v.name.clone(), value));
                }
                ui.end_row();
            }
            for (name, on) in &draft.flags {
                ui.label("flag");
                let mut checked = *on;
                if ui.checkbox(&mut checked, name).changed() {
                    action = Some(StateAction::SetFlag(name.clone(), checked));
                }
                ui.end_row();
            }
        });
    ui.separator();
    match node {
        Some(node) => {
            ui.label(format!("Replies at `{node}` with these values:"));
            for reply in replies {
                let mark = if reply.offered {
                    "on offer"
                } else {
                    "not offered"
                };
                let when = reply
                    .when
                    .as_deref()
                    .map_or(String::new(), |w| format!("  [when {w}]"));
                let text = egui::RichText::new(format!("{}: {mark}{when}", reply.id));
                ui.label(if reply.offered { text } else { text.weak() })
                    .on_hover_text(&reply.reply);
            }
            ui.horizontal(|ui| {
                if ui
                    .button(format!("Jump to `{node}` with this state (F5)"))
                    .clicked()
                {
                    action = Some(StateAction::JumpHere);
                }
                if ui.button("Reset").clicked() {
                    action = Some(StateAction::Reset);
                }
            });
        }
        None => {
            ui.weak("The session has ended: jump to a node from the map.");
        }
    }
    action
}

#[cfg(test)]
mod tests {
    use attune_core::engine::Mode;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::app::author::tests::tom;

    #[test]
    fn a_flag_set_in_the_draft_offers_its_conditional_reply() {
        let tom = tom();
        let session =
            Session::start_at(tom.clone(), Mode::Practice, 1, "relief", &[], &[]).unwrap();
        let node = session.prompt().unwrap().node;
        let mut draft = Draft::of(&session);
        let offered = |draft: &Draft| {
            preview(&tom, node, draft)
                .into_iter()
                .find(|r| r.id == "relief.both-true")
                .unwrap()
                .offered
        };
        assert!(!offered(&draft));
        draft.set_flag("anger_heard", true);
        assert!(offered(&draft));
        let state = draft.start_state(&tom);
        assert_eq!(state.flags, ["anger_heard"]);
        draft.set_variable("trust", 99);
        assert_eq!(draft.variables[0].value, 10, "kept within range");
    }

    #[test]
    fn the_panel_lists_every_variable_and_flag_and_sends_edits() {
        let tom = tom();
        let session = Session::start(tom.clone(), Mode::Practice, 1);
        let draft = Draft::of(&session);
        let replies = preview(&tom, session.prompt().unwrap().node, &draft);
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut (Draft, Vec<PreviewReply>, Option<StateAction>)| {
                if let Some(a) = state_panel(ui, &state.0, Some("opening"), &state.1) {
                    state.2 = Some(a);
                }
            },
            (draft, replies, None),
        );
        harness.run();
        // Each variable has its name and a value to drag or type, hidden ones included.
        for v in tom.variables() {
            let named = harness.query_all_by_label(&v.name).count();
            assert!(named >= 1, "{}", v.name.value);
        }
        assert!(tom.variables().iter().any(|v| !v.visible));
        harness.get_by_label("distress (hidden)");
        harness.get_by_label("anger_heard").click();
        harness.run();
        assert_eq!(
            harness.state().2,
            Some(StateAction::SetFlag("anger_heard".into(), true))
        );
        harness
            .get_by_label("Jump to `opening` with this state (F5)")
            .click();
        harness.run();
        assert_eq!(harness.state().2, Some(StateAction::JumpHere));
    }
}
