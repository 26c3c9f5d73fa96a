//! The paths a session can really take, conditions honoured: every state a session can be in
//! (the client node with the variables and flags), explored once from the start, and for each
//! ending the path into it with the highest and the lowest sum of a per-reply weight.
//!
//! Conditions decide which replies are offered and where branches go, and authors route
//! endings by them ("trust >= 6 goes to the engaged ending"), so the plain graph of the
//! scenario would show paths no trainee can take. A scenario without any condition has one
//! state per node, and the search is then the graph's own.
//!
//! States are stepped by the engine's rules ([`arrive`], [`apply`]) on bare variables and
//! flags rather than in a `Session`, whose record of every decision made would be copied at
//! every step (minutes on a scenario of thousands of nodes). The tests hold the two in step:
//! every path found here plays to the same ending in a real session.
//!
//! A path that comes back to a state it has been in is not followed round again: a loop could
//! otherwise be walked for ever. Every path reported is one a trainee can play.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use attune_core::Playable;
use attune_core::model::Choice;
use attune_core::playable::{ChoiceIx, ChoiceLinks, ClientIx, Effect, EndingIx, NodeRef, Target};

/// One reply on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Step {
    pub node: ClientIx,
    pub choice: ChoiceIx,
}

/// A path from the start to an ending and its weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Path {
    pub weight: i64,
    pub steps: Vec<Step>,
}

/// For one ending, the highest- and lowest-weighted paths into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Extremes {
    pub highest: Path,
    pub lowest: Path,
}

/// More states than the limit allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooManyStates(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Ending(EndingIx),
    State(usize),
    /// The session stopped (no reply on offer, or the step limit): no ending this way.
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    node: ClientIx,
    variables: Vec<i32>,
    flags: Vec<bool>,
}

#[derive(Debug)]
struct State {
    node: ClientIx,
    variables: Vec<i32>,
    flags: Vec<bool>,
    /// The replies on offer, in authored order, and where each leads; empty until the state
    /// is expanded. Edges back to a state still being explored (loops) lead nowhere.
    edges: Vec<(Step, Next)>,
}

/// Every state reachable from the start, children before parents.
#[derive(Debug)]
pub(super) struct StateGraph {
    root: Next,
    states: Vec<State>,
    /// Post-order: each state after every state its edges lead to.
    order: Vec<usize>,
    endings: usize,
    /// Whether states differ by their variables and flags (they do only when a condition
    /// reads them).
    keyed_by_state: bool,
    index: HashMap<Key, usize>,
}

