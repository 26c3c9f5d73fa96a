//! Any bytes as a scenario file: loading and checking never panic, every diagnostic renders, and
//! a file that loads plays, saves and replays. Seeded with the shipped scenarios and the broken
//! corpus, so mutations start from files authors really write.
#![no_main]

use attune_core::engine::Mode;
use attune_fuzz::{play_save_and_replay, render_diagnostics};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let loaded = attune_core::load_bytes("fuzz.scenario.ron", bytes.to_vec(), None);
    render_diagnostics(&loaded);
    if let Some(playable) = &loaded.playable {
        // The session's script comes from the file's last bytes, which mutations reach as often
        // as any other.
        let script = &bytes[bytes.len().saturating_sub(16)..];
        play_save_and_replay(playable, Mode::Practice, bytes.len() as u64, script);
    }
});
