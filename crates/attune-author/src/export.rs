//! The scenario as a picture: Graphviz DOT, Mermaid, or JSON for other tools.
//!
//! Everything is read from [`Playable::graph`], the one place the scenario's edges are built:
//! [`ScenarioMap::of`] turns its vertices and edges into a view-neutral map (ids, kinds, labels,
//! scores, the best reply at each node, reachability), and each writer only draws that map.
//!
//! What the pictures show (the legend says the same):
//! - client nodes are rounded boxes, branches diamonds, endings double octagons (Mermaid:
//!   stadiums) filled by outcome in the Okabe–Ito palette, which stays distinct for the common
//!   kinds of colour blindness: engaged bluish green, referred blue, unresolved amber,
//!   disengaged vermilion; the outcome is written in the box as well;
//! - a reply's edge is coloured by its total score on a diverging scale (red below zero, grey at
//!   zero, green above) and the total is written in its label, so nothing is told by colour
//!   alone; the best reply at each node (as the debrief picks it) is bold and starred ★;
//! - a branch's edges carry their rule's condition, or "otherwise";
//! - anything the start cannot reach is dashed and grey.
//!
//! The JSON (`format: 1`) is documented in `docs/graph-export.md`; fields are only ever added.

use attune_core::Playable;
use attune_core::debrief::wrap;
use attune_core::graph::{Vertex, Via};
use attune_core::model::{Node, Outcome};
use attune_core::playable::{ChoiceIx, Target};
use attune_core::scoring::best_offered;
use attune_core::skills::{SCORE_MAX, Skill};
use serde::Serialize;

/// The JSON layout's version; bumped only if a field changes meaning or goes away.
pub const JSON_FORMAT: u32 = 1;

/// Longest reply excerpt on an edge, in characters (before the "…").
const EXCERPT_CHARS: usize = 30;
/// Longest client line excerpt in a node's box.
const LINE_EXCERPT_CHARS: usize = 44;
/// Width of a wrapped label line, in characters.
const LABEL_WIDTH: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Dot,
    Mermaid,
    Json,
}

/// The scenario drawn in `format`.
pub fn render(playable: &Playable, format: Format) -> String {
    let map = ScenarioMap::of(playable);
    match format {
        Format::Dot => map.to_dot(),
        Format::Mermaid => map.to_mermaid(),
        Format::Json => map.to_json(),
    }
}

/// Everything a picture of the scenario shows, in graph order: nodes in document order, then
/// the endings; each vertex's edges in authored order.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioMap {
    pub format: u32,
    pub scenario: String,
    pub title: String,
    /// The id of the node the session opens with.
    pub start: String,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Client,
    Branch,
    Ending,
}

#[derive(Debug, Clone, Serialize)]
pub struct MapNode {
    /// The id as authored (endings share the namespace with nodes, so ids are unique).
    pub id: String,
    pub kind: NodeKind,
    /// Client: an excerpt of the first wording. Branch: empty. Ending: its title.
    pub label: String,
    /// Client nodes only: the portrait's expression.
    pub emotion: Option<&'static str>,
    /// Endings only.
    pub outcome: Option<&'static str>,
    pub start: bool,
    /// Whether any path from the start gets here.
    pub reachable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A reply the trainee picks.
    Choice,
    /// A branch rule.
    Rule,
    /// A branch's `otherwise`.
    Otherwise,
}