impl StateGraph {
    pub fn explore(playable: &Playable, limit: usize) -> Result<StateGraph, TooManyStates> {
        let mut graph = StateGraph {
            root: Next::Stopped,
            states: Vec::new(),
            order: Vec::new(),
            endings: playable.endings().len(),
            keyed_by_state: has_conditions(playable),
            index: HashMap::new(),
        };
        let variables: Vec<i32> = playable.variables().iter().map(|v| v.start.value).collect();
        let flags = vec![false; playable.flags().len()];
        let arrival = arrive(playable, playable.start(), &variables, &flags);
        graph.root = graph.classify(arrival, variables, flags);

        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnStack,
            Done,
        }
        let mut marks: Vec<Mark> = Vec::new();
        let Next::State(root) = graph.root else {
            return Ok(graph);
        };
        // (state, the next edge to look at), as in `Graph::loop_edges`, so no recursion.
        let mut stack = vec![(root, 0usize)];
        graph.expand(playable, root);
        marks.resize(graph.states.len(), Mark::New);
        marks[root] = Mark::OnStack;
        while let Some(top) = stack.last_mut() {
            let (state, next) = *top;
            if graph.states.len() > limit {
                return Err(TooManyStates(limit));
            }
            match graph.states[state].edges.get(next).copied() {
                Some((_, Next::State(child))) => {
                    top.1 += 1;
                    marks.resize(graph.states.len(), Mark::New);
                    match marks[child] {
                        Mark::New => {
                            marks[child] = Mark::OnStack;
                            graph.expand(playable, child);
                            stack.push((child, 0));
                        }
                        // A loop back to a state on the current path: not followed.
                        Mark::OnStack => graph.states[state].edges[next].1 = Next::Stopped,
                        Mark::Done => {}
                    }
                }
                Some(_) => top.1 += 1,
                None => {
                    marks[state] = Mark::Done;
                    graph.order.push(state);
                    stack.pop();
                }
            }
        }
        Ok(graph)
    }

    /// Where a move ended: an ending, a stop, or a state (found again, or new).
    fn classify(&mut self, arrival: Arrival, variables: Vec<i32>, flags: Vec<bool>) -> Next {
        let node = match arrival {
            Arrival::Ending(ending) => return Next::Ending(ending),
            Arrival::Stopped => return Next::Stopped,
            Arrival::Client(node) => node,
        };
        let key = if self.keyed_by_state {
            Key {
                node,
                variables: variables.clone(),
                flags: flags.clone(),
            }
        } else {
            Key {
                node,
                variables: Vec::new(),
                flags: Vec::new(),
            }
        };
        match self.index.entry(key) {
            Entry::Occupied(seen) => Next::State(*seen.get()),
            Entry::Vacant(slot) => {
                let id = self.states.len();
                slot.insert(id);
                self.states.push(State {
                    node,
                    variables,
                    flags,
                    edges: Vec::new(),
                });
                Next::State(id)
            }
        }
    }

    /// Tries every reply on offer in a state.
    fn expand(&mut self, playable: &Playable, state: usize) {
        let node = self.states[state].node;
        let (variables, flags) = (
            self.states[state].variables.clone(),
            self.states[state].flags.clone(),
        );
        let mut edges = Vec::new();
        for (choice, _, links) in playable.choices(node) {
            if !is_offered(links, &variables, &flags) {
                continue;
            }
            let (mut after, mut set) = (variables.clone(), flags.clone());
            apply(playable, links, &mut after, &mut set);
            let arrival = arrive(playable, links.next, &after, &set);
            edges.push((Step { node, choice }, self.classify(arrival, after, set)));
        }
        self.states[state].edges = edges;
    }

    /// For each ending (by index), the highest- and lowest-weighted paths into it, or `None`
    /// when no path reaches it.
    pub fn extremes(
        &self,
        playable: &Playable,
        weight: impl Fn(&Choice) -> i64,
    ) -> Vec<Option<Extremes>> {
        // best[state][ending]: the highest and lowest weight from the state to the ending,
        // with the edge that starts each.
        type Best = Option<((i64, usize), (i64, usize))>;
        let mut best: Vec<Vec<Best>> = vec![Vec::new(); self.states.len()];
        for &state in &self.order {
            let mut here: Vec<Best> = vec![None; self.endings];
            for (edge, &(step, next)) in self.states[state].edges.iter().enumerate() {
                let w = weight(playable.choice(step.node, step.choice));
                let mut offer = |ending: usize, high: i64, low: i64| {
                    let slot = &mut here[ending];
                    *slot = Some(match *slot {
                        None => ((high, edge), (low, edge)),
                        Some((h, l)) => (
                            if high > h.0 { (high, edge) } else { h },
                            if low < l.0 { (low, edge) } else { l },
                        ),
                    });
                };
                match next {
                    Next::Ending(ending) => offer(ending.index(), w, w),
                    Next::State(child) => {
                        for (ending, below) in best[child].iter().enumerate() {
                            if let Some(((h, _), (l, _))) = *below {
                                offer(ending, w + h, w + l);
                            }
                        }
                    }
                    Next::Stopped => {}
                }
            }
            best[state] = here;
        }
        let follow = |ending: usize, highest: bool| -> Path {
            let mut steps = Vec::new();
            let mut next = self.root;
            while let Next::State(state) = next {
                let Some((h, l)) = best[state][ending] else {
                    break;
                };
                let edge = if highest { h.1 } else { l.1 };
                let (step, to) = self.states[state].edges[edge];
                steps.push(step);
                next = to;
            }
            let weight = steps
                .iter()
                .map(|s| weight(playable.choice(s.node, s.choice)))
                .sum();
            Path { weight, steps }
        };
        (0..self.endings)
            .map(|ending| match self.root {
                // A start that leads straight to an ending (through branches): an empty path.
                Next::Ending(e) if e.index() == ending => Some(Extremes {
                    highest: Path {
                        weight: 0,
                        steps: Vec::new(),
                    },
                    lowest: Path {
                        weight: 0,
                        steps: Vec::new(),
                    },
                }),
                Next::State(root) => best[root][ending].map(|_| Extremes {
                    highest: follow(ending, true),
                    lowest: follow(ending, false),
                }),
                _ => None,
            })
            .collect()
    }

    #[cfg(test)]
    pub fn state_count(&self) -> usize {
        self.states.len()
    }
}

