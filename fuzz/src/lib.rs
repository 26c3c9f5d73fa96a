//! What the fuzz targets share: the checks every loaded scenario goes through (its diagnostics
//! rendered the ways authors see them) and, for a playable one, a scripted session whose result
//! must read back and replay to the same session. Panics here are the findings.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use attune_core::debrief::{Debrief, render_text};
use attune_core::diagnostics::{Diagnostic, Style, render, to_json};
use attune_core::engine::{Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::results::{self, RunResult};
use attune_core::scoring::Scorecard;
use attune_core::{Loaded, Playable, SourceFile};

pub mod scenario_spec;

/// Renders every diagnostic in each output format `attune check` has, as an author would see
/// it, and holds the loader to its promises: every label points at a piece of the file (the
/// renderer slices the text there), and a file is playable exactly when it has no error.
pub fn render_diagnostics(loaded: &Loaded) {
    check_and_render(&loaded.file, &loaded.diagnostics);
    assert_eq!(
        loaded.playable.is_some(),
        loaded.errors() == 0,
        "a scenario is playable exactly when it has no errors"
    );
}

/// Every label of every diagnostic points at a piece of `file` (the renderer slices the text
/// there), and each renders in the formats `attune check` has. For any of Attune's files.
pub fn check_and_render(file: &SourceFile, diagnostics: &[Diagnostic]) {
    let text = &file.text;
    for diagnostic in diagnostics {
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            assert!(
                text.get(label.span.range()).is_some(),
                "{} points at {:?}, which is not a piece of the {}-byte file",
                diagnostic.code.as_str(),
                label.span.range(),
                text.len()
            );
        }
        render(file, diagnostic, Style::Short);
        render(file, diagnostic, Style::Human { color: false });
        serde_json::to_string(&to_json(file, diagnostic))
            .expect("a diagnostic always serialises to JSON");
    }
}

/// At most this many trainee actions per session, so one input stays fast.
const MAX_ACTIONS: usize = 48;

/// Plays `playable` as a trainee would, one action per byte of `actions` (choose by position,
/// choose by id, ask for a hint, take back), then saves the run the way `attune play` does and
/// requires that the saved JSON reads back unchanged and replays to the same session.
pub fn play_save_and_replay(playable: &Arc<Playable>, mode: Mode, seed: u64, actions: &[u8]) {
    let mut session = Session::start(Arc::clone(playable), mode, seed);
    for &action in actions.iter().take(MAX_ACTIONS) {
        let offered = session.prompt().map_or(0, |p| p.order.len());
        let pick = usize::from(action >> 3);
        let elapsed_ms = u64::from(action) * 997;
        match action & 7 {
            0..=3 => {
                let position = if offered == 0 { 1 } else { 1 + pick % offered };
                let chosen = session.choose(position, elapsed_ms);
                assert_eq!(
                    chosen.is_ok(),
                    offered > 0,
                    "a reply on offer can always be chosen, and none can be once the session is over"
                );
            }
            4 => {
                let id = session.offered_ids().nth(pick % offered.max(1)).cloned();
                if let Some(id) = id {
                    session
                        .choose_id(id.as_str(), elapsed_ms)
                        .expect("a reply on offer can be chosen by its id");
                }
            }
            5 => {
                let _ = session.hint();
            }
            6 => {
                let _ = session.take_back();
            }
            _ => {
                assert!(
                    session.choose(0, elapsed_ms).is_err()
                        && session.choose(offered + 1, elapsed_ms).is_err(),
                    "positions outside 1..=offered are refused"
                );
            }
        }
    }

    let card = Scorecard::of(&session);
    render_text(&Debrief::new(&session, &card));

    let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    let ended = started + Duration::from_secs(600);
    let quit = session.status() == Status::AwaitingChoice;
    let record = |session: &Session, card: &Scorecard| {
        RunResult::from_session(
            session,
            card,
            TraineeId("fuzz".into()),
            Some("fuzz.scenario.ron".into()),
            started,
            ended,
            quit,
        )
    };
    let result = record(&session, &card);
    // The same serialisation `results::save` writes.
    let json = serde_json::to_vec_pretty(&result).expect("a result always serialises");
    let read_back = results::parse(&json)
        .unwrap_or_else(|e| panic!("a result Attune wrote does not read back: {e}"));
    assert_eq!(read_back, result, "a result reads back unchanged");

    let replayed = results::replay(Arc::clone(playable), &read_back)
        .unwrap_or_else(|e| panic!("a result Attune wrote does not replay: {e}"));
    assert_eq!(
        replayed.status(),
        session.status(),
        "replay ends the same way"
    );
    assert_eq!(
        replayed.variables(),
        session.variables(),
        "replay ends in the same state"
    );
    assert_eq!(
        replayed.flags(),
        session.flags(),
        "replay ends with the same flags"
    );
    assert_eq!(
        replayed.decisions(),
        session.decisions(),
        "replay makes the same decisions"
    );
    let mut again = record(&replayed, &Scorecard::of(&replayed));
    again.run = result.run.clone();
    assert_eq!(again, result, "replay saves the same result");
}
