//! One node of a scenario in full, for an author reading it in a terminal: every wording, the
//! cue, the hint, and each reply with its condition, scores, codes, state changes, where it
//! leads, feedback and the client's thought. Branches show their rules; endings their texts.

use std::fmt;

use attune_core::debrief::wrap_hanging;
use attune_core::graph::{Vertex, Via};
use attune_core::model::{Choice, Node};
use attune_core::playable::{ChoiceIx, Target};
use attune_core::scoring::best_offered;
use attune_core::skills::Skill;
use attune_core::span::Span;
use attune_core::suggest::nearest;
use attune_core::{Playable, SourceFile};

use crate::export::vertex_id;

/// Terminal width the text is wrapped to.
pub const WIDTH: usize = 78;

/// No node or ending has the id asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownNode {
    pub id: String,
    /// The closest id, if it looks like a typo of it.
    pub nearest: Option<String>,
    /// Every node and ending id, in document order.
    pub known: Vec<String>,
}

impl fmt::Display for UnknownNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "there is no node or ending with the id `{}`", self.id)
    }
}

impl UnknownNode {
    /// What to do about it, for the help line.
    pub fn help(&self) -> String {
        match &self.nearest {
            Some(nearest) => format!("did you mean `{nearest}`?"),
            None => {
                let ids: Vec<String> = self.known.iter().map(|id| format!("`{id}`")).collect();
                format!("the ids in this scenario are {}", ids.join(", "))
            }
        }
    }
}

/// The vertex of the node or ending with this id.
pub fn find_vertex(playable: &Playable, id: &str) -> Result<Vertex, UnknownNode> {
    let graph = playable.graph();
    let ids = || (0..graph.vertex_count() as Vertex).map(|v| vertex_id(playable, v));
    match ids().position(|known| known == id) {
        Some(v) => Ok(v as Vertex),
        None => Err(UnknownNode {
            id: id.to_owned(),
            nearest: nearest(id, ids()).map(str::to_owned),
            known: ids().map(str::to_owned).collect(),
        }),
    }
}

/// The node or ending with this id, described in full (wrapped to [`WIDTH`]). With the
/// scenario's `source`, it says where in the file the node and each reply are.
pub fn describe(
    playable: &Playable,
    id: &str,
    source: Option<&SourceFile>,
) -> Result<String, UnknownNode> {
    let vertex = find_vertex(playable, id)?;
    let at = |span: Span| {
        source.map(|file| {
            let (line, column) = file.line_col(span.start as usize);
            format!("{}:{line}:{column}", file.path().display())
        })
    };
    let line_of = |span: Span| {
        source.map_or(String::new(), |file| {
            format!(", line {}", file.line_col(span.start as usize).0)
        })
    };
    let mut out = String::new();
    match playable.target_at(vertex) {
        Some(Target::Client(c)) => {
            let node = playable.client(c);
            let start = if playable.vertex(playable.start()) == vertex {
                ", where the session starts"
            } else {
                ""
            };
            heading(
                &mut out,
                &format!(
                    "Client node `{}`{start}: {} replies",
                    node.id.as_str(),
                    node.choices.len()
                ),
            );
            out.push('\n');
            if let Some(at) = at(node.id.span) {
                field(&mut out, "at", &at, "");
            }
            field(&mut out, "emotion", node.emotion.label(), "");
            if let Some(cue) = &node.cue {
                field(
                    &mut out,
                    &format!("cue ({})", cue.kind()),
                    cue.text().as_str(),
                    "",
                );
            }
            if let Some(hint) = &node.hint {
                field(&mut out, "hint", hint, "");
            }
            reached_from(&mut out, playable, vertex);
            out.push('\n');
            if node.says.len() == 1 {
                line(&mut out, "The client says:");
            } else {
                line(
                    &mut out,
                    &format!(
                        "The client says one of these {} wordings, picked at random:",
                        node.says.len()
                    ),
                );
            }
            for (i, says) in node.says.iter().enumerate() {
                let number = if node.says.len() == 1 {
                    "  ".to_owned()
                } else {
                    format!("  {}. ", i + 1)
                };
                let rest = " ".repeat(number.chars().count());
                line(&mut out, &wrap_hanging(says, WIDTH, &number, &rest));
            }

            let all: Vec<ChoiceIx> = playable.choices(c).map(|(ix, _, _)| ix).collect();
            let best = best_offered(playable, c, &all);
            out.push('\n');
            heading(
                &mut out,
                "Replies, in the order written (★ marks the best, as the debrief picks it):",
            );
            for (position, (ix, choice, links)) in playable.choices(c).enumerate() {
                out.push('\n');
                let star = if best == Some(ix) { " ★" } else { "" };
                let span = choice.id.as_ref().map_or(choice.reply.span, |id| id.span);
                heading(
                    &mut out,
                    &format!(
                        "{}. {}{star} → {}{}",
                        position + 1,
                        links.id,
                        target_name(playable, links.next),
                        line_of(span)
                    ),
                );
                reply(&mut out, choice);
            }
        }
        Some(Target::Branch(b)) => {
            let Node::Branch(node) = &playable.scenario().nodes[vertex as usize] else {
                unreachable!("a branch vertex is a branch node");
            };
            let links = playable.branch(b);
            heading(
                &mut out,
                &format!(
                    "Branch `{}`: no one speaks; the first rule that holds decides where the session goes.",
                    node.id.as_str()
                ),
            );
            out.push('\n');
            if let Some(at) = at(node.id.span) {
                field(&mut out, "at", &at, "");
            }
            reached_from(&mut out, playable, vertex);
            out.push('\n');
            line(&mut out, "Rules, checked in order:");
            for (i, (rule, resolved)) in node.rules.iter().zip(&links.rules).enumerate() {
                let head = format!("  {}. if ", i + 1);
                line(
                    &mut out,
                    &wrap_hanging(
                        &format!(
                            "{} → {}",
                            rule.when.as_str(),
                            target_name(playable, resolved.next)
                        ),
                        WIDTH,
                        &head,
                        "       ",
                    ),
                );
            }
            line(
                &mut out,
                &wrap_hanging(
                    &format!("otherwise → {}", target_name(playable, links.otherwise)),
                    WIDTH,
                    "  ",
                    "       ",
                ),
            );
        }
        Some(Target::Ending(e)) => {
            let ending = playable.ending(e);
            heading(
                &mut out,
                &format!(
                    "Ending `{}`: {} (outcome: {})",
                    ending.id.as_str(),
                    ending.title.as_str(),
                    ending.outcome.label()
                ),
            );
            out.push('\n');
            if let Some(at) = at(ending.id.span) {
                field(&mut out, "at", &at, "");
            }
            reached_from(&mut out, playable, vertex);
            out.push('\n');
            field(&mut out, "text", &ending.text, "");
            field(&mut out, "debrief", &ending.debrief, "");
        }
        None => unreachable!("find_vertex returns a node or an ending"),
    }
    Ok(out)
}

