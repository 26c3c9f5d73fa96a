//! Results files round-trip: whatever a session records, the file reads back identical.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use attune_core::engine::{Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::results::{self, RunResult};
use attune_core::scoring::Scorecard;
use attune_core::{Playable, load_file};
use proptest::prelude::*;

fn shipped() -> Vec<Arc<Playable>> {
    static SHIPPED: std::sync::OnceLock<Vec<Arc<Playable>>> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(load_shipped).clone()
}

fn load_shipped() -> Vec<Arc<Playable>> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scenario.ron"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| load_file(f, None).unwrap().playable.unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_result_reads_back_exactly_as_it_was_written(
        which in 0usize..3,
        seed in any::<u64>(),
        assessment in any::<bool>(),
        picks in prop::collection::vec(0usize..8, 1..30),
        actions in prop::collection::vec(0u8..6, 1..30),
        stop_after in 0usize..30,
        trainee in "\\PC{0,40}",
        elapsed in any::<u32>(),
        path in proptest::option::of("\\PC{0,60}"),
    ) {
        let all = shipped();
        let playable = all[which % all.len()].clone();
        let mode = if assessment { Mode::Assessment } else { Mode::Practice };
        let mut session = Session::start(playable, mode, seed);
        let mut i = 0;
        while session.status() == Status::AwaitingChoice && i < stop_after {
            match actions[i % actions.len()] {
                0 if mode == Mode::Practice => { let _ = session.hint(); }
                1 if session.can_take_back() => session.take_back().unwrap(),
                _ => {
                    let offered = session.offered().count();
                    session.choose(picks[i % picks.len()] % offered + 1, u64::from(elapsed)).unwrap();
                }
            }
            i += 1;
        }
        let card = Scorecard::of(&session);
        let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let result = RunResult::from_session(
            &session,
            &card,
            TraineeId(trainee),
            path,
            started,
            started + Duration::from_secs(u64::from(elapsed % 10_000)),
            session.status() == Status::AwaitingChoice,
        );
        let bytes = serde_json::to_vec_pretty(&result).unwrap();
        let back = results::parse(&bytes).unwrap();
        prop_assert_eq!(&back, &result);
        // And through a real file.
        let dir = std::env::temp_dir().join(format!("attune-roundtrip-{}", std::process::id()));
        let saved = results::save(&dir, &result).unwrap();
        let loaded = results::load(&saved).unwrap();
        std::fs::remove_file(&saved).unwrap();
        prop_assert_eq!(loaded.scores, result.scores);
        prop_assert_eq!(loaded.decisions, result.decisions);
    }
}

/// A practice run of the first shipped scenario, left before its first decision.
fn abandoned_at_the_start() -> RunResult {
    let playable = shipped()[0].clone();
    let session = Session::start(playable, Mode::Practice, 1);
    let card = Scorecard::of(&session);
    let now = SystemTime::now();
    RunResult::from_session(&session, &card, TraineeId("t".into()), None, now, now, true)
}

#[test]
fn results_record_the_engine_version_and_old_files_read_as_version_1() {
    let result = abandoned_at_the_start();
    assert_eq!(result.engine, attune_core::engine::ENGINE_VERSION);
    let mut json: serde_json::Value = serde_json::to_value(&result).unwrap();
    json.as_object_mut().unwrap().remove("engine");
    let old = results::parse(json.to_string().as_bytes()).unwrap();
    assert_eq!(old.engine, 1);
}

/// Found by fuzzing statements read back from an LRS: JSON has no infinity, so `1e39` (past the
/// largest f32) read as an infinite ratio was saved again as `null` — the result changed on its way through. A number
/// no run can have is a damaged file.
#[test]
fn a_result_with_a_number_too_large_for_its_field_is_damaged() {
    let result = abandoned_at_the_start();
    let json = serde_json::to_string(&result).unwrap();
    for field in ["reflection_to_question", "complex_share", "carkhuff_mean"] {
        let key = format!("\"{field}\":");
        let at = json.find(&key).unwrap() + key.len();
        let end = at + json[at..].find([',', '}']).unwrap();
        for number in ["1e39", "-1e39", "1e999"] {
            let forged = format!("{}{number}{}", &json[..at], &json[end..]);
            match results::parse(forged.as_bytes()) {
                Err(results::ResultError::Damaged { .. }) => {}
                other => panic!("{field} = {number}: {other:?}"),
            }
        }
    }
}
