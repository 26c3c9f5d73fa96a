//! The floor the loader is measured against: the scenario model's shape with plain fields — no
//! spans, no shared nodes, no checks — read by the same `ron` with the same options. Field names,
//! defaults, `deny_unknown_fields` and enum shapes follow `attune_core::model`; the one
//! simplification is `miti`, a single optional code here (the generated scenarios write one), so
//! the floor is the cheapest typed parse of those bytes, not a copy of the loader's choices.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format: u32,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub author: String,
    pub difficulty: Difficulty,
    pub minutes: u32,
    pub objectives: Vec<String>,
    #[serde(default)]
    pub content_notes: Vec<String>,
    #[serde(default)]
    pub intensity: Intensity,
    #[serde(default)]
    pub bands: Option<BandThresholds>,
    pub client: Client,
    #[serde(default)]
    pub state: State,
    pub start: String,
    pub nodes: Vec<Node>,
    pub endings: Vec<Ending>,
}

#[derive(Deserialize)]
pub enum Difficulty {
    Introductory,
    Intermediate,
    Advanced,
}

#[derive(Default, Deserialize)]
pub enum Intensity {
    #[default]
    Low,
    Moderate,
    High,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandThresholds {
    pub developing: u32,
    pub proficient: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub name: String,
    pub age: u32,
    pub pronouns: String,
    pub briefing: String,
    pub presenting_concern: String,
    #[serde(default)]
    pub portrait: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct State {
    pub variables: Vec<Variable>,
    pub flags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    pub min: i32,
    pub max: i32,
    pub start: i32,
    #[serde(default)]
    pub visible: bool,
}

#[derive(Deserialize)]
pub enum Node {
    Client(ClientNode),
    Branch(BranchNode),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientNode {
    pub id: String,
    #[serde(default)]
    pub emotion: Emotion,
    #[serde(default)]
    pub cue: Option<Cue>,
    pub says: Vec<String>,
    #[serde(default)]
    pub hint: Option<String>,
    pub choices: Vec<Choice>,
}

#[derive(Default, Deserialize)]
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

#[derive(Deserialize)]
pub enum Cue {
    Tone(String),
    Pause(String),
    Gaze(String),
    Posture(String),
    Gesture(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    #[serde(default)]
    pub id: Option<String>,
    pub reply: String,
    pub next: String,
    #[serde(default)]
    pub scores: SkillScores,
    #[serde(default)]
    pub codes: Codes,
    #[serde(default)]
    pub change: BTreeMap<String, i32>,
    #[serde(default)]
    pub set: Vec<String>,
    #[serde(default)]
    pub clear: Vec<String>,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub feedback: String,
    #[serde(default)]
    pub thought: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SkillScores {
    pub validating: i32,
    pub avoiding_assumptions: i32,
    pub reflecting: i32,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Codes {
    pub carkhuff: Option<f32>,
    pub miti: Option<Miti>,
    pub notices_cue: bool,
}

#[derive(Deserialize)]
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchNode {
    pub id: String,
    pub rules: Vec<Rule>,
    pub otherwise: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub when: String,
    pub next: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: String,
    pub title: String,
    pub outcome: Outcome,
    pub text: String,
    pub debrief: String,
    #[serde(default)]
    pub notes: Vec<EndingNote>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndingNote {
    pub when: String,
    pub text: String,
}

#[derive(Deserialize)]
pub enum Outcome {
    Engaged,
    Referred,
    Unresolved,
    Disengaged,
}

/// The bare typed parse: what the loader's time and memory are compared with.
pub fn parse(text: &str) -> Scenario {
    attune_core::model::ron_options()
        .from_str(text)
        .expect("the generated scenario parses into the mirror structs")
}
