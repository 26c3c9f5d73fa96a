//! What docs/authoring.md shows is what the binary does: the VS Code problem matcher reads real
//! `attune check --format short` output, and the tutorial's transcripts match the template.

use std::path::Path;

use regex::Regex;

use crate::support::{attune, repo_root, run, scratch_dir, stdout};

fn authoring() -> String {
    std::fs::read_to_string(repo_root().join("docs/authoring.md")).unwrap()
}

/// The fenced blocks of one language in the guide, in order.
fn blocks(language: &str) -> Vec<String> {
    let guide = authoring();
    let fence = format!("```{language}\n");
    guide
        .match_indices(&fence)
        .map(|(at, _)| {
            let start = at + fence.len();
            let end = start + guide[start..].find("```").unwrap();
            guide[start..end].to_owned()
        })
        .collect()
}

/// The problem matcher's regular expression, read from the guide's tasks.json.
fn problem_matcher() -> Regex {
    let tasks = blocks("json")
        .into_iter()
        .find(|b| b.contains("problemMatcher"))
        .expect("a tasks.json in docs/authoring.md");
    let tasks: serde_json::Value = serde_json::from_str(&tasks).expect("the tasks.json is JSON");
    let task = &tasks["tasks"][0];
    let args: Vec<&str> = task["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        args.windows(2).any(|w| w == ["--format", "short"]),
        "{args:?}"
    );
    let pattern = &task["problemMatcher"]["pattern"];
    let groups = ["file", "line", "column", "severity", "code", "message"];
    for (i, name) in groups.iter().enumerate() {
        assert_eq!(pattern[name], i + 1, "{name}");
    }
    Regex::new(pattern["regexp"].as_str().unwrap()).unwrap()
}

/// A copy of the template with one reply's feedback left out: a warning.
fn file_with_a_warning(dir: &Path) -> String {
    let out = run(&["new", "warned", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let file = dir.join("warned.scenario.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("feedback: \"An open question").unwrap();
    let line_start = text[..at].rfind('\n').unwrap() + 1;
    let line_end = at + text[at..].find('\n').unwrap() + 1;
    std::fs::write(
        &file,
        format!("{}{}", &text[..line_start], &text[line_end..]),
    )
    .unwrap();
    file.to_str().unwrap().to_owned()
}

#[test]
fn the_vs_code_problem_matcher_reads_every_problem_and_nothing_else() {
    let matcher = problem_matcher();
    let warned = file_with_a_warning(&scratch_dir("docs-matcher"));
    let out = run(&["check", "--format", "short", "tests/broken", &warned]);
    let text = stdout(&out);
    let (mut errors, mut warnings, mut reported) = (0, 0, 0);
    for line in text.lines() {
        if let Some(summary) = ["ok   ", "warn ", "FAIL "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
        {
            assert!(
                !matcher.is_match(line),
                "a summary read as a problem: {line}"
            );
            // `FAIL file: 2 errors, 1 warning` / `warn file: 8 nodes, …, 1 warning`
            let counts = summary.rsplit(": ").next().unwrap();
            for part in counts.split(", ") {
                let mut words = part.split(' ');
                let (n, what) = (words.next().unwrap(), words.next().unwrap());
                if what.starts_with("error") || what.starts_with("warning") {
                    reported += n.parse::<usize>().unwrap();
                }
            }
            continue;
        }
        let caps = matcher
            .captures(line)
            .unwrap_or_else(|| panic!("the problem matcher misses: {line}"));
        let file = &caps[1];
        assert!(
            repo_root().join(file).is_file() || Path::new(file).is_file(),
            "{file}"
        );
        assert!(caps[2].parse::<usize>().unwrap() >= 1, "{line}");
        assert!(caps[3].parse::<usize>().unwrap() >= 1, "{line}");
        match &caps[4] {
            "error" => errors += 1,
            "warning" => warnings += 1,
            other => panic!("{other}"),
        }
        assert!(!caps[5].is_empty() && !caps[6].is_empty(), "{line}");
    }
    assert!(
        errors > 40 && warnings >= 1,
        "{errors} errors, {warnings} warnings"
    );
    assert_eq!(
        errors + warnings,
        reported,
        "every problem in the summaries is matched"
    );

    // Windows paths have a colon of their own.
    let caps = matcher
        .captures(r"C:\Users\lecturer\scenarios\nadia.scenario.ron:79:21: error[syntax]: expected a comma here")
        .unwrap();
    assert_eq!(&caps[1], r"C:\Users\lecturer\scenarios\nadia.scenario.ron");
    assert_eq!((&caps[2], &caps[3], &caps[5]), ("79", "21", "syntax"));
}

/// The first `attune new` and the mistakes the guide walks through, made again in a scratch
/// project, give the output the guide shows.
#[test]
fn the_tutorial_shows_what_attune_prints() {
    let project = scratch_dir("docs-tutorial");
    let new = attune()
        .current_dir(&project)
        .args(["new", "carer-first-session"])
        .output()
        .unwrap();
    let printed = stdout(&new);
    let guide = authoring();
    for line in printed.lines().filter(|l| !l.is_empty()).take(4) {
        assert!(guide.contains(line), "the guide does not show: {line}");
    }

    let file = project.join("scenarios/carer-first-session.scenario.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text
        .replacen(
            "next: \"the-load\",       // a client node",
            "next: \"the-load\"        // a client node",
            1,
        )
        .replacen(
            "reply: \"Where would you like to start?\",",
            "reply: \u{201c}Where would you like to start?\u{201d},",
            1,
        );
    std::fs::write(&file, &broken).unwrap();
    let check = |format: &str| {
        let out = attune()
            .current_dir(&project)
            .args([
                "check",
                "--format",
                format,
                "scenarios/carer-first-session.scenario.ron",
            ])
            .output()
            .unwrap();
        stdout(&out)
    };
    for line in check("short").lines().filter(|l| !l.starts_with("FAIL")) {
        assert!(guide.contains(line), "the guide does not show: {line}");
    }
    let human = check("human");
    assert!(
        blocks("text").iter().any(|b| b == &human),
        "the guide's first diagnostics are out of date:\n{human}"
    );

    // Fixed, the checks find the misspelt link.
    let fixed = text.replacen(
        "reply: \"Mornings, evenings, weekends, and you say it as if it's nothing.\",\n                    next: \"shouted\",",
        "reply: \"Mornings, evenings, weekends, and you say it as if it's nothing.\",\n                    next: \"shouting\",",
        1,
    );
    std::fs::write(&file, &fixed).unwrap();
    let human = check("human");
    assert!(
        blocks("text").iter().any(|b| b == &human),
        "the guide's unknown-node example is out of date:\n{human}"
    );
}
