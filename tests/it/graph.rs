//! `attune graph` and `attune show`, through the real binary.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use attune_core::{Playable, load_file};

use crate::support::{assert_no_panic, repo_root, run, scratch_dir, stderr, stdout};

/// Every shipped scenario, and one whose ids and texts hold every character a drawing format
/// treats as syntax.
const SCENARIOS: [&str; 4] = [
    "scenarios/grief-eleven-weeks.scenario.ron",
    "scenarios/guarded-teen-referral.scenario.ron",
    "scenarios/new-country-student.scenario.ron",
    "tests/scenarios-ok/hostile-text.scenario.ron",
];
const HOSTILE: &str = "tests/scenarios-ok/hostile-text.scenario.ron";

fn playable(path: &str) -> Arc<Playable> {
    load_file(&repo_root().join(path), None)
        .unwrap()
        .playable
        .unwrap()
}

fn graph(path: &str, format: &str) -> String {
    let output = run(&["graph", path, "--format", format]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

/// Whether Graphviz's `dot` can be run. CI installs it, so there a missing `dot` is a failure.
fn graphviz() -> bool {
    let found = Command::new("dot").arg("-V").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Graphviz (`apt-get install -y graphviz`)"
        );
        eprintln!("note: Graphviz's `dot` is not installed; skipping the render test");
    }
    found
}

#[test]
fn every_scenario_renders_with_graphviz() {
    if !graphviz() {
        return;
    }
    let dir = scratch_dir("graph-dot");
    for path in SCENARIOS {
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        let dot_file = dir.join(format!("{name}.dot"));
        let output = run(&["graph", path, "-o", dot_file.to_str().unwrap()]);
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let svg_file = dir.join(format!("{name}.svg"));
        let rendered = Command::new("dot")
            .arg("-Tsvg")
            .arg(&dot_file)
            .arg("-o")
            .arg(&svg_file)
            .output()
            .unwrap();
        assert!(
            rendered.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        // Graphviz also warns about what it could parse but not draw as asked.
        assert_eq!(
            String::from_utf8_lossy(&rendered.stderr),
            "",
            "{path}: Graphviz warned"
        );
        let svg = std::fs::read_to_string(&svg_file).unwrap();
        let titles: Vec<String> = svg
            .split("<title>")
            .skip(1)
            .map(|rest| unescape_svg(&rest[..rest.find("</title>").unwrap()]))
            .collect();
        let scenario = playable(path);
        let graph = scenario.graph();
        for v in 0..graph.vertex_count() as u32 {
            let id = attune_author::export::vertex_id(&scenario, v);
            // A DOT name keeps `\\` as written (only `\"` is an escape in names).
            let name = id.replace('\\', "\\\\");
            assert!(titles.contains(&name), "{path}: `{id}` not drawn");
        }
        let arrows = titles.iter().filter(|t| t.contains("->")).count();
        // Every edge, plus the arrow from the start marker (the legend's chain is invisible
        // but drawn too).
        assert!(arrows > graph.edge_count(), "{path}: {arrows} arrows");
    }
}

/// Text of an SVG element as Graphviz escapes it.
fn unescape_svg(text: &str) -> String {
    text.replace("&#45;", "-")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn hostile_ids_each_stay_one_node() {
    if !graphviz() {
        return;
    }
    let dot_text = graph(HOSTILE, "dot");
    let mut dot = Command::new("dot")
        .arg("-Tplain")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    dot.stdin
        .take()
        .unwrap()
        .write_all(dot_text.as_bytes())
        .unwrap();
    let plain = dot.wait_with_output().unwrap();
    assert!(plain.status.success());
    // `-Tplain` lists every node and edge as Graphviz parsed them, names re-escaped.
    let plain = String::from_utf8(plain.stdout).unwrap();
    for id in [r#""open \"door\" <1>""#, r#""{fin}|ok""#, r#""bad\\end""#] {
        assert!(
            plain.contains(&format!("node {id} ")),
            "{id} not parsed back:\n{plain}"
        );
    }
    let scenario = playable(HOSTILE);
    let graph = scenario.graph();
    let drawn = |kind: &str| {
        plain
            .lines()
            .filter(|l| l.starts_with(kind) && !l.contains("legend: "))
            .count()
    };
    // The start marker and its arrow come on top of the scenario's own.
    assert_eq!(drawn("node "), graph.vertex_count() + 1, "{plain}");
    assert_eq!(drawn("edge "), graph.edge_count() + 1, "{plain}");
}

/// The label between `open` and the next `"`: a label may hold no bare quote, so the text right
/// after that quote must be `close`.
fn label_after<'a>(line: &'a str, open: &str, close: &str) -> &'a str {
    let start = line
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in {line}"))
        + open.len();
    let len = line[start..].find('"').expect("a closing quote");
    assert!(
        line[start + len..].starts_with(close),
        "a quote inside a label ends it early: {line}"
    );
    &line[start..start + len]
}

