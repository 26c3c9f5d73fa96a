//! `attune lint`: each rule on a scenario in tests/lint/ that shows it, and on one that does not
//! (tests/lint/ok/); the shipped library; reproducers that play; bad input.

use crate::support::{assert_no_panic, repo_root, run, stderr, stdout};

/// (file, the findings it must produce and no others: code, line, column)
const EXAMPLES: &[(&str, &[(&str, usize, usize)])] = &[
    ("longest-is-best", &[("longest-is-best", 26, 28)]),
    ("only-hedged-is-best", &[("only-hedged-is-best", 27, 28)]),
    ("question-never-best", &[("question-never-best", 36, 28)]),
    ("no-near-miss", &[("no-near-miss", 26, 28)]),
    ("tied-best", &[("tied-best", 58, 28)]),
    ("single-reply", &[("single-reply", 84, 17)]),
    ("cue-not-noticed", &[("cue-not-noticed", 53, 24)]),
    (
        "best-not-best-on-skill",
        &[("best-not-best-on-skill", 27, 28)],
    ),
    (
        "code-contradicts-score",
        &[
            // Persuade, scored +1 in total: the reply.
            ("code-contradicts-score", 36, 28),
            // A question with +2 on reflecting, a reflection with -1: the reflecting score.
            ("code-contradicts-score", 71, 82),
            ("code-contradicts-score", 103, 82),
        ],
    ),
    (
        "ending-contradicts-choices",
        &[("ending-contradicts-choices", 132, 17)],
    ),
    (
        "engaged-after-poor-replies",
        &[("engaged-after-poor-replies", 119, 17)],
    ),
    (
        "random-player-does-well",
        &[
            ("random-player-does-well", 5, 9),
            ("random-player-does-well", 5, 9),
            ("random-player-does-well", 5, 9),
        ],
    ),
];

/// `(code, line, column)` of every finding in `--format short` output.
fn findings(out: &str) -> Vec<(String, usize, usize)> {
    out.lines()
        .filter_map(|line| {
            let (place, rest) = line.split_once(": ")?;
            let code = rest
                .strip_prefix("warning[")
                .or_else(|| rest.strip_prefix("error["))?
                .split(']')
                .next()?;
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((code.to_owned(), line, column))
        })
        .collect()
}

fn lint(args: &[&str]) -> std::process::Output {
    let output = run(&[&["lint"], args].concat());
    assert_no_panic(&output);
    output
}

#[test]
fn each_rule_fires_at_its_place_in_its_example_and_nothing_else_does() {
    for (name, expected) in EXAMPLES {
        let file = format!("tests/lint/{name}.scenario.ron");
        let output = lint(&["--format", "short", &file]);
        let out = stdout(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "findings are warnings:\n{out}"
        );
        let expected: Vec<_> = expected
            .iter()
            .map(|&(code, line, column)| (code.to_owned(), line, column))
            .collect();
        assert_eq!(findings(&out), expected, "{file}:\n{out}");
        assert!(out.contains(&format!("warning[{name}]")), "{out}");

        let strict = lint(&["--strict", "--format", "short", &file]);
        assert_eq!(strict.status.code(), Some(1), "{file} under --strict");
        assert!(stdout(&strict).contains(&format!("error[{name}]")));
    }
}

#[test]
fn every_documented_rule_has_an_example() {
    let doc = std::fs::read_to_string(repo_root().join("docs/lint.md")).unwrap();
    let rules: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.split('`').next())
        .collect();
    assert!(rules.len() >= 13, "{rules:?}");
    for rule in rules {
        // The one rule across files is tested on a folder below.
        let tested = rule == "same-reply-scored-differently"
            || EXAMPLES.iter().any(|(name, _)| *name == rule);
        assert!(tested, "`{rule}` has no example in tests/lint/");
    }
}

