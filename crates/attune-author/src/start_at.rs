//! Starting a session part-way, to try one node without replaying up to it
//! (`attune play FILE --from NODE --state trust=4,felt_judged`): the node and the state an author
//! names, checked against the scenario, with messages written for the author.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use attune_core::Playable;
use attune_core::engine::{Mode, Session};
use attune_core::graph::{Graph, Vertex};
use attune_core::model::Node;
use attune_core::suggest;

/// Why a starting point cannot be used: what is wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

impl Problem {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The variables and flags a session starts with, as [`attune_core::engine::Session::start_at`]
/// takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartState {
    pub variables: Vec<(String, i32)>,
    pub flags: Vec<String>,
}

impl StartState {
    pub fn variable_refs(&self) -> Vec<(&str, i32)> {
        self.variables
            .iter()
            .map(|(n, v)| (n.as_str(), *v))
            .collect()
    }

    pub fn flag_refs(&self) -> Vec<&str> {
        self.flags.iter().map(String::as_str).collect()
    }
}

/// At most this many ids are listed in a message; a long scenario would bury the point.
const LISTED: usize = 12;

fn list(ids: &[String]) -> String {
    let shown: Vec<String> = ids
        .iter()
        .take(LISTED)
        .map(|id| format!("`{id}`"))
        .collect();
    if ids.len() > LISTED {
        format!("{} and {} more", shown.join(", "), ids.len() - LISTED)
    } else {
        shown.join(", ")
    }
}

/// The id of graph vertex `v`: a node's, or an ending's.
fn vertex_id(playable: &Playable, v: Vertex) -> &str {
    let scenario = playable.scenario();
    match scenario.nodes.get(v as usize) {
        Some(node) => node.id().as_str(),
        None => scenario.endings[v as usize - scenario.nodes.len()]
            .id
            .as_str(),
    }
}

fn is_client(playable: &Playable, v: Vertex) -> bool {
    matches!(
        playable.scenario().nodes.get(v as usize),
        Some(Node::Client(_))
    )
}

/// The client nodes met first when following `graph` from `from`, passing through branches
/// (not through client nodes or endings), in the order met.
fn nearest_clients(playable: &Playable, graph: &Graph, from: Vertex) -> Vec<String> {
    let mut seen = BTreeSet::from([from]);
    let mut queue = VecDeque::from([from]);
    let mut found = Vec::new();
    while let Some(v) = queue.pop_front() {
        for edge in graph.edges(v) {
            if !seen.insert(edge.to) {
                continue;
            }
            if is_client(playable, edge.to) {
                found.push(vertex_id(playable, edge.to).to_owned());
            } else if (edge.to as usize) < playable.scenario().nodes.len() {
                queue.push_back(edge.to);
            }
        }
    }
    found
}

/// Checks that `id` names a client node a session can start at.
pub fn check_node(playable: &Playable, id: &str) -> Result<(), Problem> {
    if playable.find_client(id).is_some() {
        return Ok(());
    }
    let scenario = playable.scenario();
    let clients: Vec<String> = playable
        .clients()
        .map(|c| playable.client(c).id.value.to_string())
        .collect();
    let graph = playable.graph();
    if let Some(position) = scenario.nodes.iter().position(|n| n.id().as_str() == id) {
        let after = nearest_clients(playable, graph, position as Vertex);
        let help = if after.is_empty() {
            let before = nearest_clients(playable, &graph.reversed(), position as Vertex);
            format!(
                "it leads only to endings; start at a client node that leads to it: {}",
                list(&before)
            )
        } else {
            format!("start at a client node it leads to: {}", list(&after))
        };
        return Err(Problem::new(
            format!("`{id}` is a branch: no one speaks there, so a session cannot start at it"),
            help,
        ));
    }
    if let Some(position) = scenario.endings.iter().position(|e| e.id.as_str() == id) {
        let vertex = graph.ending_vertex(position);
        let before = nearest_clients(playable, &graph.reversed(), vertex);
        return Err(Problem::new(
            format!("`{id}` is an ending: a session started there would be over before it began"),
            format!("start at a client node that leads to it: {}", list(&before)),
        ));
    }
    let help = match suggest::nearest(id, clients.iter().map(String::as_str)) {
        Some(near) => format!(
            "did you mean `{near}`? The client nodes are {}",
            list(&clients)
        ),
        None => format!("the client nodes are {}", list(&clients)),
    };
    Err(Problem::new(
        format!("there is no node `{id}` in this scenario"),
        help,
    ))
}

