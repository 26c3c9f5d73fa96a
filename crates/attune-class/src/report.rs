//! The class report: every run read from results files (or an LRS), and what a lecturer wants
//! to see of them. [`Inputs`] gathers runs, scenarios and the files that could not be used;
//! [`ClassReport::build`] aggregates them once; the CSV, HTML and the app's instructor view all
//! read the same [`ClassReport`].
//!
//! ```no_run
//! # use attune_class::report::{ClassReport, Inputs};
//! let inputs = Inputs::read(&["results/week-3".into()], &mut |_done, _total| {});
//! let report = ClassReport::build(&inputs);
//! for skill in &report.skills {
//!     println!("{}: mean {:?}%", skill.skill.label(), skill.mean_percent);
//! }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_core::Playable;
use attune_core::ids::{ChoiceId, NodeId, ScenarioId, TraineeId};
use attune_core::results::{RESULT_EXTENSION, ResultError, RunResult, RunStatus};
use attune_core::scoring::Band;
use attune_core::skills::Skill;

use crate::exercise::{EXERCISE_EXTENSION, Exercise, is_exercise_file, load_exercise};

/// Everything a report is built from: the runs, the scenarios they were played on (for reply
/// texts and feedback) and the files that were skipped or flagged, with why.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    pub runs: Vec<SourcedRun>,
    pub exercises: Vec<Exercise>,
    /// Scenarios by id (the version found on disk).
    pub scenarios: BTreeMap<ScenarioId, Arc<Playable>>,
    pub problems: Vec<FileProblem>,
}

/// A run and where it was read from (a file, or `LRS <url>`).
#[derive(Debug, Clone)]
pub struct SourcedRun {
    pub source: String,
    pub result: RunResult,
}

/// A file that was skipped, or used with a caveat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub source: String,
    pub reason: String,
    /// `true`: the run is in the report anyway (flagged); `false`: the file was skipped.
    pub included: bool,
}

