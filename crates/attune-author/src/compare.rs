//! Re-running a saved path against an edited scenario (`attune replay RESULT --against FILE`):
//! the same seed, mode and decisions (by choice id, with hints and take-backs), and at each
//! decision what the edit changed — the reply's scores, codes, wording and where it leads, the
//! client's line, the replies on offer — until the path can no longer be followed. Then the
//! ending and the scores before and after.
//!
//! What the result file records (nodes, choice ids, scores and codes) is compared always;
//! wording and authored links need the scenario as it was played, which the caller passes when
//! it has it (a file whose content hash matches the result).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use attune_core::Playable;
use attune_core::debrief;
use attune_core::engine::{ENGINE_VERSION, Session, Status, StopReason};
use attune_core::ids::{ChoiceId, NodeId};
use attune_core::model::{Choice, Miti, Outcome};
use attune_core::playable::ClientIx;
use attune_core::results::{EndingRecord, ReplayError, RunResult, RunStatus};
use attune_core::scoring::{Scorecard, SkillScore};
use attune_core::skills::Skill;
use attune_core::suggest;

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The recorded decisions that could be followed, in order, each with what changed; the
    /// decision where the path breaks is last, with the changes found before it broke.
    pub decisions: Vec<DecisionChanges>,
    /// Where the recorded path can no longer be followed, if it cannot.
    pub broke: Option<Break>,
    /// How many decisions the result records.
    pub recorded: usize,
    /// Whether the scenario as played was at hand, so wording and links were compared.
    pub wording_compared: bool,
    pub before: Ending,
    pub after: Ending,
    pub scores_before: Vec<SkillScore>,
    /// The scores of the decisions replayed in the edited scenario (up to the break, if any).
    pub scores_after: Vec<SkillScore>,
}

/// How a run ended, before or after the edit.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    Reached {
        id: String,
        title: String,
        outcome: Outcome,
    },
    Stopped(StopReason),
    /// The trainee stopped before an ending (before), or the replay broke (after).
    None,
}

/// One recorded decision and what the edit changed about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionChanges {
    /// 1-based, as the debrief numbers decisions.
    pub step: usize,
    pub node: NodeId,
    pub chosen: ChoiceId,
    pub taken_back: bool,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Score {
        skill: Skill,
        before: i32,
        after: i32,
    },
    Carkhuff {
        before: Option<f32>,
        after: Option<f32>,
    },
    Miti {
        before: Vec<Miti>,
        after: Vec<Miti>,
    },
    NoticesCue {
        before: bool,
        after: bool,
    },
    /// The chosen reply's text.
    Reply {
        before: String,
        after: String,
    },
    /// The client's line as the trainee read it, and as the same seed shows it now.
    Line {
        before: String,
        after: String,
    },
    /// Without the scenario as played: the same seed now picks another wording of the line.
    Variant {
        before: u16,
        after: u16,
    },
    /// Where the chosen reply leads, as written in the file.
    Next {
        before: String,
        after: String,
    },
    /// Replies shown then and not now: `removed` are gone from the node, `hidden` are still
    /// there but their condition does not hold on this path.
    NoLongerOffered {
        removed: Vec<ChoiceId>,
        hidden: Vec<ChoiceId>,
    },
    /// Replies on offer now that were not shown then.
    NowOffered(Vec<ChoiceId>),
}

/// Where the session stands instead of at the recorded decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Position {
    Client(String),
    Ending { id: String, outcome: Outcome },
    Stopped(StopReason),
}

/// Why the recorded path cannot be followed further.
#[derive(Debug, Clone, PartialEq)]
pub enum Break {
    /// The node of decision `step` is no longer in the scenario.
    NodeGone {
        step: usize,
        node: NodeId,
        nearest: Option<String>,
    },
    /// The path no longer reaches the node of decision `step`: an earlier reply (or a branch)
    /// now leads elsewhere, or the session ends or stops first.
    Elsewhere {
        step: usize,
        expected: NodeId,
        now: Position,
    },
    /// The reply chosen at decision `step` is no longer in its node.
    ReplyGone {
        step: usize,
        chosen: ChoiceId,
        offered: Vec<ChoiceId>,
    },
    /// The reply is still there but not on offer on this path: its condition does not hold.
    ReplyNotOffered {
        step: usize,
        chosen: ChoiceId,
        condition: String,
        offered: Vec<ChoiceId>,
    },
    /// Every recorded decision was followed and the run had ended, but the edited scenario
    /// asks for another decision here.
    GoesOn { node: String },
}

