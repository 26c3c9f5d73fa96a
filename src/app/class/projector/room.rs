//! The room's side of a facilitated session, as plain logic with no egui or Bevy: reading the
//! facilitator's counts, which reply the room chose, the votes saved with the result, and the
//! debrief prompts drawn from this run's decisions.

use std::collections::BTreeMap;

use attune_core::engine::{Session, Status};
use attune_core::model::Miti;
use attune_core::results::{DecisionVotes, GroupVotes};
use attune_core::scoring::{self, Scorecard};
use attune_core::skills::Skill;

/// The counts typed for each reply, in the order shown: a blank field is nobody.
pub fn parse_votes(fields: &[String]) -> Result<Vec<u32>, String> {
    fields
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let text = text.trim();
            if text.is_empty() {
                return Ok(0);
            }
            text.parse::<u32>().map_err(|_| {
                format!(
                    "Reply {}: “{text}” is not a number of people. Type a whole number such as 7, or leave it blank for nobody.",
                    i + 1
                )
            })
        })
        .collect()
}

/// Which reply the room goes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomChoice {
    /// The reply at this 0-based position in the order shown.
    Chosen(usize),
    /// Several replies share the most votes: the facilitator picks one of these.
    Tie(Vec<usize>),
    /// No counts and no pick yet.
    NoVotes,
}

/// The reply with the most votes, or the facilitator's `pick` (0-based), which always wins:
/// it settles a tie, and it is how a facilitator records the class's choice without counting.
pub fn room_choice(votes: &[u32], pick: Option<usize>) -> RoomChoice {
    if let Some(pick) = pick {
        return RoomChoice::Chosen(pick);
    }
    let most = votes.iter().copied().max().unwrap_or(0);
    if most == 0 {
        return RoomChoice::NoVotes;
    }
    let leaders: Vec<usize> = (0..votes.len()).filter(|&i| votes[i] == most).collect();
    match leaders.as_slice() {
        [one] => RoomChoice::Chosen(*one),
        _ => RoomChoice::Tie(leaders),
    }
}

/// What to tell the facilitator when the room's choice is not settled yet.
pub fn unsettled_message(choice: &RoomChoice) -> Option<String> {
    match choice {
        RoomChoice::Chosen(_) => None,
        RoomChoice::NoVotes => Some(
            "Type how many chose each reply (Tab moves on), then Enter; or click “The room chose this” on one reply (Ctrl+Enter in its count)."
                .to_owned(),
        ),
        RoomChoice::Tie(leaders) => Some(format!(
            "A tie between replies {}: click “The room chose this” on the one the room goes with (Ctrl+Enter in its count).",
            join_and(&leaders.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>())
        )),
    }
}

/// The votes to save with the result: one entry per decision, replies nobody chose left out.
/// A decision the facilitator settled without counting has no counts (an empty map); the
/// result's decision record says which reply the room took.
pub fn group_votes(
    session: &Session,
    tallies: &[Vec<u32>],
    participants: Option<u32>,
) -> GroupVotes {
    let playable = session.playable();
    let decisions = session
        .decisions()
        .iter()
        .filter(|d| !d.taken_back)
        .zip(tallies)
        .map(|(d, counts)| DecisionVotes {
            node: playable.client(d.prompt.node).id.value.clone(),
            votes: d
                .prompt
                .order
                .iter()
                .zip(counts)
                .filter(|&(_, &n)| n > 0)
                .map(|(&c, &n)| (playable.choice_links(d.prompt.node, c).id.clone(), n))
                .collect::<BTreeMap<_, _>>(),
        })
        .collect();
    GroupVotes {
        participants,
        decisions,
    }
}

/// The four phases of a PEARLS debrief (Eppich & Cheng 2015), in the order they are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pearls {
    Reactions,
    Description,
    Analysis,
    Summary,
}

