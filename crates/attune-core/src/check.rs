//! Semantic checks. They run after a successful parse, report every problem at once, and
//! resolve names to indices for the engine. Every pass is linear in nodes + choices.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::assets::AssetCatalog;
use crate::condition::{self, Satisfiability, StateNames};
use crate::diagnostics::Diagnostic;
use crate::ids::{ChoiceId, NodeId};
use crate::model::{
    Choice, Effect, FORMAT_VERSION, Node, ResolvedChoice, ResolvedRule, Scenario, Target, Variable,
};
use crate::skills::{SCORE_MAX, SCORE_MIN, Skill};
use crate::span::{Span, Spanned};
use crate::suggest;

pub fn check(
    scenario: &mut Scenario,
    text: &str,
    assets: Option<&AssetCatalog>,
) -> Vec<Diagnostic> {
    let mut checker = Checker {
        text,
        out: Vec::new(),
    };
    checker.metadata(scenario, assets);
    let variables = checker.variables(scenario);
    let flags: Vec<Spanned<String>> = checker.flags(scenario, &variables);
    let (ids, duplicate_spans) = checker.ids(scenario);
    let links = checker.nodes(scenario, &ids, &variables, &flags);
    drop(ids);
    links.apply(scenario);
    checker.endings(scenario);
    checker.graph(scenario, &duplicate_spans);
    scenario.resolved.variables = variables;
    scenario.resolved.flags = flags.into_iter().map(|f| f.value).collect();
    scenario.resolved.content_hash = content_hash(text);
    let mut out = checker.out;
    out.sort_by_key(|d| (d.primary.span.start, std::cmp::Reverse(d.severity)));
    out
}

pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

struct Checker<'t> {
    text: &'t str,
    out: Vec<Diagnostic>,
}

/// What the node pass resolved, in document order, to be stored once the ids are released.
#[derive(Default)]
struct Links {
    start: Target,
    choices: Vec<ResolvedChoice>,
    rules: Vec<ResolvedRule>,
    otherwise: Vec<Target>,
}

impl Links {
    fn apply(self, s: &mut Scenario) {
        s.resolved.start = self.start;
        let mut choices = self.choices.into_iter();
        let mut rules = self.rules.into_iter();
        let mut otherwise = self.otherwise.into_iter();
        for node in &mut s.nodes {
            match node {
                Node::Client(n) => {
                    for (choice, resolved) in n.choices.iter_mut().zip(&mut choices) {
                        choice.resolved = resolved;
                    }
                }
                Node::Branch(b) => {
                    for (rule, resolved) in b.rules.iter_mut().zip(&mut rules) {
                        rule.resolved = resolved;
                    }
                    b.resolved_otherwise = otherwise.next().unwrap_or_default();
                }
            }
        }
    }
}

/// Node and ending ids, resolved.
struct Ids<'s> {
    targets: HashMap<&'s str, (Target, Span)>,
}

