//! Projector mode's views: pure functions of plain data, drawn large enough to read from the
//! back of a room. They return what the facilitator did; the screen's system sends it on as a
//! [`ProjectorAction`](super::ProjectorAction). Each view's data is built from the session by
//! its `of` constructor, so the tests draw exactly what the screen draws.

use attune_core::engine::{Applied, Session, Status};
use attune_core::model::Cue;
use attune_core::scoring::{Scorecard, SkillScore};
use bevy_egui::egui;

use super::room::{DebriefSection, Pearls, miti_words, parse_votes, pearls_prompts};
use crate::app::screens::FeedbackCard;
use crate::app::widgets;

/// Text sizes for a room: about 1/30 of the screen's height for body text, the size slide
/// guides give for the back row. Scales with the window from 1280×800 up.
pub fn room_text(ui: &mut egui::Ui) {
    let screen = ui.ctx().content_rect().size();
    let scale = (screen.x / 1280.0).min(screen.y / 800.0).max(1.0);
    let style = ui.style_mut();
    for (text_style, size) in [
        (egui::TextStyle::Heading, 34.0),
        (egui::TextStyle::Body, 25.0),
        (egui::TextStyle::Button, 24.0),
        (egui::TextStyle::Small, 19.0),
        (egui::TextStyle::Monospace, 22.0),
    ] {
        if let Some(font) = style.text_styles.get_mut(&text_style) {
            font.size = size * scale;
        }
    }
    style.spacing.item_spacing = egui::vec2(12.0, 10.0) * scale;
    style.spacing.button_padding = egui::vec2(14.0, 8.0) * scale;
    style.spacing.interact_size.y = 40.0 * scale;
}

/// A scenario the facilitator can start.
#[derive(Debug, Clone)]
pub struct ScenarioChoice {
    pub file: String,
    pub title: String,
    pub client: String,
    pub minutes: u32,
}

/// The set-up form, edited in place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetupForm {
    pub group: String,
    pub participants: String,
    pub seed: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SetupAction {
    Start {
        file: String,
        group: String,
        seed: Option<u64>,
        participants: Option<u32>,
    },
    Back,
}

pub fn setup_view(
    ui: &mut egui::Ui,
    scenarios: &[ScenarioChoice],
    form: &mut SetupForm,
) -> Option<SetupAction> {
    let mut action = None;
    ui.heading("Projector mode: one session, the whole room");
    ui.label("At each reply the room votes; you type the counts, the room's reply is played, and the feedback stays hidden until you reveal it.");
    ui.add_space(8.0);
    let mut problems = Vec::new();
    egui::Grid::new("projector-setup")
        .num_columns(2)
        .spacing([16.0, 10.0])
        .show(ui, |ui| {
            let label = ui.label("Group name");
            ui.add(
                egui::TextEdit::singleline(&mut form.group)
                    .hint_text("e.g. Tuesday seminar")
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("People in the room");
            ui.add(
                egui::TextEdit::singleline(&mut form.participants)
                    .hint_text("optional")
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Seed");
            ui.add(
                egui::TextEdit::singleline(&mut form.seed)
                    .hint_text("random")
                    .desired_width(120.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "The same seed shows the replies in the same order as the trainees' own runs.",
            );
            ui.end_row();
        });
    let participants = match form.participants.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push("People in the room is a whole number, e.g. 18, or blank.");
                None
            }
        },
    };
    let seed = match form.seed.trim() {
        "" => None,
        text => match text.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push("A seed is a whole number, e.g. 42, or blank for a random one.");
                None
            }
        },
    };
    for problem in &problems {
        ui.colored_label(ui.visuals().error_fg_color, *problem);
    }
    ui.add_space(8.0);
    if scenarios.is_empty() {
        ui.label("No playable scenario in the library yet.");
    }
    for scenario in scenarios {
        widgets::card(ui, |ui| {
            ui.horizontal(|ui| {
                ui.vertical(|ui| {
                    ui.label(egui::RichText::new(&scenario.title).strong());
                    ui.label(
                        egui::RichText::new(format!(
                            "{} · about {} min",
                            scenario.client, scenario.minutes
                        ))
                        .weak(),
                    );
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let start = ui.add_enabled(
                        problems.is_empty(),
                        egui::Button::new(egui::RichText::new("Start with the room  ›").strong()),
                    );
                    if start.clicked() {
                        action = Some(SetupAction::Start {
                            file: scenario.file.clone(),
                            group: form.group.trim().to_owned(),
                            seed,
                            participants,
                        });
                    }
                });
            });
        });
    }
    ui.add_space(8.0);
    if ui.button("‹ Back to the library").clicked() {
        action = Some(SetupAction::Back);
    }
    action
}