impl Pearls {
    pub const ALL: [Pearls; 4] = [
        Pearls::Reactions,
        Pearls::Description,
        Pearls::Analysis,
        Pearls::Summary,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pearls::Reactions => "Reactions",
            Pearls::Description => "Description",
            Pearls::Analysis => "Analysis",
            Pearls::Summary => "Summary",
        }
    }

    /// What the facilitator is after in this phase.
    pub fn aim(self) -> &'static str {
        match self {
            Pearls::Reactions => "Let feelings out first, before anyone analyses.",
            Pearls::Description => {
                "Agree on what happened, so everyone discusses the same session."
            }
            Pearls::Analysis => {
                "What worked and what did not, and why: the room's own reading first, then the codes."
            }
            Pearls::Summary => "Each person names what they will take into their practice.",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DebriefSection {
    pub phase: Pearls,
    pub prompts: Vec<String>,
}

/// One decision as the room saw it, for the prompts.
struct RoomDecision<'s> {
    line: &'s str,
    /// (reply, votes) in the order shown.
    replies: Vec<(&'s str, u32)>,
    chosen: &'s str,
    chosen_total: i32,
    /// The best reply on offer, when the room chose another.
    better: Option<&'s str>,
    /// The skill the room's reply hurt most, when it hurt one.
    hurt: Option<(Skill, i32)>,
    /// A nonverbal cue the room's reply did not pick up.
    missed_cue: Option<&'s str>,
}

impl RoomDecision<'_> {
    fn total_votes(&self) -> u32 {
        self.replies.iter().map(|(_, n)| n).sum()
    }

    /// The share of the room that did not vote with the largest group: 0 when all agreed.
    fn split(&self) -> f32 {
        let total = self.total_votes();
        let most = self.replies.iter().map(|(_, n)| *n).max().unwrap_or(0);
        if total < 2 {
            0.0
        } else {
            1.0 - most as f32 / total as f32
        }
    }
}

fn room_decisions<'s>(session: &'s Session, tallies: &[Vec<u32>]) -> Vec<RoomDecision<'s>> {
    let playable = session.playable();
    session
        .decisions()
        .iter()
        .filter(|d| !d.taken_back)
        .zip(tallies)
        .map(|(d, counts)| {
            let node = playable.client(d.prompt.node);
            let chosen = playable.choice(d.prompt.node, d.choice);
            let best = scoring::best_offered(playable, d.prompt.node, &d.prompt.order)
                .filter(|&best| best != d.choice);
            let hurt = Skill::ALL
                .iter()
                .map(|&s| (s, chosen.scores.get(s).value))
                .filter(|&(_, v)| v < 0)
                .min_by_key(|&(_, v)| v);
            RoomDecision {
                line: node
                    .says
                    .get(d.prompt.variant as usize)
                    .map_or("", |s| s.as_str()),
                replies: d
                    .prompt
                    .order
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| {
                        (
                            playable.choice(d.prompt.node, c).reply.as_str(),
                            counts.get(i).copied().unwrap_or(0),
                        )
                    })
                    .collect(),
                chosen: &chosen.reply,
                chosen_total: chosen.scores.values().iter().sum(),
                better: best.map(|b| playable.choice(d.prompt.node, b).reply.as_str()),
                hurt,
                missed_cue: node
                    .cue
                    .as_ref()
                    .filter(|_| !chosen.codes.notices_cue)
                    .map(|c| c.text().value.as_str()),
            }
        })
        .collect()
}

