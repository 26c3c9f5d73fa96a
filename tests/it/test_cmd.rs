//! `attune test`: every path through the shipped library, findings with reproducers that really
//! reach what they are about, exit codes, and the random-walk fallback.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{assert_no_panic, repo_root, run, scratch_dir, stderr, stdout};

const SHIPPED: [&str; 3] = [
    "scenarios/grief-eleven-weeks.scenario.ron",
    "scenarios/guarded-teen-referral.scenario.ron",
    "scenarios/new-country-student.scenario.ron",
];

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let output = run(args);
    assert_no_panic(&output);
    let value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}:\n{}", stdout(&output)));
    (output.status.code(), value)
}

fn findings(file: &Value) -> &Vec<Value> {
    file["findings"].as_array().unwrap()
}

#[test]
fn every_shipped_scenario_is_tried_exhaustively_and_passes() {
    let output = run(&["test", "scenarios/"]);
    assert_no_panic(&output);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let shipped: Vec<String> = std::fs::read_dir(crate::support::repo_root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".scenario.ron"))
        .collect();
    assert!(shipped.len() >= 10, "{shipped:?}");
    for name in &shipped {
        assert!(
            out.lines()
                .any(|l| l.contains(&format!("scenarios/{name}: every path tried ("))),
            "{name} is tried exhaustively:\n{out}"
        );
    }

    let (code, doc) = json(&["test", "--format", "json", "scenarios/"]);
    assert_eq!(code, Some(0));
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), shipped.len());
    for file in files {
        let report = &file["report"];
        assert_eq!(report["exhaustive"], true, "{}", file["file"]);
        assert!(report["situations"].as_u64().unwrap() > 100);
        for ending in report["endings"].as_array().unwrap() {
            assert_eq!(ending["reached"], true, "{}: {ending}", file["file"]);
            assert!(ending["paths"].as_u64().unwrap() > 0);
        }
        // Every reply in the shipped library is offered to some trainee, and every node and
        // ending is reached: exploration found no dead content.
        let dead: Vec<_> = findings(file)
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(dead.is_empty(), "{}: {dead:?}", file["file"]);
    }
}

/// The tests' base scenario with four things that never happen or matter: a reply that is never
/// offered, an ending behind a rule that never holds, and a flag nothing reads.
fn scenario_with_findings(dir: &Path) -> PathBuf {
    let base =
        std::fs::read_to_string(repo_root().join("tests/scenarios-ok/broken-base.scenario.ron"))
            .unwrap();
    let edits = [
        (
            "flags: [\"felt_judged\"],",
            "flags: [\"felt_judged\", \"mum_named\"],",
        ),
        (
            "                    feedback: \"Advice assumes the cause is oversleeping before you know what is going on.\",\n                ),\n",
            "                    feedback: \"Advice assumes the cause is oversleeping before you know what is going on.\",\n                ),\n                (\n                    reply: \"It sounds like mornings are hard for more than one reason.\",\n                    next: \"worry\",\n                    when: \"openness >= 3\",\n                    feedback: \"A tentative reflection invites Sam to say more.\",\n                ),\n",
        ),
        (
            "rules: [(when: \"felt_judged\", next: \"guarded\")],",
            "rules: [(when: \"felt_judged\", next: \"guarded\"), (when: \"openness >= 4\", next: \"opens-up\")],",
        ),
        (
            "                    scores: (validating: 2, reflecting: 2),\n",
            "                    scores: (validating: 2, reflecting: 2),\n                    set: [\"mum_named\"],\n",
        ),
        (
            "    endings: [\n",
            "    endings: [\n        (\n            id: \"opens-up\",\n            title: \"Opens up\",\n            outcome: Engaged,\n            text: \"Sam talks about their mum before you have asked.\",\n            debrief: \"Sam felt safe enough to bring the real difficulty unprompted.\",\n        ),\n",
        ),
    ];
    let mut text = base;
    for (find, replace) in edits {
        assert_eq!(text.matches(find).count(), 1, "{find}");
        text = text.replacen(find, replace, 1);
    }
    let file = dir.join("findings.scenario.ron");
    std::fs::write(&file, text).unwrap();
    file
}

