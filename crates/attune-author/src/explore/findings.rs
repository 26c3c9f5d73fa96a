//! What a [`Report`] means for the author: diagnostics with a location, words a lecturer can act
//! on, and the choice ids that show each one in `attune play`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use attune_core::condition::Condition;
use attune_core::diagnostics::{Code, Diagnostic};
use attune_core::engine::StopReason;
use attune_core::graph::{Graph, Via};
use attune_core::ids::ChoiceId;
use attune_core::model::{BranchNode, Node};
use attune_core::playable::{BranchIx, ChoiceIx, ClientIx, Effect, NodeRef, Target};
use attune_core::span::Span;
use attune_core::{Playable, Severity};

use super::{Method, Report, Stop, Trail, Trap, Values, coverage};
use crate::walks::{Observer, WalkKind, Walker};

/// Who the findings are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `attune check`: only what the exhaustive search proves, as warnings (a reply never
    /// offered; a node or ending never reached, where the chain of causes starts) and errors (a
    /// trainee who can never finish). Nothing when the search gave up.
    Check,
    /// `attune test`: everything. What fails the test is an error; the rest are warnings,
    /// which `--strict` makes fail too.
    Test,
}

/// One finding: a diagnostic, and where possible the path that shows it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub reproducer: Option<Reproducer>,
}

/// Replies, by id, that lead to what a finding is about: `attune play FILE --seed S --choices …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reproducer {
    pub seed: u64,
    pub choices: Vec<ChoiceId>,
}

impl Reproducer {
    /// The command line that plays it, with the file name quoted for a POSIX shell if it needs
    /// it. No choices: the place in question is the first prompt.
    pub fn command(&self, file: &Path) -> String {
        let mut command = format!(
            "attune play {} --seed {}",
            shell_quote(&file.display().to_string()),
            self.seed
        );
        if !self.choices.is_empty() {
            let ids: Vec<&str> = self.choices.iter().map(ChoiceId::as_str).collect();
            let _ = write!(command, " --choices {}", shell_quote(&ids.join(",")));
        }
        command
    }
}

fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./,:+=@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A number with thousands separators, as people write it: 1,000,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The variables and flags a condition reads, each once, in the order they appear.
#[derive(Debug, Default)]
struct Reads {
    variables: Vec<u16>,
    flags: Vec<u16>,
}

impl Reads {
    fn of(condition: &Condition) -> Reads {
        let mut reads = Reads::default();
        reads.add(condition);
        reads
    }

    fn add(&mut self, condition: &Condition) {
        let mut stack = vec![condition];
        while let Some(c) = stack.pop() {
            match c {
                Condition::Flag(f) if !self.flags.contains(f) => self.flags.push(*f),
                Condition::Compare { variable, .. } if !self.variables.contains(variable) => {
                    self.variables.push(*variable)
                }
                Condition::Flag(_) | Condition::Compare { .. } => {}
                Condition::Not(inner) => stack.push(inner),
                Condition::All(cs) | Condition::Any(cs) => stack.extend(cs.iter().rev()),
            }
        }
    }
}

/// What the values at a node say about the names a condition reads, e.g. "`trust` is always 2
/// and `felt_judged` is never set".
fn describe(p: &Playable, values: &Values, reads: &Reads) -> String {
    let mut parts = Vec::new();
    for &v in &reads.variables {
        let v = v as usize;
        let name = &p.variables()[v].name.value;
        let (low, high) = (values.lowest[v], values.highest[v]);
        parts.push(if low == high {
            format!("`{name}` is always {low}")
        } else {
            format!("`{name}` is between {low} and {high}")
        });
    }
    for &f in &reads.flags {
        let f = f as usize;
        let name = &p.flags()[f];
        parts.push(match (values.ever_set[f], values.ever_unset[f]) {
            (true, false) => format!("`{name}` is always set"),
            (false, _) => format!("`{name}` is never set"),
            (true, true) => format!("`{name}` is sometimes set"),
        });
    }
    and_list(&parts)
}

/// A situation in words: "`trust` 3, `openness` 1 and `felt_judged` set".
fn situation(p: &Playable, variables: &[i32], flags: &[bool]) -> String {
    let mut parts: Vec<String> = p
        .variables()
        .iter()
        .zip(variables)
        .map(|(v, x)| format!("`{}` {x}", v.name.value))
        .collect();
    let set: Vec<String> = p
        .flags()
        .iter()
        .zip(flags)
        .filter(|(_, set)| **set)
        .map(|(f, _)| format!("`{f}` set"))
        .collect();
    if set.is_empty() && !p.flags().is_empty() {
        parts.push("no flag set".to_owned());
    }
    parts.extend(set);
    and_list(&parts)
}