/// Debrief prompts in the PEARLS order, written the way a counselling lecturer would put them
/// to a room, and tied to this run: where the room split most, where it agreed, the reply that
/// cost the client most, a cue it missed, the weakest skill.
pub fn pearls_prompts(
    session: &Session,
    card: &Scorecard,
    tallies: &[Vec<u32>],
) -> Vec<DebriefSection> {
    let playable = session.playable();
    let scenario = playable.scenario();
    let client = scenario.client.name.value.as_str();
    let decisions = room_decisions(session, tallies);

    let mut reactions = vec![
        format!(
            "Before we look at any scores: how are you feeling after that conversation with {client}?"
        ),
        "What was it like to decide together, with the room's choices up on the screen?".to_owned(),
    ];
    match session.status() {
        Status::Ended(ix) => reactions.push(format!(
            "The session ended with “{}”. What was your first reaction to that ending?",
            playable.ending(ix).title.value
        )),
        _ => reactions.push(format!(
            "We stopped before the end of the session. Where do you think {client} was left?"
        )),
    }

    let mut description = vec![
        format!(
            "In a sentence or two: who is {client}, and what brought this session about ({})?",
            lowercase_first(&scenario.client.presenting_concern.value)
        ),
        format!(
            "Walk us through the conversation. The room made {} — which moments stand out?",
            count(decisions.len(), "decision")
        ),
    ];
    if let Some(first) = decisions.first() {
        description.push(format!(
            "How did {client} open (“{}”), and how did the room first respond?",
            excerpt(first.line)
        ));
    }

    let mut analysis = Vec::new();
    let most_split = decisions
        .iter()
        .filter(|d| d.split() > 0.0)
        .max_by(|a, b| a.split().total_cmp(&b.split()));
    if let Some(d) = most_split {
        let mut groups: Vec<&(&str, u32)> = d.replies.iter().filter(|(_, n)| *n > 0).collect();
        groups.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let camps: Vec<String> = groups
            .iter()
            .take(3)
            .map(|(reply, n)| format!("{n} chose “{}”", excerpt(reply)))
            .collect();
        analysis.push(format!(
            "The room split most at “{}”: {}. What was each group listening for, and what did {client} need at that moment?",
            excerpt(d.line),
            join_and(&camps)
        ));
    }
    let agreed = decisions
        .iter()
        .filter(|d| d.total_votes() >= 2 && d.split() <= 0.25)
        .max_by(|a, b| {
            b.split()
                .total_cmp(&a.split())
                .then(a.chosen_total.cmp(&b.chosen_total))
        });
    if let Some(d) = agreed {
        let share = 100.0 * (1.0 - d.split());
        analysis.push(format!(
            "Almost everyone ({share:.0}%) went with “{}” at “{}”. What made it feel right — and what did it do for {client}?",
            excerpt(d.chosen),
            excerpt(d.line)
        ));
    }
    let costliest = decisions
        .iter()
        .filter(|d| d.better.is_some() && d.hurt.is_some())
        .min_by_key(|d| d.chosen_total);
    if let Some(d) = costliest
        && let (Some(better), Some((skill, _))) = (d.better, d.hurt)
    {
        analysis.push(format!(
            "At “{}” the room said “{}”, which worked against {}. The strongest reply on offer was “{}”: what does it do that ours did not?",
            excerpt(d.line),
            excerpt(d.chosen),
            skill.label().to_lowercase(),
            excerpt(better)
        ));
    }
    if let Some(d) = decisions.iter().find(|d| d.missed_cue.is_some()) {
        analysis.push(format!(
            "{client} showed something without words at “{}” ({}). The room's reply did not pick it up: what might that cue have told us?",
            excerpt(d.line),
            lowercase_first(trim_end_stop(d.missed_cue.unwrap_or_default()))
        ));
    }
    let indicators = &card.indicators;
    if indicators.reflections + indicators.questions > 0 {
        analysis.push(format!(
            "Our replies held {} and {}. Where would a reflection have served {client} better than a question, or the other way round?",
            count(indicators.reflections as usize, "reflection"),
            count(indicators.questions as usize, "question")
        ));
    }
    if analysis.is_empty() {
        analysis.push(format!(
            "Take one reply the room chose: what did it do for {client}, and what might a different reply have opened up?"
        ));
    }

    let mut summary = Vec::new();
    let weakest = card
        .skills
        .iter()
        .filter_map(|s| s.percent.map(|p| (s.skill, p)))
        .min_by_key(|&(_, p)| p);
    if let Some((skill, percent)) = weakest {
        summary.push(format!(
            "{} came out lowest on the room's path ({percent}%). What is one sentence you would say differently next time to do it better?",
            skill.label()
        ));
    }
    summary.push(format!(
        "What is one thing each of you will take into your next session with a client like {client}?"
    ));
    summary.push("What question are you still left with?".to_owned());

    vec![
        DebriefSection {
            phase: Pearls::Reactions,
            prompts: reactions,
        },
        DebriefSection {
            phase: Pearls::Description,
            prompts: description,
        },
        DebriefSection {
            phase: Pearls::Analysis,
            prompts: analysis,
        },
        DebriefSection {
            phase: Pearls::Summary,
            prompts: summary,
        },
    ]
}

/// A MITI code in words, for the reveal.
pub fn miti_words(code: Miti) -> &'static str {
    match code {
        Miti::GivingInformation => "giving information",
        Miti::Persuade => "persuading",
        Miti::PersuadeWithPermission => "persuading with permission",
        Miti::Question => "question",
        Miti::SimpleReflection => "simple reflection",
        Miti::ComplexReflection => "complex reflection",
        Miti::Affirm => "affirming",
        Miti::SeekingCollaboration => "seeking collaboration",
        Miti::EmphasisingAutonomy => "emphasising autonomy",
        Miti::Confront => "confronting",
    }
}

