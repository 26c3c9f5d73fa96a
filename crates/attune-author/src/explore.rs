//! Path testing with conditions honoured, for `attune test` and `attune check`.
//!
//! A *situation* is a client node together with the value of every variable and flag: two
//! trainees in the same situation are offered the same replies and go on alike, whatever came
//! before. The search starts where a session starts and tries every reply on offer in every
//! situation it reaches (breadth first, so the first way it finds to anywhere is a shortest one),
//! by the engine's own rules: a reply is on offer when its condition holds, its changes are kept
//! within each variable's range, and a branch takes its first rule that holds, else `otherwise`.
//! That is every path a trainee can take, however many, in time linear in situations × replies.
//!
//! Scenarios with too many situations (more than [`Options::max_states`]) are sampled instead:
//! seeded random walks ([`crate::walks`]) plus the two greedy players. What either way saw is
//! kept in one [`Coverage`], and [`Report::findings`] turns it into diagnostics, each with the
//! choice ids that reproduce it in `attune play`.

mod coverage;
mod findings;

use std::time::{Duration, Instant};

use attune_core::Playable;
use attune_core::analysis::{SKILLS, SkillTotals};
use attune_core::engine::{DEFAULT_STEP_LIMIT, Status, StopReason};
use attune_core::ids::ChoiceId;
use attune_core::playable::{BranchIx, ChoiceIx, ClientIx, EndingIx, Target};

pub use coverage::{Coverage, Trail};
pub use findings::{Finding, Purpose, Reproducer, thousands};

use crate::walks::{self, Observer, Outcome, WalkKind, Walker};

/// More situations than this and `attune check` leaves the search to `attune test`, which falls
/// back on random walks.
pub const DEFAULT_MAX_STATES: usize = 1_000_000;
pub const DEFAULT_WALKS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The most situations the search may meet before giving up for random walks.
    pub max_states: usize,
    /// How many random walks when the search gives up.
    pub walks: usize,
    /// The first walk's seed (walk `i` uses `seed + i`), and the seed reproducers name.
    pub seed: u64,
    /// Moves a walk may make, as a session may ([`DEFAULT_STEP_LIMIT`]).
    pub step_limit: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_states: DEFAULT_MAX_STATES,
            walks: DEFAULT_WALKS,
            seed: 1,
            step_limit: DEFAULT_STEP_LIMIT,
        }
    }
}

/// How far a long run has got, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The search has met this many situations so far.
    Searching { situations: u64 },
    /// The search gave up; `more` of `total` walks have just finished.
    Walking { total: u64, more: u64 },
}

/// How the scenario was tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every situation a trainee can reach, and every reply on offer in each.
    Exhaustive { situations: usize },
    /// More than `max_states` situations: random walks and the two greedy players instead.
    Walks {
        max_states: usize,
        count: usize,
        seed: u64,
    },
}

/// One ending: whether it was reached, and by how many distinct paths (exhaustive search of a
/// scenario that cannot loop) or walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndingSummary {
    pub ending: EndingIx,
    pub reached: bool,
    /// Distinct sequences of replies from the start to this ending (saturating at `u64::MAX`).
    pub paths: Option<u64>,
    /// Random walks that ended here.
    pub walks: Option<u64>,
}

/// Everything `attune test` found out about one scenario.
#[derive(Debug)]
pub struct Report<'p> {
    playable: &'p Playable,
    options: Options,
    pub method: Method,
    pub coverage: Coverage,
    pub endings: Vec<EndingSummary>,
    /// Whether a trainee can go round a loop (exhaustive search only; walks cannot tell).
    pub loops: bool,
    /// The lowest and highest total of each skill over complete paths: every path when the
    /// search was exhaustive and nothing loops, the walks' paths when it was not.
    pub score_range: Option<(SkillTotals, SkillTotals)>,
    /// Always the strongest reply on offer, and always the weakest.
    pub strongest: Outcome,
    pub weakest: Outcome,
    pub elapsed: Duration,
    space: Option<StateSpace>,
    traps: Vec<Trap>,
    stops: Vec<Stop>,
}

