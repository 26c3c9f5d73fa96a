//! Scoring a session, per skill, from the authored scores and codes of the choices made.
//! The rules are explained for educators in `docs/scoring.md`; keep the two in step.

use serde::{Deserialize, Serialize};

use crate::analysis::Bounds;
use crate::engine::{Decision, Session};
use crate::model::{BandThresholds, Choice, Miti};
use crate::playable::{ChoiceIx, ClientIx, Playable};
use crate::skills::Skill;

const SKILLS: usize = Skill::ALL.len();

/// Repetition guard: when this many consecutive replies are of one MITI type and the best reply
/// on offer was of another type, the repeated reply earns half its positive points.
pub const REPETITION_RUN: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Emerging,
    Developing,
    Proficient,
}

impl Band {
    pub fn from_percent(percent: u32, thresholds: BandThresholds) -> Band {
        if percent >= thresholds.proficient {
            Band::Proficient
        } else if percent >= thresholds.developing {
            Band::Developing
        } else {
            Band::Emerging
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Emerging => "emerging",
            Band::Developing => "developing",
            Band::Proficient => "proficient",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillScore {
    pub skill: Skill,
    /// The decisions that assessed this skill (where the replies on offer scored differently).
    /// Results saved before this field was added read as 0.
    #[serde(default)]
    pub decisions: u32,
    /// Sum of the authored scores of the replies on the path walked.
    pub raw: i32,
    /// The points that count: the first reply at each decision (take-backs do not improve a
    /// score), after the repetition guard.
    pub counted: i32,
    /// Sum, over the decisions faced, of the best and worst score on offer.
    pub path_best: i32,
    pub path_worst: i32,
    /// Where `counted` lies between `path_worst` (0) and `path_best` (100); `None` when every
    /// option faced scored the same for this skill, so the path did not assess it.
    pub percent: Option<u32>,
    /// `None` when the skill was not assessed, or on fewer than [`MIN_DECISIONS_FOR_BAND`]
    /// decisions.
    pub band: Option<Band>,
    /// The lowest and highest totals any path through the scenario can reach (graph analysis).
    pub scenario_worst: Option<i32>,
    pub scenario_best: Option<i32>,
}

/// How an indicator compares with its published thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    BelowFair,
    Fair,
    Good,
    /// Too few coded replies to say.
    NotEnoughData,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::BelowFair => "below fair",
            Level::Fair => "fair",
            Level::Good => "good",
            Level::NotEnoughData => "not enough data",
        }
    }

    fn grade(value: Option<f32>, fair: f32, good: f32) -> Level {
        match value {
            None => Level::NotEnoughData,
            Some(v) if v >= good => Level::Good,
            Some(v) if v >= fair => Level::Fair,
            Some(_) => Level::BelowFair,
        }
    }
}

/// Practice indicators that *reference* published frameworks. They are derived from the codes
/// authors gave the options chosen, never official scores of the frameworks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicators {
    /// Carkhuff empathic understanding: mean level of the coded replies chosen.
    #[serde(default, deserialize_with = "finite")]
    pub carkhuff_mean: Option<f32>,
    pub carkhuff_coded: u32,
    pub carkhuff_at_least_3: u32,
    /// MITI-style counts of the replies chosen.
    pub reflections: u32,
    pub complex_reflections: u32,
    pub questions: u32,
    /// Reflections per question (MITI 4.2.1: fair 1.0, good 2.0). `None` without questions.
    #[serde(default, deserialize_with = "finite")]
    pub reflection_to_question: Option<f32>,
    pub reflection_to_question_level: Level,
    /// Complex reflections as a share of reflections (fair 40%, good 50%).
    #[serde(default, deserialize_with = "finite")]
    pub complex_share: Option<f32>,
    pub complex_share_level: Level,
    /// MI-adherent (affirm, seeking collaboration, emphasising autonomy) and non-adherent
    /// (confront, persuade) replies.
    pub mi_adherent: u32,
    pub mi_non_adherent: u32,
    /// Nonverbal cues noticed out of cues presented at the decisions faced.
    pub cues_presented: u32,
    pub cues_noticed: u32,
}

/// A fraction or level in a results file. JSON has no infinity, so one that reads as infinite
/// (`1e999`) was not written by Attune, and would be saved back as `null`: the file is damaged.
pub(crate) fn finite<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<f32>, D::Error> {
    match Option::<f32>::deserialize(deserializer)? {
        Some(x) if !x.is_finite() => Err(serde::de::Error::custom(
            "a number too large for this field",
        )),
        other => Ok(other),
    }
}