#[derive(Debug, Clone, Serialize)]
pub struct MapEdge {
    /// Node ids.
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// Choices only: the choice id (authored, or `<node id>.<position>`).
    pub choice: Option<String>,
    /// Rules only: the rule's position in its branch, from 1 (the first that holds wins).
    pub rule: Option<u16>,
    /// The reply (choices), the condition (rules) or `otherwise`, in full.
    pub text: String,
    /// As drawn: a reply cut to about 30 characters at a word boundary, `1. if <condition>`,
    /// or `otherwise`.
    pub label: String,
    /// The condition: a choice's `when` (offered only if it holds) or a rule's.
    pub when: Option<String>,
    /// Choices only: per-skill scores, keyed as authors write them.
    pub scores: Option<Scores>,
    /// The sum of `scores` (0 for branch edges).
    pub total: i32,
    /// The best reply at its node: highest total, then Carkhuff level, then first authored.
    pub best: bool,
    /// Whether its node is reachable from the start.
    pub reachable: bool,
    /// Vertex indices of `from`/`to` into `nodes`, for the writers.
    #[serde(skip)]
    from_vertex: usize,
    #[serde(skip)]
    to_vertex: usize,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scores {
    pub validating: i32,
    pub avoiding_assumptions: i32,
    pub reflecting: i32,
}

impl Scores {
    fn from_values(values: [i32; Skill::ALL.len()]) -> Scores {
        let of = |skill: Skill| values[skill.index()];
        Scores {
            validating: of(Skill::Validating),
            avoiding_assumptions: of(Skill::AvoidingAssumptions),
            reflecting: of(Skill::Reflecting),
        }
    }
}

impl ScenarioMap {
    pub fn of(playable: &Playable) -> ScenarioMap {
        let scenario = playable.scenario();
        let graph = playable.graph();
        let start = playable.vertex(playable.start());
        // A Playable has nothing unreachable (check rejects it), but the map is drawn from
        // the graph alone so that it never claims more than the graph says.
        let reachable = graph.reachable_from([start]);
        let id_of = |v: Vertex| vertex_id(playable, v).to_owned();

        let nodes = (0..graph.vertex_count() as Vertex)
            .map(|v| {
                let (kind, label, emotion, outcome) = match playable.target_at(v) {
                    Some(Target::Client(c)) => {
                        let node = playable.client(c);
                        let first = node.says.first().map_or("", |s| s.as_str());
                        (
                            NodeKind::Client,
                            excerpt(first, LINE_EXCERPT_CHARS),
                            Some(node.emotion.label()),
                            None,
                        )
                    }
                    Some(Target::Branch(_)) => (NodeKind::Branch, String::new(), None, None),
                    Some(Target::Ending(e)) => {
                        let ending = playable.ending(e);
                        (
                            NodeKind::Ending,
                            one_line(&ending.title),
                            None,
                            Some(ending.outcome.label()),
                        )
                    }
                    None => not_a_vertex(v),
                };
                MapNode {
                    id: id_of(v),
                    kind,
                    label,
                    emotion,
                    outcome,
                    start: v == start,
                    reachable: reachable[v as usize],
                }
            })
            .collect();

        let mut edges = Vec::with_capacity(graph.edge_count());
        for v in 0..graph.vertex_count() as Vertex {
            let best = match playable.target_at(v) {
                Some(Target::Client(c)) => {
                    let all: Vec<ChoiceIx> = playable.choices(c).map(|(ix, _, _)| ix).collect();
                    best_offered(playable, c, &all)
                }
                _ => None,
            };
            for edge in graph.edges(v) {
                let mut rule = None;
                let (kind, choice, text, when, is_best) = match (playable.target_at(v), edge.via) {
                    (Some(Target::Client(c)), Via::Choice(i)) => {
                        let (ix, choice, links) = playable
                            .choices(c)
                            .nth(i as usize)
                            .expect("the graph's choice edges index their node's choices");
                        (
                            EdgeKind::Choice,
                            Some(links.id.to_string()),
                            one_line(&choice.reply),
                            choice.when.as_ref().map(|w| one_line(w)),
                            best == Some(ix),
                        )
                    }
                    (_, Via::Rule(i)) => {
                        let condition = match &scenario.nodes[v as usize] {
                            Node::Branch(branch) => one_line(&branch.rules[i as usize].when),
                            Node::Client(_) => not_a_vertex(v),
                        };
                        rule = Some(i + 1);
                        (
                            EdgeKind::Rule,
                            None,
                            condition.clone(),
                            Some(condition),
                            false,
                        )
                    }
                    (_, Via::Otherwise) => (
                        EdgeKind::Otherwise,
                        None,
                        "otherwise".to_owned(),
                        None,
                        false,
                    ),
                    (_, Via::Choice(_)) => not_a_vertex(v),
                };
                let values = playable.edge_scores(v, edge.via);
                let scores = (kind == EdgeKind::Choice).then(|| Scores::from_values(values));
                let label = match kind {
                    // A condition cut short would say something else, so it is drawn whole,
                    // numbered because the first rule that holds wins.
                    EdgeKind::Rule => format!("{}. if {text}", rule.unwrap_or_default()),
                    _ => excerpt(&text, EXCERPT_CHARS),
                };
                edges.push(MapEdge {
                    from: id_of(v),
                    to: id_of(edge.to),
                    kind,
                    choice,
                    rule,
                    text,
                    label,
                    when,
                    total: values.iter().sum(),
                    scores,
                    best: is_best,
                    reachable: reachable[v as usize],
                    from_vertex: v as usize,
                    to_vertex: edge.to as usize,
                });
            }
        }

        ScenarioMap {
            format: JSON_FORMAT,
            scenario: scenario.id.value.to_string(),
            title: one_line(&scenario.title),
            start: id_of(start),
            nodes,
            edges,
        }
    }