/// Starts a session at `node` with `state`, after checking both against the scenario: what
/// `attune play --from NODE --state ...` runs, and the app's "jump here" in author mode.
pub fn start(
    playable: Arc<Playable>,
    mode: Mode,
    seed: u64,
    node: &str,
    state: &StartState,
) -> Result<Session, Problem> {
    check_node(&playable, node)?;
    Session::start_at(
        playable,
        mode,
        seed,
        node,
        &state.variable_refs(),
        &state.flag_refs(),
    )
    .map_err(|err| {
        Problem::new(
            err.to_string(),
            "name a variable or flag the scenario declares",
        )
    })
}

/// Reads `--state` items: `name=number` sets a variable, a flag's name alone sets the flag
/// (every flag starts unset). Names are checked against the scenario; a value outside its
/// variable's range is refused rather than silently clamped, so what is tried is what was typed.
pub fn parse_state(playable: &Playable, items: &[String]) -> Result<StartState, Problem> {
    let variables = playable.variables();
    let flags = playable.flags();
    let range = |i: usize| {
        let v = &variables[i];
        format!("from {} to {}", v.min.value, v.max.value)
    };
    let names = || {
        variables
            .iter()
            .map(|v| v.name.as_str())
            .chain(flags.iter().map(String::as_str))
    };
    let known = || {
        let vars: Vec<String> = variables
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{} ({})", v.name.value, range(i)))
            .collect();
        let flags = if flags.is_empty() {
            "it has no flags".to_owned()
        } else {
            format!("its flags are {}", flags.join(", "))
        };
        format!("its variables are {}; {flags}", vars.join(", "))
    };
    let unknown = |name: &str, what: &str| {
        let help = match suggest::nearest(name, names()) {
            Some(near) => format!("did you mean `{near}`? {}", capitalise(&known())),
            None => capitalise(&known()),
        };
        Problem::new(format!("this scenario has no {what} `{name}`"), help)
    };

    let mut state = StartState::default();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        if let Some((name, value)) = item.split_once('=') {
            let (name, value) = (name.trim(), value.trim());
            if flags.iter().any(|f| f == name) {
                return Err(Problem::new(
                    format!("`{name}` is a flag, not a number"),
                    format!("write `{name}` on its own to set it; flags you leave out stay unset"),
                ));
            }
            let Some(i) = playable.variable_index(name) else {
                return Err(unknown(name, "variable"));
            };
            let Ok(number) = value.parse::<i32>() else {
                return Err(Problem::new(
                    format!("`{item}`: the value of `{name}` must be a whole number"),
                    format!(
                        "give a number {}, e.g. `{name}={}`",
                        range(i),
                        variables[i].start.value
                    ),
                ));
            };
            let v = &variables[i];
            if !(v.min.value..=v.max.value).contains(&number) {
                return Err(Problem::new(
                    format!("`{item}` is outside the range of `{name}`, {}", range(i)),
                    format!("give a value {}", range(i)),
                ));
            }
            if let Some((_, earlier)) = state.variables.iter().find(|(n, _)| n == name) {
                return Err(Problem::new(
                    format!("`{name}` is given twice, as {earlier} and as {number}"),
                    "give each variable once",
                ));
            }
            state.variables.push((name.to_owned(), number));
        } else {
            let name = item;
            if let Some(flag) = name
                .strip_prefix("not ")
                .or_else(|| name.strip_prefix('!'))
                .map(str::trim)
            {
                return Err(Problem::new(
                    format!(
                        "`{name}`: flags start unset, so there is nothing to write for one you want unset"
                    ),
                    format!("leave `{flag}` out"),
                ));
            }
            if let Some(i) = playable.variable_index(name) {
                return Err(Problem::new(
                    format!("`{name}` is a variable: give it a value"),
                    format!(
                        "e.g. `{name}={}` (a number {})",
                        variables[i].start.value,
                        range(i)
                    ),
                ));
            }
            if !flags.iter().any(|f| f == name) {
                return Err(unknown(name, "flag"));
            }
            if !state.flags.iter().any(|f| f == name) {
                state.flags.push(name.to_owned());
            }
        }
    }
    Ok(state)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The annotated example in docs/scenario-format.md: it has a branch and two endings.
    fn example() -> Arc<Playable> {
        let doc = include_str!("../../../docs/scenario-format.md");
        let start = doc.find("```ron\n").unwrap() + "```ron\n".len();
        let end = start + doc[start..].find("```").unwrap();
        attune_core::load_str("example.scenario.ron", doc[start..end].to_owned(), None)
            .playable
            .unwrap()
    }

    fn state(items: &str) -> Result<StartState, Problem> {
        let items: Vec<String> = items.split(',').map(str::to_owned).collect();
        parse_state(&example(), &items)
    }

    #[test]
    fn client_nodes_start_and_others_say_where_to_start_instead() {
        let p = example();
        assert_eq!(check_node(&p, "guilt"), Ok(()));
        let branch = check_node(&p, "after-guilt").unwrap_err();
        assert!(branch.message.contains("is a branch"), "{branch:?}");
        // The branch leads to a client node and to an ending; only the client node is offered.
        assert!(branch.help.contains("`names-patient`"), "{branch:?}");
        assert!(!branch.help.contains("closes-down"), "{branch:?}");
        let ending = check_node(&p, "closes-down").unwrap_err();
        assert!(ending.message.contains("is an ending"), "{ending:?}");
        // Reached from `opening` directly and from `guilt` through the branch.
        assert!(ending.help.contains("`opening`"), "{ending:?}");
        assert!(ending.help.contains("`guilt`"), "{ending:?}");
        let typo = check_node(&p, "gilt").unwrap_err();
        assert!(typo.help.starts_with("did you mean `guilt`?"), "{typo:?}");
    }

    #[test]
    fn variables_and_flags_are_read() {
        let s = state("trust=4, felt_judged ,openness = 0").unwrap();
        assert_eq!(
            s.variables,
            vec![("trust".to_owned(), 4), ("openness".to_owned(), 0)]
        );
        assert_eq!(s.flags, vec!["felt_judged".to_owned()]);
        assert_eq!(state("").unwrap(), StartState::default());
    }

    #[test]
    fn mistakes_are_named_with_what_to_write() {
        let e = state("trsut=4").unwrap_err();
        assert_eq!(e.message, "this scenario has no variable `trsut`");
        assert!(e.help.starts_with("did you mean `trust`?"), "{e:?}");
        assert!(e.help.contains("trust (from 0 to 10)"), "{e:?}");
        let e = state("trust=11").unwrap_err();
        assert!(e.message.contains("from 0 to 10"), "{e:?}");
        let e = state("trust=high").unwrap_err();
        assert!(e.message.contains("whole number"), "{e:?}");
        let e = state("felt_judged=1").unwrap_err();
        assert!(e.message.contains("is a flag"), "{e:?}");
        let e = state("trust").unwrap_err();
        assert!(e.help.starts_with("e.g. `trust=2`"), "{e:?}");
        let e = state("not felt_judged").unwrap_err();
        assert!(e.help.contains("leave `felt_judged` out"), "{e:?}");
        let e = state("felt_judgd").unwrap_err();
        assert!(e.help.starts_with("did you mean `felt_judged`?"), "{e:?}");
        let e = state("trust=4,trust=5").unwrap_err();
        assert!(e.message.contains("given twice"), "{e:?}");
    }
}
