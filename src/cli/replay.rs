//! `attune replay RESULT`: re-runs a saved run and prints its debrief again; with `--against
//! FILE`, re-runs it in an edited version of its scenario and shows what the edit changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_author::compare;
use attune_core::Playable;

use attune_core::debrief::{self, Debrief};
use attune_core::engine::Status;
use attune_core::results::{self, RunResult};
use attune_core::scoring::{Scorecard, SkillScore};

use super::check::SCENARIO_EXTENSION;
use super::exit;
use super::scenario_file::load_checked;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `*.result.json` file saved by `attune play` or the app.
    result: PathBuf,
    /// The scenario file (default: the path saved in the result, else `scenarios/` is searched
    /// for the scenario's id). With --against: the scenario as the run was played, so that
    /// wording and links are compared too.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Re-run the saved path in an edited version of the scenario and show what changed at each
    /// decision (scores, codes, wording, where a reply leads, the replies on offer), where the
    /// path breaks, and the ending and scores before and after.
    #[arg(long, value_name = "FILE")]
    against: Option<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let result = match results::load(&args.result) {
        Ok(r) => r,
        Err(err) => {
            eprintln!("error: {}: {err}", args.result.display());
            return exit::PROBLEMS;
        }
    };
    if let Some(edited) = &args.against {
        return run_against(&args, &result, edited);
    }
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

fn run_against(args: &Args, result: &RunResult, edited_path: &Path) -> u8 {
    let edited = match load_checked(edited_path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let played = played_version(args, result);
    let comparison = match compare::compare(result, edited, played.as_ref().map(|(_, p)| &**p)) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("error: {}: {err}", args.result.display());
            return exit::PROBLEMS;
        }
    };
    println!(
        "Replaying {} ({} mode, seed {}, {}) against {}",
        args.result.display(),
        result.mode.label().to_lowercase(),
        result.seed,
        debrief::count(result.decisions.len() as u32, "decision"),
        edited_path.display()
    );
    if let Some((path, _)) = &played {
        println!(
            "compared with {}, the scenario as it was played",
            path.display()
        );
    }
    println!();
    print!("{}", compare::render_text(&comparison));
    exit::OK
}

/// The scenario as the run was played, if a file with the content hash the result records is
/// at hand: the one named with --scenario, else the path saved in the result, else a file in
/// `scenarios/` with the scenario's id.
fn played_version(args: &Args, result: &RunResult) -> Option<(PathBuf, Arc<Playable>)> {
    let matches = |path: &Path| {
        attune_core::load_file(path, None)
            .ok()
            .and_then(|l| l.playable)
            .filter(|p| p.content_hash() == result.scenario.content_hash)
    };
    if let Some(path) = &args.scenario {
        let found = matches(path);
        if found.is_none() {
            eprintln!(
                "note: {} is not the version of the scenario this run was played on (its content differs), so wording and links are not compared",
                path.display()
            );
        }
        return found.map(|p| (path.clone(), p));
    }
    let saved = result.scenario.path.as_deref().map(PathBuf::from);
    let library = std::fs::read_dir("scenarios")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(SCENARIO_EXTENSION));
    saved
        .into_iter()
        .chain(library)
        .filter(|p| p.is_file())
        .find_map(|p| matches(&p).map(|found| (p, found)))
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
