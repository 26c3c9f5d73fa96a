//! A layered (Sugiyama) layout of the scenario graph, left to right, for the app's map: the
//! start on the left, each edge pointing rightwards wherever the graph allows. Engine-free, so
//! it is tested and benchmarked without Bevy (`cargo bench --no-default-features --bench author`).
//!
//! The four classic steps, each linear or near-linear in vertices + edges:
//! 1. loops broken by turning round the edges that close them ([`Graph::loop_edges`]);
//! 2. layers by longest path from the sources, so every edge goes at least one layer right;
//! 3. edges longer than one layer split by bend points, then each layer ordered by the
//!    barycentre of its neighbours (a few sweeps each way) to reduce crossings;
//! 4. coordinates: each vertex pulled towards its neighbours' mean, boxes kept apart.

use attune_core::graph::{Graph, Vertex};

/// Sizes in the map's own units (egui points at zoom 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutOptions {
    /// Every box is this wide and tall.
    pub node_width: f32,
    pub node_height: f32,
    /// Space between two layers (between a box's right side and the next layer's left side).
    pub layer_gap: f32,
    /// Space between two boxes in one layer.
    pub node_gap: f32,
    /// Space kept around an edge's bend point in a layer.
    pub bend_gap: f32,
    /// Ordering sweeps (each one down and back up).
    pub sweeps: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            node_width: 200.0,
            node_height: 64.0,
            layer_gap: 90.0,
            node_gap: 28.0,
            bend_gap: 14.0,
            sweeps: 4,
        }
    }
}

/// A point in map units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// Where everything goes.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The centre of each vertex's box, indexed by vertex.
    pub centres: Vec<Point>,
    /// Each vertex's layer (column), from 0 on the left.
    pub layers: Vec<u32>,
    /// One polyline per edge of the graph, in the graph's edge order (vertex by vertex, each
    /// vertex's edges in document order): from the source's centre through the bends to the
    /// target's centre. A self-loop is just its two end points.
    pub edges: Vec<Vec<Point>>,
    /// The size of the whole drawing; every box lies within `0..width`, `0..height`.
    pub width: f32,
    pub height: f32,
    pub options: LayoutOptions,
}

impl Layout {
    /// The vertex whose box contains `point`, if any.
    pub fn vertex_at(&self, point: Point) -> Option<Vertex> {
        let (hw, hh) = (
            self.options.node_width / 2.0,
            self.options.node_height / 2.0,
        );
        self.centres
            .iter()
            .position(|c| (point.x - c.x).abs() <= hw && (point.y - c.y).abs() <= hh)
            .map(|v| v as Vertex)
    }
}

