//! Attune's engine-free core: the scenario model, loading with diagnostics, the checks that
//! make a [`Playable`], the session engine, scoring, results and the debrief.
//! It never depends on Bevy, so the CLI, the terminal player and the app share one engine.

pub mod analysis;
pub mod assets;
pub mod check;
pub mod condition;
pub mod debrief;
pub mod diagnostics;
pub mod engine;
pub mod generate;
pub mod graph;
pub mod ids;
pub mod load;
pub mod model;
pub mod playable;
mod recover;
pub mod results;
mod ron_errors;
pub mod save;
pub mod scoring;
pub mod skills;
pub mod span;
pub mod suggest;

pub use diagnostics::{Diagnostic, Severity, SourceFile};
pub use load::{Loaded, load_bytes, load_file, load_str};
pub use model::Scenario;
pub use playable::Playable;
