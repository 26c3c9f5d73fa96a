//! What an outside probe of hostile files found, each as a test on the real binary: files that
//! are not files (named pipes, devices, folder loops), files too large to read, results folders
//! that fail, results that point elsewhere or were edited, text that would control the terminal.
//! Each test says which promise of `docs/reliability.md` it shows.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use attune_core::engine::{Mode, Session, Status};
use attune_core::results;
// Used by the tests that need the `dev` feature's injected failures.
#[cfg(feature = "dev")]
use attune_core::results::{RunResult, RunStatus};

use crate::support::{assert_no_panic, repo_root, run_within, scratch_dir, stderr, stdout};
#[cfg(feature = "dev")]
use crate::support::{attune, output_within};

const TOM: &str = "scenarios/grief-eleven-weeks.scenario.ron";
const BASE: &str = "tests/scenarios-ok/broken-base.scenario.ron";

/// The scripted inputs of a practice run of `TOM` with seed 5: a hint at the first prompt, then
/// the first option shown, to the end.
fn hinted_path() -> Vec<String> {
    let playable = attune_core::load_file(&repo_root().join(TOM), None)
        .unwrap()
        .playable
        .unwrap();
    let mut session = Session::start(playable, Mode::Practice, 5);
    let mut inputs = vec!["h".to_owned()];
    while session.status() == Status::AwaitingChoice {
        session.choose(1, 0).unwrap();
        inputs.push("1".to_owned());
    }
    inputs
}

