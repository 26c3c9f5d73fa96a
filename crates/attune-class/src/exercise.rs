//! Exercise files (`*.exercise.ron`): what an instructor hands a class. Read with the same
//! diagnostics as scenarios, then checked: every scenario it names must load without errors.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_core::diagnostics::{Code, Diagnostic, SourceFile};
use attune_core::engine::Mode;
use attune_core::ids::ScenarioId;
use attune_core::limits::SCENARIO_FILE_BYTES;
use attune_core::span::{Span, Spanned};
use attune_core::{Playable, load::parse_data};
use serde::Deserialize;

pub const EXERCISE_EXTENSION: &str = ".exercise.ron";

/// The only version of the exercise format so far.
pub const EXERCISE_FORMAT: u32 = 1;

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseFile {
    format: Spanned<u32>,
    title: Spanned<String>,
    #[serde(default)]
    instructions: String,
    /// Scenario files, relative to the exercise file.
    scenarios: Vec<Spanned<String>>,
    mode: ExerciseMode,
    seed: SeedPolicy,
    #[serde(default = "hints_by_default")]
    hints: bool,
    #[serde(default)]
    attempts: Option<Spanned<u32>>,
    /// Where results go, relative to the exercise file (or absolute: a network share).
    results: Spanned<String>,
    #[serde(default)]
    lrs: Option<LrsFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LrsFile {
    endpoint: Spanned<String>,
    #[serde(default)]
    activity_base: Option<Spanned<String>>,
}

fn hints_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum ExerciseMode {
    Practice,
    Assessment,
}

/// Which seed each trainee plays with. The seed is recorded in every result either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SeedPolicy {
    /// Everyone gets the same wording and reply order, so the class discusses one conversation.
    Shared(u64),
    /// Each run gets its own seed.
    PerTrainee,
}

/// A checked exercise, ready to play or to report on.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The file name without `.exercise.ron`: recorded in every result played for it.
    pub id: String,
    pub path: PathBuf,
    pub title: String,
    pub instructions: String,
    pub scenarios: Vec<ExerciseScenario>,
    pub mode: Mode,
    pub seed: SeedPolicy,
    /// Practice mode only: whether trainees may ask for hints.
    pub hints: bool,
    /// How many runs of each scenario a trainee may save; `None`: as many as they like.
    pub attempts: Option<u32>,
    /// Where results go, resolved against the exercise file's folder.
    pub results: PathBuf,
    pub lrs: Option<LrsTarget>,
}

#[derive(Debug, Clone)]
pub struct ExerciseScenario {
    pub path: PathBuf,
    pub playable: Arc<Playable>,
}

impl ExerciseScenario {
    pub fn id(&self) -> &ScenarioId {
        &self.playable.scenario().id.value
    }
}

/// An LRS the exercise's results also go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LrsTarget {
    pub endpoint: String,
    pub activity_base: Option<String>,
}

impl Exercise {
    /// The reference saved in each result played for this exercise.
    pub fn reference(&self) -> attune_core::results::ExerciseRef {
        attune_core::results::ExerciseRef {
            id: self.id.clone(),
            title: self.title.clone(),
        }
    }
}

impl Exercise {
    /// The seed a new run plays with: the shared one, or `None` for a fresh one per run.
    pub fn shared_seed(&self) -> Option<u64> {
        match self.seed {
            SeedPolicy::Shared(seed) => Some(seed),
            SeedPolicy::PerTrainee => None,
        }
    }

    /// How many runs of this scenario the trainee has saved for this exercise, in its results
    /// folder. A folder that cannot be read counts none (saving will say what is wrong).
    pub fn attempts_saved(&self, trainee: &str, scenario: &str) -> u32 {
        let Ok(files) = attune_core::results::list(&self.results) else {
            return 0;
        };
        files
            .iter()
            .filter_map(|f| attune_core::results::load(f).ok())
            .filter(|r| {
                r.trainee.as_str() == trainee
                    && r.scenario.id.as_str() == scenario
                    && r.exercise.as_ref().is_some_and(|e| e.id == self.id)
            })
            .count() as u32
    }