fn branch_node(p: &Playable, b: BranchIx) -> &BranchNode {
    match &p.scenario().nodes[p.vertex(Target::Branch(b)) as usize] {
        Node::Branch(node) => node,
        // The playable's branch index always names a branch node of its scenario.
        Node::Client(_) => unreachable!("a BranchIx names a branch node"),
    }
}

/// Where a reply is best pointed at: its condition, else its id, else its text.
fn choice_span(p: &Playable, node: ClientIx, choice: ChoiceIx) -> Span {
    let c = p.choice(node, choice);
    c.when
        .as_ref()
        .map(|w| w.span)
        .or_else(|| c.id.as_ref().map(|i| i.span))
        .unwrap_or(c.reply.span)
}

/// One way into a place that never happens, from somewhere that is reached.
struct WayIn {
    reason: String,
    /// Where the place it comes from was first reached.
    from: Trail,
}

impl Report<'_> {
    /// The findings, in file order.
    pub fn findings(&self, purpose: Purpose) -> Vec<Finding> {
        if purpose == Purpose::Check && !self.is_exhaustive() {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.unreached(purpose, &mut out);
        self.never_offered(purpose, &mut out);
        if purpose == Purpose::Test {
            self.never_true(&mut out);
        }
        self.traps(&mut out);
        if purpose == Purpose::Test {
            self.stops(&mut out);
            self.unread_flags(&mut out);
            self.unread_variables(&mut out);
        }
        out.sort_by_key(|f| {
            (
                f.diagnostic.primary.span.start,
                std::cmp::Reverse(f.diagnostic.severity),
            )
        });
        out
    }

    fn reproducer(&self, trail: Trail) -> Reproducer {
        let seed = match trail {
            Trail::Walk {
                walk: WalkKind::Random { seed },
                ..
            } => seed,
            _ => self.options.seed,
        };
        Reproducer {
            seed,
            choices: self.path(trail),
        }
    }

    /// The reproducer of a reply chosen where it was first offered.
    fn choosing(&self, node: ClientIx, choice: ChoiceIx) -> Option<Reproducer> {
        let trail = self.coverage.offered(node, choice)?;
        let mut reproducer = self.reproducer(trail);
        reproducer
            .choices
            .push(self.playable.choice_links(node, choice).id.clone());
        Some(reproducer)
    }

    /// Error when a proven problem fails the test; warning when it is only a sample's.
    fn proven(&self, purpose: Purpose) -> Severity {
        match (purpose, self.method) {
            (Purpose::Test, Method::Exhaustive { .. }) => Severity::Error,
            _ => Severity::Warning,
        }
    }

    fn walks_phrase(&self) -> String {
        match self.method {
            Method::Walks { count, .. } => format!(
                "{} random playthroughs and the two greedy ones",
                thousands(count as u64)
            ),
            Method::Exhaustive { .. } => "every path".to_owned(),
        }
    }

    fn sample_help(&self) -> String {
        match self.method {
            Method::Walks { max_states, .. } => format!(
                "There are more than {} situations (a node with its trust, flags and other state), too many to try them all, so this may be chance: try more walks with `--walks`, or a larger `--max-states`.",
                thousands(max_states as u64)
            ),
            Method::Exhaustive { .. } => String::new(),
        }
    }

    fn unreached(&self, purpose: Purpose, out: &mut Vec<Finding>) {
        let p = self.playable;
        let reversed = p.graph().reversed();
        let places = p
            .nodes()
            .iter()
            .map(|n| match n {
                NodeRef::Client(c) => Target::Client(*c),
                NodeRef::Branch(b) => Target::Branch(*b),
            })
            .chain(p.endings().map(|(e, _)| Target::Ending(e)));
        for place in places {
            let (reached, span, what) = match place {
                Target::Client(c) => {
                    let id = &p.client(c).id;
                    (
                        self.coverage.client(c).is_some(),
                        id.span,
                        format!("`{}`", id.value),
                    )
                }
                Target::Branch(b) => {
                    let id = &branch_node(p, b).id;
                    let what = format!("the branch `{}`", id.value);
                    (self.coverage.branch(b).is_some(), id.span, what)
                }
                Target::Ending(e) => {
                    let id = &p.ending(e).id;
                    let what = format!("the ending `{}`", id.value);
                    (self.coverage.ending(e).is_some(), id.span, what)
                }
            };
            if !reached {
                self.unreached_place(purpose, place, &reversed, span, &what, out);
            }
        }
    }

    fn unreached_place(
        &self,
        purpose: Purpose,
        target: Target,
        reversed: &Graph,
        span: Span,
        what: &str,
        out: &mut Vec<Finding>,
    ) {
        let p = self.playable;
        let mut ways_in = Vec::new();
        let mut unreached_sources = BTreeSet::new();
        for edge in reversed.edges(p.vertex(target)) {
            let Some(source) = p.target_at(edge.to) else {
                continue;
            };
            match (source, edge.via) {
                (Target::Client(c), Via::Choice(i)) => {
                    let Some(from) = self.coverage.client(c) else {
                        unreached_sources.insert(format!("`{}`", p.client(c).id.value));
                        continue;
                    };
                    let choice = p
                        .choices(c)
                        .nth(i as usize)
                        .map(|(ix, _, _)| ix)
                        .filter(|&ix| self.coverage.offered(c, ix).is_none());
                    if let Some(choice) = choice {
                        let id = &p.choice_links(c, choice).id;
                        ways_in.push(WayIn {
                            reason: format!(
                                "the reply `{id}` at `{}` is never offered",
                                p.client(c).id.value
                            ),
                            from,
                        });
                    }
                }
                (Target::Branch(b), via) => {
                    let node = branch_node(p, b);
                    let Some(from) = self.coverage.branch(b) else {
                        unreached_sources.insert(format!("`{}`", node.id.value));
                        continue;
                    };
                    let reason = match via {
                        Via::Rule(i) => {
                            let i = i as usize;
                            let never = if self.coverage.rule_tried(b, i).is_none() {
                                "is never tried (a rule above it always holds)"
                            } else {
                                "never holds"
                            };
                            format!(
                                "the rule \"{}\" at `{}` {never}",
                                node.rules[i].when.value, node.id.value
                            )
                        }
                        Via::Otherwise | Via::Choice(_) => format!(
                            "at `{}` a rule always holds, so its `otherwise` is never taken",
                            node.id.value
                        ),
                    };
                    ways_in.push(WayIn { reason, from });
                }
                (Target::Client(_), Via::Rule(_) | Via::Otherwise) | (Target::Ending(_), _) => {}
            }
        }
        if ways_in.is_empty() && purpose == Purpose::Check {
            // Only reached through places that are never reached either: reported there.
            return;
        }
        let exhaustive = self.is_exhaustive();
        let message = if exhaustive {
            format!("no trainee ever reaches {what}")
        } else {
            format!("{} never reach {what}", self.walks_phrase())
        };
        let mut diagnostic = Diagnostic::warning(Code::NeverReached, message, span);
        diagnostic.severity = self.proven(purpose);
        let diagnostic = diagnostic.label("never reached");
        let mut help = if ways_in.is_empty() {
            let sources: Vec<String> = unreached_sources.into_iter().collect();
            format!(
                "Only {} lead{} here, and {} never reached either: fix that first.",
                and_list(&sources),
                if sources.len() == 1 { "s" } else { "" },
                if sources.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
            )
        } else {
            let reasons: Vec<String> = ways_in.iter().map(|w| w.reason.clone()).collect();
            if let [reason] = reasons.as_slice() {
                format!("The way in never happens: {reason}. Make it possible, or remove {what}.")
            } else {
                format!(
                    "The ways in never happen: {}. Make one of them possible, or remove {what}.",
                    reasons.join("; ")
                )
            }
        };
        if !exhaustive {
            help = format!("{help} {}", self.sample_help());
        }
        out.push(Finding {
            diagnostic: diagnostic.help(help),
            reproducer: ways_in.first().map(|w| self.reproducer(w.from)),
        });
    }

    fn never_offered(&self, purpose: Purpose, out: &mut Vec<Finding>) {
        let p = self.playable;
        let values = self
            .space
            .as_ref()
            .map(|space| space.client_values(p.flags().len()));
        for node in p.clients() {
            let Some(reached) = self.coverage.client(node) else {
                continue;
            };
            let node_id = &p.client(node).id.value;
            for (choice, _, links) in p.choices(node) {
                if self.coverage.offered(node, choice).is_some() {
                    continue;
                }
                let id = &links.id;
                let (message, label, help) = match (&values, &links.condition) {
                    (Some(values), Some(condition)) => {
                        let described = values[node.index()]
                            .as_ref()
                            .map(|v| describe(p, v, &Reads::of(condition)))
                            .unwrap_or_default();
                        (
                            format!(
                                "the reply `{id}` is never offered: its condition never holds at `{node_id}`"
                            ),
                            format!("never true when a trainee reaches `{node_id}`"),
                            format!(
                                "When a trainee reaches `{node_id}`, {described}. Change the condition, or what earlier replies change, so that it can hold here; or remove the reply."
                            ),
                        )
                    }
                    _ => (
                        format!(
                            "the reply `{id}` is never offered in {}",
                            self.walks_phrase()
                        ),
                        format!("never true in a playthrough that reached `{node_id}`"),
                        self.sample_help(),
                    ),
                };
                let mut diagnostic =
                    Diagnostic::warning(Code::NeverOffered, message, choice_span(p, node, choice))
                        .label(label)
                        .help(help);
                diagnostic.severity = self.proven(purpose);
                out.push(Finding {
                    diagnostic,
                    reproducer: Some(self.reproducer(reached)),
                });
            }
        }
    }

    /// Branch rules that never hold where they stand, or are never tried.
    fn never_true(&self, out: &mut Vec<Finding>) {
        let p = self.playable;
        for b in coverage::branches(p) {
            let Some(reached) = self.coverage.branch(b) else {
                continue;
            };
            let node = branch_node(p, b);
            let links = p.branch(b);
            let branch_id = &node.id.value;
            for (i, rule) in node.rules.iter().enumerate() {
                if self.coverage.rule_held(b, i).is_some() {
                    continue;
                }
                let diagnostic = if self.coverage.rule_tried(b, i).is_none() {
                    let earlier: Vec<String> = node.rules[..i]
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| self.coverage.rule_held(b, *j).is_some())
                        .map(|(_, r)| format!("\"{}\"", r.when.value))
                        .collect();
                    Diagnostic::warning(
                        Code::NeverTrue,
                        format!("this rule of `{branch_id}` is never tried: a rule above it always holds first"),
                        rule.when.span,
                    )
                    .label("never tried")
                    .help(format!(
                        "Rules are tried in order and the first that holds is taken; here {} always holds first{}. Move this rule above, or remove it.",
                        and_list(&earlier),
                        if self.is_exhaustive() { String::new() } else { format!(" in {}", self.walks_phrase()) },
                    ))
                } else if let Some(values) = self
                    .space
                    .as_ref()
                    .and_then(|s| s.branch_values[b.index()].as_ref())
                {
                    let described = describe(p, values, &Reads::of(&links.rules[i].condition));
                    Diagnostic::warning(
                        Code::NeverTrue,
                        format!("this rule of `{branch_id}` never holds"),
                        rule.when.span,
                    )
                    .label(format!("never true when a session reaches `{branch_id}`"))
                    .help(format!(
                        "When a session reaches `{branch_id}`, {described}. Change the rule so that it can hold, or remove it."
                    ))
                } else {
                    Diagnostic::warning(
                        Code::NeverTrue,
                        format!(
                            "this rule of `{branch_id}` never holds in {}",
                            self.walks_phrase()
                        ),
                        rule.when.span,
                    )
                    .label(format!(
                        "never true in a playthrough that reached `{branch_id}`"
                    ))
                    .help(self.sample_help())
                };
                out.push(Finding {
                    diagnostic,
                    reproducer: Some(self.reproducer(reached)),
                });
            }
        }
    }

    fn traps(&self, out: &mut Vec<Finding>) {
        let p = self.playable;
        let Some(space) = &self.space else {
            return;
        };
        let mut flags = vec![false; p.flags().len()];
        // The node a trainee is stuck at in a state, and that state in words.
        let mut stuck_at = |state| {
            space.load_flags(state, &mut flags);
            let here = situation(p, space.variables(state), &flags);
            (p.client(space.node(state)), here)
        };
        for &trap in &self.traps {
            let finding = match trap {
                Trap::NoReply { state } => {
                    let (node, here) = stuck_at(state);
                    Finding {
                        diagnostic: Diagnostic::error(
                            Code::NoWayOut,
                            format!("a trainee can get stuck at `{}`: no reply is on offer", node.id.value),
                            node.id.span,
                        )
                        .label(format!("with {here}, no reply's condition holds"))
                        .help(format!(
                            "Give `{}` a reply without a condition, or make sure one of the conditions holds in this situation.",
                            node.id.value
                        )),
                        reproducer: Some(self.reproducer(Trail::State(state))),
                    }
                }
                Trap::Loop { state } => {
                    let (node, here) = stuck_at(state);
                    Finding {
                        diagnostic: Diagnostic::error(
                            Code::NoWayOut,
                            format!("a trainee can go round forever from `{}`: no ending can be reached", node.id.value),
                            node.id.span,
                        )
                        .label(format!("with {here}, every path from here comes back round"))
                        .help("Give the loop a way out in this situation: a reply, or a branch rule, that leads on to an ending."),
                        reproducer: Some(self.reproducer(Trail::State(state))),
                    }
                }
                Trap::BranchLoop { from, branch } => {
                    let node = branch_node(p, branch);
                    Finding {
                        diagnostic: Diagnostic::error(
                            Code::NoWayOut,
                            format!("the branch `{}` leads round other branches forever", node.id.value),
                            node.id.span,
                        )
                        .label("its rules lead back here through other branches, with no client node between")
                        .help("Make one of the branches on this circle lead to a client node or an ending in this situation (its `otherwise`, say)."),
                        reproducer: Some(self.reproducer(from)),
                    }
                }
            };
            out.push(finding);
        }
    }

    /// Walks that stopped before an ending: stuck, or at the move limit.
    fn stops(&self, out: &mut Vec<Finding>) {
        let p = self.playable;
        let limit = thousands(u64::from(self.options.step_limit));
        // Where the search found no way out, a greedy player stuck there says nothing new.
        let trapped: Vec<ClientIx> = match &self.space {
            Some(space) => self
                .traps
                .iter()
                .filter_map(|trap| match *trap {
                    Trap::NoReply { state } | Trap::Loop { state } => Some(space.node(state)),
                    Trap::BranchLoop { .. } => None,
                })
                .collect(),
            None => Vec::new(),
        };
        for stop in &self.stops {
            let Some(node) = stop.node else {
                continue;
            };
            if trapped.contains(&node) {
                continue;
            }
            let client = p.client(node);
            let who = match stop.walk {
                WalkKind::Random { .. } => "a random playthrough",
                WalkKind::Strongest => "a trainee who always takes the strongest reply on offer",
                WalkKind::Weakest => "a trainee who always takes the weakest reply on offer",
            };
            let finding = match stop.reason {
                StopReason::NoChoiceOffered => Finding {
                    diagnostic: Diagnostic::error(
                        Code::NoWayOut,
                        format!("{who} gets stuck at `{}`: no reply is on offer", client.id.value),
                        client.id.span,
                    )
                    .label("no reply's condition holds here")
                    .help(format!(
                        "Give `{}` a reply without a condition, or make sure one of the conditions holds when a trainee gets here.",
                        client.id.value
                    )),
                    reproducer: Some(self.reproducer(Trail::Walk {
                        walk: stop.walk,
                        decisions: stop.decisions,
                    })),
                },
                StopReason::LoopLimit => Finding {
                    diagnostic: Diagnostic::error(
                        Code::MoveLimit,
                        format!("{who} goes on for {limit} moves without reaching an ending"),
                        client.id.span,
                    )
                    .label("still going round here")
                    .help(format!(
                        "A session stops after {limit} moves. Give the loop through `{}` a way out that this player takes.",
                        client.id.value
                    )),
                    reproducer: Some(self.reproducer(Trail::Walk {
                        walk: stop.walk,
                        decisions: self.first_arrival(*stop, node),
                    })),
                },
            };
            out.push(finding);
        }
    }

    /// How many decisions a stopped walk had made when it first reached `node`: the loop's
    /// start, a far shorter reproducer than the whole walk.
    fn first_arrival(&self, stop: Stop, node: ClientIx) -> u32 {
        struct FirstPrompt {
            node: ClientIx,
            decisions: Option<u32>,
        }
        impl Observer for FirstPrompt {
            fn prompt(&mut self, node: ClientIx, _offered: &[ChoiceIx], decisions: u32) {
                if node == self.node && self.decisions.is_none() {
                    self.decisions = Some(decisions);
                }
            }
        }
        let mut first = FirstPrompt {
            node,
            decisions: None,
        };
        Walker::new(self.playable).walk(stop.walk, self.options.step_limit, &mut first);
        first.decisions.unwrap_or(stop.decisions)
    }

    /// Every variable and flag some condition reads.
    fn reads(&self) -> Reads {
        let p = self.playable;
        let mut reads = Reads::default();
        for node in p.clients() {
            for (_, _, links) in p.choices(node) {
                if let Some(c) = &links.condition {
                    reads.add(c);
                }
            }
        }
        for b in coverage::branches(p) {
            for rule in &p.branch(b).rules {
                reads.add(&rule.condition);
            }
        }
        reads
    }

    /// The replies whose changes touch a variable or flag, in document order.
    fn changers(&self, touches: impl Fn(&Effect) -> bool) -> Vec<(ClientIx, ChoiceIx)> {
        let p = self.playable;
        p.clients()
            .flat_map(|node| {
                p.choices(node)
                    .filter(|(_, _, links)| links.effects.iter().any(&touches))
                    .map(move |(choice, _, _)| (node, choice))
            })
            .collect()
    }

    fn first_chosen(&self, replies: &[(ClientIx, ChoiceIx)]) -> Option<Reproducer> {
        replies.iter().find_map(|&(n, c)| self.choosing(n, c))
    }

    fn unread_flags(&self, out: &mut Vec<Finding>) {
        let p = self.playable;
        let reads = self.reads();
        for declared in &p.scenario().state.flags {
            let Some(index) = p.flag_index(declared) else {
                continue;
            };
            if reads.flags.contains(&(index as u16)) {
                continue;
            }
            let setters = self.changers(
                |e| matches!(*e, Effect::Set { flag, value: true } if flag as usize == index),
            );
            let clearers = self.changers(
                |e| matches!(*e, Effect::Set { flag, value: false } if flag as usize == index),
            );
            let name = &declared.value;
            let diagnostic = if setters.is_empty() && clearers.is_empty() {
                Diagnostic::warning(
                    Code::UnreadFlag,
                    format!("the flag `{name}` is never used"),
                    declared.span,
                )
                .label("declared, but no reply sets it and no condition tests it")
                .help("Remove it, or set it with a reply's `set` and test it in a `when` or a branch rule.")
            } else {
                let (verb, count) = if setters.is_empty() {
                    ("cleared", clearers.len())
                } else {
                    ("set", setters.len())
                };
                Diagnostic::warning(
                    Code::UnreadFlag,
                    format!("the flag `{name}` is {verb} but never read"),
                    declared.span,
                )
                .label(format!(
                    "{verb} by {}; no condition tests it",
                    plural(count, "reply", "replies")
                ))
                .help("A flag only changes what happens when a `when` or a branch rule tests it. Test it where it should make a difference, or remove it and the `set` and `clear` that change it.")
            };
            out.push(Finding {
                diagnostic,
                reproducer: self
                    .first_chosen(&setters)
                    .or_else(|| self.first_chosen(&clearers)),
            });
        }
    }

    fn unread_variables(&self, out: &mut Vec<Finding>) {
        let p = self.playable;
        let reads = self.reads();
        for (index, variable) in p.variables().iter().enumerate() {
            if variable.visible || reads.variables.contains(&(index as u16)) {
                continue;
            }
            let changers = self.changers(
                |e| matches!(*e, Effect::Add { variable, .. } if variable as usize == index),
            );
            let Some(&(first_node, first_choice)) = changers.first() else {
                continue;
            };
            let name = &variable.name.value;
            let declared = p
                .scenario()
                .state
                .variables
                .iter()
                .find(|v| v.name.value == *name)
                .map(|v| v.name.span);
            // A built-in variable that is not declared has no place of its own: point at the
            // first change.
            let span = declared.unwrap_or_else(|| {
                p.choice(first_node, first_choice)
                    .change
                    .iter()
                    .map(|(k, _)| k)
                    .find(|k| k.value == *name)
                    .map_or(p.choice(first_node, first_choice).reply.span, |k| k.span)
            });
            out.push(Finding {
                diagnostic: Diagnostic::warning(
                    Code::UnreadVariable,
                    format!("the variable `{name}` changes, but nothing reads it"),
                    span,
                )
                .label(format!(
                    "changed by {}; no condition tests it and the trainee never sees it",
                    plural(changers.len(), "reply", "replies")
                ))
                .help("A hidden variable only matters when a `when` or a branch rule tests it. Test it where it should make a difference, show it with `visible: true`, or remove the changes."),
                reproducer: self.first_chosen(&changers),
            });
        }
    }
}
