//! The session engine: one trainee playing one scenario. It never touches a screen or a file;
//! the terminal player, the app and the classroom tools all drive it the same way:
//! read [`Session::prompt`], show it, call [`Session::choose`], repeat until [`Session::status`]
//! is no longer [`Status::AwaitingChoice`].
//!
//! Same scenario + same seed + same inputs ⇒ the same prompts, orders and outcome, always: the
//! only randomness is a ChaCha8 stream seeded from the session's seed.

use std::sync::Arc;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::ids::ChoiceId;
use crate::model::{Choice, ClientNode};
use crate::playable::{ChoiceIx, ClientIx, EndingIx, Playable, Target};

/// The version of the engine's deterministic behaviour: how a seed picks wordings and orders
/// replies. Saved in every result; bump it whenever the same seed and choices would play out
/// differently (a change of random-number algorithm included), so that replays can tell.
pub const ENGINE_VERSION: u32 = 1;

/// How a session treats the trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Feedback and the client's inner thought after every choice; choices can be taken back;
    /// hints are available.
    Practice,
    /// No feedback until the debrief, no going back, no hints.
    Assessment,
}

impl Mode {
    /// The name trainees read, e.g. "Practice mode".
    pub fn label(self) -> &'static str {
        match self {
            Mode::Practice => "Practice",
            Mode::Assessment => "Assessment",
        }
    }
}

/// Where the session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    AwaitingChoice,
    /// Reached this ending.
    Ended(EndingIx),
    /// Cannot go on; the scenario needs fixing (the checks warn about both causes).
    Stopped(StopReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// More decisions (or branch hops) than [`Session::step_limit`]: the walk is going round a loop.
    LoopLimit,
    /// Every choice at the current node has a condition, and none holds.
    NoChoiceOffered,
}

/// What the trainee sees now: the client's line and the replies on offer, in the order shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub node: ClientIx,
    /// Index into the node's `says`.
    pub variant: u16,
    /// The choices on offer, in the (shuffled) order shown.
    pub order: Vec<ChoiceIx>,
}

/// A decision the trainee made.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub prompt: Prompt,
    pub choice: ChoiceIx,
    pub elapsed_ms: u64,
    pub hint_used: bool,
    /// Taken back in practice mode: kept in the record, left out of the scores.
    pub taken_back: bool,
    /// When it was taken back: how many decisions had been made by then. Take-backs undo the
    /// latest reply still standing, so a replay needs this to repeat them at the same points.
    pub taken_back_after: Option<usize>,
    /// When this prompt was answered before and that reply taken back: the first reply, which
    /// is the one scored (take-backs are for learning, not for finding the best score).
    pub first_choice: Option<ChoiceIx>,
}

impl Decision {
    /// The reply the scores count.
    pub fn scored_choice(&self) -> ChoiceIx {
        self.first_choice.unwrap_or(self.choice)
    }
}

/// What a choice did, for the feedback card.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub node: ClientIx,
    pub choice: ChoiceIx,
    /// Variable values before and after (index-aligned with [`Playable::variables`]).
    pub before: Vec<i32>,
    pub after: Vec<i32>,
}

impl Applied {
    /// The reply chosen.
    pub fn chosen<'p>(&self, playable: &'p Playable) -> &'p Choice {
        playable.choice(self.node, self.choice)
    }

    /// The variables the trainee can see that this reply changed: (name, before, after).
    pub fn visible_changes<'s>(
        &'s self,
        playable: &'s Playable,
    ) -> impl Iterator<Item = (&'s str, i32, i32)> + 's {
        playable
            .variables()
            .iter()
            .zip(self.before.iter().zip(&self.after))
            .filter(|(v, (b, a))| v.visible && b != a)
            .map(|(v, (&b, &a))| (v.name.as_str(), b, a))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// The session is over (or stopped): nothing can be chosen.
    NotAwaitingChoice,
    /// A position outside `1..=offered`.
    NoSuchOption { position: usize, offered: usize },
    /// A choice id that is not on offer now, with the ids that are.
    NotOffered { id: String, offered: Vec<String> },
    /// Taking back or hints in assessment mode.
    NotInAssessment(&'static str),
    /// Take back with nothing to take back.
    NothingToTakeBack,
    /// `start_at` with an id that is not a client node.
    NoSuchNode(String),
    /// `start_at` with a variable or flag the scenario does not declare.
    NoSuchState(String),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::NotAwaitingChoice => f.write_str("the session has ended"),
            EngineError::NoSuchOption { position, offered } => {
                write!(f, "there is no option {position}: choose 1 to {offered}")
            }
            EngineError::NotOffered { id, offered } => write!(
                f,
                "the choice `{id}` is not on offer here; on offer: {}",
                offered.join(", ")
            ),
            EngineError::NotInAssessment(what) => {
                write!(f, "{what} is only available in practice mode")
            }
            EngineError::NothingToTakeBack => f.write_str("there is no choice to take back"),
            EngineError::NoSuchNode(id) => write!(f, "there is no client node `{id}`"),
            EngineError::NoSuchState(name) => {
                write!(f, "there is no variable or flag `{name}` in this scenario")
            }
        }
    }
}