/// Published MITI 4.2.1 thresholds (fair, good).
pub const R_TO_Q_THRESHOLDS: (f32, f32) = (1.0, 2.0);
pub const COMPLEX_SHARE_THRESHOLDS: (f32, f32) = (0.4, 0.5);

/// Fewer scored decisions than this on a skill, and no band is given: a band from one or two
/// replies would say more than it knows.
pub const MIN_DECISIONS_FOR_BAND: u32 = 4;

/// One decision, for the debrief: indices into the [`Playable`] the session was played on.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionReview {
    pub node: ClientIx,
    /// The wording of the client's line that was shown (index into `says`).
    pub variant: u16,
    /// The reply scored (the first one, if it was taken back).
    pub chosen: ChoiceIx,
    /// The best option on offer, when the trainee chose another.
    pub better: Option<ChoiceIx>,
    pub hint_used: bool,
    /// Whether the repetition guard halved this reply's positive points.
    pub guard_applied: bool,
    /// The reply chosen after taking the scored one back, if any.
    pub retaken: Option<ChoiceIx>,
}

/// A session's scores, computed once when it ends: the results file and both debriefs are
/// built from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub skills: Vec<SkillScore>,
    pub indicators: Indicators,
    pub decisions: Vec<DecisionReview>,
}

/// The best option on offer: highest total score, then highest Carkhuff level, then first
/// authored. `None` only for an empty offer.
pub fn best_offered(playable: &Playable, node: ClientIx, order: &[ChoiceIx]) -> Option<ChoiceIx> {
    let level = |c: &Choice| c.codes.carkhuff.as_ref().map_or(0.0, |l| l.value);
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    let mut best: Option<(ChoiceIx, &Choice)> = None;
    for ix in sorted {
        let choice = playable.choice(node, ix);
        best = match best {
            Some((b, bc)) if (bc.total(), level(bc)) >= (choice.total(), level(choice)) => {
                Some((b, bc))
            }
            _ => Some((ix, choice)),
        };
    }
    best.map(|(ix, _)| ix)
}

impl Scorecard {
    /// Scores a session as it stands (finished, or left early).
    pub fn of(session: &Session) -> Scorecard {
        score(session.playable(), session.decisions())
    }
}

