//! The scenario model: exactly what a `*.scenario.ron` file holds (see `docs/scenario-format.md`),
//! nothing resolved and nothing cached. The checks turn it into a [`crate::Playable`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::{ChoiceId, EndingId, NodeId, ScenarioId};
use crate::skills::SkillScores;
use crate::span::Spanned;

/// The format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format: Spanned<u32>,
    pub id: Spanned<ScenarioId>,
    pub title: Spanned<String>,
    pub summary: Spanned<String>,
    #[serde(deserialize_with = "crate::span::unspanned")]
    pub author: String,
    pub difficulty: Difficulty,
    #[serde(deserialize_with = "crate::span::unspanned")]
    pub minutes: u32,
    pub objectives: Vec<Spanned<String>>,
    /// Shown before the trainee starts, e.g. "bereavement", "suicidal thoughts".
    #[serde(default, deserialize_with = "crate::span::unspanned_texts")]
    pub content_notes: Vec<String>,
    #[serde(default)]
    pub intensity: Intensity,
    /// Band thresholds for this scenario; the global defaults apply when absent.
    #[serde(default)]
    pub bands: Option<BandThresholds>,
    pub client: Client,
    #[serde(default)]
    pub state: State,
    pub start: Spanned<NodeId>,
    #[serde(deserialize_with = "fitted")]
    pub nodes: Vec<Node>,
    pub endings: Vec<Ending>,
}

/// The RON options every scenario (and portrait) is read with. `implicit_some` lets authors
/// write `portrait: "ada"` instead of `Some("ada")`; `unwrap_variant_newtypes` lets them write
/// `Client(id: ...)` instead of `Client((id: ...))`.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(
        ron::extensions::Extensions::IMPLICIT_SOME
            | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Difficulty {
    Introductory,
    Intermediate,
    Advanced,
}

impl Difficulty {
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Introductory => "Introductory",
            Difficulty::Intermediate => "Intermediate",
            Difficulty::Advanced => "Advanced",
        }
    }
}

/// How emotionally heavy the material is, for content notes and the trainee's self-care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum Intensity {
    #[default]
    Low,
    Moderate,
    High,
}

/// Percent-of-best thresholds for the skill bands.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BandThresholds {
    #[serde(deserialize_with = "crate::span::unspanned")]
    pub developing: u32,
    #[serde(deserialize_with = "crate::span::unspanned")]
    pub proficient: u32,
}

