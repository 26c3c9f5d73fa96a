//! Attune's engine-free core: the scenario model, loading with diagnostics, and the checks.
//! It never depends on Bevy, so the CLI, the terminal player and the app share one engine.

pub mod analysis;
pub mod assets;
pub mod check;
pub mod condition;
pub mod debrief;
pub mod diagnostics;
pub mod engine;
pub mod generate;
pub mod ids;
pub mod load;
pub mod model;
mod recover;
pub mod results;
pub mod scoring;
pub mod skills;
pub mod span;
mod suggest;

pub use diagnostics::{Diagnostic, Severity, SourceFile};
pub use load::{Loaded, load_bytes, load_file, load_str};
pub use model::Scenario;
