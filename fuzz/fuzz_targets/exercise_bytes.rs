//! Any bytes as an `*.exercise.ron` file beside the shipped scenarios (`load_exercise_bytes`,
//! as `attune check` and `play --exercise` read one): no panic; every diagnostic points at a
//! piece of the file and renders in each format; an exercise comes back exactly when there is
//! no error.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use attune_class::exercise::load_exercise_bytes;
use attune_core::diagnostics::{Style, render, to_json};
use libfuzzer_sys::fuzz_target;

/// In the shipped scenarios' folder, so the scenarios an exercise names resolve as they would
/// for an instructor's file kept there.
static PATH: LazyLock<PathBuf> = LazyLock::new(|| {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/fuzz.exercise.ron")
});

fuzz_target!(|bytes: &[u8]| {
    let loaded = load_exercise_bytes(&PATH, bytes.to_vec());
    let text = &loaded.file.text;
    for diagnostic in &loaded.diagnostics {
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            assert!(
                text.get(label.span.range()).is_some(),
                "{} points at {:?}, which is not a piece of the {}-byte file",
                diagnostic.code.as_str(),
                label.span.range(),
                text.len()
            );
        }
        render(&loaded.file, diagnostic, Style::Short);
        render(&loaded.file, diagnostic, Style::Human { color: false });
        serde_json::to_string(&to_json(&loaded.file, diagnostic))
            .expect("a diagnostic always serialises to JSON");
    }
    assert_eq!(
        loaded.exercise.is_some(),
        loaded.errors() == 0,
        "an exercise loads exactly when it has no errors"
    );
});