/// Lays out `graph` with the given vertices in the first layer (the start, usually); other
/// vertices nothing leads to join them.
pub fn layered(graph: &Graph, roots: &[Vertex], options: LayoutOptions) -> Layout {
    let n = graph.vertex_count();
    // 1. Break loops: edges that close one are laid out turned round.
    let all_roots = roots.iter().copied().chain(0..n as Vertex);
    let closing = graph.loop_edges(all_roots);
    let mut reversed_edge = vec![false; graph.edge_count()];
    let mut edge_index = 0;
    let mut closing_sorted: Vec<(Vertex, Vertex, usize)> = Vec::new();
    // Identify closing edges by (from, position among from's edges): `loop_edges` gives the
    // edge itself, and equal edges from one vertex are interchangeable for the layout.
    for (from, edge) in &closing {
        let position = graph
            .edges(*from)
            .iter()
            .position(|e| e == edge)
            .unwrap_or(0);
        closing_sorted.push((*from, edge.to, position));
    }
    closing_sorted.sort_unstable();
    let mut dag: Vec<(Vertex, Vertex)> = Vec::with_capacity(graph.edge_count());
    for v in 0..n as Vertex {
        for (position, edge) in graph.edges(v).iter().enumerate() {
            let closes = closing_sorted
                .binary_search(&(v, edge.to, position))
                .is_ok();
            reversed_edge[edge_index] = closes;
            edge_index += 1;
            if edge.to == v {
                continue;
            }
            dag.push(if closes { (edge.to, v) } else { (v, edge.to) });
        }
    }

    // 2. Longest-path layers over the acyclic version.
    let forward = Graph::new(
        n,
        0,
        dag.iter().map(|&(a, b)| {
            (
                a,
                attune_core::graph::Edge {
                    to: b,
                    via: attune_core::graph::Via::Otherwise,
                },
            )
        }),
    );
    // Turning round every edge that closes a loop of a depth-first walk leaves none; should
    // that ever fail, document order still gives a drawing (with some edges pointing back).
    let order = forward
        .topological_order()
        .unwrap_or_else(|| (0..n as Vertex).collect());
    let mut layers = vec![0u32; n];
    for &v in &order {
        for e in forward.edges(v) {
            layers[e.to as usize] = layers[e.to as usize].max(layers[v as usize] + 1);
        }
    }
    let layer_count = layers.iter().max().map_or(0, |&l| l as usize + 1);

    // 3. Bend points: every DAG edge becomes a chain of unit-length segments.
    // Slots 0..n are the vertices, n.. the bends.
    let mut slot_layer: Vec<u32> = layers.clone();
    let mut segments: Vec<(u32, u32)> = Vec::with_capacity(dag.len() * 2);
    // Per DAG edge (in `dag` order): its chain of slots, source first.
    let mut chains: Vec<Vec<u32>> = Vec::with_capacity(dag.len());
    for &(a, b) in &dag {
        let mut chain = vec![a];
        let (la, lb) = (layers[a as usize], layers[b as usize]);
        let mut previous = a;
        for layer in la + 1..lb {
            let bend = slot_layer.len() as u32;
            slot_layer.push(layer);
            segments.push((previous, bend));
            chain.push(bend);
            previous = bend;
        }
        segments.push((previous, b));
        chain.push(b);
        chains.push(chain);
    }
    let slots = slot_layer.len();
    let mut down: Vec<Vec<u32>> = vec![Vec::new(); slots];
    let mut up: Vec<Vec<u32>> = vec![Vec::new(); slots];
    for &(a, b) in &segments {
        down[a as usize].push(b);
        up[b as usize].push(a);
    }

    // Initial order: depth-first from the roots, so a path tends to stay on one line.
    let mut rows: Vec<Vec<u32>> = vec![Vec::new(); layer_count];
    let mut placed = vec![false; slots];
    let mut stack: Vec<u32> = Vec::new();
    let starts = roots.iter().copied().chain(order.iter().copied());
    for root in starts {
        if placed[root as usize] {
            continue;
        }
        stack.push(root);
        while let Some(s) = stack.pop() {
            if placed[s as usize] {
                continue;
            }
            placed[s as usize] = true;
            rows[slot_layer[s as usize] as usize].push(s);
            for &t in down[s as usize].iter().rev() {
                if !placed[t as usize] {
                    stack.push(t);
                }
            }
        }
    }
    let mut position = vec![0f32; slots];
    let set_positions = |rows: &[Vec<u32>], position: &mut [f32]| {
        for row in rows {
            for (i, &s) in row.iter().enumerate() {
                position[s as usize] = i as f32;
            }
        }
    };
    set_positions(&rows, &mut position);
    for _ in 0..options.sweeps {
        for layer in 1..layer_count {
            order_by_barycentre(&mut rows[layer], &up, &position);
            set_positions(&rows[layer..=layer], &mut position);
        }
        for layer in (0..layer_count.saturating_sub(1)).rev() {
            order_by_barycentre(&mut rows[layer], &down, &position);
            set_positions(&rows[layer..=layer], &mut position);
        }
    }

    // 4. Coordinates: x by layer; y pulled to the neighbours' mean, boxes kept apart.
    let is_vertex = |s: u32| (s as usize) < n;
    let extent = |s: u32| {
        if is_vertex(s) {
            options.node_height
        } else {
            0.0
        }
    };
    let gap = |a: u32, b: u32| {
        let g = if is_vertex(a) && is_vertex(b) {
            options.node_gap
        } else {
            options.bend_gap
        };
        (extent(a) + extent(b)) / 2.0 + g
    };
    let mut y = vec![0f32; slots];
    for row in &rows {
        let mut at = 0.0;
        for (i, &s) in row.iter().enumerate() {
            if i > 0 {
                at += gap(row[i - 1], s);
            }
            y[s as usize] = at;
        }
    }
    for pass in 0..4 {
        let (range, neighbours): (Vec<usize>, &Vec<Vec<u32>>) = if pass % 2 == 0 {
            ((1..layer_count).collect(), &up)
        } else {
            ((0..layer_count.saturating_sub(1)).rev().collect(), &down)
        };
        for layer in range {
            place_row(&rows[layer], neighbours, &mut y, &gap);
        }
    }
    // Shift everything so the topmost box starts at 0.
    let top = (0..slots)
        .map(|s| y[s] - extent(s as u32) / 2.0)
        .fold(f32::INFINITY, f32::min);
    let top = if top.is_finite() { top } else { 0.0 };
    let bottom = (0..slots)
        .map(|s| y[s] + extent(s as u32) / 2.0 - top)
        .fold(0.0, f32::max);
    let column = options.node_width + options.layer_gap;
    let point = |s: u32| Point {
        x: options.node_width / 2.0 + slot_layer[s as usize] as f32 * column,
        y: y[s as usize] - top,
    };
    let centres: Vec<Point> = (0..n as u32).map(point).collect();

    // Each graph edge's polyline, in graph order.
    let mut edges = Vec::with_capacity(graph.edge_count());
    let mut chain_of = chains.into_iter();
    let mut index = 0;
    for v in 0..n as Vertex {
        for edge in graph.edges(v) {
            let reversed = reversed_edge[index];
            index += 1;
            if edge.to == v {
                edges.push(vec![centres[v as usize], centres[v as usize]]);
                continue;
            }
            let chain = chain_of.next().unwrap_or_default();
            let mut points: Vec<Point> = chain.into_iter().map(point).collect();
            if reversed {
                points.reverse();
            }
            edges.push(points);
        }
    }
    Layout {
        centres,
        layers,
        edges,
        width: layer_count as f32 * column - options.layer_gap.min(layer_count as f32 * column),
        height: bottom,
        options,
    }
}

