//! The session screen's views: pure functions of plain data that draw one part of the screen and
//! return what the trainee did there. They never change state; the screen's system turns what
//! they return into [`Action`](crate::app::screens::Action) messages.
//!
//! The data each view draws is built from the session by its `of` constructor, through the
//! engine's accessors, so the tests draw exactly what the screen draws.

use attune_core::assets::Portrait;
use attune_core::engine::{Applied, Mode, Session};
use attune_core::model::{ClientNode, Cue, Emotion};
use attune_core::skills::Skill;
use bevy_egui::egui;

use crate::app::portrait::draw_portrait;
use crate::app::widgets;

/// Shown in place of the client's line during the pause beat.
pub const PAUSE_TEXT: &str = "…";

/// The client node the screen is about: the current prompt's, or, on the feedback card after the
/// last reply of a practice session (when the engine has already ended), the one just answered.
pub fn shown_node<'s>(session: &'s Session, last: Option<&Applied>) -> Option<&'s ClientNode> {
    session
        .node()
        .or_else(|| last.map(|a| session.playable().client(a.node)))
}

/// A meter the trainee can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meter<'a> {
    pub name: &'a str,
    pub value: i32,
    pub min: i32,
    pub max: i32,
}

/// The meters the trainee can see. In assessment mode they show their start values: they stay
/// still until the debrief, so they do not give away whether a reply was right.
pub fn visible_meters(session: &Session) -> Vec<Meter<'_>> {
    let still = session.mode() == Mode::Assessment;
    session
        .playable()
        .variables()
        .iter()
        .zip(session.variables())
        .filter(|(variable, _)| variable.visible)
        .map(|(variable, &value)| Meter {
            name: &variable.name,
            value: if still { variable.start.value } else { value },
            min: variable.min.value,
            max: variable.max.value,
        })
        .collect()
}

/// The client panel: portrait, name, how the client looks, the meters, the hint.
#[derive(Debug, Clone)]
pub struct ClientPanel<'a> {
    pub name: &'a str,
    pub portrait: Option<&'a Portrait>,
    pub emotion: Emotion,
    pub meters: Vec<Meter<'a>>,
    /// A hint can be asked for: practice mode, while choosing.
    pub offer_hint: bool,
    /// The hint asked for at this prompt.
    pub hint: Option<&'a str>,
}

impl<'a> ClientPanel<'a> {
    pub fn of(
        session: &'a Session,
        node: &ClientNode,
        portrait: Option<&'a Portrait>,
        choosing: bool,
        hint: Option<&'a str>,
    ) -> ClientPanel<'a> {
        ClientPanel {
            name: &session.playable().scenario().client.name.value,
            portrait,
            emotion: node.emotion,
            meters: visible_meters(session),
            offer_hint: session.mode() == Mode::Practice && choosing,
            hint,
        }
    }
}

/// What the trainee did in the client panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelAction {
    Hint,
    Leave,
}

pub fn client_panel(ui: &mut egui::Ui, panel: &ClientPanel) -> Option<PanelAction> {
    let mut action = None;
    ui.add_space(12.0);
    ui.vertical_centered(|ui| {
        draw_portrait(ui, panel.portrait, panel.emotion, 200.0);
        ui.add_space(6.0);
        ui.label(egui::RichText::new(panel.name).heading().strong());
        ui.label(
            egui::RichText::new(format!("looks {}", widgets::emotion_word(panel.emotion))).weak(),
        );
    });
    ui.add_space(12.0);
    for m in &panel.meters {
        widgets::meter(ui, m.name, m.value, m.min, m.max);
    }
    ui.add_space(12.0);
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        if panel.offer_hint
            && ui
                .button("Hint")
                .on_hover_text("What to notice here (recorded in your result)")
                .clicked()
        {
            action = Some(PanelAction::Hint);
        }
        if ui
            .button("Leave session")
            .on_hover_text("Ends the session now; your replies so far are saved.")
            .clicked()
        {
            action = Some(PanelAction::Leave);
        }
    });
    if let Some(hint) = panel.hint {
        widgets::card(ui, |ui| {
            ui.label(egui::RichText::new("Hint").strong());
            ui.label(hint);
        });
    }
    action
}

