//! Attune's authoring tools, over a checked [`attune_core::Playable`]: playthroughs and path
//! testing, the teaching-quality lint, graph export, one node shown in full, scaffolding. Never
//! depends on Bevy: the CLI and the app's author mode are two views over these.

pub mod compare;
pub mod explore;
pub mod export;
pub mod follow;
pub mod layout;
pub mod lint;
pub mod show;
pub mod start_at;
pub mod template;
pub mod walks;

/// What the unit tests share: the shipped scenarios they read.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use attune_core::Playable;

    /// Tom's file: the shipped grief scenario.
    pub(crate) const TOM: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/grief-eleven-weeks.scenario.ron"
    );

    /// Tom, checked.
    pub(crate) fn tom() -> Arc<Playable> {
        attune_core::load_file(TOM.as_ref(), None)
            .unwrap()
            .playable
            .unwrap()
    }
}