/// The client's line the room is answering, and the replies on offer.
#[derive(Debug, Clone)]
pub struct RoomPrompt<'a> {
    pub client: &'a str,
    /// 1-based number of this decision.
    pub number: usize,
    pub line: &'a str,
    pub cue: Option<&'a Cue>,
    pub replies: Vec<&'a str>,
}

impl<'a> RoomPrompt<'a> {
    /// The prompt waiting for the room's vote, if any.
    pub fn of(session: &'a Session) -> Option<RoomPrompt<'a>> {
        let node = session.node()?;
        Some(RoomPrompt {
            client: &session.playable().scenario().client.name.value,
            number: session.decisions().len() + 1,
            line: session.line().unwrap_or_default(),
            cue: node.cue.as_ref(),
            replies: session.offered().map(|c| c.reply.as_str()).collect(),
        })
    }
}

pub fn client_line(ui: &mut egui::Ui, client: &str, line: &str, cue: Option<&Cue>) {
    if let Some(cue) = cue {
        ui.label(
            egui::RichText::new(&cue.text().value)
                .italics()
                .color(ui.visuals().selection.stroke.color),
        );
    }
    egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .corner_radius(12.0)
        .inner_margin(14.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(client).strong());
            ui.label(
                egui::RichText::new(line)
                    .size(ui.style().text_styles[&egui::TextStyle::Body].size * 1.15),
            );
        });
}

/// What the facilitator did on the voting view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoteAction {
    /// Go on with these counts (in the order shown) and, if clicked, this reply (1-based).
    Decide {
        votes: Vec<u32>,
        pick: Option<usize>,
    },
    End,
}

/// The number shown before a reply's count field, which names the field.
pub fn votes_label(number: usize) -> String {
    format!("{number}.")
}

pub const PICK: &str = "The room chose this";

/// The room a pick button takes in a row, with the gap before it.
fn pick_width(ui: &egui::Ui) -> f32 {
    let text = egui::WidgetText::from(PICK).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Button,
    );
    let spacing = &ui.style().spacing;
    text.size().x + 2.0 * spacing.button_padding.x + 2.0 * spacing.item_spacing.x
}

