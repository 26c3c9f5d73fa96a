//! The scenario as a graph: the one place its edges are built. Vertices are the nodes in
//! document order, then the endings; an edge is a choice or a branch rule (or `otherwise`).
//! The checks (reachability, dead ends), the skill-bounds analysis, and the authoring tools
//! (path tests, lint, graph export, the app's map) all read this one structure.
//!
//! Everything here is linear in vertices + edges: adjacency is stored flat (CSR), and no
//! algorithm recurses, so a 100,000-node scenario cannot overflow the stack.

/// A vertex: `0..nodes` are the nodes in document order, `nodes..nodes + endings` the endings.
pub type Vertex = u32;

/// What makes an edge, so views can label it and analyses can score it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// The choice at this position in its client node.
    Choice(u16),
    /// The branch rule at this position.
    Rule(u16),
    /// The branch's `otherwise`.
    Otherwise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub to: Vertex,
    pub via: Via,
}

/// Adjacency lists in one flat array, with every vertex's outgoing edges in the order given.
#[derive(Debug, Clone)]
pub struct Graph {
    nodes: usize,
    endings: usize,
    offsets: Vec<u32>,
    edges: Vec<Edge>,
}

impl Graph {
    /// Builds the graph from `(from, edge)` pairs; edges of one vertex keep their order.
    pub fn new(
        nodes: usize,
        endings: usize,
        edges: impl IntoIterator<Item = (Vertex, Edge)>,
    ) -> Self {
        let vertices = nodes + endings;
        let mut pairs: Vec<(Vertex, Edge)> = edges.into_iter().collect();
        // Stable, so each vertex's edges keep document order.
        pairs.sort_by_key(|&(from, _)| from);
        let mut offsets = vec![0u32; vertices + 1];
        for &(from, _) in &pairs {
            offsets[from as usize + 1] += 1;
        }
        for i in 0..vertices {
            offsets[i + 1] += offsets[i];
        }
        Graph {
            nodes,
            endings,
            offsets,
            edges: pairs.into_iter().map(|(_, e)| e).collect(),
        }
    }

    pub fn vertex_count(&self) -> usize {
        self.nodes + self.endings
    }

    pub fn node_count(&self) -> usize {
        self.nodes
    }

    pub fn ending_count(&self) -> usize {
        self.endings
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The vertex of the ending at this position.
    pub fn ending_vertex(&self, ending: usize) -> Vertex {
        (self.nodes + ending) as Vertex
    }

    pub fn is_ending(&self, v: Vertex) -> bool {
        v as usize >= self.nodes
    }

    /// The edges leaving `v`, in document order.
    pub fn edges(&self, v: Vertex) -> &[Edge] {
        let v = v as usize;
        &self.edges[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// Every vertex reachable from `from` (which are reached themselves).
    pub fn reachable_from(&self, from: impl IntoIterator<Item = Vertex>) -> Vec<bool> {
        flood(self.vertex_count(), from, |v| {
            self.edges(v).iter().map(|e| e.to)
        })
    }

    /// Every vertex from which one of `to` can be reached.
    pub fn reaching(&self, to: impl IntoIterator<Item = Vertex>) -> Vec<bool> {
        let reverse = self.reversed();
        flood(self.vertex_count(), to, |v| {
            reverse.edges(v).iter().map(|e| e.to)
        })
    }

    /// The graph with every edge turned round (labels kept).
    pub fn reversed(&self) -> Graph {
        let mut pairs = Vec::with_capacity(self.edges.len());
        for v in 0..self.vertex_count() as Vertex {
            for e in self.edges(v) {
                pairs.push((e.to, Edge { to: v, via: e.via }));
            }
        }
        Graph::new(self.nodes, self.endings, pairs)
    }

    /// A topological order of all vertices (Kahn's algorithm), or `None` if the graph has a
    /// cycle.
    pub fn topological_order(&self) -> Option<Vec<Vertex>> {
        let n = self.vertex_count();
        let mut indegree = vec![0u32; n];
        for e in &self.edges {
            indegree[e.to as usize] += 1;
        }
        let mut order: Vec<Vertex> = (0..n as Vertex)
            .filter(|&v| indegree[v as usize] == 0)
            .collect();
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            for e in self.edges(v) {
                indegree[e.to as usize] -= 1;
                if indegree[e.to as usize] == 0 {
                    order.push(e.to);
                }
            }
        }
        (order.len() == n).then_some(order)
    }

    /// The edges that close a loop when walking depth-first from `from`: `(from, edge)` pairs
    /// whose target is still on the walk's stack. Empty when nothing reachable loops.
    pub fn loop_edges(&self, from: impl IntoIterator<Item = Vertex>) -> Vec<(Vertex, Edge)> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnStack,
            Done,
        }
        let mut mark = vec![Mark::New; self.vertex_count()];
        let mut closing = Vec::new();
        // (vertex, index of the next edge to look at)
        let mut stack: Vec<(Vertex, usize)> = Vec::new();
        for root in from {
            if mark[root as usize] != Mark::New {
                continue;
            }
            mark[root as usize] = Mark::OnStack;
            stack.push((root, 0));
            while let Some(top) = stack.last_mut() {
                let (v, next) = *top;
                match self.edges(v).get(next) {
                    Some(&edge) => {
                        top.1 += 1;
                        match mark[edge.to as usize] {
                            Mark::New => {
                                mark[edge.to as usize] = Mark::OnStack;
                                stack.push((edge.to, 0));
                            }
                            Mark::OnStack => closing.push((v, edge)),
                            Mark::Done => {}
                        }
                    }
                    None => {
                        mark[v as usize] = Mark::Done;
                        stack.pop();
                    }
                }
            }
        }
        closing
    }
}

