//! Any bytes as a results file: parsing never panics, and a result that parses is replayed
//! against the shipped scenario it names (loaded once), as `attune replay` does.
#![no_main]

use std::sync::{Arc, LazyLock};

use attune_core::Playable;
use attune_core::debrief::{Debrief, render_text};
use attune_core::results;
use attune_core::scoring::Scorecard;
use libfuzzer_sys::fuzz_target;

static SHIPPED: LazyLock<Vec<Arc<Playable>>> = LazyLock::new(|| {
    [
        include_str!("../../scenarios/grief-eleven-weeks.scenario.ron"),
        include_str!("../../scenarios/guarded-teen-referral.scenario.ron"),
        include_str!("../../scenarios/new-country-student.scenario.ron"),
    ]
    .into_iter()
    .map(|text| {
        attune_core::load_str("shipped.scenario.ron", text.to_owned(), None)
            .playable
            .expect("the shipped scenarios load")
    })
    .collect()
});

fuzz_target!(|bytes: &[u8]| {
    let Ok(result) = results::parse(bytes) else {
        return;
    };
    let Some(playable) = SHIPPED
        .iter()
        .find(|p| p.scenario().id.value == result.scenario.id)
    else {
        return;
    };
    if let Ok(session) = results::replay(Arc::clone(playable), &result) {
        let card = Scorecard::of(&session);
        render_text(&Debrief::new(&session, &card));
    }
});