/// The replies with a count field each. Keyboard first: the first field has the focus, digits
/// type the count, Tab moves to the next field, Enter goes with the most votes and Ctrl+Enter
/// with the reply whose count has the focus (the facilitator's pick). `keyboard` is false while
/// another window (Settings) has the keyboard, so its Enter does not decide for the room.
pub fn voting_view(
    ui: &mut egui::Ui,
    prompt: &RoomPrompt,
    fields: &mut Vec<String>,
    notice: Option<&str>,
    keyboard: bool,
) -> Option<VoteAction> {
    fields.resize(prompt.replies.len(), String::new());
    let mut pick = None;
    let (enter, pick_key) = ui.input(|i| {
        let enter = keyboard && i.key_pressed(egui::Key::Enter);
        (enter && !i.modifiers.command, enter && i.modifiers.command)
    });
    client_line(ui, prompt.client, prompt.line, prompt.cue);
    ui.add_space(8.0);
    let nothing_focused = ui.memory(|m| m.focused().is_none());
    let field_width = ui.style().text_styles[&egui::TextStyle::Body].size * 3.2;
    for (i, reply) in prompt.replies.iter().enumerate() {
        ui.horizontal(|ui| {
            let number = ui.label(egui::RichText::new(votes_label(i + 1)).strong());
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut fields[i])
                        .id_salt(("votes", prompt.number, i))
                        .font(egui::TextStyle::Heading)
                        .horizontal_align(egui::Align::Center)
                        .hint_text("0")
                        .desired_width(field_width),
                )
                .labelled_by(number.id);
            if i == 0 && nothing_focused {
                field.request_focus();
            }
            // Enter takes the focus from a one-line field in the same frame.
            if pick_key && (field.has_focus() || field.lost_focus()) {
                pick = Some(i + 1);
            }
            let text_width = (ui.available_width() - pick_width(ui)).max(200.0);
            ui.allocate_ui_with_layout(
                egui::vec2(text_width, 0.0),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.add(egui::Label::new(*reply).wrap());
                },
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Not focusable, so that Tab goes from one count to the next; Ctrl+Enter in
                // the count does the same from the keyboard.
                if ui
                    .add(egui::Button::new(PICK).sense(egui::Sense::CLICK))
                    .clicked()
                {
                    pick = Some(i + 1);
                }
            });
        });
        ui.add_space(4.0);
    }
    let votes = parse_votes(fields);
    ui.add_space(4.0);
    match &votes {
        Ok(votes) => {
            let total: u32 = votes.iter().sum();
            ui.label(
                egui::RichText::new(format!(
                    "{total} counted · Enter goes with the most votes · Ctrl+Enter with the reply you are on · Tab moves between counts"
                ))
                .weak(),
            );
        }
        Err(problem) => {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    }
    if let Some(notice) = notice {
        ui.colored_label(ui.visuals().warn_fg_color, notice);
    }
    let mut action = None;
    ui.horizontal(|ui| {
        let go = ui.add(egui::Button::new(
            egui::RichText::new("Go with the most votes  (Enter)").strong(),
        ));
        if let Ok(votes) = &votes
            && (go.clicked() || enter || pick.is_some())
        {
            action = Some(VoteAction::Decide {
                votes: votes.clone(),
                pick,
            });
        }
        if ui.button("End the session").clicked() {
            action = Some(VoteAction::End);
        }
    });
    action
}

/// The decision just made: the line, each reply with its votes, and the room's reply.
#[derive(Debug, Clone)]
pub struct RoomTally<'a> {
    pub client: &'a str,
    pub line: &'a str,
    pub cue: Option<&'a Cue>,
    /// (reply, votes) in the order shown.
    pub replies: Vec<(&'a str, u32)>,
    /// 0-based position of the room's reply.
    pub chosen: usize,
}

impl<'a> RoomTally<'a> {
    pub fn of(session: &'a Session, tallies: &[Vec<u32>]) -> Option<RoomTally<'a>> {
        let playable = session.playable();
        let decision = session.decisions().iter().rfind(|d| !d.taken_back)?;
        let node = playable.client(decision.prompt.node);
        let votes = tallies.last()?;
        Some(RoomTally {
            client: &playable.scenario().client.name.value,
            line: node
                .says
                .get(decision.prompt.variant as usize)
                .map_or("", |s| s.as_str()),
            cue: node.cue.as_ref(),
            replies: decision
                .prompt
                .order
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    (
                        playable.choice(decision.prompt.node, c).reply.as_str(),
                        votes.get(i).copied().unwrap_or(0),
                    )
                })
                .collect(),
            chosen: decision
                .prompt
                .order
                .iter()
                .position(|&c| c == decision.choice)
                .unwrap_or(0),
        })
    }
}