    /// Pretty JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut json =
            serde_json::to_string_pretty(self).expect("the map holds only strings and numbers");
        json.push('\n');
        json
    }

    /// Graphviz DOT: `dot -Tsvg map.dot -o map.svg`.
    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        let taken: Vec<&str> = self.nodes.iter().map(|n| n.id.as_str()).collect();
        let legend_id = |name: &str| fresh_id(&format!("legend: {name}"), &taken);
        let start_marker = fresh_id("start", &taken);

        // The scenario id is plain (checked), so it is safe in a comment; the title is not.
        out.push_str(&format!(
            "// {}: drawn by `attune graph`; render with `dot -Tsvg FILE -o FILE.svg`\n",
            self.scenario
        ));
        out.push_str("digraph scenario {\n");
        out.push_str(&format!(
            "  graph [rankdir=LR, charset=\"UTF-8\", fontname=\"{FONT}\", fontsize=12, nodesep=0.25, ranksep=0.6, label={}, labelloc=t];\n",
            dot_string(&self.title)
        ));
        out.push_str(&format!(
            "  node [fontname=\"{FONT}\", fontsize=11, margin=\"0.12,0.06\"];\n"
        ));
        out.push_str(&format!(
            "  edge [fontname=\"{FONT}\", fontsize=9, arrowsize=0.7];\n\n"
        ));

        out.push_str(&format!(
            "  {} [shape=circle, style=filled, fillcolor=black, label=\"\", width=0.15, tooltip=\"start\"];\n",
            dot_string(&start_marker)
        ));
        for node in &self.nodes {
            out.push_str(&format!(
                "  {} [{}];\n",
                dot_string(&node.id),
                dot_node_attributes(node)
            ));
        }
        out.push('\n');
        if let Some(start) = self.nodes.iter().find(|n| n.start) {
            out.push_str(&format!(
                "  {} -> {};\n",
                dot_string(&start_marker),
                dot_string(&start.id)
            ));
        }
        for edge in &self.edges {
            out.push_str(&format!(
                "  {} -> {} [{}];\n",
                dot_string(&self.nodes[edge.from_vertex].id),
                dot_string(&self.nodes[edge.to_vertex].id),
                dot_edge_attributes(edge)
            ));
        }