impl std::error::Error for EngineError {}

/// Everything needed to put a session back exactly as it was before a decision.
#[derive(Debug, Clone)]
struct Snapshot {
    variables: Vec<i32>,
    flags: Vec<bool>,
    rng: ChaCha8Rng,
    status: Status,
    prompt: Option<Prompt>,
    steps: u32,
    hint_shown: bool,
}

#[derive(Debug, Clone)]
pub struct Session {
    playable: Arc<Playable>,
    mode: Mode,
    seed: u64,
    rng: ChaCha8Rng,
    variables: Vec<i32>,
    flags: Vec<bool>,
    status: Status,
    prompt: Option<Prompt>,
    hint_shown: bool,
    decisions: Vec<Decision>,
    /// One snapshot per decision still standing (not taken back), for take-back.
    undo: Vec<Snapshot>,
    /// Replies taken back: (how many decisions stood before it, its prompt, the reply).
    retracted: Vec<(usize, Prompt, ChoiceIx)>,
    steps: u32,
    step_limit: u32,
}

/// Default bound on decisions plus branch hops in one session.
pub const DEFAULT_STEP_LIMIT: u32 = 10_000;

impl Session {
    /// Only a [`Playable`] can be played: every link in it is resolved.
    pub fn start(playable: Arc<Playable>, mode: Mode, seed: u64) -> Session {
        let start = playable.start();
        let mut session = Session::blank(playable, mode, seed);
        session.arrive(start);
        session
    }

    /// Starts at any client node with chosen variable values and flags set (for authors
    /// testing a part). Unknown names are an error, so a typo never goes unnoticed.
    pub fn start_at(
        playable: Arc<Playable>,
        mode: Mode,
        seed: u64,
        node: &str,
        variables: &[(&str, i32)],
        flags: &[&str],
    ) -> Result<Session, EngineError> {
        let index = playable
            .find_client(node)
            .ok_or_else(|| EngineError::NoSuchNode(node.to_owned()))?;
        let mut session = Session::blank(playable, mode, seed);
        for (name, value) in variables {
            let i = session
                .playable
                .variable_index(name)
                .ok_or_else(|| EngineError::NoSuchState(name.to_string()))?;
            session.variables[i] = session.clamp(i, *value);
        }
        for name in flags {
            let i = session
                .playable
                .flag_index(name)
                .ok_or_else(|| EngineError::NoSuchState(name.to_string()))?;
            session.flags[i] = true;
        }
        session.arrive(Target::Client(index));
        Ok(session)
    }

    /// Continues `from` in a changed version of its scenario (an author's edit): at the same
    /// node, with the variables and flags carried over by name. The decisions start afresh.
    pub fn resume_in(playable: Arc<Playable>, from: &Session) -> Result<Session, EngineError> {
        let node = from
            .node()
            .ok_or(EngineError::NotAwaitingChoice)?
            .id
            .as_str();
        let index = playable
            .find_client(node)
            .ok_or_else(|| EngineError::NoSuchNode(node.to_owned()))?;
        let mut session = Session::blank(playable, from.mode, from.seed);
        let old = &from.playable;
        for (v, &value) in old.variables().iter().zip(&from.variables) {
            if let Some(i) = session.playable.variable_index(&v.name) {
                session.variables[i] = session.clamp(i, value);
            }
        }
        for (name, &value) in old.flags().iter().zip(&from.flags) {
            if let Some(i) = session.playable.flag_index(name) {
                session.flags[i] = value;
            }
        }
        session.arrive(Target::Client(index));
        Ok(session)
    }