impl<'s> Ids<'s> {
    fn names(&self) -> impl Iterator<Item = &str> {
        self.targets.keys().copied()
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl<'t> Checker<'t> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    fn non_empty(&mut self, text: &Spanned<String>, what: &str) {
        if text.trim().is_empty() {
            self.push(
                Diagnostic::error("empty-text", format!("{what} is empty"), text.span)
                    .label("no text here")
                    .help(format!(
                        "write {what}, or remove the field if it is optional"
                    )),
            );
        }
    }

    fn metadata(&mut self, s: &Scenario, assets: Option<&AssetCatalog>) {
        if s.format.value != FORMAT_VERSION {
            self.push(
                Diagnostic::error(
                    "unsupported-format",
                    format!(
                        "this is format version {}, but this version of Attune reads version {FORMAT_VERSION}",
                        s.format.value
                    ),
                    s.format.span,
                )
                .help(format!("write `format: {FORMAT_VERSION}` and follow docs/scenario-format.md")),
            );
        }
        let id = &s.id;
        if id.value.0.trim().is_empty() {
            self.push(
                Diagnostic::error("empty-text", "the scenario id is empty", id.span)
                    .help("give the scenario a short stable id such as \"grief-first-session\""),
            );
        } else if !id
            .value
            .0
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            self.push(
                Diagnostic::error(
                    "bad-id",
                    "a scenario id may use only lowercase letters, digits, `-` and `_`",
                    id.span,
                )
                .help("results and reports refer to scenarios by this id, so keep it plain, e.g. \"grief-first-session\""),
            );
        }
        self.non_empty(&s.title, "the title");
        self.non_empty(&s.summary, "the summary");
        if s.objectives.is_empty() {
            self.push(
                Diagnostic::warning(
                    "no-objectives",
                    "the scenario lists no learning objectives",
                    s.title.span,
                )
                .help("add `objectives: [\"...\"]`: trainees read them before starting"),
            );
        }
        for objective in &s.objectives {
            self.non_empty(objective, "a learning objective");
        }
        self.non_empty(&s.client.name, "the client's name");
        self.non_empty(&s.client.briefing, "the client's briefing");
        self.non_empty(&s.client.presenting_concern, "the presenting concern");
        if let (Some(portrait), Some(assets)) = (&s.client.portrait, assets)
            && !assets.portraits.contains(portrait.as_str())
        {
            let mut d = Diagnostic::error(
                "unknown-asset",
                format!("there is no portrait called `{}`", portrait.value),
                portrait.span,
            );
            d = match suggest::nearest(portrait, assets.portraits.iter().map(String::as_str)) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help(format!(
                    "portraits are files in assets/portraits/; the ones there are: {}",
                    assets
                        .portraits
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            self.push(d);
        }
        if let Some(bands) = &s.bands
            && !(bands.developing < bands.proficient && bands.proficient <= 100)
        {
            self.push(
                Diagnostic::error(
                    "bad-bands",
                    "band thresholds must rise: 0 < developing < proficient <= 100",
                    s.title.span,
                )
                .help("e.g. `bands: (developing: 40, proficient: 75)`"),
            );
        }
    }

    fn variables(&mut self, s: &Scenario) -> Vec<Variable> {
        let mut variables: Vec<Variable> = Vec::new();
        for v in &s.state.variables {
            if !is_identifier(&v.name) {
                self.push(
                    Diagnostic::error(
                        "bad-name",
                        format!("`{}` cannot be used in conditions", v.name.value),
                        v.name.span,
                    )
                    .help("use lowercase letters, digits and `_`, starting with a letter, e.g. \"openness\""),
                );
            }
            if let Some(first) = variables.iter().find(|f| f.name.value == v.name.value) {
                self.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("the variable `{}` is declared twice", v.name.value),
                        v.name.span,
                    )
                    .label("declared again here")
                    .also(first.name.span, "first declared here"),
                );
                continue;
            }
            if v.min.value > v.max.value {
                self.push(
                    Diagnostic::error(
                        "bad-range",
                        format!(
                            "`{}` has min {} above max {}",
                            v.name.value, v.min.value, v.max.value
                        ),
                        v.min.span,
                    )
                    .also(v.max.span, "max"),
                );
            } else if !(v.min.value..=v.max.value).contains(&v.start.value) {
                self.push(
                    Diagnostic::error(
                        "bad-range",
                        format!(
                            "`{}` starts at {}, outside its range {}..={}",
                            v.name.value, v.start.value, v.min.value, v.max.value
                        ),
                        v.start.span,
                    )
                    .help("the start value must lie between min and max"),
                );
            }
            variables.push(v.clone());
        }
        for builtin in Variable::builtin() {
            if !variables.iter().any(|v| v.name.value == builtin.name.value) {
                variables.push(builtin);
            }
        }
        variables
    }