        // The legend, as one row: a sample of each shape and outcome, then the edge colours.
        out.push_str("\n  subgraph cluster_legend {\n");
        out.push_str(
            "    graph [label=\"Legend\", style=\"rounded,dashed\", color=grey60, fontsize=11];\n",
        );
        out.push_str("    node [fontsize=9, width=0, height=0];\n");
        let mut samples = vec![
            (
                legend_id("client"),
                "shape=box, style=rounded, label=\"client speaks\\n(trainee replies)\"".to_owned(),
            ),
            (
                legend_id("branch"),
                "shape=diamond, label=\"branch\"".to_owned(),
            ),
        ];
        for outcome in OUTCOMES {
            let (fill, font) = outcome_colours(outcome);
            samples.push((
                legend_id(outcome.label()),
                format!(
                    "shape=doubleoctagon, style=filled, fillcolor=\"{fill}\", fontcolor=\"{font}\", label=\"ending:\\n{}\"",
                    outcome.label()
                ),
            ));
        }
        if self.nodes.iter().any(|n| !n.reachable) {
            samples.push((
                legend_id("unreachable"),
                format!("shape=box, style=\"rounded,dashed\", color=\"{UNREACHABLE}\", fontcolor=\"{UNREACHABLE}\", label=\"unreachable\\nfrom the start\""),
            ));
        }
        samples.push((
            legend_id("reply totals"),
            format!("shape=plaintext, label=<{}>", dot_scale_table()),
        ));
        for (id, attributes) in &samples {
            out.push_str(&format!("    {} [{attributes}];\n", dot_string(id)));
        }
        // A chain of invisible edges puts each sample one rank further right: a row, short
        // beside a graph that runs left to right (a column would be as tall as the legend).
        let ids: Vec<String> = samples.iter().map(|(id, _)| dot_string(id)).collect();
        out.push_str(&format!("    {} [style=invis];\n", ids.join(" -> ")));
        out.push_str("  }\n");
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart, for Markdown that renders it (GitHub, GitLab, mermaid-cli).
    pub fn to_mermaid(&self) -> String {
        let mut out = String::new();
        // Mermaid ids must be plain identifiers, so nodes are n0, n1, … in graph order.
        let mid = |vertex: usize| format!("n{vertex}");
        out.push_str("flowchart LR\n");
        // The scenario id is plain (checked); a title could start a `%%{…}%%` directive.
        out.push_str(&format!(
            "  %% {}: drawn by `attune graph`\n",
            self.scenario
        ));
        out.push_str("  entry((\" \"))\n");
        for (v, node) in self.nodes.iter().enumerate() {
            let label = mermaid_label(&node_lines(node));
            let shape = match node.kind {
                NodeKind::Client => format!("(\"{label}\")"),
                NodeKind::Branch => format!("{{\"{label}\"}}"),
                NodeKind::Ending => format!("([\"{label}\"])"),
            };
            out.push_str(&format!("  {}{shape}\n", mid(v)));
        }

        // linkStyle addresses edges by the order they are written.
        let mut styles = Vec::new();
        let mut link = 0usize;
        if let Some(v) = self.nodes.iter().position(|n| n.start) {
            out.push_str(&format!("  entry --> {}\n", mid(v)));
            link += 1;
        }
        for edge in &self.edges {
            let arrow = if !edge.reachable {
                "-.->"
            } else if edge.best {
                "==>"
            } else {
                "-->"
            };
            out.push_str(&format!(
                "  {} {arrow}|\"{}\"| {}\n",
                mid(edge.from_vertex),
                mermaid_label(&edge_lines(edge)),
                mid(edge.to_vertex)
            ));
            let colour = edge_colour(edge);
            let width = if edge.best { "3px" } else { "1.5px" };
            styles.push(format!(
                "  linkStyle {link} stroke:{colour},stroke-width:{width},color:{colour}\n"
            ));
            link += 1;
        }

        out.push_str("  subgraph legend[\"Legend\"]\n    direction TB\n");
        out.push_str("    legend_client(\"client speaks<br/>(trainee replies)\")\n");
        out.push_str("    legend_branch{\"branch\"}\n");
        for outcome in OUTCOMES {
            out.push_str(&format!(
                "    legend_{0}([\"ending: {0}\"])\n",
                outcome.label()
            ));
        }
        for (i, (low, high)) in score_steps().into_iter().enumerate() {
            out.push_str(&format!(
                "    legend_scale{i}[\"reply total {}\"]\n",
                step_words(low, high)
            ));
            styles.push(format!(
                "  style legend_scale{i} stroke:{c},color:{c},stroke-width:2px\n",
                c = score_colour(low)
            ));
        }
        out.push_str("    legend_best[\"★ best reply at its node: thick arrow\"]\n");
        styles.push(format!(
            "  style legend_best stroke:{c},color:{c},stroke-width:3px\n",
            c = score_colour(MAX_TOTAL)
        ));
        if self.nodes.iter().any(|n| !n.reachable) {
            out.push_str("    legend_unreachable(\"unreachable from the start\")\n");
            styles.push("  class legend_unreachable unreachable\n".to_owned());
        }
        out.push_str("  end\n");

        for outcome in OUTCOMES {
            let (fill, font) = outcome_colours(outcome);
            out.push_str(&format!(
                "  classDef {} fill:{fill},color:{font},stroke:#333\n",
                outcome.label()
            ));
        }
        out.push_str(&format!(
            "  classDef unreachable stroke:{UNREACHABLE},color:{UNREACHABLE},stroke-dasharray:4 3\n"
        ));
        for (v, node) in self.nodes.iter().enumerate() {
            if !node.reachable {
                out.push_str(&format!("  class {} unreachable\n", mid(v)));
            } else if let Some(outcome) = node.outcome {
                out.push_str(&format!("  class {} {outcome}\n", mid(v)));
            }
        }
        for outcome in OUTCOMES {
            out.push_str(&format!("  class legend_{0} {0}\n", outcome.label()));
        }
        for style in styles {
            out.push_str(&style);
        }
        out
    }
}

/// A font with ★, curly quotes and accented letters; Graphviz falls back to its default if
/// missing.
const FONT: &str = "DejaVu Sans";
const UNREACHABLE: &str = "#999999";
/// Branch edges carry no score, so they stay a neutral dark grey.
const RULE: &str = "#444444";
const PEN: &str = "1.2";
const BEST_PEN: &str = "3";
/// The largest possible reply total, for the colour scale.
const MAX_TOTAL: i32 = SCORE_MAX * Skill::ALL.len() as i32;
const OUTCOMES: [Outcome; 4] = [
    Outcome::Engaged,
    Outcome::Referred,
    Outcome::Unresolved,
    Outcome::Disengaged,
];