/// How the room voted, as bars, with the room's reply marked in words as well as colour.
pub fn tally_view(ui: &mut egui::Ui, tally: &RoomTally) {
    let total: u32 = tally.replies.iter().map(|(_, n)| n).sum();
    let most = tally
        .replies
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    for (i, (reply, votes)) in tally.replies.iter().enumerate() {
        let chosen = i == tally.chosen;
        let text = if chosen {
            egui::RichText::new(format!("{}.  {reply}", i + 1)).strong()
        } else {
            egui::RichText::new(format!("{}.  {reply}", i + 1))
        };
        ui.add(egui::Label::new(text).wrap());
        ui.horizontal(|ui| {
            let width = ui.available_width() * 0.5;
            let height = ui.style().text_styles[&egui::TextStyle::Small].size;
            let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
            let fill = if chosen {
                ui.visuals().selection.bg_fill
            } else {
                ui.visuals().widgets.inactive.bg_fill
            };
            let bar = egui::Rect::from_min_size(
                rect.min,
                egui::vec2(width * *votes as f32 / most as f32, height),
            );
            ui.painter().rect_filled(bar, 4.0, fill);
            let count = if total > 0 {
                format!("{votes} ({:.0}%)", 100.0 * *votes as f32 / total as f32)
            } else {
                "not counted".to_owned()
            };
            ui.label(egui::RichText::new(count).small());
            if chosen {
                ui.label(
                    egui::RichText::new("◀ the room's reply")
                        .small()
                        .strong()
                        .color(ui.visuals().selection.stroke.color),
                );
            }
        });
        ui.add_space(4.0);
    }
}

/// What the room's reply did: hidden until the facilitator reveals it.
#[derive(Debug, Clone)]
pub struct Reveal<'a> {
    /// What a trainee's feedback card shows (skills, feedback, thought, meters).
    pub card: FeedbackCard<'a>,
    /// The codes in words: MITI, Carkhuff level, whether it noticed the cue.
    pub codes: String,
    /// The scenario has ended (or stopped): "Next" opens the debrief.
    pub last: bool,
}