/// Plays the hinted path into `dir` and returns the result file and its text.
fn finished_run(dir: &Path) -> (PathBuf, String) {
    let choices = hinted_path().join(",");
    let output = run_within(&[
        "play",
        TOM,
        "--seed",
        "5",
        "--results",
        dir.to_str().unwrap(),
        "--choices",
        &choices,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = results::list(dir).unwrap();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    (files[0].clone(), text)
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// "No crash or hang on user files": a named pipe where a file should be blocks a reader forever.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let dir = scratch_dir("fifo");
    let pipe = dir.join("pipe.scenario.ron");
    mkfifo(&pipe);
    std::fs::copy(repo_root().join(BASE), dir.join("real.scenario.ron")).unwrap();
    let pipe = pipe.to_str().unwrap();

    let named = run_within(&["check", pipe]);
    assert_eq!(named.status.code(), Some(2));
    assert!(
        stderr(&named).contains("it is a named pipe (FIFO), not a file"),
        "{}",
        stderr(&named)
    );

    // In a folder: reported and skipped; the other file is still checked.
    let folder = run_within(&["check", dir.to_str().unwrap()]);
    assert_no_panic(&folder);
    assert_eq!(folder.status.code(), Some(1));
    assert!(stderr(&folder).contains("pipe.scenario.ron: it is a named pipe (FIFO)"));
    assert!(
        stdout(&folder).contains("real.scenario.ron: 4 nodes"),
        "{}",
        stdout(&folder)
    );

    let play = run_within(&["play", pipe, "--no-save"]);
    assert_eq!(play.status.code(), Some(2));
    assert!(stderr(&play).contains("named pipe"));

    let result_pipe = dir.join("run.result.json");
    mkfifo(&result_pipe);
    let replay = run_within(&["replay", result_pipe.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(1));
    assert!(
        stderr(&replay).contains("named pipe"),
        "{}",
        stderr(&replay)
    );
}

/// "No crash or hang on user files": links from a folder to its parents made `check` explore
/// 2^40 paths.
#[cfg(unix)]
#[test]
fn folders_that_link_back_are_searched_once() {
    let dir = scratch_dir("link-loop");
    std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
    std::fs::copy(repo_root().join(BASE), dir.join("a/b/c/one.scenario.ron")).unwrap();
    // Every folder links to the top and to its own parent: without the visited set, each level
    // doubles the paths.
    let links = [
        ("a", "."),
        ("a/b", ".."),
        ("a/b/c", "../.."),
        ("a/b/c", ".."),
    ];
    for (n, (at, to)) in links.into_iter().enumerate() {
        for i in 0..3 {
            let link = dir.join(at).join(format!("loop-{n}-{i}"));
            std::os::unix::fs::symlink(dir.join(at).join(to), link).unwrap();
        }
    }
    let output = run_within(&["check", dir.to_str().unwrap()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output)
            .lines()
            .filter(|l| l.starts_with("ok"))
            .count(),
        1
    );
}

/// "No crash or hang on user files": a link to `/dev/zero` was read until memory ran out.
#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_refused_without_reading() {
    let dir = scratch_dir("dev-zero");
    let scenario = dir.join("zero.scenario.ron");
    let result = dir.join("zero.result.json");
    std::os::unix::fs::symlink("/dev/zero", &scenario).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &result).unwrap();

    let check = run_within(&["check", scenario.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(2));
    assert!(
        stderr(&check).contains("it is a device, not a file"),
        "{}",
        stderr(&check)
    );
    let folder = run_within(&["check", dir.to_str().unwrap()]);
    assert_eq!(folder.status.code(), Some(1));
    assert!(stderr(&folder).contains("it is skipped"));
    let play = run_within(&["play", scenario.to_str().unwrap(), "--no-save"]);
    assert_eq!(play.status.code(), Some(2));
    let replay = run_within(&["replay", result.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(1));
    assert!(
        stderr(&replay).contains("it is a device"),
        "{}",
        stderr(&replay)
    );
}

/// "No crash or hang on user files": a 1 GB result was read whole; a file over 4 GiB would
/// wrap 32-bit positions. Files over their limit are refused before they are read (these are
/// sparse: large to the file system, nothing on disk).
#[test]
fn files_over_their_limit_are_refused_before_reading() {
    let dir = scratch_dir("oversized");
    let scenario = dir.join("huge.scenario.ron");
    std::fs::File::create(&scenario)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let result = dir.join("huge.result.json");
    std::fs::File::create(&result)
        .unwrap()
        .set_len(5 * 1024 * 1024 * 1024)
        .unwrap();

    let check = run_within(&["check", scenario.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(2));
    assert!(
        stderr(&check).contains("it is 65 MiB, and Attune reads files of this kind up to 64 MiB"),
        "{}",
        stderr(&check)
    );
    let replay = run_within(&["replay", result.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(1));
    assert!(
        stderr(&replay).contains("it is 5 GiB, and Attune reads files of this kind up to 16 MiB"),
        "{}",
        stderr(&replay)
    );
}

/// "No lost results": a results folder that cannot be written was found out only after the
/// whole session. Now the session does not start.
#[test]
fn a_results_folder_that_cannot_be_written_is_found_before_the_session() {
    let dir = scratch_dir("unwritable");
    // A file where a folder should be: refused even for root, who may write anywhere.
    let file = dir.join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let results = file.join("results");
    let output = run_within(&["play", TOM, "--results", results.to_str().unwrap()]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("results cannot be saved in"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty(), "no session was started");
}

/// `attune play` with the full-disk hook on `full`, and the user data folder under `data`.
#[cfg(feature = "dev")]
fn play_onto_full_disk(full: &Path, data: &Path, temp: &Path) -> std::process::Output {
    let choices = hinted_path().join(",");
    output_within(
        attune()
            .args(["play", TOM, "--seed", "5", "--choices", &choices])
            .args(["--results", full.to_str().unwrap()])
            .env("ATTUNE_TEST_DISK_FULL", full)
            .env("XDG_DATA_HOME", data)
            .env("TMPDIR", temp),
        Duration::from_secs(60),
    )
}

/// "No lost results": a full disk lost the result and left a `.partial` behind. Now nothing is
/// left in the full folder and the run is saved in the user's data folder instead.
#[cfg(feature = "dev")]
#[test]
fn a_full_disk_keeps_the_finished_run_elsewhere() {
    let scratch = scratch_dir("disk-full");
    let (full, data) = (scratch.join("usb-stick"), scratch.join("data"));
    let output = play_onto_full_disk(&full, &data, &scratch);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "saved, but not where asked");
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "could not save the result in {}: No space left on device",
            full.display()
        )),
        "{err}"
    );
    let fallback = data.join("attune/results");
    assert!(
        err.contains(&format!("Result saved to {}", fallback.display())),
        "{err}"
    );
    assert!(err.trim_end().ends_with("instead"), "{err}");
    assert_eq!(
        std::fs::read_dir(&full).unwrap().count(),
        0,
        "no partial file is left"
    );
    let saved = results::list(&fallback).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        results::load(&saved[0]).unwrap().status,
        RunStatus::Completed
    );
}

/// "No lost results": when no folder takes the result, it is printed to be saved by hand.
#[cfg(feature = "dev")]
#[test]
fn a_result_no_folder_takes_is_printed_whole() {
    let scratch = scratch_dir("nowhere");
    let blocked = scratch.join("a-file");
    std::fs::write(&blocked, "x").unwrap();
    // The user data folder and the temporary folder are both under a file: neither can exist.
    let output = play_onto_full_disk(&scratch.join("full"), &blocked, &blocked);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(
        err.matches("could not save the result in").count(),
        3,
        "{err}"
    );
    let json = err
        .split("-----\n")
        .nth(1)
        .expect("the result is printed between two lines");
    let result: RunResult = serde_json::from_str(json.trim_end()).unwrap();
    assert_eq!(result.status, RunStatus::Completed);
    assert!(err.contains(&result.file_name()));
}

/// "No lost results": `.partial` files left by a crash were never cleaned up. A save removes
/// ours once they are a day old, and leaves recent ones (a save under way) and other files.
#[test]
fn stale_partial_files_are_removed_when_results_are_saved() {
    let dir = scratch_dir("stale-partials");
    let stale = dir.join(".tom_anonymous_20240101T000000Z-00000000.result.json.partial");
    let recent = dir.join(".tom_anonymous_20240101T000000Z-11111111.result.json.partial");
    let other = dir.join(".notes.txt.partial");
    for path in [&stale, &recent, &other] {
        std::fs::write(path, "half").unwrap();
    }
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 24 * 60 * 60);
    for path in [&stale, &other] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(two_days_ago)
            .unwrap();
    }
    let choices = hinted_path().join(",");
    let args = [
        "play",
        TOM,
        "--seed",
        "5",
        "--choices",
        &choices,
        "--results",
    ];
    let output = run_within(&[&args[..], &[dir.to_str().unwrap()]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stale.exists());
    assert!(recent.exists() && other.exists());
}