/// Replays `result` in `edited` and compares. `played` is the scenario as the run was played,
/// if the caller has it; it is used only if its content hash is the one the result records.
pub fn compare(
    result: &RunResult,
    edited: Arc<Playable>,
    played: Option<&Playable>,
) -> Result<Comparison, ReplayError> {
    let id = &edited.scenario().id.value;
    if *id != result.scenario.id {
        return Err(ReplayError::WrongScenario {
            expected: result.scenario.id.to_string(),
            found: id.to_string(),
        });
    }
    if result.engine != ENGINE_VERSION {
        return Err(ReplayError::OtherEngine(result.engine));
    }
    let played = played.filter(|p| p.content_hash() == result.scenario.content_hash);

    let mut session = Session::start(Arc::clone(&edited), result.mode, result.seed);
    let mut decisions = Vec::new();
    let mut broke = None;
    for (i, d) in result.decisions.iter().enumerate() {
        let step = i + 1;
        let here = session.prompt().map(|p| p.node);
        let Some(node) = here.filter(|&n| edited.client(n).id.value == d.node) else {
            broke = Some(match edited.find_client(d.node.as_str()) {
                None => Break::NodeGone {
                    step,
                    node: d.node.clone(),
                    nearest: suggest::nearest(
                        d.node.as_str(),
                        edited.clients().map(|c| edited.client(c).id.as_str()),
                    )
                    .map(str::to_owned),
                },
                Some(_) => Break::Elsewhere {
                    step,
                    expected: d.node.clone(),
                    now: position(&session),
                },
            });
            break;
        };
        let mut changes = DecisionChanges {
            step,
            node: d.node.clone(),
            chosen: d.chosen.clone(),
            taken_back: d.taken_back,
            changes: Vec::new(),
        };
        let prompt = session
            .prompt()
            .cloned()
            .expect("awaiting a choice at `node`");
        let old_node = played.and_then(|p| p.find_client(d.node.as_str()).map(|n| (p, n)));

        // The client's line.
        match old_node {
            Some((p, n)) => {
                let before = p.client(n).says.get(d.variant as usize);
                let after = session.line();
                if let (Some(before), Some(after)) = (before, after)
                    && before.as_str() != after
                {
                    changes.changes.push(Change::Line {
                        before: before.value.clone(),
                        after: after.to_owned(),
                    });
                }
            }
            None if d.variant != prompt.variant => changes.changes.push(Change::Variant {
                before: d.variant,
                after: prompt.variant,
            }),
            None => {}
        }

        // The replies on offer.
        let offered: Vec<ChoiceId> = session.offered_ids().cloned().collect();
        let in_node = |id: &ChoiceId| find_choice(&edited, node, id).is_some();
        // The reply chosen is left out: if it is not on offer, the path breaks there, and the
        // break says why.
        let (hidden, removed): (Vec<ChoiceId>, Vec<ChoiceId>) = d
            .shown
            .iter()
            .filter(|id| !offered.contains(id) && **id != d.chosen)
            .cloned()
            .partition(in_node);
        if !removed.is_empty() || !hidden.is_empty() {
            changes
                .changes
                .push(Change::NoLongerOffered { removed, hidden });
        }
        let shown: BTreeSet<&ChoiceId> = d.shown.iter().collect();
        let added: Vec<ChoiceId> = offered
            .iter()
            .filter(|id| !shown.contains(id))
            .cloned()
            .collect();
        if !added.is_empty() {
            changes.changes.push(Change::NowOffered(added));
        }

        // The reply chosen.
        let Some((choice, next)) = find_choice(&edited, node, &d.chosen) else {
            decisions.push(changes);
            broke = Some(Break::ReplyGone {
                step,
                chosen: d.chosen.clone(),
                offered,
            });
            break;
        };
        if !offered.contains(&d.chosen) {
            decisions.push(changes);
            broke = Some(Break::ReplyNotOffered {
                step,
                chosen: d.chosen.clone(),
                condition: choice
                    .when
                    .as_ref()
                    .map_or_else(String::new, |w| w.value.clone()),
                offered,
            });
            break;
        }
        for skill in Skill::ALL {
            let before = d.scores.get(&skill).copied().unwrap_or(0);
            let after = choice.scores.get(skill).value;
            if before != after {
                changes.changes.push(Change::Score {
                    skill,
                    before,
                    after,
                });
            }
        }
        let carkhuff = choice.codes.carkhuff.as_ref().map(|l| l.value);
        if d.carkhuff != carkhuff {
            changes.changes.push(Change::Carkhuff {
                before: d.carkhuff,
                after: carkhuff,
            });
        }
        let recorded: Vec<Miti> = d
            .miti
            .into_iter()
            .chain(d.miti_also.iter().copied())
            .collect();
        if recorded != choice.codes.miti.0 {
            changes.changes.push(Change::Miti {
                before: recorded,
                after: choice.codes.miti.0.clone(),
            });
        }
        if d.notices_cue != choice.codes.notices_cue {
            changes.changes.push(Change::NoticesCue {
                before: d.notices_cue,
                after: choice.codes.notices_cue,
            });
        }
        if let Some((old, _)) = old_node.and_then(|(p, n)| find_choice(p, n, &d.chosen)) {
            if old.reply.value != choice.reply.value {
                changes.changes.push(Change::Reply {
                    before: old.reply.value.clone(),
                    after: choice.reply.value.clone(),
                });
            }
            if old.next.value.as_str() != next {
                changes.changes.push(Change::Next {
                    before: old.next.value.to_string(),
                    after: next.to_string(),
                });
            }
        }
        decisions.push(changes);

        // Play the decision as it was played. The checks above make these succeed; if one
        // does not, the path cannot be followed past this decision.
        if d.hint_used && session.hint().is_err()
            || session.choose_id(d.chosen.as_str(), d.elapsed_ms).is_err()
            || d.taken_back && session.take_back().is_err()
        {
            broke = Some(Break::Elsewhere {
                step: step + 1,
                expected: d.node.clone(),
                now: position(&session),
            });
            break;
        }
    }
    if broke.is_none()
        && result.status != RunStatus::Abandoned
        && let Some(node) = session.node()
    {
        broke = Some(Break::GoesOn {
            node: node.id.value.to_string(),
        });
    }

    let before = match (&result.ending, result.status) {
        (
            Some(EndingRecord {
                id, title, outcome, ..
            }),
            _,
        ) => Ending::Reached {
            id: id.to_string(),
            title: title.clone(),
            outcome: *outcome,
        },
        (None, RunStatus::Stopped(reason)) => Ending::Stopped(reason),
        (None, _) => Ending::None,
    };
    let after = match session.status() {
        Status::Ended(e) if broke.is_none() => {
            let e = edited.ending(e);
            Ending::Reached {
                id: e.id.value.to_string(),
                title: e.title.value.clone(),
                outcome: e.outcome,
            }
        }
        Status::Stopped(reason) if broke.is_none() => Ending::Stopped(reason),
        _ => Ending::None,
    };
    Ok(Comparison {
        decisions,
        broke,
        recorded: result.decisions.len(),
        wording_compared: played.is_some(),
        before,
        after,
        scores_before: result.scores.clone(),
        scores_after: Scorecard::of(&session).skills,
    })
}

