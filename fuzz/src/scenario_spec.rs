//! A small scenario described by `arbitrary` data and rendered to RON text that always parses as
//! RON, so the fuzzer spends its time in the checks, the engine and the results, not in syntax.
//!
//! Every scenario has an `opening` node with a way to the `end_heard` ending (and one to the
//! first other node), so even empty data gives a playable scenario and mutations build on one.
//! Pooled names are drawn from what the scenario declares (its node and ending ids, variables,
//! flags), so links resolve and conditions name declared state often enough for multi-node
//! scenarios to stay playable; free text and free numbers reach the edge cases (empty ids,
//! duplicates, unknown names, out-of-range scores, NaN levels, huge numbers).

use std::fmt::Write;

use arbitrary::Arbitrary;

/// Node ids by position: the opening, then one for each node rendered (at most `MAX_NODES`).
const NODE_IDS: [&str; 9] = [
    "opening", "worry", "open", "guarded", "heard", "n5", "n6", "n7", "n8",
];
/// Ending ids by position: the opening's way out, then one for each ending rendered.
const ENDING_IDS: [&str; 5] = ["end_heard", "end_left", "end_referred", "end_3", "end_4"];
const BUILTIN_VARIABLES: [&str; 2] = ["trust", "distress"];
const VARIABLE_NAMES: [&str; 4] = ["trust", "distress", "openness", "anger"];
/// `trust` is a variable: declaring it as a flag too is a mistake the checks must catch.
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
const MAX_NODES: usize = NODE_IDS.len() - 1;
const MAX_ENDINGS: usize = ENDING_IDS.len() - 1;
const MAX_CHOICES: usize = 5;
const MAX_ITEMS: usize = 4;
const MAX_CONDITION_DEPTH: usize = 5;

/// A name: one the scenario declares (by index, wrapping) or any text at all.
#[derive(Arbitrary, Debug)]
pub enum Name {
    Declared(u8),
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
    /// From `VARIABLE_NAMES` when `Declared`.
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
    /// From the node ids when `Declared` (choice ids may repeat node ids).
    pub id: Option<Name>,
    pub reply: Text,
    /// A node or an ending.
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
        /// The id for its position unless given (a `Declared` one may repeat another).
        id: Option<Name>,
        emotion: Option<u8>,
        cue: Option<(u8, Text)>,
        says: Vec<Text>,
        hint: Option<Text>,
        choices: Vec<ChoiceSpec>,
    },
    Branch {
        id: Option<Name>,
        rules: Vec<(ConditionSpec, Name)>,
        otherwise: Name,
    },
}

#[derive(Arbitrary, Debug)]
pub struct EndingSpec {
    pub id: Option<Name>,
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
    /// From `FLAG_NAMES` when `Declared`.
    pub flags: Vec<Name>,
    /// `opening` unless given.
    pub start: Option<Name>,
    /// Offered at `opening` before its ways on.
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
    /// The name itself: from `pool` when `Declared` (from `fallback` if `pool` is empty).
    fn in_pool(&self, pool: &[String], fallback: &[&str]) -> String {
        match self {
            Name::Declared(i) if pool.is_empty() => pick(fallback, *i).to_owned(),
            Name::Declared(i) => pool[usize::from(*i) % pool.len()].clone(),
            Name::Free(s) => s.clone(),
        }
    }