/// Tries a scenario: every path if there are at most `options.max_states` situations, else
/// random walks. `progress` hears how far it has got, now and then.
pub fn test<'p>(
    playable: &'p Playable,
    options: Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Report<'p> {
    let started = Instant::now();
    let mut coverage = Coverage::new(playable);
    let mut walker = Walker::new(playable);
    match search(playable, options.max_states, &mut coverage, progress) {
        Ok(space) => {
            let analysis = space.analyse(playable);
            // Every path is known already; the greedy players are run for the report, and in
            // case one of them goes round a loop that has a way out it never takes.
            let mut greedy = Sampled::new(playable);
            let strongest = walker.walk(WalkKind::Strongest, options.step_limit, &mut greedy);
            let weakest = walker.walk(WalkKind::Weakest, options.step_limit, &mut greedy);
            let endings = playable
                .endings()
                .map(|(e, _)| EndingSummary {
                    ending: e,
                    reached: coverage.ending(e).is_some(),
                    paths: analysis.paths.as_ref().map(|p| p[e.index()]),
                    walks: None,
                })
                .collect();
            Report {
                playable,
                options,
                method: Method::Exhaustive {
                    situations: space.len(),
                },
                coverage,
                endings,
                loops: analysis.paths.is_none(),
                score_range: analysis.score_range,
                strongest,
                weakest,
                elapsed: started.elapsed(),
                traps: analysis.traps,
                stops: greedy.stops,
                space: Some(space),
            }
        }
        Err(TooLarge) => {
            let total = options.walks as u64;
            let runs = walks::random_walks_with(
                playable,
                options.walks,
                options.seed,
                options.step_limit,
                || Sampled::new(playable),
                &|more| progress(Progress::Walking { total, more }),
            );
            let mut sampled = Sampled::new(playable);
            for run in &runs {
                sampled.merge(run);
            }
            let strongest = walker.walk(WalkKind::Strongest, options.step_limit, &mut sampled);
            let weakest = walker.walk(WalkKind::Weakest, options.step_limit, &mut sampled);
            let endings = playable
                .endings()
                .map(|(e, _)| EndingSummary {
                    ending: e,
                    reached: sampled.coverage.ending(e).is_some(),
                    paths: None,
                    walks: Some(sampled.endings[e.index()]),
                })
                .collect();
            Report {
                playable,
                options,
                method: Method::Walks {
                    max_states: options.max_states,
                    count: options.walks,
                    seed: options.seed,
                },
                coverage: sampled.coverage,
                endings,
                loops: false,
                score_range: sampled.range,
                strongest,
                weakest,
                elapsed: started.elapsed(),
                space: None,
                traps: Vec::new(),
                stops: sampled.stops,
            }
        }
    }
}

/// What `attune check` adds to the core checks: replies never offered and nodes or endings never
/// reached (warnings), and situations a trainee cannot finish from (errors). Empty when the
/// scenario has more than [`DEFAULT_MAX_STATES`] situations: `attune test` samples those.
pub fn check(playable: &Playable) -> Vec<attune_core::Diagnostic> {
    let options = Options {
        walks: 0,
        ..Options::default()
    };
    test(playable, options, &|_| {})
        .findings(Purpose::Check)
        .into_iter()
        .map(|f| f.diagnostic)
        .collect()
}

impl Report<'_> {
    pub fn playable(&self) -> &Playable {
        self.playable
    }

    pub fn options(&self) -> Options {
        self.options
    }

    pub fn is_exhaustive(&self) -> bool {
        matches!(self.method, Method::Exhaustive { .. })
    }

    /// The choice ids that lead to where `trail` points.
    pub fn path(&self, trail: Trail) -> Vec<ChoiceId> {
        let p = self.playable;
        match trail {
            Trail::Walk { walk, decisions } => {
                Walker::new(p).choices(walk, self.options.step_limit, decisions)
            }
            Trail::Start | Trail::State(_) | Trail::After { .. } => {
                let Some(space) = &self.space else {
                    return Vec::new();
                };
                let mut ids = Vec::new();
                let mut at = trail;
                loop {
                    match at {
                        Trail::State(s) => at = space.arrivals[s as usize],
                        Trail::After { state, choice } => {
                            ids.push(p.choice_links(space.node(state), choice).id.clone());
                            at = Trail::State(state);
                        }
                        Trail::Start | Trail::Walk { .. } => break,
                    }
                }
                ids.reverse();
                ids
            }
        }
    }
}

