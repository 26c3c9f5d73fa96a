//! Playthroughs without a session: uniformly random players (at every prompt each reply on offer
//! is equally likely) and greedy ones (always the strongest, or the weakest, reply on offer).
//! What random players reach, and how they score, says how much a scenario rewards skill rather
//! than luck; where a scenario is too large to try every path, their walks are what `attune test`
//! falls back on.
//!
//! A [`Walker`] steps through a [`Playable`] by the engine's rules (those of
//! [`Playable::offers`], [`Playable::apply_effects`] and [`Playable::branch_target`], read from
//! a compact copy of what they use) and counts moves as the engine does, so a walk ends, or
//! stops, exactly where a session given the same choice ids would; the tests below hold the two
//! together. It skips what only a trainee needs (wordings, shuffled order, undo), which makes it
//! fast enough for ten thousand walks of a ten-thousand-node scenario.

use std::sync::Arc;

use attune_core::Playable;
use attune_core::analysis::{SKILLS, SkillTotals};
use attune_core::condition::Condition;
use attune_core::engine::{Decision, Prompt, Status, StopReason};
use attune_core::ids::ChoiceId;
use attune_core::playable::{BranchIx, ChoiceIx, ClientIx, Effect, NodeRef, Target};
use attune_core::scoring::{self, Scorecard};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One random walk from the start to an ending (or a stop).
#[derive(Debug, Clone)]
pub struct Walk {
    /// The walk's seed, and the choices made, by id: `attune play FILE --seed S --choices id,id,…`
    /// plays the same path (choice ids do not depend on the seed).
    pub seed: u64,
    pub choices: Vec<ChoiceId>,
    pub status: Status,
    pub card: Scorecard,
}

/// Which walk: a random one, reproducible from its seed, or a greedy one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WalkKind {
    Random {
        seed: u64,
    },
    /// Always the best reply on offer, as the debrief judges it ([`scoring::best_offered`]).
    Strongest,
    /// Always the reply with the lowest total (then the lowest Carkhuff level, then the first
    /// authored).
    Weakest,
}

/// How a walk ended, and what it scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub decisions: u32,
    /// Per-skill sums of the replies chosen (the raw points, before the debrief's repetition
    /// guard).
    pub totals: SkillTotals,
}

/// What a walk tells whoever watches it. Every method has a default that ignores it.
pub trait Observer {
    /// A walk begins.
    fn start(&mut self, _walk: WalkKind) {}
    /// A prompt at `node` after `decisions` decisions, with these replies on offer (authored
    /// order; empty when none is, and the walk stops).
    fn prompt(&mut self, _node: ClientIx, _offered: &[ChoiceIx], _decisions: u32) {}
    /// The reply chosen at the prompt just announced.
    fn chose(&mut self, _node: ClientIx, _choice: ChoiceIx) {}
    /// A branch took rule `rule` (`None`: `otherwise`) after `decisions` decisions.
    fn branch(&mut self, _branch: BranchIx, _rule: Option<usize>, _decisions: u32) {}
    /// The walk is over.
    fn end(&mut self, _walk: WalkKind, _outcome: &Outcome) {}
}

/// Ignores everything.
impl Observer for () {}

/// Steps through one scenario, one walk at a time, reusing its buffers between walks.
#[derive(Debug, Clone)]
pub struct Walker<'p> {
    playable: &'p Playable,
    table: Table,
    variables: Vec<i32>,
    flags: Vec<bool>,
    offered: Vec<ChoiceIx>,
}

/// What a walk reads at every step, packed together. A [`Playable`] keeps a reply's scores in its
/// model (with the text and spans) and its condition, changes and link elsewhere, several cache
/// lines apart; read there, ten thousand walks of a ten-thousand-node scenario spend most of
/// their time waiting for memory (measured: 4 to 5 times slower).
#[derive(Debug, Clone)]
struct Table {
    /// The replies of client node `c`, in authored order: `replies[reply_start[c]..reply_start[c + 1]]`.
    reply_start: Vec<u32>,
    replies: Vec<Reply>,
    effects: Vec<Effect>,
    /// The rules of branch `b`: `rules[rule_start[b]..rule_start[b + 1]]`.
    rule_start: Vec<u32>,
    rules: Vec<(Condition, Target)>,
    otherwise: Vec<Target>,
    /// Each variable's range.
    ranges: Vec<(i32, i32)>,
}