impl Default for BandThresholds {
    fn default() -> Self {
        BandThresholds {
            developing: 40,
            proficient: 75,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub name: Spanned<String>,
    #[serde(deserialize_with = "crate::span::unspanned")]
    pub age: u32,
    #[serde(deserialize_with = "crate::span::unspanned")]
    pub pronouns: String,
    /// What the trainee reads before starting: who the client is and why they came.
    pub briefing: Spanned<String>,
    pub presenting_concern: Spanned<String>,
    /// A portrait in `assets/portraits/<name>.portrait.ron`.
    #[serde(default)]
    pub portrait: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct State {
    pub variables: Vec<Variable>,
    pub flags: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: Spanned<String>,
    pub min: Spanned<i32>,
    pub max: Spanned<i32>,
    pub start: Spanned<i32>,
    /// Whether the trainee sees a meter for it during the session.
    #[serde(default)]
    pub visible: bool,
}

impl Variable {
    /// The variables every scenario has; a scenario may redeclare them with its own range.
    pub fn builtin() -> [Variable; 2] {
        let var = |name: &str, start, visible| Variable {
            name: Spanned::new(name.to_owned(), Default::default()),
            min: Spanned::new(0, Default::default()),
            max: Spanned::new(10, Default::default()),
            start: Spanned::new(start, Default::default()),
            visible,
        };
        [var("trust", 3, true), var("distress", 6, false)]
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum Node {
    /// The client speaks; the trainee answers with one of the choices. Shared, so a checked
    /// [`crate::Playable`] holds its client nodes directly, without a second lookup.
    #[serde(deserialize_with = "shared")]
    Client(Arc<ClientNode>),
    /// No one speaks: the first rule whose condition holds decides where the session goes.
    Branch(BranchNode),
}

/// Reads a list and gives back the room it grew into but does not use. A list read from a file
/// grows by doubling, and a node's three choices sit in room for four: a choice is about 350
/// bytes, so at 100,000 nodes that is 30 MB held for nothing.
fn fitted<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    let mut list = Vec::<T>::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}

/// Reads a value straight into an `Arc`: serde's own reads it into a `Box` first and then
/// moves it into a second allocation.
fn shared<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Arc<T>, D::Error> {
    T::deserialize(deserializer).map(Arc::new)
}

impl Node {
    pub fn id(&self) -> &Spanned<NodeId> {
        match self {
            Node::Client(n) => &n.id,
            Node::Branch(n) => &n.id,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientNode {
    pub id: Spanned<NodeId>,
    #[serde(default)]
    pub emotion: Emotion,
    #[serde(default)]
    pub cue: Option<Cue>,
    /// One or more wordings of the same line; one is picked at random each time.
    #[serde(deserialize_with = "fitted")]
    pub says: Vec<Spanned<String>>,
    /// Offered in practice mode when the trainee asks for a hint.
    #[serde(default)]
    pub hint: Option<Spanned<String>>,
    #[serde(deserialize_with = "fitted")]
    pub choices: Vec<Choice>,
}

/// The client's visible emotion, which the portrait's expression follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
pub enum Emotion {
    #[default]
    Neutral,
    Sad,
    Tearful,
    Anxious,
    Angry,
    Guarded,
    Ashamed,
    Flat,
    Relieved,
    Hopeful,
}

impl Emotion {
    pub fn label(self) -> &'static str {
        match self {
            Emotion::Neutral => "neutral",
            Emotion::Sad => "sad",
            Emotion::Tearful => "tearful",
            Emotion::Anxious => "anxious",
            Emotion::Angry => "angry",
            Emotion::Guarded => "guarded",
            Emotion::Ashamed => "ashamed",
            Emotion::Flat => "flat",
            Emotion::Relieved => "relieved",
            Emotion::Hopeful => "hopeful",
        }
    }
}

/// A nonverbal cue, shown apart from the words.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum Cue {
    Tone(Spanned<String>),
    Pause(Spanned<String>),
    Gaze(Spanned<String>),
    Posture(Spanned<String>),
    Gesture(Spanned<String>),
}

impl Cue {
    pub fn text(&self) -> &Spanned<String> {
        match self {
            Cue::Tone(t) | Cue::Pause(t) | Cue::Gaze(t) | Cue::Posture(t) | Cue::Gesture(t) => t,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Cue::Tone(_) => "tone",
            Cue::Pause(_) => "pause",
            Cue::Gaze(_) => "gaze",
            Cue::Posture(_) => "posture",
            Cue::Gesture(_) => "gesture",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable id; defaults to `<node id>.<position>` (1-based).
    #[serde(default)]
    pub id: Option<Spanned<ChoiceId>>,
    /// What the trainee says.
    pub reply: Spanned<String>,
    /// A client node, branch or ending.
    pub next: Spanned<NodeId>,
    #[serde(default)]
    pub scores: SkillScores,
    #[serde(default)]
    pub codes: Codes,
    /// Changes to state variables, e.g. `{"trust": 1, "distress": -1}`; clamped to each range.
    #[serde(default)]
    pub change: Changes,
    /// Flags this choice sets, e.g. `["felt_judged"]`.
    #[serde(default)]
    pub set: Vec<Spanned<String>>,
    /// Flags this choice clears.
    #[serde(default)]
    pub clear: Vec<Spanned<String>>,
    /// Offered only when this holds, e.g. `"trust >= 4 and not felt_judged"`.
    #[serde(default)]
    pub when: Option<Spanned<String>>,
    /// Why this response helps or hurts, in one or two sentences.
    #[serde(default)]
    pub feedback: Spanned<String>,
    /// What the client thinks but does not say (shown in practice mode).
    #[serde(default)]
    pub thought: Option<Spanned<String>>,
}

impl Choice {
    /// The sum of the per-skill scores: how strong the reply is overall.
    pub fn total(&self) -> i32 {
        self.scores.values().iter().sum()
    }
}

/// A choice's changes to state variables, by name, in name order (a name written twice keeps
/// the first name's place and the last value, as a map does). A list rather than a map: a
/// choice changes one or two variables, and a `BTreeMap` node holds room for eleven.
#[derive(Debug, Clone, Default)]
pub struct Changes(Vec<(Spanned<String>, Spanned<i32>)>);

type Change = (Spanned<String>, Spanned<i32>);

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Each variable's name and change, in name order.
    pub fn iter(&self) -> <&Changes as IntoIterator>::IntoIter {
        self.into_iter()
    }
}

impl<'a> IntoIterator for &'a Changes {
    type Item = (&'a Spanned<String>, &'a Spanned<i32>);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, Change>, fn(&'a Change) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(name, delta)| (name, delta))
    }
}

impl<'de> Deserialize<'de> for Changes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ChangesVisitor;
        impl<'de> serde::de::Visitor<'de> for ChangesVisitor {
            type Value = Changes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Changes, A::Error> {
                let mut changes: Vec<Change> = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(change) = map.next_entry()? {
                    changes.push(change);
                }
                // Stable, so of two equal names the first written comes first and is kept, with
                // the value written last.
                changes.sort_by(|(a, _), (b, _)| a.cmp(b));
                changes.dedup_by(|later, kept| {
                    let same = later.0 == kept.0;
                    if same {
                        kept.1 = later.1.clone();
                    }
                    same
                });
                Ok(Changes(changes))
            }
        }
        deserializer.deserialize_map(ChangesVisitor)
    }
}

impl Serialize for Changes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Optional codes from the frameworks in `docs/scoring.md`; they feed the practice indicators.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Codes {
    /// Carkhuff empathic understanding level, 1.0 to 5.0 in half steps.
    pub carkhuff: Option<Spanned<f32>>,
    /// MITI 4.2.1 behaviour codes: one (`miti: Question`), or several for a reply that does
    /// several things (`miti: [ComplexReflection, Question]`: a reflection followed by a question).
    pub miti: MitiCodes,
    /// Whether the reply notices the node's nonverbal cue.
    pub notices_cue: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Miti {
    GivingInformation,
    Persuade,
    PersuadeWithPermission,
    Question,
    SimpleReflection,
    ComplexReflection,
    Affirm,
    SeekingCollaboration,
    EmphasisingAutonomy,
    Confront,
}

impl Miti {
    pub fn is_reflection(self) -> bool {
        matches!(self, Miti::SimpleReflection | Miti::ComplexReflection)
    }
}

/// The MITI codes of one reply, in the order its parts are said; usually one, or none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct MitiCodes(pub Vec<Miti>);

impl MitiCodes {
    /// The reply's main code: the first.
    pub fn primary(&self) -> Option<Miti> {
        self.0.first().copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = Miti> + '_ {
        self.0.iter().copied()
    }

    pub fn contains(&self, code: Miti) -> bool {
        self.0.contains(&code)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for MitiCodes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// One code, or a list: files written before lists were allowed keep loading.
        #[derive(Deserialize)]
        #[serde(
            untagged,
            expecting = "a MITI code such as `Question`, or a list of them such as `[ComplexReflection, Question]`"
        )]
        enum OneOrMany {
            One(Miti),
            Many(Vec<Miti>),
        }
        Ok(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(code) => MitiCodes(vec![code]),
            OneOrMany::Many(codes) => MitiCodes(codes),
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BranchNode {
    pub id: Spanned<NodeId>,
    #[serde(deserialize_with = "fitted")]
    pub rules: Vec<Rule>,
    pub otherwise: Spanned<NodeId>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub when: Spanned<String>,
    pub next: Spanned<NodeId>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: Spanned<EndingId>,
    pub title: Spanned<String>,
    pub outcome: Outcome,
    /// What happens in the room as the session closes.
    pub text: Spanned<String>,
    /// Teaching notes for the debrief: what this ending says about the trainee's approach.
    pub debrief: Spanned<String>,
    /// Notes added to the debrief when their condition holds as the session ends, e.g. what a
    /// promise of secrecy cost: `notes: [(when: "promised_secrecy", text: "...")]`.
    #[serde(default)]
    pub notes: Vec<EndingNote>,
}

/// A debrief note shown only when its condition holds at the end of the session.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndingNote {
    pub when: Spanned<String>,
    pub text: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Outcome {
    /// The client stays engaged and wants to come back.
    Engaged,
    /// The client is connected to more suitable help.
    Referred,
    /// The session ends without resolution either way.
    Unresolved,
    /// The client withdraws or leaves.
    Disengaged,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Engaged => "engaged",
            Outcome::Referred => "referred",
            Outcome::Unresolved => "unresolved",
            Outcome::Disengaged => "disengaged",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_like_a_map() {
        let text = r#"{"trust": 1, "openness": 2, "trust": -1}"#;
        let changes: Changes = ron_options().from_str(text).unwrap();
        let read: Vec<(&str, i32)> = changes
            .iter()
            .map(|(name, delta)| (name.as_str(), delta.value))
            .collect();
        // In name order; a name written twice has the value written last.
        assert_eq!(read, [("openness", 2), ("trust", -1)]);
        let empty: Changes = ron_options().from_str("{}").unwrap();
        assert!(empty.is_empty());
    }
}
