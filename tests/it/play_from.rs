//! `attune play --from NODE --state ...`: trying one part of a scenario, through the real binary.

use crate::support::{assert_no_panic, attune, run, scratch_dir, stderr, stdout};

const TOM: &str = "scenarios/grief-eleven-weeks.scenario.ron";

#[test]
fn a_run_from_a_node_starts_there_with_the_state_given_and_is_not_saved() {
    // Where an unsaved-by-default run would go: the user data folder, moved to a scratch folder.
    let data = scratch_dir("play-from-data");
    // `relief.both-true` is offered only when `anger_heard` is set.
    let out = attune()
        .env("XDG_DATA_HOME", &data)
        .args([
            "play",
            TOM,
            "--from",
            "relief",
            "--state",
            "trust=6,anger_heard",
            "--seed",
            "4",
            "--choices",
            "relief.both-true,q",
        ])
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("it starts at `relief`"), "{text}");
    assert!(text.contains("trust 6 (0 to 10)"), "{text}");
    assert!(text.contains("Flags set: anger_heard"), "{text}");
    // The trust meter starts where --state put it, and the conditional reply is on offer.
    assert!(text.contains("· trust 6/10"), "{text}");
    assert!(text.contains("(trust 6 → 8)"), "{text}");
    assert!(!text.contains("Presenting concern"), "no briefing: {text}");
    assert!(stderr(&out).contains("Not saved: a run started part-way"));
    assert!(
        std::fs::read_dir(&data).unwrap().next().is_none(),
        "nothing saved"
    );

    // --from conflicts with saving.
    let saved = run(&[
        "play",
        TOM,
        "--from",
        "relief",
        "--results",
        data.to_str().unwrap(),
    ]);
    assert_eq!(saved.status.code(), Some(2));
    // --state needs --from.
    let alone = run(&["play", TOM, "--state", "trust=4", "--no-save"]);
    assert_eq!(alone.status.code(), Some(2));
}

#[test]
fn without_the_flag_the_conditional_reply_is_not_offered() {
    let out = run(&[
        "play",
        TOM,
        "--from",
        "relief",
        "--seed",
        "4",
        "--choices",
        "relief.both-true",
    ]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`relief.both-true` is not on offer"),
        "{}",
        stderr(&out)
    );
}

/// Runs `play --from` with arguments that must be refused before the session starts.
fn refused(extra: &[&str]) -> String {
    let mut args = vec!["play", TOM, "--no-save", "--choices", "1"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stdout(&out));
    assert!(
        stdout(&out).is_empty(),
        "nothing is played: {}",
        stdout(&out)
    );
    stderr(&out)
}

#[test]
fn a_node_that_is_not_a_client_node_is_refused_with_where_to_start_instead() {
    let err = refused(&["--from", "after-chair"]);
    assert!(err.contains("error: `after-chair` is a branch"), "{err}");
    assert!(
        err.contains(
            "help: start at a client node it leads to: `shut-door`, `illness`, `what-now`"
        ),
        "{err}"
    );

    let err = refused(&["--from", "end-referred"]);
    assert!(err.contains("error: `end-referred` is an ending"), "{err}");
    assert!(
        err.contains("help: start at a client node that leads to it: `shut-door`, `closing`"),
        "{err}"
    );

    let err = refused(&["--from", "releif"]);
    assert!(
        err.contains("error: there is no node `releif` in this scenario"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `relief`?"), "{err}");
}

#[test]
fn state_mistakes_are_refused_with_the_names_and_ranges() {
    let err = refused(&["--from", "relief", "--state", "trust=11"]);
    assert!(
        err.contains("`trust=11` is outside the range of `trust`, from 0 to 10"),
        "{err}"
    );

    let err = refused(&["--from", "relief", "--state", "trsut=4"]);
    assert!(
        err.contains("this scenario has no variable `trsut`"),
        "{err}"
    );
    assert!(err.contains("did you mean `trust`?"), "{err}");
    assert!(err.contains("openness (from 0 to 5)"), "{err}");

    let err = refused(&["--from", "relief", "--state", "anger_herd"]);
    assert!(
        err.contains("this scenario has no flag `anger_herd`"),
        "{err}"
    );
    assert!(err.contains("did you mean `anger_heard`?"), "{err}");

    let err = refused(&["--from", "relief", "--state", "felt_dismissed=true"]);
    assert!(
        err.contains("`felt_dismissed` is a flag, not a number"),
        "{err}"
    );

    let err = refused(&["--from", "relief", "--state", "trust"]);
    assert!(
        err.contains("`trust` is a variable: give it a value"),
        "{err}"
    );
}