#[derive(Debug, Clone)]
struct Reply {
    choice: ChoiceIx,
    condition: Option<Condition>,
    /// `effects[from..to]`.
    effects: (u32, u32),
    next: Target,
    scores: SkillTotals,
}

impl Table {
    fn new(p: &Playable) -> Table {
        let mut table = Table {
            reply_start: vec![0],
            replies: Vec::new(),
            effects: Vec::new(),
            rule_start: vec![0],
            rules: Vec::new(),
            otherwise: Vec::new(),
            ranges: p
                .variables()
                .iter()
                .map(|v| (v.min.value, v.max.value))
                .collect(),
        };
        for node in p.clients() {
            for (choice, authored, links) in p.choices(node) {
                let from = table.effects.len() as u32;
                table.effects.extend_from_slice(&links.effects);
                table.replies.push(Reply {
                    choice,
                    condition: links.condition.clone(),
                    effects: (from, table.effects.len() as u32),
                    next: links.next,
                    scores: authored.scores.values(),
                });
            }
            table.reply_start.push(table.replies.len() as u32);
        }
        for node in p.nodes() {
            if let NodeRef::Branch(b) = node {
                let links = p.branch(*b);
                table
                    .rules
                    .extend(links.rules.iter().map(|r| (r.condition.clone(), r.next)));
                table.rule_start.push(table.rules.len() as u32);
                table.otherwise.push(links.otherwise);
            }
        }
        table
    }

    fn replies(&self, node: ClientIx) -> &[Reply] {
        let c = node.index();
        &self.replies[self.reply_start[c] as usize..self.reply_start[c + 1] as usize]
    }

    /// Where a branch leads, and the rule it takes (`None`: `otherwise`), as
    /// [`Playable::branch_target`] decides.
    fn branch(
        &self,
        branch: BranchIx,
        variables: &[i32],
        flags: &[bool],
    ) -> (Option<usize>, Target) {
        let b = branch.index();
        let rules = &self.rules[self.rule_start[b] as usize..self.rule_start[b + 1] as usize];
        match rules.iter().position(|(c, _)| c.holds(variables, flags)) {
            Some(i) => (Some(i), rules[i].1),
            None => (None, self.otherwise[b]),
        }
    }

    /// A reply's changes, as [`Playable::apply_effects`] makes them.
    fn apply(&self, reply: &Reply, variables: &mut [i32], flags: &mut [bool]) {
        for effect in &self.effects[reply.effects.0 as usize..reply.effects.1 as usize] {
            match *effect {
                Effect::Add { variable, delta } => {
                    let v = variable as usize;
                    let (min, max) = self.ranges[v];
                    variables[v] = variables[v].saturating_add(delta).clamp(min, max);
                }
                Effect::Set { flag, value } => flags[flag as usize] = value,
            }
        }
    }
}

impl<'p> Walker<'p> {
    pub fn new(playable: &'p Playable) -> Self {
        Walker {
            playable,
            table: Table::new(playable),
            variables: Vec::with_capacity(playable.variables().len()),
            flags: Vec::with_capacity(playable.flags().len()),
            offered: Vec::new(),
        }
    }

