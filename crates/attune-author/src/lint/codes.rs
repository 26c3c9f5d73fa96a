//! Codes that contradict scores: the MITI code says one thing about a reply, its scores
//! another, and the debrief shows the trainee both.

use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic};
use attune_core::model::{Choice, Miti};

pub(super) fn check(playable: &Playable, out: &mut Vec<Diagnostic>) {
    for node in playable.clients() {
        for (_, choice, _) in playable.choices(node) {
            out.extend(contradiction(choice));
        }
    }
}

fn contradiction(choice: &Choice) -> Option<Diagnostic> {
    // A reply coded as several things (a reflection, then a question) is judged on each code;
    // top marks for reflecting are right when one of its codes is a reflection.
    let has_reflection = choice.codes.miti.iter().any(Miti::is_reflection);
    choice
        .codes
        .miti
        .iter()
        .find_map(|miti| contradiction_of(choice, miti, has_reflection))
}

fn contradiction_of(choice: &Choice, miti: Miti, has_reflection: bool) -> Option<Diagnostic> {
    let reflecting = &choice.scores.reflecting;
    match miti {
        Miti::Persuade | Miti::Confront if choice.total() > 0 => Some(
            Diagnostic::warning(
                Code::CodeContradictsScore,
                format!(
                    "a reply coded `{miti:?}` scores {:+} in total",
                    choice.total()
                ),
                choice.reply.span,
            )
            .label(format!("coded {miti:?}, scored as a good reply"))
            .help(format!(
                "MITI counts {} as not consistent with motivational interviewing, and the \
                 debrief counts this reply against the trainee, while its scores reward it. One \
                 of the two is wrong: if the reply asks permission before advising, code it \
                 `PersuadeWithPermission`; otherwise score it 0 or below in total",
                if miti == Miti::Persuade {
                    "persuading without permission"
                } else {
                    "confronting"
                }
            )),
        ),
        Miti::Question if reflecting.value >= 2 && !has_reflection => Some(
            Diagnostic::warning(
                Code::CodeContradictsScore,
                format!(
                    "a reply coded `Question` scores {:+} on reflecting",
                    reflecting.value
                ),
                reflecting.span,
            )
            .label("top marks for reflecting, for a question")
            .help(
                "a question asks rather than says back what the client feels, so top marks for \
                 reflecting teach trainees that questions are reflections. If the reply does say \
                 back a feeling, code it `SimpleReflection` or `ComplexReflection`; otherwise \
                 score reflecting 1 at most",
            ),
        ),
        Miti::SimpleReflection | Miti::ComplexReflection if reflecting.value < 0 => Some(
            Diagnostic::warning(
                Code::CodeContradictsScore,
                format!(
                    "a reply coded `{miti:?}` scores {} on reflecting",
                    reflecting.value
                ),
                reflecting.span,
            )
            .label("a reflection, scored as poor reflecting")
            .help(
                "a reflection that scores below zero on reflecting tells trainees that \
                 reflecting is the mistake. If it reflects badly (overshooting, or reflecting \
                 what the client did not say), score reflecting 0 and say what went wrong in the \
                 feedback, and mark it down on the skill it misses (often avoiding_assumptions); \
                 if it is not a reflection, change its code",
            ),
        ),
        _ => None,
    }
}