impl<'a> Reveal<'a> {
    pub fn of(session: &'a Session, applied: &'a Applied) -> Reveal<'a> {
        let playable = session.playable();
        let choice = applied.chosen(playable);
        let node = playable.client(applied.node);
        let mut codes: Vec<String> = choice
            .codes
            .miti
            .iter()
            .map(|m| miti_words(m).to_owned())
            .collect();
        if let Some(level) = &choice.codes.carkhuff {
            codes.push(format!("Carkhuff level {}", level.value));
        }
        if node.cue.is_some() {
            codes.push(if choice.codes.notices_cue {
                "notices the cue".to_owned()
            } else {
                "misses the cue".to_owned()
            });
        }
        Reveal {
            card: FeedbackCard::of(session, applied),
            codes: codes.join(" · "),
            last: session.status() != Status::AwaitingChoice,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealAction {
    Reveal,
    Next,
    End,
}

pub const REVEAL: &str = "Reveal the feedback  (Enter)";
pub const HIDDEN: &str = "The feedback, the codes and what the client thinks are hidden: discuss the room's reply first.";

/// The feedback card, hidden (with a reveal button) or shown (with the next step). Enter does
/// whichever is on offer, unless another window has the `keyboard`.
pub fn reveal_view(
    ui: &mut egui::Ui,
    reveal: &Reveal,
    shown: bool,
    keyboard: bool,
) -> Option<RevealAction> {
    let mut action = None;
    let enter = keyboard && ui.input(|i| i.key_pressed(egui::Key::Enter));
    widgets::card(ui, |ui| {
        if !shown {
            ui.label(egui::RichText::new(HIDDEN).weak());
            return;
        }
        for &(skill, value) in &reveal.card.scores {
            widgets::skill_change(ui, skill, value);
        }
        ui.add_space(4.0);
        ui.label(reveal.card.feedback);
        if !reveal.codes.is_empty() {
            ui.label(egui::RichText::new(format!("Codes: {}", reveal.codes)).small());
        }
        if let Some(thought) = reveal.card.thought {
            ui.label(
                egui::RichText::new(format!("{} thinks: “{thought}”", reveal.card.client))
                    .italics()
                    .color(ui.visuals().selection.stroke.color),
            );
        }
        if !reveal.card.changes.is_empty() {
            let changes: Vec<String> = reveal
                .card
                .changes
                .iter()
                .map(|(name, before, after)| format!("{name} went from {before} to {after}"))
                .collect();
            ui.label(egui::RichText::new(changes.join("; ")).small().weak());
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if shown {
            let next = if reveal.last {
                "To the debrief  (Enter)"
            } else {
                "Next decision  (Enter)"
            };
            if ui.button(egui::RichText::new(next).strong()).clicked() || enter {
                action = Some(RevealAction::Next);
            }
        } else if ui.button(egui::RichText::new(REVEAL).strong()).clicked() || enter {
            action = Some(RevealAction::Reveal);
        }
        if !reveal.last && ui.button("End the session").clicked() {
            action = Some(RevealAction::End);
        }
    });
    action
}

/// The debrief: where the session ended, the room's skills, then the PEARLS prompts.
#[derive(Debug, Clone)]
pub struct GroupDebrief<'a> {
    pub group: &'a str,
    pub title: &'a str,
    /// How the session ended, in a sentence.
    pub ending: String,
    pub skills: &'a [SkillScore],
    pub sections: Vec<DebriefSection>,
    /// Where the result was saved, or why it could not be.
    pub saved: String,
}

impl<'a> GroupDebrief<'a> {
    pub fn of(
        session: &'a Session,
        card: &'a Scorecard,
        tallies: &[Vec<u32>],
        group: &'a str,
        saved: &Result<std::path::PathBuf, String>,
    ) -> GroupDebrief<'a> {
        let playable = session.playable();
        let ending = match session.status() {
            Status::Ended(ix) => {
                let e = playable.ending(ix);
                format!("Ending: {} ({})", e.title.value, e.outcome.label())
            }
            Status::Stopped(reason) => {
                format!(
                    "Stopped: {}",
                    attune_core::debrief::stop_explanation(reason)
                )
            }
            Status::AwaitingChoice => "Ended early by the facilitator.".to_owned(),
        };
        GroupDebrief {
            group,
            title: &playable.scenario().title.value,
            ending,
            skills: &card.skills,
            sections: pearls_prompts(session, card, tallies),
            saved: match saved {
                Ok(path) => format!("Saved with the room's votes: {}", path.display()),
                Err(err) => err.clone(),
            },
        }
    }
}

pub const TO_LIBRARY: &str = "‹ Back to the library";

/// Returns true when the facilitator goes back to the library.
pub fn debrief_view(ui: &mut egui::Ui, d: &GroupDebrief) -> bool {
    let mut done = false;
    ui.heading(format!("Debrief — {} with {}", d.title, d.group));
    ui.label(egui::RichText::new(&d.ending).strong());
    for (n, section) in d.sections.iter().enumerate() {
        ui.add_space(10.0);
        ui.label(
            egui::RichText::new(format!("{}. {}", n + 1, section.phase.title()))
                .heading()
                .color(ui.visuals().selection.stroke.color),
        );
        ui.label(egui::RichText::new(section.phase.aim()).weak().small());
        for prompt in &section.prompts {
            ui.horizontal_top(|ui| {
                ui.label("•");
                ui.add(egui::Label::new(prompt.as_str()).wrap());
            });
        }
        // The scores come in the analysis, after the room's own reading: not before the
        // reactions, which they would colour.
        if section.phase == Pearls::Analysis {
            ui.add_space(6.0);
            egui::Grid::new("group-skills")
                .num_columns(2)
                .spacing([16.0, 8.0])
                .show(ui, |ui| {
                    for skill in d.skills {
                        widgets::skill_bar(ui, skill);
                        ui.end_row();
                    }
                });
        }
    }
    ui.add_space(10.0);
    ui.label(egui::RichText::new(&d.saved).small().weak());
    if ui.button(TO_LIBRARY).clicked() {
        done = true;
    }
    done
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::super::room::tests::tom;
    use super::*;

    fn voting_harness(
        session: &Session,
        size: egui::Vec2,
        keyboard: bool,
    ) -> Harness<'_, (Vec<String>, Option<VoteAction>)> {
        let prompt = RoomPrompt::of(session).unwrap();
        Harness::builder().with_size(size).build_ui_state(
            move |ui, (fields, action): &mut (Vec<String>, Option<VoteAction>)| {
                room_text(ui);
                if let Some(done) = voting_view(ui, &prompt, fields, None, keyboard) {
                    *action = Some(done);
                }
            },
            (Vec::new(), None),
        )
    }

