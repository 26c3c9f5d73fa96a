//! `attune new`, through the real binary.

use crate::support::{assert_no_panic, run, scratch_dir, stderr, stdout};

#[test]
fn a_new_scenario_passes_a_strict_check_and_plays_to_an_ending() {
    let dir = scratch_dir("new-checks");
    let out = run(&["new", "my-client", "--dir", dir.to_str().unwrap()]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = dir.join("my-client.scenario.ron");
    assert!(stdout(&out).contains(&format!("attune check {}", file.display())));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("id: \"my-client\","));

    let check = run(&["check", "--strict", file.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stdout(&check).contains("0 warnings"), "{}", stdout(&check));

    // The strongest reply at every turn: the path a lecturer plays first.
    let best =
        "opening.phone,the-load.as-if-nothing,shouted.you-stopped,in-the-car.both,closing.told-me";
    let play = run(&[
        "play",
        file.to_str().unwrap(),
        "--seed",
        "1",
        "--no-save",
        "--choices",
        best,
    ]);
    assert_eq!(play.status.code(), Some(0), "{}", stderr(&play));
    assert!(
        stdout(&play).contains("Same time next week"),
        "{}",
        stdout(&play)
    );
}

#[test]
fn the_portrait_a_new_scenario_names_is_a_shipped_one() {
    let dir = scratch_dir("new-portrait");
    let out = run(&["new", "portrait-check", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = dir.join("portrait-check.scenario.ron");
    let assets = crate::support::repo_root().join("assets");
    let check = run(&[
        "check",
        "--strict",
        "--assets",
        assets.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn new_never_writes_over_a_file() {
    let dir = scratch_dir("new-twice");
    let args = ["new", "twice", "--dir", dir.to_str().unwrap()];
    assert_eq!(run(&args).status.code(), Some(0));
    let file = dir.join("twice.scenario.ron");
    std::fs::write(&file, "my own work").unwrap();
    let again = run(&args);
    assert_no_panic(&again);
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert!(
        err.contains("already exists") && err.contains("never writes over"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own work");
}

#[test]
fn a_bad_id_is_refused_with_one_that_would_do() {
    let dir = scratch_dir("new-bad-id");
    for (id, suggestion) in [
        ("My Client", "attune new my-client"),
        ("../escape", "attune new escape"),
        ("grief/week1", "attune new griefweek1"),
        ("***", "attune new carer-first-session"),
    ] {
        let out = run(&["new", id, "--dir", dir.to_str().unwrap()]);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(2), "{id}");
        let err = stderr(&out);
        assert!(err.contains("cannot be a scenario id"), "{err}");
        assert!(err.contains(suggestion), "{id}: {err}");
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
}