/// Fill and text colour of an ending: the Okabe–Ito palette, distinct for colour-blind readers.
fn outcome_colours(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Engaged => ("#009E73", "#000000"),
        Outcome::Referred => ("#0072B2", "#FFFFFF"),
        Outcome::Unresolved => ("#E69F00", "#000000"),
        Outcome::Disengaged => ("#D55E00", "#000000"),
    }
}

/// A diverging scale for a reply's total: dark red, red, grey, green, dark green (ColorBrewer
/// RdBu's reds and PRGn's greens, dark enough to read as text on white).
fn score_colour(total: i32) -> &'static str {
    let half = MAX_TOTAL / 2;
    match total {
        t if t < -half => "#B2182B",
        t if t < 0 => "#D6604D",
        0 => "#707070",
        t if t <= half => "#4D9A52",
        _ => "#1B7837",
    }
}

/// The colour scale's steps as (lowest, highest total), best first.
fn score_steps() -> [(i32, i32); 5] {
    let half = MAX_TOTAL / 2;
    [
        (half + 1, MAX_TOTAL),
        (1, half),
        (0, 0),
        (-half, -1),
        (-MAX_TOTAL, -half - 1),
    ]
}

fn step_words(low: i32, high: i32) -> String {
    if low == high {
        signed(low)
    } else if low > 0 {
        format!("{} to {}", signed(low), signed(high))
    } else {
        format!("{} to {}", signed(high), signed(low))
    }
}

/// The legend's key to edge colours and marks, as a Graphviz HTML-like table (fixed text only,
/// so nothing in it needs escaping).
fn dot_scale_table() -> String {
    let mut rows = vec![
        "<TR><TD ALIGN=\"LEFT\"><B>reply total</B> (sum of the skill scores)</TD></TR>".to_owned(),
    ];
    for (low, high) in score_steps() {
        rows.push(format!(
            "<TR><TD ALIGN=\"LEFT\"><FONT COLOR=\"{}\">━━━ {}</FONT></TD></TR>",
            score_colour(low),
            step_words(low, high)
        ));
    }
    rows.push(format!(
        "<TR><TD ALIGN=\"LEFT\"><FONT COLOR=\"{}\">━━━ ★ best reply at its node (thick)</FONT></TD></TR>",
        score_colour(MAX_TOTAL)
    ));
    rows.push(format!(
        "<TR><TD ALIGN=\"LEFT\"><FONT COLOR=\"{RULE}\">━━━ branch rule: if …, otherwise</FONT></TD></TR>"
    ));
    format!(
        "<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">{}</TABLE>",
        rows.concat()
    )
}

fn edge_colour(edge: &MapEdge) -> &'static str {
    match edge.kind {
        _ if !edge.reachable => UNREACHABLE,
        EdgeKind::Choice => score_colour(edge.total),
        EdgeKind::Rule | EdgeKind::Otherwise => RULE,
    }
}

fn signed(total: i32) -> String {
    if total > 0 {
        format!("+{total}")
    } else {
        total.to_string()
    }
}

/// The lines a node's box shows.
fn node_lines(node: &MapNode) -> Vec<String> {
    let mut lines = vec![node.id.clone()];
    match node.kind {
        NodeKind::Client => {
            if let Some(emotion) = node.emotion {
                lines.push(format!("({emotion})"));
            }
            lines.extend(wrapped(&format!("“{}”", node.label), LABEL_WIDTH + 6));
        }
        NodeKind::Branch => {}
        NodeKind::Ending => {
            lines.extend(wrapped(&node.label, LABEL_WIDTH + 6));
            if let Some(outcome) = node.outcome {
                lines.push(format!("[{outcome}]"));
            }
        }
    }
    lines
}

/// The lines an edge's label shows.
fn edge_lines(edge: &MapEdge) -> Vec<String> {
    match edge.kind {
        EdgeKind::Choice => {
            let head = if edge.best {
                format!("★ {}", signed(edge.total))
            } else {
                signed(edge.total)
            };
            let mut lines = vec![head];
            lines.extend(wrapped(&edge.label, LABEL_WIDTH));
            if let Some(when) = &edge.when {
                lines.extend(wrapped(&format!("if {when}"), LABEL_WIDTH));
            }
            lines
        }
        EdgeKind::Rule | EdgeKind::Otherwise => wrapped(&edge.label, LABEL_WIDTH),
    }
}

