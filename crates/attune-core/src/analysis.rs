//! Analysis of a scenario's graph: the best and worst total each skill can reach over any
//! path from the start to an ending. Linear in nodes + choices (a topological order and one
//! dynamic-programming pass), never an enumeration of paths. Conditions are ignored, so the
//! bounds hold for every path a session can take.

use crate::check::Csr;
use crate::model::{Node, Scenario, Target};
use crate::skills::Skill;

const SKILLS: usize = Skill::ALL.len();

/// Per-skill totals, indexed by `Skill::index`.
pub type SkillTotals = [i32; SKILLS];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bounds {
    /// The lowest and highest total of each skill over all paths from start to an ending.
    Bounded {
        worst: SkillTotals,
        best: SkillTotals,
    },
    /// The scenario can loop, so totals are unbounded in principle (the engine's step limit
    /// bounds them in practice).
    HasLoop,
}

pub fn skill_bounds(scenario: &Scenario) -> Bounds {
    let n = scenario.nodes.len();
    // Edges carry the scores of the choice that makes them (branches score nothing).
    let edges = node_edges(scenario);
    let graph = Csr::new(n, edges.iter().copied());
    let Some(order) = topological_order(&graph, n) else {
        return Bounds::HasLoop;
    };

    // best[v] / worst[v]: the highest / lowest total from node v to any ending, filled in
    // reverse topological order so that every successor is done first.
    let mut best = vec![[i32::MIN; SKILLS]; n];
    let mut worst = vec![[i32::MAX; SKILLS]; n];
    for &v in order.iter().rev() {
        let v = v as usize;
        let mut consider = |next: Target, scores: SkillTotals| {
            let (down_best, down_worst) = match next {
                Target::Ending(_) => ([0; SKILLS], [0; SKILLS]),
                Target::Node(t) => (best[t as usize], worst[t as usize]),
                Target::Unresolved => return,
            };
            for s in 0..SKILLS {
                if down_best[s] != i32::MIN {
                    best[v][s] = best[v][s].max(down_best[s] + scores[s]);
                }
                if down_worst[s] != i32::MAX {
                    worst[v][s] = worst[v][s].min(down_worst[s] + scores[s]);
                }
            }
        };
        match &scenario.nodes[v] {
            Node::Client(c) => {
                for ch in &c.choices {
                    consider(ch.resolved.next, ch.scores.values());
                }
            }
            Node::Branch(b) => {
                for t in b
                    .rules
                    .iter()
                    .map(|r| r.resolved.next)
                    .chain([b.resolved_otherwise])
                {
                    consider(t, [0; SKILLS]);
                }
            }
        }
    }
    match scenario.resolved.start {
        Target::Node(s) => Bounds::Bounded {
            worst: worst[s as usize],
            best: best[s as usize],
        },
        _ => Bounds::Bounded {
            worst: [0; SKILLS],
            best: [0; SKILLS],
        },
    }
}

/// Edges between nodes (not to endings), from choices and branch rules.
fn node_edges(scenario: &Scenario) -> Vec<(u32, u32)> {
    let mut edges = Vec::new();
    for (i, node) in scenario.nodes.iter().enumerate() {
        let mut add = |t: Target| {
            if let Target::Node(t) = t {
                edges.push((i as u32, t));
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
    edges
}

/// Kahn's algorithm; `None` if the graph has a cycle.
fn topological_order(graph: &Csr, n: usize) -> Option<Vec<u32>> {
    let mut indegree = vec![0u32; n];
    for v in 0..n {
        for &w in graph.next(v) {
            indegree[w as usize] += 1;
        }
    }
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&v| indegree[v as usize] == 0)
        .collect();
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        for &w in graph.next(v) {
            indegree[w as usize] -= 1;
            if indegree[w as usize] == 0 {
                order.push(w);
            }
        }
    }
    (order.len() == n).then_some(order)
}