/// "No file read or written outside its place": `replay` opened whatever path a result named
/// and printed its first lines as diagnostics (shown with `/etc/shadow`).
#[test]
fn a_result_cannot_make_replay_read_another_file() {
    let dir = scratch_dir("read-escape");
    let (file, text) = finished_run(&dir);
    let secret = "SECRET-LINE-d41d8cd98f00";
    let outside = scratch_dir("read-escape-outside");
    let targets = [
        outside.join("shadow"),
        // Named like a scenario, and not one: read quietly, and nothing of it shown.
        outside.join("shadow.scenario.ron"),
    ];
    for target in &targets {
        std::fs::write(target, format!("root:{secret}:19000:0:99999:7:::\n")).unwrap();
        let mut result: serde_json::Value = serde_json::from_str(&text).unwrap();
        result["scenario"]["path"] = target.to_str().unwrap().into();
        std::fs::write(&file, serde_json::to_string_pretty(&result).unwrap()).unwrap();
        let output = run_within(&["replay", file.to_str().unwrap()]);
        assert_no_panic(&output);
        let everything = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!everything.contains(secret), "{everything}");
        // The scenario is found in `scenarios/` by its id and content instead.
        assert_eq!(output.status.code(), Some(0), "{everything}");
        assert!(stdout(&output).contains("DEBRIEF"));
    }
    // The file the user names is theirs to see diagnostics for.
    let named = run_within(&[
        "replay",
        file.to_str().unwrap(),
        "--scenario",
        "tests/broken/unknown-node.scenario.ron",
    ]);
    assert_eq!(named.status.code(), Some(1));
    assert!(stderr(&named).contains("did you mean `heard`?"));
}