impl Inputs {
    /// Reads results files, folders of them, exercise and scenario files. Folders are read one
    /// level deep: `*.result.json` and other `*.json` files (listed if they are not results),
    /// `*.exercise.ron` and `*.scenario.ron`. Nothing here aborts: every file that cannot be
    /// used becomes a [`FileProblem`]. `progress(done, total)` is called as files are read.
    pub fn read(paths: &[PathBuf], progress: &mut dyn FnMut(usize, usize)) -> Inputs {
        let mut inputs = Inputs::default();
        let mut files = Vec::new();
        for path in paths {
            match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => match folder_files(path) {
                    Ok(found) => files.extend(found),
                    Err(err) => {
                        inputs.problem(path, format!("cannot read this folder: {err}"), false)
                    }
                },
                Ok(_) => files.push(path.clone()),
                Err(err) => inputs.problem(path, format!("cannot read it: {err}"), false),
            }
        }
        let total = files.len();
        for (done, file) in files.iter().enumerate() {
            inputs.read_file(file);
            progress(done + 1, total);
        }
        inputs.resolve_scenarios();
        inputs
    }

    /// Inputs from runs already in hand (e.g. from an LRS), with the scenarios and exercises
    /// found in `paths` for reply texts and feedback.
    /// The runs an LRS holds (`attune report --from-lrs`, the instructor view), with the
    /// scenarios and exercises in `paths` for reply texts and feedback.
    pub fn from_lrs(
        client: &crate::lrs::Client,
        paths: &[PathBuf],
    ) -> Result<Inputs, crate::lrs::LrsError> {
        let source = format!("LRS {}", client.endpoint());
        let runs = client
            .fetch_runs()?
            .into_iter()
            .map(|result| SourcedRun {
                source: source.clone(),
                result,
            })
            .collect();
        Ok(Inputs::from_runs(runs, paths))
    }

    pub fn from_runs(runs: Vec<SourcedRun>, paths: &[PathBuf]) -> Inputs {
        let mut inputs = Inputs::read(paths, &mut |_, _| {});
        inputs.runs.extend(runs);
        inputs.resolve_scenarios();
        inputs
    }

    fn problem(&mut self, source: &Path, reason: String, included: bool) {
        self.problems.push(FileProblem {
            source: source.display().to_string(),
            reason,
            included,
        });
    }

    fn read_file(&mut self, file: &Path) {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if is_exercise_file(file) {
            match load_exercise(file) {
                Ok(loaded) => match loaded.exercise {
                    Some(exercise) => {
                        for s in &exercise.scenarios {
                            self.scenarios
                                .entry(s.id().clone())
                                .or_insert_with(|| s.playable.clone());
                        }
                        self.exercises.push(exercise);
                    }
                    None => self.problem(
                        file,
                        format!(
                            "this exercise has {} error(s); run `attune check` on it",
                            loaded.errors()
                        ),
                        false,
                    ),
                },
                Err(err) => self.problem(file, format!("cannot read it: {err}"), false),
            }
            return;
        }
        if name.ends_with(attune_core::files::SCENARIO_EXTENSION) {
            self.add_scenario_file(file);
            return;
        }
        match attune_core::results::load(file) {
            Ok(result) => self.runs.push(SourcedRun {
                source: file.display().to_string(),
                result,
            }),
            Err(ResultError::Damaged {
                message,
                line,
                column,
                ..
            }) if !looks_like_result(file) => self.problem(
                file,
                format!("not an Attune result (from another tool?): {line}:{column}: {message}"),
                false,
            ),
            Err(err @ ResultError::Damaged { .. }) => {
                self.problem(file, format!("damaged: {err}"), false)
            }
            Err(ResultError::Io(err)) => {
                self.problem(file, format!("cannot read it: {err}"), false)
            }
            Err(err) => self.problem(file, err.to_string(), false),
        }
    }

    fn add_scenario_file(&mut self, file: &Path) -> bool {
        match attune_core::load_file(file, None) {
            Ok(loaded) => match loaded.playable {
                Some(p) => {
                    self.scenarios
                        .entry(p.scenario().id.value.clone())
                        .or_insert(p);
                    true
                }
                None => {
                    self.problem(
                        file,
                        format!(
                            "this scenario has {} error(s); its replies are shown by id",
                            loaded.errors()
                        ),
                        false,
                    );
                    false
                }
            },
            Err(err) => {
                self.problem(file, format!("cannot read it: {err}"), false);
                false
            }
        }
    }

    /// Scenarios not given: the file each result names, where it still is. Then results whose
    /// scenario has changed since they were played are flagged.
    fn resolve_scenarios(&mut self) {
        let mut tried = std::collections::HashSet::new();
        let wanted: Vec<(ScenarioId, String)> = self
            .runs
            .iter()
            .filter(|r| !self.scenarios.contains_key(&r.result.scenario.id))
            .filter_map(|r| {
                r.result
                    .scenario
                    .path
                    .clone()
                    .map(|p| (r.result.scenario.id.clone(), p))
            })
            .collect();
        for (id, path) in wanted {
            if self.scenarios.contains_key(&id) || !tried.insert(path.clone()) {
                continue;
            }
            let path = PathBuf::from(path);
            if path.is_file()
                && let Ok(loaded) = attune_core::load_file(&path, None)
                && let Some(p) = loaded.playable
                && p.scenario().id.value == id
            {
                self.scenarios.insert(id, p);
            }
        }
        let mut flagged = Vec::new();
        for run in &self.runs {
            if let Some(p) = self.scenarios.get(&run.result.scenario.id)
                && p.content_hash() != run.result.scenario.content_hash
            {
                flagged.push(FileProblem {
                    source: run.source.clone(),
                    reason: format!(
                        "played on another version of `{}` (its content hash differs): its scores are as recorded, but replies may since have changed",
                        run.result.scenario.id
                    ),
                    included: true,
                });
            }
        }
        for problem in flagged {
            if !self.problems.contains(&problem) {
                self.problems.push(problem);
            }
        }
    }
}

/// A `.result.json` file is a damaged result; any other JSON is probably another tool's.
fn looks_like_result(file: &Path) -> bool {
    file.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(RESULT_EXTENSION))
}

