//! What author mode adds to the session screen: the node's id, the hint, and for each reply on
//! offer its id, scores, codes, condition, where it leads, the feedback and the client's
//! thought, all at once, so an author can read the node as written without trying each reply.

use attune_core::engine::Session;
use attune_core::scoring::best_offered;
use attune_core::skills::Skill;
use bevy_egui::egui;

use crate::app::widgets;

/// The current node as an author reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeDetails<'a> {
    pub id: &'a str,
    /// Which of the node's wordings is shown (1-based) and how many it has.
    pub wording: (usize, usize),
    pub hint: Option<&'a str>,
    pub replies: Vec<ReplyDetails<'a>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplyDetails<'a> {
    pub id: &'a str,
    pub reply: &'a str,
    pub scores: Vec<(Skill, i32)>,
    pub total: i32,
    /// e.g. "Carkhuff 4.0 · ComplexReflection · notices the cue".
    pub codes: String,
    pub when: Option<&'a str>,
    pub next: &'a str,
    pub feedback: &'a str,
    pub thought: Option<&'a str>,
    /// The reply the debrief calls the best here.
    pub best: bool,
}

impl<'a> NodeDetails<'a> {
    /// The prompt on screen, replies in the order shown; `None` once the session has ended.
    pub fn of(session: &'a Session) -> Option<NodeDetails<'a>> {
        let prompt = session.prompt()?;
        let playable = session.playable();
        let node = playable.client(prompt.node);
        let best = best_offered(playable, prompt.node, &prompt.order);
        let replies = prompt
            .order
            .iter()
            .map(|&ix| {
                let choice = playable.choice(prompt.node, ix);
                let links = playable.choice_links(prompt.node, ix);
                let mut codes: Vec<String> = Vec::new();
                if let Some(level) = &choice.codes.carkhuff {
                    codes.push(format!("Carkhuff {:.1}", level.value));
                }
                codes.extend(choice.codes.miti.iter().map(|m| format!("{m:?}")));
                if choice.codes.notices_cue {
                    codes.push("notices the cue".to_owned());
                }
                let scores: Vec<(Skill, i32)> = Skill::ALL
                    .iter()
                    .map(|&s| (s, choice.scores.get(s).value))
                    .collect();
                ReplyDetails {
                    id: links.id.as_str(),
                    reply: &choice.reply.value,
                    total: scores.iter().map(|(_, v)| v).sum(),
                    scores,
                    codes: codes.join(" · "),
                    when: choice.when.as_ref().map(|w| w.value.as_str()),
                    next: choice.next.value.as_str(),
                    feedback: &choice.feedback.value,
                    thought: choice.thought.as_ref().map(|t| t.value.as_str()),
                    best: best == Some(ix),
                }
            })
            .collect();
        Some(NodeDetails {
            id: node.id.as_str(),
            wording: (prompt.variant as usize + 1, node.says.len()),
            hint: node.hint.as_ref().map(|h| h.as_str()),
            replies,
        })
    }
}

/// The node's id and hint, then each reply as a button (numbered as the keys choose them)
/// with its details under it. Returns the 1-based position clicked.
pub fn author_replies(ui: &mut egui::Ui, node: &NodeDetails, focus: usize) -> Option<usize> {
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(
            egui::RichText::new(format!("node `{}`", node.id))
                .monospace()
                .strong(),
        );
        ui.weak(format!("wording {} of {}", node.wording.0, node.wording.1));
    });
    if let Some(hint) = node.hint {
        ui.label(egui::RichText::new(format!("Hint: {hint}")).italics());
    }
    egui::ScrollArea::vertical()
        .id_salt("author-replies")
        .max_height(ui.ctx().content_rect().height() * 0.45)
        .show(ui, |ui| {
            for (i, reply) in node.replies.iter().enumerate() {
                if widgets::choice_button(ui, i + 1, reply.reply, focus == i).clicked() {
                    chosen = Some(i + 1);
                }
                reply_details(ui, reply);
                ui.add_space(6.0);
            }
        });
    chosen
}

fn reply_details(ui: &mut egui::Ui, reply: &ReplyDetails) {
    ui.indent(reply.id, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(reply.id).monospace());
            if reply.best {
                ui.label(egui::RichText::new("★ best").strong());
            }
            let scores: Vec<String> = reply
                .scores
                .iter()
                .map(|(skill, v)| format!("{} {v:+}", skill.label()))
                .collect();
            ui.label(format!("total {:+} ({})", reply.total, scores.join(", ")));
            ui.label(format!("leads to {}", reply.next));
            if let Some(when) = reply.when {
                ui.weak(format!("when {when}"));
            }
        });
        if !reply.codes.is_empty() {
            ui.weak(&reply.codes);
        }
        ui.label(egui::RichText::new(reply.feedback).small());
        if let Some(thought) = reply.thought {
            ui.label(
                egui::RichText::new(format!("thinks: “{thought}”"))
                    .small()
                    .italics(),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use attune_core::engine::Mode;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::app::author::tests::tom;

    #[test]
    fn every_reply_shows_its_id_scores_destination_and_thought() {
        let session = Session::start(tom(), Mode::Practice, 1);
        let node = NodeDetails::of(&session).unwrap();
        assert_eq!(node.id, "opening");
        assert!(node.hint.is_some());
        assert_eq!(node.replies.iter().filter(|r| r.best).count(), 1);
        let reflect = node
            .replies
            .iter()
            .find(|r| r.id == "opening.reflect-reluctance")
            .unwrap()
            .clone();
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut (NodeDetails, Option<usize>)| {
                if let Some(p) = author_replies(ui, &state.0, 0) {
                    state.1 = Some(p);
                }
            },
            (node, None),
        );
        harness.run();
        harness.get_by_label("node `opening`");
        harness.get_by_label("opening.reflect-reluctance");
        harness.get_by_label_contains(&format!("total {:+}", reflect.total));
        // Several replies may lead to the same node.
        assert!(
            harness
                .query_all_by_label(&format!("leads to {}", reflect.next))
                .next()
                .is_some()
        );
        if let Some(thought) = reflect.thought {
            harness.get_by_label(&format!("thinks: “{thought}”"));
        }
        harness.get_by_label_contains("Hint: ");
        harness.get_by_label_contains("1.  ").click();
        harness.run();
        assert_eq!(harness.state().1, Some(1));
    }
}