/// Depth-first flood fill with an explicit stack.
fn flood<I: Iterator<Item = Vertex>>(
    vertices: usize,
    from: impl IntoIterator<Item = Vertex>,
    next: impl Fn(Vertex) -> I,
) -> Vec<bool> {
    let mut seen = vec![false; vertices];
    let mut stack = Vec::new();
    for v in from {
        if !seen[v as usize] {
            seen[v as usize] = true;
            stack.push(v);
        }
    }
    while let Some(v) = stack.pop() {
        for w in next(v) {
            if !seen[w as usize] {
                seen[w as usize] = true;
                stack.push(w);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(to: Vertex) -> Edge {
        Edge {
            to,
            via: Via::Otherwise,
        }
    }

    /// 0 → 1 → 3(ending), 0 → 2 → 0 (a loop), node 4 alone.
    fn sample() -> Graph {
        Graph::new(
            4,
            1,
            [(0, edge(1)), (1, edge(4)), (0, edge(2)), (2, edge(0))],
        )
    }

    #[test]
    fn edges_keep_their_order_per_vertex() {
        let g = sample();
        let to: Vec<_> = g.edges(0).iter().map(|e| e.to).collect();
        assert_eq!(to, [1, 2]);
        assert_eq!(g.edge_count(), 4);
        assert!(g.is_ending(4) && !g.is_ending(3));
    }

    #[test]
    fn reachability_both_ways() {
        let g = sample();
        assert_eq!(g.reachable_from([0]), [true, true, true, false, true]);
        assert_eq!(g.reaching([4]), [true, true, true, false, true]);
    }

    #[test]
    fn a_loop_has_no_topological_order_and_its_closing_edge_is_found() {
        let g = sample();
        assert_eq!(g.topological_order(), None);
        let closing = g.loop_edges([0]);
        assert_eq!(closing, [(2, edge(0))]);
        let acyclic = Graph::new(2, 1, [(0, edge(1)), (1, edge(2))]);
        assert_eq!(acyclic.topological_order(), Some(vec![0, 1, 2]));
        assert!(acyclic.loop_edges([0]).is_empty());
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let g = Graph::new(n, 1, (0..n as Vertex).map(|v| (v, edge(v + 1))));
        assert!(g.reachable_from([0]).iter().all(|&r| r));
        assert_eq!(g.topological_order().map(|o| o.len()), Some(n + 1));
        assert!(g.loop_edges([0]).is_empty());
    }
}