/// The choice with this id in a client node, and the id its `next` names.
fn find_choice<'p>(
    playable: &'p Playable,
    node: ClientIx,
    id: &ChoiceId,
) -> Option<(&'p Choice, &'p str)> {
    playable
        .choices(node)
        .find(|(_, _, links)| links.id == *id)
        .map(|(_, choice, _)| (choice, choice.next.value.as_str()))
}

fn position(session: &Session) -> Position {
    let playable = session.playable();
    match session.status() {
        Status::AwaitingChoice => Position::Client(
            session
                .node()
                .map_or_else(String::new, |n| n.id.value.to_string()),
        ),
        Status::Ended(e) => {
            let e = playable.ending(e);
            Position::Ending {
                id: e.id.value.to_string(),
                outcome: e.outcome,
            }
        }
        Status::Stopped(reason) => Position::Stopped(reason),
    }
}

impl Comparison {
    /// Whether the edited scenario plays the recorded path exactly as before.
    pub fn unchanged(&self) -> bool {
        self.broke.is_none()
            && self.decisions.iter().all(|d| d.changes.is_empty())
            && self.before == self.after
            && same_points(&self.scores_before, &self.scores_after)
    }
}

fn same_points(a: &[SkillScore], b: &[SkillScore]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(a, b)| a.counted == b.counted && a.percent == b.percent && a.band == b.band)
}