/// Where a move leads, by the engine's rules (`Session::arrive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arrival {
    Ending(EndingIx),
    /// A client node with at least one reply on offer.
    Client(ClientIx),
    /// No reply on offer, or branches that lead round for ever.
    Stopped,
}

/// Follows branches from `target`: the first rule whose condition holds, else `otherwise`.
fn arrive(playable: &Playable, mut target: Target, variables: &[i32], flags: &[bool]) -> Arrival {
    // More hops than there are branches can only be a loop of branches, which the engine
    // stops at its step limit.
    let branches = playable.nodes().len() - playable.clients().len();
    for _ in 0..=branches {
        match target {
            Target::Ending(ending) => return Arrival::Ending(ending),
            Target::Client(node) => {
                let offered = playable
                    .choices(node)
                    .any(|(_, _, links)| is_offered(links, variables, flags));
                return if offered {
                    Arrival::Client(node)
                } else {
                    Arrival::Stopped
                };
            }
            Target::Branch(branch) => {
                let links = playable.branch(branch);
                target = links
                    .rules
                    .iter()
                    .find(|rule| rule.condition.holds(variables, flags))
                    .map_or(links.otherwise, |rule| rule.next);
            }
        }
    }
    Arrival::Stopped
}

fn is_offered(links: &ChoiceLinks, variables: &[i32], flags: &[bool]) -> bool {
    links
        .condition
        .as_ref()
        .is_none_or(|condition| condition.holds(variables, flags))
}

/// A reply's changes: added and clamped to each variable's range; flags set or cleared.
fn apply(playable: &Playable, links: &ChoiceLinks, variables: &mut [i32], flags: &mut [bool]) {
    for effect in &links.effects {
        match *effect {
            Effect::Add { variable, delta } => {
                let v = variable as usize;
                let range = &playable.variables()[v];
                variables[v] = variables[v]
                    .saturating_add(delta)
                    .clamp(range.min.value, range.max.value);
            }
            Effect::Set { flag, value } => flags[flag as usize] = value,
        }
    }
}

