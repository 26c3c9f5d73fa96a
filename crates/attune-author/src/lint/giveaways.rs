//! Give-aways: patterns across a scenario's decisions that let a trainee find the best reply
//! without listening to the client — it is the longest, the only tentative one, never a
//! question — and decisions where only one reply is defensible at all.

use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic};
use attune_core::model::{Choice, Miti};

use super::hedging::hedge_in;
use super::{Decision, EXAMPLES, LintThresholds, and_list, choice_id, more_than, percent};

pub(super) fn check(
    playable: &Playable,
    decisions: &[Decision],
    thresholds: &LintThresholds,
    out: &mut Vec<Diagnostic>,
) {
    let choices: Vec<&Decision> = decisions.iter().filter(|d| d.offers_a_choice()).collect();
    out.extend(longest_is_best(&choices, thresholds));
    out.extend(only_hedged_is_best(&choices, thresholds));
    out.extend(question_never_best(playable, decisions));
    out.extend(no_near_miss(&choices, thresholds));
}

/// A pattern seen at some of a scenario's decisions, reported once: at the first, naming the
/// others in the message. (Labels at each would quote most of the file.)
struct Pattern<'a> {
    /// The decisions where it holds.
    seen: Vec<&'a Decision<'a>>,
    of: usize,
}

impl Pattern<'_> {
    fn report(self, code: Code, message: &str, label: String, help: String) -> Diagnostic {
        let first = self.seen[0];
        let nodes: Vec<&str> = self.seen.iter().map(|d| d.client.id.as_str()).collect();
        Diagnostic::warning(
            code,
            format!("{message} at {}: {}", self.counted(), examples(&nodes)),
            first.best_reply().reply.span,
        )
        .label(label)
        .help(help)
    }

    fn counted(&self) -> String {
        format!(
            "{} of {} decisions ({}%)",
            self.seen.len(),
            self.of,
            percent(self.seen.len(), self.of)
        )
    }
}

/// `` `a`, `b`, `c` `` and, past [`EXAMPLES`], how many more.
fn examples(names: &[&str]) -> String {
    let mut text: Vec<String> = names
        .iter()
        .take(EXAMPLES)
        .map(|n| format!("`{n}`"))
        .collect();
    if names.len() > EXAMPLES {
        text.push(format!("{} more", names.len() - EXAMPLES));
    }
    and_list(&text)
}

fn length(text: &str) -> usize {
    text.chars().count()
}

fn longest_is_best(decisions: &[&Decision], t: &LintThresholds) -> Option<Diagnostic> {
    let seen: Vec<_> = decisions
        .iter()
        .copied()
        .filter(|d| {
            let best = length(&d.best_reply().reply);
            // Strictly the longest: a tie for length gives nothing away.
            d.others().all(|(_, other)| length(&other.reply) < best)
        })
        .collect();
    let pattern = Pattern {
        of: decisions.len(),
        seen,
    };
    more_than(pattern.seen.len(), pattern.of, t.longest_is_best).then(|| {
        let help = format!(
            "trainees soon learn to pick the longest reply without listening to the client, and \
             the scenario then rewards reading, not counselling. At some of these decisions, make \
             a weaker reply the longest (a wordy explanation, a long piece of advice) or say the \
             best one more briefly. The lint warns when this happens at more than {}% of \
             decisions",
            percent_of(t.longest_is_best)
        );
        pattern.report(
            Code::LongestIsBest,
            "the best reply is also the longest",
            "the longest reply here, and the best".to_owned(),
            help,
        )
    })
}

fn only_hedged_is_best(decisions: &[&Decision], t: &LintThresholds) -> Option<Diagnostic> {
    let seen: Vec<_> = decisions
        .iter()
        .copied()
        .filter(|d| {
            hedge_in(&d.best_reply().reply).is_some()
                && d.others()
                    .all(|(_, other)| hedge_in(&other.reply).is_none())
        })
        .collect();
    let pattern = Pattern {
        of: decisions.len(),
        seen,
    };
    more_than(pattern.seen.len(), pattern.of, t.most).then(|| {
        let help = "tentative wording (\"I wonder\", \"it sounds like\", \"is that close?\") is \
                    part of good reflecting, but when only the best reply uses it, trainees can \
                    find the best reply by its wording alone. Give some weaker replies tentative \
                    wording too (a tentative assumption is still an assumption), or word a good \
                    reply plainly. docs/lint.md lists the words the lint looks for"
            .to_owned();
        let hedge = hedge_in(&pattern.seen[0].best_reply().reply).unwrap_or_default();
        pattern.report(
            Code::OnlyHedgedIsBest,
            "the best reply is the only tentative one",
            format!("the only tentative reply here (\"{hedge}\"), and the best"),
            help,
        )
    })
}

fn question_never_best(playable: &Playable, decisions: &[Decision]) -> Option<Diagnostic> {
    let is_question = |c: &Choice| c.codes.miti.contains(Miti::Question);
    if decisions
        .iter()
        .any(|d| d.offers_a_choice() && is_question(d.best_reply()))
    {
        return None;
    }
    let questions: Vec<_> = decisions
        .iter()
        .filter(|d| d.offers_a_choice())
        .flat_map(|d| d.replies.iter().map(move |&(ix, c)| (d, ix, c)))
        .filter(|&(_, _, c)| is_question(c))
        .collect();
    let first = questions.first()?;
    let ids: Vec<&str> = questions
        .iter()
        .map(|&(d, ix, _)| choice_id(playable, d.node, ix))
        .collect();
    let diagnostic = Diagnostic::warning(
        Code::QuestionNeverBest,
        format!(
            "no reply coded `Question` is the best at any decision ({} question{}: {})",
            questions.len(),
            if questions.len() == 1 { "" } else { "s" },
            examples(&ids)
        ),
        first.2.reply.span,
    )
    .label("coded Question, and not the best")
    .help(
        "trainees learn that asking is always wrong, yet an open question at the right moment \
         is good counselling (MITI counts questions alongside reflections). Make a well-timed \
         open question the best reply at one decision at least",
    );
    Some(diagnostic)
}

fn no_near_miss(decisions: &[&Decision], t: &LintThresholds) -> Option<Diagnostic> {
    let seen: Vec<_> = decisions
        .iter()
        .copied()
        .filter(|d| d.others().all(|(_, other)| other.total() < 0))
        .collect();
    let pattern = Pattern {
        of: decisions.len(),
        seen,
    };
    more_than(pattern.seen.len(), pattern.of, t.most).then(|| {
        let help = "when only one reply is any good, a decision tests spotting the odd one out. \
                    Real sessions offer several defensible replies: give most decisions a \
                    runner-up that is reasonable but weaker (a total of 0 or more), so trainees \
                    learn to weigh good against better"
            .to_owned();
        pattern.report(
            Code::NoNearMiss,
            "every reply but the best scores below zero",
            "the only reply here that scores 0 or more".to_owned(),
            help,
        )
    })
}

/// A share as a whole percentage, for help text.
fn percent_of(share: f64) -> u32 {
    (share * 100.0).round() as u32
}