    /// One walk from the start; `step_limit` bounds moves (decisions and branch hops) as
    /// [`attune_core::engine::Session::with_step_limit`] does.
    pub fn walk(
        &mut self,
        kind: WalkKind,
        step_limit: u32,
        observer: &mut impl Observer,
    ) -> Outcome {
        let p = self.playable;
        self.variables.clear();
        self.variables
            .extend(p.variables().iter().map(|v| v.start.value));
        self.flags.clear();
        self.flags.resize(p.flags().len(), false);
        let mut picker = match kind {
            WalkKind::Random { seed } => Some(picker(seed)),
            WalkKind::Strongest | WalkKind::Weakest => None,
        };
        observer.start(kind);
        let mut target = p.start();
        let mut steps = 0u32;
        let mut decisions = 0u32;
        let mut totals = [0; SKILLS];
        let status = loop {
            // The engine counts every arrival (client node, branch or ending) as a move.
            steps += 1;
            if steps > step_limit {
                break Status::Stopped(StopReason::LoopLimit);
            }
            match target {
                Target::Ending(e) => break Status::Ended(e),
                Target::Branch(b) => {
                    let (rule, next) = self.table.branch(b, &self.variables, &self.flags);
                    observer.branch(b, rule, decisions);
                    target = next;
                }
                Target::Client(node) => {
                    let replies = self.table.replies(node);
                    self.offered.clear();
                    // On offer as [`Playable::offers`] decides: no condition, or it holds.
                    self.offered.extend(
                        replies
                            .iter()
                            .filter(|r| {
                                r.condition
                                    .as_ref()
                                    .is_none_or(|c| c.holds(&self.variables, &self.flags))
                            })
                            .map(|r| r.choice),
                    );
                    observer.prompt(node, &self.offered, decisions);
                    if self.offered.is_empty() {
                        break Status::Stopped(StopReason::NoChoiceOffered);
                    }
                    let choice = match (&mut picker, kind) {
                        (Some(rng), _) => self.offered[rng.random_range(0..self.offered.len())],
                        (None, WalkKind::Weakest) => weakest_offered(p, node, &self.offered),
                        (None, _) => {
                            scoring::best_offered(p, node, &self.offered).unwrap_or(self.offered[0])
                        }
                    };
                    observer.chose(node, choice);
                    let reply = &replies[choice.index()];
                    for (total, score) in totals.iter_mut().zip(reply.scores) {
                        *total += score;
                    }
                    self.table
                        .apply(reply, &mut self.variables, &mut self.flags);
                    decisions += 1;
                    target = reply.next;
                }
            }
        };
        let outcome = Outcome {
            status,
            decisions,
            totals,
        };
        observer.end(kind, &outcome);
        outcome
    }

    /// The choice ids of a walk's first `decisions` decisions (all of them if it is shorter).
    pub fn choices(&mut self, kind: WalkKind, step_limit: u32, decisions: u32) -> Vec<ChoiceId> {
        struct Record<'a> {
            playable: &'a Playable,
            ids: Vec<ChoiceId>,
            limit: usize,
        }
        impl Observer for Record<'_> {
            fn chose(&mut self, node: ClientIx, choice: ChoiceIx) {
                if self.ids.len() < self.limit {
                    self.ids
                        .push(self.playable.choice_links(node, choice).id.clone());
                }
            }
        }
        let mut record = Record {
            playable: self.playable,
            ids: Vec::new(),
            limit: decisions as usize,
        };
        self.walk(kind, step_limit, &mut record);
        record.ids
    }
}

/// The picks of random walk `seed`: a stream of its own, apart from any session's, so a walk is
/// the same whatever seed it is later played with.
fn picker(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15)
}

/// The weakest of a non-empty offer: lowest total, then lowest Carkhuff level, then first
/// authored.
fn weakest_offered(p: &Playable, node: ClientIx, offered: &[ChoiceIx]) -> ChoiceIx {
    let key = |c: ChoiceIx| {
        let choice = p.choice(node, c);
        let level = choice.codes.carkhuff.as_ref().map_or(0.0, |l| l.value);
        (choice.total(), level)
    };
    let mut weakest = offered[0];
    for &c in &offered[1..] {
        if key(c) < key(weakest) {
            weakest = c;
        }
    }
    weakest
}