#[test]
fn mermaid_has_every_node_and_edge_with_safe_labels() {
    for path in SCENARIOS {
        let scenario = playable(path);
        let text = graph(path, "mermaid");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("flowchart LR"), "{path}");

        let mut nodes = Vec::new();
        let mut edges = 0;
        let mut links = 0;
        let mut styled = Vec::new();
        for line in lines.map(str::trim) {
            let first = line.split([' ', '(', '[', '{']).next().unwrap();
            let is_scenario_node = first.starts_with('n') && first[1..].parse::<usize>().is_ok();
            if line.contains("-->") || line.contains("==>") || line.contains("-.->") {
                links += 1;
                if is_scenario_node {
                    edges += 1;
                    let label = label_after(line, "|\"", "\"| n");
                    let text = label.replace("<br/>", "");
                    assert!(!text.contains(['<', '>', '|', '{', '}', '\\']), "{line}");
                }
            } else if is_scenario_node {
                nodes.push(first.to_owned());
                let open = line[first.len()..]
                    .find('"')
                    .map(|i| &line[first.len()..first.len() + i + 1])
                    .unwrap();
                let close = match open {
                    "(\"" => "\")",
                    "{\"" => "\"}",
                    "([\"" => "\"])",
                    other => panic!("unknown shape {other} in {line}"),
                };
                label_after(line, open, close);
                assert!(line.ends_with(close), "{line}");
            } else if let Some(index) = line.strip_prefix("linkStyle ") {
                styled.push(index.split(' ').next().unwrap().parse::<usize>().unwrap());
            }
        }
        let graph = scenario.graph();
        assert_eq!(nodes.len(), graph.vertex_count(), "{path}");
        let expected: Vec<String> = (0..graph.vertex_count()).map(|v| format!("n{v}")).collect();
        assert_eq!(
            nodes, expected,
            "{path}: node ids are n0, n1, … in graph order"
        );
        assert_eq!(edges, graph.edge_count(), "{path}");
        assert!(
            styled.iter().all(|&i| i < links),
            "{path}: a linkStyle past the last link"
        );
        assert_eq!(styled.len(), edges, "{path}: every edge is coloured");
    }
}

#[test]
fn json_has_every_node_and_edge_with_scores() {
    for path in SCENARIOS {
        let scenario = playable(path);
        let json: serde_json::Value = serde_json::from_str(&graph(path, "json")).unwrap();
        let nodes = json["nodes"].as_array().unwrap();
        let edges = json["edges"].as_array().unwrap();
        assert_eq!(nodes.len(), scenario.graph().vertex_count(), "{path}");
        assert_eq!(edges.len(), scenario.graph().edge_count(), "{path}");
        let endings: Vec<_> = nodes.iter().filter(|n| n["kind"] == "ending").collect();
        assert_eq!(endings.len(), scenario.endings().len());
        assert!(endings.iter().all(|n| n["outcome"].is_string()));
        // Ids come back exactly as authored, whatever they hold.
        for (_, ending) in scenario.endings() {
            assert!(
                nodes.iter().any(|n| n["id"] == ending.id.as_str()),
                "{path}"
            );
        }
        let choices: usize = scenario.clients().map(|c| scenario.choices(c).len()).sum();
        let choice_edges: Vec<_> = edges.iter().filter(|e| e["kind"] == "choice").collect();
        assert_eq!(choice_edges.len(), choices, "{path}");
        assert!(choice_edges.iter().all(|e| e["scores"].is_object()));
        let best = choice_edges.iter().filter(|e| e["best"] == true).count();
        assert_eq!(
            best,
            scenario.clients().len(),
            "{path}: one best reply per node"
        );
    }
}

