//! Results files: one JSON file per completed, abandoned or stopped run, with everything a
//! debrief, a replay or a class report needs. Written atomically and never over another run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::engine::{ENGINE_VERSION, Mode, Session, Status, StopReason};
use crate::ids::{ChoiceId, EndingId, NodeId, RunId, ScenarioId, TraineeId};
use crate::limits::RESULT_FILE_BYTES;
use crate::model::{Miti, Outcome};
use crate::playable::Playable;
use crate::scoring::{Indicators, Scorecard, SkillScore};
use crate::skills::Skill;

/// Bump when the shape changes; readers refuse versions they do not know.
pub const SCHEMA_VERSION: u32 = 1;
pub const RESULT_EXTENSION: &str = ".result.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunResult {
    pub schema: u32,
    /// The engine behaviour the run was played with ([`ENGINE_VERSION`]); results saved before
    /// this field existed were played with version 1.
    #[serde(default = "engine_version_1")]
    pub engine: u32,
    pub run: RunId,
    pub trainee: TraineeId,
    pub scenario: ScenarioRef,
    pub mode: Mode,
    pub seed: u64,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub ended_at: String,
    pub status: RunStatus,
    pub ending: Option<EndingRecord>,
    pub decisions: Vec<DecisionRecord>,
    /// Decisions (not taken back) made after asking for a hint.
    pub hints_used: u32,
    pub final_state: FinalState,
    pub scores: Vec<SkillScore>,
    pub indicators: Indicators,
    /// Set for a facilitated group session (projector mode): the path above is the one the
    /// room took, and these are how many in the room chose each reply at each decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupVotes>,
    /// The exercise this run was played for (`attune play --exercise`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<ExerciseRef>,
}

/// Which exercise a run belongs to: its id (the file name without `.exercise.ron`) and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseRef {
    pub id: String,
    pub title: String,
}