/// The files in a folder a report reads, sorted (hidden and partial files left out).
fn folder_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                !n.starts_with('.')
                    && (n.ends_with(".json")
                        || n.ends_with(EXERCISE_EXTENSION)
                        || n.ends_with(attune_core::files::SCENARIO_EXTENSION))
            })
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The class report: built once from [`Inputs`], read by every view.
#[derive(Debug, Clone)]
pub struct ClassReport {
    /// The exercise titles, or "Class report".
    pub title: String,
    /// Every run in the report, oldest first.
    pub runs: Vec<RunRow>,
    /// One per skill, in [`Skill::ALL`] order.
    pub skills: Vec<SkillDistribution>,
    /// One per trainee, by id.
    pub trainees: Vec<TraineeRow>,
    /// "Where the class went": every decision point reached, scenario by scenario, in the
    /// scenario's order.
    pub decisions: Vec<DecisionPoint>,
    /// The replies chosen most often that scored below zero overall, commonest first.
    pub pitfalls: Vec<Pitfall>,
    /// First and latest attempt, for each trainee and scenario played more than once.
    pub progress: Vec<Progress>,
    /// Files skipped or flagged, with why.
    pub problems: Vec<FileProblem>,
    /// Whether any run is a facilitated session's (projector mode), whose room votes count in
    /// `decisions` and `pitfalls` as that many trainees choosing.
    pub includes_group_votes: bool,
}

/// One run, with what the report worked out about it.
#[derive(Debug, Clone)]
pub struct RunRow {
    pub source: String,
    pub result: RunResult,
    /// 1 for a trainee's first run of this scenario, 2 for the next, ...
    pub attempt: u32,
    pub duration_s: Option<u64>,
    /// Played on a version of the scenario other than the one known here.
    pub other_version: bool,
}

impl RunRow {
    pub fn percent(&self, skill: Skill) -> Option<u32> {
        self.result
            .scores
            .iter()
            .find(|s| s.skill == skill)
            .and_then(|s| s.percent)
    }

    pub fn band(&self, skill: Skill) -> Option<Band> {
        self.result
            .scores
            .iter()
            .find(|s| s.skill == skill)
            .and_then(|s| s.band)
    }
}

/// How the class did on one skill, over the runs that assessed it.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillDistribution {
    pub skill: Skill,
    /// Runs where the skill was assessed.
    pub assessed: usize,
    pub mean_percent: Option<f32>,
    pub median_percent: Option<u32>,
    /// Runs per tenth: `[0–9, 10–19, ..., 90–100]`.
    pub histogram: [usize; 10],
    /// Runs per band (runs without a band, on too few decisions, are not counted).
    pub emerging: usize,
    pub developing: usize,
    pub proficient: usize,
}

/// One trainee's line in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct TraineeRow {
    pub trainee: TraineeId,
    pub runs: usize,
    pub completed: usize,
    /// Mean percent per skill ([`Skill::ALL`] order) over the trainee's latest run of each
    /// scenario.
    pub latest_percent: Vec<Option<u32>>,
    pub hints_used: u32,
    /// RFC 3339 end of the trainee's latest run.
    pub last_played: String,
}

/// One decision point: how many reached it and what they chose.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionPoint {
    pub scenario: ScenarioId,
    pub scenario_title: String,
    pub node: NodeId,
    /// The client's line (first wording), when the scenario is known.
    pub client_says: Option<String>,
    /// Trainees (and room votes) who answered here.
    pub reached: u32,
    /// Of `reached`: rooms whose facilitator only picked the room's reply, without counts.
    /// Each counts as one choice of the reply the room took (the run's decision record).
    pub picks_without_counts: u32,
    /// Every reply of the node (when the scenario is known) and every reply chosen, in the
    /// scenario's order.
    pub replies: Vec<ReplyShare>,
}