    /// A node's or an ending's own id: the one for its position unless given.
    fn own_id(name: Option<&Name>, ids: &[&str], position: usize) -> String {
        match name {
            None => ids[position % ids.len()].to_owned(),
            Some(Name::Declared(i)) => pick(ids, *i).to_owned(),
            Some(Name::Free(s)) => s.clone(),
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

/// What the scenario declares, which `Name::Declared` picks from.
struct Declared {
    /// Node ids, then ending ids.
    targets: Vec<String>,
    variables: Vec<String>,
    flags: Vec<String>,
}

impl Declared {
    fn target(&self, name: &Name) -> String {
        quoted(&name.in_pool(&self.targets, &NODE_IDS))
    }

    fn variable(&self, name: &Name) -> String {
        name.in_pool(&self.variables, &VARIABLE_NAMES)
    }

    fn flag(&self, name: &Name) -> String {
        name.in_pool(&self.flags, &FLAG_NAMES)
    }
}

impl ConditionSpec {
    fn render(&self, out: &mut String, declared: &Declared, depth: usize) {
        if depth > MAX_CONDITION_DEPTH {
            out.push_str("trust >= 1");
            return;
        }
        let spelling = depth.is_multiple_of(2);
        match self {
            ConditionSpec::Flag(name) => out.push_str(&declared.flag(name)),
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
                let _ = write!(out, "{} {op} {}", declared.variable(name), value.value());
            }
            ConditionSpec::Not(inner) => {
                out.push_str(if spelling { "not " } else { "!" });
                inner.render(out, declared, depth + 1);
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
                    part.render(out, declared, depth + 1);
                }
            }
            ConditionSpec::Parenthesised(inner) => {
                out.push('(');
                inner.render(out, declared, depth + 1);
                out.push(')');
            }
            ConditionSpec::Raw(text) => out.push_str(text),
        }
    }

    /// The condition as a RON string literal.
    fn literal(&self, declared: &Declared) -> String {
        let mut out = String::new();
        self.render(&mut out, declared, 0);
        quoted(&out)
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
    fn render(&self, out: &mut String, declared: &Declared) {
        out.push_str("                (\n");
        if let Some(id) = &self.id {
            let id = id.in_pool(&declared.targets, &NODE_IDS);
            let _ = writeln!(out, "                    id: {},", quoted(&id));
        }
        let _ = writeln!(out, "                    reply: {},", self.reply.render());
        let _ = writeln!(
            out,
            "                    next: {},",
            declared.target(&self.next)
        );
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
                .map(|(name, delta)| {
                    format!("{}: {}", quoted(&declared.variable(name)), delta.value())
                })
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
                    .map(|f| quoted(&declared.flag(f)))
                    .collect();
                let _ = writeln!(out, "                    {field}: [{}],", flags.join(", "));
            }
        }
        if let Some(when) = &self.when {
            let _ = writeln!(out, "                    when: {},", when.literal(declared));
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
    fn id(&self) -> Option<&Name> {
        match self {
            NodeSpec::Client { id, .. } | NodeSpec::Branch { id, .. } => id.as_ref(),
        }
    }

    fn render(&self, out: &mut String, id: &str, declared: &Declared) {
        match self {
            NodeSpec::Client {
                emotion,
                cue,
                says,
                hint,
                choices,
                ..
            } => {
                out.push_str("        Client(\n");
                let _ = writeln!(out, "            id: {},", quoted(id));
                if let Some(emotion) = emotion {
                    let _ = writeln!(out, "            emotion: {},", pick(&EMOTIONS, *emotion));
                }
                if let Some((kind, text)) = cue {
                    let kind = pick(&CUES, *kind);
                    let _ = writeln!(out, "            cue: {kind}({}),", text.render());
                }
                let says: Vec<String> = says.iter().take(MAX_ITEMS).map(Text::render).collect();
                let _ = writeln!(out, "            says: [{}],", says.join(", "));
                if let Some(hint) = hint {
                    let _ = writeln!(out, "            hint: {},", hint.render());
                }
                out.push_str("            choices: [\n");
                for choice in choices.iter().take(MAX_CHOICES) {
                    choice.render(out, declared);
                }
                out.push_str("            ],\n        ),\n");
            }
            NodeSpec::Branch {
                rules, otherwise, ..
            } => {
                out.push_str("        Branch(\n");
                let _ = writeln!(out, "            id: {},", quoted(id));
                out.push_str("            rules: [\n");
                for (when, next) in rules.iter().take(MAX_ITEMS) {
                    let _ = writeln!(
                        out,
                        "                (when: {}, next: {}),",
                        when.literal(declared),
                        declared.target(next)
                    );
                }
                let otherwise = declared.target(otherwise);
                let _ = writeln!(out, "            ],\n            otherwise: {otherwise},");
                out.push_str("        ),\n");
            }
        }
    }
}

impl ScenarioSpec {
    /// The scenario as RON text an author could have written.
    pub fn to_ron(&self) -> String {
        let nodes: Vec<&NodeSpec> = self.nodes.iter().take(MAX_NODES).collect();
        let endings: Vec<&EndingSpec> = self.endings.iter().take(MAX_ENDINGS).collect();
        let variables: Vec<&VariableSpec> = self.variables.iter().take(MAX_ITEMS).collect();
        let flags: Vec<String> = self
            .flags
            .iter()
            .take(MAX_ITEMS)
            .map(|f| f.in_pool(&[], &FLAG_NAMES))
            .collect();
        let node_ids: Vec<String> = std::iter::once(NODE_IDS[0].to_owned())
            .chain((nodes.iter().enumerate()).map(|(i, n)| Name::own_id(n.id(), &NODE_IDS, i + 1)))
            .collect();
        let ending_ids: Vec<String> = std::iter::once(ENDING_IDS[0].to_owned())
            .chain(
                (endings.iter().enumerate())
                    .map(|(i, e)| Name::own_id(e.id.as_ref(), &ENDING_IDS, i + 1)),
            )
            .collect();
        let variable_names: Vec<String> = variables
            .iter()
            .map(|v| v.name.in_pool(&[], &VARIABLE_NAMES))
            .collect();
        let declared = Declared {
            targets: node_ids.iter().chain(&ending_ids).cloned().collect(),
            variables: BUILTIN_VARIABLES
                .iter()
                .map(|v| v.to_string())
                .chain(variable_names.iter().cloned())
                .collect(),
            flags: flags.clone(),
        };

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
        for (v, name) in variables.iter().zip(&variable_names) {
            let _ = write!(
                out,
                "            (name: {}, min: {}, max: {}, start: {}",
                quoted(name),
                v.min.value(),
                v.max.value(),
                v.start.value()
            );
            if let Some(visible) = v.visible {
                let _ = write!(out, ", visible: {visible}");
            }
            out.push_str("),\n");
        }
        let flags: Vec<String> = flags.iter().map(|f| quoted(f)).collect();
        let _ = writeln!(
            out,
            "        ],\n        flags: [{}],\n    ),",
            flags.join(", ")
        );
        let start = self
            .start
            .as_ref()
            .map_or_else(|| quoted(NODE_IDS[0]), |s| declared.target(s));
        let _ = writeln!(out, "    start: {start},");

        out.push_str("    nodes: [\n        Client(\n");
        let _ = writeln!(out, "            id: {},", quoted(NODE_IDS[0]));
        out.push_str("            says: [\"My manager says one more late and I'm out.\"],\n");
        out.push_str("            choices: [\n");
        for choice in self.opening_choices.iter().take(MAX_CHOICES) {
            choice.render(&mut out, &declared);
        }
        let _ = writeln!(
            out,
            "                (reply: \"You're worried.\", next: {}, feedback: \"A reflection.\"),",
            quoted(ENDING_IDS[0])
        );
        if let Some(first) = node_ids.get(1) {
            let _ = writeln!(
                out,
                "                (reply: \"Go on.\", next: {}, feedback: \"An invitation.\"),",
                quoted(first)
            );
        }
        out.push_str("            ],\n        ),\n");
        for (node, id) in nodes.iter().zip(&node_ids[1..]) {
            node.render(&mut out, id, &declared);
        }

        out.push_str("    ],\n    endings: [\n");
        let _ = writeln!(
            out,
            "        (id: {}, title: \"Heard\", outcome: Engaged, text: \"Sam talks.\", debrief: \"Reflecting helped.\"),",
            quoted(ENDING_IDS[0])
        );
        for (ending, id) in endings.iter().zip(&ending_ids[1..]) {
            let _ = writeln!(
                out,
                "        (id: {}, title: {}, outcome: {}, text: {}, debrief: {}),",
                quoted(id),
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
