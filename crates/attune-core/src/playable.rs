//! A checked scenario, ready to play: the parsed file plus everything the checks resolved —
//! links as typed indices, the state table, the content hash, the graph and the skill bounds.
//! Only [`crate::check`] makes one, and only for a scenario without errors, so the engine,
//! scoring and views never meet an unresolved link. Immutable once made; share it in an `Arc`.

use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use crate::analysis::{self, Bounds};
use crate::condition::Condition;
use crate::graph::{Graph, Vertex, Via};
use crate::ids::ChoiceId;
use crate::limits;
use crate::model::{Choice, ClientNode, Ending, Node, Scenario, Variable};

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident($int:ty);)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name($int);

        impl $name {
            /// Only for positions in a [`Playable`], whose sizes [`Playable::assemble`] bounds
            /// (see [`crate::limits`]), so the index always fits.
            pub(crate) fn new(index: usize) -> Self {
                $name(<$int>::try_from(index).unwrap_or(<$int>::MAX))
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type! {
    /// A client node of a [`Playable`]; made only by the checks, so it always names one.
    ClientIx(u32);
    /// A branch node of a [`Playable`].
    BranchIx(u32);
    /// An ending of a [`Playable`] (its position in `endings`).
    EndingIx(u32);
    /// A choice of a client node (its position in the node's `choices`).
    ChoiceIx(u16);
}

/// Hex SHA-256 of a scenario's text.
fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a choice, a branch rule or the start leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Client(ClientIx),
    Branch(BranchIx),
    Ending(EndingIx),
}

/// A node of the scenario, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeRef {
    Client(ClientIx),
    Branch(BranchIx),
}

/// A state change, with variables and flags as indices into [`Playable::variables`] /
/// [`Playable::flags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Add { variable: u16, delta: i32 },
    Set { flag: u16, value: bool },
}

/// What the checks resolved for one choice.
#[derive(Debug, Clone)]
pub struct ChoiceLinks {
    /// Authored, or `<node id>.<position>` (1-based).
    pub id: ChoiceId,
    pub next: Target,
    pub condition: Option<Condition>,
    pub effects: Vec<Effect>,
}

/// What the checks resolved for one branch rule.
#[derive(Debug, Clone)]
pub struct RuleLinks {
    pub condition: Condition,
    pub next: Target,
}

/// What the checks resolved for one branch node.
#[derive(Debug, Clone)]
pub struct BranchLinks {
    pub rules: Vec<RuleLinks>,
    pub otherwise: Target,
}

#[derive(Debug)]
struct ClientEntry {
    node: Arc<ClientNode>,
    position: u32,
    choices: Vec<ChoiceLinks>,
}

#[derive(Debug)]
struct BranchEntry {
    position: u32,
    links: BranchLinks,
}

/// A checked scenario. See the module documentation.
#[derive(Debug)]
pub struct Playable {
    scenario: Scenario,
    start: Target,
    ending_notes: Vec<Vec<Condition>>,
    variables: Vec<Variable>,
    flags: Vec<String>,
    clients: Vec<ClientEntry>,
    branches: Vec<BranchEntry>,
    /// Document order.
    nodes: Vec<NodeRef>,
    /// The source text, and its hash once asked for: `attune check` never needs it, and on a
    /// large file it takes a tenth as long as reading the file.
    text: Arc<String>,
    content_hash: OnceLock<String>,
    graph: Graph,
    bounds: Bounds,
}

/// The resolved links of one node, in document order, as the checks hand them over.
#[derive(Debug)]
pub(crate) enum NodeLinks {
    Client(Vec<ChoiceLinks>),
    Branch(BranchLinks),
}

/// Everything the checks resolved, for [`Playable::assemble`].
#[derive(Debug)]
pub(crate) struct Resolved {
    pub start: Target,
    /// Per ending, the conditions of its debrief notes, in order.
    pub ending_notes: Vec<Vec<Condition>>,
    pub variables: Vec<Variable>,
    pub flags: Vec<String>,
    pub nodes: Vec<NodeLinks>,
    /// The text the scenario was read from.
    pub text: Arc<String>,
    pub graph: Graph,
}