/// Sorts a layer by the mean position of each slot's neighbours in the layer next to it; slots
/// without neighbours there keep their place.
fn order_by_barycentre(row: &mut [u32], neighbours: &[Vec<u32>], position: &[f32]) {
    let mut keyed: Vec<(f32, usize, u32)> = row
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let near = &neighbours[s as usize];
            let key = if near.is_empty() {
                position[s as usize]
            } else {
                near.iter().map(|&t| position[t as usize]).sum::<f32>() / near.len() as f32
            };
            (key, i, s)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (slot, (_, _, s)) in row.iter_mut().zip(keyed) {
        *slot = s;
    }
}

/// Places one row: each slot wants the mean y of its neighbours; slots keep their order and
/// their gaps, and the row as a whole sits where the wishes balance.
fn place_row(row: &[u32], neighbours: &[Vec<u32>], y: &mut [f32], gap: &impl Fn(u32, u32) -> f32) {
    if row.is_empty() {
        return;
    }
    let wish: Vec<f32> = row
        .iter()
        .map(|&s| {
            let near = &neighbours[s as usize];
            if near.is_empty() {
                y[s as usize]
            } else {
                near.iter().map(|&t| y[t as usize]).sum::<f32>() / near.len() as f32
            }
        })
        .collect();
    // Top to bottom, never closer than the gap; then bottom to top, never further down than
    // the first pass allowed, pulling up towards the wish; the mean of both keeps the balance.
    let mut first = wish.clone();
    for i in 1..row.len() {
        first[i] = first[i].max(first[i - 1] + gap(row[i - 1], row[i]));
    }
    let mut second = wish.clone();
    for i in (0..row.len() - 1).rev() {
        second[i] = second[i].min(second[i + 1] - gap(row[i], row[i + 1]));
    }
    let mut placed: Vec<f32> = first
        .iter()
        .zip(&second)
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    // The mean can bring two slots too close when both passes pushed; one more push fixes it.
    for i in 1..row.len() {
        placed[i] = placed[i].max(placed[i - 1] + gap(row[i - 1], row[i]));
    }
    for (&s, value) in row.iter().zip(placed) {
        y[s as usize] = value;
    }
}

#[cfg(test)]
mod tests {
    use attune_core::graph::{Edge, Via};

    use super::*;

    fn edge(to: Vertex) -> Edge {
        Edge {
            to,
            via: Via::Otherwise,
        }
    }

    fn boxes_overlap(layout: &Layout, a: usize, b: usize) -> bool {
        let (ca, cb) = (layout.centres[a], layout.centres[b]);
        (ca.x - cb.x).abs() < layout.options.node_width
            && (ca.y - cb.y).abs() < layout.options.node_height
    }

    fn assert_no_overlaps(layout: &Layout) {
        let n = layout.centres.len();
        // Sorted by x then y: only neighbours in one column can overlap.
        let mut by_place: Vec<usize> = (0..n).collect();
        by_place.sort_by(|&a, &b| {
            let (ca, cb) = (layout.centres[a], layout.centres[b]);
            ca.x.total_cmp(&cb.x).then(ca.y.total_cmp(&cb.y))
        });
        for pair in by_place.windows(2) {
            assert!(
                !boxes_overlap(layout, pair[0], pair[1]),
                "vertices {} and {} overlap: {:?} {:?}",
                pair[0],
                pair[1],
                layout.centres[pair[0]],
                layout.centres[pair[1]]
            );
        }
        for c in &layout.centres {
            assert!(c.x - layout.options.node_width / 2.0 >= -0.01);
            assert!(c.y - layout.options.node_height / 2.0 >= -0.01, "{c:?}");
            assert!(c.x + layout.options.node_width / 2.0 <= layout.width + 0.01);
            assert!(c.y + layout.options.node_height / 2.0 <= layout.height + 0.01);
        }
    }