    fn flags(&mut self, s: &Scenario, variables: &[Variable]) -> Vec<Spanned<String>> {
        let mut flags: Vec<Spanned<String>> = Vec::new();
        for f in &s.state.flags {
            if !is_identifier(f) {
                self.push(
                    Diagnostic::error("bad-name", format!("`{}` cannot be used in conditions", f.value), f.span)
                        .help("use lowercase letters, digits and `_`, starting with a letter, e.g. \"felt_judged\""),
                );
            }
            let earlier = flags
                .iter()
                .chain(variables.iter().map(|v| &v.name))
                .find(|g| g.value == f.value)
                .map(|g| g.span);
            if let Some(first) = earlier {
                self.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("the name `{}` is declared twice", f.value),
                        f.span,
                    )
                    .label("declared again here")
                    .also(first, "first declared here")
                    .help("variables and flags share one set of names"),
                );
                continue;
            }
            flags.push(f.clone());
        }
        flags
    }

    fn ids<'s>(&mut self, s: &'s Scenario) -> (Ids<'s>, HashSet<Span>) {
        let mut duplicate_spans = HashSet::new();
        let mut targets: HashMap<&'s str, (Target, Span)> =
            HashMap::with_capacity(s.nodes.len() + s.endings.len());
        let ids = s
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id().as_str(), n.id().span, Target::Node(i as u32)))
            .chain(
                s.endings
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.id.as_str(), e.id.span, Target::Ending(i as u32))),
            );
        let mut duplicates = Vec::new();
        for (id, span, target) in ids {
            if id.trim().is_empty() {
                duplicates.push(Diagnostic::error("empty-text", "this id is empty", span).help(
                    "give every node and ending a short id such as \"opening\" or \"asks-about-sleep\"",
                ));
                continue;
            }
            if let Some((_, first)) = targets.get(id) {
                duplicate_spans.insert(span);
                duplicates.push(
                    Diagnostic::error("duplicate-id", format!("the id `{id}` is used twice"), span)
                        .label("used again here")
                        .also(*first, "first used here")
                        .help("nodes and endings need distinct ids: rename one of them"),
                );
                continue;
            }
            targets.insert(id, (target, span));
        }
        self.out.extend(duplicates);
        (Ids { targets }, duplicate_spans)
    }

    fn resolve(&mut self, ids: &Ids, next: &Spanned<NodeId>) -> Target {
        let name = next.value.as_str();
        if let Some((target, _)) = ids.targets.get(name) {
            return *target;
        }
        let mut d = Diagnostic::error(
            "unknown-node",
            format!("there is no node or ending with the id `{name}`"),
            next.span,
        )
        .label("leads nowhere");
        d = match suggest::nearest(name, ids.names()) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help("add a node or ending with this id, or point to an existing one"),
        };
        self.push(d);
        Target::Unresolved
    }

    fn condition(
        &mut self,
        when: &Spanned<String>,
        names: &StateNames,
    ) -> Option<condition::Condition> {
        // Map a range inside the condition text to the file; only exact for literals without
        // escapes, otherwise point at the whole literal.
        let raw = &self.text.get(when.span.range()).unwrap_or("");
        let inner_exact = raw.len() == when.value.len() + 2 && raw.starts_with('"');
        let at = |r: std::ops::Range<usize>| {
            if inner_exact {
                when.span.sub(1 + r.start, r.end - r.start)
            } else {
                when.span
            }
        };
        let expr = match condition::parse(&when.value) {
            Ok(expr) => expr,
            Err(e) => {
                let mut d = Diagnostic::error("bad-condition", e.message, at(e.at));
                if let Some(help) = e.help {
                    d = d.help(help);
                }
                self.push(d);
                return None;
            }
        };
        match condition::resolve(&expr, names) {
            Ok(resolved) => {
                if let Satisfiability::Never(range, why) = condition::satisfiability(&expr, names) {
                    self.push(
                        Diagnostic::error(
                            "impossible-condition",
                            "this condition can never be true",
                            at(range),
                        )
                        .label(why)
                        .help("fix the number or the range under `state`, or remove the condition"),
                    );
                }
                Some(resolved)
            }
            Err(errors) => {
                for e in errors {
                    let code = if e.message.starts_with("unknown") {
                        "unknown-state"
                    } else {
                        "bad-condition"
                    };
                    let mut d = Diagnostic::error(code, e.message, at(e.at));
                    if let Some(help) = e.help {
                        d = d.help(help);
                    }
                    self.push(d);
                }
                None
            }
        }
    }

    fn unknown_state(&mut self, name: &Spanned<String>, kind: &str, names: &[&str]) {
        let mut d = Diagnostic::error(
            "unknown-state",
            format!("unknown {kind} `{}`", name.value),
            name.span,
        );
        d = match suggest::nearest(name, names.iter().copied()) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!(
                "declare it under `state` ({kind}s: {})",
                names.join(", ")
            )),
        };
        self.push(d);
    }

    fn nodes(
        &mut self,
        s: &Scenario,
        ids: &Ids,
        variables: &[Variable],
        flags: &[Spanned<String>],
    ) -> Links {
        let mut links = Links::default();
        let var_table: Vec<(&str, i32, i32)> = variables
            .iter()
            .map(|v| (v.name.as_str(), v.min.value, v.max.value))
            .collect();
        let flag_names: Vec<&str> = flags.iter().map(|f| f.as_str()).collect();
        let var_names: Vec<&str> = var_table.iter().map(|v| v.0).collect();
        let mut flags_ever_set = vec![false; flags.len()];
        let mut misspelt_set = false;
        for node in &s.nodes {
            if let Node::Client(n) = node {
                for c in &n.choices {
                    for f in &c.set {
                        match flag_names.iter().position(|n| *n == f.as_str()) {
                            Some(i) => flags_ever_set[i] = true,
                            // A misspelt flag is reported as unknown; don't also call the
                            // flag it was meant to be "never set".
                            None => misspelt_set = true,
                        }
                    }
                }
            }
        }
        if misspelt_set {
            flags_ever_set.fill(true);
        }
        let names = StateNames {
            variables: &var_table,
            flags: &flag_names,
            flags_ever_set: &flags_ever_set,
        };

        let start = self.resolve(ids, &s.start);
        if let Target::Ending(_) = start {
            self.push(
                Diagnostic::error(
                    "bad-start",
                    "the scenario starts at an ending",
                    s.start.span,
                )
                .help("`start` names the client node the session opens with"),
            );
        }
        links.start = start;

        let mut choice_ids: HashMap<ChoiceId, (Span, bool)> = HashMap::new();
        for node in &s.nodes {
            match node {
                Node::Client(n) => {
                    if n.says.is_empty() {
                        self.push(
                            Diagnostic::error("no-lines", "this client node has no line", n.id.span)
                                .help("add `says: [\"...\"]` with what the client says (several wordings are picked at random)"),
                        );
                    }
                    for line in &n.says {
                        self.non_empty(line, "the client's line");
                    }
                    if let Some(cue) = &n.cue {
                        self.non_empty(cue.text(), "the nonverbal cue");
                    }
                    if let Some(hint) = &n.hint {
                        self.non_empty(hint, "the hint");
                    }
                    if n.choices.is_empty() {
                        self.push(
                            Diagnostic::error(
                                "no-choices",
                                format!("the client node `{}` offers no choices", n.id.value),
                                n.id.span,
                            )
                            .help("add at least one choice, or lead to an ending instead"),
                        );
                    } else if n.choices.iter().all(|c| c.when.is_some()) {
                        self.push(
                            Diagnostic::warning(
                                "all-choices-conditional",
                                format!("every choice at `{}` has a condition, so the trainee may be offered none", n.id.value),
                                n.id.span,
                            )
                            .help("give at least one choice no `when`"),
                        );
                    }
                    let has_cue = n.cue.is_some();
                    for (position, choice) in n.choices.iter().enumerate() {
                        let id = match &choice.id {
                            Some(id) => id.value.clone(),
                            None => ChoiceId(format!("{}.{}", n.id.value, position + 1)),
                        };
                        let span = choice.id.as_ref().map_or(choice.reply.span, |i| i.span);
                        // Two inferred ids only collide when node ids do, which is reported already.
                        if let Some(&(first, first_authored)) = choice_ids.get(&id)
                            && (first_authored || choice.id.is_some())
                        {
                            self.push(
                                Diagnostic::error(
                                    "duplicate-id",
                                    format!("the choice id `{id}` is used twice"),
                                    span,
                                )
                                .label("used again here")
                                .also(first, "first used here")
                                .help("choice ids without `id:` are `<node id>.<position>`: pick an id not of that form"),
                            );
                        } else {
                            choice_ids.insert(id.clone(), (span, choice.id.is_some()));
                        }
                        let resolved =
                            self.choice(choice, id, ids, &names, &var_names, &flag_names, has_cue);
                        links.choices.push(resolved);
                    }
                }
                Node::Branch(b) => {
                    for rule in &b.rules {
                        let condition = self.condition(&rule.when, &names);
                        let next = self.resolve(ids, &rule.next);
                        links.rules.push(ResolvedRule {
                            condition: condition.unwrap_or_default(),
                            next,
                        });
                    }
                    if b.rules.is_empty() {
                        self.push(
                            Diagnostic::warning(
                                "empty-branch",
                                format!("the branch `{}` has no rules", b.id.value),
                                b.id.span,
                            )
                            .help("it always goes to `otherwise`: point there directly instead"),
                        );
                    }
                    links.otherwise.push(self.resolve(ids, &b.otherwise));
                }
            }
        }
        links
    }

    #[allow(clippy::too_many_arguments)]
    fn choice(
        &mut self,
        c: &Choice,
        id: ChoiceId,
        ids: &Ids,
        names: &StateNames,
        var_names: &[&str],
        flag_names: &[&str],
        node_has_cue: bool,
    ) -> ResolvedChoice {
        self.non_empty(&c.reply, "the trainee's reply");
        let next = self.resolve(ids, &c.next);
        for skill in Skill::ALL {
            let score = c.scores.get(skill);
            if !(SCORE_MIN..=SCORE_MAX).contains(&score.value) {
                self.push(
                    Diagnostic::error(
                        "score-out-of-range",
                        format!("the {} score {} is outside {SCORE_MIN}..={SCORE_MAX}", skill.key(), score.value),
                        score.span,
                    )
                    .help("scores run from -2 (undermines the skill) through 0 (neutral) to +2 (models it well)"),
                );
            }
        }
        if let Some(level) = &c.codes.carkhuff
            && (!(1.0..=5.0).contains(&level.value) || (level.value * 2.0).fract() != 0.0)
        {
            self.push(
                Diagnostic::error(
                    "bad-code",
                    format!("Carkhuff level {} is not a level", level.value),
                    level.span,
                )
                .help("Carkhuff levels run from 1.0 to 5.0 in half steps, e.g. 2.5"),
            );
        }
        if c.codes.notices_cue && !node_has_cue {
            self.push(
                Diagnostic::warning(
                    "no-cue-to-notice",
                    "this choice notices a cue, but the node has none",
                    c.reply.span,
                )
                .help("add a `cue` to the node, or remove `notices_cue`"),
            );
        }
        let mut effects = Vec::new();
        for (name, delta) in &c.change {
            match var_names.iter().position(|v| *v == name.as_str()) {
                Some(i) => effects.push(Effect::Add {
                    variable: i as u16,
                    delta: delta.value,
                }),
                None => self.unknown_state(name, "variable", var_names),
            }
        }
        for (list, value) in [(&c.set, true), (&c.clear, false)] {
            for flag in list {
                match flag_names.iter().position(|f| *f == flag.as_str()) {
                    Some(i) => effects.push(Effect::Set {
                        flag: i as u16,
                        value,
                    }),
                    None => self.unknown_state(flag, "flag", flag_names),
                }
            }
        }
        let condition = c.when.as_ref().and_then(|w| self.condition(w, names));
        if c.feedback.trim().is_empty() {
            self.push(
                Diagnostic::warning("no-feedback", "this choice has no feedback", c.reply.span)
                    .label("trainees choosing this learn nothing from it")
                    .help("add `feedback: \"...\"`: one or two sentences on why this reply helps or hurts"),
            );
        }
        if let Some(thought) = &c.thought {
            self.non_empty(thought, "the client's inner thought");
        }
        ResolvedChoice {
            id,
            next,
            condition,
            effects,
        }
    }

    fn endings(&mut self, s: &Scenario) {
        if s.endings.is_empty() {
            self.push(
                Diagnostic::error("no-endings", "the scenario has no endings", s.start.span)
                    .help("add at least one ending under `endings: [...]`"),
            );
        }
        for e in &s.endings {
            self.non_empty(&e.title, "the ending's title");
            self.non_empty(&e.text, "the ending's text");
            self.non_empty(&e.debrief, "the ending's debrief notes");
        }
    }

    /// Reachability from the start, and whether an ending is reachable from each node.
    fn graph(&mut self, s: &Scenario, duplicates: &HashSet<Span>) {
        let n = s.nodes.len();
        let e = s.endings.len();
        // Vertices: nodes 0..n, endings n..n+e. Edges in compressed (CSR) form, forward and back.
        let vertex = |t: Target| match t {
            Target::Node(i) => Some(i as usize),
            Target::Ending(i) => Some(n + i as usize),
            Target::Unresolved => None,
        };
        let mut edges: Vec<(u32, u32)> = Vec::new();
        for (i, node) in s.nodes.iter().enumerate() {
            let mut add = |t: Target| {
                if let Some(v) = vertex(t) {
                    edges.push((i as u32, v as u32));
                }
            };
            match node {
                Node::Client(c) => c.choices.iter().for_each(|ch| add(ch.resolved.next)),
                Node::Branch(b) => {
                    b.rules.iter().for_each(|r| add(r.resolved.next));
                    add(b.resolved_otherwise);
                }
            }
        }
        // A node whose id is a duplicate, or that leads to an unknown id, already has an error;
        // don't add "unreachable" or "dead end" to it.
        let mut already_reported = vec![false; n + e];
        for (i, node) in s.nodes.iter().enumerate() {
            let leads_nowhere = match node {
                Node::Client(c) => {
                    c.choices.is_empty()
                        || c.choices
                            .iter()
                            .any(|ch| ch.resolved.next == Target::Unresolved)
                }
                Node::Branch(b) => {
                    b.resolved_otherwise == Target::Unresolved
                        || b.rules
                            .iter()
                            .any(|r| r.resolved.next == Target::Unresolved)
                }
            };
            already_reported[i] = leads_nowhere || duplicates.contains(&node.id().span);
        }
        for (i, ending) in s.endings.iter().enumerate() {
            already_reported[n + i] = duplicates.contains(&ending.id.span);
        }
        let forward = Csr::new(n + e, edges.iter().copied());
        let backward = Csr::new(n + e, edges.iter().map(|&(a, b)| (b, a)));

        let reached_from_start = match vertex(s.resolved.start) {
            Some(start) => forward.reach([start]),
            None => return, // already reported; every node would look unreachable
        };
        let reaches_ending =
            backward.reach((n..n + e).chain((0..n).filter(|&i| already_reported[i])));

        for (i, node) in s.nodes.iter().enumerate() {
            let id = node.id();
            if already_reported[i] {
                continue;
            }
            if !reached_from_start[i] {
                self.push(
                    Diagnostic::error(
                        "unreachable",
                        format!("nothing leads to `{}`", id.value),
                        id.span,
                    )
                    .label("unreachable from the start")
                    .help("point a choice or branch here, or remove the node"),
                );
            } else if !reaches_ending[i] {
                self.push(
                    Diagnostic::error(
                        "dead-end",
                        format!("no ending can be reached from `{}`", id.value),
                        id.span,
                    )
                    .label("every path from here loops without ending")
                    .help("make at least one path from here lead to an ending"),
                );
            }
        }
        for (i, ending) in s.endings.iter().enumerate() {
            if !reached_from_start[n + i] && !already_reported[n + i] {
                self.push(
                    Diagnostic::error(
                        "unreachable",
                        format!("nothing leads to the ending `{}`", ending.id.value),
                        ending.id.span,
                    )
                    .label("unreachable from the start")
                    .help("point a choice or branch here, or remove the ending"),
                );
            }
        }
    }
}

