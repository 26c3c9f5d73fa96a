//! A small scenario described by `arbitrary` data and rendered to RON text that always parses as
//! RON, so the fuzzer spends its time in the checks, the engine and the results, not in syntax.
//! Every scenario has an `opening` node with a way to the `end_heard` ending, so even empty data
//! gives a playable scenario and mutations build on one. Ids come mostly from small pools, so
//! links resolve and conditions name declared state often enough for scenarios to stay playable;
//! free text and free numbers reach the edge cases (empty ids, duplicates, unknown names,
//! out-of-range scores, NaN levels, huge numbers).

use std::fmt::Write;

use arbitrary::Arbitrary;

const NODE_IDS: [&str; 6] = ["opening", "worry", "open", "guarded", "heard", "n5"];
const ENDING_IDS: [&str; 3] = ["end_heard", "end_left", "end_referred"];
/// The node every scenario opens with (unless `start` says otherwise) and its way out.
const OPENING: &str = "opening";
const OPENING_EXIT: &str = "end_heard";
const VARIABLE_NAMES: [&str; 4] = ["trust", "distress", "openness", "anger"];
const FLAG_NAMES: [&str; 4] = ["felt_judged", "anger_heard", "referral_offered", "trust"];
const SENTENCES: [&str; 4] = [
    "My manager says one more late and I'm out.",
    "You're worried this job is slipping away.",
    "It's my mum. She's not well, and mornings are when she needs me.",
    "A simple reflection of the worry shows you heard what matters.",
];
const EMOTIONS: [&str; 10] = [
    "Neutral", "Sad", "Tearful", "Anxious", "Angry", "Guarded", "Ashamed", "Flat", "Relieved",
    "Hopeful",
];
const CUES: [&str; 5] = ["Tone", "Pause", "Gaze", "Posture", "Gesture"];
const MITI: [&str; 10] = [
    "GivingInformation",
    "Persuade",
    "PersuadeWithPermission",
    "Question",
    "SimpleReflection",
    "ComplexReflection",
    "Affirm",
    "SeekingCollaboration",
    "EmphasisingAutonomy",
    "Confront",
];
const OUTCOMES: [&str; 4] = ["Engaged", "Referred", "Unresolved", "Disengaged"];
const DIFFICULTIES: [&str; 3] = ["Introductory", "Intermediate", "Advanced"];

/// Caps on how much of each list is rendered, so one input stays small and fast.
const MAX_NODES: usize = 8;
const MAX_CHOICES: usize = 5;
const MAX_ITEMS: usize = 4;
const MAX_CONDITION_DEPTH: usize = 5;

