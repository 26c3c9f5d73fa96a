//! Across a library: the same reply, word for word, scored differently in two scenarios.
//! Trainees who meet both see the same words marked good in one and poor in the other.
//! Within one scenario the same words at two decisions may rightly score differently (the
//! moment differs), so only replies in different files are compared.

use std::collections::HashMap;

use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic, SourceFile};
use attune_core::model::Choice;

use super::scores_text;

/// Findings for each scenario, in the order given.
pub fn lint_library(scenarios: &[(&SourceFile, &Playable)]) -> Vec<Vec<Diagnostic>> {
    // Normalised reply text → (scenario, reply), in file order.
    let mut replies: HashMap<String, Vec<(usize, &Choice)>> = HashMap::new();
    for (i, (_, playable)) in scenarios.iter().enumerate() {
        for node in playable.clients() {
            for (_, choice, _) in playable.choices(node) {
                replies
                    .entry(normalise(&choice.reply))
                    .or_default()
                    .push((i, choice));
            }
        }
    }
    let mut findings = vec![Vec::new(); scenarios.len()];
    for occurrences in replies.values() {
        for &(here, choice) in occurrences {
            // The first reply elsewhere with other scores stands for them all.
            let Some(&(there, other)) = occurrences
                .iter()
                .find(|&&(i, other)| i != here && other.scores.values() != choice.scores.values())
            else {
                continue;
            };
            let other_file = scenarios[there].0;
            let (line, column) = other_file.line_col(other.reply.span.start as usize);
            findings[here].push(
                Diagnostic::warning(
                    Code::SameReplyScoredDifferently,
                    format!(
                        "the same reply is scored differently in {}",
                        other_file.path.display()
                    ),
                    choice.reply.span,
                )
                .label(format!("scored {} here", scores_text(choice)))
                .help(format!(
                    "at {}:{line}:{column} the same words score {}. Trainees who play both \
                     scenarios see the same reply marked differently. If the moment makes the \
                     difference, say why in the feedback of both; if not, give them the same \
                     scores",
                    other_file.path.display(),
                    scores_text(other)
                )),
            );
        }
    }
    for file in &mut findings {
        file.sort_by_key(|d| d.primary.span.start);
    }
    findings
}

/// Case, spacing and the kind of quotes do not make a reply different.
fn normalise(reply: &str) -> String {
    let straightened: String = reply
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => '"',
            c => c,
        })
        .collect();
    straightened
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn case_spacing_and_curly_quotes_do_not_make_a_reply_different() {
        assert_eq!(
            normalise("  It’s  “hard”,\nisn't it? "),
            normalise("it's \"hard\", ISN'T it?")
        );
        assert_ne!(normalise("It's hard."), normalise("It's hard!"));
    }
}