fn dot_node_attributes(node: &MapNode) -> String {
    let label = dot_lines(&node_lines(node));
    let mut attributes = match node.kind {
        NodeKind::Client => format!("shape=box, style=\"rounded{}\"", dashed(node.reachable)),
        NodeKind::Branch => format!(
            "shape=diamond, style=\"filled{}\", fillcolor=\"#F2F2F2\"",
            dashed(node.reachable)
        ),
        NodeKind::Ending => {
            let outcome = OUTCOMES
                .into_iter()
                .find(|o| Some(o.label()) == node.outcome)
                .unwrap_or(Outcome::Unresolved);
            let (fill, font) = if node.reachable {
                outcome_colours(outcome)
            } else {
                ("#F2F2F2", UNREACHABLE)
            };
            format!(
                "shape=doubleoctagon, style=\"filled{}\", fillcolor=\"{fill}\", fontcolor=\"{font}\"",
                dashed(node.reachable)
            )
        }
    };
    if node.start {
        attributes.push_str(", penwidth=2");
    }
    if !node.reachable {
        attributes.push_str(&format!(
            ", color=\"{UNREACHABLE}\", fontcolor=\"{UNREACHABLE}\""
        ));
    }
    format!("{attributes}, label={label}")
}

fn dot_edge_attributes(edge: &MapEdge) -> String {
    let colour = edge_colour(edge);
    let mut attributes = format!(
        "color=\"{colour}\", fontcolor=\"{colour}\", label={}",
        dot_lines(&edge_lines(edge))
    );
    if edge.best {
        attributes.push_str(&format!(", penwidth={BEST_PEN}, style=bold"));
    } else {
        attributes.push_str(&format!(", penwidth={PEN}"));
    }
    if !edge.reachable {
        attributes.push_str(", style=dashed");
    }
    if let Some(choice) = &edge.choice {
        attributes.push_str(&format!(", tooltip={}", dot_string(choice)));
    }
    attributes
}

fn dashed(reachable: bool) -> &'static str {
    if reachable { "" } else { ",dashed" }
}

/// A DOT quoted string. Inside quotes only `"` and `\` are special to the parser; Graphviz
/// then reads `\n`, `\l`, `\N`… in labels as escapes, so every backslash is doubled. Line
/// breaks and other control characters become spaces (callers break lines with [`dot_lines`]).
/// `<>{}|` are literal in quoted non-record labels, and UTF-8 passes through (`charset`).
pub fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lines as one DOT label, each line centred.
fn dot_lines(lines: &[String]) -> String {
    let escaped: Vec<String> = lines
        .iter()
        .map(|line| {
            let quoted = dot_string(line);
            quoted[1..quoted.len() - 1].to_owned()
        })
        .collect();
    format!("\"{}\"", escaped.join("\\n"))
}

/// Text for inside a Mermaid `"…"` label. Mermaid reads `#name;` and `#123;` as entities and
/// passes labels to HTML, so `#`, `"`, `<`, `>` and `&` are written as entities, and so are
/// `{`, `}` and `|`, which end a shape or an edge label outside quotes, `` ` ``, which starts
/// Markdown, and `\`; `#` first, so no entity is escaped twice. Brackets are plain text inside
/// quotes. Line breaks and control characters become spaces.
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            // Mermaid reads no escapes in quotes today; an entity keeps it literal if it ever does.
            '\\' => out.push_str("#92;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Lines as one Mermaid label (without its quotes), broken with `<br/>`.
fn mermaid_label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| mermaid_text(line))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// An id for a drawing-only node (the legend, the start marker) that no authored id uses.
fn fresh_id(base: &str, taken: &[&str]) -> String {
    let mut id = base.to_owned();
    while taken.contains(&id.as_str()) {
        id.push('\'');
    }
    id
}

/// The authored id of a vertex.
pub fn vertex_id(playable: &Playable, v: Vertex) -> &str {
    let scenario = playable.scenario();
    match playable.target_at(v) {
        Some(Target::Ending(e)) => playable.ending(e).id.as_str(),
        Some(_) => scenario.nodes[v as usize].id().as_str(),
        None => not_a_vertex(v),
    }
}

/// The graph's vertices are exactly the Playable's nodes and endings; anything else is a bug
/// in the core, not something an author can cause.
fn not_a_vertex(v: Vertex) -> ! {
    panic!("vertex {v} is not a node or ending of its Playable")
}

/// Whitespace (line breaks included) collapsed to single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` on one line, cut at a word boundary to at most `max` characters plus "…".
pub fn excerpt(text: &str, max: usize) -> String {
    let text = one_line(text);
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let kept = match cut.rfind(' ') {
        // Keep at least half, or a long first word is all that is left.
        Some(space) if cut[..space].chars().count() >= max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        kept.trim_end_matches([' ', ',', ';', ':', '.', '-', '—', '–'])
    )
}

