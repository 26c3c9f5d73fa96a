//! Scoring a session, per skill, from the authored scores and codes of the choices made.
//! The rules are explained for educators in `docs/scoring.md`; keep the two in step.

use serde::{Deserialize, Serialize};

use crate::analysis::Bounds;
use crate::engine::Decision;
use crate::model::{BandThresholds, Choice, ClientNode, Miti, Node, Scenario};
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
    pub carkhuff_mean: Option<f32>,
    pub carkhuff_coded: u32,
    pub carkhuff_at_least_3: u32,
    /// MITI-style counts of the replies chosen.
    pub reflections: u32,
    pub complex_reflections: u32,
    pub questions: u32,
    /// Reflections per question (MITI 4.2.1: fair 1.0, good 2.0). `None` without questions.
    pub reflection_to_question: Option<f32>,
    pub reflection_to_question_level: Level,
    /// Complex reflections as a share of reflections (fair 40%, good 50%).
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

/// Published MITI 4.2.1 thresholds (fair, good).
pub const R_TO_Q_THRESHOLDS: (f32, f32) = (1.0, 2.0);
pub const COMPLEX_SHARE_THRESHOLDS: (f32, f32) = (0.4, 0.5);

/// One decision, for the debrief.
#[derive(Debug, Clone)]
pub struct DecisionReview<'s> {
    pub node: &'s ClientNode,
    /// The wording of the client's line that was shown (index into `says`).
    pub variant: u16,
    pub chosen: &'s Choice,
    /// The best option on offer, when the trainee chose another.
    pub better: Option<&'s Choice>,
    pub hint_used: bool,
    /// Whether the repetition guard halved this reply's positive points.
    pub guard_applied: bool,
    /// The reply chosen after taking the scored one back, if any.
    pub retaken: Option<&'s Choice>,
}

#[derive(Debug, Clone)]
pub struct Scorecard<'s> {
    pub skills: Vec<SkillScore>,
    pub indicators: Indicators,
    pub decisions: Vec<DecisionReview<'s>>,
}

fn total(choice: &Choice) -> i32 {
    choice.scores.values().iter().sum()
}

/// The best option on offer: highest total score, then highest Carkhuff level, then first authored.
fn best_offered<'s>(node: &'s ClientNode, order: &[u16]) -> &'s Choice {
    let mut best: Option<&Choice> = None;
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    for &c in &sorted {
        let choice = &node.choices[c as usize];
        let level = |c: &Choice| c.codes.carkhuff.as_ref().map_or(0.0, |l| l.value);
        best = match best {
            Some(b) if (total(b), level(b)) >= (total(choice), level(choice)) => Some(b),
            _ => Some(choice),
        };
    }
    best.expect("a prompt offers at least one choice")
}

/// Scores the standing (not taken back) decisions of a session.
pub fn score<'s>(scenario: &'s Scenario, decisions: &[Decision]) -> Scorecard<'s> {
    let thresholds = scenario.bands.unwrap_or_default();
    let mut raw = [0i32; SKILLS];
    let mut counted = [0i32; SKILLS];
    let mut path_best = [0i32; SKILLS];
    let mut path_worst = [0i32; SKILLS];
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
        let Node::Client(node) = &scenario.nodes[decision.prompt.node as usize] else {
            continue;
        };
        // The path walked gives the raw points; the reply that counts (the first one, if it was
        // taken back) gives the counted points.
        let walked = node.choices[decision.choice as usize].scores.values();
        let chosen = &node.choices[decision.scored_choice() as usize];
        let scores = chosen.scores.values();
        for s in 0..SKILLS {
            let offered = decision
                .prompt
                .order
                .iter()
                .map(|&c| node.choices[c as usize].scores.values()[s]);
            path_best[s] += offered.clone().max().unwrap_or(0);
            path_worst[s] += offered.min().unwrap_or(0);
            raw[s] += walked[s];
        }

        let best = best_offered(node, &decision.prompt.order);
        let chose_best = total(chosen) >= total(best);
        let miti = chosen.codes.miti;
        run = match (run, miti) {
            ((Some(prev), len), Some(code)) if prev == code => (Some(code), len + 1),
            (_, code) => (code, usize::from(code.is_some())),
        };
        let guard_applied =
            run.1 >= REPETITION_RUN && !chose_best && best.codes.miti != chosen.codes.miti;
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
        match miti {
            Some(Miti::SimpleReflection) => ind.reflections += 1,
            Some(Miti::ComplexReflection) => {
                ind.reflections += 1;
                ind.complex_reflections += 1;
            }
            Some(Miti::Question) => ind.questions += 1,
            Some(Miti::Affirm | Miti::SeekingCollaboration | Miti::EmphasisingAutonomy) => {
                ind.mi_adherent += 1
            }
            Some(Miti::Confront | Miti::Persuade) => ind.mi_non_adherent += 1,
            _ => {}
        }
        if node.cue.is_some() {
            ind.cues_presented += 1;
            if chosen.codes.notices_cue {
                ind.cues_noticed += 1;
            }
        }
        reviews.push(DecisionReview {
            node,
            variant: decision.prompt.variant,
            chosen,
            better: (!chose_best).then_some(best),
            hint_used: decision.hint_used,
            guard_applied,
            retaken: decision
                .first_choice
                .map(|_| &node.choices[decision.choice as usize]),
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

    let bounds = scenario.skill_bounds();
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
                raw: raw[s],
                counted: counted[s],
                path_best: path_best[s],
                path_worst: path_worst[s],
                percent,
                band: percent.map(|p| Band::from_percent(p, thresholds)),
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
