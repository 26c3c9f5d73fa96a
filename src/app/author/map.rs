//! The scenario as a map: client nodes as rounded boxes, branches as diamonds, endings as
//! octagons filled by outcome (the palette of `attune graph`); each reply an edge coloured by
//! its total score with the total written on it, the best reply at each node thicker and
//! starred; the current node and the path walked so far highlighted; lint findings marked ⚠.
//! The layout is [`attune_author::layout`]; this module only draws it, as a pure function of
//! a [`MapModel`] and the [`MapView`] (pan and zoom), and returns the node clicked.
//!
//! Keyboard: Tab moves between the nodes in view (left to right), Enter or Space jumps there;
//! arrows pan, `+`/`-` zoom, `0` fits the whole map, `C` centres the current node.

use std::collections::{HashMap, HashSet};

use attune_author::export::{EdgeKind, NodeKind, ScenarioMap};
use attune_author::layout::{self, Layout, LayoutOptions};
use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic};
use attune_core::graph::Vertex;
use bevy_egui::egui::{self, Color32, Pos2, Rect, Sense, Stroke, Vec2};

/// Text below this size (in points) is not drawn in the boxes; the ids are drawn above them
/// at [`LABEL_SIZE`] instead, as many as fit without overlapping.
const SMALLEST_TEXT: f32 = 8.5;
const LABEL_SIZE: f32 = 11.0;
const TEXT_SIZE: f32 = 12.5;
const MIN_ZOOM: f32 = 0.002;
const MAX_ZOOM: f32 = 3.0;
/// Title excerpt length in a box.
const TITLE_CHARS: usize = 60;

/// What the map draws, built once per version of the scenario.
#[derive(Debug, Clone)]
pub struct MapModel {
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    pub layout: Layout,
    /// Keyboard order: by column, then top to bottom.
    order: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct MapNode {
    pub id: String,
    pub kind: NodeKind,
    /// Client: the first line; ending: its title; branch: empty.
    pub title: String,
    pub outcome: Option<&'static str>,
    pub start: bool,
    /// Whether a session can get here, the conditions honoured (`attune check`'s search).
    pub reachable: bool,
    /// Lint and path-search findings placed in this node, one line each.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct MapEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The reply's total score (0 for branch edges).
    pub total: i32,
    pub best: bool,
    /// Through the layout's bends, in map units.
    pub points: Vec<Pos2>,
    bounds: Rect,
}

impl MapModel {
    /// The map of `playable`, with `findings` (lint warnings) placed at the nodes they are in.
    pub fn of(playable: &Playable, findings: &[Diagnostic]) -> MapModel {
        let map = ScenarioMap::of(playable);
        let start = playable.vertex(playable.start());
        let layout = layout::layered(playable.graph(), &[start], LayoutOptions::default());
        let index: HashMap<&str, usize> = map
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut nodes: Vec<MapNode> = map
            .nodes
            .iter()
            .map(|n| MapNode {
                id: n.id.clone(),
                kind: n.kind,
                title: excerpt(&n.label, TITLE_CHARS),
                outcome: n.outcome,
                start: n.start,
                reachable: n.reachable,
                findings: Vec::new(),
            })
            .collect();
        for (vertex, diagnostic) in findings_by_vertex(playable, findings) {
            let node = &mut nodes[vertex as usize];
            // `attune check`'s path search: no session gets here with the conditions as written.
            if diagnostic.code == Code::NeverReached {
                node.reachable = false;
            }
            node.findings
                .push(format!("{}: {}", diagnostic.code, diagnostic.message));
        }
        let edges = map
            .edges
            .iter()
            .zip(&layout.edges)
            .map(|(e, points)| {
                let points: Vec<Pos2> = points.iter().map(|p| Pos2::new(p.x, p.y)).collect();
                MapEdge {
                    from: index[e.from.as_str()],
                    to: index[e.to.as_str()],
                    kind: e.kind,
                    total: e.total,
                    best: e.best,
                    bounds: Rect::from_points(&points),
                    points,
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| {
            let (ca, cb) = (layout.centres[a], layout.centres[b]);
            ca.x.total_cmp(&cb.x).then(ca.y.total_cmp(&cb.y))
        });
        MapModel {
            nodes,
            edges,
            layout,
            order,
        }
    }

    pub fn vertex_of(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    fn centre(&self, v: usize) -> Pos2 {
        let c = self.layout.centres[v];
        Pos2::new(c.x, c.y)
    }

    fn size(&self) -> Vec2 {
        Vec2::new(
            self.layout.options.node_width,
            self.layout.options.node_height,
        )
    }

    fn finding_count(&self) -> usize {
        self.nodes.iter().map(|n| n.findings.len()).sum()
    }
}

/// Each finding at the node (or ending) whose text it points into: the last one starting
/// before it in the file. Findings about the scenario as a whole are left out.
pub fn findings_by_vertex<'d>(
    playable: &Playable,
    findings: &'d [Diagnostic],
) -> Vec<(Vertex, &'d Diagnostic)> {
    let scenario = playable.scenario();
    let mut starts: Vec<(u32, Vertex)> = scenario
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id().span.start, i as Vertex))
        .chain(
            scenario
                .endings
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.span.start, playable.graph().ending_vertex(i))),
        )
        .collect();
    starts.sort_unstable();
    findings
        .iter()
        .filter_map(|d| {
            let at = d.primary.span.start;
            let slot = starts.partition_point(|&(s, _)| s <= at);
            let (_, vertex) = *starts.get(slot.checked_sub(1)?)?;
            Some((vertex, d))
        })
        .collect()
}

