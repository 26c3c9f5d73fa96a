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

use crate::model::{Choice, ClientNode, Effect, Node, Scenario, Target};

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

/// Where the session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    AwaitingChoice,
    /// Reached the ending with this index.
    Ended(u32),
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
    pub node: u32,
    /// Index into the node's `says`.
    pub variant: u16,
    /// Indices into the node's `choices`, in the (shuffled) order shown.
    pub order: Vec<u16>,
}

/// A decision the trainee made.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub prompt: Prompt,
    /// Index into the node's `choices`.
    pub choice: u16,
    pub elapsed_ms: u64,
    pub hint_used: bool,
    /// Taken back in practice mode: kept in the record, left out of the scores.
    pub taken_back: bool,
    /// When this prompt was answered before and that reply taken back: the first reply, which
    /// is the one scored (take-backs are for learning, not for finding the best score).
    pub first_choice: Option<u16>,
}

impl Decision {
    /// The reply the scores count.
    pub fn scored_choice(&self) -> u16 {
        self.first_choice.unwrap_or(self.choice)
    }
}

/// What a choice did, for the feedback card.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub node: u32,
    pub choice: u16,
    /// Variable values before and after (index-aligned with `Resolved::variables`).
    pub before: Vec<i32>,
    pub after: Vec<i32>,
}