/// The conversation so far, then the line the client says now.
#[derive(Debug, Clone)]
pub struct Transcript<'a> {
    pub client: &'a str,
    /// What the client said and what the trainee replied, in order; replies taken back are left out.
    pub past: Vec<Exchange<'a>>,
    /// The line waiting for a reply; none on the feedback card (the reply just made is already
    /// in `past`) or once the session has ended.
    pub current: Option<CurrentLine<'a>>,
    /// Author mode: each line with its node id and each reply with its choice id.
    pub ids: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    pub said: Option<&'a str>,
    pub reply: &'a str,
    pub node: &'a str,
    pub choice: &'a str,
}

#[derive(Debug, Clone, Copy)]
pub struct CurrentLine<'a> {
    /// The line, or [`PAUSE_TEXT`] during the pause beat.
    pub text: &'a str,
    pub cue: Option<&'a Cue>,
    pub node: &'a str,
}

impl<'a> Transcript<'a> {
    pub fn of(session: &'a Session, feedback: bool, in_beat: bool) -> Transcript<'a> {
        let playable = session.playable();
        let past = session
            .decisions()
            .iter()
            .filter(|d| !d.taken_back)
            .map(|d| Exchange {
                said: playable
                    .client(d.prompt.node)
                    .says
                    .get(d.prompt.variant as usize)
                    .map(|s| s.as_str()),
                reply: &playable.choice(d.prompt.node, d.choice).reply,
                node: playable.client(d.prompt.node).id.as_str(),
                choice: playable.choice_links(d.prompt.node, d.choice).id.as_str(),
            })
            .collect();
        let current = session
            .node()
            .filter(|_| !feedback)
            .map(|node| CurrentLine {
                text: if in_beat {
                    PAUSE_TEXT
                } else {
                    session.line().unwrap_or_default()
                },
                cue: node.cue.as_ref(),
                node: node.id.as_str(),
            });
        Transcript {
            client: &playable.scenario().client.name.value,
            past,
            current,
            ids: false,
        }
    }
}

pub fn transcript(ui: &mut egui::Ui, t: &Transcript) {
    let id = |ui: &mut egui::Ui, id: &str| {
        if t.ids {
            ui.label(egui::RichText::new(id).monospace().small().weak());
        }
    };
    for exchange in &t.past {
        if let Some(said) = exchange.said {
            id(ui, exchange.node);
            widgets::client_bubble(ui, t.client, said, None);
        }
        id(ui, exchange.choice);
        widgets::trainee_bubble(ui, exchange.reply);
    }
    if let Some(line) = &t.current {
        id(ui, line.node);
        widgets::client_bubble(ui, t.client, line.text, line.cue);
    }
}

/// The replies on offer, in the order shown.
pub fn offered_replies(session: &Session) -> Vec<&str> {
    session.offered().map(|c| c.reply.as_str()).collect()
}

/// The replies, numbered, the one at `focus` (0-based) marked for the keyboard. Returns the
/// 1-based position of the reply clicked.
pub fn replies(ui: &mut egui::Ui, replies: &[&str], focus: usize) -> Option<usize> {
    let mut chosen = None;
    ui.label(egui::RichText::new("Your reply").strong());
    for (i, reply) in replies.iter().enumerate() {
        if widgets::choice_button(ui, i + 1, reply, focus == i).clicked() {
            chosen = Some(i + 1);
        }
    }
    chosen
}

/// What the reply just made did (practice mode).
#[derive(Debug, Clone)]
pub struct FeedbackCard<'a> {
    pub client: &'a str,
    /// The change in each skill, in [`Skill::ALL`] order.
    pub scores: Vec<(Skill, i32)>,
    pub feedback: &'a str,
    /// What the client thinks but does not say.
    pub thought: Option<&'a str>,
    /// The visible meters this reply moved: (name, before, after).
    pub changes: Vec<(&'a str, i32, i32)>,
    pub can_take_back: bool,
}

impl<'a> FeedbackCard<'a> {
    pub fn of(session: &'a Session, applied: &'a Applied) -> FeedbackCard<'a> {
        let playable = session.playable();
        let choice = applied.chosen(playable);
        FeedbackCard {
            client: &playable.scenario().client.name.value,
            scores: Skill::ALL
                .iter()
                .map(|&skill| (skill, choice.scores.get(skill).value))
                .collect(),
            feedback: &choice.feedback.value,
            thought: choice.thought.as_ref().map(|t| t.value.as_str()),
            changes: applied.visible_changes(playable).collect(),
            can_take_back: session.can_take_back(),
        }
    }
}

