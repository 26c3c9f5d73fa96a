//! Any bytes as an `*.exercise.ron` file beside the shipped scenarios (`load_exercise_bytes`,
//! as `attune check` and `play --exercise` read one): no panic; every diagnostic points at a
//! piece of the file and renders in each format; an exercise comes back exactly when there is
//! no error.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use attune_class::exercise::load_exercise_bytes;
use libfuzzer_sys::fuzz_target;

/// In the shipped scenarios' folder, so the scenarios an exercise names resolve as they would
/// for an instructor's file kept there.
static PATH: LazyLock<PathBuf> =
    LazyLock::new(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/fuzz.exercise.ron"));

fuzz_target!(|bytes: &[u8]| {
    let loaded = load_exercise_bytes(&PATH, bytes.to_vec());
    attune_fuzz::check_and_render(&loaded.file, &loaded.diagnostics);
    assert_eq!(
        loaded.exercise.is_some(),
        loaded.errors() == 0,
        "an exercise loads exactly when it has no errors"
    );
});
