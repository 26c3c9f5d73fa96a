//! The best and worst total each skill can reach over any path from the start to an ending.
//! Linear in vertices + edges (a topological order of [`crate::graph`] and one
//! dynamic-programming pass), never an enumeration of paths. Conditions are ignored, so the
//! bounds hold for every path a session can take.

use crate::graph::{Graph, Vertex, Via};
use crate::skills::Skill;

pub const SKILLS: usize = Skill::ALL.len();

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

/// Bounds over the paths from `start`; `scores(from, via)` gives the scores an edge carries.
pub fn skill_bounds(
    graph: &Graph,
    start: Vertex,
    scores: impl Fn(Vertex, Via) -> SkillTotals,
) -> Bounds {
    let Some(order) = graph.topological_order() else {
        return Bounds::HasLoop;
    };
    // best[v] / worst[v]: the highest / lowest total from v to any ending, filled in reverse
    // topological order so that every successor is done first. Endings start at zero; a
    // vertex that reaches no ending keeps MIN/MAX and is ignored by its predecessors.
    let n = graph.vertex_count();
    let mut best = vec![[i32::MIN; SKILLS]; n];
    let mut worst = vec![[i32::MAX; SKILLS]; n];
    for &v in order.iter().rev() {
        if graph.is_ending(v) {
            best[v as usize] = [0; SKILLS];
            worst[v as usize] = [0; SKILLS];
            continue;
        }
        for edge in graph.edges(v) {
            let add = scores(v, edge.via);
            let (down_best, down_worst) = (best[edge.to as usize], worst[edge.to as usize]);
            for s in 0..SKILLS {
                if down_best[s] != i32::MIN {
                    best[v as usize][s] = best[v as usize][s].max(down_best[s] + add[s]);
                }
                if down_worst[s] != i32::MAX {
                    worst[v as usize][s] = worst[v as usize][s].min(down_worst[s] + add[s]);
                }
            }
        }
    }
    let (worst, best) = (worst[start as usize], best[start as usize]);
    if best.contains(&i32::MIN) {
        // No ending is reachable (the checks report that); nothing can be scored.
        return Bounds::Bounded {
            worst: [0; SKILLS],
            best: [0; SKILLS],
        };
    }
    Bounds::Bounded { worst, best }
}
