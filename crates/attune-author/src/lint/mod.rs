//! The teaching-quality lint: patterns in a checked scenario that let a trainee score well
//! without the skills it practises, or that teach the opposite of what the scores say. Every
//! finding is a warning [`Diagnostic`] with a stable [`Code`], a place in the file and help
//! written for the lecturer who wrote it. `docs/lint.md` explains each rule in teaching terms.
//!
//! Rules come in families, one module each: give-aways a trainee can spot without listening
//! ([`giveaways`]), single decisions ([`decisions`]), codes that contradict scores ([`codes`]),
//! endings that contradict the choices ([`endings`]), lucky random players ([`random`]), and
//! replies scored differently across a library ([`library`]). Every number a rule compares
//! against lives in [`LintThresholds`].
//!
//! "Decisions" are the client nodes that offer two replies or more (a node with one reply asks
//! nothing of the trainee; `single-reply` reports it). Every client node of a [`Playable`] is
//! reachable. Rules about single decisions look at every reply a node has, conditions aside;
//! the rules about endings explore the paths a session can really take, conditions honoured.
//!
//! [`Code`]: attune_core::diagnostics::Code

mod codes;
mod decisions;
mod endings;
mod giveaways;
pub mod hedging;
mod library;
mod paths;
mod random;

use std::sync::Arc;

use attune_core::diagnostics::{Diagnostic, SourceFile};
use attune_core::model::{Choice, ClientNode};
use attune_core::playable::{ChoiceIx, ClientIx};
use attune_core::scoring::best_offered;
use attune_core::{Playable, Severity};

pub use library::lint_library;

/// Every threshold the rules compare against, in one place; `docs/lint.md` quotes the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct LintThresholds {
    /// `longest-is-best` fires when the best reply is also the longest at more than this share
    /// of a scenario's decisions (0.4: more than 40%). Below it, length is a coincidence a
    /// trainee cannot learn to rely on.
    pub longest_is_best: f64,
    /// What "most" means: more than this share. `only-hedged-is-best` and `no-near-miss` fire
    /// when their pattern holds at most decisions; `engaged-after-poor-replies` when most
    /// replies on a path score below zero.
    pub most: f64,
    /// `ending-contradicts-choices`: a path is poor when its replies' scores add up to less
    /// than this.
    pub poor_path_below: i32,
    /// `random-player-does-well` fires when more than this share of uniformly random players
    /// land in the top band (proficient) on a skill (0.05: more than 5%).
    pub random_top_band: f64,
    /// How many random players `random-player-does-well` plays.
    pub random_players: usize,
    /// The seed of the first random player (the others follow it), fixed so that the lint says
    /// the same thing every time it runs.
    pub random_seed: u64,
    /// The rules about endings explore every state a session can be in (node, variables and
    /// flags). Above this many states they are skipped and the lint says so; no shipped
    /// scenario comes near it.
    pub state_limit: usize,
}

impl Default for LintThresholds {
    fn default() -> Self {
        LintThresholds {
            longest_is_best: 0.4,
            most: 0.5,
            poor_path_below: 0,
            random_top_band: 0.05,
            random_players: 2_000,
            random_seed: 1,
            state_limit: 200_000,
        }
    }
}

/// What the lint found in one scenario.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Warnings, in the order of their place in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// Rules that could not run on this scenario, and why (said, never silently dropped).
    pub skipped: Vec<String>,
}

