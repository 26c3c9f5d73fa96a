//! An `arbitrary` scenario rendered as valid RON (see `attune_fuzz::scenario_spec`), loaded,
//! checked and, when playable, played by an `arbitrary` trainee, saved and replayed.
#![no_main]

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use attune_core::diagnostics::Code;
use attune_core::engine::Mode;
use attune_fuzz::scenario_spec::ScenarioSpec;
use attune_fuzz::{play_save_and_replay, render_diagnostics};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: ScenarioSpec,
    assessment: bool,
    seed: u64,
    actions: Vec<u8>,
}

/// `ATTUNE_FUZZ_SHOW=1` prints each input's scenario and its diagnostics' codes, to turn a crash
/// input into a `.scenario.ron` regression file (run the target binary on the input file).
static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("ATTUNE_FUZZ_SHOW").is_some());

fuzz_target!(|input: Input| {
    let text = input.scenario.to_ron();
    if *SHOW {
        eprintln!("{text}");
    }
    let loaded = attune_core::load_str("fuzz.scenario.ron", text, None);
    if *SHOW {
        let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
        eprintln!("diagnostics: {codes:?}; actions: {:?}", input.actions);
    }
    assert!(
        !loaded.diagnostics.iter().any(|d| d.code == Code::Syntax),
        "the rendered scenario is valid RON, so a syntax error is a wrong one"
    );
    render_diagnostics(&loaded);
    if let Some(playable) = &loaded.playable {
        let mode = if input.assessment {
            Mode::Assessment
        } else {
            Mode::Practice
        };
        play_save_and_replay(playable, mode, input.seed, &input.actions);
    }
});
