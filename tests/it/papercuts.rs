//! What a new user tripped on, with the README and the release binary: each as a test on the
//! real binary.

use std::io::Write;
use std::process::{Output, Stdio};

use attune_core::results;

use crate::support::{assert_no_panic, attune, run, scratch_dir, stderr, stdout};

const TOM: &str = "scenarios/grief-eleven-weeks.scenario.ron";

/// `attune play` with `input` piped to stdin (no terminal).
fn play_piped(args: &[&str], input: &[u8]) -> Output {
    let mut child = attune()
        .arg("play")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_no_panic(&output);
    output
}

#[cfg(feature = "app")]
#[test]
fn app_options_work_without_the_app_subcommand() {
    // Parsed as the app's option (not "unexpected argument"); the app then says there is no
    // display, which proves the option reached it.
    let output = attune()
        .args(["--results", "some-folder"])
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(!err.contains("unexpected argument"), "{err}");
    assert!(err.contains("no display"), "{err}");
    // Subcommands still work, and do not take the app's options.
    let output = run(&["--results", "x", "check", "scenarios/"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn labels_not_enum_names_reach_the_trainee() {
    let dir = scratch_dir("labels");
    let output = run(&[
        "play",
        TOM,
        "--seed",
        "3",
        "--no-save",
        "--choices",
        "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
    ]);
    let out = stdout(&output);
    for debug_name in [
        "(Engaged)",
        "(Disengaged)",
        "(Unresolved)",
        "(Referred)",
        "(Guarded)",
        "(Sad)",
        "(Neutral)",
    ] {
        assert!(!out.contains(debug_name), "`{debug_name}` in:\n{out}");
    }
    assert!(out.contains("(outcome: "), "{out}");
    assert!(
        out.contains("Mode: practice. Feedback after every reply."),
        "{out}"
    );
    assert!(!out.contains("Mode: practice:"), "{out}");
    assert!(results::list(&dir).unwrap().is_empty());
}

#[test]
fn piped_replies_are_echoed_and_a_wrong_key_does_not_reprint_the_turn() {
    let output = play_piped(&[TOM, "--seed", "2026", "--no-save"], b"x\n\n2\nq\n");
    let out = stdout(&output);
    // The transcript shows what was typed.
    assert!(out.contains("> x\n"), "{out}");
    assert!(out.contains("> 2\n"), "{out}");
    // The opening line is printed once, although two answers were not understood.
    let opening = "only here because our Sarah made me";
    assert_eq!(out.matches(opening).count(), 1, "{out}");
    assert_eq!(
        out.matches("Type a number from 1 to 4, h for a hint")
            .count(),
        2,
        "{out}"
    );
    assert!(stderr(&output).contains("Not saved (--no-save)."));
}

#[test]
fn a_line_that_is_not_utf8_is_just_an_unrecognised_answer() {
    let dir = scratch_dir("not-utf8");
    let output = play_piped(
        &[TOM, "--seed", "2026", "--results", dir.to_str().unwrap()],
        b"\xff\xfe\n1\n",
    );
    let out = stdout(&output);
    assert!(out.contains("Type a number from 1 to 4"), "{out}");
    let files = results::list(&dir).unwrap();
    let result = results::load(&files[0]).unwrap();
    assert_eq!(result.decisions.len(), 1, "the reply after it still counts");
}

#[test]
fn a_short_session_gets_no_band_and_says_why() {
    let dir = scratch_dir("short-session");
    // One reply, then the input ends: saved as abandoned.
    let output = play_piped(
        &[TOM, "--seed", "2026", "--results", dir.to_str().unwrap()],
        b"3\n",
    );
    let out = stdout(&output);
    assert!(!out.contains("proficient"), "{out}");
    assert!(
        out.contains("too few decisions for a band (1 of 4)"),
        "{out}"
    );
    let result = results::load(&results::list(&dir).unwrap()[0]).unwrap();
    assert_eq!(result.status, results::RunStatus::Abandoned);
    assert!(result.scores.iter().all(|s| s.band.is_none()));
}

#[test]
fn an_unknown_choice_id_lists_the_ids_on_offer() {
    let output = run(&[
        "play",
        TOM,
        "--seed",
        "1",
        "--no-save",
        "--choices",
        "opening.nope",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("the choice `opening.nope` is not on offer here"),
        "{err}"
    );
    assert!(err.contains("on offer: opening."), "{err}");
    assert!(err.contains("opening.reflect-reluctance"), "{err}");
}

#[test]
fn no_save_writes_nothing() {
    let dir = scratch_dir("no-save");
    let output = run(&["play", TOM, "--seed", "1", "--no-save", "--choices", "1"]);
    assert_no_panic(&output);
    assert!(stderr(&output).contains("Not saved"));
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none());
    // And it cannot be combined with a results folder.
    let both = run(&["play", TOM, "--no-save", "--results", "x"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn the_debrief_explains_points_and_indicators_and_keeps_its_indent() {
    let output = run(&[
        "play",
        TOM,
        "--seed",
        "5",
        "--no-save",
        "--choices",
        "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
    ]);
    let out = stdout(&output);
    let debrief = &out[out.find("DEBRIEF").unwrap()..];
    assert!(
        debrief.contains("; the replies you were offered ranged from"),
        "{debrief}"
    );
    assert!(!debrief.contains("possible)"), "{debrief}");
    assert!(
        debrief.contains("Level 3 means a reply gives back"),
        "{debrief}"
    );
    assert!(
        debrief.contains("Reflections say back what you heard"),
        "{debrief}"
    );
    assert!(
        debrief.contains("A complex reflection adds meaning"),
        "{debrief}"
    );
    // A long client line wraps under its own text, not at the left margin.
    let replies = &debrief[debrief.find("Your replies").unwrap()..];
    let mut in_said = false;
    let mut wrapped = 0;
    for line in replies.lines() {
        if line
            .split_once(". The client said: ")
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        {
            in_said = true;
        } else if in_said && line.trim_start().starts_with("You said") {
            in_said = false;
        } else if in_said {
            wrapped += 1;
            assert!(line.starts_with("   "), "unindented continuation: {line:?}");
        }
    }
    assert!(
        wrapped > 0,
        "some client line is long enough to wrap:\n{replies}"
    );
}

#[test]
fn meters_stay_still_in_assessment_mode_until_the_debrief() {
    let output = run(&[
        "play",
        TOM,
        "--seed",
        "5",
        "--mode",
        "assessment",
        "--no-save",
        "--choices",
        "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
    ]);
    let out = stdout(&output);
    let headers: Vec<_> = out.lines().filter(|l| l.starts_with("── Tom")).collect();
    assert!(headers.len() > 3, "{out}");
    assert!(
        headers.iter().all(|h| h.ends_with("· trust 2/10")),
        "the meter moved during the session:\n{}",
        headers.join("\n")
    );
    // The debrief says where it ended.
    assert!(out.contains("Trust went from 2 to "), "{out}");
    // In practice mode it moves.
    let practice = stdout(&run(&[
        "play",
        TOM,
        "--seed",
        "5",
        "--no-save",
        "--choices",
        "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
    ]));
    assert!(
        practice
            .lines()
            .filter(|l| l.starts_with("── Tom"))
            .any(|h| !h.ends_with("· trust 2/10")),
        "{practice}"
    );
}
