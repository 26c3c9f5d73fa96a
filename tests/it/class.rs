//! The classroom, through the real binary: exercise files, a class playing one at the same
//! moment, and `attune report` (summary, CSV, HTML, xAPI statements).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use attune_core::engine::{Mode, Session, Status};
use attune_core::results::{self, RunResult};
use attune_core::scoring::Scorecard;
use attune_core::skills::Skill;
use attune_core::{Playable, load_file};

use crate::support::{assert_no_panic, attune, repo_root, run, scratch_dir, stderr, stdout};

pub const SCENARIO: &str = "scenarios/grief-eleven-weeks.scenario.ron";
pub const SEED: u64 = 2026;
pub const TRAINEES: usize = 30;

/// Writes an exercise in `dir` with `attune class new`, the way an instructor would.
pub fn new_exercise(dir: &Path) -> PathBuf {
    let out = run(&[
        "class",
        "new",
        "week-3",
        "--dir",
        dir.to_str().unwrap(),
        "--scenario",
        SCENARIO,
        "--title",
        "Week 3: reflecting feelings",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.join("week-3.exercise.ron");
    // Practice, shared seed, three attempts.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("attempts: 2", "attempts: 3");
    std::fs::write(&path, text).unwrap();
    path
}

/// The reply number trainee `i` always picks.
pub fn pick(i: usize) -> usize {
    i % 3 + 1
}

pub fn trainee(i: usize) -> String {
    format!("trainee-{i:02}")
}

fn scripted(i: usize) -> String {
    vec![pick(i).to_string(); 40].join(",")
}

/// `TRAINEES` trainee processes play the exercise at the same moment; returns the results folder.
pub fn class_plays(exercise: &Path) -> PathBuf {
    let children: Vec<_> = (0..TRAINEES)
        .map(|i| {
            attune()
                .args([
                    "play",
                    "--exercise",
                    exercise.to_str().unwrap(),
                    "--trainee",
                    &trainee(i),
                    "--choices",
                    &scripted(i),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the attune binary runs")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_no_panic(&out);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    exercise.parent().unwrap().join("results")
}

fn scenario() -> Arc<Playable> {
    load_file(&repo_root().join(SCENARIO), None)
        .unwrap()
        .playable
        .unwrap()
}

/// What trainee `i`'s run must score, played here in-process with the same seed and replies.
fn expected_card(i: usize) -> (Scorecard, usize) {
    let mut session = Session::start(scenario(), Mode::Practice, SEED);
    while session.status() == Status::AwaitingChoice {
        session.choose(pick(i), 0).unwrap();
    }
    (Scorecard::of(&session), session.decisions().len())
}

#[test]
fn class_new_writes_an_exercise_that_checks_clean() {
    let dir = scratch_dir("class-new");
    let exercise = new_exercise(&dir);
    let out = run(&["check", exercise.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("exercise, 1 scenario, practice mode"),
        "{}",
        stdout(&out)
    );
    // Never over an existing file.
    let again = run(&[
        "class",
        "new",
        "week-3",
        "--dir",
        dir.to_str().unwrap(),
        "--scenario",
        SCENARIO,
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn check_reports_exercise_mistakes_where_they_are() {
    let dir = scratch_dir("class-check");
    let exercise = new_exercise(&dir);
    let text = std::fs::read_to_string(&exercise).unwrap();
    let scenario_line = text
        .lines()
        .find(|l| l.contains("scenarios: ["))
        .unwrap()
        .to_owned();
    let broken = text
        .replace(&scenario_line, "    scenarios: [\"missing.scenario.ron\"],")
        .replace("attempts: 3", "attempts: 0");
    std::fs::write(&exercise, broken).unwrap();
    let out = run(&["check", "--format", "short", exercise.to_str().unwrap()]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let found = stdout(&out);
    let line_of = |needle: &str| {
        std::fs::read_to_string(&exercise)
            .unwrap()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    assert!(
        found.contains(&format!(
            "week-3.exercise.ron:{}:17: error[unknown-scenario]: cannot read the scenario `missing.scenario.ron`",
            line_of("missing.scenario.ron")
        )),
        "{found}"
    );
    assert!(
        found.contains(&format!(
            "week-3.exercise.ron:{}:15: error[bad-setting]: no attempts allowed",
            line_of("attempts: 0")
        )),
        "{found}"
    );
    // A misspelt field is a syntax diagnostic, as in a scenario.
    std::fs::write(&exercise, text.replace("hints: true", "hint: true")).unwrap();
    let out = run(&["check", "--format", "short", exercise.to_str().unwrap()]);
    assert!(stdout(&out).contains("error[syntax]"), "{}", stdout(&out));
}

/// Well-formed: every element closed in order (void elements excepted), attributes quoted.
fn assert_well_formed(html: &str) {
    const VOID: [&str; 4] = ["meta", "br", "hr", "img"];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    assert!(rest.starts_with("<!DOCTYPE html>"), "no doctype");
    rest = &rest["<!DOCTYPE html>".len()..];
    while let Some(at) = rest.find('<') {
        let text = &rest[..at];
        assert!(!text.contains('>'), "a stray `>` in text: {text:?}");
        let end = rest[at..].find('>').expect("a tag is closed") + at;
        let tag = &rest[at + 1..end];
        assert!(!tag.contains('<'), "`<` inside a tag: {tag:?}");
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in {tag:?}"
        );
        if let Some(name) = tag.strip_prefix('/') {
            let expected = open
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(name, expected, "</{name}> closes <{expected}>");
        } else {
            let name = tag.split([' ', '/']).next().unwrap().to_owned();
            if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                open.push(name);
            }
        }
        rest = &rest[end + 1..];
        // The style element holds CSS, with `>` selectors: skip to its end.
        if open.last().is_some_and(|t| t == "style") {
            let close = rest.find("</style>").expect("style is closed");
            rest = &rest[close..];
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn thirty_trainees_play_at_once_and_the_report_adds_up() {
    let dir = scratch_dir("class-thirty");
    let exercise = new_exercise(&dir);
    let folder = class_plays(&exercise);

    // All 30 results intact, each under its own name, each naming the exercise.
    let files = results::list(&folder).unwrap();
    assert_eq!(files.len(), TRAINEES, "{files:?}");
    let loaded: Vec<RunResult> = files.iter().map(|f| results::load(f).unwrap()).collect();
    let trainees: HashSet<&str> = loaded.iter().map(|r| r.trainee.as_str()).collect();
    assert_eq!(trainees.len(), TRAINEES);
    let runs: HashSet<&str> = loaded.iter().map(|r| r.run.as_str()).collect();
    assert_eq!(runs.len(), TRAINEES);
    for r in &loaded {
        assert_eq!(r.exercise.as_ref().unwrap().id, "week-3");
        assert_eq!(r.seed, SEED);
        assert_eq!(r.mode, Mode::Practice);
    }

    // Something damaged, something foreign and a run on another version of the scenario are
    // listed, and do not stop the report.
    std::fs::write(
        folder.join("cut-short.result.json"),
        "{\"schema\": 1, \"run\": ",
    )
    .unwrap();
    std::fs::write(folder.join("gradebook.json"), "{\"grades\": []}").unwrap();
    let mut older = loaded[0].clone();
    older.run = attune_core::ids::RunId("20250101T000000Z-0ld0ld00".into());
    older.scenario.content_hash = "0".repeat(64);
    let older_path = folder.join("older.result.json");
    std::fs::write(&older_path, serde_json::to_vec(&older).unwrap()).unwrap();

    let out_dir = dir.join("report");
    let out = run(&[
        "report",
        folder.to_str().unwrap(),
        exercise.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--activity-base",
        "https://counselling.example.edu/attune/",
    ]);
    assert_no_panic(&out);
    // Skipped files make the exit code 1, and everything is still written.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.contains("31 runs by 30 trainees"), "{summary}");
    assert!(
        summary.contains("skipped") && summary.contains("cut-short.result.json"),
        "{summary}"
    );
    assert!(
        summary.contains("gradebook.json: not an Attune result"),
        "{summary}"
    );
    assert!(
        summary.contains("flagged") && summary.contains("older.result.json"),
        "{summary}"
    );

    // runs.csv parses back with the numbers the runs must have.
    let rows = read_csv(&out_dir.join("runs.csv"));
    assert_eq!(rows.len(), TRAINEES + 1);
    let mut decisions_expected = 0;
    for i in 0..TRAINEES {
        let row = rows
            .iter()
            .find(|r| r["trainee"] == trainee(i) && r["other_scenario_version"] == "false")
            .unwrap();
        let (card, decisions) = expected_card(i);
        decisions_expected += decisions;
        assert_eq!(row["status"], "completed");
        assert_eq!(row["exercise"], "week-3");
        assert_eq!(row["mode"], "practice");
        assert_eq!(row["seed"], SEED.to_string());
        assert_eq!(row["decisions"], decisions.to_string());
        assert_eq!(row["hints_used"], "0");
        for skill in Skill::ALL {
            let score = card.skills.iter().find(|s| s.skill == skill).unwrap();
            let key = skill.key();
            assert_eq!(
                row[&format!("{key}_points")],
                score.counted.to_string(),
                "{key}"
            );
            assert_eq!(
                row[&format!("{key}_percent")],
                score.percent.map(|p| p.to_string()).unwrap_or_default(),
                "{key}"
            );
        }
    }
    let older_row = rows
        .iter()
        .find(|r| r["other_scenario_version"] == "true")
        .unwrap();
    assert_eq!(older_row["trainee"], loaded[0].trainee.as_str());
    assert_eq!(older_row["attempt"], "1");

    // decisions.csv: one row per decision of every run.
    let decision_rows = read_csv(&out_dir.join("decisions.csv"));
    assert_eq!(
        decision_rows.len(),
        decisions_expected + older.decisions.len()
    );

    // The HTML: well-formed, charts as inline SVG, nothing loaded from elsewhere.
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert_well_formed(&html);
    assert!(
        html.matches("<svg").count() >= 3 + 5,
        "a chart per skill and per decision"
    );
    for external in [
        "<script", "src=", "href=", "url(", "@import", "http://", "https://", "<link",
    ] {
        assert!(
            !html.contains(external),
            "the report refers outside itself: {external}"
        );
    }
    assert!(html.contains("Where the class went") && html.contains("Commonest pitfalls"));
    assert!(html.contains("older.result.json"));

    // xAPI: one statement per run and per decision, each complete, ids stable and unique.
    let statements: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out_dir.join("statements.json")).unwrap()).unwrap();
    assert_eq!(statements.len(), rows.len() + decision_rows.len());
    let mut ids = HashSet::new();
    for s in &statements {
        for field in ["id", "actor", "verb", "object", "result", "timestamp"] {
            assert!(s.get(field).is_some(), "{field} missing from {s}");
        }
        let id = s["id"].as_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        assert_eq!(
            s["actor"]["account"]["homePage"],
            "https://counselling.example.edu/attune/"
        );
        assert!(
            s["object"]["id"]
                .as_str()
                .unwrap()
                .starts_with("https://counselling.example.edu/attune/scenarios/")
        );
        assert!(humantime::parse_rfc3339(s["timestamp"].as_str().unwrap()).is_ok());
    }
    let completed = statements
        .iter()
        .filter(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed")
        .count();
    assert_eq!(completed, rows.len());
    // The same runs give the same ids.
    let again = run(&[
        "report",
        folder.to_str().unwrap(),
        "-o",
        dir.join("again").to_str().unwrap(),
        "--activity-base",
        "https://counselling.example.edu/attune/",
    ]);
    assert_no_panic(&again);
    let again: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("again/statements.json")).unwrap()).unwrap();
    let again_ids: HashSet<String> = again
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(again_ids, ids);
}

#[test]
fn an_exercise_limits_attempts_and_asks_the_trainee_id_once() {
    let dir = scratch_dir("class-attempts");
    let exercise = new_exercise(&dir);
    let text = std::fs::read_to_string(&exercise)
        .unwrap()
        .replace("attempts: 3", "attempts: 1")
        .replace("hints: true", "hints: false");
    std::fs::write(&exercise, text).unwrap();
    let play = |input: &str| {
        let mut child = attune()
            .args([
                "play",
                "--exercise",
                exercise.to_str().unwrap(),
                "--choices",
                &format!("h,{}", scripted(0)),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let first = play("Robin K\n");
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(stderr(&first).matches("Your trainee id:").count(), 1);
    assert!(stdout(&first).contains("Hints are off in this exercise."));
    assert!(stdout(&first).contains("Exercise: Week 3: reflecting feelings"));
    let saved = results::list(&dir.join("results")).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        results::load(&saved[0]).unwrap().trainee.as_str(),
        "Robin K"
    );
    let second = play("Robin K\n");
    assert!(
        stdout(&second).contains("You have used all 1 attempt(s)"),
        "{}",
        stdout(&second)
    );
    assert_eq!(results::list(&dir.join("results")).unwrap().len(), 1);
    let nobody = play("\n");
    assert_eq!(nobody.status.code(), Some(2));
    assert!(stderr(&nobody).contains("no trainee id given"));
}
