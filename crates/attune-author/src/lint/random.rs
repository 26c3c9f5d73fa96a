//! A random player does well: if picking replies blindly often earns the top band, the band
//! says little about skill.

use std::sync::Arc;

use attune_core::Playable;
use attune_core::diagnostics::{Code, Diagnostic, SourceFile};
use attune_core::engine::DEFAULT_STEP_LIMIT;
use attune_core::scoring::Band;
use attune_core::skills::Skill;

use super::{LintThresholds, more_than, percent};
use crate::walks::random_walks;

pub(super) fn check(
    file: &SourceFile,
    playable: &Arc<Playable>,
    t: &LintThresholds,
    out: &mut Vec<Diagnostic>,
) {
    let walks = random_walks(
        playable,
        t.random_players,
        t.random_seed,
        DEFAULT_STEP_LIMIT,
    );
    let proficient = playable.scenario().bands.unwrap_or_default().proficient;
    for skill in Skill::ALL {
        let top: Vec<_> = walks
            .iter()
            .filter(|w| w.card.skills[skill.index()].band == Some(Band::Proficient))
            .collect();
        if !more_than(top.len(), walks.len(), t.random_top_band) {
            continue;
        }
        let example = top[0];
        let ids: Vec<&str> = example.choices.iter().map(|c| c.as_str()).collect();
        out.push(
            Diagnostic::warning(
                Code::RandomPlayerDoesWell,
                format!(
                    "{}% of random players reach the top band (proficient) on {}",
                    percent(top.len(), walks.len()),
                    skill.key()
                ),
                playable.scenario().id.span,
            )
            .label("in this scenario")
            .help(format!(
                "a trainee who picks replies without reading them should rarely be told they are \
                 proficient. Of {} players picking at random, {} were on {} (the lint warns above \
                 {}%); one of them: `attune play {} --seed {} --choices {}`. Make the weaker \
                 replies score lower on {}, add decisions that assess it, or raise the `bands` \
                 threshold for proficient (now {}%)",
                walks.len(),
                top.len(),
                skill.key(),
                (t.random_top_band * 100.0).round(),
                file.path.display(),
                example.seed,
                ids.join(","),
                skill.key(),
                proficient
            )),
        );
    }
}
