//! Screens as states, and the actions the views send. Views never change state themselves:
//! they write an [`Action`], and the logic here reacts (the runner announces, the view reacts).

mod briefing;
mod debrief;
mod library;
mod session;

use std::sync::Arc;

use attune_core::Playable;
use attune_core::engine::Mode;
use bevy::prelude::*;

pub(crate) use library::scenario_summary;
pub(crate) use session::FeedbackCard;
pub use session::{ActiveSession, FinishedRun, SessionPhase};

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_message::<Action>()
        .init_resource::<Selection>()
        .add_plugins((
            library::plugin,
            briefing::plugin,
            session::plugin,
            debrief::plugin,
        ));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins((
        library::ui_plugin,
        briefing::ui_plugin,
        session::ui_plugin,
        debrief::ui_plugin,
    ));
}

#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Library,
    Briefing,
    Session,
    Debrief,
    /// A facilitated group session (`class::projector`).
    Projector,
    /// A class's results as charts and tables (`class::instructor`).
    Instructor,
    /// An exercise's first screen: the trainee id, or the file's problems (`class::exercise`).
    Exercise,
}

impl Screen {
    pub fn title(self) -> &'static str {
        match self {
            Screen::Library => "Scenario library",
            Screen::Briefing => "Briefing",
            Screen::Session => "Session",
            Screen::Debrief => "Debrief",
            Screen::Projector => "Projector mode",
            Screen::Instructor => "Instructor view",
            Screen::Exercise => "Exercise",
        }
    }
}

/// What the trainee asked for. Written by the views (and tests, and the automation), read once.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Action {
    /// Library → briefing for a scenario file.
    Open {
        file: String,
    },
    /// Briefing → session.
    Begin,
    /// Choose the reply at a 1-based position in the order shown.
    Choose(usize),
    Hint,
    TakeBack,
    /// Feedback card → next prompt (or the debrief).
    Continue,
    /// After a hot reload during a session: restart, or resume at the same node.
    TakeReload {
        resume: bool,
    },
    DismissReload,
    /// Leave a session before its end (the run is saved as abandoned).
    Leave,
    /// From the debrief: the same scenario again, with a new seed or the same one.
    PlayAgain {
        same_seed: bool,
    },
    ToLibrary,
    /// Library → projector mode, for a room playing one session together.
    OpenProjector,
    /// Library → the instructor view of a results folder.
    OpenInstructor,
}

/// What the trainee picked in the library: scenario, mode and seed.
#[derive(Resource, Debug, Clone)]
pub struct Selection {
    pub file: Option<String>,
    pub scenario: Option<Arc<Playable>>,
    pub mode: Mode,
    /// Typed by the trainee; blank means a random seed.
    pub seed_text: String,
    /// The seed of the last session started, shown afterwards.
    pub last_seed: Option<u64>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            file: None,
            scenario: None,
            mode: Mode::Practice,
            seed_text: String::new(),
            last_seed: None,
        }
    }
}

impl Selection {
    /// The seed typed, or a fresh random one.
    pub fn seed(&self) -> u64 {
        self.seed_text
            .trim()
            .parse()
            .unwrap_or_else(|_| random_seed())
    }
}

pub fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    ((nanos ^ (u128::from(std::process::id()) << 20)) % 1_000_000) as u64
}