/// Whether anything in the scenario depends on its variables and flags.
fn has_conditions(playable: &Playable) -> bool {
    let choices = playable.clients().any(|node| {
        playable
            .choices(node)
            .any(|(_, _, links)| links.condition.is_some())
    });
    let branches = playable.nodes().iter().any(|node| match node {
        NodeRef::Branch(b) => !playable.branch(*b).rules.is_empty(),
        NodeRef::Client(_) => false,
    });
    choices || branches
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use attune_core::engine::{Mode, Session, Status};

    use super::*;

    const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");

    fn load(text: &str) -> Arc<Playable> {
        let loaded = attune_core::load_str("t.scenario.ron", text.to_owned(), None);
        loaded
            .playable
            .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
    }

    /// Two decisions; the second is only reachable with trust 4, which needs the good reply
    /// first. The branch sends trust >= 4 to the engaged ending.
    const ROUTED: &str = r#"(
        format: 1, id: "routed", title: "T", summary: "S", author: "t",
        difficulty: Introductory, minutes: 1, objectives: ["O"],
        client: (name: "A", age: 30, pronouns: "they/them", briefing: "B", presenting_concern: "C"),
        start: "a",
        nodes: [
            Client(id: "a", says: ["A."], choices: [
                (id: "a.good", reply: "Good", next: "b", scores: (validating: 2), change: {"trust": 1}, feedback: "f"),
                (id: "a.poor", reply: "Poor", next: "b", scores: (validating: -2), change: {"trust": -1}, feedback: "f"),
            ]),
            Client(id: "b", says: ["B."], choices: [
                (id: "b.good", reply: "Good", next: "route", scores: (validating: 1), feedback: "f"),
                (id: "b.poor", reply: "Poor", next: "route", scores: (validating: -1), feedback: "f"),
            ]),
            Branch(id: "route", rules: [(when: "trust >= 4", next: "engaged")], otherwise: "left"),
        ],
        endings: [
            (id: "engaged", title: "E", outcome: Engaged, text: "T", debrief: "D"),
            (id: "left", title: "L", outcome: Disengaged, text: "T", debrief: "D"),
        ],
    )"#;

    fn ids(playable: &Playable, path: &Path) -> Vec<String> {
        path.steps
            .iter()
            .map(|s| super::super::choice_id(playable, s.node, s.choice).to_owned())
            .collect()
    }

    #[test]
    fn conditions_decide_which_paths_reach_an_ending() {
        let p = load(ROUTED);
        let graph = StateGraph::explore(&p, 1_000).unwrap();
        // a, then b at trust 4 and at trust 2.
        assert_eq!(graph.state_count(), 3);
        let ends = graph.extremes(&p, |c| c.total() as i64);
        let engaged = ends[0].as_ref().unwrap();
        // Ignoring the branch's condition, a.poor then b.good would reach it at -1.
        assert_eq!(engaged.lowest.weight, 1);
        assert_eq!(ids(&p, &engaged.lowest), ["a.good", "b.poor"]);
        assert_eq!(engaged.highest.weight, 3);
        let left = ends[1].as_ref().unwrap();
        assert_eq!((left.lowest.weight, left.highest.weight), (-3, -1));
        assert_eq!(ids(&p, &left.highest), ["a.poor", "b.good"]);
    }

    #[test]
    fn the_limit_stops_the_search() {
        let p = load(ROUTED);
        assert_eq!(StateGraph::explore(&p, 1).unwrap_err(), TooManyStates(1));
    }

    /// The stepping here and a real session agree: every path found, for two different
    /// weights, plays to the ending it was found for, in every shipped scenario (which use
    /// conditions, branches, flags and clamped variables).
    #[test]
    fn every_reported_path_plays_to_its_ending_in_a_real_session() {
        let mut scenarios: Vec<_> = std::fs::read_dir(SHIPPED)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        scenarios.sort();
        assert!(scenarios.len() >= 3);
        for file in scenarios {
            let p = attune_core::load_file(&file, None)
                .unwrap()
                .playable
                .unwrap();
            let graph = StateGraph::explore(&p, 200_000).unwrap();
            let totals = graph.extremes(&p, |c| i64::from(c.total()));
            let poor = graph.extremes(&p, |c| i64::from(c.total() < 0));
            assert!(totals.iter().any(Option::is_some));
            for (ending, extremes) in totals.iter().chain(&poor).enumerate() {
                let ending = ending % p.endings().len();
                let Some(extremes) = extremes else { continue };
                for path in [&extremes.highest, &extremes.lowest] {
                    let mut session = Session::start(Arc::clone(&p), Mode::Assessment, 5);
                    for id in ids(&p, path) {
                        session.choose_id(&id, 0).unwrap();
                    }
                    assert_eq!(
                        session.status(),
                        Status::Ended(p.endings().nth(ending).unwrap().0),
                        "{}: {:?}",
                        file.display(),
                        ids(&p, path)
                    );
                }
                assert!(extremes.lowest.weight <= extremes.highest.weight);
            }
            for (ending, extremes) in totals.iter().enumerate() {
                let Some(extremes) = extremes else { continue };
                let scored: i64 = extremes
                    .highest
                    .steps
                    .iter()
                    .map(|s| i64::from(p.choice(s.node, s.choice).total()))
                    .sum();
                assert_eq!(scored, extremes.highest.weight, "ending {ending}");
            }
        }
    }
}