/// Pan and zoom.
#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    /// The map point shown at the middle of the view.
    pub centre: Pos2,
    pub zoom: f32,
    /// Set by the next frame: fit the whole map, or centre a vertex.
    pub pending: Option<Pending>,
    /// Whether the map or one of its nodes had the keyboard last frame.
    pub has_keyboard: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pending {
    Fit,
    /// This vertex in the middle, at least at 60%.
    Centre(usize),
    /// The current node in the middle, at the zoom set.
    CentreCurrent,
}

impl Default for MapView {
    fn default() -> Self {
        MapView {
            centre: Pos2::ZERO,
            zoom: 1.0,
            pending: Some(Pending::Fit),
            has_keyboard: false,
        }
    }
}

/// What to highlight: where the session is and the way it came.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    pub current: Option<usize>,
    pub walked: HashSet<usize>,
    /// `(from, to)` vertex pairs.
    pub walked_edges: HashSet<(usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapAction {
    /// Jump the session to this vertex.
    Jump(usize),
}

/// The Okabe–Ito fills `attune graph` uses for endings, by outcome label.
fn outcome_fill(outcome: Option<&str>) -> Color32 {
    match outcome {
        Some("engaged") => Color32::from_rgb(0x00, 0x9E, 0x73),
        Some("referred") => Color32::from_rgb(0x00, 0x72, 0xB2),
        Some("unresolved") => Color32::from_rgb(0xE6, 0x9F, 0x00),
        Some("disengaged") => Color32::from_rgb(0xD5, 0x5E, 0x00),
        _ => Color32::GRAY,
    }
}

/// Red below zero, grey at zero, green above, stronger with the size of the total.
pub fn score_colour(total: i32) -> Color32 {
    let strength = (total.unsigned_abs() as f32 / 4.0).clamp(0.35, 1.0);
    let grey = Color32::from_gray(140);
    let end = match total.signum() {
        1 => Color32::from_rgb(0x1A, 0x98, 0x50),
        -1 => Color32::from_rgb(0xD7, 0x30, 0x27),
        _ => return grey,
    };
    grey.lerp_to_gamma(end, strength)
}

/// The map: a header with counts and the zoom, then the drawing. Returns the node clicked.
pub fn map_view(
    ui: &mut egui::Ui,
    model: &MapModel,
    highlight: &Highlight,
    view: &mut MapView,
) -> Option<MapAction> {
    let mut action = None;
    let endings = model
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Ending)
        .count();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{} nodes · {} endings · {} lint findings · zoom {:.0}%",
            model.nodes.len() - endings,
            endings,
            model.finding_count(),
            view.zoom * 100.0
        ));
        if ui.small_button("Fit (0)").clicked() {
            view.pending = Some(Pending::Fit);
        }
        if let Some(current) = highlight.current
            && ui.small_button("Current (C)").clicked()
        {
            view.pending = Some(Pending::Centre(current));
        }
    });
    ui.weak(
        "Drag, scroll or arrows to pan; Ctrl+scroll or +/- to zoom; click a node (or Tab to it and press Enter) to jump there.",
    );
    let (rect, canvas) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let size = model.size();
    match view.pending.take() {
        Some(Pending::Fit) => {
            let w = model.layout.width.max(1.0) + size.x;
            let h = model.layout.height.max(1.0) + size.y;
            view.zoom = (rect.width() / w)
                .min(rect.height() / h)
                .clamp(MIN_ZOOM, 1.0);
            view.centre = Pos2::new(model.layout.width / 2.0, model.layout.height / 2.0);
        }
        Some(Pending::Centre(v)) if v < model.nodes.len() => {
            view.zoom = view.zoom.max(0.6);
            view.centre = model.centre(v);
        }
        Some(Pending::CentreCurrent) => {
            let v = highlight
                .current
                .or_else(|| model.nodes.iter().position(|n| n.start));
            if let Some(v) = v.filter(|&v| v < model.nodes.len()) {
                view.centre = model.centre(v);
            }
        }
        _ => {}
    }

    // Pan and zoom by pointer.
    if canvas.dragged() {
        view.centre -= canvas.drag_delta() / view.zoom;
    }
    if canvas.hovered() {
        let (scroll, zoom_by, pointer) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if zoom_by != 1.0 {
            let pointer = pointer.unwrap_or(rect.center());
            let before = view.centre + (pointer - rect.center()) / view.zoom;
            view.zoom = (view.zoom * zoom_by).clamp(MIN_ZOOM, MAX_ZOOM);
            view.centre = before - (pointer - rect.center()) / view.zoom;
        } else if scroll != Vec2::ZERO {
            view.centre -= scroll / view.zoom;
        }
    }

    let to_screen = |p: Pos2| rect.center() + (p - view.centre) * view.zoom;
    let visible_world = Rect::from_center_size(view.centre, rect.size() / view.zoom);
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    // The window behind is the map's background (`extreme_bg_color`), so no second fill here.
    painter.rect_stroke(
        rect,
        4.0,
        visuals.widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );

    // Edges first, under the boxes.
    let zoom = view.zoom;
    let line_width = (1.6 * zoom).clamp(0.6, 3.0);
    let mut number_places: Vec<(Pos2, String, Color32)> = Vec::new();
    for edge in &model.edges {
        if !edge.bounds.expand(size.x).intersects(visible_world) {
            continue;
        }
        let points: Vec<Pos2> = clip_to_boxes(model, edge)
            .into_iter()
            .map(to_screen)
            .collect();
        let colour = match edge.kind {
            EdgeKind::Choice => score_colour(edge.total),
            _ => visuals.weak_text_color(),
        };
        let walked = highlight.walked_edges.contains(&(edge.from, edge.to));
        if walked {
            painter.add(egui::Shape::line(
                points.clone(),
                Stroke::new(line_width * 4.0, visuals.selection.bg_fill),
            ));
        }
        let width = if edge.best {
            line_width * 2.2
        } else {
            line_width
        };
        painter.add(egui::Shape::line(
            points.clone(),
            Stroke::new(width, colour),
        ));
        if let [.., a, b] = points[..] {
            arrow_head(&painter, a, b, (7.0 * zoom).clamp(3.0, 10.0), colour);
        }
        if edge.kind == EdgeKind::Choice && zoom >= 0.45 && points.len() >= 2 {
            let at = points[0] + (points[1] - points[0]) * 0.25;
            let star = if edge.best { "★" } else { "" };
            number_places.push((at, format!("{star}{:+}", edge.total), colour));
        }
    }

    // Boxes, in keyboard order; titles inside when the text is large enough.
    let text_size = TEXT_SIZE * zoom;
    let inside_text = text_size >= SMALLEST_TEXT;
    let mut labels: Vec<(u8, usize)> = Vec::new();
    for &v in &model.order {
        let node = &model.nodes[v];
        let centre = model.centre(v);
        let world = Rect::from_center_size(centre, size);
        if !world.intersects(visible_world) {
            continue;
        }
        let screen = Rect::from_center_size(to_screen(centre), size * zoom);
        let current = highlight.current == Some(v);
        let walked = highlight.walked.contains(&v);
        let response = ui
            .interact(screen, ui.id().with(("map-node", v)), Sense::click())
            .on_hover_ui(|ui| node_tooltip(ui, node));
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::WidgetType::Button, true, current, &node.id)
        });
        if response.clicked() {
            action = Some(MapAction::Jump(v));
        }
        if response.gained_focus() && !rect.contains_rect(screen) {
            view.pending = Some(Pending::Centre(v));
        }
        draw_node(
            &painter,
            &visuals,
            node,
            screen,
            current,
            walked,
            response.has_focus(),
        );
        if inside_text {
            node_text(&painter, &visuals, node, screen, text_size);
        } else {
            let priority = if current {
                0
            } else if node.start || node.kind == NodeKind::Ending {
                1
            } else if walked || !node.findings.is_empty() {
                2
            } else {
                3
            };
            labels.push((priority, v));
        }
    }

    // Zoomed out: ids above the boxes, as many as fit without overlapping, the current node,
    // the start and the endings first.
    let mut taken: Vec<Rect> = Vec::new();
    if !inside_text {
        labels.sort();
        for (_, v) in labels {
            let node = &model.nodes[v];
            let anchor = to_screen(model.centre(v)) - Vec2::new(0.0, size.y * zoom / 2.0 + 2.0);
            let galley = painter.layout_no_wrap(
                node.id.clone(),
                egui::FontId::proportional(LABEL_SIZE),
                visuals.strong_text_color(),
            );
            let place = Rect::from_center_size(
                anchor - Vec2::new(0.0, galley.size().y / 2.0),
                galley.size() + Vec2::splat(4.0),
            );
            if !rect.contains_rect(place) || taken.iter().any(|t| t.intersects(place)) {
                continue;
            }
            // Zoomed out, the id is what can be read, and a bigger target than the box: it
            // jumps too. Not focusable: Tab goes from box to box.
            let label = ui
                .interact(place, ui.id().with(("map-label", v)), Sense::CLICK)
                .on_hover_ui(|ui| node_tooltip(ui, node));
            if label.clicked() {
                action = Some(MapAction::Jump(v));
            }
            painter.rect_filled(place, 2.0, visuals.extreme_bg_color.gamma_multiply(0.85));
            painter.galley(place.min + Vec2::splat(2.0), galley, Color32::PLACEHOLDER);
            taken.push(place);
        }
    }
    // Reply totals, where they do not cover each other.
    for (at, text, colour) in number_places {
        let galley = painter.layout_no_wrap(
            text,
            egui::FontId::proportional((10.5 * zoom).clamp(9.0, 13.0)),
            colour,
        );
        let place = Rect::from_center_size(at, galley.size() + Vec2::splat(2.0));
        if taken.iter().any(|t| t.intersects(place)) {
            continue;
        }
        painter.rect_filled(place, 2.0, visuals.extreme_bg_color);
        painter.galley(place.min + Vec2::splat(1.0), galley, Color32::PLACEHOLDER);
        taken.push(place);
    }

    // Keys, while the map or one of its nodes has the keyboard.
    let focused_here = canvas.has_focus()
        || ui.memory(|m| {
            m.focused()
                .is_some_and(|f| (0..model.nodes.len()).any(|v| ui.id().with(("map-node", v)) == f))
        });
    if canvas.clicked() {
        canvas.request_focus();
    }
    view.has_keyboard = focused_here;
    if focused_here || canvas.hovered() {
        map_keys(ui, model, highlight, view);
    }
    action
}