    /// Whether the trainee may play this scenario again (`attempts` not used up).
    pub fn may_play(&self, trainee: &str, scenario: &str) -> bool {
        self.attempts
            .is_none_or(|allowed| self.attempts_saved(trainee, scenario) < allowed)
    }

    /// The exercise's settings in one sentence, as trainees see them before they play.
    pub fn settings_summary(&self) -> String {
        let mode = match self.mode {
            Mode::Practice => "practice (feedback after every reply)",
            Mode::Assessment => "assessment (feedback at the end)",
        };
        let hints = if self.hints { "allowed" } else { "off" };
        let attempts = self
            .attempts
            .map_or("no limit".to_owned(), |n| n.to_string());
        let seed = match self.seed {
            SeedPolicy::Shared(seed) => format!("the same for everyone ({seed})"),
            SeedPolicy::PerTrainee => "one per run (recorded)".to_owned(),
        };
        format!("Mode: {mode}. Hints: {hints}. Attempts per scenario: {attempts}. Seed: {seed}.")
    }
}

/// A trainee id is pseudonymous and short: one line, at most 64 characters. Err says why not.
pub fn check_trainee_id(id: &str) -> Result<(), &'static str> {
    if id.trim().is_empty() {
        Err("it is empty")
    } else if id.chars().count() > 64 {
        Err("it is longer than 64 characters")
    } else if id.chars().any(attune_core::text::is_control) {
        Err("it contains control characters")
    } else {
        Ok(())
    }
}

/// An exercise file after loading: the exercise if it has no errors, and everything found.
#[derive(Debug, Clone)]
pub struct LoadedExercise {
    pub file: SourceFile,
    pub exercise: Option<Exercise>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedExercise {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Whether a path names an exercise file (by its double extension).
pub fn is_exercise_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(EXERCISE_EXTENSION))
}

/// Reads and checks an exercise file, loading each scenario it names. Err only if the file
/// itself cannot be read (missing, not a regular file, too large).
pub fn load_exercise(path: &Path) -> std::io::Result<LoadedExercise> {
    let bytes = attune_core::files::read_limited(path, SCENARIO_FILE_BYTES)?;
    Ok(load_exercise_bytes(path, bytes))
}

/// [`load_exercise`] from bytes already read; scenario paths are resolved against `path`'s folder.
pub fn load_exercise_bytes(path: &Path, bytes: Vec<u8>) -> LoadedExercise {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let d = Diagnostic::error(
                Code::NotText,
                "this file is not UTF-8 text",
                Span::new(at..at + char::REPLACEMENT_CHARACTER.len_utf8()),
            )
            .help("exercise files are plain text: save it as UTF-8 from a text editor");
            return LoadedExercise {
                file: SourceFile::new(path, text),
                exercise: None,
                diagnostics: vec![d],
            };
        }
    };
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_owned)
        .unwrap_or(text);
    let file = SourceFile::new(path, text);
    let parsed: ExerciseFile = match parse_data(&file, "exercise") {
        Ok(parsed) => parsed,
        Err(d) => {
            return LoadedExercise {
                file,
                exercise: None,
                diagnostics: vec![*d],
            };
        }
    };
    let (exercise, diagnostics) = check(path, parsed);
    LoadedExercise {
        file,
        exercise,
        diagnostics,
    }
}