/// One reply's details, indented under its heading.
fn reply(out: &mut String, choice: &Choice) {
    const INDENT: &str = "   ";
    line(
        out,
        &wrap_hanging(
            &format!("“{}”", choice.reply.as_str()),
            WIDTH,
            INDENT,
            INDENT,
        ),
    );
    let scores: Vec<String> = Skill::ALL
        .iter()
        .map(|&skill| format!("{} {}", skill.key(), signed(choice.scores.get(skill).value)))
        .collect();
    field(
        out,
        "scores",
        &format!("{}; total {}", scores.join(", "), signed(choice.total())),
        INDENT,
    );
    let mut codes = Vec::new();
    if let Some(level) = &choice.codes.carkhuff {
        codes.push(format!("Carkhuff {:.1}", level.value));
    }
    if !choice.codes.miti.is_empty() {
        let names: Vec<String> = choice.codes.miti.iter().map(|m| format!("{m:?}")).collect();
        codes.push(format!("MITI {}", names.join(" + ")));
    }
    if choice.codes.notices_cue {
        codes.push("notices the cue".to_owned());
    }
    if !codes.is_empty() {
        field(out, "codes", &codes.join(", "), INDENT);
    }
    match &choice.when {
        Some(when) => field(
            out,
            "offered",
            &format!("only when {}", when.as_str()),
            INDENT,
        ),
        None => field(out, "offered", "always", INDENT),
    }
    let mut changes = Vec::new();
    if !choice.change.is_empty() {
        let adds: Vec<String> = choice
            .change
            .iter()
            .map(|(name, delta)| format!("{} {}", name.as_str(), signed(delta.value)))
            .collect();
        changes.push(adds.join(", "));
    }
    let names = |flags: &[attune_core::span::Spanned<String>]| {
        flags
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !choice.set.is_empty() {
        changes.push(format!("sets {}", names(&choice.set)));
    }
    if !choice.clear.is_empty() {
        changes.push(format!("clears {}", names(&choice.clear)));
    }
    if !changes.is_empty() {
        field(out, "changes", &changes.join("; "), INDENT);
    }
    if choice.feedback.trim().is_empty() {
        field(out, "feedback", "(none written)", INDENT);
    } else {
        field(out, "feedback", &choice.feedback, INDENT);
    }
    if let Some(thought) = &choice.thought {
        field(out, "thought", thought, INDENT);
    }
}

/// "Reached from: …": the start, and every node that leads here, with the replies or rules.
fn reached_from(out: &mut String, playable: &Playable, vertex: Vertex) {
    let reversed = playable.graph().reversed();
    let mut sources: Vec<(Vertex, Vec<String>)> = Vec::new();
    for edge in reversed.edges(vertex) {
        let how = match (playable.target_at(edge.to), edge.via) {
            (Some(Target::Client(c)), Via::Choice(i)) => playable
                .choices(c)
                .nth(i as usize)
                .map_or_else(|| format!("reply {}", i + 1), |(_, _, l)| l.id.to_string()),
            (_, Via::Rule(i)) => format!("rule {}", i + 1),
            (_, _) => "otherwise".to_owned(),
        };
        match sources.iter_mut().find(|(from, _)| *from == edge.to) {
            Some((_, hows)) => hows.push(how),
            None => sources.push((edge.to, vec![how])),
        }
    }
    let mut parts = Vec::new();
    if playable.vertex(playable.start()) == vertex {
        parts.push("the start".to_owned());
    }
    for (from, hows) in &sources {
        parts.push(format!(
            "`{}` ({})",
            vertex_id(playable, *from),
            hows.join(", ")
        ));
    }
    let text = if parts.is_empty() {
        "nothing (no reply or rule leads here)".to_owned()
    } else {
        parts.join("; ")
    };
    field(out, "reached from", &text, "");
}

/// `label: text`, wrapped with the text's later lines under its first.
fn field(out: &mut String, label: &str, text: &str, indent: &str) {
    let head = format!("{indent}{label}: ");
    let rest = " ".repeat(indent.chars().count() + 2);
    line(out, &wrap_hanging(text, WIDTH, &head, &rest));
}

/// A heading line, wrapped with later lines indented.
fn heading(out: &mut String, text: &str) {
    line(out, &wrap_hanging(text, WIDTH, "", "    "));
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

fn target_name(playable: &Playable, target: Target) -> String {
    let id = vertex_id(playable, playable.vertex(target));
    match target {
        Target::Client(_) => format!("{id} (client node)"),
        Target::Branch(_) => format!("{id} (branch)"),
        Target::Ending(e) => format!("{id} (ending: {})", playable.ending(e).outcome.label()),
    }
}

fn signed(n: i32) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::{TOM, tom};

    #[test]
    fn a_client_node_shows_every_wording_and_reply() {
        let tom = tom();
        let text = describe(&tom, "opening", None).unwrap();
        let node = tom.client(tom.find_client("opening").unwrap());
        for says in &node.says {
            let first_words: String = says
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                text.contains(&first_words),
                "{first_words} missing:\n{text}"
            );
        }
        for (_, choice, links) in tom.choices(tom.find_client("opening").unwrap()) {
            assert!(text.contains(links.id.as_str()), "{}:\n{text}", links.id);
            assert!(text.contains(&format!("total {}", signed(choice.total()))));
        }
        assert_eq!(
            text.matches('★').count(),
            2,
            "one in the heading, one reply:\n{text}"
        );
        assert!(text.contains("where the session starts"));
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
    }

    #[test]
    fn a_branch_shows_its_rules_in_order_and_otherwise() {
        let text = describe(&tom(), "how-it-ends", None).unwrap();
        let first = text.find("1. if trust <= 2").expect(&text);
        let otherwise = text.find("otherwise → end-unresolved").expect(&text);
        assert!(first < otherwise);
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
    }

    #[test]
    fn an_ending_shows_its_outcome_and_who_leads_there() {
        let text = describe(&tom(), "end-referred", None).unwrap();
        assert!(text.contains("(outcome: referred)"), "{text}");
        assert!(text.contains("`how-it-ends` (rule 4)"), "{text}");
    }

    #[test]
    fn with_its_source_it_says_where_each_part_is() {
        let loaded = attune_core::load_file(TOM.as_ref(), None).unwrap();
        let text = describe(
            loaded.playable.as_ref().unwrap(),
            "bristles",
            Some(&loaded.file),
        )
        .unwrap();
        let line_of = |needle: &str| {
            let before = &loaded.file.text[..loaded.file.text.find(needle).unwrap()];
            before.matches('\n').count() + 1
        };
        let node_line = line_of("id: \"bristles\"");
        assert!(
            text.contains(&format!("grief-eleven-weeks.scenario.ron:{node_line}:")),
            "{text}"
        );
        let reply_line = line_of("id: \"bristles.own-it\"");
        assert!(text.contains(&format!(", line {reply_line}")), "{text}");
    }

    #[test]
    fn a_misspelt_id_gets_the_nearest() {
        let err = describe(&tom(), "opneing", None).unwrap_err();
        assert_eq!(err.nearest.as_deref(), Some("opening"));
        assert_eq!(err.help(), "did you mean `opening`?");
        let err = describe(&tom(), "zzzzzzzzzzzzzzzz", None).unwrap_err();
        assert_eq!(err.nearest, None);
        assert!(err.help().contains("`end-engaged`"), "{}", err.help());
    }
}