impl Applied {
    /// The variables the trainee can see that this reply changed: (name, before, after).
    pub fn visible_changes<'s>(
        &'s self,
        scenario: &'s Scenario,
    ) -> impl Iterator<Item = (&'s str, i32, i32)> + 's {
        scenario
            .resolved
            .variables
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
    /// A choice id that is not on offer now.
    NotOffered(String),
    /// Taking back or hints in assessment mode.
    NotInAssessment(&'static str),
    /// Take back with nothing to take back.
    NothingToTakeBack,
    /// `start_at` with an id that is not a client node.
    NoSuchNode(String),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::NotAwaitingChoice => f.write_str("the session has ended"),
            EngineError::NoSuchOption { position, offered } => {
                write!(f, "there is no option {position}: choose 1 to {offered}")
            }
            EngineError::NotOffered(id) => write!(f, "the choice `{id}` is not on offer here"),
            EngineError::NotInAssessment(what) => {
                write!(f, "{what} is only available in practice mode")
            }
            EngineError::NothingToTakeBack => f.write_str("there is no choice to take back"),
            EngineError::NoSuchNode(id) => write!(f, "there is no client node `{id}`"),
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
    scenario: Arc<Scenario>,
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
    retracted: Vec<(usize, Prompt, u16)>,
    steps: u32,
    step_limit: u32,
}

/// Default bound on decisions plus branch hops in one session.
pub const DEFAULT_STEP_LIMIT: u32 = 10_000;

impl Session {
    pub fn start(scenario: Arc<Scenario>, mode: Mode, seed: u64) -> Session {
        let start = scenario.resolved.start;
        let mut session = Session::blank(scenario, mode, seed);
        session.arrive(start);
        session
    }

    /// Starts at any client node with chosen variable values (for authors testing a part).
    pub fn start_at(
        scenario: Arc<Scenario>,
        mode: Mode,
        seed: u64,
        node: &str,
        variables: &[(&str, i32)],
    ) -> Result<Session, EngineError> {
        let index = scenario
            .nodes
            .iter()
            .position(|n| matches!(n, Node::Client(c) if c.id.as_str() == node))
            .ok_or_else(|| EngineError::NoSuchNode(node.to_owned()))?;
        let mut session = Session::blank(scenario, mode, seed);
        for (name, value) in variables {
            if let Some(i) = session.variable_index(name) {
                session.variables[i] = session.clamp(i, *value);
            }
        }
        session.arrive(Target::Node(index as u32));
        Ok(session)
    }

    /// Continues `from` in a changed version of its scenario (an author's edit): at the same
    /// node, with the variables and flags carried over by name. The decisions start afresh.
    pub fn resume_in(scenario: Arc<Scenario>, from: &Session) -> Result<Session, EngineError> {
        let node = from
            .node()
            .ok_or(EngineError::NotAwaitingChoice)?
            .id
            .as_str();
        let index = scenario
            .nodes
            .iter()
            .position(|n| matches!(n, Node::Client(c) if c.id.as_str() == node))
            .ok_or_else(|| EngineError::NoSuchNode(node.to_owned()))?;
        let mut session = Session::blank(scenario, from.mode, from.seed);
        let old = &from.scenario.resolved;
        for (v, &value) in old.variables.iter().zip(&from.variables) {
            if let Some(i) = session.variable_index(&v.name) {
                session.variables[i] = session.clamp(i, value);
            }
        }
        for (name, &value) in old.flags.iter().zip(&from.flags) {
            if let Some(i) = session
                .scenario
                .resolved
                .flags
                .iter()
                .position(|f| f == name)
            {
                session.flags[i] = value;
            }
        }
        session.arrive(Target::Node(index as u32));
        Ok(session)
    }

    fn blank(scenario: Arc<Scenario>, mode: Mode, seed: u64) -> Session {
        let variables = scenario
            .resolved
            .variables
            .iter()
            .map(|v| v.start.value)
            .collect();
        let flags = vec![false; scenario.resolved.flags.len()];
        Session {
            rng: ChaCha8Rng::seed_from_u64(seed),
            scenario,
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

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
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
        self.prompt.as_ref().map(|p| self.client_node(p.node))
    }

    /// The line the client says now.
    pub fn line(&self) -> Option<&str> {
        let prompt = self.prompt.as_ref()?;
        let node = self.client_node(prompt.node);
        Some(node.says[prompt.variant as usize].as_str())
    }

    /// The choices on offer, in the order shown (position 1 first).
    pub fn offered(&self) -> impl Iterator<Item = &Choice> {
        self.prompt.iter().flat_map(move |p| {
            let node = self.client_node(p.node);
            p.order.iter().map(move |&c| &node.choices[c as usize])
        })
    }

    pub fn variables(&self) -> &[i32] {
        &self.variables
    }

    pub fn flags(&self) -> &[bool] {
        &self.flags
    }

    pub fn variable(&self, name: &str) -> Option<i32> {
        self.variable_index(name).map(|i| self.variables[i])
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
        let choice = prompt.order[position - 1];
        Ok(self.apply(choice, elapsed_ms))
    }

    /// Chooses an offered option by its choice id.
    pub fn choose_id(&mut self, id: &str, elapsed_ms: u64) -> Result<Applied, EngineError> {
        let prompt = self.awaiting()?;
        let node = self.client_node(prompt.node);
        let choice = prompt
            .order
            .iter()
            .copied()
            .find(|&c| node.choices[c as usize].resolved.id.as_str() == id)
            .ok_or_else(|| EngineError::NotOffered(id.to_owned()))?;
        Ok(self.apply(choice, elapsed_ms))
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
        let snapshot = self.undo.pop().ok_or(EngineError::NothingToTakeBack)?;
        let last = self
            .decisions
            .iter_mut()
            .rev()
            .find(|d| !d.taken_back)
            .expect("every snapshot belongs to a standing decision");
        last.taken_back = true;
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

    fn apply(&mut self, choice_index: u16, elapsed_ms: u64) -> Applied {
        let prompt = self.prompt.clone().expect("checked by awaiting()");
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
        let scenario = Arc::clone(&self.scenario);
        let choice = &client(&scenario, prompt.node).choices[choice_index as usize];
        for effect in &choice.resolved.effects {
            match *effect {
                Effect::Add { variable, delta } => {
                    let v = variable as usize;
                    self.variables[v] = self.clamp(v, self.variables[v].saturating_add(delta));
                }
                Effect::Set { flag, value } => self.flags[flag as usize] = value,
            }
        }
        self.decisions.push(Decision {
            prompt: prompt.clone(),
            choice: choice_index,
            elapsed_ms,
            hint_used: self.hint_shown,
            taken_back: false,
            first_choice,
        });
        self.hint_shown = false;
        self.arrive(choice.resolved.next);
        Applied {
            node: prompt.node,
            choice: choice_index,
            before,
            after: self.variables.clone(),
        }
    }

    /// Moves to a target, following branches, and prepares the next prompt.
    fn arrive(&mut self, mut target: Target) {
        let scenario = Arc::clone(&self.scenario);
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
                Target::Unresolved => unreachable!("a checked scenario has no unresolved links"),
                Target::Node(n) => match &scenario.nodes[n as usize] {
                    Node::Branch(b) => {
                        target = b
                            .rules
                            .iter()
                            .find(|r| r.resolved.condition.holds(&self.variables, &self.flags))
                            .map_or(b.resolved_otherwise, |r| r.resolved.next);
                    }
                    Node::Client(c) => {
                        let mut order: Vec<u16> = (0..c.choices.len() as u16)
                            .filter(|&i| {
                                c.choices[i as usize]
                                    .resolved
                                    .condition
                                    .as_ref()
                                    .is_none_or(|cond| cond.holds(&self.variables, &self.flags))
                            })
                            .collect();
                        if order.is_empty() {
                            self.stop(StopReason::NoChoiceOffered);
                            return;
                        }
                        let variant = if c.says.len() > 1 {
                            rand::Rng::random_range(&mut self.rng, 0..c.says.len()) as u16
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
                },
            }
        }
    }

    fn stop(&mut self, reason: StopReason) {
        self.status = Status::Stopped(reason);
        self.prompt = None;
    }

    fn client_node(&self, node: u32) -> &ClientNode {
        client(&self.scenario, node)
    }

    fn variable_index(&self, name: &str) -> Option<usize> {
        self.scenario
            .resolved
            .variables
            .iter()
            .position(|v| v.name.as_str() == name)
    }

    fn clamp(&self, variable: usize, value: i32) -> i32 {
        let v = &self.scenario.resolved.variables[variable];
        value.clamp(v.min.value, v.max.value)
    }
}

fn client(scenario: &Scenario, node: u32) -> &ClientNode {
    match &scenario.nodes[node as usize] {
        Node::Client(c) => c,
        Node::Branch(_) => unreachable!("prompts are only made at client nodes"),
    }
}