/// Scores the standing (not taken back) decisions of a session.
pub fn score(playable: &Playable, decisions: &[Decision]) -> Scorecard {
    let thresholds = playable.scenario().bands.unwrap_or_default();
    let mut raw = [0i32; SKILLS];
    let mut counted = [0i32; SKILLS];
    let mut path_best = [0i32; SKILLS];
    let mut path_worst = [0i32; SKILLS];
    let mut assessed = [0u32; SKILLS];
    let mut reviews = Vec::new();
    let mut run: (Option<Miti>, usize) = (None, 0);

    let mut carkhuff_sum = 0.0f32;
    let mut ind = Indicators {
        carkhuff_mean: None,
        carkhuff_coded: 0,
        carkhuff_at_least_3: 0,
        reflections: 0,
        complex_reflections: 0,
        questions: 0,
        reflection_to_question: None,
        reflection_to_question_level: Level::NotEnoughData,
        complex_share: None,
        complex_share_level: Level::NotEnoughData,
        mi_adherent: 0,
        mi_non_adherent: 0,
        cues_presented: 0,
        cues_noticed: 0,
    };

    for decision in decisions.iter().filter(|d| !d.taken_back) {
        let node_ix = decision.prompt.node;
        let node = playable.client(node_ix);
        let Some(best_ix) = best_offered(playable, node_ix, &decision.prompt.order) else {
            continue;
        };
        let best = playable.choice(node_ix, best_ix);
        // The path walked gives the raw points; the reply that counts (the first one, if it was
        // taken back) gives the counted points.
        let walked = playable.choice(node_ix, decision.choice).scores.values();
        let chosen_ix = decision.scored_choice();
        let chosen = playable.choice(node_ix, chosen_ix);
        let scores = chosen.scores.values();
        for s in 0..SKILLS {
            let offered = decision
                .prompt
                .order
                .iter()
                .map(|&c| playable.choice(node_ix, c).scores.values()[s]);
            let (most, least) = (
                offered.clone().max().unwrap_or(0),
                offered.min().unwrap_or(0),
            );
            path_best[s] += most;
            path_worst[s] += least;
            if most > least {
                assessed[s] += 1;
            }
            raw[s] += walked[s];
        }

        let chose_best = chosen.total() >= best.total();
        // The repetition guard looks at each reply's main (first) code.
        let miti = chosen.codes.miti.primary();
        run = match (run, miti) {
            ((Some(prev), len), Some(code)) if prev == code => (Some(code), len + 1),
            (_, code) => (code, usize::from(code.is_some())),
        };
        let guard_applied =
            run.1 >= REPETITION_RUN && !chose_best && best.codes.miti.primary() != miti;
        for s in 0..SKILLS {
            counted[s] += if guard_applied && scores[s] > 0 {
                scores[s] / 2
            } else {
                scores[s]
            };
        }

        if let Some(level) = &chosen.codes.carkhuff {
            ind.carkhuff_coded += 1;
            carkhuff_sum += level.value;
            if level.value >= 3.0 {
                ind.carkhuff_at_least_3 += 1;
            }
        }
        // A reply with several codes counts as each: a reflection followed by a question is
        // one reflection and one question, as MITI codes the two utterances.
        for code in chosen.codes.miti.iter() {
            match code {
                Miti::SimpleReflection => ind.reflections += 1,
                Miti::ComplexReflection => {
                    ind.reflections += 1;
                    ind.complex_reflections += 1;
                }
                Miti::Question => ind.questions += 1,
                Miti::Affirm | Miti::SeekingCollaboration | Miti::EmphasisingAutonomy => {
                    ind.mi_adherent += 1
                }
                Miti::Confront | Miti::Persuade => ind.mi_non_adherent += 1,
                Miti::GivingInformation | Miti::PersuadeWithPermission => {}
            }
        }
        if node.cue.is_some() {
            ind.cues_presented += 1;
            if chosen.codes.notices_cue {
                ind.cues_noticed += 1;
            }
        }
        reviews.push(DecisionReview {
            node: node_ix,
            variant: decision.prompt.variant,
            chosen: chosen_ix,
            better: (!chose_best).then_some(best_ix),
            hint_used: decision.hint_used,
            guard_applied,
            retaken: decision.first_choice.map(|_| decision.choice),
        });
    }

    if ind.carkhuff_coded > 0 {
        ind.carkhuff_mean = Some(carkhuff_sum / ind.carkhuff_coded as f32);
    }
    if ind.questions > 0 {
        ind.reflection_to_question = Some(ind.reflections as f32 / ind.questions as f32);
    }
    ind.reflection_to_question_level = if ind.questions == 0 && ind.reflections > 0 {
        Level::Good // reflections and no questions at all: the ratio is as high as it gets
    } else {
        Level::grade(
            ind.reflection_to_question,
            R_TO_Q_THRESHOLDS.0,
            R_TO_Q_THRESHOLDS.1,
        )
    };
    if ind.reflections > 0 {
        ind.complex_share = Some(ind.complex_reflections as f32 / ind.reflections as f32);
    }
    ind.complex_share_level = Level::grade(
        ind.complex_share,
        COMPLEX_SHARE_THRESHOLDS.0,
        COMPLEX_SHARE_THRESHOLDS.1,
    );

    let bounds = playable.bounds();
    let skills = Skill::ALL
        .iter()
        .map(|&skill| {
            let s = skill.index();
            let percent = (path_best[s] > path_worst[s]).then(|| {
                let span = (path_best[s] - path_worst[s]) as f64;
                (((counted[s] - path_worst[s]) as f64 / span) * 100.0)
                    .round()
                    .clamp(0.0, 100.0) as u32
            });
            let (scenario_worst, scenario_best) = match bounds {
                Bounds::Bounded { worst, best } => (Some(worst[s]), Some(best[s])),
                Bounds::HasLoop => (None, None),
            };
            SkillScore {
                skill,
                decisions: assessed[s],
                raw: raw[s],
                counted: counted[s],
                path_best: path_best[s],
                path_worst: path_worst[s],
                percent,
                band: percent
                    .filter(|_| assessed[s] >= MIN_DECISIONS_FOR_BAND)
                    .map(|p| Band::from_percent(p, thresholds)),
                scenario_worst,
                scenario_best,
            }
        })
        .collect();

    Scorecard {
        skills,
        indicators: ind,
        decisions: reviews,
    }
}

#[cfg(test)]
mod tests {
    //! Scoring tables with numbers worked out by hand from the scenario below. Five decisions
    //! in a row; at each the replies are a question, a reflection and a weak reply.

    use std::sync::Arc;

    use super::*;
    use crate::engine::Mode;
    use crate::skills::Skill;

