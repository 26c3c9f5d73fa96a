//! Inputs the fuzz targets in `fuzz/` found a bug with, kept so each bug stays fixed. Every
//! `*.scenario.ron` in `tests/fuzz-regressions/` is named after the mistake and goes through what
//! the scenario targets do: load, render every diagnostic, every label a piece of the file (the
//! renderer slices the text there), playable exactly when there is no error. A `.play` file beside one is a trainee's actions, written as `attune play --choices`
//! takes them (positions, choice ids, `h` for a hint, `b` to take back); the session is then
//! saved, read back and replayed, and must replay to the same session.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use attune_core::diagnostics::{Style, render, to_json};
use attune_core::engine::{Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::results::{self, RunResult};
use attune_core::scoring::Scorecard;
use attune_core::{Loaded, Playable, load_bytes};

fn regressions_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz-regressions"
    ))
}

fn load_and_render(path: &Path) -> Loaded {
    let loaded = load_bytes(path, std::fs::read(path).unwrap(), None);
    let text = &loaded.file.text;
    for diagnostic in &loaded.diagnostics {
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            assert!(
                text.get(label.span.range()).is_some(),
                "{}: {} points at {:?}, which is not a piece of the file",
                path.display(),
                diagnostic.code.as_str(),
                label.span.range()
            );
        }
        render(&loaded.file, diagnostic, Style::Short);
        render(&loaded.file, diagnostic, Style::Human { color: false });
        serde_json::to_string(&to_json(&loaded.file, diagnostic)).unwrap();
    }
    assert_eq!(
        loaded.playable.is_some(),
        loaded.errors() == 0,
        "{}: playable exactly when there is no error",
        path.display()
    );
    loaded
}

fn play(playable: &Arc<Playable>, script: &str) -> Session {
    let mut session = Session::start(Arc::clone(playable), Mode::Practice, 1);
    for token in script.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        match token {
            "h" => drop(session.hint().unwrap()),
            "b" => session.take_back().unwrap(),
            _ => match token.parse::<usize>() {
                Ok(position) => drop(session.choose(position, 0).unwrap()),
                Err(_) => drop(session.choose_id(token, 0).unwrap()),
            },
        }
    }
    session
}

fn record(session: &Session) -> RunResult {
    let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    RunResult::from_session(
        session,
        &Scorecard::of(session),
        TraineeId("fuzz".into()),
        None,
        started,
        started + Duration::from_secs(600),
        session.status() == Status::AwaitingChoice,
    )
}

/// Plays the script, saves the run as JSON, reads it back and replays it.
fn play_save_and_replay(playable: &Arc<Playable>, script: &str) {
    let session = play(playable, script);
    let result = record(&session);
    let json = serde_json::to_vec_pretty(&result).unwrap();
    let read_back = results::parse(&json).unwrap();
    assert_eq!(read_back, result);
    let replayed = results::replay(Arc::clone(playable), &read_back).unwrap();
    assert_eq!(replayed.status(), session.status());
    assert_eq!(replayed.variables(), session.variables());
    assert_eq!(replayed.flags(), session.flags());
    assert_eq!(replayed.decisions(), session.decisions());
    let mut again = record(&replayed);
    again.run = result.run.clone();
    assert_eq!(again, result);
}

/// Runs one regression input (and its `.play` script, if it has one).
fn check(name: &str) {
    let scenario = regressions_dir().join(format!("{name}.scenario.ron"));
    let loaded = load_and_render(&scenario);
    let script = scenario.with_file_name(format!("{name}.play"));
    if script.exists() {
        let playable = loaded.playable.expect("a regression with a script loads");
        play_save_and_replay(&playable, &std::fs::read_to_string(script).unwrap());
    }
}

/// The file is `\0 ESC * 0xA1`: the loader reads 0xA1 as U+FFFD (3 bytes) and labelled only
/// its first byte, a span ending inside a character.
#[test]
fn an_invalid_byte_is_labelled_as_the_whole_character_shown_for_it() {
    check("invalid-byte-label-splits-a-character");
}

/// `(format:"c"`: ron stops at the text, which ends after that point; syntax recovery sliced
/// the file backwards looking for a quote inside the text, and panicked.
#[test]
fn a_text_running_past_a_syntax_error_does_not_stop_recovery() {
    check("text-runs-past-the-syntax-error");
}

/// `carkhuff: NaN` (and `inf`) are floats to RON: the level is a wrong code, said as such with
/// its place, not a syntax error calling `NaN` "too large".
#[test]
fn a_carkhuff_level_that_is_not_a_number_is_a_wrong_code() {
    for name in ["carkhuff-level-nan", "carkhuff-level-inf"] {
        let path = regressions_dir().join(format!("{name}.scenario.ron"));
        let loaded = load_and_render(&path);
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == attune_core::diagnostics::Severity::Error)
            .map(|d| (d.code.as_str(), d.message.clone()))
            .collect();
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert_eq!(errors[0].0, "bad-code", "{name}: {errors:?}");
        assert!(errors[0].1.contains("is not a level"), "{name}: {errors:?}");
    }
}

#[test]
fn replay_repeats_take_backs_where_they_were_made() {
    check("replay-after-two-take-backs");
}

/// Every input in the folder, so one added without its own test is still run.
#[test]
fn every_fuzz_regression_input_still_passes() {
    let mut names: Vec<String> = std::fs::read_dir(regressions_dir())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".scenario.ron").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        check(&name);
    }
}