/// The search met more than `max_states` situations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// Where a reply (or the start) leads once branches are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    State(u32),
    Ending(EndingIx),
    /// Branches that lead back to each other without a client node between: the engine goes
    /// round them until its move limit.
    BranchLoop(BranchIx),
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    choice: ChoiceIx,
    next: Next,
}

/// Every situation the search met, and the replies between them.
#[derive(Debug)]
struct StateSpace {
    /// Values per situation: the client node's index, each variable, then the flags 32 to a word.
    stride: usize,
    arena: Vec<i32>,
    /// How each situation was first reached ([`Trail::Start`] or [`Trail::After`]).
    arrivals: Vec<Trail>,
    /// The replies on offer in situation `s` are `edges[edge_start[s]..edge_start[s + 1]]`.
    edge_start: Vec<u32>,
    edges: Vec<Edge>,
    /// Where the start leads.
    root: Next,
    /// The client nodes by index, to turn the arena's numbers back into typed indices.
    clients: Vec<ClientIx>,
    variables: usize,
    /// The values met on arriving at each branch (by [`BranchIx`]).
    branch_values: Vec<Option<Values>>,
}

/// The values met at one node, to say why a condition never holds there.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Values {
    lowest: Vec<i32>,
    highest: Vec<i32>,
    ever_set: Vec<bool>,
    ever_unset: Vec<bool>,
}

impl Values {
    fn add(slot: &mut Option<Values>, variables: &[i32], flags: &[bool]) {
        match slot {
            None => {
                *slot = Some(Values {
                    lowest: variables.to_vec(),
                    highest: variables.to_vec(),
                    ever_set: flags.to_vec(),
                    ever_unset: flags.iter().map(|f| !f).collect(),
                })
            }
            Some(v) => {
                for (i, &x) in variables.iter().enumerate() {
                    v.lowest[i] = v.lowest[i].min(x);
                    v.highest[i] = v.highest[i].max(x);
                }
                for (i, &f) in flags.iter().enumerate() {
                    v.ever_set[i] |= f;
                    v.ever_unset[i] |= !f;
                }
            }
        }
    }
}

impl StateSpace {
    fn len(&self) -> usize {
        self.arrivals.len()
    }

    fn values(&self, s: u32) -> &[i32] {
        &self.arena[s as usize * self.stride..][..self.stride]
    }

    fn node(&self, s: u32) -> ClientIx {
        self.clients[self.values(s)[0] as usize]
    }

    fn variables(&self, s: u32) -> &[i32] {
        &self.values(s)[1..1 + self.variables]
    }

    /// Fills `flags` (one per flag of the scenario) from situation `s`.
    fn load_flags(&self, s: u32, flags: &mut [bool]) {
        let words = &self.values(s)[1 + self.variables..];
        for (f, set) in flags.iter_mut().enumerate() {
            *set = (words[f / 32] as u32 >> (f % 32)) & 1 == 1;
        }
    }

    /// The values met at each client node (by [`ClientIx`]), over every situation there.
    fn client_values(&self, flag_count: usize) -> Vec<Option<Values>> {
        let mut values = vec![None; self.clients.len()];
        let mut flags = vec![false; flag_count];
        for s in 0..self.len() as u32 {
            self.load_flags(s, &mut flags);
            Values::add(&mut values[self.node(s).index()], self.variables(s), &flags);
        }
        values
    }

    fn edges(&self, s: u32) -> &[Edge] {
        &self.edges[self.edge_start[s as usize] as usize..self.edge_start[s as usize + 1] as usize]
    }
}

