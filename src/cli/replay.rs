//! `attune replay RESULT`: re-runs a saved run and prints its debrief again.

use std::path::{Path, PathBuf};

use attune_core::debrief::{self, Debrief};
use attune_core::engine::Status;
use attune_core::results::{self, RunResult};
use attune_core::scoring::{Scorecard, SkillScore};

use super::exit;
use super::scenario_file::SCENARIO_EXTENSION;
use super::scenario_file::load_checked;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `*.result.json` file saved by `attune play` or the app.
    result: PathBuf,
    /// The scenario file (default: the path saved in the result, else `scenarios/` is searched
    /// for the scenario's id).
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let result = match results::load(&args.result) {
        Ok(r) => r,
        Err(err) => {
            eprintln!("error: {}: {err}", args.result.display());
            return exit::PROBLEMS;
        }
    };
    let Some(path) = args.scenario.clone().or_else(|| find_scenario(&result)) else {
        eprintln!(
            "error: cannot find the scenario `{}` this result was played on\nhelp: name it with --scenario FILE",
            result.scenario.id
        );
        return exit::USAGE;
    };
    let scenario = match load_checked(&path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let session = match results::replay(scenario, &result) {
        Ok(s) => s,
        Err(err) => {
            eprintln!("error: {}: {err}", args.result.display());
            return exit::PROBLEMS;
        }
    };
    // The replay must reach what the result records; anything else means the file was altered.
    let ending = match session.status() {
        Status::Ended(e) => Some(session.playable().ending(e).id.value.clone()),
        _ => None,
    };
    let card = Scorecard::of(&session);
    if ending != result.ending.as_ref().map(|e| e.id.clone())
        || !same_scores(&card.skills, &result.scores)
    {
        eprintln!(
            "error: {}: replaying the recorded choices does not reproduce the recorded ending and scores; the result file may have been edited",
            args.result.display()
        );
        return exit::PROBLEMS;
    }
    print!("{}", debrief::render_text(&Debrief::new(&session, &card)));
    exit::OK
}

/// Whether replayed scores match the recorded ones. Results saved before skill scores counted
/// their decisions (the field reads 0) are compared on everything else.
fn same_scores(replayed: &[SkillScore], recorded: &[SkillScore]) -> bool {
    replayed.len() == recorded.len()
        && replayed.iter().zip(recorded).all(|(a, b)| {
            if b.decisions == 0 && a.decisions > 0 {
                let (mut a, mut b) = (a.clone(), b.clone());
                (a.decisions, a.band, b.band) = (0, None, None);
                a == b
            } else {
                a == b
            }
        })
}

fn find_scenario(result: &RunResult) -> Option<PathBuf> {
    if let Some(path) = result.scenario.path.as_deref().map(Path::new)
        && path.is_file()
    {
        return Some(path.to_owned());
    }
    let entries = std::fs::read_dir("scenarios").ok()?;
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(SCENARIO_EXTENSION))
        .find(|p| {
            attune_core::load_file(p, None)
                .ok()
                .and_then(|l| l.playable)
                .is_some_and(|p| p.scenario().id.value == result.scenario.id)
        })
}