/// What the trainee did on the feedback card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackAction {
    Continue,
    TakeBack,
}

pub fn feedback_card(ui: &mut egui::Ui, card: &FeedbackCard) -> Option<FeedbackAction> {
    let mut action = None;
    widgets::card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for &(skill, value) in &card.scores {
                widgets::skill_change(ui, skill, value);
                ui.add_space(12.0);
            }
        });
        ui.add_space(4.0);
        ui.label(card.feedback);
        if let Some(thought) = card.thought {
            ui.add_space(4.0);
            ui.label(
                egui::RichText::new(format!("{} thinks: “{thought}”", card.client))
                    .italics()
                    .color(ui.visuals().weak_text_color()),
            );
        }
        if !card.changes.is_empty() {
            let changes: Vec<String> = card
                .changes
                .iter()
                .map(|(name, before, after)| format!("{name} went from {before} to {after}"))
                .collect();
            ui.label(egui::RichText::new(changes.join("; ")).weak());
        }
    });
    ui.horizontal(|ui| {
        let continue_button = ui.add(
            egui::Button::new(egui::RichText::new("Continue  ›").strong())
                .min_size(egui::vec2(140.0, 34.0)),
        );
        if continue_button.clicked() {
            action = Some(FeedbackAction::Continue);
        }
        if card.can_take_back
            && ui
                .button("Take back")
                .on_hover_text("Choose again. Your first reply is the one scored.")
                .clicked()
        {
            action = Some(FeedbackAction::TakeBack);
        }
    });
    action
}

/// What the trainee did with the notice that the scenario file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReloadAction {
    Resume,
    Restart,
    Dismiss,
}

