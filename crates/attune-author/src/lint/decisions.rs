//! Single decisions: a tie for the best reply, a node with one reply, a cue no reply notices,
//! and a best reply that another beats on one skill.

use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic};
use attune_core::model::Choice;
use attune_core::playable::ChoiceIx;
use attune_core::skills::Skill;

use super::{Decision, and_list, choice_id};

pub(super) fn check(playable: &Playable, decisions: &[Decision], out: &mut Vec<Diagnostic>) {
    for decision in decisions {
        if decision.offers_a_choice() {
            out.extend(tied_best(playable, decision));
            out.extend(best_not_best_on_skill(playable, decision));
        } else {
            out.push(single_reply(decision));
        }
        out.extend(cue_not_noticed(decision));
    }
}

fn tied_best(playable: &Playable, d: &Decision) -> Option<Diagnostic> {
    let best = d.best_reply();
    let tied: Vec<_> = d
        .others()
        .filter(|(_, other)| other.total() == best.total())
        .collect();
    if tied.is_empty() {
        return None;
    }
    let names: Vec<String> = std::iter::once(d.best)
        .chain(tied.iter().map(|&(ix, _)| ix))
        .map(|ix| format!("`{}`", choice_id(playable, d.node, ix)))
        .collect();
    let mut diagnostic = Diagnostic::warning(
        Code::TiedBest,
        format!(
            "{} tie for the best reply at `{}` (a total of {})",
            and_list(&names),
            d.client.id.value,
            best.total()
        ),
        best.reply.span,
    )
    .label("the debrief names this one the better alternative")
    .help(
        "when replies tie, the debrief still names one of them as the better alternative (the \
         one with the higher Carkhuff level, or else the first written), which looks arbitrary \
         to a trainee who chose the other. Decide which is better and let the scores show it: \
         one point on one skill is enough",
    );
    for (_, other) in tied {
        diagnostic = diagnostic.also(other.reply.span, "ties with it");
    }
    Some(diagnostic)
}

fn single_reply(d: &Decision) -> Diagnostic {
    Diagnostic::warning(
        Code::SingleReply,
        format!("`{}` offers only one reply", d.client.id.value),
        d.client.id.span,
    )
    .label("nothing to decide here")
    .help(
        "with one reply the trainee has nothing to decide, and learns nothing from the \
         feedback. Add a contrasting reply (the mistake trainees most often make at this \
         point is a good one), or fold the client's line into the node before or after",
    )
}

fn cue_not_noticed(d: &Decision) -> Option<Diagnostic> {
    let cue = d.client.cue.as_ref()?;
    if d.replies.iter().any(|(_, c)| c.codes.notices_cue) {
        return None;
    }
    Some(
        Diagnostic::warning(
            Code::CueNotNoticed,
            format!("no reply at `{}` notices its cue", d.client.id.value),
            cue.text().span,
        )
        .label(format!("a {} cue no reply notices", cue.kind()))
        .help(
            "noticing nonverbal cues is one of the skills Attune practises, and the debrief \
             counts the cues a trainee noticed. Write a reply that names what the client did \
             (\"I noticed you went quiet there\") and give it `codes: (notices_cue: true)`, \
             mark a reply that already does, or remove the cue if it is only scenery",
        ),
    )
}

fn best_not_best_on_skill(playable: &Playable, d: &Decision) -> Option<Diagnostic> {
    let best = d.best_reply();
    // For each skill, the reply that beats the best one by most (the first written on a tie).
    let beaten: Vec<_> = Skill::ALL
        .iter()
        .filter_map(|&skill| {
            let mine = best.scores.get(skill).value;
            d.others()
                .filter(|(_, other)| other.scores.get(skill).value > mine)
                .max_by_key(|&(ix, other)| (other.scores.get(skill).value, std::cmp::Reverse(ix)))
                .map(|(ix, other)| (skill, ix, other, mine))
        })
        .collect();
    if beaten.is_empty() {
        return None;
    }
    let parts: Vec<String> = beaten
        .iter()
        .map(|&(skill, ix, other, mine)| {
            format!(
                "on {} by `{}` ({} against {})",
                skill.key(),
                choice_id(playable, d.node, ix),
                other.scores.get(skill).value,
                mine
            )
        })
        .collect();
    let mut diagnostic = Diagnostic::warning(
        Code::BestNotBestOnSkill,
        format!(
            "the best reply at `{}` is beaten {}",
            d.client.id.value,
            and_list(&parts)
        ),
        best.reply.span,
    )
    .label("the best reply overall")
    .help(format!(
        "each skill is scored against the best reply on offer for that skill, so a trainee \
         who always takes the strongest reply overall still loses points on {} here and \
         cannot see why. Give the best reply at least the other's score, or, if it really is \
         weaker there, say what it misses in its feedback",
        and_list(
            &beaten
                .iter()
                .map(|b| b.0.key().to_owned())
                .collect::<Vec<_>>()
        )
    ));
    // One label per reply that beats it, naming every skill it wins on.
    let mut labelled: Vec<(ChoiceIx, &Choice, Vec<String>)> = Vec::new();
    for &(skill, ix, other, _) in &beaten {
        let text = format!("{} on {}", other.scores.get(skill).value, skill.key());
        match labelled.iter_mut().find(|(seen, ..)| *seen == ix) {
            Some((.., texts)) => texts.push(text),
            None => labelled.push((ix, other, vec![text])),
        }
    }
    for (_, other, texts) in labelled {
        diagnostic = diagnostic.also(other.reply.span, format!("scores {}", and_list(&texts)));
    }
    Some(diagnostic)
}