    #[test]
    fn counts_are_typed_with_digits_tab_moves_on_and_enter_goes_with_the_room() {
        let session = tom();
        let mut harness = voting_harness(&session, egui::vec2(1280.0, 800.0), true);
        harness.run();
        assert!(
            harness.get_by_label("1.").is_focused(),
            "the first count has the focus"
        );
        harness.get_by_label("1.").type_text("3");
        harness.key_press(egui::Key::Tab);
        harness.run();
        assert!(
            harness.get_by_label("2.").is_focused(),
            "Tab skips the pick buttons"
        );
        harness.get_by_label("2.").type_text("9");
        harness.key_press(egui::Key::Tab);
        harness.key_press(egui::Key::Tab);
        harness.run();
        harness.get_by_label("4.").type_text("2");
        harness.run();
        harness
            .get_by_label("14 counted · Enter goes with the most votes · Ctrl+Enter with the reply you are on · Tab moves between counts");
        assert_eq!(harness.state().1, None);
        harness.key_press(egui::Key::Enter);
        harness.run();
        assert_eq!(
            harness.state().1,
            Some(VoteAction::Decide {
                votes: vec![3, 9, 0, 2],
                pick: None
            })
        );
    }

    #[test]
    fn ctrl_enter_in_a_count_picks_that_reply_from_the_keyboard() {
        let session = tom();
        let mut harness = voting_harness(&session, egui::vec2(1280.0, 800.0), true);
        harness.run();
        harness.get_by_label("1.").type_text("3");
        harness.key_press(egui::Key::Tab);
        harness.run();
        harness.get_by_label("2.").type_text("3");
        harness.key_press(egui::Key::Tab);
        harness.run();
        assert!(harness.get_by_label("3.").is_focused());
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
        harness.run();
        assert_eq!(
            harness.state().1,
            Some(VoteAction::Decide {
                votes: vec![3, 3, 0, 0],
                pick: Some(3)
            }),
            "the reply whose count had the focus is the room's"
        );
    }

    #[test]
    fn enter_does_not_decide_while_another_window_has_the_keyboard() {
        let session = tom();
        let mut harness = voting_harness(&session, egui::vec2(1280.0, 800.0), false);
        harness.run();
        harness.get_by_label("1.").type_text("3");
        harness.key_press(egui::Key::Enter);
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
        harness.run();
        assert_eq!(harness.state().1, None);
    }

    #[test]
    fn a_word_in_a_count_is_explained_and_a_click_picks_the_class_choice() {
        let session = tom();
        let mut harness = voting_harness(&session, egui::vec2(1280.0, 800.0), true);
        harness.run();
        harness.get_by_label("1.").type_text("lots");
        harness.key_press(egui::Key::Enter);
        harness.run();
        harness.get_by_label_contains("Reply 1: “lots” is not a number of people");
        assert_eq!(harness.state().1, None, "nothing goes on with a bad count");
        harness.state_mut().0[0].clear();
        harness.get_all_by_label(PICK).nth(2).unwrap().click();
        harness.run();
        assert_eq!(
            harness.state().1,
            Some(VoteAction::Decide {
                votes: vec![0, 0, 0, 0],
                pick: Some(3)
            })
        );
    }