fn wrapped(text: &str, width: usize) -> Vec<String> {
    wrap(text, width, "").lines().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::tom;

    #[test]
    fn the_map_has_every_vertex_and_edge_of_the_graph() {
        let tom = tom();
        let map = ScenarioMap::of(&tom);
        assert_eq!(map.nodes.len(), tom.graph().vertex_count());
        assert_eq!(map.edges.len(), tom.graph().edge_count());
        assert_eq!(map.start, "opening");
        let endings = map.nodes.iter().filter(|n| n.kind == NodeKind::Ending);
        assert!(endings.clone().all(|n| n.outcome.is_some()));
        assert_eq!(endings.count(), tom.endings().len());
    }

    #[test]
    fn each_client_node_has_one_best_reply_the_one_the_debrief_names() {
        let tom = tom();
        let map = ScenarioMap::of(&tom);
        for c in tom.clients() {
            let id = tom.client(c).id.as_str();
            let all: Vec<ChoiceIx> = tom.choices(c).map(|(ix, _, _)| ix).collect();
            let best = best_offered(&tom, c, &all).unwrap();
            let best_id = tom.choice_links(c, best).id.as_str();
            let starred: Vec<&str> = map
                .edges
                .iter()
                .filter(|e| e.from == id && e.best)
                .filter_map(|e| e.choice.as_deref())
                .collect();
            assert_eq!(starred, [best_id], "at {id}");
        }
        assert!(
            map.edges
                .iter()
                .filter(|e| e.kind != EdgeKind::Choice)
                .all(|e| !e.best)
        );
    }

    #[test]
    fn branch_edges_are_numbered_rules_then_otherwise() {
        let map = ScenarioMap::of(&tom());
        let labels: Vec<&str> = map
            .edges
            .iter()
            .filter(|e| e.from == "how-it-ends")
            .map(|e| e.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "1. if trust <= 2",
                "2. if relief_named and trust >= 7 and risk_asked",
                "3. if relief_named and trust >= 7",
                "4. if referral_offered and risk_asked and trust >= 4",
                "5. if felt_dismissed and trust <= 4",
                "otherwise"
            ]
        );
    }

    #[test]
    fn unreachable_parts_are_dashed_grey_and_in_the_legend() {
        let mut map = ScenarioMap::of(&tom());
        assert!(
            map.nodes.iter().all(|n| n.reachable),
            "check rejects unreachable nodes"
        );
        let dot = map.to_dot();
        let drawn = |dot: &str| -> Vec<String> {
            // Lines of the scenario itself, not the legend (whose frame is dashed).
            dot.lines()
                .filter(|l| !l.to_lowercase().contains("legend"))
                .map(str::to_owned)
                .collect()
        };
        assert!(
            drawn(&dot).iter().all(|l| !l.contains("dashed")),
            "nothing dashed yet:\n{dot}"
        );
        assert!(!dot.contains("unreachable"));

        // What the graph alone would say of a node nothing leads to.
        let v = map.nodes.iter().position(|n| n.id == "sarah").unwrap();
        map.nodes[v].reachable = false;
        for edge in map.edges.iter_mut().filter(|e| e.from == "sarah") {
            edge.reachable = false;
        }
        let dot = map.to_dot();
        let sarah = dot
            .lines()
            .find(|l| l.trim_start().starts_with("\"sarah\" ["))
            .unwrap();
        assert!(
            sarah.contains("rounded,dashed") && sarah.contains(UNREACHABLE),
            "{sarah}"
        );
        let from_sarah: Vec<&str> = dot
            .lines()
            .filter(|l| l.trim_start().starts_with("\"sarah\" ->"))
            .collect();
        assert!(!from_sarah.is_empty());
        assert!(
            from_sarah.iter().all(|l| l.contains("style=dashed")),
            "{from_sarah:?}"
        );
        assert!(dot.contains("unreachable\\nfrom the start"));

        let mermaid = map.to_mermaid();
        assert!(
            mermaid.contains(&format!("  class n{v} unreachable\n")),
            "{mermaid}"
        );
        assert!(mermaid.contains(&format!("  n{v} -.->")), "{mermaid}");
        assert!(mermaid.contains("legend_unreachable"));
    }

    #[test]
    fn json_is_stable_and_complete() {
        let tom = tom();
        let json: serde_json::Value = serde_json::from_str(&render(&tom, Format::Json)).unwrap();
        assert_eq!(json["format"], JSON_FORMAT);
        let edge = &json["edges"][0];
        for key in [
            "from",
            "to",
            "kind",
            "choice",
            "rule",
            "text",
            "label",
            "when",
            "scores",
            "total",
            "best",
            "reachable",
        ] {
            assert!(edge.get(key).is_some(), "edges have `{key}`: {edge}");
        }
        assert_eq!(edge["kind"], "choice");
        let scores = &edge["scores"];
        let sum: i64 = Skill::ALL
            .iter()
            .map(|s| scores[s.key()].as_i64().unwrap())
            .sum();
        assert_eq!(edge["total"].as_i64(), Some(sum));
        let node = &json["nodes"][0];
        for key in [
            "id",
            "kind",
            "label",
            "emotion",
            "outcome",
            "start",
            "reachable",
        ] {
            assert!(node.get(key).is_some(), "nodes have `{key}`: {node}");
        }
    }

    #[test]
    fn dot_strings_escape_quotes_and_backslashes_and_drop_line_breaks() {
        assert_eq!(dot_string(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(dot_string(r"C:\new\N"), r#""C:\\new\\N""#);
        assert_eq!(dot_string("two\nlines\r\tand"), "\"two lines  and\"");
        // Record and HTML syntax is literal inside quotes; UTF-8 passes through.
        assert_eq!(
            dot_string("<b>{x|y}</b> “José” — ★"),
            "\"<b>{x|y}</b> “José” — ★\""
        );
    }

    #[test]
    fn a_dot_string_never_ends_early() {
        for hostile in [r#"\"#, r#"\""#, r#"a\\"b"#, "\"\"\"", "end\\"] {
            let quoted = dot_string(hostile);
            let inner = &quoted[1..quoted.len() - 1];
            // Every quote inside is preceded by an odd number of backslashes.
            let bytes = inner.as_bytes();
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'"' {
                    let slashes = bytes[..i].iter().rev().take_while(|&&c| c == b'\\').count();
                    assert_eq!(slashes % 2, 1, "{hostile:?} -> {quoted}");
                }
            }
            let trailing = inner.bytes().rev().take_while(|&c| c == b'\\').count();
            assert_eq!(trailing % 2, 0, "{hostile:?} -> {quoted}");
        }
    }

    #[test]
    fn mermaid_text_has_no_quote_bracket_or_markup_left() {
        let hostile = r#"He said "no" <br> {x} [y] (z) a|b `code` #quot; & C:\ “José” — ★"#;
        let text = mermaid_text(hostile);
        for c in ['"', '<', '>', '{', '}', '|', '`'] {
            assert!(!text.contains(c), "{c:?} left in {text}");
        }
        // `#` is escaped first, so an authored entity stays literal text.
        assert!(text.contains("#35;quot;"), "{text}");
        assert!(text.contains("#quot;no#quot;"), "{text}");
        assert!(text.contains("“José” — ★"), "{text}");
        assert!(text.contains("C:#92;"), "{text}");
        assert_eq!(mermaid_text("a\nb"), "a b");
    }

    #[test]
    fn excerpts_cut_at_a_word_and_say_so() {
        assert_eq!(excerpt("Short reply.", 30), "Short reply.");
        assert_eq!(
            excerpt("This was Sarah's idea, not yours, and I get the sense", 30),
            "This was Sarah's idea, not…"
        );
        assert_eq!(
            excerpt("Supercalifragilisticexpialidocious", 10),
            "Supercalif…"
        );
        assert_eq!(excerpt("  spread\n over   lines ", 30), "spread over lines");
        // Characters, not bytes: accented letters and dashes never split.
        assert_eq!(excerpt("ééééé ééééé ééééé", 12), "ééééé ééééé…");
    }

    #[test]
    fn drawing_ids_never_take_an_authored_id() {
        let taken = ["start", "start'", "legend: client"];
        assert_eq!(fresh_id("start", &taken), "start''");
        assert_eq!(fresh_id("legend: client", &taken), "legend: client'");
        assert_eq!(fresh_id("legend: branch", &taken), "legend: branch");
    }

    #[test]
    fn the_colour_scale_diverges_around_zero() {
        assert_eq!(score_colour(0), "#707070");
        assert_ne!(score_colour(-1), score_colour(1));
        assert_eq!(score_colour(-MAX_TOTAL), "#B2182B");
        assert_eq!(score_colour(MAX_TOTAL), "#1B7837");
        assert_eq!(score_colour(-1), score_colour(-3));
    }
}