/// `count` random walks, walk `i` with seed `seed + i`, shared out over the machine's cores in
/// runs of consecutive seeds. Each run gets its own observer from `observer`; they come back in
/// seed order, so merging them in order gives the same result however many cores there are.
/// `progress` is told how many more walks are done, every so often.
pub fn random_walks_with<O: Observer + Send>(
    playable: &Playable,
    count: usize,
    seed: u64,
    step_limit: u32,
    observer: impl Fn() -> O + Sync,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<O> {
    const PROGRESS_EVERY: usize = 64;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count.div_ceil(PROGRESS_EVERY))
        .max(1);
    let per_thread = count.div_ceil(threads);
    let run = |first: usize| {
        let mut walker = Walker::new(playable);
        let mut watcher = observer();
        let last = (first + per_thread).min(count);
        for i in first..last {
            let kind = WalkKind::Random {
                seed: seed.wrapping_add(i as u64),
            };
            walker.walk(kind, step_limit, &mut watcher);
            if (i + 1 - first).is_multiple_of(PROGRESS_EVERY) {
                progress(PROGRESS_EVERY as u64);
            }
        }
        progress(((last.saturating_sub(first)) % PROGRESS_EVERY) as u64);
        watcher
    };
    if threads == 1 {
        return vec![run(0)];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let run = &run;
                scope.spawn(move || run(t * per_thread))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// `count` random walks; walk `i` plays with seed `seed + i`, so every walk is reproducible on
/// its own. Each is scored as the debrief would score it.
pub fn random_walks(
    playable: &Arc<Playable>,
    count: usize,
    seed: u64,
    step_limit: u32,
) -> Vec<Walk> {
    let runs = random_walks_with(
        playable,
        count,
        seed,
        step_limit,
        || Scored::new(playable),
        &|_| {},
    );
    runs.into_iter().flat_map(|run| run.walks).collect()
}

/// One uniformly random walk.
pub fn random_walk(playable: &Arc<Playable>, seed: u64, step_limit: u32) -> Walk {
    let mut scored = Scored::new(playable);
    Walker::new(playable).walk(WalkKind::Random { seed }, step_limit, &mut scored);
    scored
        .walks
        .pop()
        .expect("every walk ends, and its end is recorded")
}

/// Records each walk's decisions and scores it when it ends.
struct Scored<'p> {
    playable: &'p Playable,
    decisions: Vec<Decision>,
    choices: Vec<ChoiceId>,
    order: Vec<ChoiceIx>,
    walks: Vec<Walk>,
}

impl<'p> Scored<'p> {
    fn new(playable: &'p Playable) -> Self {
        Scored {
            playable,
            decisions: Vec::new(),
            choices: Vec::new(),
            order: Vec::new(),
            walks: Vec::new(),
        }
    }
}

impl Observer for Scored<'_> {
    fn start(&mut self, _walk: WalkKind) {
        self.decisions.clear();
        self.choices.clear();
    }

    fn prompt(&mut self, _node: ClientIx, offered: &[ChoiceIx], _decisions: u32) {
        self.order.clear();
        self.order.extend_from_slice(offered);
    }

    fn chose(&mut self, node: ClientIx, choice: ChoiceIx) {
        self.choices
            .push(self.playable.choice_links(node, choice).id.clone());
        // Scoring reads which replies were on offer, not the order they were shown in; a walk
        // has no wording of its own, so each review names the first.
        self.decisions.push(Decision {
            prompt: Prompt {
                node,
                variant: 0,
                order: self.order.clone(),
            },
            choice,
            elapsed_ms: 0,
            hint_used: false,
            taken_back: false,
            taken_back_after: None,
            first_choice: None,
        });
    }

    fn end(&mut self, walk: WalkKind, outcome: &Outcome) {
        let seed = match walk {
            WalkKind::Random { seed } => seed,
            WalkKind::Strongest | WalkKind::Weakest => 0,
        };
        self.walks.push(Walk {
            seed,
            choices: std::mem::take(&mut self.choices),
            status: outcome.status,
            card: scoring::score(self.playable, &self.decisions),
        });
    }
}

#[cfg(test)]
mod tests {
    use attune_core::engine::{Mode, Session};

    use super::*;

    use crate::testing::tom;

    fn replay(playable: &Arc<Playable>, seed: u64, choices: &[ChoiceId]) -> Session {
        let mut session = Session::start(Arc::clone(playable), Mode::Assessment, seed);
        for id in choices {
            session.choose_id(id.as_str(), 0).unwrap();
        }
        session
    }