impl Playable {
    /// Puts the parsed scenario and its resolved links together. `None` if they do not match
    /// node for node, or a count is over [`crate::limits`] (the checks never hand over such a
    /// pair: they report both as errors).
    pub(crate) fn assemble(scenario: Scenario, resolved: Resolved) -> Option<Playable> {
        if resolved.nodes.len() != scenario.nodes.len()
            || u32::try_from(scenario.nodes.len() + scenario.endings.len()).is_err()
            || resolved.variables.len() + resolved.flags.len() > limits::STATE_NAMES
        {
            return None;
        }
        let mut clients = Vec::new();
        let mut branches = Vec::new();
        let mut nodes = Vec::with_capacity(scenario.nodes.len());
        for (position, (node, links)) in scenario.nodes.iter().zip(resolved.nodes).enumerate() {
            // Fits: the node count was checked above.
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            match (node, links) {
                (Node::Client(node), NodeLinks::Client(choices))
                    if choices.len() == node.choices.len()
                        && choices.len() <= limits::CHOICES_PER_NODE
                        && node.says.len() <= limits::WORDINGS_PER_NODE =>
                {
                    nodes.push(NodeRef::Client(ClientIx::new(clients.len())));
                    clients.push(ClientEntry {
                        node: Arc::clone(node),
                        position,
                        choices,
                    });
                }
                (Node::Branch(_), NodeLinks::Branch(links))
                    if links.rules.len() <= limits::RULES_PER_BRANCH =>
                {
                    nodes.push(NodeRef::Branch(BranchIx::new(branches.len())));
                    branches.push(BranchEntry { position, links });
                }
                _ => return None,
            }
        }
        let mut playable = Playable {
            scenario,
            start: resolved.start,
            ending_notes: resolved.ending_notes,
            variables: resolved.variables,
            flags: resolved.flags,
            clients,
            branches,
            nodes,
            text: resolved.text,
            content_hash: OnceLock::new(),
            graph: resolved.graph,
            bounds: Bounds::HasLoop,
        };
        playable.bounds = analysis::skill_bounds(
            &playable.graph,
            playable.vertex(playable.start),
            |from, via| playable.edge_scores(from, via),
        );
        Some(playable)
    }