#[derive(Arbitrary, Debug)]
pub enum Name {
    Pooled(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
pub enum Text {
    Sentence(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
pub enum Number {
    Small(i8),
    Any(i32),
}

impl Number {
    fn value(&self) -> i64 {
        match *self {
            Number::Small(n) => i64::from(n % 12),
            Number::Any(n) => i64::from(n),
        }
    }
}

#[derive(Arbitrary, Debug)]
pub struct VariableSpec {
    pub name: Name,
    pub min: Number,
    pub max: Number,
    pub start: Number,
    pub visible: Option<bool>,
}

#[derive(Arbitrary, Debug)]
pub enum Comparison {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
    Ne,
    /// What authors get wrong: `=>`, `=<`, `=`.
    Typo(u8),
}

#[derive(Arbitrary, Debug)]
pub enum ConditionSpec {
    Flag(Name),
    Compare(Name, Comparison, Number),
    Not(Box<ConditionSpec>),
    And(Vec<ConditionSpec>),
    Or(Vec<ConditionSpec>),
    Parenthesised(Box<ConditionSpec>),
    /// Any text at all, to reach the condition parser's errors inside a scenario.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub enum Level {
    HalfStep(u8),
    Any(f32),
}

#[derive(Arbitrary, Debug)]
pub struct ChoiceSpec {
    pub id: Option<Name>,
    pub reply: Text,
    /// Into the node ids then the ending ids, or free.
    pub next: Name,
    pub scores: [Option<Number>; 3],
    pub carkhuff: Option<Level>,
    pub miti: Option<u8>,
    pub notices_cue: bool,
    pub change: Vec<(Name, Number)>,
    pub set: Vec<Name>,
    pub clear: Vec<Name>,
    pub when: Option<ConditionSpec>,
    pub feedback: Option<Text>,
    pub thought: Option<Text>,
}

#[derive(Arbitrary, Debug)]
pub enum NodeSpec {
    Client {
        id: Name,
        emotion: Option<u8>,
        cue: Option<(u8, Text)>,
        says: Vec<Text>,
        hint: Option<Text>,
        choices: Vec<ChoiceSpec>,
    },
    Branch {
        id: Name,
        rules: Vec<(ConditionSpec, Name)>,
        otherwise: Name,
    },
}

#[derive(Arbitrary, Debug)]
pub struct EndingSpec {
    pub id: Name,
    pub title: Text,
    pub outcome: u8,
    pub text: Text,
    pub debrief: Text,
}

#[derive(Arbitrary, Debug)]
pub struct ScenarioSpec {
    /// Mostly the supported format, 1.
    pub other_format: Option<u32>,
    pub id: Option<String>,
    pub difficulty: u8,
    /// 1, 2 or no objectives.
    pub objectives: u8,
    pub bands: Option<(Number, Number)>,
    pub variables: Vec<VariableSpec>,
    pub flags: Vec<Name>,
    /// `opening` unless given.
    pub start: Option<Name>,
    /// Offered at `opening` before its way out.
    pub opening_choices: Vec<ChoiceSpec>,
    pub nodes: Vec<NodeSpec>,
    pub endings: Vec<EndingSpec>,
}

/// A RON string literal; other characters, newlines included, are allowed inside one as they are.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[usize::from(i) % pool.len()]
}

impl Name {
    fn render(&self, pool: &[&str]) -> String {
        match self {
            Name::Pooled(i) => quoted(pick(pool, *i)),
            Name::Free(s) => quoted(s),
        }
    }

    /// A name inside condition text, which is not a RON string of its own.
    fn bare(&self, pool: &[&str]) -> String {
        match self {
            Name::Pooled(i) => pick(pool, *i).to_owned(),
            Name::Free(s) => s.clone(),
        }
    }

    /// A link: a node id or an ending id.
    fn target(&self) -> String {
        match self {
            Name::Pooled(i) => {
                let i = usize::from(*i) % (NODE_IDS.len() + ENDING_IDS.len());
                quoted(
                    NODE_IDS
                        .get(i)
                        .unwrap_or_else(|| &ENDING_IDS[i - NODE_IDS.len()]),
                )
            }
            Name::Free(s) => quoted(s),
        }
    }
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Sentence(i) => quoted(pick(&SENTENCES, *i)),
            Text::Free(s) => quoted(s),
        }
    }
}

impl ConditionSpec {
    fn render(&self, out: &mut String, depth: usize) {
        if depth > MAX_CONDITION_DEPTH {
            out.push_str("trust >= 1");
            return;
        }
        let spelling = depth % 2 == 0;
        match self {
            ConditionSpec::Flag(name) => out.push_str(&name.bare(&FLAG_NAMES)),
            ConditionSpec::Compare(name, op, value) => {
                let op = match op {
                    Comparison::Ge => ">=",
                    Comparison::Le => "<=",
                    Comparison::Gt => ">",
                    Comparison::Lt => "<",
                    Comparison::Eq => "==",
                    Comparison::Ne => "!=",
                    Comparison::Typo(i) => pick(&["=>", "=<", "=", "=="], *i),
                };
                let _ = write!(out, "{} {op} {}", name.bare(&VARIABLE_NAMES), value.value());
            }
            ConditionSpec::Not(inner) => {
                out.push_str(if spelling { "not " } else { "!" });
                inner.render(out, depth + 1);
            }
            ConditionSpec::And(parts) | ConditionSpec::Or(parts) => {
                let joiner = match (self, spelling) {
                    (ConditionSpec::And(_), true) => " and ",
                    (ConditionSpec::And(_), false) => " && ",
                    (_, true) => " or ",
                    (_, false) => " || ",
                };
                for (i, part) in parts.iter().take(MAX_ITEMS).enumerate() {
                    if i > 0 {
                        out.push_str(joiner);
                    }
                    part.render(out, depth + 1);
                }
            }
            ConditionSpec::Parenthesised(inner) => {
                out.push('(');
                inner.render(out, depth + 1);
                out.push(')');
            }
            ConditionSpec::Raw(text) => out.push_str(text),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.render(&mut out, 0);
        out
    }
}

impl Level {
    fn render(&self) -> String {
        match *self {
            Level::HalfStep(i) => format!("{:.1}", 1.0 + f32::from(i % 10) * 0.5),
            // `{:?}` writes `NaN`, `inf`, `1e-40` and `2.5`, all of which RON reads as floats.
            Level::Any(x) => format!("{x:?}"),
        }
    }
}

impl ChoiceSpec {
    fn render(&self, out: &mut String) {
        out.push_str("                (\n");
        if let Some(id) = &self.id {
            let _ = writeln!(out, "                    id: {},", id.render(&NODE_IDS));
        }
        let _ = writeln!(out, "                    reply: {},", self.reply.render());
        let _ = writeln!(out, "                    next: {},", self.next.target());
        let scores: Vec<String> = ["validating", "avoiding_assumptions", "reflecting"]
            .iter()
            .zip(&self.scores)
            .filter_map(|(skill, n)| n.as_ref().map(|n| format!("{skill}: {}", n.value())))
            .collect();
        let _ = writeln!(out, "                    scores: ({}),", scores.join(", "));
        let mut codes = Vec::new();
        if let Some(level) = &self.carkhuff {
            codes.push(format!("carkhuff: {}", level.render()));
        }
        if let Some(miti) = self.miti {
            codes.push(format!("miti: {}", pick(&MITI, miti)));
        }
        if self.notices_cue {
            codes.push("notices_cue: true".to_owned());
        }
        if !codes.is_empty() {
            let _ = writeln!(out, "                    codes: ({}),", codes.join(", "));
        }
        if !self.change.is_empty() {
            let change: Vec<String> = self
                .change
                .iter()
                .take(MAX_ITEMS)
                .map(|(name, delta)| format!("{}: {}", name.render(&VARIABLE_NAMES), delta.value()))
                .collect();
            let _ = writeln!(
                out,
                "                    change: {{{}}},",
                change.join(", ")
            );
        }
        for (field, flags) in [("set", &self.set), ("clear", &self.clear)] {
            if !flags.is_empty() {
                let flags: Vec<String> = flags
                    .iter()
                    .take(MAX_ITEMS)
                    .map(|f| f.render(&FLAG_NAMES))
                    .collect();
                let _ = writeln!(out, "                    {field}: [{}],", flags.join(", "));
            }
        }
        if let Some(when) = &self.when {
            let _ = writeln!(out, "                    when: {},", quoted(&when.text()));
        }
        if let Some(feedback) = &self.feedback {
            let _ = writeln!(out, "                    feedback: {},", feedback.render());
        }
        if let Some(thought) = &self.thought {
            let _ = writeln!(out, "                    thought: {},", thought.render());
        }
        out.push_str("                ),\n");
    }
}

impl NodeSpec {
    fn render(&self, out: &mut String) {
        match self {
            NodeSpec::Client {
                id,
                emotion,
                cue,
                says,
                hint,
                choices,
            } => {
                out.push_str("        Client(\n");
                let _ = writeln!(out, "            id: {},", id.render(&NODE_IDS));
                if let Some(emotion) = emotion {
                    let _ = writeln!(out, "            emotion: {},", pick(&EMOTIONS, *emotion));
                }
                if let Some((kind, text)) = cue {
                    let _ = writeln!(
                        out,
                        "            cue: {}({}),",
                        pick(&CUES, *kind),
                        text.render()
                    );
                }
                let says: Vec<String> = says.iter().take(MAX_ITEMS).map(Text::render).collect();
                let _ = writeln!(out, "            says: [{}],", says.join(", "));
                if let Some(hint) = hint {
                    let _ = writeln!(out, "            hint: {},", hint.render());
                }
                out.push_str("            choices: [\n");
                for choice in choices.iter().take(MAX_CHOICES) {
                    choice.render(out);
                }
                out.push_str("            ],\n        ),\n");
            }
            NodeSpec::Branch {
                id,
                rules,
                otherwise,
            } => {
                out.push_str("        Branch(\n");
                let _ = writeln!(out, "            id: {},", id.render(&NODE_IDS));
                out.push_str("            rules: [\n");
                for (when, next) in rules.iter().take(MAX_ITEMS) {
                    let _ = writeln!(
                        out,
                        "                (when: {}, next: {}),",
                        quoted(&when.text()),
                        next.target()
                    );
                }
                let _ = writeln!(
                    out,
                    "            ],\n            otherwise: {},",
                    otherwise.target()
                );
                out.push_str("        ),\n");
            }
        }
    }
}

impl ScenarioSpec {
    /// The scenario as RON text an author could have written.
    pub fn to_ron(&self) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str("// Rendered by the scenario_structured fuzz target.\n(\n");
        let _ = writeln!(out, "    format: {},", self.other_format.unwrap_or(1));
        let id = self.id.as_deref().unwrap_or("fuzz-example");
        let _ = writeln!(out, "    id: {},", quoted(id));
        out.push_str("    title: \"Late for work\",\n");
        out.push_str("    summary: \"Sam has been late three times this month.\",\n");
        out.push_str("    author: \"Attune fuzzing\",\n");
        let _ = writeln!(
            out,
            "    difficulty: {},",
            pick(&DIFFICULTIES, self.difficulty)
        );
        out.push_str("    minutes: 5,\n");
        let objectives: Vec<String> = (0..(u16::from(self.objectives) + 1) % 3)
            .map(|i| quoted(pick(&SENTENCES, i as u8)))
            .collect();
        let _ = writeln!(out, "    objectives: [{}],", objectives.join(", "));
        if let Some((developing, proficient)) = &self.bands {
            let _ = writeln!(
                out,
                "    bands: (developing: {}, proficient: {}),",
                developing.value().unsigned_abs(),
                proficient.value().unsigned_abs()
            );
        }
        out.push_str(concat!(
            "    client: (\n",
            "        name: \"Sam\",\n",
            "        age: 29,\n",
            "        pronouns: \"they/them\",\n",
            "        briefing: \"Sam works in a warehouse.\",\n",
            "        presenting_concern: \"Lateness at work\",\n",
            "    ),\n",
        ));
        out.push_str("    state: (\n        variables: [\n");
        for v in self.variables.iter().take(MAX_ITEMS) {
            let _ = write!(
                out,
                "            (name: {}, min: {}, max: {}, start: {}",
                v.name.render(&VARIABLE_NAMES),
                v.min.value(),
                v.max.value(),
                v.start.value()
            );
            if let Some(visible) = v.visible {
                let _ = write!(out, ", visible: {visible}");
            }
            out.push_str("),\n");
        }
        let flags: Vec<String> = self
            .flags
            .iter()
            .take(MAX_ITEMS)
            .map(|f| f.render(&FLAG_NAMES))
            .collect();
        let _ = writeln!(
            out,
            "        ],\n        flags: [{}],\n    ),",
            flags.join(", ")
        );
        let start = self
            .start
            .as_ref()
            .map_or_else(|| quoted(OPENING), Name::target);
        let _ = writeln!(out, "    start: {start},");
        out.push_str("    nodes: [\n        Client(\n");
        let _ = writeln!(out, "            id: {},", quoted(OPENING));
        out.push_str("            says: [\"My manager says one more late and I'm out.\"],\n");
        out.push_str("            choices: [\n");
        for choice in self.opening_choices.iter().take(MAX_CHOICES) {
            choice.render(&mut out);
        }
        let _ = writeln!(
            out,
            "                (reply: \"You're worried.\", next: {}, feedback: \"A reflection.\"),",
            quoted(OPENING_EXIT)
        );
        out.push_str("            ],\n        ),\n");
        for node in self.nodes.iter().take(MAX_NODES) {
            node.render(&mut out);
        }
        out.push_str("    ],\n    endings: [\n");
        let _ = writeln!(
            out,
            "        (id: {}, title: \"Heard\", outcome: Engaged, text: \"Sam talks.\", debrief: \"Reflecting helped.\"),",
            quoted(OPENING_EXIT)
        );
        for ending in self.endings.iter().take(MAX_ITEMS) {
            let _ = writeln!(
                out,
                "        (id: {}, title: {}, outcome: {}, text: {}, debrief: {}),",
                ending.id.render(&ENDING_IDS),
                ending.title.render(),
                pick(&OUTCOMES, ending.outcome),
                ending.text.render(),
                ending.debrief.render()
            );
        }
        out.push_str("    ],\n)\n");
        out
    }
}