/// An open-addressing table from a situation's values to its number; the values live once, in
/// the arena.
struct Interner {
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

fn hash(values: &[i32]) -> u64 {
    // FxHash's mixing step: fast, and good enough for small integers.
    values.iter().fold(0u64, |h, &v| {
        (h.rotate_left(5) ^ u64::from(v as u32)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    })
}

impl Interner {
    /// The number of the situation with these values, and whether it is new (appended to the
    /// arena with number `arena.len() / stride`).
    fn intern(&mut self, arena: &mut Vec<i32>, stride: usize, values: &[i32]) -> (u32, bool) {
        let count = arena.len() / stride;
        if (count + 1) * 2 > self.slots.len() {
            self.grow(arena, stride);
        }
        let mask = self.slots.len() - 1;
        let mut i = hash(values) as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => {
                    self.slots[i] = count as u32;
                    arena.extend_from_slice(values);
                    return (count as u32, true);
                }
                s if &arena[s as usize * stride..][..stride] == values => return (s, false),
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self, arena: &[i32], stride: usize) {
        let size = (self.slots.len() * 2).max(1024);
        self.slots = vec![EMPTY; size];
        let mask = size - 1;
        for (s, values) in arena.chunks_exact(stride).enumerate() {
            let mut i = hash(values) as usize & mask;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s as u32;
        }
    }
}

/// The breadth-first search over situations.
struct Search<'a, 'p> {
    playable: &'p Playable,
    coverage: &'a mut Coverage,
    interner: Interner,
    space: StateSpace,
    max_states: usize,
    branches: usize,
    key: Vec<i32>,
}

fn search(
    playable: &Playable,
    max_states: usize,
    coverage: &mut Coverage,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<StateSpace, TooLarge> {
    const PROGRESS_EVERY: usize = 4096;
    let variables = playable.variables().len();
    let flag_words = playable.flags().len().div_ceil(32);
    let stride = 1 + variables + flag_words;
    let mut search = Search {
        playable,
        coverage,
        interner: Interner { slots: Vec::new() },
        space: StateSpace {
            stride,
            arena: Vec::new(),
            arrivals: Vec::new(),
            edge_start: Vec::new(),
            edges: Vec::new(),
            root: Next::State(0),
            clients: playable.clients().collect(),
            variables,
            branch_values: vec![None; coverage::branches(playable).count()],
        },
        max_states,
        branches: coverage::branches(playable).count(),
        key: Vec::with_capacity(stride),
    };
    let mut here_variables: Vec<i32> = playable.variables().iter().map(|v| v.start.value).collect();
    let mut here_flags = vec![false; playable.flags().len()];
    search.space.root =
        search.follow(playable.start(), &here_variables, &here_flags, Trail::Start)?;
    let mut next_variables = here_variables.clone();
    let mut next_flags = here_flags.clone();
    let mut s = 0u32;
    while (s as usize) < search.space.len() {
        search
            .space
            .edge_start
            .push(search.space.edges.len() as u32);
        let node = search.space.node(s);
        here_variables.copy_from_slice(search.space.variables(s));
        search.space.load_flags(s, &mut here_flags);
        for (choice, _, links) in playable.choices(node) {
            if !playable.offers(node, choice, &here_variables, &here_flags) {
                continue;
            }
            search.coverage.offer(node, choice, Trail::State(s));
            next_variables.copy_from_slice(&here_variables);
            next_flags.copy_from_slice(&here_flags);
            playable.apply_effects(node, choice, &mut next_variables, &mut next_flags);
            let next = search.follow(
                links.next,
                &next_variables,
                &next_flags,
                Trail::After { state: s, choice },
            )?;
            search.space.edges.push(Edge { choice, next });
        }
        s += 1;
        if (s as usize).is_multiple_of(PROGRESS_EVERY) {
            progress(Progress::Searching {
                situations: search.space.len() as u64,
            });
        }
    }
    search
        .space
        .edge_start
        .push(search.space.edges.len() as u32);
    Ok(search.space)
}

impl Search<'_, '_> {
    /// Goes to `target` with these values, through any branches, as the engine does; `at` is how
    /// the search got here.
    fn follow(
        &mut self,
        mut target: Target,
        variables: &[i32],
        flags: &[bool],
        at: Trail,
    ) -> Result<Next, TooLarge> {
        let p = self.playable;
        // Nothing changes between branches, so meeting more branches than there are means
        // meeting one twice: round and round for good.
        let mut hops = 0;
        loop {
            match target {
                Target::Ending(e) => {
                    self.coverage.reach_ending(e, at);
                    return Ok(Next::Ending(e));
                }
                Target::Branch(b) => {
                    hops += 1;
                    if hops > self.branches {
                        return Ok(Next::BranchLoop(b));
                    }
                    let rule = p.branch_rule(b, variables, flags);
                    self.coverage.take_branch(b, rule, at);
                    Values::add(&mut self.space.branch_values[b.index()], variables, flags);
                    let links = p.branch(b);
                    target = rule.map_or(links.otherwise, |i| links.rules[i].next);
                }
                Target::Client(c) => {
                    self.key.clear();
                    self.key.push(c.index() as i32);
                    self.key.extend_from_slice(variables);
                    let words = self.space.stride - 1 - variables.len();
                    for w in 0..words {
                        let word = flags
                            .iter()
                            .skip(w * 32)
                            .take(32)
                            .enumerate()
                            .fold(0u32, |word, (bit, &set)| word | (u32::from(set) << bit));
                        self.key.push(word as i32);
                    }
                    let (s, new) =
                        self.interner
                            .intern(&mut self.space.arena, self.space.stride, &self.key);
                    if new {
                        if self.space.arrivals.len() >= self.max_states {
                            return Err(TooLarge);
                        }
                        self.space.arrivals.push(at);
                        self.coverage.reach_client(c, Trail::State(s));
                    }
                    return Ok(Next::State(s));
                }
            }
        }
    }
}

/// A situation from which the session cannot reach an ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trap {
    /// No reply is on offer here.
    NoReply { state: u32 },
    /// Every path from here goes round without reaching an ending.
    Loop { state: u32 },
    /// This reply (or the start) leads into branches that lead back to each other.
    BranchLoop { from: Trail, branch: BranchIx },
}

/// What the search's situations add up to.
struct Analysis {
    traps: Vec<Trap>,
    /// Distinct paths to each ending; `None` when a trainee can go round a loop.
    paths: Option<Vec<u64>>,
    score_range: Option<(SkillTotals, SkillTotals)>,
}

impl StateSpace {
    fn analyse(&self, playable: &Playable) -> Analysis {
        let n = self.len();
        let targets = |s: u32| {
            self.edges(s).iter().filter_map(|e| match e.next {
                Next::State(t) => Some(t),
                Next::Ending(_) | Next::BranchLoop(_) => None,
            })
        };
        // The replies turned round, in one flat array: the situations that lead to `t` are
        // `from[into_start[t]..into_start[t + 1]]`.
        let mut into_start = vec![0u32; n + 1];
        for s in 0..n as u32 {
            for t in targets(s) {
                into_start[t as usize + 1] += 1;
            }
        }
        for t in 0..n {
            into_start[t + 1] += into_start[t];
        }
        let mut from = vec![0u32; into_start[n] as usize];
        let mut filled = into_start.clone();
        for s in 0..n as u32 {
            for t in targets(s) {
                from[filled[t as usize] as usize] = s;
                filled[t as usize] += 1;
            }
        }
        let into =
            |t: u32| &from[into_start[t as usize] as usize..into_start[t as usize + 1] as usize];
        // Marks, backwards from those on `stack`, every situation that leads to one of them.
        let backwards =
            |stack: &mut Vec<u32>, marked: &mut Vec<bool>, allowed: &dyn Fn(u32) -> bool| {
                while let Some(t) = stack.pop() {
                    for &s in into(t) {
                        if !marked[s as usize] && allowed(s) {
                            marked[s as usize] = true;
                            stack.push(s);
                        }
                    }
                }
            };
        // Situations that lead on to an ending.
        let mut ends = vec![false; n];
        let mut stack: Vec<u32> = (0..n as u32)
            .filter(|&s| {
                self.edges(s)
                    .iter()
                    .any(|e| matches!(e.next, Next::Ending(_)))
            })
            .collect();
        for &s in &stack {
            ends[s as usize] = true;
        }
        backwards(&mut stack, &mut ends, &|_| true);

        let mut traps = Vec::new();
        // Stuck for a reason the report can name: no reply on offer, or branches in a circle.
        let mut explained = vec![false; n];
        let mut stack = Vec::new();
        let mut stuck_nodes = std::collections::HashSet::new();
        let mut looping_branches = std::collections::HashSet::new();
        if let Next::BranchLoop(branch) = self.root {
            looping_branches.insert(branch);
            traps.push(Trap::BranchLoop {
                from: Trail::Start,
                branch,
            });
        }
        for s in 0..n as u32 {
            let edges = self.edges(s);
            if edges.is_empty() {
                explained[s as usize] = true;
                stack.push(s);
                if stuck_nodes.insert(self.values(s)[0]) {
                    traps.push(Trap::NoReply { state: s });
                }
            }
            for e in edges {
                if let Next::BranchLoop(branch) = e.next {
                    if !ends[s as usize] && !explained[s as usize] {
                        explained[s as usize] = true;
                        stack.push(s);
                    }
                    if looping_branches.insert(branch) {
                        traps.push(Trap::BranchLoop {
                            from: Trail::After {
                                state: s,
                                choice: e.choice,
                            },
                            branch,
                        });
                    }
                }
            }
        }
        backwards(&mut stack, &mut explained, &|s| !ends[s as usize]);
        // The first situation of each node where a trainee enters a loop with no way out.
        let mut looping_nodes = std::collections::HashSet::new();
        for s in 0..n as u32 {
            // Entered from outside the trap, or from a part of it already reported.
            let entered = matches!(self.root, Next::State(r) if r == s)
                || into(s)
                    .iter()
                    .any(|&from| ends[from as usize] || explained[from as usize]);
            if !ends[s as usize]
                && !explained[s as usize]
                && entered
                && looping_nodes.insert(self.values(s)[0])
            {
                traps.push(Trap::Loop { state: s });
            }
        }

        let (paths, score_range) = match self.topological_order(&into_start) {
            Some(order) => {
                let (paths, range) = self.count_paths(playable, &order);
                (Some(paths), range)
            }
            None => (None, None),
        };
        Analysis {
            traps,
            paths,
            score_range,
        }
    }

    /// The situations in an order where every reply leads forward, or `None` if some lead back.
    /// `into_start` holds where each situation's incoming replies start (see `analyse`).
    fn topological_order(&self, into_start: &[u32]) -> Option<Vec<u32>> {
        let n = self.len();
        let mut waiting: Vec<u32> = into_start.windows(2).map(|w| w[1] - w[0]).collect();
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&s| waiting[s as usize] == 0)
            .collect();
        let mut head = 0;
        while head < order.len() {
            let s = order[head];
            head += 1;
            for e in self.edges(s) {
                if let Next::State(t) = e.next {
                    waiting[t as usize] -= 1;
                    if waiting[t as usize] == 0 {
                        order.push(t);
                    }
                }
            }
        }
        (order.len() == n).then_some(order)
    }

    /// Distinct paths to each ending, and the lowest and highest total of each skill over them,
    /// in one pass forward over an order without loops.
    fn count_paths(
        &self,
        playable: &Playable,
        order: &[u32],
    ) -> (Vec<u64>, Option<(SkillTotals, SkillTotals)>) {
        let n = self.len();
        let mut ways = vec![0u64; n];
        let mut low = vec![[i32::MAX; SKILLS]; n];
        let mut high = vec![[i32::MIN; SKILLS]; n];
        let mut paths = vec![0u64; playable.endings().len()];
        let mut range: Option<(SkillTotals, SkillTotals)> = None;
        let mut reach_ending = |e: EndingIx, ways: u64, lo: SkillTotals, hi: SkillTotals| {
            paths[e.index()] = paths[e.index()].saturating_add(ways);
            let (min, max) = range.get_or_insert((lo, hi));
            for k in 0..SKILLS {
                min[k] = min[k].min(lo[k]);
                max[k] = max[k].max(hi[k]);
            }
        };
        match self.root {
            Next::State(r) => {
                ways[r as usize] = 1;
                low[r as usize] = [0; SKILLS];
                high[r as usize] = [0; SKILLS];
            }
            Next::Ending(e) => reach_ending(e, 1, [0; SKILLS], [0; SKILLS]),
            Next::BranchLoop(_) => {}
        }
        for &s in order {
            let node = self.node(s);
            let (w, lo, hi) = (ways[s as usize], low[s as usize], high[s as usize]);
            for e in self.edges(s) {
                let scores = playable.choice(node, e.choice).scores.values();
                let (mut lo2, mut hi2) = (lo, hi);
                for k in 0..SKILLS {
                    lo2[k] = lo2[k].saturating_add(scores[k]);
                    hi2[k] = hi2[k].saturating_add(scores[k]);
                }
                match e.next {
                    Next::State(t) => {
                        let t = t as usize;
                        ways[t] = ways[t].saturating_add(w);
                        for k in 0..SKILLS {
                            low[t][k] = low[t][k].min(lo2[k]);
                            high[t][k] = high[t][k].max(hi2[k]);
                        }
                    }
                    Next::Ending(ending) => reach_ending(ending, w, lo2, hi2),
                    Next::BranchLoop(_) => {}
                }
            }
        }
        (paths, range)
    }
}

/// A walk that did not reach an ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stop {
    walk: WalkKind,
    reason: StopReason,
    /// The client node it was at last.
    node: Option<ClientIx>,
    decisions: u32,
}