/// What a room chose in a facilitated session, decision by decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupVotes {
    /// How many took part, when the facilitator said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<u32>,
    /// One entry per decision in `decisions` that was not taken back, in the same order.
    pub decisions: Vec<DecisionVotes>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionVotes {
    pub node: NodeId,
    /// How many chose each reply shown (replies nobody chose may be left out).
    pub votes: BTreeMap<ChoiceId, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRef {
    pub id: ScenarioId,
    pub title: String,
    /// SHA-256 of the scenario file this run was played on.
    pub content_hash: String,
    /// The file, as given when the run started (a hint for replay; the id and hash decide).
    pub path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Completed,
    /// The trainee quit before an ending.
    Abandoned,
    /// The scenario could not go on (see `docs/scoring.md`).
    Stopped(StopReason),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndingRecord {
    pub id: EndingId,
    pub title: String,
    pub outcome: Outcome,
    /// The ending's debrief notes whose condition held as the session ended.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    pub node: NodeId,
    /// Which wording of the client's line was shown (index into `says`).
    pub variant: u16,
    /// The choices in the order shown.
    pub shown: Vec<ChoiceId>,
    pub chosen: ChoiceId,
    /// The chosen reply's authored scores and codes, so reports need not reread the scenario.
    pub scores: BTreeMap<Skill, i32>,
    pub carkhuff: Option<f32>,
    /// The reply's main (first) MITI code; `miti_also` holds any further ones.
    pub miti: Option<Miti>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub miti_also: Vec<Miti>,
    pub notices_cue: bool,
    pub elapsed_ms: u64,
    pub hint_used: bool,
    pub taken_back: bool,
    /// When `taken_back`: how many decisions had been made when it was. Absent in results
    /// saved before it was recorded; those replay each take-back straight after its decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_back_after: Option<usize>,
    /// Set when this prompt was answered before and that reply taken back: that first reply
    /// is the one the scores count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_choice: Option<ChoiceId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalState {
    pub variables: BTreeMap<String, i32>,
    pub flags: BTreeMap<String, bool>,
}

fn engine_version_1() -> u32 {
    1
}

impl RunResult {
    /// The record of a session as it stands, with its scorecard (computed once, by the caller,
    /// who shows the same card in the debrief). `quit` marks a session left before its end.
    pub fn from_session(
        session: &Session,
        card: &Scorecard,
        trainee: TraineeId,
        scenario_path: Option<String>,
        started_at: SystemTime,
        ended_at: SystemTime,
        quit: bool,
    ) -> RunResult {
        let playable: &Playable = session.playable();
        let status = match session.status() {
            Status::Ended(_) => RunStatus::Completed,
            Status::Stopped(reason) => RunStatus::Stopped(reason),
            Status::AwaitingChoice => {
                debug_assert!(quit, "only a quit session is saved mid-way");
                RunStatus::Abandoned
            }
        };
        let ending = match session.status() {
            Status::Ended(ix) => {
                let e = playable.ending(ix);
                Some(EndingRecord {
                    id: e.id.value.clone(),
                    title: e.title.value.clone(),
                    outcome: e.outcome,
                    notes: playable
                        .ending_notes(ix, session.variables(), session.flags())
                        .map(str::to_owned)
                        .collect(),
                })
            }
            _ => None,
        };
        let decisions = session
            .decisions()
            .iter()
            .map(|d| {
                let node = playable.client(d.prompt.node);
                let id_of = |c| playable.choice_links(d.prompt.node, c).id.clone();
                let chosen = playable.choice(d.prompt.node, d.choice);
                DecisionRecord {
                    node: node.id.value.clone(),
                    variant: d.prompt.variant,
                    shown: d.prompt.order.iter().map(|&c| id_of(c)).collect(),
                    chosen: id_of(d.choice),
                    scores: Skill::ALL
                        .iter()
                        .map(|&s| (s, chosen.scores.get(s).value))
                        .collect(),
                    carkhuff: chosen.codes.carkhuff.as_ref().map(|l| l.value),
                    miti: chosen.codes.miti.primary(),
                    miti_also: chosen.codes.miti.iter().skip(1).collect(),
                    notices_cue: chosen.codes.notices_cue,
                    elapsed_ms: d.elapsed_ms,
                    hint_used: d.hint_used,
                    taken_back: d.taken_back,
                    taken_back_after: d.taken_back_after,
                    first_choice: d.first_choice.map(id_of),
                }
            })
            .collect();
        let scenario = playable.scenario();
        RunResult {
            schema: SCHEMA_VERSION,
            engine: ENGINE_VERSION,
            run: new_run_id(started_at),
            trainee,
            scenario: ScenarioRef {
                id: scenario.id.value.clone(),
                title: scenario.title.value.clone(),
                content_hash: playable.content_hash().to_owned(),
                path: scenario_path,
            },
            mode: session.mode(),
            seed: session.seed(),
            started_at: humantime::format_rfc3339_seconds(started_at).to_string(),
            ended_at: humantime::format_rfc3339_seconds(ended_at).to_string(),
            status,
            ending,
            decisions,
            hints_used: u32::try_from(
                session
                    .decisions()
                    .iter()
                    .filter(|d| d.hint_used && !d.taken_back)
                    .count(),
            )
            .unwrap_or(u32::MAX),
            final_state: FinalState {
                variables: playable
                    .variables()
                    .iter()
                    .zip(session.variables())
                    .map(|(v, &x)| (v.name.value.clone(), x))
                    .collect(),
                flags: playable
                    .flags()
                    .iter()
                    .cloned()
                    .zip(session.flags().iter().copied())
                    .collect(),
            },
            scores: card.skills.clone(),
            indicators: card.indicators.clone(),
            group: None,
            exercise: None,
        }
    }

    /// A file name that sorts by time and cannot collide with another run's.
    pub fn file_name(&self) -> String {
        format!(
            "{}_{}_{}{RESULT_EXTENSION}",
            slug(self.scenario.id.as_str()),
            slug(self.trainee.as_str()),
            self.run
        )
    }
}

/// `20261126T051530Z-3fa9c2d1`: the start time, then 32 bits that differ between runs started
/// in the same second (time, process and a counter, hashed).
fn new_run_id(started_at: SystemTime) -> RunId {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let stamp = humantime::format_rfc3339_seconds(started_at)
        .to_string()
        .replace(['-', ':'], "");
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let digest = hasher.finalize();
    RunId(format!(
        "{stamp}-{:02x}{:02x}{:02x}{:02x}",
        digest[0], digest[1], digest[2], digest[3]
    ))
}

/// Lowercase letters, digits and `-` only, so any trainee id makes a safe file name.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "anonymous".to_owned()
    } else {
        out.chars().take(40).collect()
    }
}

