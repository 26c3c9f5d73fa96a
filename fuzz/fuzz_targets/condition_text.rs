//! Any text as a `when:` condition: parse, resolve against a fixed set of state names, judge
//! whether it can ever hold, and evaluate it on a few states. Never a panic, and every problem
//! points at a piece of the text itself (the checks map it into the file and the renderer
//! slices the file there).
#![no_main]

use std::ops::Range;

use attune_core::condition::{self, Satisfiability, StateNames};
use libfuzzer_sys::fuzz_target;

const VARIABLES: [(&str, i32, i32); 4] = [
    ("trust", 0, 10),
    ("distress", 0, 10),
    ("openness", -5, 5),
    ("extreme", i32::MIN, i32::MAX),
];
const FLAGS: [&str; 3] = ["felt_judged", "anger_heard", "never_set"];
const FLAGS_EVER_SET: [bool; 3] = [true, true, false];
const STATES: [([i32; 4], [bool; 3]); 3] = [
    ([0, 0, -5, i32::MIN], [false; 3]),
    ([10, 10, 5, i32::MAX], [true; 3]),
    ([4, 6, 0, 0], [true, false, false]),
];

fn assert_within(text: &str, at: &Range<usize>) {
    assert!(
        text.get(at.clone()).is_some(),
        "the span {at:?} is not a piece of the condition {text:?}"
    );
}

fuzz_target!(|text: &str| {
    let names = StateNames::new(&VARIABLES, &FLAGS, &FLAGS_EVER_SET);
    let expr = match condition::parse(text) {
        Ok(expr) => expr,
        Err(e) => return assert_within(text, &e.at),
    };
    match condition::resolve(&expr, &names) {
        Ok(resolved) => {
            if let Satisfiability::Never(at, _) = condition::satisfiability(&expr, &names) {
                assert_within(text, &at);
            }
            for (variables, flags) in &STATES {
                resolved.holds(variables, flags);
            }
        }
        Err(errors) => errors.iter().for_each(|e| assert_within(text, &e.at)),
    }
});
