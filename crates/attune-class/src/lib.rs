//! Attune's classroom, without Bevy: exercise files, the class report built from results (its
//! CSV, its self-contained HTML with SVG charts), xAPI statements and a small LRS client.
//! The CLI and the app's instructor view are thin views over this crate.

pub mod exercise;
pub mod html;
pub mod lrs;
pub mod report;
pub mod table;
pub mod xapi;
