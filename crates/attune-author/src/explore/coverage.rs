//! What a search or a set of walks saw, and where each thing was first seen: every client node
//! reached, reply offered, branch rule tried and held, ending reached. The findings are read off
//! this one record, whichever way it was filled, so an exhaustive search and random walks report
//! alike.

use attune_core::Playable;
use attune_core::playable::{BranchIx, ChoiceIx, ClientIx, EndingIx, NodeRef};

use crate::walks::WalkKind;

/// Where something was first seen: enough to rebuild the choices that lead there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trail {
    /// Before the first decision (the start, and any branches it leads through).
    Start,
    /// On arriving at a situation of the search.
    State(u32),
    /// Just after this reply, chosen in a situation of the search.
    After { state: u32, choice: ChoiceIx },
    /// In a walk, after its first `decisions` decisions.
    Walk { walk: WalkKind, decisions: u32 },
}

/// First sightings, each `None` until seen. Indexed by the playable's typed indices.
#[derive(Debug, Clone)]
pub struct Coverage {
    clients: Vec<Option<Trail>>,
    /// Where each client node's choices start in `offered`.
    choice_base: Vec<usize>,
    offered: Vec<Option<Trail>>,
    branches: Vec<Option<Trail>>,
    /// Where each branch's rules start in `tried` / `held`, and where the last one's end.
    rule_base: Vec<usize>,
    tried: Vec<Option<Trail>>,
    held: Vec<Option<Trail>>,
    otherwise: Vec<Option<Trail>>,
    endings: Vec<Option<Trail>>,
}

/// The branches of a playable in document order (their [`BranchIx`] is their position here).
pub(crate) fn branches(playable: &Playable) -> impl Iterator<Item = BranchIx> + '_ {
    playable.nodes().iter().filter_map(|n| match n {
        NodeRef::Branch(b) => Some(*b),
        NodeRef::Client(_) => None,
    })
}

fn first(slot: &mut Option<Trail>, at: Trail) {
    if slot.is_none() {
        *slot = Some(at);
    }
}

impl Coverage {
    pub fn new(playable: &Playable) -> Self {
        let mut choice_base = Vec::new();
        let mut choices = 0;
        for c in playable.clients() {
            choice_base.push(choices);
            choices += playable.client(c).choices.len();
        }
        let mut rule_base = Vec::new();
        let mut rules = 0;
        for b in branches(playable) {
            rule_base.push(rules);
            rules += playable.branch(b).rules.len();
        }
        let branch_count = rule_base.len();
        rule_base.push(rules);
        Coverage {
            clients: vec![None; choice_base.len()],
            choice_base,
            offered: vec![None; choices],
            branches: vec![None; branch_count],
            rule_base,
            tried: vec![None; rules],
            held: vec![None; rules],
            otherwise: vec![None; branch_count],
            endings: vec![None; playable.endings().len()],
        }
    }

    pub(crate) fn reach_client(&mut self, node: ClientIx, at: Trail) {
        first(&mut self.clients[node.index()], at);
    }

    pub(crate) fn offer(&mut self, node: ClientIx, choice: ChoiceIx, at: Trail) {
        first(
            &mut self.offered[self.choice_base[node.index()] + choice.index()],
            at,
        );
    }

    /// A branch was reached and took `rule` (`None`: `otherwise`): every rule before it was
    /// tried and did not hold.
    pub(crate) fn take_branch(&mut self, branch: BranchIx, rule: Option<usize>, at: Trail) {
        let b = branch.index();
        first(&mut self.branches[b], at);
        let base = self.rule_base[b];
        let tried = rule.map_or(self.rule_base[b + 1] - base, |r| r + 1);
        for slot in &mut self.tried[base..base + tried] {
            first(slot, at);
        }
        match rule {
            Some(r) => first(&mut self.held[base + r], at),
            None => first(&mut self.otherwise[b], at),
        }
    }

    pub(crate) fn reach_ending(&mut self, ending: EndingIx, at: Trail) {
        first(&mut self.endings[ending.index()], at);
    }

    /// Adds what a later search or set of walks saw; what this one saw first stays first.
    pub(crate) fn merge(&mut self, later: &Coverage) {
        for (mine, theirs) in [
            (&mut self.clients, &later.clients),
            (&mut self.offered, &later.offered),
            (&mut self.branches, &later.branches),
            (&mut self.tried, &later.tried),
            (&mut self.held, &later.held),
            (&mut self.otherwise, &later.otherwise),
            (&mut self.endings, &later.endings),
        ] {
            for (slot, seen) in mine.iter_mut().zip(theirs) {
                if let Some(at) = seen {
                    first(slot, *at);
                }
            }
        }
    }

    pub fn client(&self, node: ClientIx) -> Option<Trail> {
        self.clients[node.index()]
    }

    pub fn offered(&self, node: ClientIx, choice: ChoiceIx) -> Option<Trail> {
        self.offered[self.choice_base[node.index()] + choice.index()]
    }

    pub fn branch(&self, branch: BranchIx) -> Option<Trail> {
        self.branches[branch.index()]
    }

    /// First time rule `rule` of a branch was tried (every rule before it failed).
    pub fn rule_tried(&self, branch: BranchIx, rule: usize) -> Option<Trail> {
        self.tried[self.rule_base[branch.index()] + rule]
    }

    /// First time rule `rule` of a branch held (and was taken).
    pub fn rule_held(&self, branch: BranchIx, rule: usize) -> Option<Trail> {
        self.held[self.rule_base[branch.index()] + rule]
    }

    pub fn otherwise_taken(&self, branch: BranchIx) -> Option<Trail> {
        self.otherwise[branch.index()]
    }

    pub fn ending(&self, ending: EndingIx) -> Option<Trail> {
        self.endings[ending.index()]
    }
}