impl Stop {
    fn of(walk: WalkKind, outcome: &Outcome, node: Option<ClientIx>) -> Option<Stop> {
        match outcome.status {
            Status::Stopped(reason) => Some(Stop {
                walk,
                reason,
                node,
                decisions: outcome.decisions,
            }),
            Status::Ended(_) | Status::AwaitingChoice => None,
        }
    }
}

/// What a run of walks saw.
struct Sampled {
    coverage: Coverage,
    walk: WalkKind,
    last_node: Option<ClientIx>,
    /// Random walks that ended at each ending.
    endings: Vec<u64>,
    range: Option<(SkillTotals, SkillTotals)>,
    /// The first walk to stop at each node, for each reason.
    stops: Vec<Stop>,
}

impl Sampled {
    fn new(playable: &Playable) -> Self {
        Sampled {
            coverage: Coverage::new(playable),
            walk: WalkKind::Strongest,
            last_node: None,
            endings: vec![0; playable.endings().len()],
            range: None,
            stops: Vec::new(),
        }
    }

    fn add_stop(&mut self, stop: Stop) {
        if !self
            .stops
            .iter()
            .any(|s| s.reason == stop.reason && s.node == stop.node)
        {
            self.stops.push(stop);
        }
    }

    fn merge(&mut self, later: &Sampled) {
        self.coverage.merge(&later.coverage);
        for (mine, theirs) in self.endings.iter_mut().zip(&later.endings) {
            *mine += theirs;
        }
        if let Some((lo, hi)) = later.range {
            let (min, max) = self.range.get_or_insert((lo, hi));
            for k in 0..SKILLS {
                min[k] = min[k].min(lo[k]);
                max[k] = max[k].max(hi[k]);
            }
        }
        for &stop in &later.stops {
            self.add_stop(stop);
        }
    }
}