    /// The file as parsed.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn start(&self) -> Target {
        self.start
    }

    /// Every state variable: the declared ones, then built-in `trust`/`distress` if not declared.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    pub fn flags(&self) -> &[String] {
        &self.flags
    }

    pub fn variable_index(&self, name: &str) -> Option<usize> {
        self.variables.iter().position(|v| v.name.as_str() == name)
    }

    pub fn flag_index(&self, name: &str) -> Option<usize> {
        self.flags.iter().position(|f| f == name)
    }

    /// Hex SHA-256 of the source text, so results can tell whether the scenario changed.
    pub fn content_hash(&self) -> &str {
        self.content_hash.get_or_init(|| content_hash(&self.text))
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The lowest and highest total each skill can reach on any path (analysed once, here).
    pub fn bounds(&self) -> &Bounds {
        &self.bounds
    }

    pub fn client(&self, ix: ClientIx) -> &ClientNode {
        &self.clients[ix.index()].node
    }

    pub fn choice(&self, node: ClientIx, choice: ChoiceIx) -> &Choice {
        &self.client(node).choices[choice.index()]
    }

    pub fn choice_links(&self, node: ClientIx, choice: ChoiceIx) -> &ChoiceLinks {
        &self.clients[node.index()].choices[choice.index()]
    }

    /// The choices of a client node with what they resolve to, in authored order.
    pub fn choices(
        &self,
        node: ClientIx,
    ) -> impl ExactSizeIterator<Item = (ChoiceIx, &Choice, &ChoiceLinks)> {
        let entry = &self.clients[node.index()];
        entry
            .node
            .choices
            .iter()
            .zip(&entry.choices)
            .enumerate()
            .map(|(i, (choice, links))| (ChoiceIx::new(i), choice, links))
    }

    pub fn branch(&self, ix: BranchIx) -> &BranchLinks {
        &self.branches[ix.index()].links
    }

    pub fn ending(&self, ix: EndingIx) -> &Ending {
        &self.scenario.endings[ix.index()]
    }

    /// The texts of an ending's debrief notes whose condition holds in this state.
    pub fn ending_notes<'p>(
        &'p self,
        ending: EndingIx,
        variables: &'p [i32],
        flags: &'p [bool],
    ) -> impl Iterator<Item = &'p str> + 'p {
        let notes = &self.ending(ending).notes;
        let conditions = self.ending_notes.get(ending.index());
        notes
            .iter()
            .zip(conditions.into_iter().flatten())
            .filter(move |(_, condition)| condition.holds(variables, flags))
            .map(|(note, _)| note.text.as_str())
    }

    pub fn endings(&self) -> impl ExactSizeIterator<Item = (EndingIx, &Ending)> {
        self.scenario
            .endings
            .iter()
            .enumerate()
            .map(|(i, e)| (EndingIx::new(i), e))
    }

    /// Every node in document order.
    pub fn nodes(&self) -> &[NodeRef] {
        &self.nodes
    }

    /// Every client node in document order.
    pub fn clients(&self) -> impl ExactSizeIterator<Item = ClientIx> {
        (0..self.clients.len()).map(ClientIx::new)
    }

    /// The client node with this id.
    pub fn find_client(&self, id: &str) -> Option<ClientIx> {
        self.clients
            .iter()
            .position(|c| c.node.id.as_str() == id)
            .map(ClientIx::new)
    }

    /// The graph vertex of a target (see [`crate::graph`]).
    pub fn vertex(&self, target: Target) -> Vertex {
        match target {
            Target::Client(c) => self.clients[c.index()].position,
            Target::Branch(b) => self.branches[b.index()].position,
            Target::Ending(e) => self.graph.ending_vertex(e.index()),
        }
    }

    /// The target a graph vertex stands for.
    pub fn target_at(&self, vertex: Vertex) -> Option<Target> {
        match self.nodes.get(vertex as usize) {
            Some(NodeRef::Client(c)) => Some(Target::Client(*c)),
            Some(NodeRef::Branch(b)) => Some(Target::Branch(*b)),
            None => {
                let ending = vertex as usize - self.nodes.len();
                (ending < self.scenario.endings.len())
                    .then(|| Target::Ending(EndingIx::new(ending)))
            }
        }
    }

    /// Whether a choice is on offer with these variable values and flags: it has no
    /// condition, or its condition holds. The engine and every tool that steps through a
    /// scenario without a session (path tests, random walks) decide it here.
    pub fn offers(
        &self,
        node: ClientIx,
        choice: ChoiceIx,
        variables: &[i32],
        flags: &[bool],
    ) -> bool {
        self.choice_links(node, choice)
            .condition
            .as_ref()
            .is_none_or(|c| c.holds(variables, flags))
    }

    /// Applies a choice's state changes; each variable stays within its range.
    pub fn apply_effects(
        &self,
        node: ClientIx,
        choice: ChoiceIx,
        variables: &mut [i32],
        flags: &mut [bool],
    ) {
        for effect in &self.choice_links(node, choice).effects {
            match *effect {
                Effect::Add { variable, delta } => {
                    let v = variable as usize;
                    variables[v] = self.clamp(v, variables[v].saturating_add(delta));
                }
                Effect::Set { flag, value } => flags[flag as usize] = value,
            }
        }
    }

    /// The rule a branch takes with these variable values and flags: the position of the first
    /// rule that holds, or `None` for `otherwise`.
    pub fn branch_rule(
        &self,
        branch: BranchIx,
        variables: &[i32],
        flags: &[bool],
    ) -> Option<usize> {
        self.branch(branch)
            .rules
            .iter()
            .position(|r| r.condition.holds(variables, flags))
    }

    /// Where a branch leads with these variable values and flags.
    pub fn branch_target(&self, branch: BranchIx, variables: &[i32], flags: &[bool]) -> Target {
        let links = self.branch(branch);
        self.branch_rule(branch, variables, flags)
            .map_or(links.otherwise, |i| links.rules[i].next)
    }

    /// A value kept within a variable's range.
    pub fn clamp(&self, variable: usize, value: i32) -> i32 {
        let v = &self.variables[variable];
        value.clamp(v.min.value, v.max.value)
    }

    /// The per-skill scores an edge of the graph carries: a choice's, or nothing for a branch.
    pub fn edge_scores(&self, from: Vertex, via: Via) -> analysis::SkillTotals {
        match (self.nodes.get(from as usize), via) {
            (Some(NodeRef::Client(c)), Via::Choice(i)) => self
                .client(*c)
                .choices
                .get(i as usize)
                .map_or([0; analysis::SKILLS], |ch| ch.scores.values()),
            _ => [0; analysis::SKILLS],
        }
    }
}