fn map_keys(ui: &egui::Ui, model: &MapModel, highlight: &Highlight, view: &mut MapView) {
    let step = 80.0 / view.zoom;
    ui.input(|i| {
        let pressed = |k| i.key_pressed(k);
        if pressed(egui::Key::ArrowLeft) {
            view.centre.x -= step;
        }
        if pressed(egui::Key::ArrowRight) {
            view.centre.x += step;
        }
        if pressed(egui::Key::ArrowUp) {
            view.centre.y -= step;
        }
        if pressed(egui::Key::ArrowDown) {
            view.centre.y += step;
        }
        if pressed(egui::Key::Plus) || pressed(egui::Key::Equals) {
            view.zoom = (view.zoom * 1.25).min(MAX_ZOOM);
        }
        if pressed(egui::Key::Minus) {
            view.zoom = (view.zoom / 1.25).max(MIN_ZOOM);
        }
        if pressed(egui::Key::Num0) {
            view.pending = Some(Pending::Fit);
        }
        if pressed(egui::Key::C)
            && let Some(current) = highlight.current.filter(|&c| c < model.nodes.len())
        {
            view.pending = Some(Pending::Centre(current));
        }
    });
}

/// An edge's points, its ends moved from the boxes' centres to their sides.
fn clip_to_boxes(model: &MapModel, edge: &MapEdge) -> Vec<Pos2> {
    let mut points = edge.points.clone();
    let half = model.size() / 2.0;
    let n = points.len();
    if n == 0 {
        return points;
    }
    if n == 1 || (n == 2 && points[0] == points[1]) {
        // A reply that leads back to its own node: a small loop above the box.
        let c = points[0];
        return vec![
            c + Vec2::new(half.x * 0.5, -half.y),
            c + Vec2::new(half.x * 0.5, -half.y - 18.0),
            c + Vec2::new(-half.x * 0.5, -half.y - 18.0),
            c + Vec2::new(-half.x * 0.5, -half.y),
        ];
    }
    let side = |centre: Pos2, towards: Pos2| {
        let d = towards - centre;
        if d.x.abs() < 1e-3 {
            centre + Vec2::new(0.0, half.y.copysign(d.y))
        } else {
            let x = half.x.copysign(d.x);
            let y = (d.y * x / d.x).clamp(-half.y, half.y);
            centre + Vec2::new(x, y)
        }
    };
    points[0] = side(points[0], points[1]);
    points[n - 1] = side(points[n - 1], points[n - 2]);
    points
}