/// Partial files older than this in a results folder are leftovers of a crash, and removed.
pub const STALE_PARTIAL_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Writes a result into `dir` atomically and never over another run's file (see
/// [`crate::save::write_new`]: no hard links needed, so FAT/exFAT sticks and SMB shares work).
/// A crash at any point leaves either no result or a complete one; readers skip the hidden
/// `.partial` leftovers, and a later save removes them once they are a day old. On any error
/// (a full disk, a folder that cannot be written) nothing is left behind.
pub fn save(dir: &Path, result: &RunResult) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    crate::save::remove_stale_partials(dir, RESULT_EXTENSION, STALE_PARTIAL_AGE);
    let mut result = result.clone();
    for attempt in 0..16 {
        if attempt > 0 {
            // Same second, same hash prefix: vanishingly rare, but never overwrite.
            result.run = new_run_id(SystemTime::now());
        }
        let bytes = serde_json::to_vec_pretty(&result).map_err(std::io::Error::other)?;
        match crate::save::write_new(dir, &result.file_name(), &bytes) {
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            other => return other,
        }
    }
    Err(std::io::Error::other(
        "could not find a free file name for the result",
    ))
}

/// Makes sure results can be saved in `dir` before a session starts, so that a trainee never
/// finds out at the end: creates the folder, and creates and removes a file in it.
pub fn ready_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = tempfile::Builder::new()
        .prefix(".attune-can-write")
        .tempfile_in(dir)?;
    probe.close()
}

/// Where a finished run goes when its folder fails: the folder asked for, then the user's own
/// data folder, then a private folder under the system's temporary folder. Saving tries them in
/// this order, so a run is only lost if all of them fail.
pub fn save_folders(asked: &Path, user_data: Option<PathBuf>) -> Vec<PathBuf> {
    let mut folders = vec![asked.to_path_buf()];
    folders.extend(user_data);
    folders.push(shared_temp_folder());
    let mut seen = std::collections::HashSet::new();
    folders.retain(|f| seen.insert(std::path::absolute(f).unwrap_or_else(|_| f.clone())));
    folders
}

/// Where a result was saved, and the folders that failed before it.
#[derive(Debug)]
pub struct Saved {
    pub path: PathBuf,
    pub failed: Vec<(PathBuf, std::io::Error)>,
}

/// Saves into the first of `folders` that takes the result (see [`save_folders`]); Err with
/// every folder's error when none does. A folder under the system's temporary folder is used
/// only if it is private to this user, since other users can read what is there.
pub fn save_to_first(
    folders: &[PathBuf],
    result: &RunResult,
) -> Result<Saved, Vec<(PathBuf, std::io::Error)>> {
    let mut failed = Vec::new();
    for dir in folders {
        let saved = private_if_shared(dir).and_then(|()| save(dir, result));
        match saved {
            Ok(path) => return Ok(Saved { path, failed }),
            Err(err) => failed.push((dir.clone(), err)),
        }
    }
    Err(failed)
}

/// The last resort of [`save_folders`], in the temporary folder every user of the computer shares.
fn shared_temp_folder() -> PathBuf {
    std::env::temp_dir().join("attune-results")
}

/// For the folder in the shared temporary folder: creates it readable by this user only, and
/// refuses one that someone else made (or made readable by others).
fn private_if_shared(dir: &Path) -> std::io::Result<()> {
    if dir != shared_temp_folder() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt};
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
        let meta = std::fs::symlink_metadata(dir)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if !meta.is_dir() || meta.uid() != me || meta.mode() & 0o077 != 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "this folder is not private to you, so a result is not saved there",
            ));
        }
    }
    Ok(())
}

/// Why a results file could not be used.
#[derive(Debug)]
pub enum ResultError {
    Io(std::io::Error),
    /// Not valid JSON, or not the shape of a result, at a line and column.
    Damaged {
        line: usize,
        column: usize,
        message: String,
        truncated: bool,
    },
    UnknownSchema(u32),
}

impl std::fmt::Display for ResultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResultError::Io(err) => write!(f, "{err}"),
            ResultError::Damaged {
                line,
                column,
                message,
                truncated: true,
            } => write!(
                f,
                "{line}:{column}: the file ends in the middle of the result ({message}); it was probably cut short while being copied"
            ),
            ResultError::Damaged {
                line,
                column,
                message,
                truncated: false,
            } => write!(
                f,
                "{line}:{column}: this is not a valid Attune result: {message}; was it edited by hand?"
            ),
            ResultError::UnknownSchema(v) => write!(
                f,
                "this result uses schema version {v}, but this version of Attune reads version {SCHEMA_VERSION}; update Attune to read it"
            ),
        }
    }
}

impl std::error::Error for ResultError {}