#[test]
fn out_file_is_written_whole_and_its_extension_picks_the_format() {
    let dir = scratch_dir("graph-out");
    let out = dir.join("map.json");
    std::fs::write(&out, "old contents").unwrap();
    let output = run(&["graph", SCENARIOS[0], "-o", out.to_str().unwrap()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "nothing on stdout with -o");
    let written = std::fs::read_to_string(&out).unwrap();
    serde_json::from_str::<serde_json::Value>(&written).expect("JSON, from the extension");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");

    let output = run(&[
        "graph",
        SCENARIOS[0],
        "--format",
        "mermaid",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("flowchart LR\n")
    );
}

#[test]
fn bad_arguments_and_broken_files_get_clear_errors() {
    let output = run(&["graph", SCENARIOS[0], "--format", "svg"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("possible values: dot, mermaid, json"),
        "{}",
        stderr(&output)
    );

    let output = run(&["graph", "tests/broken/unknown-node.scenario.ron"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("unknown-node.scenario.ron:"),
        "{}",
        stderr(&output)
    );

    let dir = scratch_dir("graph-bad-out");
    let nowhere = dir.join("no-such-folder").join("map.dot");
    let output = run(&["graph", SCENARIOS[0], "-o", nowhere.to_str().unwrap()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn show_prints_every_reply_of_a_node_with_its_scores() {
    let path = SCENARIOS[0];
    let scenario = playable(path);
    for c in scenario.clients() {
        let node = scenario.client(c);
        let output = run(&["show", path, node.id.as_str()]);
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        for (_, choice, links) in scenario.choices(c) {
            let heading = text
                .lines()
                .find(|l| l.contains(&format!(". {}", links.id)))
                .unwrap_or_else(|| panic!("{} missing:\n{text}", links.id));
            assert!(heading.contains("→"), "{heading}");
            let total = choice.total();
            let total = if total > 0 {
                format!("+{total}")
            } else {
                total.to_string()
            };
            assert!(
                text.contains(&format!("; total {total}")),
                "{}:\n{text}",
                links.id
            );
            assert!(text.contains(&format!(
                "validating {}",
                fmt_signed(choice.scores.validating.value)
            )));
            if let Some(when) = &choice.when {
                assert!(
                    text.contains(&format!("only when {}", when.as_str())),
                    "{text}"
                );
            }
        }
        for says in &node.says {
            let start: String = says
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(&start), "{start}:\n{text}");
        }
        assert!(
            text.contains(&format!("{path}:")),
            "where the node is:\n{text}"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 78), "{text}");
    }

    let output = run(&["show", path, "how-it-ends"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("otherwise → end-unresolved"));
    let output = run(&["show", path, "end-engaged"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("(outcome: engaged)"));
    let output = run(&["show", HOSTILE, r#"open "door" <1>"#]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(r#"say "hi" \ [1]"#),
        "{}",
        stdout(&output)
    );
}

fn fmt_signed(n: i32) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

#[test]
fn show_with_a_misspelt_node_names_the_nearest() {
    let output = run(&["show", SCENARIOS[0], "opneing"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("no node or ending with the id `opneing`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `opening`?"), "{err}");
    assert_eq!(stdout(&output), "");

    let output = run(&["show", SCENARIOS[0], "nothing-like-any-id-at-all"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the ids in this scenario are `opening`"),
        "{}",
        stderr(&output)
    );
}