impl DecisionPoint {
    /// What every view says when a room's pick without counts is among the answers here.
    pub fn picks_note(&self) -> Option<String> {
        match self.picks_without_counts {
            0 => None,
            1 => Some(
                "Includes a room whose facilitator picked the reply without counts: it counts as one choice of the reply the room took.".to_owned(),
            ),
            n => Some(format!(
                "Includes {n} rooms whose facilitator picked the reply without counts: each counts as one choice of the reply the room took."
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplyShare {
    pub choice: ChoiceId,
    pub reply: Option<String>,
    pub chosen: u32,
    /// `chosen / reached`, 0.0 to 1.0.
    pub share: f32,
    /// The reply's total authored score (all skills), when known.
    pub total_score: Option<i32>,
    /// The highest-scoring reply at this node.
    pub best: bool,
}

/// A reply that scored below zero, and how often the class chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pitfall {
    pub scenario: ScenarioId,
    pub node: NodeId,
    pub choice: ChoiceId,
    pub reply: Option<String>,
    pub feedback: Option<String>,
    pub total_score: i32,
    pub chosen: u32,
    /// Of those who reached the decision.
    pub share: f32,
}

/// A trainee's first and latest run of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub trainee: TraineeId,
    pub scenario: ScenarioId,
    pub attempts: u32,
    /// Per skill ([`Skill::ALL`] order).
    pub first_percent: Vec<Option<u32>>,
    pub latest_percent: Vec<Option<u32>>,
}

/// How many pitfalls the report lists.
pub const PITFALLS_SHOWN: usize = 10;

impl ClassReport {
    pub fn build(inputs: &Inputs) -> ClassReport {
        let mut runs: Vec<RunRow> = inputs
            .runs
            .iter()
            .map(|r| RunRow {
                source: r.source.clone(),
                attempt: 0,
                duration_s: duration_s(&r.result.started_at, &r.result.ended_at),
                other_version: inputs
                    .scenarios
                    .get(&r.result.scenario.id)
                    .is_some_and(|p| p.content_hash() != r.result.scenario.content_hash),
                result: r.result.clone(),
            })
            .collect();
        // The same run read twice (a copy in two folders, a file and the LRS) counts once.
        runs.sort_by(|a, b| {
            (&a.result.started_at, &a.result.run).cmp(&(&b.result.started_at, &b.result.run))
        });
        runs.dedup_by(|a, b| a.result.run == b.result.run && a.result.trainee == b.result.trainee);
        let mut attempts: HashMap<(TraineeId, ScenarioId), u32> = HashMap::new();
        for row in &mut runs {
            let n = attempts
                .entry((row.result.trainee.clone(), row.result.scenario.id.clone()))
                .or_default();
            *n += 1;
            row.attempt = *n;
        }
        let title = if inputs.exercises.is_empty() {
            "Class report".to_owned()
        } else {
            inputs
                .exercises
                .iter()
                .map(|e| e.title.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let decisions = where_the_class_went(inputs, &runs);
        let pitfalls = pitfalls(inputs, &decisions);
        ClassReport {
            title,
            skills: Skill::ALL.iter().map(|&s| distribution(s, &runs)).collect(),
            trainees: trainees(&runs),
            progress: progress(&runs),
            includes_group_votes: runs.iter().any(|r| r.result.group.is_some()),
            decisions,
            pitfalls,
            problems: inputs.problems.clone(),
            runs,
        }
    }

    /// Runs that reached an ending.
    pub fn completed(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| r.result.status == RunStatus::Completed)
            .count()
    }

    /// Runs per ending outcome, for the runs that reached one.
    pub fn outcomes(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for r in &self.runs {
            if let Some(e) = &r.result.ending {
                *out.entry(e.outcome.label().to_owned()).or_default() += 1;
            }
        }
        out
    }
}

fn duration_s(start: &str, end: &str) -> Option<u64> {
    let start = humantime::parse_rfc3339(start).ok()?;
    let end = humantime::parse_rfc3339(end).ok()?;
    end.duration_since(start).ok().map(|d| d.as_secs())
}

fn distribution(skill: Skill, runs: &[RunRow]) -> SkillDistribution {
    let mut percents: Vec<u32> = runs.iter().filter_map(|r| r.percent(skill)).collect();
    percents.sort_unstable();
    let mut histogram = [0usize; 10];
    for &p in &percents {
        histogram[(p.min(100) / 10).min(9) as usize] += 1;
    }
    let bands: Vec<Band> = runs.iter().filter_map(|r| r.band(skill)).collect();
    let count = |b: Band| bands.iter().filter(|&&x| x == b).count();
    SkillDistribution {
        skill,
        assessed: percents.len(),
        mean_percent: (!percents.is_empty())
            .then(|| percents.iter().sum::<u32>() as f32 / percents.len() as f32),
        median_percent: percents
            .get(percents.len() / 2)
            .copied()
            .filter(|_| !percents.is_empty()),
        histogram,
        emerging: count(Band::Emerging),
        developing: count(Band::Developing),
        proficient: count(Band::Proficient),
    }
}

fn mean(values: impl Iterator<Item = Option<u32>>) -> Option<u32> {
    let v: Vec<u32> = values.flatten().collect();
    (!v.is_empty()).then(|| (v.iter().sum::<u32>() as f32 / v.len() as f32).round() as u32)
}

fn trainees(runs: &[RunRow]) -> Vec<TraineeRow> {
    let mut by: BTreeMap<&TraineeId, Vec<&RunRow>> = BTreeMap::new();
    for r in runs {
        by.entry(&r.result.trainee).or_default().push(r);
    }
    by.into_iter()
        .map(|(trainee, rows)| {
            // Runs are oldest first: the last of each scenario is the latest.
            let mut latest: BTreeMap<&ScenarioId, &RunRow> = BTreeMap::new();
            for r in &rows {
                latest.insert(&r.result.scenario.id, r);
            }
            TraineeRow {
                trainee: trainee.clone(),
                runs: rows.len(),
                completed: rows
                    .iter()
                    .filter(|r| r.result.status == RunStatus::Completed)
                    .count(),
                latest_percent: Skill::ALL
                    .iter()
                    .map(|&s| mean(latest.values().map(|r| r.percent(s))))
                    .collect(),
                hints_used: rows.iter().map(|r| r.result.hints_used).sum(),
                last_played: rows
                    .iter()
                    .map(|r| r.result.ended_at.clone())
                    .max()
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn progress(runs: &[RunRow]) -> Vec<Progress> {
    let mut by: BTreeMap<(&TraineeId, &ScenarioId), Vec<&RunRow>> = BTreeMap::new();
    for r in runs {
        by.entry((&r.result.trainee, &r.result.scenario.id))
            .or_default()
            .push(r);
    }
    by.into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .map(|((trainee, scenario), rows)| {
            let percents = |r: &RunRow| Skill::ALL.iter().map(|&s| r.percent(s)).collect();
            Progress {
                trainee: trainee.clone(),
                scenario: scenario.clone(),
                attempts: rows.len() as u32,
                first_percent: percents(rows[0]),
                latest_percent: percents(rows[rows.len() - 1]),
            }
        })
        .collect()
}

/// What one run (or room) answered first at one decision point.
struct FirstAnswer {
    node: NodeId,
    counts: Vec<(ChoiceId, u32)>,
    /// A room's pick without counts, taken from the decision record as one choice.
    picked_without_counts: bool,
}

/// What each run (or room) answered first at each decision point, once per node per run.
/// A facilitated session's votes count as that many trainees choosing each reply; where the
/// facilitator only picked the room's reply (no counts), the reply the room took counts once.
fn first_answers(result: &RunResult) -> Vec<FirstAnswer> {
    let standing: Vec<_> = result.decisions.iter().filter(|d| !d.taken_back).collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    match &result.group {
        Some(group) => {
            for (i, votes) in group.decisions.iter().enumerate() {
                if !seen.insert(votes.node.clone()) {
                    continue;
                }
                if votes.votes.values().any(|&n| n > 0) {
                    out.push(FirstAnswer {
                        node: votes.node.clone(),
                        counts: votes.votes.iter().map(|(c, n)| (c.clone(), *n)).collect(),
                        picked_without_counts: false,
                    });
                    continue;
                }
                // The votes follow the standing decisions in order; look the node up if not.
                let taken = standing
                    .get(i)
                    .filter(|d| d.node == votes.node)
                    .or_else(|| standing.iter().find(|d| d.node == votes.node));
                if let Some(d) = taken {
                    out.push(FirstAnswer {
                        node: votes.node.clone(),
                        counts: vec![(d.chosen.clone(), 1)],
                        picked_without_counts: true,
                    });
                }
            }
        }
        None => {
            for d in standing {
                if seen.insert(d.node.clone()) {
                    let first = d.first_choice.clone().unwrap_or_else(|| d.chosen.clone());
                    out.push(FirstAnswer {
                        node: d.node.clone(),
                        counts: vec![(first, 1)],
                        picked_without_counts: false,
                    });
                }
            }
        }
    }
    out
}

fn where_the_class_went(inputs: &Inputs, runs: &[RunRow]) -> Vec<DecisionPoint> {
    // (scenario, node) -> choice -> count, in first-seen order for unknown scenarios.
    let mut counts: BTreeMap<(ScenarioId, NodeId), BTreeMap<ChoiceId, u32>> = BTreeMap::new();
    let mut picks: BTreeMap<(ScenarioId, NodeId), u32> = BTreeMap::new();
    let mut titles: BTreeMap<ScenarioId, String> = BTreeMap::new();
    let mut first_seen: Vec<(ScenarioId, NodeId)> = Vec::new();
    for row in runs {
        let r = &row.result;
        titles
            .entry(r.scenario.id.clone())
            .or_insert_with(|| r.scenario.title.clone());
        for answer in first_answers(r) {
            let key = (r.scenario.id.clone(), answer.node);
            if !counts.contains_key(&key) {
                first_seen.push(key.clone());
            }
            if answer.picked_without_counts {
                *picks.entry(key.clone()).or_default() += 1;
            }
            let entry = counts.entry(key).or_default();
            for (choice, n) in answer.counts {
                *entry.entry(choice).or_default() += n;
            }
        }
    }
    // Scenario order: by title; node order: the scenario's own, else first seen.
    let order = |key: &(ScenarioId, NodeId)| -> (String, usize, usize) {
        let title = titles.get(&key.0).cloned().unwrap_or_default();
        let pos = inputs
            .scenarios
            .get(&key.0)
            .and_then(|p| p.find_client(key.1.as_str()))
            .map_or(usize::MAX, |c| c.index());
        let seen = first_seen.iter().position(|k| k == key).unwrap_or(0);
        (title, pos, seen)
    };
    let mut keys: Vec<_> = counts.keys().cloned().collect();
    keys.sort_by_key(|k| order(k));
    keys.into_iter()
        .map(|key| {
            let chosen = &counts[&key];
            let reached: u32 = chosen.values().sum();
            let scenario = inputs.scenarios.get(&key.0);
            let node = scenario.and_then(|p| p.find_client(key.1.as_str()).map(|c| (p, c)));
            let mut replies: Vec<ReplyShare> = Vec::new();
            if let Some((p, c)) = node {
                for (_, choice, links) in p.choices(c) {
                    replies.push(ReplyShare {
                        choice: links.id.clone(),
                        reply: Some(choice.reply.value.clone()),
                        chosen: chosen.get(&links.id).copied().unwrap_or(0),
                        share: 0.0,
                        total_score: Some(choice.total()),
                        best: false,
                    });
                }
            }
            for (choice, &n) in chosen {
                if !replies.iter().any(|r| r.choice == *choice) {
                    replies.push(ReplyShare {
                        choice: choice.clone(),
                        reply: None,
                        chosen: n,
                        share: 0.0,
                        total_score: None,
                        best: false,
                    });
                }
            }
            let best = replies.iter().filter_map(|r| r.total_score).max();
            for r in &mut replies {
                r.share = if reached == 0 {
                    0.0
                } else {
                    r.chosen as f32 / reached as f32
                };
                r.best = best.is_some() && r.total_score == best;
            }
            DecisionPoint {
                picks_without_counts: picks.get(&key).copied().unwrap_or(0),
                scenario_title: titles.get(&key.0).cloned().unwrap_or_default(),
                client_says: node
                    .and_then(|(p, c)| p.client(c).says.first().map(|s| s.value.clone())),
                scenario: key.0,
                node: key.1,
                reached,
                replies,
            }
        })
        .collect()
}

fn pitfalls(inputs: &Inputs, decisions: &[DecisionPoint]) -> Vec<Pitfall> {
    let mut out: Vec<Pitfall> = decisions
        .iter()
        .flat_map(|d| {
            let feedback = |choice: &ChoiceId| {
                let p = inputs.scenarios.get(&d.scenario)?;
                let c = p.find_client(d.node.as_str())?;
                p.choices(c)
                    .find(|(_, _, links)| links.id == *choice)
                    .map(|(_, ch, _)| ch.feedback.value.clone())
                    .filter(|f| !f.trim().is_empty())
            };
            d.replies
                .iter()
                .filter(|r| r.chosen > 0 && r.total_score.is_some_and(|t| t < 0))
                .map(move |r| Pitfall {
                    scenario: d.scenario.clone(),
                    node: d.node.clone(),
                    choice: r.choice.clone(),
                    reply: r.reply.clone(),
                    feedback: feedback(&r.choice),
                    total_score: r.total_score.unwrap_or_default(),
                    chosen: r.chosen,
                    share: r.share,
                })
        })
        .collect();
    out.sort_by(|a, b| {
        b.chosen
            .cmp(&a.chosen)
            .then(a.total_score.cmp(&b.total_score))
            .then(a.choice.cmp(&b.choice))
    });
    out.truncate(PITFALLS_SHOWN);
    out
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use attune_core::engine::{Mode, Session, Status};
    use attune_core::results::{DecisionVotes, GroupVotes};
    use attune_core::scoring::Scorecard;

    use super::*;

    fn scenario() -> Arc<Playable> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/grief-eleven-weeks.scenario.ron");
        attune_core::load_file(&path, None)
            .unwrap()
            .playable
            .unwrap()
    }

    /// A run that always takes the `pick`-th reply on offer (wrapping).
    fn run(p: &Arc<Playable>, trainee: &str, pick: usize) -> RunResult {
        let mut session = Session::start(p.clone(), Mode::Assessment, 7);
        while session.status() == Status::AwaitingChoice {
            let n = session.offered().count();
            session.choose(pick % n + 1, 0).unwrap();
        }
        let card = Scorecard::of(&session);
        let now = SystemTime::now();
        RunResult::from_session(&session, &card, trainee.into(), None, now, now, false)
    }

    fn inputs(p: &Arc<Playable>, results: Vec<RunResult>) -> Inputs {
        Inputs {
            runs: results
                .into_iter()
                .map(|result| SourcedRun {
                    source: "test".into(),
                    result,
                })
                .collect(),
            scenarios: [(p.scenario().id.value.clone(), p.clone())].into(),
            ..Inputs::default()
        }
    }

    #[test]
    fn shares_count_each_trainee_and_each_vote() {
        let p = scenario();
        let a = run(&p, "a", 0);
        let b = run(&p, "b", 0);
        let c = run(&p, "c", 1);
        let mut room = run(&p, "room", 0);
        let first = &room.decisions[0];
        room.group = Some(GroupVotes {
            participants: Some(12),
            decisions: vec![DecisionVotes {
                node: first.node.clone(),
                votes: [(first.shown[0].clone(), 5), (first.shown[1].clone(), 7)].into(),
            }],
        });
        let report = ClassReport::build(&inputs(&p, vec![a.clone(), b, c.clone(), room.clone()]));
        assert!(report.includes_group_votes);
        assert_eq!(report.runs.len(), 4);
        let opening = report
            .decisions
            .iter()
            .find(|d| d.node == a.decisions[0].node)
            .unwrap();
        // Three trainees and a room of twelve.
        assert_eq!(opening.reached, 15);
        let chosen = |id: &ChoiceId| {
            opening
                .replies
                .iter()
                .find(|r| r.choice == *id)
                .unwrap()
                .chosen
        };
        let votes = &room.group.as_ref().unwrap().decisions[0].votes;
        let mut expected: BTreeMap<ChoiceId, u32> = votes.clone();
        *expected.entry(a.decisions[0].chosen.clone()).or_default() += 2;
        *expected.entry(c.decisions[0].chosen.clone()).or_default() += 1;
        for (id, n) in expected {
            assert_eq!(chosen(&id), n, "{id}");
        }
        let shares: f32 = opening.replies.iter().map(|r| r.share).sum();
        assert!((shares - 1.0).abs() < 1e-4);
    }

    #[test]
    fn a_room_pick_without_counts_counts_once_for_the_reply_taken_and_says_so() {
        let p = scenario();
        let a = run(&p, "a", 1);
        let mut room = run(&p, "room", 0);
        // Counts at the first decision; only the facilitator's pick (no counts) at the second.
        let (first, second) = (&room.decisions[0], &room.decisions[1]);
        room.group = Some(GroupVotes {
            participants: None,
            decisions: vec![
                DecisionVotes {
                    node: first.node.clone(),
                    votes: [(first.shown[0].clone(), 4)].into(),
                },
                DecisionVotes {
                    node: second.node.clone(),
                    votes: BTreeMap::new(),
                },
            ],
        });
        let report = ClassReport::build(&inputs(&p, vec![a.clone(), room.clone()]));
        let point = |node: &NodeId| report.decisions.iter().find(|d| d.node == *node).unwrap();
        let counted = point(&first.node);
        assert_eq!((counted.reached, counted.picks_without_counts), (5, 0));

        let picked = point(&second.node);
        assert_eq!(picked.picks_without_counts, 1);
        assert!(
            picked
                .picks_note()
                .unwrap()
                .contains("one choice of the reply the room took")
        );
        assert_eq!(counted.picks_note(), None);
        let taken = &room.decisions[1].chosen;
        let room_reply = picked.replies.iter().find(|r| r.choice == *taken).unwrap();
        let trainee_at_second = a.decisions.iter().filter(|d| d.node == second.node).count() as u32;
        assert_eq!(picked.reached, 1 + trainee_at_second);
        let expected = 1 + a
            .decisions
            .iter()
            .filter(|d| d.node == second.node && d.chosen == *taken)
            .count() as u32;
        assert_eq!(room_reply.chosen, expected);
    }

    #[test]
    fn attempts_trainees_and_progress() {
        let p = scenario();
        let mut first = run(&p, "a", 2);
        first.started_at = "2026-01-01T10:00:00Z".into();
        first.ended_at = "2026-01-01T10:05:00Z".into();
        let mut latest = run(&p, "a", 0);
        latest.started_at = "2026-01-02T10:00:00Z".into();
        latest.ended_at = "2026-01-02T10:04:00Z".into();
        let other = run(&p, "b", 1);
        let report = ClassReport::build(&inputs(&p, vec![latest.clone(), other, first.clone()]));
        assert_eq!(report.trainees.len(), 2);
        assert_eq!(report.trainees[0].runs, 2);
        assert_eq!(report.progress.len(), 1);
        let progress = &report.progress[0];
        assert_eq!(progress.attempts, 2);
        let percents = |r: &RunResult| -> Vec<Option<u32>> {
            Skill::ALL
                .iter()
                .map(|&s| r.scores.iter().find(|x| x.skill == s).unwrap().percent)
                .collect()
        };
        assert_eq!(progress.first_percent, percents(&first));
        assert_eq!(progress.latest_percent, percents(&latest));
        assert_eq!(report.trainees[0].latest_percent, percents(&latest));
        let a_runs: Vec<u32> = report
            .runs
            .iter()
            .filter(|r| r.result.trainee.as_str() == "a")
            .map(|r| r.attempt)
            .collect();
        assert_eq!(a_runs, [1, 2]);
        assert_eq!(report.runs[0].duration_s, Some(300));
        let assessed: usize = report.skills[0].histogram.iter().sum();
        assert_eq!(assessed, report.skills[0].assessed);
    }

    #[test]
    fn pitfalls_are_replies_below_zero_with_their_feedback() {
        let p = scenario();
        let runs: Vec<RunResult> = (0..6).map(|i| run(&p, &format!("t{i}"), i % 3)).collect();
        let report = ClassReport::build(&inputs(&p, runs));
        assert!(!report.pitfalls.is_empty());
        for pit in &report.pitfalls {
            assert!(pit.total_score < 0);
            assert!(pit.feedback.is_some());
        }
        assert!(
            report
                .pitfalls
                .windows(2)
                .all(|w| w[0].chosen >= w[1].chosen)
        );
    }
}
