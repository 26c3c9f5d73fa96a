//! `attune check` on the shipped library, on a corpus of broken files, and on hostile input.

use std::path::Path;

use crate::support::{assert_no_panic, repo_root, run, scratch_dir, stderr, stdout};

#[test]
fn shipped_scenarios_pass_with_no_warnings() {
    let output = run(&["check", "--strict", "scenarios/"]);
    assert_no_panic(&output);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let summaries: Vec<_> = out.lines().filter(|l| l.starts_with("ok ")).collect();
    assert!(
        summaries.len() >= 3,
        "expected at least three scenarios:\n{out}"
    );
    assert!(
        summaries.iter().all(|l| l.ends_with(" 0 warnings")),
        "{out}"
    );
}

#[test]
fn documented_example_passes() {
    let doc = std::fs::read_to_string(repo_root().join("docs/scenario-format.md")).unwrap();
    let example = doc
        .split("```ron\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the format doc has a ron example");
    let dir = scratch_dir("documented-example");
    let file = dir.join("example.scenario.ron");
    std::fs::write(&file, example).unwrap();
    let assets = repo_root().join("assets");
    let output = run(&[
        "check",
        "--strict",
        "--assets",
        assets.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

/// Each file in tests/broken/ has one mistake; `<name>.expected` holds the exact short-format
/// output (file, line, column, code, message). Run with `BLESS=1` to rewrite the expectations
/// after reviewing a deliberate change of wording. `--strict`, so that a mistake that is only a
/// warning (a reply never offered) fails too.
#[test]
fn broken_files_report_exact_positions() {
    let dir = repo_root().join("tests/broken");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scenario.ron"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 25,
        "the broken corpus has only {} files",
        files.len()
    );
    let bless = std::env::var_os("BLESS").is_some();
    let mut mismatches = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(repo_root()).unwrap();
        let output = run(&[
            "check",
            "--strict",
            "--format",
            "short",
            relative.to_str().unwrap(),
        ]);
        assert_no_panic(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{} should fail",
            relative.display()
        );
        let actual = stdout(&output);
        let first = actual.lines().next().unwrap_or("");
        assert!(
            first.starts_with(&format!("{}:", relative.display())),
            "the first line names the file, line and column: {first}"
        );
        let expected_path = file.with_extension("").with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        if actual != expected {
            mismatches.push(format!(
                "{}\n--- expected\n{expected}--- actual\n{actual}",
                relative.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn a_byte_order_mark_is_not_a_mistake() {
    let path = "tests/scenarios-ok/with-bom.scenario.ron";
    let bytes = std::fs::read(repo_root().join(path)).unwrap();
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "{path} keeps its byte order mark"
    );
    let output = run(&["check", "--strict", "--format", "short", path]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn human_output_shows_the_line_with_a_caret_and_help() {
    let output = run(&["check", "tests/broken/unknown-node.scenario.ron"]);
    let out = stdout(&output);
    assert!(
        out.contains("[tests/broken/unknown-node.scenario.ron:75:27]"),
        "{out}"
    );
    assert!(
        out.contains(r#"next: "haerd","#),
        "the offending line is quoted:\n{out}"
    );
    assert!(out.contains("──┬──"), "a caret marks the id:\n{out}");
    assert!(out.contains("did you mean `heard`?"), "{out}");
}

#[test]
fn duplicate_ids_point_at_both_places() {
    let output = run(&[
        "check",
        "--format",
        "json",
        "tests/broken/duplicate-node-id.scenario.ron",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"] == "duplicate-id")
        .unwrap();
    assert_eq!(
        (duplicate["line"].as_u64(), duplicate["column"].as_u64()),
        (Some(69), Some(17))
    );
    assert_eq!(duplicate["related"][0]["line"], 55);
    assert_eq!(duplicate["related"][0]["text"], "first used here");
    assert_eq!(json["ok"], false);
}

#[test]
fn warnings_fail_only_with_strict() {
    let dir = scratch_dir("warnings");
    let base =
        std::fs::read_to_string(repo_root().join("tests/scenarios-ok/broken-base.scenario.ron"))
            .unwrap();
    let no_feedback = base.replacen(
        "                    feedback: \"A tentative reflection reopens the door the advice closed.\",\n",
        "",
        1,
    );
    assert_ne!(base, no_feedback);
    let file = dir.join("no-feedback.scenario.ron");
    std::fs::write(&file, no_feedback).unwrap();
    let path = file.to_str().unwrap();
    let lenient = run(&["check", "--format", "short", path]);
    assert_eq!(lenient.status.code(), Some(0));
    assert!(stdout(&lenient).contains("warning[no-feedback]: this choice has no feedback"));
    let strict = run(&["check", "--strict", path]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let missing = run(&["check", "no/such/file.scenario.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read no/such/file.scenario.ron"));

    let empty_dir = scratch_dir("empty-library");
    let empty = run(&["check", empty_dir.to_str().unwrap()]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("no *.scenario.ron files"));

    let no_args = run(&["check"]);
    assert_eq!(no_args.status.code(), Some(2));

    let bad_format = run(&["check", "--format", "xml", "scenarios/"]);
    assert_eq!(bad_format.status.code(), Some(2));
}

fn check_hostile(name: &str, bytes: &[u8]) -> String {
    let dir = scratch_dir(&format!("hostile-{name}"));
    let file = dir.join(format!("{name}.scenario.ron"));
    std::fs::write(&file, bytes).unwrap();
    let output = run(&["check", "--format", "short", file.to_str().unwrap()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{name}: {}", stdout(&output));
    let out = stdout(&output);
    let first = out.lines().next().unwrap_or_default().to_owned();
    let location = format!("{}:", file.display());
    assert!(first.starts_with(&location), "{name}: {first}");
    first
}

#[test]
fn hostile_input_never_panics() {
    assert!(check_hostile("empty", b"").contains("empty-file"));
    assert!(check_hostile("whitespace", b"  \n\t\n").contains("empty-file"));

    // Deterministic pseudo-random bytes.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    check_hostile("garbage", &garbage);

    let deep_brackets = format!("(format: 1, objectives: {}", "[".repeat(100_000));
    assert!(check_hostile("deep-brackets", deep_brackets.as_bytes()).contains("nested too deeply"));
    let deep_parens = format!("(format: 1, id: {}", "(".repeat(100_000));
    check_hostile("deep-parens", deep_parens.as_bytes());

    let deep_condition =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios-ok/broken-base.scenario.ron");
    let base = std::fs::read_to_string(deep_condition).unwrap();
    let nested = format!("{}felt_judged{}", "(".repeat(50_000), ")".repeat(50_000));
    let text = base.replacen("when: \"felt_judged\"", &format!("when: \"{nested}\""), 1);
    assert!(check_hostile("deep-condition", text.as_bytes()).contains("bad-condition"));
}

#[test]
fn a_huge_single_line_is_quoted_as_an_excerpt() {
    let dir = scratch_dir("one-long-line");
    let file = dir.join("long.scenario.ron");
    let text = format!(
        "(format: 1, id: \"x\", title: \"{}\", nonsense: 1)",
        "a".repeat(5_000_000)
    );
    std::fs::write(&file, text).unwrap();
    let output = run(&["check", file.to_str().unwrap()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.len() < 2_000,
        "the line is not printed whole ({} bytes)",
        out.len()
    );
    assert!(out.contains("unknown field `nonsense`"), "{out}");
    assert!(out.contains('^'));
}

#[test]
fn a_50_megabyte_file_is_reported_not_crashed() {
    // A plausible start, then 50 MB of lines that are not RON.
    let mut text = String::from("(\n    format: 1,\n    id: \"huge\",\n    title: \"Huge\",\n");
    let line = "    this is not a field, just a very long file pasted by mistake\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
    }
    let first = check_hostile("huge", text.as_bytes());
    assert!(
        first.ends_with(":5:5: error[syntax]: unknown field `this` in the scenario"),
        "{first}"
    );
}

#[test]
fn shipped_portraits_parse() {
    let dir = repo_root().join("assets/portraits");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        attune_core::assets::Portrait::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        count += 1;
    }
    assert!(count >= 3);
}