    fn node(id: &str, next: &str, first: bool) -> String {
        // The first node's reflection is complex and scores higher on reflecting; its weak
        // reply is unsolicited advice (Persuade).
        let (reflection, ref_scores, ref_level, q_level, weak_scores, weak_codes) = if first {
            (
                "ComplexReflection",
                "(validating: 1, avoiding_assumptions: 1, reflecting: 2)",
                "3.5",
                "2.5",
                "(validating: -1, avoiding_assumptions: -2, reflecting: -1)",
                "(carkhuff: 1.5, miti: Persuade)",
            )
        } else {
            (
                "SimpleReflection",
                "(validating: 1, avoiding_assumptions: 1, reflecting: 1)",
                "3.0",
                "3.0",
                "(validating: -2, avoiding_assumptions: -1, reflecting: -1)",
                "(carkhuff: 1.0)",
            )
        };
        format!(
            r#"Client(id: "{id}", says: ["Line {id}."], choices: [
                (id: "{id}.q", reply: "Q", next: "{next}", scores: (avoiding_assumptions: 1), codes: (carkhuff: {q_level}, miti: Question), feedback: "f"),
                (id: "{id}.ref", reply: "R", next: "{next}", scores: {ref_scores}, codes: (carkhuff: {ref_level}, miti: {reflection}), feedback: "f"),
                (id: "{id}.weak", reply: "W", next: "{next}", scores: {weak_scores}, codes: {weak_codes}, feedback: "f"),
            ]),"#
        )
    }

    fn playable() -> Arc<Playable> {
        let ids = ["a", "b", "c", "d", "e"];
        let nodes: String = ids
            .iter()
            .enumerate()
            .map(|(i, id)| node(id, ids.get(i + 1).unwrap_or(&"end"), i == 0))
            .collect();
        let text = format!(
            r#"(
            format: 1, id: "table", title: "Table", summary: "S", author: "t",
            difficulty: Introductory, minutes: 1, objectives: ["O"],
            client: (name: "A", age: 30, pronouns: "they/them", briefing: "B", presenting_concern: "C"),
            start: "a",
            nodes: [{nodes}],
            endings: [(id: "end", title: "E", outcome: Engaged, text: "T", debrief: "D")],
        )"#
        );
        let loaded = crate::load_str("table.scenario.ron", text, None);
        loaded
            .playable
            .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
    }

    fn card_for(path: &[&str]) -> Scorecard {
        let mut session = Session::start(playable(), Mode::Practice, 1);
        for id in path {
            session.choose_id(id, 0).unwrap();
        }
        Scorecard::of(&session)
    }

    fn skill(card: &Scorecard, skill: Skill) -> &SkillScore {
        &card.skills[skill.index()]
    }

    #[test]
    fn five_questions_in_a_row_trip_the_repetition_guard() {
        let card = card_for(&["a.q", "b.q", "c.q", "d.q", "e.q"]);
        // The 4th and 5th questions in a row, when a reflection was better: +1 counts as 0.
        let guarded: Vec<bool> = card.decisions.iter().map(|d| d.guard_applied).collect();
        assert_eq!(guarded, [false, false, false, true, true]);
        let a = skill(&card, Skill::AvoidingAssumptions);
        assert_eq!((a.raw, a.counted), (5, 3));
        // Offered: a: +1..-2, then four times +1..-1.
        assert_eq!((a.path_worst, a.path_best), (-6, 5));
        assert_eq!(a.percent, Some(82)); // (3 + 6) / 11
        assert_eq!(a.band, Some(Band::Proficient));
        let v = skill(&card, Skill::Validating);
        assert_eq!((v.counted, v.path_worst, v.path_best), (0, -9, 5));
        assert_eq!(v.percent, Some(64)); // 9 / 14
        assert_eq!(v.band, Some(Band::Developing));
        let r = skill(&card, Skill::Reflecting);
        assert_eq!((r.counted, r.path_worst, r.path_best), (0, -5, 6));
        assert_eq!(r.percent, Some(45)); // 5 / 11
        // A linear scenario: the scenario's bounds are the path's.
        assert_eq!((r.scenario_worst, r.scenario_best), (Some(-5), Some(6)));
        assert_eq!((v.scenario_worst, v.scenario_best), (Some(-9), Some(5)));

        let i = &card.indicators;
        assert_eq!((i.questions, i.reflections), (5, 0));
        assert_eq!(i.reflection_to_question, Some(0.0));
        assert_eq!(i.reflection_to_question_level, Level::BelowFair);
        assert_eq!(i.complex_share, None);
        assert_eq!(i.complex_share_level, Level::NotEnoughData);
        // (2.5 + 4 × 3.0) / 5
        assert_eq!(i.carkhuff_mean, Some(2.9));
        assert_eq!((i.carkhuff_coded, i.carkhuff_at_least_3), (5, 4));
    }

    #[test]
    fn a_mixed_path_counts_reflections_and_finds_the_better_replies() {
        let card = card_for(&["a.ref", "b.ref", "c.q", "d.ref", "e.weak"]);
        assert!(card.decisions.iter().all(|d| !d.guard_applied));
        let totals: Vec<_> = Skill::ALL
            .iter()
            .map(|&s| (skill(&card, s).counted, skill(&card, s).percent))
            .collect();
        // Validating 1+1+0+1-2; assumptions 1+1+1+1-1; reflecting 2+1+0+1-1.
        assert_eq!(totals, [(1, Some(71)), (3, Some(82)), (3, Some(73))]);
        let i = &card.indicators;
        assert_eq!(
            (i.reflections, i.complex_reflections, i.questions),
            (3, 1, 1)
        );
        assert_eq!(i.reflection_to_question, Some(3.0));
        assert_eq!(i.reflection_to_question_level, Level::Good);
        // One complex reflection of three: below MITI's fair 40%.
        assert_eq!(i.complex_share_level, Level::BelowFair);
        assert_eq!(i.carkhuff_mean, Some(2.7)); // (3.5 + 3 + 3 + 3 + 1) / 5
        assert_eq!(i.mi_non_adherent, 0);
        let better: Vec<bool> = card.decisions.iter().map(|d| d.better.is_some()).collect();
        assert_eq!(better, [false, false, true, false, true]);
    }

    #[test]
    fn advice_is_non_adherent_and_too_few_decisions_get_no_band() {
        let card = card_for(&["a.weak", "b.ref"]);
        assert_eq!(card.indicators.mi_non_adherent, 1);
        let v = skill(&card, Skill::Validating);
        assert_eq!(v.decisions, 2);
        // -1 + 1 between -3 and +2: 60%, but two decisions say too little for a band.
        assert_eq!((v.counted, v.percent, v.band), (0, Some(60), None));
    }

    #[test]
    fn a_reflection_followed_by_a_question_counts_as_both() {
        let text = include_str!("../../../tests/scenarios-ok/broken-base.scenario.ron");
        let playable = {
            let loaded = crate::load_str("t.scenario.ron", text.to_owned(), None);
            loaded.playable.unwrap()
        };
        // Recode every reply of the base scenario as a complex reflection then a question.
        let recoded = text
            .replace(
                "miti: ComplexReflection",
                "miti: [ComplexReflection, Question]",
            )
            .replace(
                "miti: SimpleReflection",
                "miti: [SimpleReflection, Question]",
            );
        let loaded = crate::load_str("t.scenario.ron", recoded, None);
        let both = loaded
            .playable
            .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
        let walk = |p: Arc<Playable>| {
            let mut session = Session::start(p, Mode::Practice, 1);
            while session.status() == crate::engine::Status::AwaitingChoice {
                let reflection = session
                    .offered_ids()
                    .zip(session.offered())
                    .find(|(_, c)| c.codes.miti.iter().any(Miti::is_reflection))
                    .or_else(|| session.offered_ids().zip(session.offered()).next())
                    .map(|(id, _)| id.clone())
                    .unwrap();
                session.choose_id(reflection.as_str(), 0).unwrap();
            }
            Scorecard::of(&session).indicators
        };
        let single = walk(playable);
        let double = walk(both);
        assert!(single.reflections > 0);
        assert_eq!(double.reflections, single.reflections);
        assert_eq!(double.complex_reflections, single.complex_reflections);
        assert_eq!(double.questions, single.questions + single.reflections);
        assert_eq!(
            double.reflection_to_question,
            Some(single.reflections as f32 / (single.questions + single.reflections) as f32)
        );
    }

    #[test]
    fn a_take_back_cannot_raise_the_score() {
        let mut session = Session::start(playable(), Mode::Practice, 1);
        session.choose_id("a.weak", 0).unwrap();
        session.take_back().unwrap();
        session.choose_id("a.ref", 0).unwrap();
        let card = Scorecard::of(&session);
        let v = skill(&card, Skill::Validating);
        // Walked the reflection (+1), but the first reply (-1) is the one counted.
        assert_eq!((v.raw, v.counted), (1, -1));
        assert!(card.decisions[0].retaken.is_some());
    }
}
