//! `attune replay RESULT`: re-runs a saved run, checks that it reproduces the record, and prints
//! its debrief again; with `--against FILE`, re-runs it in an edited version of its scenario and
//! shows what the edit changed.
//!
//! A result file is untrusted input (it may come from anyone, and is easily edited): the
//! scenario path it records is only a hint. It is used only if it names an ordinary
//! `*.scenario.ron` file, within the size limit, whose id and content hash match the result; that
//! file is read quietly (nothing of it is printed), and otherwise the scenarios folder is searched.
//! Problems in a scenario file are printed only for a file the user named with `--scenario`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_author::compare;
use attune_core::Playable;
use attune_core::debrief::{self, Debrief};
use attune_core::files::{self, SCENARIO_EXTENSION};
use attune_core::limits::SCENARIO_FILE_BYTES;
use attune_core::results::{self, RunResult};
use attune_core::text::{for_terminal, one_line};

use super::exit;
use super::scenario_file::load_checked;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `*.result.json` file saved by `attune play` or the app.
    result: PathBuf,
    /// The scenario file, or a folder to search for it (default: the path saved in the result if
    /// it holds the very scenario played, else `scenarios/` is searched for its id and content).
    /// With --against: the scenario as the run was played, so that wording and links are
    /// compared too.
    #[arg(long, value_name = "FILE|DIR")]
    scenario: Option<PathBuf>,
    /// Re-run the saved path in an edited version of the scenario and show what changed at each
    /// decision (scores, codes, wording, where a reply leads, the replies on offer), where the
    /// path breaks, and the ending and scores before and after.
    #[arg(long, value_name = "FILE")]
    against: Option<PathBuf>,
}

/// The folder searched when `--scenario` is not given.
const SCENARIOS_DIR: &str = "scenarios";

pub fn run(args: Args) -> u8 {
    let shown = one_line(&args.result.display().to_string()).into_owned();
    let result = match results::load(&args.result) {
        Ok(r) => r,
        Err(err) => {
            eprintln!("error: {shown}: {}", for_terminal(&err.to_string()));
            return exit::PROBLEMS;
        }
    };
    if let Some(edited) = &args.against {
        return run_against(&args, &result, edited);
    }
    let scenario = match &args.scenario {
        // A file the user named: its problems are theirs to see.
        Some(file) if !file.is_dir() => match load_checked(file) {
            Ok(scenario) => scenario,
            Err(code) => return code,
        },
        Some(dir) => match find_scenario(&result, None, dir) {
            Some((_, scenario)) => scenario,
            None => return not_found(&result, dir),
        },
        None => {
            let recorded = result.scenario.path.as_deref().map(Path::new);
            match find_scenario(&result, recorded, Path::new(SCENARIOS_DIR)) {
                Some((_, scenario)) => scenario,
                None => return not_found(&result, Path::new(SCENARIOS_DIR)),
            }
        }
    };
    match results::replay_exact(scenario, &result) {
        Ok((session, card)) => {
            print!(
                "{}",
                for_terminal(&debrief::render_text(&Debrief::new(&session, &card)))
            );
            exit::OK
        }
        Err(err) => {
            eprintln!("error: {shown}: {}", for_terminal(&err.to_string()));
            exit::PROBLEMS
        }
    }
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
            eprintln!(
                "error: {}: {}",
                one_line(&args.result.display().to_string()),
                for_terminal(&err.to_string())
            );
            return exit::PROBLEMS;
        }
    };
    println!(
        "Replaying {} ({} mode, seed {}, {}) against {}",
        one_line(&args.result.display().to_string()),
        result.mode.label().to_lowercase(),
        result.seed,
        debrief::count(result.decisions.len() as u32, "decision"),
        one_line(&edited_path.display().to_string())
    );
    if let Some((path, _)) = &played {
        println!(
            "compared with {}, the scenario as it was played",
            one_line(&path.display().to_string())
        );
    }
    println!();
    print!("{}", for_terminal(&compare::render_text(&comparison)));
    exit::OK
}

/// The scenario as the run was played, if a file with the content hash the result records is
/// at hand: the one named with --scenario, else (read quietly, as for a replay) the path saved
/// in the result or a file in `scenarios/` with the same id and content.
fn played_version(args: &Args, result: &RunResult) -> Option<(PathBuf, Arc<Playable>)> {
    let exact = |p: &Arc<Playable>| p.content_hash() == result.scenario.content_hash;
    if let Some(path) = args.scenario.as_ref().filter(|p| !p.is_dir()) {
        let found = attune_core::load_file(path, None)
            .ok()
            .and_then(|l| l.playable)
            .filter(exact);
        if found.is_none() {
            eprintln!(
                "note: {} is not the version of the scenario this run was played on (its content differs), so wording and links are not compared",
                one_line(&path.display().to_string())
            );
        }
        return found.map(|p| (path.clone(), p));
    }
    let dir = args
        .scenario
        .clone()
        .unwrap_or_else(|| PathBuf::from(SCENARIOS_DIR));
    let recorded = result.scenario.path.as_deref().map(Path::new);
    find_scenario(result, recorded, &dir).filter(|(_, p)| exact(p))
}

fn not_found(result: &RunResult, searched: &Path) -> u8 {
    eprintln!(
        "error: cannot find the scenario `{}` this result was played on in {}\nhelp: name its file with --scenario FILE",
        one_line(result.scenario.id.as_str()),
        one_line(&searched.display().to_string()),
    );
    exit::USAGE
}

/// The scenario the result was played on: the recorded file if it is that scenario, else a
/// scenario in `dir` with the same id and content hash, else one with the same id (so that the
/// replay can say the scenario changed). Files are read quietly, and only ordinary
/// `*.scenario.ron` files within the size limit are read at all.
fn find_scenario(
    result: &RunResult,
    recorded: Option<&Path>,
    dir: &Path,
) -> Option<(PathBuf, Arc<Playable>)> {
    let wanted_id = result.scenario.id.as_str();
    let quietly = |path: &Path| -> Option<(PathBuf, Arc<Playable>)> {
        let is_scenario = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(SCENARIO_EXTENSION));
        if !is_scenario || files::check_regular(path, SCENARIO_FILE_BYTES).is_err() {
            return None;
        }
        attune_core::load_file(path, None)
            .ok()?
            .playable
            .filter(|p| p.scenario().id.as_str() == wanted_id)
            .map(|p| (path.to_owned(), p))
    };
    let exact =
        |(_, p): &(PathBuf, Arc<Playable>)| p.content_hash() == result.scenario.content_hash;
    let mut same_id = recorded.and_then(quietly);
    if let Some(playable) = same_id.take_if(|p| exact(p)) {
        return Some(playable);
    }
    let Ok(found) = files::files_under(dir, SCENARIO_EXTENSION) else {
        return same_id;
    };
    for path in &found.files {
        if let Some(playable) = quietly(path) {
            if exact(&playable) {
                return Some(playable);
            }
            same_id.get_or_insert(playable);
        }
    }
    same_id
}
