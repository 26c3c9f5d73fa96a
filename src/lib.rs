//! Attune's application layer: the command-line tools and the Bevy app, both over the
//! engine-free `attune-core`.

#[cfg(feature = "app")]
pub mod app;
pub mod cli;
