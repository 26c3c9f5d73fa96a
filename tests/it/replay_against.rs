//! `attune replay RESULT --against FILE`: a saved path re-run in an edited scenario, through the
//! real binary.

use std::path::{Path, PathBuf};

use attune_core::engine::{Mode, Session, Status};
use attune_core::load_file;
use attune_core::results;

use crate::support::{assert_no_panic, repo_root, run, scratch_dir, stderr, stdout};

const TOM: &str = "scenarios/grief-eleven-weeks.scenario.ron";

/// The choice ids of the path that takes the highest-scoring reply on offer each time.
fn best_path() -> Vec<String> {
    let playable = load_file(&repo_root().join(TOM), None)
        .unwrap()
        .playable
        .unwrap();
    let mut session = Session::start(playable, Mode::Assessment, 1);
    let mut path = Vec::new();
    while session.status() == Status::AwaitingChoice {
        let best = session
            .offered_ids()
            .zip(session.offered())
            .max_by_key(|(_, c)| c.total())
            .map(|(id, _)| id.to_string())
            .unwrap();
        session.choose_id(&best, 0).unwrap();
        path.push(best);
    }
    path
}

/// Plays the best path of Tom's scenario and returns the saved result file and the path.
fn played(name: &str) -> (PathBuf, Vec<String>) {
    let dir = scratch_dir(name);
    let path = best_path();
    let out = run(&[
        "play",
        TOM,
        "--seed",
        "5",
        "--results",
        dir.to_str().unwrap(),
        "--choices",
        &path.join(","),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let files = results::list(&dir).unwrap();
    (files[0].clone(), path)
}

/// The text of the choice with this id: from its `(` to its `),`.
fn choice_block(text: &str, id: &str) -> std::ops::Range<usize> {
    let at = text.find(&format!("id: \"{id}\",")).unwrap();
    let start = text[..at].rfind('(').unwrap();
    let end =
        at + text[at..].find("\n                ),\n").unwrap() + "\n                ),\n".len();
    start..end
}

fn edit_choice(text: &mut String, id: &str, edit: impl FnOnce(&str) -> String) {
    let block = choice_block(text, id);
    let edited = edit(&text[block.clone()]);
    text.replace_range(block, &edited);
}

fn write_copy(dir: &Path, text: &str) -> PathBuf {
    let file = dir.join("grief-eleven-weeks.scenario.ron");
    std::fs::write(&file, text).unwrap();
    file
}

/// The report's lines about decision `step`: its heading and the indented lines under it.
fn decision(report: &str, step: usize) -> String {
    let head = format!("{step:>3}. at `");
    let lines: Vec<&str> = report.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with(&head))
        .unwrap_or_else(|| panic!("no decision {step} in:\n{report}"));
    let mut section = vec![lines[first]];
    section.extend(
        lines[first + 1..]
            .iter()
            .take_while(|l| l.starts_with("     ") || l.starts_with("  ✗")),
    );
    section.join("\n")
}

#[test]
fn each_edit_is_named_at_its_decision_and_the_path_stops_where_it_breaks() {
    let (result, path) = played("against-edits");
    let mut text = std::fs::read_to_string(repo_root().join(TOM)).unwrap();
    // Decision 2: a score; decision 3: the wording of the reply; decision 5: the reply removed.
    let mut reflecting = 0;
    edit_choice(&mut text, &path[1], |c| {
        let at = c.find("reflecting: ").unwrap() + "reflecting: ".len();
        reflecting = c[at..at + 1].parse().unwrap();
        format!("{}{}{}", &c[..at], reflecting - 1, &c[at + 1..])
    });
    edit_choice(&mut text, &path[2], |c| {
        c.replacen("reply: \"", "reply: \"Right now, ", 1)
    });
    // The first reply on the path from decision 4 on whose removal leaves a valid scenario
    // (some replies are the only way to a node).
    let (removed, text) = (3..path.len())
        .find_map(|i| {
            let mut without = text.clone();
            edit_choice(&mut without, &path[i], |_| String::new());
            let loaded = attune_core::load_str("x.scenario.ron", without.clone(), None);
            (loaded.errors() == 0).then_some((i + 1, without))
        })
        .expect("a reply on the path that can be removed");
    let edited = write_copy(&scratch_dir("against-edits-file"), &text);

    let out = run(&[
        "replay",
        result.to_str().unwrap(),
        "--against",
        edited.to_str().unwrap(),
    ]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.contains(
            "compared with scenarios/grief-eleven-weeks.scenario.ron, the scenario as it was played"
        ),
        "{report}"
    );
    let total = path.len();
    assert!(
        report.contains(&format!(
            "2 decisions changed before the path breaks at decision {removed} of {total}"
        )),
        "{report}"
    );

    assert!(decision(&report, 1).ends_with(": unchanged"), "{report}");
    let second = decision(&report, 2);
    assert!(second.contains(&format!("chose `{}`", path[1])), "{second}");
    let signed = |n: i32| {
        if n == 0 {
            "0".to_owned()
        } else {
            format!("{n:+}")
        }
    };
    let change = format!(
        "score for reflecting feelings: {} → {}",
        signed(reflecting),
        signed(reflecting - 1)
    );
    assert!(second.contains(&change), "{second}");
    let third = decision(&report, 3);
    assert!(third.contains("the reply is reworded:"), "{third}");
    assert!(third.contains("after:  \"Right now, "), "{third}");
    assert!(!third.contains("score for"), "{third}");
    for step in 4..removed {
        assert!(decision(&report, step).ends_with(": unchanged"), "{report}");
    }
    let breaks = decision(&report, removed);
    assert!(
        breaks.contains(&format!("chose `{}`", path[removed - 1])),
        "{breaks}"
    );
    assert!(
        breaks.contains(&format!(
            "The path breaks at decision {removed} of {total}: the reply chosen,"
        )),
        "{breaks}"
    );
    assert!(breaks.contains("is no longer in the scenario"), "{breaks}");
    // It stops there: nothing after the break.
    assert!(
        !report.contains(&format!("{:>3}. at `", removed + 1)),
        "{report}"
    );
    assert!(
        report.contains("after:  none: the path breaks before it ends"),
        "{report}"
    );
    assert!(
        report.contains(&format!("Scores (the {} decisions replayed)", removed - 1)),
        "{report}"
    );
}

#[test]
fn a_reply_removed_elsewhere_leaves_the_path_whole() {
    let (result, path) = played("against-other-reply");
    let mut text = std::fs::read_to_string(repo_root().join(TOM)).unwrap();
    // A reply at the first node that the path did not take (and not the only way to a node).
    let gone = "opening.sell-counselling";
    assert!(!path.iter().any(|p| p == gone));
    edit_choice(&mut text, gone, |_| String::new());
    let edited = write_copy(&scratch_dir("against-other-reply-file"), &text);
    let out = run(&[
        "replay",
        result.to_str().unwrap(),
        "--against",
        edited.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stdout(&out);
    let first = decision(&report, 1);
    assert!(
        first.contains("no longer on offer: `opening.sell-counselling` (removed from the node)"),
        "{first}"
    );
    assert!(
        report.contains("the whole path can still be followed"),
        "{report}"
    );
    assert!(
        report.contains("before: `end-engaged`") && report.contains("after:  `end-engaged`"),
        "{report}"
    );
}

#[test]
fn unusable_inputs_exit_1_and_plain_replay_still_refuses_an_edit() {
    let (result, _) = played("against-unusable");
    let dir = scratch_dir("against-unusable-file");

    let mut broken = std::fs::read_to_string(repo_root().join(TOM)).unwrap();
    broken = broken.replacen("next: \"managing\",", "next: \"managin\",", 1);
    let broken = write_copy(&dir, &broken);
    let out = run(&[
        "replay",
        result.to_str().unwrap(),
        "--against",
        broken.to_str().unwrap(),
    ]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `managing`?"),
        "{}",
        stderr(&out)
    );

    let other = repo_root().join("scenarios/new-country-student.scenario.ron");
    let out = run(&[
        "replay",
        result.to_str().unwrap(),
        "--against",
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("this result is for the scenario `grief-eleven-weeks`"),
        "{}",
        stderr(&out)
    );

    let mut reworded = std::fs::read_to_string(repo_root().join(TOM)).unwrap();
    reworded = reworded.replacen(
        "Eleven weeks is no time at all.",
        "Eleven weeks is no time.",
        1,
    );
    let reworded = write_copy(&dir, &reworded);
    let out = run(&[
        "replay",
        result.to_str().unwrap(),
        "--scenario",
        reworded.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the scenario file has changed since this run"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "replay",
        result.to_str().unwrap(),
        "--against",
        reworded.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