fn ids(ids: &[ChoiceId]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    quoted.join(", ")
}

/// A score as the debrief writes one: `+2`, `0`, `-1`.
fn signed(n: i32) -> String {
    if n == 0 {
        "0".to_owned()
    } else {
        format!("{n:+}")
    }
}

fn level(level: Option<f32>) -> String {
    level.map_or_else(|| "none".to_owned(), |l| format!("{l:.1}"))
}

fn miti(codes: &[Miti]) -> String {
    if codes.is_empty() {
        return "none".to_owned();
    }
    codes
        .iter()
        .map(|c| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn ending_text(ending: &Ending) -> String {
    match ending {
        Ending::Reached { id, title, outcome } => {
            format!("`{id}`, \"{title}\" ({})", outcome.label())
        }
        Ending::Stopped(reason) => format!("stopped: {}", debrief::stop_explanation(*reason)),
        Ending::None => "none".to_owned(),
    }
}

fn score_text(s: &SkillScore) -> String {
    let plural = if s.counted.abs() == 1 { "" } else { "s" };
    let mut text = format!("{} point{plural}", signed(s.counted));
    if let Some(percent) = s.percent {
        let _ = write!(text, ", {percent}%");
    }
    if let Some(band) = s.band {
        let _ = write!(text, ", {}", band.label());
    }
    text
}

fn change_lines(change: &Change) -> Vec<String> {
    let quoted = |label: &str, before: &str, after: &str| {
        vec![
            format!("{label}:"),
            debrief::wrap_hanging(&format!("\"{before}\""), 71, "  before: ", "           "),
            debrief::wrap_hanging(&format!("\"{after}\""), 71, "  after:  ", "           "),
        ]
    };
    match change {
        Change::Score {
            skill,
            before,
            after,
        } => vec![format!(
            "score for {}: {} → {}",
            skill.label().to_lowercase(),
            signed(*before),
            signed(*after)
        )],
        Change::Carkhuff { before, after } => vec![format!(
            "Carkhuff level: {} → {}",
            level(*before),
            level(*after)
        )],
        Change::Miti { before, after } => {
            vec![format!("MITI code: {} → {}", miti(before), miti(after))]
        }
        Change::NoticesCue { before, after } => vec![format!(
            "notices the cue: {} → {}",
            if *before { "yes" } else { "no" },
            if *after { "yes" } else { "no" }
        )],
        Change::Reply { before, after } => quoted("the reply is reworded", before, after),
        Change::Line { before, after } => quoted("the client's line is reworded", before, after),
        Change::Variant { before, after } => vec![format!(
            "the client says wording {} of the line now, not wording {} (the same seed picks differently after the edit)",
            after + 1,
            before + 1
        )],
        Change::Next { before, after } => {
            vec![format!("the reply leads to `{after}` now, not `{before}`")]
        }
        Change::NoLongerOffered { removed, hidden } => {
            let mut lines = Vec::new();
            if !removed.is_empty() {
                lines.push(format!(
                    "no longer on offer: {} (removed from the node)",
                    ids(removed)
                ));
            }
            if !hidden.is_empty() {
                lines.push(format!(
                    "no longer on offer: {} (its condition does not hold on this path now)",
                    ids(hidden)
                ));
            }
            lines
        }
        Change::NowOffered(added) => vec![format!("now also on offer: {}", ids(added))],
    }
}

fn break_text(broke: &Break, recorded: usize) -> String {
    match broke {
        Break::NodeGone {
            step,
            node,
            nearest,
        } => {
            let renamed = nearest
                .as_ref()
                .map(|n| format!(" (was it renamed `{n}`?)"))
                .unwrap_or_default();
            format!(
                "The path breaks at decision {step} of {recorded}: it was made at `{node}`, which the edited scenario no longer has{renamed}."
            )
        }
        Break::Elsewhere {
            step,
            expected,
            now,
        } => {
            let now = match now {
                Position::Client(node) => format!("goes to `{node}` instead"),
                Position::Ending { id, outcome } => {
                    format!("ends first, at `{id}` ({})", outcome.label())
                }
                Position::Stopped(reason) => {
                    format!("stops first: {}", debrief::stop_explanation(*reason))
                }
            };
            let cause = if *step == 1 {
                "the scenario starts somewhere else now".to_owned()
            } else {
                format!(
                    "after decision {}, where the path went next has changed",
                    step - 1
                )
            };
            format!(
                "The path breaks at decision {step} of {recorded}: it was made at `{expected}`, but {cause}: the session {now}."
            )
        }
        Break::ReplyGone {
            step,
            chosen,
            offered,
        } => format!(
            "The path breaks at decision {step} of {recorded}: the reply chosen, `{chosen}`, is no longer in the scenario. On offer there now: {}.",
            ids(offered)
        ),
        Break::ReplyNotOffered {
            step,
            chosen,
            condition,
            offered,
        } => format!(
            "The path breaks at decision {step} of {recorded}: the reply chosen, `{chosen}`, is not on offer on this path now (its condition, \"{condition}\", does not hold). On offer there now: {}.",
            ids(offered)
        ),
        Break::GoesOn { node } => format!(
            "The run ended after decision {recorded}, but the edited scenario goes on to `{node}`: the path no longer reaches an ending."
        ),
    }
}

/// The comparison as text for the terminal.
pub fn render_text(c: &Comparison) -> String {
    let mut out = String::new();
    let changed = c.decisions.iter().filter(|d| !d.changes.is_empty()).count();
    let summary = match (&c.broke, changed) {
        _ if c.unchanged() => {
            "No changes: the edited scenario plays this path exactly as before.".to_owned()
        }
        (None, 0) => "The decisions are unchanged, but the outcome differs.".to_owned(),
        (None, n) => format!(
            "{} changed; the whole path can still be followed.",
            debrief::count(n as u32, "decision")
        ),
        (Some(Break::GoesOn { .. }), n) => format!(
            "{} changed, and the path no longer reaches an ending (see below).",
            debrief::count(n as u32, "decision")
        ),
        (Some(broke), n) => format!(
            "{} changed before the path breaks at decision {} of {} (see below).",
            debrief::count(n as u32, "decision"),
            broke.step(c.recorded),
            c.recorded
        ),
    };
    let _ = writeln!(out, "{}", debrief::wrap(&summary, 78, ""));
    if !c.wording_compared {
        let _ = writeln!(
            out,
            "\n{}",
            debrief::wrap(
                "Wording and links are not compared: the scenario as it was played is not at hand (no file has the content hash the result records). Name a copy of it with --scenario FILE, for example one from your backups or version control.",
                78,
                ""
            )
        );
    }

    let _ = writeln!(out, "\nDecisions");
    for d in &c.decisions {
        let back = if d.taken_back { ", taken back" } else { "" };
        let head = format!("{:>3}. at `{}`, chose `{}`{back}", d.step, d.node, d.chosen);
        let breaks_here = c.broke.as_ref().map(|b| b.step(c.recorded)) == Some(d.step);
        if d.changes.is_empty() && !breaks_here {
            let _ = writeln!(out, "{head}: unchanged");
            continue;
        }
        let _ = writeln!(out, "{head}:");
        // A wrapped quotation is one entry with line breaks in it: indent every line.
        for entry in d.changes.iter().flat_map(change_lines) {
            for line in entry.lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
    }
    if let Some(broke) = &c.broke {
        let _ = writeln!(
            out,
            "{}",
            debrief::wrap_hanging(&break_text(broke, c.recorded), 78, "  ✗  ", "     ")
        );
    }

    let _ = writeln!(out, "\nEnding");
    let _ = writeln!(out, "  before: {}", ending_text(&c.before));
    let after = match (&c.broke, &c.after) {
        (Some(_), Ending::None) => "none: the path breaks before it ends".to_owned(),
        (_, ending) => ending_text(ending),
    };
    let _ = writeln!(out, "  after:  {after}");

    let replayed = match &c.broke {
        Some(_) => format!(
            " (the {} replayed)",
            debrief::count(c.decisions_scored(), "decision")
        ),
        None => String::new(),
    };
    let _ = writeln!(out, "\nScores{replayed}");
    let width = Skill::ALL
        .iter()
        .map(|s| s.label().len())
        .max()
        .unwrap_or(0);
    for (before, after) in c.scores_before.iter().zip(&c.scores_after) {
        let mark = if same_points(std::slice::from_ref(before), std::slice::from_ref(after)) {
            ""
        } else {
            "   (changed)"
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {} → {}{mark}",
            before.skill.label(),
            score_text(before),
            score_text(after)
        );
    }
    out
}

impl Break {
    /// The decision the path breaks at (one past the last for [`Break::GoesOn`]).
    pub fn step(&self, recorded: usize) -> usize {
        match self {
            Break::NodeGone { step, .. }
            | Break::Elsewhere { step, .. }
            | Break::ReplyGone { step, .. }
            | Break::ReplyNotOffered { step, .. } => *step,
            Break::GoesOn { .. } => recorded + 1,
        }
    }
}

impl Comparison {
    /// How many decisions the "after" scores cover: those played before the break.
    fn decisions_scored(&self) -> u32 {
        let broken_at = match &self.broke {
            Some(Break::ReplyGone { .. } | Break::ReplyNotOffered { .. }) => 1,
            _ => 0,
        };
        (self.decisions.len() - broken_at) as u32
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use attune_core::engine::Mode;
    use attune_core::ids::TraineeId;

    use super::*;
    use crate::template;

    const BEST: [&str; 5] = [
        "opening.phone",
        "the-load.as-if-nothing",
        "shouted.you-stopped",
        "in-the-car.both",
        "closing.told-me",
    ];

    fn text() -> String {
        template::scenario("nadia", "nadia.scenario.ron")
    }

    fn playable(text: String) -> Arc<Playable> {
        let loaded = attune_core::load_str("nadia.scenario.ron", text, None);
        assert_eq!(loaded.errors(), 0, "{:#?}", loaded.diagnostics);
        loaded.playable.unwrap()
    }

    /// A practice run of the best path, with a hint and a take-back on the way.
    fn result(played: &Arc<Playable>) -> RunResult {
        result_with_seed(played, 11)
    }

    fn result_with_seed(played: &Arc<Playable>, seed: u64) -> RunResult {
        let mut session = Session::start(Arc::clone(played), Mode::Practice, seed);
        session.choose_id(BEST[0], 0).unwrap();
        session.hint().unwrap();
        session.choose_id("the-load.respite", 0).unwrap();
        session.take_back().unwrap();
        for id in &BEST[1..] {
            session.choose_id(id, 0).unwrap();
        }
        let card = Scorecard::of(&session);
        let now = SystemTime::now();
        RunResult::from_session(
            &session,
            &card,
            TraineeId("t".into()),
            None,
            now,
            now,
            false,
        )
    }

    fn edited(edit: impl FnOnce(&mut String)) -> (Comparison, Comparison) {
        let played = playable(text());
        let result = result(&played);
        let mut changed = text();
        edit(&mut changed);
        let changed = playable(changed);
        (
            compare(&result, Arc::clone(&changed), Some(&played)).unwrap(),
            compare(&result, changed, None).unwrap(),
        )
    }

    fn replace(text: &mut String, from: &str, to: &str) {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        *text = text.replace(from, to);
    }

    #[test]
    fn the_same_scenario_changes_nothing() {
        let (with, without) = edited(|_| {});
        assert!(with.unchanged() && without.unchanged(), "{with:#?}");
        assert!(with.wording_compared && !without.wording_compared);
        assert_eq!(with.decisions.len(), 6);
        assert!(with.decisions[1].taken_back);
        assert!(render_text(&with).starts_with("No changes"));
    }

    const OPENING_LINES: &str = "\"Sorry, I can't stay past half eleven.";

    #[test]
    fn a_reworded_line_shows_as_text_with_the_played_version() {
        let (with, without) = edited(|t| {
            replace(t, OPENING_LINES, "\"Sorry, I can't stay long after eleven.");
            replace(
                t,
                "\"I've only got till half eleven,",
                "\"I've only got till eleven,",
            );
        });
        assert!(
            matches!(&with.decisions[0].changes[..], [Change::Line { before, after }]
                if before.contains("half eleven") && !after.contains("half eleven")),
            "{with:#?}"
        );
        // Without it, the file records only which wording was shown, and that has not changed.
        assert!(without.decisions[0].changes.is_empty(), "{without:#?}");
    }

    #[test]
    fn without_the_played_version_another_wording_shows_as_a_variant() {
        let played = playable(text());
        // A seed whose session opened with the second wording.
        let result = (0..)
            .map(|seed| result_with_seed(&played, seed))
            .find(|r| r.decisions[0].variant == 1)
            .unwrap();
        let mut one_wording = text();
        let second = one_wording
            .find("\"I've only got till half eleven,")
            .unwrap();
        let end = second + one_wording[second..].find('\n').unwrap() + 1;
        one_wording.replace_range(second..end, "");
        let c = compare(&result, playable(one_wording), None).unwrap();
        assert_eq!(
            c.decisions[0].changes[..],
            [Change::Variant {
                before: 1,
                after: 0
            }]
        );
        assert!(render_text(&c).contains("wording 1 of the line now, not wording 2"));
    }

    #[test]
    fn a_renamed_node_breaks_the_path_and_suggests_the_new_name() {
        let (with, _) = edited(|t| *t = t.replace("\"in-the-car\"", "\"in-the-van\""));
        assert_eq!(
            with.broke,
            Some(Break::NodeGone {
                step: 5,
                node: "in-the-car".into(),
                nearest: Some("in-the-van".into()),
            })
        );
        assert_eq!(with.after, Ending::None);
        assert!(render_text(&with).contains("was it renamed `in-the-van`?"));
    }

    #[test]
    fn a_reply_that_leads_elsewhere_is_named_and_the_path_breaks_where_it_diverges() {
        let (with, without) = edited(|t| {
            replace(
                t,
                "reply: \"You stopped just then. What were you going to say?\",\n                    next: \"after-shouting\",",
                "reply: \"You stopped just then. What were you going to say?\",\n                    next: \"closing\",",
            )
        });
        let step4 = &with.decisions[3];
        assert_eq!(step4.chosen.as_str(), "shouted.you-stopped");
        assert!(step4.changes.contains(&Change::Next {
            before: "after-shouting".into(),
            after: "closing".into(),
        }));
        let expected = Some(Break::Elsewhere {
            step: 5,
            expected: "in-the-car".into(),
            now: Position::Client("closing".into()),
        });
        assert_eq!(with.broke, expected);
        assert_eq!(without.broke, expected);
    }

    #[test]
    fn a_reply_whose_condition_no_longer_holds_breaks_the_path_with_the_condition() {
        let (with, _) = edited(|t| {
            replace(
                t,
                "when: \"dread_named\",",
                "when: \"dread_named and trust >= 10\",",
            )
        });
        match &with.broke {
            Some(Break::ReplyNotOffered {
                step, condition, ..
            }) => {
                assert_eq!(*step, 6);
                assert_eq!(condition, "dread_named and trust >= 10");
            }
            other => panic!("{other:?}"),
        }
        // The scores after cover the five decisions that could be replayed.
        assert_eq!(with.decisions.len(), 6);
        assert_eq!(with.decisions_scored(), 5);
    }

    #[test]
    fn a_path_that_no_longer_ends_is_reported() {
        let (with, _) = edited(|t| {
            replace(
                t,
                "when: \"dread_named\",    // optional: offered only when this condition holds",
                "when: \"dread_named\",",
            );
            replace(
                t,
                "next: \"how-it-ends\",\n                    when: \"dread_named\",",
                "next: \"polite\",\n                    when: \"dread_named\",",
            )
        });
        assert_eq!(
            with.broke,
            Some(Break::GoesOn {
                node: "polite".into()
            })
        );
        assert!(render_text(&with).contains("no longer reaches an ending"));
    }

    #[test]
    fn a_reply_added_and_an_ending_retitled_are_shown() {
        let (with, _) = edited(|t| {
            replace(
                t,
                "title: \"Same time next week\",",
                "title: \"See you Thursday\",",
            );
            replace(
                t,
                "            hint: \"She says it's fine. Does the way she says it sound fine?\",\n            choices: [\n",
                "            hint: \"She says it's fine. Does the way she says it sound fine?\",\n            choices: [\n                (id: \"the-load.brother\", reply: \"And your brother?\", next: \"shouted\", feedback: \"It moves away from her.\"),\n",
            );
        });
        assert!(with.broke.is_none(), "{with:#?}");
        assert!(
            with.decisions[2]
                .changes
                .contains(&Change::NowOffered(vec!["the-load.brother".into()]))
        );
        assert!(
            matches!(&with.after, Ending::Reached { title, .. } if title == "See you Thursday")
        );
        assert_ne!(with.before, with.after);
    }

    #[test]
    fn a_result_for_another_scenario_is_refused() {
        let played = playable(text());
        let result = result(&played);
        let other = playable(template::scenario("someone-else", "x"));
        assert!(matches!(
            compare(&result, other, None),
            Err(ReplayError::WrongScenario { .. })
        ));
    }
}