    #[test]
    fn walks_end_and_are_reproducible_from_their_seed() {
        let playable = tom();
        let walks = random_walks(&playable, 50, 7, 1_000);
        assert!(walks.iter().all(|w| matches!(w.status, Status::Ended(_))));
        let again = random_walk(&playable, walks[13].seed, 1_000);
        assert_eq!(again.choices, walks[13].choices);
        // Replaying the recorded ids with the recorded seed reaches the same place.
        assert_eq!(
            replay(&playable, walks[13].seed, &walks[13].choices).status(),
            walks[13].status
        );
    }

    #[test]
    fn random_players_take_different_paths() {
        let walks = random_walks(&tom(), 30, 1, 1_000);
        let distinct: std::collections::HashSet<_> = walks.iter().map(|w| &w.choices).collect();
        assert!(distinct.len() > 10, "{} distinct paths", distinct.len());
    }

    #[test]
    fn a_walk_is_scored_as_the_engine_scores_the_same_choices() {
        let playable = tom();
        for walk in random_walks(&playable, 40, 100, 1_000) {
            // Any seed plays the same choice ids; another one shows the order does not matter.
            let session = replay(&playable, walk.seed + 999, &walk.choices);
            assert_eq!(session.status(), walk.status);
            let mut card = Scorecard::of(&session);
            // Which wording the client used is the session's, not the walk's.
            for review in &mut card.decisions {
                review.variant = 0;
            }
            assert_eq!(card, walk.card, "walk {}", walk.seed);
        }
    }

    #[test]
    fn walks_stop_at_the_step_limit_where_a_session_does() {
        // The generated scenario's paths are long: a small limit stops them part-way.
        let text = attune_core::generate::scenario_text(300);
        let playable = attune_core::load_str("g.scenario.ron", text, None)
            .playable
            .unwrap();
        let limit = 40;
        for seed in 0..20 {
            let mut walker = Walker::new(&playable);
            let kind = WalkKind::Random { seed };
            let outcome = walker.walk(kind, limit, &mut ());
            assert_eq!(outcome.status, Status::Stopped(StopReason::LoopLimit));
            let ids = walker.choices(kind, limit, u32::MAX);
            let mut session = Session::start(Arc::clone(&playable), Mode::Assessment, seed)
                .with_step_limit(limit);
            for id in &ids {
                session.choose_id(id.as_str(), 0).unwrap();
            }
            assert_eq!(session.status(), outcome.status, "seed {seed}");
            assert_eq!(session.decisions().len(), outcome.decisions as usize);
        }
    }

    #[test]
    fn greedy_walks_take_the_strongest_and_the_weakest_reply() {
        let playable = tom();
        let mut walker = Walker::new(&playable);
        let strongest = walker.walk(WalkKind::Strongest, 1_000, &mut ());
        let weakest = walker.walk(WalkKind::Weakest, 1_000, &mut ());
        let sum = |o: &Outcome| o.totals.iter().sum::<i32>();
        assert!(matches!(strongest.status, Status::Ended(_)));
        assert!(sum(&strongest) > 0 && sum(&weakest) < 0);
        // The strongest walk is the one the debrief calls "the best on offer" at every turn.
        let ids = walker.choices(WalkKind::Strongest, 1_000, u32::MAX);
        let card = Scorecard::of(&replay(&playable, 5, &ids));
        assert!(card.decisions.iter().all(|d| d.better.is_none()));
    }

    #[test]
    fn the_same_walks_on_one_thread_or_many() {
        let playable = tom();
        let ids = |walks: Vec<Walk>| -> Vec<Vec<ChoiceId>> {
            walks.into_iter().map(|w| w.choices).collect()
        };
        let many = ids(random_walks(&playable, 300, 3, 1_000));
        let one: Vec<_> = (0..300)
            .map(|i| random_walk(&playable, 3 + i, 1_000).choices)
            .collect();
        assert_eq!(many, one);
    }
}