fn check(path: &Path, parsed: ExerciseFile) -> (Option<Exercise>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let base = path.parent().unwrap_or(Path::new("."));
    if parsed.format.value != EXERCISE_FORMAT {
        found.push(
            Diagnostic::error(
                Code::UnsupportedFormat,
                format!(
                    "this is exercise format {}, and this version of Attune reads format {EXERCISE_FORMAT}",
                    parsed.format.value
                ),
                parsed.format.span,
            )
            .help("write `format: 1`, or update Attune"),
        );
    }
    if parsed.title.value.trim().is_empty() {
        found.push(
            Diagnostic::error(
                Code::EmptyText,
                "the exercise has no title",
                parsed.title.span,
            )
            .help("trainees see the title when they start: e.g. \"Week 3: reflecting feelings\""),
        );
    }
    if parsed.scenarios.is_empty() {
        found.push(
            Diagnostic::error(
                Code::EmptyText,
                "the exercise names no scenarios",
                parsed.title.span,
            )
            .help("list the scenario files to play, e.g. `scenarios: [\"../scenarios/grief-eleven-weeks.scenario.ron\"]`"),
        );
    }
    let mut scenarios = Vec::new();
    for named in &parsed.scenarios {
        let file = base.join(&named.value);
        match attune_core::load_file(&file, None) {
            Err(err) => found.push(
                Diagnostic::error(
                    Code::UnknownScenario,
                    format!("cannot read the scenario `{}`: {err}", named.value),
                    named.span,
                )
                .label("this file")
                .help(format!(
                    "scenario paths are relative to the exercise file's folder ({})",
                    shown_dir(base)
                )),
            ),
            Ok(loaded) => match loaded.playable {
                Some(playable) => {
                    let id = playable.scenario().id.value.clone();
                    if scenarios.iter().any(|s: &ExerciseScenario| *s.id() == id) {
                        found.push(
                            Diagnostic::error(
                                Code::DuplicateId,
                                format!("the scenario `{id}` is named twice"),
                                named.span,
                            )
                            .help("name each scenario once"),
                        );
                    }
                    scenarios.push(ExerciseScenario {
                        path: file,
                        playable,
                    });
                }
                None => found.push(
                    Diagnostic::error(
                        Code::ScenarioHasErrors,
                        format!(
                            "the scenario `{}` has {} error(s), so it cannot be played",
                            named.value,
                            loaded.errors()
                        ),
                        named.span,
                    )
                    .help(format!(
                        "run `attune check {}` and fix what it reports",
                        file.display()
                    )),
                ),
            },
        }
    }
    let mode = match parsed.mode {
        ExerciseMode::Practice => Mode::Practice,
        ExerciseMode::Assessment => Mode::Assessment,
    };
    if let Some(attempts) = &parsed.attempts
        && attempts.value == 0
    {
        found.push(
            Diagnostic::error(
                Code::BadSetting,
                "no attempts allowed: no trainee could play this exercise",
                attempts.span,
            )
            .help("allow at least 1 attempt, or leave `attempts` out for as many as trainees like"),
        );
    }
    if parsed.results.value.trim().is_empty() {
        found.push(
            Diagnostic::error(
                Code::EmptyText,
                "the exercise does not say where results go",
                parsed.results.span,
            )
            .help("name a folder, e.g. `results: \"results/week-3\"` (relative to this file) or a shared folder"),
        );
    }
    let lrs = parsed.lrs.as_ref().map(|lrs| {
        for iri in std::iter::once(&lrs.endpoint).chain(lrs.activity_base.as_ref()) {
            if !is_http_url(&iri.value) {
                found.push(
                    Diagnostic::error(
                        Code::BadSetting,
                        format!("`{}` is not an http or https URL", iri.value),
                        iri.span,
                    )
                    .help("e.g. `https://lrs.example.edu/xAPI/`"),
                );
            }
        }
        LrsTarget {
            endpoint: lrs.endpoint.value.clone(),
            activity_base: lrs.activity_base.as_ref().map(|b| b.value.clone()),
        }
    });
    found.sort_by_key(|d| d.primary.span.start);
    if found.iter().any(Diagnostic::is_error) {
        return (None, found);
    }
    let id = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(EXERCISE_EXTENSION))
        .unwrap_or("exercise")
        .to_owned();
    let exercise = Exercise {
        id,
        path: path.to_path_buf(),
        title: parsed.title.value,
        instructions: parsed.instructions,
        scenarios,
        mode,
        seed: parsed.seed,
        hints: parsed.hints && mode == Mode::Practice,
        attempts: parsed.attempts.map(|a| a.value),
        results: base.join(&parsed.results.value),
        lrs,
    };
    (Some(exercise), found)
}

fn shown_dir(dir: &Path) -> String {
    if dir.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        dir.display().to_string()
    }
}

/// `http://` or `https://` followed by a host.
pub fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or_default();
        !host.is_empty() && !r.chars().any(char::is_whitespace)
    })
}