    fn blank(playable: Arc<Playable>, mode: Mode, seed: u64) -> Session {
        let variables = playable.variables().iter().map(|v| v.start.value).collect();
        let flags = vec![false; playable.flags().len()];
        Session {
            rng: ChaCha8Rng::seed_from_u64(seed),
            playable,
            mode,
            seed,
            variables,
            flags,
            status: Status::AwaitingChoice,
            prompt: None,
            hint_shown: false,
            decisions: Vec::new(),
            undo: Vec::new(),
            retracted: Vec::new(),
            steps: 0,
            step_limit: DEFAULT_STEP_LIMIT,
        }
    }

    pub fn with_step_limit(mut self, limit: u32) -> Session {
        self.step_limit = limit;
        self
    }

    pub fn playable(&self) -> &Arc<Playable> {
        &self.playable
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn status(&self) -> Status {
        self.status
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }

    /// The client node of the current prompt.
    pub fn node(&self) -> Option<&ClientNode> {
        self.prompt.as_ref().map(|p| self.playable.client(p.node))
    }

    /// The line the client says now.
    pub fn line(&self) -> Option<&str> {
        let prompt = self.prompt.as_ref()?;
        let node = self.playable.client(prompt.node);
        node.says.get(prompt.variant as usize).map(|s| s.as_str())
    }

    /// The choices on offer, in the order shown (position 1 first).
    pub fn offered(&self) -> impl Iterator<Item = &Choice> {
        self.prompt.iter().flat_map(move |p| {
            p.order
                .iter()
                .map(move |&c| self.playable.choice(p.node, c))
        })
    }

    /// The ids of the choices on offer, in the order shown (stable across seeds).
    pub fn offered_ids(&self) -> impl Iterator<Item = &ChoiceId> {
        self.prompt.iter().flat_map(move |p| {
            p.order
                .iter()
                .map(move |&c| &self.playable.choice_links(p.node, c).id)
        })
    }

    pub fn variables(&self) -> &[i32] {
        &self.variables
    }

    pub fn flags(&self) -> &[bool] {
        &self.flags
    }

    pub fn variable(&self, name: &str) -> Option<i32> {
        self.playable
            .variable_index(name)
            .map(|i| self.variables[i])
    }

    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// Chooses the option at a 1-based position in the order shown.
    pub fn choose(&mut self, position: usize, elapsed_ms: u64) -> Result<Applied, EngineError> {
        let prompt = self.awaiting()?;
        let offered = prompt.order.len();
        if position == 0 || position > offered {
            return Err(EngineError::NoSuchOption { position, offered });
        }
        let prompt = prompt.clone();
        let choice = prompt.order[position - 1];
        Ok(self.apply(prompt, choice, elapsed_ms))
    }

    /// Chooses an offered option by its choice id.
    pub fn choose_id(&mut self, id: &str, elapsed_ms: u64) -> Result<Applied, EngineError> {
        let prompt = self.awaiting()?.clone();
        let id_of = |c: ChoiceIx| self.playable.choice_links(prompt.node, c).id.as_str();
        let Some(choice) = prompt.order.iter().copied().find(|&c| id_of(c) == id) else {
            return Err(EngineError::NotOffered {
                id: id.to_owned(),
                offered: prompt.order.iter().map(|&c| id_of(c).to_owned()).collect(),
            });
        };
        Ok(self.apply(prompt, choice, elapsed_ms))
    }

    /// The hint for the current node (practice mode); using it is recorded with the decision.
    pub fn hint(&mut self) -> Result<Option<&str>, EngineError> {
        if self.mode == Mode::Assessment {
            return Err(EngineError::NotInAssessment("a hint"));
        }
        self.awaiting()?;
        self.hint_shown = true;
        Ok(self
            .node()
            .and_then(|n| n.hint.as_ref())
            .map(|h| h.as_str()))
    }

    pub fn hint_used(&self) -> bool {
        self.hint_shown
    }

    /// Undoes the last standing decision (practice mode): the same prompt comes back.
    pub fn take_back(&mut self) -> Result<(), EngineError> {
        if self.mode == Mode::Assessment {
            return Err(EngineError::NotInAssessment("taking a choice back"));
        }
        if self.undo.is_empty() {
            return Err(EngineError::NothingToTakeBack);
        }
        // Every snapshot belongs to a standing decision, so both are there together.
        let made = self.decisions.len();
        let (Some(last), Some(snapshot)) = (
            self.decisions.iter_mut().rev().find(|d| !d.taken_back),
            self.undo.pop(),
        ) else {
            return Err(EngineError::NothingToTakeBack);
        };
        last.taken_back = true;
        last.taken_back_after = Some(made);
        let first = last.first_choice.unwrap_or(last.choice);
        self.retracted
            .push((self.undo.len(), last.prompt.clone(), first));
        self.variables = snapshot.variables;
        self.flags = snapshot.flags;
        self.rng = snapshot.rng;
        self.status = snapshot.status;
        self.prompt = snapshot.prompt;
        self.steps = snapshot.steps;
        self.hint_shown = snapshot.hint_shown;
        Ok(())
    }

    pub fn can_take_back(&self) -> bool {
        self.mode == Mode::Practice && !self.undo.is_empty()
    }

    fn awaiting(&self) -> Result<&Prompt, EngineError> {
        match (&self.status, &self.prompt) {
            (Status::AwaitingChoice, Some(prompt)) => Ok(prompt),
            _ => Err(EngineError::NotAwaitingChoice),
        }
    }

    fn apply(&mut self, prompt: Prompt, choice: ChoiceIx, elapsed_ms: u64) -> Applied {
        let depth = self.undo.len();
        let first_choice = self
            .retracted
            .iter()
            .find(|(d, p, _)| *d == depth && *p == prompt)
            .map(|&(_, _, c)| c);
        if self.mode == Mode::Practice {
            self.undo.push(Snapshot {
                variables: self.variables.clone(),
                flags: self.flags.clone(),
                rng: self.rng.clone(),
                status: self.status,
                prompt: self.prompt.clone(),
                steps: self.steps,
                hint_shown: self.hint_shown,
            });
        }
        let before = self.variables.clone();
        let playable = Arc::clone(&self.playable);
        playable.apply_effects(prompt.node, choice, &mut self.variables, &mut self.flags);
        let next = playable.choice_links(prompt.node, choice).next;
        let node = prompt.node;
        self.decisions.push(Decision {
            prompt,
            choice,
            elapsed_ms,
            hint_used: self.hint_shown,
            taken_back: false,
            taken_back_after: None,
            first_choice,
        });
        self.hint_shown = false;
        self.arrive(next);
        Applied {
            node,
            choice,
            before,
            after: self.variables.clone(),
        }
    }

    /// Moves to a target, following branches, and prepares the next prompt.
    fn arrive(&mut self, mut target: Target) {
        let playable = Arc::clone(&self.playable);
        loop {
            self.steps += 1;
            if self.steps > self.step_limit {
                self.stop(StopReason::LoopLimit);
                return;
            }
            match target {
                Target::Ending(e) => {
                    self.status = Status::Ended(e);
                    self.prompt = None;
                    return;
                }
                Target::Branch(b) => {
                    target = playable.branch_target(b, &self.variables, &self.flags);
                }
                Target::Client(n) => {
                    let mut order: Vec<ChoiceIx> = playable
                        .choices(n)
                        .map(|(ix, _, _)| ix)
                        .filter(|&ix| playable.offers(n, ix, &self.variables, &self.flags))
                        .collect();
                    if order.is_empty() {
                        self.stop(StopReason::NoChoiceOffered);
                        return;
                    }
                    let says = playable.client(n).says.len();
                    let variant = if says > 1 {
                        // At most `limits::WORDINGS_PER_NODE`, so it always fits.
                        u16::try_from(rand::Rng::random_range(&mut self.rng, 0..says)).unwrap_or(0)
                    } else {
                        0
                    };
                    order.shuffle(&mut self.rng);
                    self.prompt = Some(Prompt {
                        node: n,
                        variant,
                        order,
                    });
                    self.status = Status::AwaitingChoice;
                    return;
                }
            }
        }
    }

    fn stop(&mut self, reason: StopReason) {
        self.status = Status::Stopped(reason);
        self.prompt = None;
    }

    fn clamp(&self, variable: usize, value: i32) -> i32 {
        self.playable.clamp(variable, value)
    }
}