/// Adjacency lists in one flat array.
pub(crate) struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    pub(crate) fn new(vertices: usize, edges: impl Iterator<Item = (u32, u32)> + Clone) -> Self {
        let mut offsets = vec![0u32; vertices + 1];
        for (from, _) in edges.clone() {
            offsets[from as usize + 1] += 1;
        }
        for i in 0..vertices {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[vertices] as usize];
        for (from, to) in edges {
            targets[fill[from as usize] as usize] = to;
            fill[from as usize] += 1;
        }
        Csr { offsets, targets }
    }

    pub(crate) fn next(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    pub(crate) fn reach(&self, from: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let mut seen = vec![false; self.offsets.len() - 1];
        let mut stack: Vec<usize> = Vec::new();
        for v in from {
            if !seen[v] {
                seen[v] = true;
                stack.push(v);
            }
        }
        while let Some(v) = stack.pop() {
            for &w in self.next(v) {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w as usize);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Node, Target};

    const BASE: &str = include_str!("../../../tests/scenarios-ok/broken-base.scenario.ron");

    fn codes(text: &str) -> Vec<&'static str> {
        crate::load_str("t.scenario.ron", text.to_owned(), None)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn a_valid_scenario_resolves_every_link() {
        let loaded = crate::load_str("t.scenario.ron", BASE.to_owned(), None);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let s = loaded.scenario.unwrap();
        assert_eq!(s.resolved.start, Target::Node(0));
        let Node::Client(opening) = &s.nodes[0] else {
            panic!()
        };
        assert_eq!(opening.choices[0].resolved.id.as_str(), "opening.1");
        assert_eq!(opening.choices[0].resolved.next, Target::Node(1));
        let Node::Branch(worry) = &s.nodes[1] else {
            panic!()
        };
        assert_eq!(worry.rules[0].resolved.next, Target::Node(3));
        assert_eq!(worry.resolved_otherwise, Target::Node(2));
        // Declared `openness`, then the built-in `trust` and `distress`.
        let names: Vec<_> = s
            .resolved
            .variables
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, ["openness", "trust", "distress"]);
        assert_eq!(s.resolved.content_hash.len(), 64);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = BASE
            .replacen("next: \"worry\"", "next: \"wory\"", 1)
            .replacen("reflecting: 2),", "reflecting: 5),", 1)
            .replacen("when: \"felt_judged\"", "when: \"trust > 99\"", 1)
            .replacen(
                "says: [\"Yeah. Maybe. I'll sort it.\"]",
                "says: [\"  \"]",
                1,
            );
        let mut found = codes(&text);
        found.sort_unstable();
        assert_eq!(
            found,
            [
                "empty-text",
                "impossible-condition",
                "score-out-of-range",
                "unknown-node"
            ]
        );
    }

    #[test]
    fn warnings_do_not_stop_a_scenario_from_loading() {
        let text = BASE.replacen(
            "                    feedback: \"A tentative reflection reopens the door the advice closed.\",\n",
            "",
            1,
        );
        let loaded = crate::load_str("t.scenario.ron", text, None);
        assert_eq!(loaded.warnings(), 1);
        assert!(loaded.scenario.is_some());
    }

    #[test]
    fn a_cycle_without_an_exit_is_a_dead_end_but_a_loop_with_one_is_fine() {
        let looping = BASE.replacen(
            "rules: [(when: \"felt_judged\", next: \"guarded\")],\n            otherwise: \"open\",",
            "rules: [(when: \"felt_judged\", next: \"guarded\")],\n            otherwise: \"opening\",",
            1,
        );
        // worry → opening → worry … but `guarded` still leads to the ending.
        assert!(!codes(&looping).contains(&"dead-end"));
    }
}
