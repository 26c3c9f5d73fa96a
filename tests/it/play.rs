//! `attune play` and `attune replay`, through the real binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use attune_core::engine::{Mode, Session, Status};
use attune_core::results::{self, RunResult};
use attune_core::scoring::{Band, MIN_DECISIONS_FOR_BAND};
use attune_core::{Playable, load_file};

use crate::support::{assert_no_panic, attune, repo_root, run, scratch_dir, stderr, stdout};

const SCENARIOS: [&str; 3] = [
    "scenarios/grief-eleven-weeks.scenario.ron",
    "scenarios/guarded-teen-referral.scenario.ron",
    "scenarios/new-country-student.scenario.ron",
];

fn scenario(path: &str) -> Arc<Playable> {
    load_file(&repo_root().join(path), None)
        .unwrap()
        .playable
        .unwrap()
}

/// The id of the offered reply with the highest (or lowest) total score.
fn extreme_offered(session: &Session, best: bool) -> String {
    let offered = session.offered_ids().zip(session.offered());
    let pick = if best {
        offered.max_by_key(|(_, c)| c.total())
    } else {
        offered.min_by_key(|(_, c)| c.total())
    };
    pick.unwrap().0.to_string()
}

/// The choice ids of the path that always takes the highest-scoring (or lowest) reply on offer.
fn greedy_path(scenario: &Arc<Playable>, best: bool) -> Vec<String> {
    let mut session = Session::start(scenario.clone(), Mode::Assessment, 1);
    let mut path = Vec::new();
    while session.status() == Status::AwaitingChoice {
        let choice = extreme_offered(&session, best);
        session.choose_id(&choice, 0).unwrap();
        path.push(choice);
    }
    path
}