/// Lints one checked scenario read from `file` (its path goes into the reproducers).
pub fn lint_scenario(
    file: &SourceFile,
    playable: &Arc<Playable>,
    thresholds: &LintThresholds,
) -> Findings {
    let decisions = decisions_of(playable);
    let mut findings = Findings::default();
    let out = &mut findings.diagnostics;
    giveaways::check(playable, &decisions, thresholds, out);
    decisions::check(playable, &decisions, out);
    codes::check(playable, out);
    endings::check(file, playable, thresholds, &mut findings);
    random::check(file, playable, thresholds, &mut findings.diagnostics);
    findings
        .diagnostics
        .sort_by_key(|d| (d.primary.span.start, d.code));
    debug_assert!(
        findings
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
    findings
}

/// One client node as a decision: its replies and the one Attune calls the best.
#[derive(Debug, Clone)]
pub(crate) struct Decision<'p> {
    pub node: ClientIx,
    pub client: &'p ClientNode,
    /// Every reply the node has, in authored order.
    pub replies: Vec<(ChoiceIx, &'p Choice)>,
    /// The best reply as the debrief names it: highest total, then highest Carkhuff level,
    /// then first written ([`best_offered`]).
    pub best: ChoiceIx,
}

impl<'p> Decision<'p> {
    /// Whether the trainee has anything to decide here.
    pub fn offers_a_choice(&self) -> bool {
        self.replies.len() >= 2
    }

    pub fn best_reply(&self) -> &'p Choice {
        &self.client.choices[self.best.index()]
    }

    /// The other replies, in authored order.
    pub fn others(&self) -> impl Iterator<Item = (ChoiceIx, &'p Choice)> + '_ {
        self.replies
            .iter()
            .copied()
            .filter(|&(ix, _)| ix != self.best)
    }
}

fn decisions_of(playable: &Playable) -> Vec<Decision<'_>> {
    playable
        .clients()
        .filter_map(|node| {
            let replies: Vec<_> = playable.choices(node).map(|(ix, c, _)| (ix, c)).collect();
            let order: Vec<ChoiceIx> = replies.iter().map(|&(ix, _)| ix).collect();
            let best = best_offered(playable, node, &order)?;
            Some(Decision {
                node,
                client: playable.client(node),
                replies,
                best,
            })
        })
        .collect()
}

/// The choice id (authored, or `<node>.<position>`) trainees and `--choices` use.
pub(crate) fn choice_id(playable: &Playable, node: ClientIx, choice: ChoiceIx) -> &str {
    playable.choice_links(node, choice).id.as_str()
}

/// `n` as a whole percentage of `of`.
pub(crate) fn percent(n: usize, of: usize) -> usize {
    (n * 100 + of / 2).checked_div(of).unwrap_or(0)
}

/// Whether `n` of `of` is more than `share` of them.
pub(crate) fn more_than(n: usize, of: usize, share: f64) -> bool {
    of > 0 && n as f64 > share * of as f64
}

/// A reply's per-skill scores as authors write them, e.g. `validating 1, reflecting 2`.
pub(crate) fn scores_text(choice: &Choice) -> String {
    let parts: Vec<String> = attune_core::skills::Skill::ALL
        .iter()
        .map(|&s| format!("{} {}", s.key(), choice.scores.get(s).value))
        .collect();
    parts.join(", ")
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// How many places a scenario-wide finding names; the message gives the full count.
pub(crate) const EXAMPLES: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_strictly_more_than_the_threshold() {
        let t = LintThresholds::default();
        // 40% exactly is not a give-away; one decision more is.
        assert!(!more_than(4, 10, t.longest_is_best));
        assert!(more_than(5, 10, t.longest_is_best));
        // "Most" is more than half: 2 of 4 is not most, 3 of 5 is.
        assert!(!more_than(2, 4, t.most));
        assert!(more_than(3, 5, t.most));
        // 5% of 2,000 random players is 100: 100 is fine, 101 is not.
        assert!(!more_than(100, t.random_players, t.random_top_band));
        assert!(more_than(101, t.random_players, t.random_top_band));
        assert!(!more_than(0, 0, 0.0));
    }

    #[test]
    fn the_documented_thresholds_are_the_defaults() {
        let doc = include_str!("../../../../docs/lint.md");
        let t = LintThresholds::default();
        let whole = |share: f64| (share * 100.0).round() as u32;
        for expected in [
            format!(
                "| share of decisions | more than {}% |",
                whole(t.longest_is_best)
            ),
            format!("| a poor path | a total below {} |", t.poor_path_below),
            format!(
                "| random players in the top band | more than {}% of {} (seed {},",
                whole(t.random_top_band),
                group_thousands(t.random_players),
                t.random_seed
            ),
            format!("| states explored | {} |", group_thousands(t.state_limit)),
        ] {
            assert!(
                doc.contains(&expected),
                "docs/lint.md should say: {expected}"
            );
        }
        assert_eq!(t.most, 0.5, "docs/lint.md says \"more than half\"");
    }

    /// 200000 → 200,000, as the docs write numbers.
    fn group_thousands(n: usize) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn lists_read_as_english() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&[])), "");
        assert_eq!(and_list(&s(&["a"])), "a");
        assert_eq!(and_list(&s(&["a", "b"])), "a and b");
        assert_eq!(and_list(&s(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn percentages_round_to_the_nearest_whole() {
        assert_eq!(percent(5, 8), 63);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), 0);
    }
}