/// Runs a finding's printed reproducer (without saving a result).
fn reproduce(finding: &Value) -> (String, String) {
    let command = finding["reproduce"].as_str().unwrap();
    let args: Vec<&str> = command
        .strip_prefix("attune ")
        .unwrap()
        .split_whitespace()
        .chain(["--no-save"])
        .collect();
    let output = run(&args);
    assert_no_panic(&output);
    (stdout(&output), stderr(&output))
}

/// The last prompt a transcript shows: from the client's last line to the end.
fn last_prompt(transcript: &str) -> &str {
    let start = transcript.rfind("── Sam").expect("a prompt was shown");
    &transcript[start..]
}

#[test]
fn every_finding_has_a_reproducer_that_reaches_it() {
    let dir = scratch_dir("test-findings");
    let file = scenario_with_findings(&dir);
    let (code, doc) = json(&["test", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(
        code,
        Some(1),
        "never offered and never reached fail the test"
    );
    let file_report = &doc["files"][0];
    let all = findings(file_report);
    let find = |code: &str| -> &Value {
        all.iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {all:?}"))
    };
    let mut codes: Vec<&str> = all.iter().map(|f| f["code"].as_str().unwrap()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "never-offered",
            "never-reached",
            "never-true",
            "unread-flag"
        ]
    );

    // The reply is never offered: the reproducer shows its node, without it.
    let offered = find("never-offered");
    assert_eq!(offered["severity"], "error");
    assert_eq!(offered["line"], 50);
    assert!(
        offered["help"]
            .as_str()
            .unwrap()
            .contains("`openness` is always 1")
    );
    let (out, _) = reproduce(offered);
    let prompt = last_prompt(&out);
    assert!(prompt.contains("My manager says one more late"), "{out}");
    assert!(!prompt.contains("mornings are hard for more than one reason"));

    // The ending behind the rule is never reached, and the rule never holds: both reproducers
    // pass the branch and show where it leads instead.
    let reached = find("never-reached");
    assert_eq!(reached["severity"], "error");
    assert!(
        reached["message"]
            .as_str()
            .unwrap()
            .contains("the ending `opens-up`")
    );
    let rule = find("never-true");
    assert_eq!(rule["severity"], "warning");
    for finding in [reached, rule] {
        assert_eq!(finding["choices"], serde_json::json!(["opening.1"]));
        let (out, _) = reproduce(finding);
        assert!(
            last_prompt(&out).contains("It's my mum."),
            "the branch was passed, to `open`:\n{out}"
        );
        assert!(!out.contains("Sam talks about their mum before you have asked."));
    }

    // The flag nothing reads: the reproducer ends with the reply that sets it.
    let flag = find("unread-flag");
    assert_eq!(
        flag["message"],
        "the flag `mum_named` is set but never read"
    );
    let choices = flag["choices"].as_array().unwrap();
    assert_eq!(choices.last().unwrap(), "open.1");
    let (out, err) = reproduce(flag);
    assert!(
        out.contains("You're caught between looking after her"),
        "{out}"
    );
    assert!(out.contains("Sam puts the phone down"), "the ending: {out}");
    assert!(!err.contains("ran out"), "{err}");

    // The human report prints the same reproducers, each on a line of its own.
    let output = run(&["test", file.to_str().unwrap()]);
    let text = stdout(&output);
    for finding in all {
        let line = format!("  try it: {}", finding["reproduce"].as_str().unwrap());
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
    assert!(
        text.contains("`opens-up` (engaged): never reached"),
        "{text}"
    );
}

#[test]
fn exit_codes_say_what_failed() {
    let dir = scratch_dir("test-exit-codes");
    let base = repo_root().join("tests/scenarios-ok/broken-base.scenario.ron");
    let text = std::fs::read_to_string(&base).unwrap().replacen(
        "flags: [\"felt_judged\"],",
        "flags: [\"felt_judged\", \"spare\"],",
        1,
    );
    let warnings_only = dir.join("spare-flag.scenario.ron");
    std::fs::write(&warnings_only, text).unwrap();
    let warnings_only = warnings_only.to_str().unwrap();

    let lenient = run(&["test", warnings_only]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stdout(&lenient));
    assert!(stdout(&lenient).contains("the flag `spare` is never used"));
    let strict = run(&["test", "--strict", warnings_only]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains(&format!("FAIL {warnings_only}")));

    for (path, code) in [
        ("tests/broken/never-offered.scenario.ron", 1),
        ("tests/broken/never-reached.scenario.ron", 1),
        ("tests/broken/no-way-out.scenario.ron", 1),
        ("tests/scenarios-ok/broken-base.scenario.ron", 0),
    ] {
        let output = run(&["test", "--format", "short", path]);
        assert_no_panic(&output);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{path}: {}",
            stdout(&output)
        );
    }

    // A file with errors is not tried: it says to fix them first.
    let broken = run(&["test", "tests/broken/unknown-node.scenario.ron"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("there is no node or ending with the id `haerd`"));
    assert!(stdout(&broken).contains("fix them first"));

    let missing = run(&["test", "no/such/file.scenario.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read no/such/file.scenario.ron"));
    assert_eq!(run(&["test"]).status.code(), Some(2));
    assert_eq!(
        run(&["test", "--walks", "many", "scenarios/"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn too_many_situations_fall_back_on_seeded_random_walks() {
    let path = SHIPPED[0];
    let args = [
        "test",
        "--max-states",
        "100",
        "--walks",
        "5",
        "--seed",
        "40",
        "--format",
        "json",
        path,
    ];
    let (code, doc) = json(&args);
    // What five walks miss is only a sample's guess: warnings, which do not fail the test.
    assert_eq!(code, Some(0));
    let file = &doc["files"][0];
    let report = &file["report"];
    assert_eq!(report["exhaustive"], false);
    assert_eq!(
        report["walks"],
        serde_json::json!({ "count": 5, "seed": 40 })
    );
    let walked: u64 = report["endings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["walks"].as_u64().unwrap())
        .sum();
    assert_eq!(walked, 5);
    let missed = findings(file);
    assert!(
        missed.iter().any(|f| f["code"] == "never-reached"),
        "five walks miss an ending: {missed:?}"
    );
    assert!(missed.iter().all(|f| f["severity"] == "warning"));
    let unreached = missed
        .iter()
        .find(|f| f["code"] == "never-reached")
        .unwrap();
    assert!(
        unreached["message"]
            .as_str()
            .unwrap()
            .starts_with("5 random playthroughs and the two greedy ones never reach")
    );
    // A walk's reproducer names that walk's seed (or the run's, for a greedy player), and
    // replays to the place in question.
    let seed = unreached["seed"].as_u64().unwrap();
    assert!((40..45).contains(&seed), "seed {seed}");
    let (out, _) = reproduce(unreached);
    assert!(out.contains("── Tom"), "{out}");
    // The same run twice gives the same report.
    let (_, again) = json(&args);
    assert_eq!(doc["files"][0]["findings"], again["files"][0]["findings"]);

    let human = run(&["test", "--max-states", "100", "--walks", "5", path]);
    let out = stdout(&human);
    assert!(
        out.contains(
            "more than 100 situations, too many to try every path: 5 random walks (seeds 1 to 5)"
        ),
        "{out}"
    );
    // No progress bar when stderr is not a terminal.
    assert_eq!(stderr(&human), "");
    assert!(
        strict_fails(path),
        "--strict fails on what the walks missed"
    );
}

fn strict_fails(path: &str) -> bool {
    let output = run(&[
        "test",
        "--strict",
        "--max-states",
        "100",
        "--walks",
        "5",
        path,
    ]);
    output.status.code() == Some(1)
}

#[test]
fn check_reports_what_every_path_shows_with_the_other_checks() {
    let output = run(&[
        "check",
        "--format",
        "short",
        "tests/broken/never-offered.scenario.ron",
        "tests/broken/no-way-out.scenario.ron",
    ]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("warning[never-offered]"), "{out}");
    assert!(out.contains("error[no-way-out]"), "{out}");
    assert!(out.contains("FAIL tests/broken/no-way-out.scenario.ron: 1 error"));
    // A warning alone passes unless --strict.
    let lenient = run(&["check", "tests/broken/never-offered.scenario.ron"]);
    assert_eq!(lenient.status.code(), Some(0));
}