fn play(
    scenario: &str,
    seed: &str,
    choices: &[String],
    results: &Path,
    extra: &[&str],
) -> std::process::Output {
    let choices = choices.join(",");
    let mut args = vec![
        "play",
        scenario,
        "--seed",
        seed,
        "--trainee",
        "Trainee 7",
        "--results",
        results.to_str().unwrap(),
        "--choices",
        &choices,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn only_result(dir: &Path) -> (PathBuf, RunResult) {
    let files = results::list(dir).unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    let result = results::load(&files[0]).unwrap();
    (files[0].clone(), result)
}

#[test]
fn the_best_path_engages_and_the_worst_disengages_in_every_scenario() {
    for path in SCENARIOS {
        let scenario = scenario(path);
        for (best, outcome) in [(true, "engaged"), (false, "disengaged")] {
            let dir = scratch_dir(&format!("play-{}-{best}", scenario.scenario().id.value));
            let output = play(
                path,
                "11",
                &greedy_path(&scenario, best),
                &dir,
                &["--mode", "assessment"],
            );
            assert_no_panic(&output);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            let out = stdout(&output);
            assert!(
                out.contains(&format!("(outcome: {outcome})")),
                "{path}: expected {outcome}:\n{out}"
            );
            let (_, result) = only_result(&dir);
            assert_eq!(result.ending.unwrap().outcome.label(), outcome);
            assert_eq!(result.trainee.as_str(), "Trainee 7");
            if best {
                for skill in &result.scores {
                    assert_eq!(skill.band, Some(Band::Proficient), "{path}: {skill:?}");
                    assert!(skill.scenario_best.unwrap() >= skill.raw);
                }
                assert!(out.contains("This was the strongest reply on offer."));
                assert!(
                    !out.contains("Better: "),
                    "no better alternative on the best path"
                );
            } else {
                // Emerging, or no band where the worst path is too short to give one (Jayden's
                // worst path walks out after three replies).
                assert!(
                    result.scores.iter().all(|s| s.band == Some(Band::Emerging)
                        || (s.band.is_none() && s.decisions < MIN_DECISIONS_FOR_BAND)),
                    "{path}: {:?}",
                    result.scores
                );
                assert!(out.contains("Better: "));
            }
        }
    }
}

#[test]
fn replay_reproduces_the_debrief() {
    for path in SCENARIOS {
        let scenario = scenario(path);
        let dir = scratch_dir(&format!("replay-{}", scenario.scenario().id.value));
        // A practice run with a take-back and a hint along the way.
        let mut choices = greedy_path(&scenario, false);
        choices.truncate(1);
        choices.push("b".into());
        choices.push("h".into());
        choices.extend(greedy_path_from(&scenario, &choices));
        let output = play(path, "5", &choices, &dir, &[]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}\n{}",
            stdout(&output),
            stderr(&output)
        );
        let played = stdout(&output);
        let debrief = &played[played.find("DEBRIEF").unwrap()..];
        let (file, result) = only_result(&dir);
        assert!(result.decisions.iter().any(|d| d.taken_back));
        assert_eq!(result.hints_used, 1);

        let replayed = run(&["replay", file.to_str().unwrap()]);
        assert_eq!(replayed.status.code(), Some(0), "{}", stderr(&replayed));
        let replayed = stdout(&replayed);
        assert_eq!(&replayed[replayed.find("DEBRIEF").unwrap()..], debrief);
    }
}

/// Continues a scripted path (which may contain `b`/`h`) with the best replies to the end.
fn greedy_path_from(scenario: &Arc<Playable>, prefix: &[String]) -> Vec<String> {
    let mut session = Session::start(scenario.clone(), Mode::Practice, 5);
    for token in prefix {
        match token.as_str() {
            "b" => session.take_back().unwrap(),
            "h" => {
                session.hint().unwrap();
            }
            id => {
                session.choose_id(id, 0).unwrap();
            }
        }
    }
    let mut rest = Vec::new();
    while session.status() == Status::AwaitingChoice {
        let id = extreme_offered(&session, true);
        session.choose_id(&id, 0).unwrap();
        rest.push(id);
    }
    rest
}

#[test]
fn same_seed_and_choices_give_the_same_transcript_and_result() {
    let path = SCENARIOS[1];
    let dir_a = scratch_dir("determinism-a");
    let dir_b = scratch_dir("determinism-b");
    let choices: Vec<String> = [
        "2", "1", "3", "1", "2", "1", "1", "2", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let a = play(path, "2024", &choices, &dir_a, &[]);
    let b = play(path, "2024", &choices, &dir_b, &[]);
    assert_eq!(stdout(&a), stdout(&b));
    let (_, mut ra) = only_result(&dir_a);
    let (_, mut rb) = only_result(&dir_b);
    for r in [&mut ra, &mut rb] {
        r.started_at.clear();
        r.ended_at.clear();
        r.run = Default::default();
    }
    assert_eq!(ra, rb);
    let c = play(path, "2025", &choices, &scratch_dir("determinism-c"), &[]);
    assert_ne!(stdout(&a), stdout(&c), "another seed shows another order");
}

#[test]
fn quitting_and_closed_input_save_an_abandoned_result() {
    let dir = scratch_dir("abandoned");
    let mut child = attune()
        .args([
            "play",
            SCENARIOS[0],
            "--seed",
            "3",
            "--results",
            dir.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"1\n\nh\n2\nq\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("Hint:"));
    let (_, result) = only_result(&dir);
    assert_eq!(result.status, results::RunStatus::Abandoned);
    assert_eq!(result.decisions.len(), 2);
    assert!(result.decisions[1].hint_used);

    // Input that simply ends (no `q`) is a quit too.
    let dir = scratch_dir("abandoned-eof");
    let output = attune()
        .args(["play", SCENARIOS[2], "--results", dir.to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(only_result(&dir).1.status, results::RunStatus::Abandoned);
}

#[test]
fn damaged_results_give_clear_errors() {
    let dir = scratch_dir("damaged");
    let scenario = scenario(SCENARIOS[0]);
    play(
        SCENARIOS[0],
        "8",
        &greedy_path(&scenario, true),
        &dir,
        &["--mode", "assessment"],
    );
    let (file, result) = only_result(&dir);
    let text = std::fs::read_to_string(&file).unwrap();

    let check = |name: &str, content: &str, expected: &str| {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let output = run(&["replay", path.to_str().unwrap()]);
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let err = stderr(&output);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            err.contains(path.to_str().unwrap()),
            "{name} names the file: {err}"
        );
    };
    check(
        "truncated.json",
        &text[..text.len() / 2],
        "the file ends in the middle of the result",
    );
    check(
        "not-json.json",
        "this is not json",
        "1:2: this is not a valid Attune result",
    );
    check("empty.json", "", "ends in the middle");
    let first = result.decisions[0].chosen.to_string();
    let other = result.decisions[0]
        .shown
        .iter()
        .find(|c| **c != result.decisions[0].chosen)
        .unwrap()
        .to_string();
    check(
        "other-choice.json",
        &text.replacen(
            &format!("\"chosen\": \"{first}\""),
            &format!("\"chosen\": \"{other}\""),
            1,
        ),
        "the result file may have been edited",
    );
    check(
        "unknown-choice.json",
        &text.replacen(
            &format!("\"chosen\": \"{first}\""),
            "\"chosen\": \"made-up\"",
            1,
        ),
        "decision 1 in the result does not fit the scenario: the choice `made-up` is not on offer here",
    );
    check(
        "newer-schema.json",
        &text.replacen("\"schema\": 1", "\"schema\": 9", 1),
        "schema version 9",
    );
    check(
        "changed-scenario.json",
        &text.replacen(&result.scenario.content_hash, &"0".repeat(64), 1),
        "the scenario file has changed since this run",
    );
    let missing = run(&["replay", "no/such/result.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no/such/result.json"));
}

#[cfg(feature = "dev")]
#[test]
fn a_killed_save_leaves_no_half_written_result() {
    let dir = scratch_dir("killed-save");
    let scenario = scenario(SCENARIOS[0]);
    let choices = greedy_path(&scenario, true).join(",");
    let output = attune()
        .args([
            "play",
            SCENARIOS[0],
            "--seed",
            "4",
            "--results",
            dir.to_str().unwrap(),
            "--choices",
            &choices,
        ])
        .env("ATTUNE_TEST_CRASH_DURING_SAVE", "1")
        .output()
        .unwrap();
    assert!(!output.status.success(), "the save was interrupted");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers.is_empty(),
        "the interrupted temporary file is there"
    );
    assert!(
        results::list(&dir).unwrap().is_empty(),
        "but no result file: {leftovers:?}"
    );
    for name in leftovers {
        let name = name.to_string_lossy();
        assert!(
            name.starts_with('.') && name.ends_with(".partial"),
            "{name}"
        );
    }
    // The next save in the same folder works, and the folder still holds only complete results.
    let output = play(SCENARIOS[0], "4", &greedy_path(&scenario, true), &dir, &[]);
    assert_eq!(output.status.code(), Some(0));
    for file in results::list(&dir).unwrap() {
        results::load(&file).unwrap();
    }
}

/// FAT/exFAT sticks and many SMB shares refuse hard links (and no-clobber renames): the save
/// falls back to reserving the name, and still never replaces another run's result.
#[cfg(feature = "dev")]
#[test]
fn results_save_on_a_folder_that_refuses_links() {
    let dir = scratch_dir("no-links");
    let scenario = scenario(SCENARIOS[0]);
    let path = greedy_path(&scenario, true).join(",");
    let mut saved = Vec::new();
    for _ in 0..3 {
        let output = attune()
            .args(["play", SCENARIOS[0], "--seed", "4", "--trainee", "same"])
            .args(["--results", dir.to_str().unwrap(), "--choices", &path])
            .env("ATTUNE_TEST_NO_LINKS", "1")
            .output()
            .unwrap();
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        saved.push(stderr(&output));
    }
    let files = results::list(&dir).unwrap();
    assert_eq!(files.len(), 3, "three runs, three results: {saved:?}");
    for file in &files {
        assert_eq!(
            results::load(file).unwrap().status,
            results::RunStatus::Completed
        );
    }
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(leftovers, 0, "no temporary files left behind");
}

#[test]
fn bad_scripted_choices_are_reported_and_the_run_kept() {
    let dir = scratch_dir("bad-choice");
    let output = play(SCENARIOS[0], "1", &["9".to_owned()], &dir, &[]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("there is no option 9: choose 1 to 4"),
        "{}",
        stderr(&output)
    );
    assert_eq!(only_result(&dir).1.status, results::RunStatus::Abandoned);

    let dir = scratch_dir("short-script");
    let output = play(SCENARIOS[0], "1", &["1".to_owned()], &dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("ran out before the session ended"));
    assert!(stderr(&output).contains("the run is saved as abandoned"));
    let unsaved = run(&[
        "play",
        SCENARIOS[0],
        "--seed",
        "1",
        "--no-save",
        "--choices",
        "1",
    ]);
    assert_eq!(unsaved.status.code(), Some(1));
    assert!(
        stderr(&unsaved).contains("ends as abandoned (not saved)"),
        "{}",
        stderr(&unsaved)
    );

    let broken = run(&[
        "play",
        "tests/broken/unknown-node.scenario.ron",
        "--results",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("tests/broken/unknown-node.scenario.ron:75:27"));
}

/// An ending's conditional debrief notes appear in the debrief and in the result only on the
/// paths they describe; a reply coded as two things is saved with both codes.
#[test]
fn ending_notes_follow_the_path_and_both_codes_are_saved() {
    let base = std::fs::read_to_string(repo_root().join("tests/scenarios-ok/broken-base.scenario.ron"))
        .unwrap()
        .replacen(
            "debrief: \"Reflecting",
            "notes: [(when: \"felt_judged\", text: \"The early advice was remembered: Sam needed the door reopened.\")],\n            debrief: \"Reflecting",
            1,
        )
        .replacen("miti: SimpleReflection", "miti: [SimpleReflection, Question]", 1);
    let dir = scratch_dir("ending-notes");
    let file = dir.join("notes.scenario.ron");
    std::fs::write(&file, base).unwrap();
    for (path, noted) in [("opening.2,guarded.1", true), ("opening.1,open.1", false)] {
        let results = dir.join(format!("results-{noted}"));
        let output = run(&[
            "play",
            file.to_str().unwrap(),
            "--seed",
            "1",
            "--results",
            results.to_str().unwrap(),
            "--choices",
            path,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let out = stdout(&output);
        assert_eq!(
            out.contains("The early advice was remembered"),
            noted,
            "{out}"
        );
        let (_, result) = only_result(&results);
        assert_eq!(result.ending.unwrap().notes.len(), usize::from(noted));
        if !noted {
            let first = &result.decisions[0];
            assert_eq!(first.miti, Some(attune_core::model::Miti::SimpleReflection));
            assert_eq!(first.miti_also, [attune_core::model::Miti::Question]);
        }
    }
}
