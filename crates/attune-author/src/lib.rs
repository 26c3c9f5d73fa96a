//! Attune's authoring tools, over a checked [`attune_core::Playable`]: playthroughs and path
//! testing, the teaching-quality lint, graph export, one node shown in full, scaffolding. Never
//! depends on Bevy: the CLI and the app's author mode are two views over these.

pub mod compare;
pub mod export;
pub mod show;
pub mod start_at;
pub mod template;
pub mod walks;