#[test]
fn scenarios_without_the_patterns_have_no_findings_even_under_strict() {
    let mut files: Vec<_> = std::fs::read_dir(repo_root().join("tests/lint/ok"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scenario.ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for file in files {
        let relative = file.strip_prefix(repo_root()).unwrap().to_str().unwrap();
        let output = lint(&["--strict", "--format", "short", relative]);
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(0), "{relative}:\n{out}");
        assert_eq!(
            out.trim(),
            format!("ok   {relative}: no findings"),
            "{relative}"
        );
    }
}

#[test]
fn the_same_reply_scored_differently_in_two_scenarios_is_reported_in_both() {
    let output = lint(&["--format", "short", "tests/lint/library"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let first = "tests/lint/library/first.scenario.ron";
    let second = "tests/lint/library/second.scenario.ron";
    // Case, spacing and a curly apostrophe do not make the second reply different.
    assert!(out.contains(&format!(
        "{first}:27:28: warning[same-reply-scored-differently]: the same reply is scored differently in {second}"
    )), "{out}");
    assert!(out.contains(&format!(
        "{second}:27:28: warning[same-reply-scored-differently]: the same reply is scored differently in {first}"
    )), "{out}");
    // Each one says where the other is, and how it is scored.
    let human = stdout(&lint(&[first, second]));
    assert!(
        human.contains(&format!(
            "at {second}:27:28 the same words score validating 2"
        )),
        "{human}"
    );

    let same = lint(&["--strict", "tests/lint/ok/library"]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
}

#[test]
fn a_path_found_by_the_lint_plays_to_the_ending_it_names() {
    let output = lint(&[
        "--format",
        "json",
        "tests/lint/engaged-after-poor-replies.scenario.ron",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let help = json["files"][0]["diagnostics"][0]["help"].as_str().unwrap();
    let command = help
        .split('`')
        .find(|part| part.starts_with("attune play "))
        .unwrap_or_else(|| panic!("a reproducer in: {help}"));
    let args: Vec<&str> = command
        .strip_prefix("attune ")
        .unwrap()
        .split(' ')
        .chain(["--no-save"])
        .collect();
    let played = run(&args);
    assert_no_panic(&played);
    let out = stdout(&played);
    assert_eq!(played.status.code(), Some(0), "{out}{}", stderr(&played));
    assert!(
        out.contains("Ending: Next week (outcome: engaged)"),
        "{out}"
    );
    // Two of its three replies score below zero, as the finding says.
    assert!(
        json["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2 of 3 replies score below zero")
    );
}

#[test]
fn reproducers_stay_on_one_line_in_the_human_format() {
    let output = lint(&["tests/lint/ending-contradicts-choices.scenario.ron"]);
    let out = stdout(&output);
    assert!(
        out.contains("`attune play tests/lint/ending-contradicts-choices.scenario.ron --choices a.reflect,b.notice,c.open`"),
        "{out}"
    );
}

#[test]
fn json_output_counts_findings_per_code() {
    let output = lint(&[
        "--format",
        "json",
        "tests/lint/code-contradicts-score.scenario.ron",
        // No reply in common with the first, so nothing across the two.
        "tests/lint/ok/random-players-rarely-proficient.scenario.ron",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ok"], true);
    let files = json["files"].as_array().unwrap();
    assert_eq!(files[0]["findings"]["code-contradicts-score"], 3);
    assert_eq!(files[0]["warnings"], 3);
    assert_eq!(files[0]["checks"], true);
    assert_eq!(files[0]["diagnostics"][1]["line"], 71);
    assert_eq!(files[1]["diagnostics"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_file_that_does_not_check_fails_with_its_check_diagnostics() {
    let file = "tests/broken/unknown-node.scenario.ron";
    let output = lint(&[
        "--format",
        "short",
        file,
        "tests/lint/ok/clean.scenario.ron",
    ]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("{file}:75:27: error[unknown-node]")),
        "{out}"
    );
    assert!(
        out.contains(&format!("FAIL {file}: does not check (1 error)")),
        "{out}"
    );
    assert!(out.contains("ok   tests/lint/ok/clean.scenario.ron: no findings"));
}

#[test]
fn the_shipped_library_is_linted_without_failing() {
    // The shipped scenarios have findings today (the content is being revised); they are
    // warnings, so the command passes, and every scenario gets its summary.
    let output = lint(&["--format", "short", "scenarios/"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let summaries = out
        .lines()
        .filter(|l| l.starts_with("ok ") || l.starts_with("warn "))
        .count();
    assert!(summaries >= 3, "{out}");
}

#[test]
fn bad_command_lines_are_usage_errors() {
    let none = lint(&[]);
    assert_eq!(none.status.code(), Some(2));
    let missing = lint(&["no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read no/such/folder"));
    let empty = lint(&["docs/"]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("no *.scenario.ron files in docs/"));
}

/// The library meets its own bar: every shipped scenario passes the teaching-quality lint.
#[test]
fn shipped_scenarios_pass_the_lint_strictly() {
    let output = lint(&["--strict", "--format", "short", "scenarios/"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output)
            .lines()
            .filter(|l| l.starts_with("ok "))
            .count()
            >= 10
    );
}