/// The start of a line, short enough to quote in a prompt.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 70;
    let text = text.trim();
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |at| &cut[..at]);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.clone().next()) {
        // Keep "I", acronyms and names such as "GP" as written.
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

fn trim_end_stop(text: &str) -> &str {
    text.trim().trim_end_matches('.')
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn fields(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn blank_fields_count_as_nobody_and_words_are_refused_with_the_reply_number() {
        assert_eq!(
            parse_votes(&fields(&["3", "", " 12 ", "0"])),
            Ok(vec![3, 0, 12, 0])
        );
        let err = parse_votes(&fields(&["3", "lots"])).unwrap_err();
        assert!(err.starts_with("Reply 2: “lots”"), "{err}");
        assert!(parse_votes(&fields(&["-1"])).is_err());
    }

    #[test]
    fn the_most_votes_win_a_tie_asks_the_facilitator_and_a_pick_settles_it() {
        assert_eq!(room_choice(&[3, 9, 2, 0], None), RoomChoice::Chosen(1));
        assert_eq!(
            room_choice(&[5, 2, 5, 0], None),
            RoomChoice::Tie(vec![0, 2])
        );
        assert_eq!(room_choice(&[5, 2, 5, 0], Some(2)), RoomChoice::Chosen(2));
        assert_eq!(room_choice(&[0, 0, 0, 0], None), RoomChoice::NoVotes);
        assert_eq!(room_choice(&[0, 0, 0, 0], Some(3)), RoomChoice::Chosen(3));
        let tie = unsettled_message(&RoomChoice::Tie(vec![0, 2])).unwrap();
        assert!(tie.contains("replies 1 and 3"), "{tie}");
    }

    /// Tom, at the opening, with seed 1, in practice mode.
    pub(in crate::app::class::projector) fn tom() -> Session {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/grief-eleven-weeks.scenario.ron"
        );
        let playable: std::sync::Arc<_> = attune_core::load_file(path.as_ref(), None)
            .unwrap()
            .playable
            .unwrap();
        Session::start(playable, attune_core::engine::Mode::Practice, 1)
    }

    fn said(session: &Session, decision: usize) -> String {
        let d = &session.decisions()[decision];
        let line = &session.playable().client(d.prompt.node).says[d.prompt.variant as usize];
        excerpt(line)
    }

    #[test]
    fn the_debrief_runs_in_pearls_order_and_analyses_where_the_room_split_most() {
        let mut session = tom();
        session.choose(2, 0).unwrap();
        session.choose(1, 0).unwrap();
        // Nearly all agreed at the first decision; the second split five, five and four.
        let tallies = vec![vec![1, 12, 1, 0], vec![5, 4, 5, 0]];
        let card = Scorecard::of(&session);
        let sections = pearls_prompts(&session, &card, &tallies);
        let phases: Vec<Pearls> = sections.iter().map(|s| s.phase).collect();
        assert_eq!(phases, Pearls::ALL);
        assert!(sections.iter().all(|s| !s.prompts.is_empty()));
        let analysis = &sections[2].prompts;
        let split = &analysis[0];
        assert!(split.starts_with("The room split most at"), "{split}");
        assert!(split.contains(&said(&session, 1)), "{split}");
        assert!(
            split.contains("5 chose") && split.contains("4 chose"),
            "{split}"
        );
        let agreed = &analysis[1];
        assert!(
            agreed.contains("(86%)") && agreed.contains(&said(&session, 0)),
            "{agreed}"
        );
        assert!(sections[0].prompts[0].contains("Tom"));
    }

    #[test]
    fn the_saved_votes_name_each_decision_and_leave_out_replies_nobody_chose() {
        let mut session = tom();
        session.choose(2, 0).unwrap();
        session.choose(1, 0).unwrap();
        let votes = group_votes(&session, &[vec![1, 12, 0, 0], vec![0, 0, 0, 0]], Some(13));
        assert_eq!(votes.participants, Some(13));
        assert_eq!(votes.decisions.len(), 2);
        let first = &session.decisions()[0];
        let playable = session.playable();
        assert_eq!(
            votes.decisions[0].node,
            playable.client(first.prompt.node).id.value
        );
        let id = |i: usize| {
            playable
                .choice_links(first.prompt.node, first.prompt.order[i])
                .id
                .clone()
        };
        assert_eq!(
            votes.decisions[0].votes,
            BTreeMap::from([(id(0), 1), (id(1), 12)])
        );
        assert!(
            votes.decisions[1].votes.is_empty(),
            "a pick without counts has none"
        );
    }

    #[test]
    fn excerpts_cut_at_a_word_and_keep_short_lines_whole() {
        assert_eq!(excerpt("  I'm fine. "), "I'm fine.");
        let long = "It has been eleven weeks since she died and everyone keeps telling me that I should be over it by now";
        let cut = excerpt(long);
        assert!(cut.ends_with('…') && cut.chars().count() <= 71, "{cut}");
        assert!(long.starts_with(cut.trim_end_matches('…')), "{cut}");
    }
}