    /// Every reply, count field and pick button lies inside the window, and within a row none
    /// overlaps another; body text is room-sized and grows with the screen.
    #[test]
    fn the_voting_view_fits_1280x800_and_1920x1080_with_large_text() {
        let session = tom();
        let offered: Vec<&str> = session.offered().map(|c| c.reply.as_str()).collect();
        let mut text_heights = Vec::new();
        for size in [egui::vec2(1280.0, 800.0), egui::vec2(1920.0, 1080.0)] {
            let mut harness = voting_harness(&session, size, true);
            harness.run();
            let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
            let picks: Vec<egui::Rect> = harness.get_all_by_label(PICK).map(|n| n.rect()).collect();
            assert_eq!(picks.len(), offered.len());
            let mut last_bottom = 0.0;
            for (i, reply) in offered.iter().enumerate() {
                let text = harness.get_by_label(reply).rect();
                let field = harness.get_by_label(&votes_label(i + 1)).rect();
                for (name, rect) in [("reply", text), ("count", field), ("pick", picks[i])] {
                    assert!(
                        window.contains_rect(rect),
                        "{name} {i} at {size:?} is outside the window: {rect:?}"
                    );
                }
                assert!(
                    field.max.x <= text.min.x,
                    "count and reply overlap in row {i}"
                );
                assert!(
                    text.max.x <= picks[i].min.x,
                    "reply and pick button overlap in row {i}"
                );
                assert!(text.min.y >= last_bottom, "row {i} overlaps the row above");
                last_bottom = text.max.y.max(field.max.y).max(picks[i].max.y);
            }
            text_heights.push(
                harness
                    .get_by_label("Go with the most votes  (Enter)")
                    .rect()
                    .height(),
            );
        }
        assert!(
            text_heights[0] >= 40.0,
            "a button a room can read: {text_heights:?}"
        );
        assert!(
            text_heights[1] > text_heights[0],
            "larger on a larger screen: {text_heights:?}"
        );
    }

    #[test]
    fn the_feedback_codes_and_thought_stay_hidden_until_revealed() {
        let mut session = tom();
        let applied = session.choose_id("opening.reflect-reluctance", 0).unwrap();
        let reveal = Reveal::of(&session, &applied);
        let chosen = applied.chosen(session.playable());
        let thought = format!("Tom thinks: “{}”", chosen.thought.as_ref().unwrap().value);
        for shown in [false, true] {
            let mut harness = Harness::builder()
                .with_size(egui::vec2(700.0, 800.0))
                .build_ui_state(
                    |ui, done: &mut Option<RevealAction>| {
                        room_text(ui);
                        if let Some(action) = reveal_view(ui, &reveal, shown, true) {
                            *done = Some(action);
                        }
                    },
                    None,
                );
            harness.run();
            assert_eq!(
                harness.query_by_label(&chosen.feedback.value).is_some(),
                shown
            );
            assert_eq!(harness.query_by_label(&thought).is_some(), shown);
            assert_eq!(harness.query_by_label_contains("Codes:").is_some(), shown);
            assert_eq!(harness.query_by_label(HIDDEN).is_some(), !shown);
            harness.key_press(egui::Key::Enter);
            harness.run();
            let expected = if shown {
                RevealAction::Next
            } else {
                RevealAction::Reveal
            };
            assert_eq!(*harness.state(), Some(expected));
        }
        assert!(reveal.codes.contains("reflection"), "{}", reveal.codes);
    }

    #[test]
    fn the_tally_shows_each_count_and_share_and_names_the_room_reply() {
        let mut session = tom();
        session.choose(2, 0).unwrap();
        let tallies = vec![vec![3, 9, 2, 0]];
        let tally = RoomTally::of(&session, &tallies).unwrap();
        assert_eq!(tally.chosen, 1);
        let mut harness = Harness::new_ui(|ui| tally_view(ui, &tally));
        harness.run();
        harness.get_by_label("9 (64%)");
        harness.get_by_label("0 (0%)");
        let marker = harness.get_by_label("◀ the room's reply").rect();
        let count = harness.get_by_label("9 (64%)").rect();
        assert!(
            (marker.center().y - count.center().y).abs() < 4.0,
            "marked on the chosen row"
        );
    }
}