/// The notice that the scenario file changed on disk while playing. With errors in the new
/// version, only "Dismiss" is offered: the session goes on in the last good version.
pub fn reload_banner(ui: &mut egui::Ui, has_errors: bool) -> Option<ReloadAction> {
    let mut action = None;
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        if has_errors {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "The scenario file changed and has errors; you are still playing the last good version.",
            );
        } else {
            ui.label("The scenario file changed on disk.");
            if ui.button("Resume here in the new version").clicked() {
                action = Some(ReloadAction::Resume);
            }
            if ui.button("Restart").clicked() {
                action = Some(ReloadAction::Restart);
            }
        }
        if ui.button("Dismiss").clicked() {
            action = Some(ReloadAction::Dismiss);
        }
    });
    ui.add_space(4.0);
    action
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use attune_core::engine::{Applied, Mode, Session};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    /// Tom, at the opening, with seed 1.
    fn tom(mode: Mode) -> Session {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/grief-eleven-weeks.scenario.ron"
        );
        let playable: Arc<_> = attune_core::load_file(path.as_ref(), None)
            .unwrap()
            .playable
            .unwrap();
        Session::start(playable, mode, 1)
    }

    /// Tom after the trainee reflected his reluctance, which raises trust from 2 to 3.
    fn after_reflecting(mode: Mode) -> (Session, Applied) {
        let mut session = tom(mode);
        let applied = session.choose_id("opening.reflect-reluctance", 0).unwrap();
        assert_eq!(session.variable("trust"), Some(3));
        (session, applied)
    }

    #[test]
    fn the_replies_are_numbered_in_order_and_a_click_returns_its_position() {
        let session = tom(Mode::Practice);
        let offered = offered_replies(&session);
        assert_eq!(offered.len(), 4);
        let mut harness = Harness::new_ui_state(
            |ui, clicked: &mut Option<usize>| {
                if let Some(n) = replies(ui, &offered, 0) {
                    *clicked = Some(n);
                }
            },
            None,
        );
        harness.run();
        let tops: Vec<f32> = offered
            .iter()
            .enumerate()
            .map(|(i, reply)| {
                let label = format!("{}.  {reply}", i + 1);
                harness.get_by_label(&label).rect().top()
            })
            .collect();
        assert!(tops.is_sorted(), "shown in the order offered: {tops:?}");
        assert_eq!(*harness.state(), None);
        harness.get_by_label(&format!("3.  {}", offered[2])).click();
        harness.run();
        assert_eq!(*harness.state(), Some(3));
    }

    #[test]
    fn the_feedback_card_shows_the_skills_the_feedback_the_thought_and_the_meters() {
        let (session, applied) = after_reflecting(Mode::Practice);
        let card = FeedbackCard::of(&session, &applied);
        let mut harness = Harness::new_ui_state(
            |ui, done: &mut Option<FeedbackAction>| {
                if let Some(action) = feedback_card(ui, &card) {
                    *done = Some(action);
                }
            },
            None,
        );
        harness.run();
        // Every skill with its signed score and word, as the scenario scores this reply.
        let chosen = applied.chosen(session.playable());
        for skill in Skill::ALL {
            let score = chosen.scores.get(skill).value;
            let word = match score.signum() {
                1 => "helps",
                -1 => "hurts",
                _ => "neutral",
            };
            harness.get_by_label(&format!("{score:+} {} ({word})", skill.label()));
        }
        harness.get_by_label(&chosen.feedback.value);
        let thought = chosen.thought.as_ref().expect("the reply has a thought");
        harness.get_by_label(&format!("Tom thinks: “{}”", thought.value));
        // Openness rose too, but only trust has a meter.
        harness.get_by_label("trust went from 2 to 3");
        harness.get_by_label("Take back").click();
        harness.run();
        assert_eq!(*harness.state(), Some(FeedbackAction::TakeBack));
        harness.get_by_label("Continue  ›").click();
        harness.run();
        assert_eq!(*harness.state(), Some(FeedbackAction::Continue));
    }

    #[test]
    fn take_back_is_offered_only_when_the_session_allows_it() {
        let (session, applied) = after_reflecting(Mode::Assessment);
        let card = FeedbackCard::of(&session, &applied);
        assert!(!card.can_take_back);
        let mut harness = Harness::new_ui(|ui| {
            feedback_card(ui, &card);
        });
        harness.run();
        harness.get_by_label("Continue  ›");
        assert!(harness.query_by_label("Take back").is_none());
    }

    #[test]
    fn the_client_panel_shows_trust_and_in_assessment_its_start_value() {
        for (mode, trust) in [
            (Mode::Practice, "Trust 3/10"),
            (Mode::Assessment, "Trust 2/10"),
        ] {
            let (session, applied) = after_reflecting(mode);
            let node = shown_node(&session, Some(&applied)).unwrap();
            let panel = ClientPanel::of(&session, node, None, true, None);
            let mut harness = Harness::new_ui_state(
                |ui, done: &mut Option<PanelAction>| {
                    if let Some(action) = client_panel(ui, &panel) {
                        *done = Some(action);
                    }
                },
                None,
            );
            harness.run();
            harness.get_by_label("Tom");
            harness.get_by_label("looks guarded");
            harness.get_by_label(trust);
            assert!(
                harness.query_by_label_contains("Distress").is_none(),
                "distress has no meter"
            );
            assert_eq!(
                harness.query_by_label("Hint").is_some(),
                mode == Mode::Practice,
                "hints in practice mode only"
            );
            harness.get_by_label("Leave session").click();
            harness.run();
            assert_eq!(*harness.state(), Some(PanelAction::Leave));
        }
    }

    #[test]
    fn the_transcript_shows_past_lines_and_replies_in_order_then_the_cue_and_the_line() {
        let (session, applied) = after_reflecting(Mode::Practice);
        let playable = session.playable();
        let first = &session.decisions()[0].prompt;
        let opening = &playable.client(first.node).says[first.variant as usize];
        let reply = &applied.chosen(playable).reply;
        let cue = "He says it flatly, like a list he has recited many times.";
        let line = session.line().unwrap();

        let shown = Transcript::of(&session, false, false);
        let mut harness = Harness::new_ui(|ui| transcript(ui, &shown));
        harness.run();
        let tops: Vec<f32> = [opening.as_str(), "You", reply, "TONE", cue, line]
            .iter()
            .map(|label| harness.get_by_label(label).rect().top())
            .collect();
        assert!(tops.is_sorted(), "in the order said: {tops:?}");
        assert!(harness.query_by_label(PAUSE_TEXT).is_none());
    }

    #[test]
    fn in_author_mode_lines_and_replies_carry_their_ids() {
        let (session, _) = after_reflecting(Mode::Practice);
        let playable = session.playable();
        let first = &session.decisions()[0];
        let choice = playable
            .choice_links(first.prompt.node, first.choice)
            .id
            .as_str();
        let mut shown = Transcript::of(&session, false, false);
        let harness = Harness::new_ui(|ui| transcript(ui, &shown));
        assert!(
            harness.query_by_label(choice).is_none(),
            "no ids for trainees"
        );
        drop(harness);
        shown.ids = true;
        let harness = Harness::new_ui(|ui| transcript(ui, &shown));
        harness.get_by_label(choice);
        harness.get_by_label(session.node().unwrap().id.as_str());
    }

    #[test]
    fn the_pause_beat_shows_the_cue_and_an_ellipsis_and_the_feedback_card_no_line() {
        let (session, _) = after_reflecting(Mode::Practice);
        let line = session.line().unwrap();

        let beat = Transcript::of(&session, false, true);
        let mut harness = Harness::new_ui(|ui| transcript(ui, &beat));
        harness.run();
        harness.get_by_label("TONE");
        harness.get_by_label(PAUSE_TEXT);
        assert!(harness.query_by_label(line).is_none());

        let feedback = Transcript::of(&session, true, false);
        let mut harness = Harness::new_ui(|ui| transcript(ui, &feedback));
        harness.run();
        assert!(harness.query_by_label("TONE").is_none());
        assert!(harness.query_by_label(line).is_none());
        harness.get_by_label("You");
    }

    #[test]
    fn the_reload_banner_offers_resume_and_restart_only_for_a_good_version() {
        let mut harness = Harness::new_ui_state(
            |ui, done: &mut Option<ReloadAction>| {
                if let Some(action) = reload_banner(ui, false) {
                    *done = Some(action);
                }
            },
            None,
        );
        harness.run();
        harness
            .get_by_label("Resume here in the new version")
            .click();
        harness.run();
        assert_eq!(*harness.state(), Some(ReloadAction::Resume));

        let mut harness = Harness::new_ui(|ui| {
            reload_banner(ui, true);
        });
        harness.run();
        harness.get_by_label("Dismiss");
        assert!(harness.query_by_label("Restart").is_none());
    }
}