/// Reads a result file: only an ordinary file of at most [`RESULT_FILE_BYTES`] is read.
pub fn load(path: &Path) -> Result<RunResult, ResultError> {
    let bytes = crate::files::read_limited(path, RESULT_FILE_BYTES)
        .map_err(|err| ResultError::Io(err.into()))?;
    parse(&bytes)
}

pub fn parse(bytes: &[u8]) -> Result<RunResult, ResultError> {
    let damaged = |e: serde_json::Error| ResultError::Damaged {
        line: e.line(),
        column: e.column(),
        truncated: e.is_eof(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    // Look at the schema first, so a newer file gets "update Attune", not a field error.
    #[derive(Deserialize)]
    struct Version {
        schema: u32,
    }
    let version: Version = serde_json::from_slice(bytes).map_err(damaged)?;
    if version.schema != SCHEMA_VERSION {
        return Err(ResultError::UnknownSchema(version.schema));
    }
    serde_json::from_slice(bytes).map_err(damaged)
}

/// The results files in a folder, oldest first. Partial files a crash left there more than a
/// day ago are removed on the way.
pub fn list(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    crate::save::remove_stale_partials(dir, RESULT_EXTENSION, STALE_PARTIAL_AGE);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(RESULT_EXTENSION) && !n.starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Why a replay could not reproduce a result.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayError {
    WrongScenario {
        expected: String,
        found: String,
    },
    ScenarioChanged,
    /// Played with another version of the engine, which orders replies differently.
    OtherEngine(u32),
    /// The recorded decisions do not fit the scenario at this step (the file was edited).
    Diverged {
        step: usize,
        why: String,
    },
    /// The replay reproduces a different value of a recorded field (the file was edited).
    Differs {
        /// Where, e.g. `status`, `decisions[2].shown`, `scores[0].counted`.
        field: String,
        recorded: String,
        replayed: String,
    },
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::WrongScenario { expected, found } => write!(
                f,
                "this result is for the scenario `{expected}`, not `{found}`"
            ),
            ReplayError::ScenarioChanged => f.write_str(
                "the scenario file has changed since this run (its content hash differs), so the run cannot be replayed exactly",
            ),
            ReplayError::OtherEngine(version) => write!(
                f,
                "this run was played with engine version {version}, and this version of Attune plays version {ENGINE_VERSION}: the same seed gives a different session, so it cannot be replayed"
            ),
            ReplayError::Diverged { step, why } => write!(
                f,
                "decision {step} in the result does not fit the scenario: {why}; the result file may have been edited"
            ),
            ReplayError::Differs {
                field,
                recorded,
                replayed,
            } => write!(
                f,
                "replaying the recorded choices does not reproduce the recorded `{field}` (recorded: {recorded}; replayed: {replayed}); the result file may have been edited"
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Re-runs a recorded session: same seed, same choices, take-backs and hints.
pub fn replay(playable: Arc<Playable>, result: &RunResult) -> Result<Session, ReplayError> {
    let id = &playable.scenario().id.value;
    if *id != result.scenario.id {
        return Err(ReplayError::WrongScenario {
            expected: result.scenario.id.to_string(),
            found: id.to_string(),
        });
    }
    if playable.content_hash() != result.scenario.content_hash {
        return Err(ReplayError::ScenarioChanged);
    }
    if result.engine != ENGINE_VERSION {
        return Err(ReplayError::OtherEngine(result.engine));
    }
    // Take-backs at the points they were made: `due[n]` is how many came once n decisions had
    // been made (the engine undoes the latest reply standing, so the count is enough).
    let made = result.decisions.len();
    let mut due = vec![0usize; made + 1];
    for (i, d) in result.decisions.iter().enumerate() {
        if let Some(after) = d.taken_back_after {
            if !d.taken_back || after <= i || after > made {
                return Err(ReplayError::Diverged {
                    step: i + 1,
                    why: format!("it cannot have been taken back after decision {after}"),
                });
            }
            due[after] += 1;
        }
    }
    let take_back_due = |session: &mut Session, after: usize| -> Result<(), ReplayError> {
        for _ in 0..due[after] {
            session.take_back().map_err(|e| ReplayError::Diverged {
                step: after,
                why: e.to_string(),
            })?;
        }
        Ok(())
    };
    let mut session = Session::start(playable, result.mode, result.seed);
    for (i, d) in result.decisions.iter().enumerate() {
        let step = i + 1;
        take_back_due(&mut session, i)?;
        let diverged = |why: String| ReplayError::Diverged { step, why };
        let here = session
            .node()
            .map(|n| n.id.value.clone())
            .ok_or_else(|| diverged("the session had already ended".into()))?;
        if here != d.node {
            return Err(diverged(format!(
                "it was made at `{}`, but the session is at `{here}`",
                d.node
            )));
        }
        if d.hint_used {
            session.hint().map_err(|e| diverged(e.to_string()))?;
        }
        session
            .choose_id(d.chosen.as_str(), d.elapsed_ms)
            .map_err(|e| diverged(e.to_string()))?;
        if d.taken_back && d.taken_back_after.is_none() {
            session.take_back().map_err(|e| diverged(e.to_string()))?;
        }
    }
    take_back_due(&mut session, made)?;
    Ok(session)
}

/// The fields of a result that a replay cannot reproduce: who and when, where the scenario was,
/// and how long each reply took. Everything else must come out identical.
const NOT_REPLAYED: [&str; 6] = [
    "run",
    "trainee",
    "started_at",
    "ended_at",
    "scenario.path",
    "decisions[].elapsed_ms",
];

/// Replays a recorded run (see [`replay`]) and checks that the replay reproduces every
/// deterministic field of the record — seed and mode, status, each decision's node, wording,
/// shown order, choice, scores, codes, hint and take-back, the hints used, the final state, the
/// ending, the scores and the indicators — and says which field differs if one does. Returns the
/// session and its scorecard, for the debrief.
pub fn replay_exact(
    playable: Arc<Playable>,
    result: &RunResult,
) -> Result<(Session, Scorecard), ReplayError> {
    let session = replay(playable, result)?;
    let card = Scorecard::of(&session);
    let quit = session.status() == Status::AwaitingChoice;
    let mut replayed = RunResult::from_session(
        &session,
        &card,
        result.trainee.clone(),
        result.scenario.path.clone(),
        SystemTime::UNIX_EPOCH,
        SystemTime::UNIX_EPOCH,
        quit,
    );
    replayed.run = result.run.clone();
    replayed.started_at.clone_from(&result.started_at);
    replayed.ended_at.clone_from(&result.ended_at);
    // A room's votes are what the facilitator typed in; nothing in the run reproduces them.
    replayed.group.clone_from(&result.group);
    replayed.exercise.clone_from(&result.exercise);
    // Results saved before skill scores counted their decisions read 0 there, and gave a band
    // on fewer decisions: compare those on everything else.
    for (new, old) in replayed.scores.iter_mut().zip(&result.scores) {
        if old.decisions == 0 && new.decisions > 0 {
            new.decisions = 0;
            new.band = old.band;
        }
    }
    let (Ok(recorded), Ok(replayed)) = (
        serde_json::to_value(result),
        serde_json::to_value(&replayed),
    ) else {
        return Ok((session, card));
    };
    match first_difference(&recorded, &replayed, "") {
        None => Ok((session, card)),
        Some((field, recorded, replayed)) => Err(ReplayError::Differs {
            field,
            recorded: brief(recorded),
            replayed: brief(replayed),
        }),
    }
}

/// The first place two JSON values differ, as (path, left, right), skipping [`NOT_REPLAYED`].
fn first_difference<'v>(
    a: &'v serde_json::Value,
    b: &'v serde_json::Value,
    path: &str,
) -> Option<(String, &'v serde_json::Value, &'v serde_json::Value)> {
    use serde_json::Value;
    // `decisions[3].elapsed_ms` is skipped as `decisions[].elapsed_ms`.
    let general: String = {
        let mut out = String::new();
        let mut in_index = false;
        for c in path.chars() {
            match c {
                '[' => {
                    in_index = true;
                    out.push('[');
                }
                ']' => {
                    in_index = false;
                    out.push(']');
                }
                _ if in_index => {}
                _ => out.push(c),
            }
        }
        out
    };
    if NOT_REPLAYED.contains(&general.as_str()) {
        return None;
    }
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|key| {
                let (l, r) = (
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                );
                first_difference(l, r, &join(key))
            })
        }
        // A list of records (decisions, scores) is compared record by record; a list of plain
        // values (the choices shown) is one field.
        (Value::Array(x), Value::Array(y))
            if x.len() == y.len() && x.iter().any(|v| v.is_object() || v.is_array()) =>
        {
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (l, r))| first_difference(l, r, &format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some((path.to_owned(), a, b)),
    }
}

/// A value as shown in a message: compact JSON, at most 80 characters.
fn brief(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::Array(items) => format!("{} item(s): {value}", items.len()),
        _ => value.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(79).collect::<String>())
    } else {
        text
    }
}