    #[test]
    fn a_diamond_goes_left_to_right_without_overlaps() {
        // 0 → 1, 0 → 2, 1 → 3, 2 → 3, 0 → 3 (a long edge, bent once).
        let g = Graph::new(
            3,
            1,
            [
                (0, edge(1)),
                (0, edge(2)),
                (1, edge(3)),
                (2, edge(3)),
                (0, edge(3)),
            ],
        );
        let layout = layered(&g, &[0], LayoutOptions::default());
        assert_eq!(layout.layers, [0, 1, 1, 2]);
        assert_no_overlaps(&layout);
        assert_eq!(layout.edges.len(), 5);
        // Graph order: 0's edges (to 1, 2, 3), then 1 → 3, then 2 → 3.
        let long = &layout.edges[2];
        assert_eq!(long.len(), 3, "one bend for a two-layer edge");
        assert_eq!(long[0], layout.centres[0]);
        assert_eq!(long[2], layout.centres[3]);
        assert!(long.windows(2).all(|w| w[0].x < w[1].x));
    }

    #[test]
    fn a_loop_is_drawn_with_its_closing_edge_turned_back() {
        // 0 → 1 → 2 → 1 (loop), 2 → 3.
        let g = Graph::new(
            3,
            1,
            [(0, edge(1)), (1, edge(2)), (2, edge(1)), (2, edge(3))],
        );
        let layout = layered(&g, &[0], LayoutOptions::default());
        assert_eq!(layout.layers, [0, 1, 2, 3]);
        let back = &layout.edges[2];
        assert_eq!(back.first(), Some(&layout.centres[2]));
        assert_eq!(back.last(), Some(&layout.centres[1]));
        assert_no_overlaps(&layout);
    }

    #[test]
    fn a_crossing_is_removed_by_ordering() {
        // Depth-first placement puts 2 above 3, so 1 → 2 would cross 0 → 3; ordering by
        // barycentre swaps them.
        let g = Graph::new(
            4,
            0,
            [(0, edge(2)), (0, edge(3)), (1, edge(2)), (2, edge(2))],
        );
        let layout = layered(&g, &[0, 1], LayoutOptions::default());
        let c = &layout.centres;
        assert!(c[0].y < c[1].y);
        assert!(c[3].y < c[2].y, "{c:?}");
        // The self-loop 2 → 2 is kept as an edge but adds no layer.
        assert_eq!(layout.layers, [0, 0, 1, 1]);
        assert_eq!(layout.edges[3].len(), 2);
    }

    #[test]
    fn the_generated_thousand_node_scenario_lays_out_without_overlaps() {
        let text = attune_core::generate::scenario_text(1000);
        let playable = attune_core::load_str("g.scenario.ron", text, None)
            .playable
            .unwrap();
        let graph = playable.graph();
        let start = playable.vertex(playable.start());
        let layout = layered(graph, &[start], LayoutOptions::default());
        assert_eq!(layout.centres.len(), graph.vertex_count());
        assert_eq!(layout.edges.len(), graph.edge_count());
        assert_no_overlaps(&layout);
        // Every edge ends where its target is.
        let mut i = 0;
        for v in 0..graph.vertex_count() as Vertex {
            for e in graph.edges(v) {
                assert_eq!(layout.edges[i].last(), Some(&layout.centres[e.to as usize]));
                i += 1;
            }
        }
    }

    #[test]
    fn shipped_scenarios_have_no_overlapping_boxes() {
        for file in [
            "grief-eleven-weeks",
            "guarded-teen-referral",
            "new-country-student",
        ] {
            let path = format!(
                "{}/../../scenarios/{file}.scenario.ron",
                env!("CARGO_MANIFEST_DIR")
            );
            let playable = attune_core::load_file(path.as_ref(), None)
                .unwrap()
                .playable
                .unwrap();
            let start = playable.vertex(playable.start());
            let layout = layered(playable.graph(), &[start], LayoutOptions::default());
            assert_no_overlaps(&layout);
        }
    }
}
