//! The scenario `attune new` writes: a short, complete, playable first session whose comments
//! walk an author through every part of the format, and the portrait format at the end. It is
//! meant to be played, then rewritten, so it is written to the standard of the shipped library
//! (the tests below hold it to the teaching-quality rules), not as a form to fill in.

/// The template text; `{id}` and `{file}` are filled in by [`scenario`]. Kept in its own file so
/// it reads (and is edited) as the scenario it is. Not named `*.scenario.ron`, so folder checks
/// never pick up the unfilled text.
const TEMPLATE: &str = include_str!("template.scenario.ron.in");

/// What the template is about, in a few words, for the message after writing it.
pub const STORY: &str = "a first session with Nadia, who cares for her mother";

/// The text of a new scenario with this id. `file` is how the author will name the file in
/// commands (the comments at the top tell them to run `attune check <file>`).
pub fn scenario(id: &str, file: &str) -> String {
    // A file name with a line break in it would end the comment it is quoted in.
    let file: String = file.chars().filter(|c| !c.is_control()).collect();
    TEMPLATE.replace("{id}", id).replace("{file}", &file)
}

/// Whether `id` can be a scenario id: lowercase letters, digits, `-` and `_`, not empty (the
/// rule `attune check` applies, so a new file never starts with a `bad-id` error).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A valid id close to what someone typed (`My Client` → `my-client`), for the error message;
/// `None` when nothing usable is left.
pub fn suggest_id(typed: &str) -> Option<String> {
    let mut id = String::new();
    for c in typed.trim().chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if (matches!(c, '_' | '-') || c.is_whitespace())
            && !id.is_empty()
            && !id.ends_with(['-', '_'])
        {
            id.push(if c == '_' { '_' } else { '-' });
        }
    }
    let id = id.trim_end_matches(['-', '_']).to_owned();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::sync::Arc;

    use attune_core::Playable;
    use attune_core::assets::{AssetCatalog, Portrait};
    use attune_core::engine::{Mode, Session, Status};
    use attune_core::model::{Miti, Outcome};
    use attune_core::playable::{ChoiceIx, ClientIx};
    use attune_core::scoring::{Band, Scorecard, best_offered};
    use attune_core::skills::Skill;

    use super::*;

    fn shipped_assets() -> AssetCatalog {
        AssetCatalog::from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets").as_ref())
            .unwrap()
    }

    fn template() -> Arc<Playable> {
        let text = scenario("my-client", "scenarios/my-client.scenario.ron");
        let loaded = attune_core::load_str("my-client.scenario.ron", text, Some(&shipped_assets()));
        assert!(
            loaded.diagnostics.is_empty(),
            "the template must check with no errors or warnings: {:#?}",
            loaded.diagnostics
        );
        loaded.playable.unwrap()
    }

    #[test]
    fn the_id_and_file_are_filled_in() {
        let text = scenario(
            "carer-first-session",
            "scenarios/carer-first-session.scenario.ron",
        );
        assert!(text.contains("id: \"carer-first-session\","));
        assert!(text.contains("`attune check scenarios/carer-first-session.scenario.ron`"));
        assert!(!text.contains("{id}") && !text.contains("{file}"));
        let odd = scenario("x", "a\nb.scenario.ron");
        assert!(odd.contains("attune check ab.scenario.ron"));
    }

    #[test]
    fn ids_are_checked_and_suggested() {
        assert!(is_valid_id("my-client_2"));
        for bad in ["", "My-client", "my client", "café", "a/b", "../x"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        assert_eq!(suggest_id("My Client").as_deref(), Some("my-client"));
        assert_eq!(
            suggest_id("  Grief: week 1 ").as_deref(),
            Some("grief-week-1")
        );
        assert_eq!(suggest_id("../x").as_deref(), Some("x"));
        assert_eq!(suggest_id("!!!"), None);
    }

    #[test]
    fn the_portrait_example_in_the_comments_parses() {
        let text = scenario("x", "x");
        let line = text
            .lines()
            .find_map(|l| l.trim_start_matches('/').trim().strip_prefix("Portrait("))
            .expect("a Portrait(...) example in the comments");
        Portrait::parse(&format!("Portrait({line}")).unwrap();
    }

    /// Every prompt a trainee can meet (node and replies on offer), with the chance that a
    /// uniformly random player meets it, and every ending a path can reach.
    struct Explored {
        prompts: BTreeSet<(ClientIx, Vec<ChoiceIx>)>,
        /// Per path: its probability for a random player, the totals of the replies chosen,
        /// the outcome and the bands.
        paths: Vec<(f64, Vec<i32>, Outcome, Vec<Option<Band>>)>,
    }

    fn explore(playable: &Arc<Playable>) -> Explored {
        let mut explored = Explored {
            prompts: BTreeSet::new(),
            paths: Vec::new(),
        };
        let start = Session::start(playable.clone(), Mode::Assessment, 0);
        walk(&start, 1.0, &mut Vec::new(), &mut explored);
        explored
    }

    fn walk(session: &Session, chance: f64, totals: &mut Vec<i32>, out: &mut Explored) {
        match session.status() {
            Status::AwaitingChoice => {
                let prompt = session.prompt().unwrap();
                let mut order = prompt.order.clone();
                order.sort();
                out.prompts.insert((prompt.node, order));
                let offered: Vec<_> = session.offered_ids().cloned().collect();
                for id in &offered {
                    let mut next = session.clone();
                    let applied = next.choose_id(id.as_str(), 0).unwrap();
                    totals.push(applied.chosen(session.playable()).total());
                    walk(&next, chance / offered.len() as f64, totals, out);
                    totals.pop();
                }
            }
            Status::Ended(e) => {
                let card = Scorecard::of(session);
                out.paths.push((
                    chance,
                    totals.clone(),
                    session.playable().ending(e).outcome,
                    card.skills.iter().map(|s| s.band).collect(),
                ));
            }
            Status::Stopped(reason) => panic!("a path stops: {reason:?}"),
        }
    }

    /// Words that make a reply sound tentative. A decision where only the best reply hedges
    /// teaches trainees to pick the hedge, not to listen.
    const HEDGES: [&str; 9] = [
        "i wonder",
        "sounds",
        "seems",
        "maybe",
        "perhaps",
        "might",
        "is that close",
        "i get the sense",
        "i guess",
    ];

    #[test]
    fn every_decision_is_fair_to_a_trainee_who_listens() {
        let playable = template();
        let explored = explore(&playable);
        let mut best_is_longest = 0;
        let mut question_is_best = false;
        for (node, order) in &explored.prompts {
            let id = &playable.client(*node).id.value;
            let best = best_offered(&playable, *node, order).unwrap();
            let best_choice = playable.choice(*node, best);
            let others: Vec<_> = order
                .iter()
                .filter(|&&c| c != best)
                .map(|&c| playable.choice(*node, c))
                .collect();
            for other in &others {
                assert!(
                    other.total() < best_choice.total(),
                    "{id}: a tie for the best reply"
                );
                for skill in Skill::ALL {
                    assert!(
                        other.scores.get(skill).value <= best_choice.scores.get(skill).value,
                        "{id}: `{}` beats the best reply on {skill:?}",
                        other.reply.value
                    );
                }
            }
            let runner_up = others.iter().map(|c| c.total()).max().unwrap();
            assert!(runner_up > 0, "{id}: no defensible second-best reply");
            let length = |c: &attune_core::model::Choice| c.reply.chars().count();
            if others.iter().all(|o| length(o) < length(best_choice)) {
                best_is_longest += 1;
            }
            let hedges = |c: &attune_core::model::Choice| {
                let reply = c.reply.to_lowercase();
                HEDGES.iter().any(|h| reply.contains(h))
            };
            if hedges(best_choice) {
                assert!(
                    others.iter().any(|o| hedges(o)),
                    "{id}: only the best reply hedges"
                );
            }
            question_is_best |= best_choice.codes.miti.contains(Miti::Question);
        }
        assert!(
            best_is_longest * 5 <= explored.prompts.len() * 2,
            "the best reply is the longest at {best_is_longest} of {} decisions",
            explored.prompts.len()
        );
        assert!(question_is_best, "no question is ever the best reply");
    }

    #[test]
    fn codes_agree_with_scores_and_every_cue_can_be_noticed() {
        let playable = template();
        for node in playable.clients() {
            let client = playable.client(node);
            let noticed = client.choices.iter().any(|c| c.codes.notices_cue);
            assert_eq!(client.cue.is_some(), noticed, "{}", client.id.value);
            for choice in &client.choices {
                let reflecting = choice.scores.get(Skill::Reflecting).value;
                for code in choice.codes.miti.iter() {
                    match code {
                        Miti::Persuade | Miti::Confront => {
                            assert!(choice.scores.values().iter().all(|&v| v <= 0))
                        }
                        Miti::Question => assert!(reflecting < 2),
                        m if m.is_reflection() => assert!(reflecting >= 0),
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn every_reply_and_ending_is_reached_and_endings_follow_the_replies() {
        let playable = template();
        let explored = explore(&playable);
        let offered: BTreeSet<_> = explored
            .prompts
            .iter()
            .flat_map(|(node, order)| order.iter().map(|c| (*node, *c)))
            .collect();
        let all: usize = playable.clients().map(|n| playable.choices(n).len()).sum();
        assert_eq!(offered.len(), all, "a reply is never offered");
        let reached: BTreeSet<_> = explored.paths.iter().map(|p| p.2 as u8).collect();
        assert_eq!(
            reached.len(),
            playable.endings().len(),
            "an ending is never reached"
        );

        // The path of the best reply on offer at every decision engages her.
        let mut session = Session::start(playable.clone(), Mode::Assessment, 0);
        while let Some(prompt) = session.prompt().cloned() {
            let best = best_offered(&playable, prompt.node, &prompt.order).unwrap();
            let position = prompt.order.iter().position(|&c| c == best).unwrap();
            session.choose(position + 1, 0).unwrap();
        }
        let Status::Ended(ending) = session.status() else {
            panic!("the best path does not end");
        };
        assert_eq!(playable.ending(ending).outcome, Outcome::Engaged);

        // No path where most replies did harm ends engaged.
        for (_, totals, outcome, _) in &explored.paths {
            let harmful = totals.iter().filter(|&&t| t < 0).count();
            if harmful * 2 > totals.len() {
                assert_ne!(*outcome, Outcome::Engaged, "{totals:?}");
            }
        }
    }

    #[test]
    fn random_players_rarely_reach_the_top_band() {
        let playable = template();
        let explored = explore(&playable);
        let mut proficient: HashMap<usize, f64> = HashMap::new();
        for (chance, _, _, bands) in &explored.paths {
            for (skill, band) in bands.iter().enumerate() {
                if *band == Some(Band::Proficient) {
                    *proficient.entry(skill).or_default() += chance;
                }
            }
        }
        for (skill, share) in proficient {
            assert!(
                share <= 0.05,
                "{:.1}% of random players are proficient at {:?}",
                share * 100.0,
                Skill::ALL[skill]
            );
        }
    }
}