impl Observer for Sampled {
    fn start(&mut self, walk: WalkKind) {
        self.walk = walk;
        self.last_node = None;
    }

    fn prompt(&mut self, node: ClientIx, offered: &[ChoiceIx], decisions: u32) {
        let at = Trail::Walk {
            walk: self.walk,
            decisions,
        };
        self.last_node = Some(node);
        self.coverage.reach_client(node, at);
        for &choice in offered {
            self.coverage.offer(node, choice, at);
        }
    }

    fn branch(&mut self, branch: BranchIx, rule: Option<usize>, decisions: u32) {
        let at = Trail::Walk {
            walk: self.walk,
            decisions,
        };
        self.coverage.take_branch(branch, rule, at);
    }

    fn end(&mut self, walk: WalkKind, outcome: &Outcome) {
        match outcome.status {
            Status::Ended(e) => {
                let at = Trail::Walk {
                    walk,
                    decisions: outcome.decisions,
                };
                self.coverage.reach_ending(e, at);
                // The greedy walks are reported on their own; the counts are the random ones'.
                if let WalkKind::Random { .. } = walk {
                    self.endings[e.index()] += 1;
                    let totals = outcome.totals;
                    let (min, max) = self.range.get_or_insert((totals, totals));
                    for k in 0..SKILLS {
                        min[k] = min[k].min(totals[k]);
                        max[k] = max[k].max(totals[k]);
                    }
                }
            }
            Status::Stopped(_) | Status::AwaitingChoice => {
                if let Some(stop) = Stop::of(walk, outcome, self.last_node) {
                    self.add_stop(stop);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