/// The commented exercise `attune class new` writes; `scenario` is a path relative to the
/// folder the file goes in.
pub fn template(title: &str, scenario: &str) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let scenario = scenario.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"// An Attune exercise: what every trainee in a class plays. Check it with
// `attune check FILE`; trainees play it with `attune play --exercise FILE`;
// `attune report RESULTS-FOLDER -o report/` writes the class report.
// Every field is explained in docs/classroom.md.
(
    format: 1,
    title: "{title}",
    // Shown to each trainee before the first scenario.
    instructions: "Play the scenario once, as you would with a real client. Take your time: the aim is to notice what the client feels, not to finish quickly.",
    // Scenario files, relative to this file's folder. Trainees play them in this order.
    scenarios: ["{scenario}"],
    // Practice: feedback after every reply, hints and take-backs. Assessment: feedback at the end only.
    mode: Practice,
    // Shared(SEED): everyone meets the same wording and reply order, so the class can discuss
    // one conversation. PerTrainee: each run gets its own seed. Either way the seed is recorded.
    seed: Shared(2026),
    // Whether trainees may ask for a hint (practice mode only).
    hints: true,
    // How many runs of each scenario a trainee may save. Leave it out for no limit.
    attempts: 2,
    // Where results are saved, relative to this file (or a shared folder, e.g. "/mnt/class/week-3").
    // Each run is its own file, so a whole class can save into one folder at the same moment.
    results: "results",
    // Optional: also send results to your institution's Learning Record Store (xAPI) with
    // `attune lrs push`. Credentials are never kept here; see docs/classroom.md.
    // lrs: (endpoint: "https://lrs.example.edu/xAPI/", activity_base: "https://example.edu/attune/"),
)
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use attune_core::diagnostics::{Style, render};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn load(text: &str) -> LoadedExercise {
        let path = root().join("scenarios/t.exercise.ron");
        load_exercise_bytes(&path, text.as_bytes().to_vec())
    }

    fn short(loaded: &LoadedExercise) -> Vec<String> {
        loaded
            .diagnostics
            .iter()
            .map(|d| {
                render(&loaded.file, d, Style::Short)
                    .split_once("t.exercise.ron:")
                    .map(|(_, rest)| rest.to_owned())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn the_template_checks_clean() {
        let loaded = load(&template("Week 3", "grief-eleven-weeks.scenario.ron"));
        assert!(loaded.diagnostics.is_empty(), "{:?}", short(&loaded));
        let exercise = loaded.exercise.unwrap();
        assert_eq!(exercise.id, "t");
        assert_eq!(exercise.scenarios.len(), 1);
        assert_eq!(exercise.seed, SeedPolicy::Shared(2026));
        assert_eq!(exercise.attempts, Some(2));
        assert!(exercise.results.ends_with("scenarios/results"));
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let text = template("Week 3", "grief-eleven-weeks.scenario.ron")
            .replace(
                "[\"grief-eleven-weeks.scenario.ron\"]",
                "[\"grief-eleven-weeks.scenario.ron\", \"nope.scenario.ron\"]",
            )
            .replace("attempts: 2", "attempts: 0")
            .replace(
                "// lrs: (endpoint: \"https://lrs.example.edu/xAPI/\"",
                "lrs: (endpoint: \"lrs.example.edu\"",
            );
        let found = short(&load(&text));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0]
                .contains("error[unknown-scenario]: cannot read the scenario `nope.scenario.ron`"),
            "{found:?}"
        );
        assert!(
            found[1].contains("error[bad-setting]: no attempts allowed"),
            "{found:?}"
        );
        assert!(
            found[2].contains("error[bad-setting]: `lrs.example.edu` is not an http or https URL"),
            "{found:?}"
        );
    }

    #[test]
    fn syntax_and_unknown_fields_use_the_scenario_diagnostics() {
        let text = template("Week 3", "grief-eleven-weeks.scenario.ron")
            .replace("hints: true", "hint: true");
        let found = short(&load(&text));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("error[syntax]"), "{found:?}");
        assert!(found[0].contains("hint"), "{found:?}");
        assert_eq!(short(&load("  \n")).len(), 1);
        assert!(short(&load("  \n"))[0].contains("error[empty-file]: this exercise file is empty"));
    }
}
