//! Attune's authoring tools, over a checked [`attune_core::Playable`]: playthroughs and path
//! testing, the teaching-quality lint, graph export. Never depends on Bevy: the CLI and the app's
//! author mode are two views over these.

pub mod explore;
pub mod walks;
