//! Endings that contradict the choices: the best-scoring path ends worse than a poor one, or an
//! engaged ending is reached after mostly poor replies. Both look at the paths a session can
//! really take, conditions honoured ([`super::paths`]), and print each path they find as an
//! `attune play` command that plays it.

use std::sync::Arc;

use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic, SourceFile};
use attune_core::model::{Ending, Outcome};

use super::paths::{Extremes, Path, StateGraph};
use super::{Findings, LintThresholds, choice_id};

pub(super) fn check(
    file: &SourceFile,
    playable: &Arc<Playable>,
    thresholds: &LintThresholds,
    findings: &mut Findings,
) {
    let graph = match StateGraph::explore(playable, thresholds.state_limit) {
        Ok(graph) => graph,
        Err(too_many) => {
            findings.skipped.push(format!(
                "{}: `ending-contradicts-choices` and `engaged-after-poor-replies` skipped: a \
                 session can be in more than {} different states (node, variables and flags)",
                file.path.display(),
                too_many.0
            ));
            return;
        }
    };
    let out = &mut findings.diagnostics;
    out.extend(ending_contradicts_choices(
        file, playable, &graph, thresholds,
    ));
    out.extend(engaged_after_poor_replies(
        file, playable, &graph, thresholds,
    ));
}

/// How good an outcome is for the client: engaged, referred, unresolved, disengaged.
fn rank(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Engaged => 3,
        Outcome::Referred => 2,
        Outcome::Unresolved => 1,
        Outcome::Disengaged => 0,
    }
}

/// `attune play FILE --choices a,b,c`: plays the path (choice ids do not depend on the seed).
fn play_command(file: &SourceFile, playable: &Playable, path: &Path) -> String {
    let ids: Vec<&str> = path
        .steps
        .iter()
        .map(|s| choice_id(playable, s.node, s.choice))
        .collect();
    format!(
        "attune play {} --choices {}",
        file.path.display(),
        ids.join(",")
    )
}

fn ending_contradicts_choices(
    file: &SourceFile,
    playable: &Playable,
    graph: &StateGraph,
    t: &LintThresholds,
) -> Vec<Diagnostic> {
    let totals = graph.extremes(playable, |c| i64::from(c.total()));
    let reached: Vec<(&Ending, &Extremes)> = playable
        .endings()
        .zip(&totals)
        .filter_map(|((_, ending), extremes)| Some((ending, extremes.as_ref()?)))
        .collect();
    // The best-scoring path; when several endings share the top score, the kindest outcome
    // stands for it, so that a tie is never reported as a contradiction.
    let Some(&(top_ending, top)) = reached
        .iter()
        .max_by_key(|(ending, e)| (e.highest.weight, rank(ending.outcome)))
    else {
        return Vec::new();
    };
    reached
        .iter()
        .filter(|(ending, e)| {
            rank(ending.outcome) > rank(top_ending.outcome)
                && e.lowest.weight < i64::from(t.poor_path_below)
        })
        .map(|&(ending, poor)| {
            Diagnostic::warning(
                Code::EndingContradictsChoices,
                format!(
                    "the best-scoring path ({:+}) ends at `{}` ({}), worse than `{}` ({}), which a path scoring {} reaches",
                    top.highest.weight,
                    top_ending.id.value,
                    top_ending.outcome.label(),
                    ending.id.value,
                    ending.outcome.label(),
                    poor.lowest.weight,
                ),
                top_ending.id.span,
            )
            .label("the best-scoring path ends here")
            .also(
                ending.id.span,
                format!("a path scoring {} ends here", poor.lowest.weight),
            )
            .help(format!(
                "trainees who reply well should not end worse off than trainees who reply \
                 poorly, or the ending teaches the opposite of the scores. Play the best path \
                 with `{}` and the poor one with `{}`, then look at what routes them: a branch \
                 rule that is too easy to meet, a flag the best path never sets, or a reply \
                 that leads to the wrong place",
                play_command(file, playable, &top.highest),
                play_command(file, playable, &poor.lowest),
            ))
        })
        .collect()
}

fn engaged_after_poor_replies(
    file: &SourceFile,
    playable: &Playable,
    graph: &StateGraph,
    t: &LintThresholds,
) -> Vec<Diagnostic> {
    // A path where most replies score below zero is one where each poor reply outweighs its
    // share of the rest: weighting a poor reply (1 - most) and any other -most, the path
    // with the highest weight has the largest surplus of poor replies. In thousandths, so the
    // sums stay whole numbers.
    let most = (t.most * 1000.0).round() as i64;
    let weights = graph.extremes(
        playable,
        |c| {
            if c.total() < 0 { 1000 - most } else { -most }
        },
    );
    playable
        .endings()
        .zip(weights)
        .filter(|((_, ending), _)| ending.outcome == Outcome::Engaged)
        .filter_map(|((_, ending), extremes)| {
            let path = extremes?.highest;
            if path.weight <= 0 {
                return None;
            }
            let poor = path
                .steps
                .iter()
                .filter(|s| playable.choice(s.node, s.choice).total() < 0)
                .count();
            Some(
                Diagnostic::warning(
                    Code::EngagedAfterPoorReplies,
                    format!(
                        "`{}` (engaged) is reached by a path where {} of {} replies score below zero",
                        ending.id.value,
                        poor,
                        path.steps.len()
                    ),
                    ending.id.span,
                )
                .label("reached after mostly poor replies")
                .help(format!(
                    "an engaged ending tells trainees the session went well; reached after \
                     mostly poor replies, it rewards what the scores criticise. Play the path \
                     with `{}`, then make the way here depend on how the session went (e.g. a \
                     branch with `when: \"trust >= 6\"`, or `next` of the poor replies leading \
                     elsewhere)",
                    play_command(file, playable, &path)
                )),
            )
        })
        .collect()
}