/// "Results are checked by replay": `replay` compared only the ending and the skill scores.
/// Every field a replay reproduces is compared, and the message names the one that differs.
#[test]
fn edited_results_are_caught_and_the_field_named() {
    let dir = scratch_dir("tampered");
    let (file, text) = finished_run(&dir);
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit, &str); 9] = [
        ("seed", |r| r["seed"] = 6.into(), "decisions[0]"),
        ("status", |r| r["status"] = "abandoned".into(), "`status`"),
        ("hints", |r| r["hints_used"] = 0.into(), "`hints_used`"),
        (
            "indicators",
            |r| r["indicators"]["complex_reflections"] = 9.into(),
            "`indicators.complex_reflections`",
        ),
        (
            "counted",
            |r| r["scores"][0]["counted"] = 99.into(),
            "`scores[0].counted`",
        ),
        (
            "state",
            |r| r["final_state"]["variables"]["trust"] = 10.into(),
            "`final_state.variables.trust`",
        ),
        (
            "outcome",
            |r| {
                let other = if r["ending"]["outcome"] == "Engaged" {
                    "Referred"
                } else {
                    "Engaged"
                };
                r["ending"]["outcome"] = other.into();
            },
            "`ending.outcome`",
        ),
        (
            "shown",
            |r| {
                let shown = r["decisions"][1]["shown"].as_array_mut().unwrap();
                shown.reverse();
            },
            "`decisions[1].shown`",
        ),
        // Practice relabelled as assessment: this run asked for a hint, which assessment has not.
        (
            "mode",
            |r| r["mode"] = "assessment".into(),
            "decision 1 in the result does not fit the scenario",
        ),
    ];
    for (name, edit, expected) in edits {
        let mut edited = original.clone();
        edit(&mut edited);
        assert_ne!(edited, original, "{name}");
        std::fs::write(&file, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
        let output = run_within(&["replay", file.to_str().unwrap()]);
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stdout(&output));
        let err = stderr(&output);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(err.contains("may have been edited"), "{name}: {err}");
    }
    // Not replayed, so not compared: who, when, and how long each reply took.
    let mut edited = original.clone();
    edited["trainee"] = "someone else".into();
    edited["started_at"] = "2020-01-01T00:00:00Z".into();
    edited["decisions"][0]["elapsed_ms"] = 123_456.into();
    std::fs::write(&file, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let output = run_within(&["replay", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Results saved before skill scores counted their decisions (no `decisions` field) replay.
#[test]
fn results_from_before_decision_counts_still_replay() {
    let dir = scratch_dir("old-result");
    let (file, text) = finished_run(&dir);
    let mut result: serde_json::Value = serde_json::from_str(&text).unwrap();
    for score in result["scores"].as_array_mut().unwrap() {
        score.as_object_mut().unwrap().remove("decisions");
    }
    std::fs::write(&file, serde_json::to_string_pretty(&result).unwrap()).unwrap();
    let output = run_within(&["replay", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Characters that would act on the terminal: escape sequences (clear the screen, recolour,
/// set the title), a C1 control and a right-to-left override.
const HOSTILE: [&str; 4] = ["\u{1b}[2J", "\u{1b}]0;pwned\u{7}", "\u{9b}31m", "\u{202E}"];

fn assert_inert(output: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202E}'] {
        assert!(!output.contains(c), "{c:?} reached the terminal:\n{output}");
    }
    assert!(output.contains("⟨U+001B⟩"), "{output}");
}

/// "No crash or hang on user files": scenario text, file names and result ids are printed with
/// their control characters shown, not obeyed.
#[test]
fn text_from_files_cannot_control_the_terminal() {
    let dir = scratch_dir("terminal");
    let base = std::fs::read_to_string(repo_root().join(BASE)).unwrap();
    let hostile = base
        .replacen(
            "title: \"Late for work\"",
            &format!("title: \"Late {} for work\"", HOSTILE.concat()),
            1,
        )
        .replacen(
            "says: [\"My manager",
            &format!("says: [\"{}My manager", HOSTILE.concat()),
            1,
        )
        .replacen(
            "reply: \"Have you tried",
            &format!("reply: \"{}Have you tried", HOSTILE.concat()),
            1,
        );
    let scenario = dir.join("hostile.scenario.ron");
    std::fs::write(&scenario, &hostile).unwrap();
    let play = run_within(&[
        "play",
        scenario.to_str().unwrap(),
        "--no-save",
        "--choices",
        "1",
    ]);
    assert_no_panic(&play);
    assert_inert(&stdout(&play));

    // A mistake in such a file: the snippet and the message show the characters.
    let broken = hostile.replacen("next: \"worry\"", "next: \"\u{1b}[2Jworry\"", 1);
    let file = dir.join("hostile-broken.scenario.ron");
    std::fs::write(&file, broken).unwrap();
    for format in ["human", "short", "json"] {
        let check = run_within(&["check", "--format", format, file.to_str().unwrap()]);
        assert_eq!(check.status.code(), Some(1));
        let out = stdout(&check);
        if format == "json" {
            // JSON escapes control characters itself.
            assert!(out.contains("⟨U+001B⟩[2Jworry"), "{out}");
        } else {
            assert_inert(&out);
        }
    }

    // A result whose scenario id carries an escape sequence.
    let results_dir = scratch_dir("terminal-results");
    let (result_file, text) = finished_run(&results_dir);
    let mut result: serde_json::Value = serde_json::from_str(&text).unwrap();
    result["scenario"]["id"] = format!("x{}", HOSTILE.concat()).into();
    std::fs::write(&result_file, serde_json::to_string_pretty(&result).unwrap()).unwrap();
    let replay = run_within(&["replay", result_file.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(2));
    assert_inert(&stderr(&replay));
}

/// "No network" but for the LRS client: nothing else that speaks HTTP, TLS or WebSockets is built
/// in, and the client (`ureq`, `rustls`) is a dependency of the classroom crate only.
#[test]
fn no_network_client_is_built_in() {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).unwrap();
    let network = [
        "reqwest",
        "ureq",
        "hyper",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "quinn",
        "rustls",
        "native-tls",
        "openssl",
        "tungstenite",
        "async-tungstenite",
    ];
    // The LRS client (docs/classroom.md, docs/reliability.md).
    let lrs_client = ["ureq", "rustls"];
    for name in network.iter().filter(|n| !lrs_client.contains(n)) {
        assert!(
            !lock.contains(&format!("name = \"{name}\"\n")),
            "Cargo.lock has `{name}`: update docs/reliability.md (network) before adding it"
        );
    }
    // Which packages depend on the client: each `[[package]]` entry lists its dependencies.
    for package in lock.split("[[package]]") {
        let depends_on_client = package.lines().any(|l| {
            lrs_client.iter().any(|c| {
                l.trim() == format!("\"{c}\",") || l.trim().starts_with(&format!("\"{c} "))
            })
        });
        let name = package
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .unwrap_or_default()
            .trim_matches('"');
        if depends_on_client && !lrs_client.iter().any(|c| name.starts_with(c)) {
            assert_eq!(name, "attune-class", "{name} depends on the LRS client");
        }
    }
}
