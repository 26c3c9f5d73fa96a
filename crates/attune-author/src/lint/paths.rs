//! The paths a session can really take, conditions honoured: every state a session can be in
//! (the client node with the variables and flags), explored once from the start, and for each
//! ending the path into it with the highest and the lowest sum of a per-reply weight.
//!
//! Conditions decide which replies are offered and where branches go, and authors route
//! endings by them ("trust >= 6 goes to the engaged ending"), so the plain graph of the
//! scenario would show paths no trainee can take. Sessions themselves step the states, so the
//! engine's rules (clamping, branch order, flags) are followed exactly. A scenario without any
//! condition has one state per node, and the search is then the graph's own.
//!
//! A path that comes back to a state it has been in is not followed round again: a loop could
//! otherwise be walked for ever. Every path reported is one a trainee can play.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use attune_core::Playable;
use attune_core::engine::{Mode, Session, Status};
use attune_core::model::Choice;
use attune_core::playable::{ChoiceIx, ClientIx, EndingIx, NodeRef};

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
    /// Until the state is expanded.
    session: Option<Session>,
    /// The replies on offer, in authored order, and where each leads. Edges back to a state
    /// still being explored (loops) are left out.
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
}

impl StateGraph {
    pub fn explore(playable: &Arc<Playable>, limit: usize) -> Result<StateGraph, TooManyStates> {
        let keyed_by_state = has_conditions(playable);
        let mut graph = StateGraph {
            root: Next::Stopped,
            states: Vec::new(),
            order: Vec::new(),
            endings: playable.endings().len(),
        };
        let mut index: HashMap<Key, usize> = HashMap::new();
        let start = Session::start(Arc::clone(playable), Mode::Assessment, 0);
        graph.root = graph.classify(start, keyed_by_state, &mut index);

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
        graph.expand(root, keyed_by_state, &mut index);
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
                            graph.expand(child, keyed_by_state, &mut index);
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

    /// Where a session that has just moved stands: an ending, a stop, or a state (new ones
    /// keep the session until they are expanded).
    fn classify(
        &mut self,
        session: Session,
        keyed_by_state: bool,
        index: &mut HashMap<Key, usize>,
    ) -> Next {
        match session.status() {
            Status::Ended(ending) => Next::Ending(ending),
            Status::Stopped(_) => Next::Stopped,
            Status::AwaitingChoice => {
                let Some(prompt) = session.prompt() else {
                    return Next::Stopped;
                };
                let key = if keyed_by_state {
                    Key {
                        node: prompt.node,
                        variables: session.variables().to_vec(),
                        flags: session.flags().to_vec(),
                    }
                } else {
                    Key {
                        node: prompt.node,
                        variables: Vec::new(),
                        flags: Vec::new(),
                    }
                };
                match index.entry(key) {
                    Entry::Occupied(seen) => Next::State(*seen.get()),
                    Entry::Vacant(slot) => {
                        let id = self.states.len();
                        slot.insert(id);
                        self.states.push(State {
                            session: Some(session),
                            edges: Vec::new(),
                        });
                        Next::State(id)
                    }
                }
            }
        }
    }

    /// Tries every reply on offer in the state's session.
    fn expand(&mut self, state: usize, keyed_by_state: bool, index: &mut HashMap<Key, usize>) {
        let Some(session) = self.states[state].session.take() else {
            return;
        };
        let Some(prompt) = session.prompt() else {
            return;
        };
        let mut offered: Vec<(usize, ChoiceIx)> =
            prompt.order.iter().copied().enumerate().collect();
        // Authored order, so that ties between paths resolve the same way on every seed.
        offered.sort_by_key(|&(_, choice)| choice);
        let node = prompt.node;
        let mut edges = Vec::with_capacity(offered.len());
        for (position, choice) in offered {
            let mut next = session.clone();
            let next = match next.choose(position + 1, 0) {
                Ok(_) => self.classify(next, keyed_by_state, index),
                Err(_) => Next::Stopped,
            };
            edges.push((Step { node, choice }, next));
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
    use super::*;

    const GRIEF: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/grief-eleven-weeks.scenario.ron"
    );

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

    #[test]
    fn every_reported_path_plays_to_its_ending() {
        let p = attune_core::load_file(GRIEF.as_ref(), None)
            .unwrap()
            .playable
            .unwrap();
        let graph = StateGraph::explore(&p, 200_000).unwrap();
        let ends = graph.extremes(&p, |c| c.total() as i64);
        assert!(ends.iter().any(Option::is_some));
        for (ending, extremes) in ends.iter().enumerate() {
            let Some(extremes) = extremes else { continue };
            for path in [&extremes.highest, &extremes.lowest] {
                let mut session = Session::start(Arc::clone(&p), Mode::Assessment, 5);
                for id in ids(&p, path) {
                    session.choose_id(&id, 0).unwrap();
                }
                assert_eq!(
                    session.status(),
                    Status::Ended(p.endings().nth(ending).unwrap().0)
                );
                let scored: i64 = path
                    .steps
                    .iter()
                    .map(|s| p.choice(s.node, s.choice).total() as i64)
                    .sum();
                assert_eq!(scored, path.weight);
            }
            assert!(extremes.lowest.weight <= extremes.highest.weight);
        }
    }
}