fn arrow_head(painter: &egui::Painter, from: Pos2, to: Pos2, size: f32, colour: Color32) {
    let dir = (to - from).normalized();
    if !dir.x.is_finite() {
        return;
    }
    let back = to - dir * size;
    let side = Vec2::new(-dir.y, dir.x) * size * 0.5;
    painter.add(egui::Shape::convex_polygon(
        vec![to, back + side, back - side],
        colour,
        Stroke::NONE,
    ));
}

fn draw_node(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    node: &MapNode,
    screen: Rect,
    current: bool,
    walked: bool,
    focused: bool,
) {
    let fill = match node.kind {
        NodeKind::Client => visuals.window_fill,
        NodeKind::Branch => visuals.faint_bg_color,
        NodeKind::Ending => outcome_fill(node.outcome).gamma_multiply(0.35),
    };
    let edge_colour = if !node.reachable {
        visuals.weak_text_color()
    } else if node.kind == NodeKind::Ending {
        outcome_fill(node.outcome)
    } else {
        visuals.widgets.inactive.fg_stroke.color
    };
    let mut stroke = Stroke::new(1.0, edge_colour);
    if walked {
        stroke = Stroke::new(2.5, visuals.selection.bg_fill);
    }
    if current {
        // A halo as well as the outline, so the current node is found at any zoom.
        painter.rect_filled(
            screen.expand(6.0),
            8.0,
            visuals.selection.bg_fill.gamma_multiply(0.5),
        );
        stroke = Stroke::new(3.5, visuals.selection.stroke.color);
    }
    if focused {
        painter.rect_stroke(
            screen.expand(4.0),
            6.0,
            Stroke::new(2.0, visuals.strong_text_color()),
            egui::StrokeKind::Outside,
        );
    }
    let c = screen.center();
    let (hw, hh) = (screen.width() / 2.0, screen.height() / 2.0);
    match node.kind {
        NodeKind::Client => {
            painter.rect(
                screen,
                (8.0 * screen.height() / 64.0).min(8.0),
                fill,
                stroke,
                egui::StrokeKind::Inside,
            );
        }
        NodeKind::Branch => {
            let points = vec![
                c - Vec2::new(hw, 0.0),
                c - Vec2::new(0.0, hh),
                c + Vec2::new(hw, 0.0),
                c + Vec2::new(0.0, hh),
            ];
            painter.add(egui::Shape::convex_polygon(points, fill, stroke));
        }
        NodeKind::Ending => {
            let cut = hh * 0.5;
            let points = vec![
                c + Vec2::new(-hw + cut, -hh),
                c + Vec2::new(hw - cut, -hh),
                c + Vec2::new(hw, -hh + cut),
                c + Vec2::new(hw, hh - cut),
                c + Vec2::new(hw - cut, hh),
                c + Vec2::new(-hw + cut, hh),
                c + Vec2::new(-hw, hh - cut),
                c + Vec2::new(-hw, -hh + cut),
            ];
            painter.add(egui::Shape::convex_polygon(points, fill, stroke));
        }
    }
    if !node.reachable {
        painter.line_segment(
            [screen.left_top(), screen.right_bottom()],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
    }
    if !node.findings.is_empty() {
        let r = (screen.height() * 0.16).clamp(3.0, 9.0);
        painter.circle(
            screen.right_top() + Vec2::new(-r, r),
            r,
            Color32::from_rgb(0xE6, 0x9F, 0x00),
            Stroke::new(1.0, Color32::BLACK),
        );
    }
}

/// The id in bold and the title, clipped to the box: titles never spill onto their neighbours.
fn node_text(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    node: &MapNode,
    screen: Rect,
    size: f32,
) {
    let inner = match node.kind {
        NodeKind::Client => screen.shrink(size * 0.5),
        NodeKind::Branch => screen.shrink2(Vec2::new(screen.width() * 0.22, size * 0.3)),
        NodeKind::Ending => screen.shrink2(Vec2::new(screen.height() * 0.3, size * 0.3)),
    };
    let clip = painter.with_clip_rect(inner.intersect(painter.clip_rect()));
    let mut job = egui::text::LayoutJob::default();
    let mark = if node.findings.is_empty() { "" } else { "⚠ " };
    let start = if node.start { "start: " } else { "" };
    job.append(
        &format!("{start}{mark}{}", node.id),
        0.0,
        egui::TextFormat::simple(
            egui::FontId::proportional(size),
            visuals.strong_text_color(),
        ),
    );
    let title = match (node.kind, node.outcome) {
        (NodeKind::Ending, Some(outcome)) => format!("\n{} ({outcome})", node.title),
        (_, _) if node.title.is_empty() => String::new(),
        _ => format!("\n{}", node.title),
    };
    job.append(
        &title,
        0.0,
        egui::TextFormat::simple(egui::FontId::proportional(size * 0.9), visuals.text_color()),
    );
    job.wrap.max_width = inner.width();
    job.wrap.max_rows = 3;
    job.halign = if node.kind == NodeKind::Client {
        egui::Align::LEFT
    } else {
        egui::Align::Center
    };
    let galley = clip.layout_job(job);
    let x = if node.kind == NodeKind::Client {
        inner.left()
    } else {
        inner.center().x
    };
    let top = inner.center().y - galley.size().y / 2.0;
    clip.galley(
        Pos2::new(x, top.max(inner.top())),
        galley,
        Color32::PLACEHOLDER,
    );
}

fn node_tooltip(ui: &mut egui::Ui, node: &MapNode) {
    let kind = match node.kind {
        NodeKind::Client => "client node",
        NodeKind::Branch => "branch",
        NodeKind::Ending => "ending",
    };
    ui.strong(format!("{} ({kind})", node.id));
    if !node.title.is_empty() {
        ui.label(&node.title);
    }
    if !node.reachable {
        ui.label("No session reaches this node with the conditions as written.");
    }
    for finding in &node.findings {
        ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {finding}"));
    }
    ui.weak("Click (or Enter) to jump the session here.");
}

fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    use super::*;
    use crate::app::author::tests::tom;

    struct State {
        model: MapModel,
        highlight: Highlight,
        view: MapView,
        jumped: Option<usize>,
    }

    fn harness(model: MapModel, highlight: Highlight) -> Harness<'static, State> {
        let state = State {
            model,
            highlight,
            view: MapView::default(),
            jumped: None,
        };
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                |ui, state: &mut State| {
                    if let Some(MapAction::Jump(v)) =
                        map_view(ui, &state.model, &state.highlight, &mut state.view)
                    {
                        state.jumped = Some(v);
                    }
                },
                state,
            );
        harness.run();
        harness
    }

    /// Tom's map, fitted, with nothing highlighted.
    fn tom_harness() -> Harness<'static, State> {
        harness(MapModel::of(&tom(), &[]), Highlight::default())
    }

    #[test]
    fn every_node_and_ending_is_drawn_and_counted() {
        let tom = tom();
        let model = MapModel::of(&tom, &[]);
        let vertices = tom.graph().vertex_count();
        let endings = tom.graph().ending_count();
        let harness = harness(model, Highlight::default());
        harness.get_by_label_contains(&format!("{} nodes · {endings} endings", vertices - endings));
        // Fitted: every node is on screen, each one a button named by its id.
        for node in tom.scenario().nodes.iter() {
            harness.get_by_label(node.id().as_str());
        }
        for (_, ending) in tom.endings() {
            harness.get_by_label(ending.id.as_str());
        }
        let buttons = harness
            .query_all_by_role(egui::accesskit::Role::Button)
            .filter(|b| {
                b.accesskit_node().label().is_some_and(|l| {
                    tom.scenario().nodes.iter().any(|n| n.id().as_str() == l)
                        || tom.endings().any(|(_, e)| e.id.as_str() == l)
                })
            })
            .count();
        assert_eq!(buttons, vertices);
    }

    #[test]
    fn the_current_node_is_highlighted_and_only_it() {
        let tom = tom();
        let model = MapModel::of(&tom, &[]);
        let current = model.vertex_of("managing").unwrap();
        let highlight = Highlight {
            current: Some(current),
            ..Highlight::default()
        };
        let harness = harness(model, highlight);
        // egui gives a selected widget AccessKit's "toggled" state.
        let toggled = |id: &str| harness.get_by_label(id).accesskit_node().toggled();
        assert_eq!(toggled("managing"), Some(egui::accesskit::Toggled::True));
        assert_eq!(toggled("opening"), Some(egui::accesskit::Toggled::False));
    }

    #[test]
    fn clicking_a_node_jumps_there() {
        let mut harness = tom_harness();
        let target = harness.state().model.vertex_of("evenings").unwrap();
        harness.get_by_label("evenings").click();
        harness.run();
        assert_eq!(harness.state().jumped, Some(target));
    }

    #[test]
    fn zoomed_out_a_click_on_a_node_id_jumps_there() {
        let mut harness = tom_harness();
        // Fitted, the boxes are slivers and each id is written just above its box.
        let boxed = harness.get_by_label("opening").rect();
        assert!(
            boxed.height() < 20.0,
            "fitted, the boxes are small: {boxed:?}"
        );
        let above = egui::pos2(boxed.center().x, boxed.top() - 9.0);
        harness.hover_at(above);
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos: above,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        harness.run();
        let opening = harness.state().model.vertex_of("opening");
        assert_eq!(harness.state().jumped, opening);
    }

    #[test]
    fn the_keyboard_reaches_a_node_and_jumps_with_enter() {
        let mut harness = tom_harness();
        harness.get_by_label("opening").focus();
        harness.run();
        harness.key_press(egui::Key::Enter);
        harness.run();
        let opening = harness.state().model.vertex_of("opening");
        assert_eq!(harness.state().jumped, opening);
    }

    #[test]
    fn findings_are_placed_at_their_nodes() {
        let tom = tom();
        let node = &tom.scenario().nodes[3];
        let finding = Diagnostic::warning(Code::CodeContradictsScore, "a finding", node.id().span);
        let placed = findings_by_vertex(&tom, std::slice::from_ref(&finding));
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].0, 3);
        assert_eq!(placed[0].1.code, Code::CodeContradictsScore);
        let never = Diagnostic::warning(Code::NeverReached, "never reached", node.id().span);
        let model = MapModel::of(&tom, &[finding, never]);
        assert_eq!(model.finding_count(), 2);
        assert_eq!(model.nodes[3].findings.len(), 2);
        assert!(!model.nodes[3].reachable, "marked unreachable");
        assert!(model.nodes[2].reachable && model.nodes[4].reachable);
    }
}
