//! Any bytes as a statement an LRS returned (`report --from-lrs` reads what any LRS, or anyone
//! who can write to one, sent): no panic; a run found in it makes statements again, whose run
//! statement carries the same run back.
#![no_main]

use attune_class::xapi::{run_of, statements};
use libfuzzer_sys::fuzz_target;

const BASE: &str = "https://fuzz.example/attune";

fuzz_target!(|bytes: &[u8]| {
    let Ok(statement) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return;
    };
    let Some(run) = run_of(&statement) else {
        return;
    };
    let again = statements(&run, BASE);
    let carried = again
        .iter()
        .find_map(run_of)
        .expect("the statements of a run include its run statement");
    assert_eq!(carried, run, "a run survives its own statements");
});
