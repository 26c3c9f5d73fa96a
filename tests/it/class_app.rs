//! The classroom in the app, headless: projector mode driven by the facilitator's actions, from
//! the library to a saved result that carries the room's votes; and the instructor view of a
//! folder of real results (`attune play` runs and a room's run), down to the HTML it writes.

use std::collections::BTreeMap;
use std::path::Path;

use attune::app::class::exercise::{ExerciseAction, ExerciseMode};
use attune::app::class::instructor::{
    HTML_FILE, InstructorAction, InstructorProblem, InstructorReport,
};
use attune::app::class::projector::{ProjectorAction, ProjectorPhase, ProjectorRun};
use attune::app::screens::{Action, ActiveSession, Screen, SessionPhase};
use attune_core::engine::Mode;
use attune_core::engine::Status;
use attune_core::results::{self, RunStatus};
use bevy::prelude::*;

use crate::app::{headless_app, library_ready, scenario_dir, screen, send, shipped, update_until};
use crate::support::{attune, scratch_dir};

const GRIEF: &str = "grief-eleven-weeks.scenario.ron";

fn room(app: &mut App, action: ProjectorAction) {
    app.world_mut().write_message(action);
    app.update();
    app.update();
}

fn phase(app: &App) -> ProjectorPhase {
    *app.world().resource::<State<ProjectorPhase>>().get()
}

fn run(app: &App) -> &ProjectorRun {
    app.world().resource::<ProjectorRun>()
}

fn projector_app(name: &str) -> (App, std::path::PathBuf) {
    let scenarios = scenario_dir(name, &[(GRIEF, shipped(GRIEF).leak() as &Path)]);
    let results_dir = scratch_dir(&format!("{name}-results"));
    let mut app = headless_app(&scenarios, &results_dir);
    update_until(&mut app, "the library", library_ready);
    send(&mut app, Action::OpenProjector);
    assert_eq!(screen(&app), Screen::Projector);
    assert_eq!(phase(&app), ProjectorPhase::Setup);
    room(
        &mut app,
        ProjectorAction::Start {
            file: GRIEF.into(),
            group: "Tuesday seminar".into(),
            seed: 1,
            participants: Some(14),
        },
    );
    assert_eq!(phase(&app), ProjectorPhase::Voting);
    (app, results_dir)
}

#[test]
fn votes_then_reveal_then_next_to_the_debrief_saves_the_room_votes() {
    let (mut app, results_dir) = projector_app("projector-walk");

    // Most votes win; the feedback waits for the reveal.
    room(
        &mut app,
        ProjectorAction::Decide {
            votes: vec![3, 9, 2, 0],
            pick: None,
        },
    );
    assert_eq!(phase(&app), ProjectorPhase::Discussing);
    let first = run(&app).session.decisions()[0].clone();
    assert_eq!(
        first.choice, first.prompt.order[1],
        "the reply with 9 votes"
    );
    room(&mut app, ProjectorAction::Next);
    assert_eq!(
        phase(&app),
        ProjectorPhase::Discussing,
        "no next before the reveal"
    );
    room(&mut app, ProjectorAction::Reveal);
    assert_eq!(phase(&app), ProjectorPhase::Revealed);
    room(&mut app, ProjectorAction::Next);
    assert_eq!(phase(&app), ProjectorPhase::Voting);

    // A tie waits for the facilitator's pick.
    room(
        &mut app,
        ProjectorAction::Decide {
            votes: vec![5, 2, 5, 0],
            pick: None,
        },
    );
    assert_eq!(phase(&app), ProjectorPhase::Voting);
    let notice = run(&app).notice.clone().unwrap();
    assert!(notice.contains("tie between replies 1 and 3"), "{notice}");
    room(
        &mut app,
        ProjectorAction::Decide {
            votes: vec![5, 2, 5, 0],
            pick: Some(3),
        },
    );
    assert_eq!(phase(&app), ProjectorPhase::Discussing);
    let second = run(&app).session.decisions()[1].clone();
    assert_eq!(second.choice, second.prompt.order[2]);

    // Then the class's choice without counts, until the end.
    let mut steps = 0;
    while phase(&app) != ProjectorPhase::Debrief {
        steps += 1;
        assert!(steps < 100, "the session should end");
        match phase(&app) {
            ProjectorPhase::Discussing => room(&mut app, ProjectorAction::Reveal),
            ProjectorPhase::Revealed => room(&mut app, ProjectorAction::Next),
            ProjectorPhase::Voting => {
                let offered = run(&app).session.offered().count();
                room(
                    &mut app,
                    ProjectorAction::Decide {
                        votes: vec![0; offered],
                        pick: Some(1),
                    },
                );
            }
            other => panic!("unexpected phase {other:?}"),
        }
    }
    let session = run(&app).session.clone();
    assert!(matches!(session.status(), Status::Ended(_)));
    let saved = run(&app)
        .finished
        .as_ref()
        .unwrap()
        .1
        .clone()
        .expect("saved");
    assert!(saved.starts_with(&results_dir));

    let result = results::load(&saved).unwrap();
    assert_eq!(result.trainee.as_str(), "Tuesday seminar");
    assert_eq!(result.status, RunStatus::Completed);
    assert_eq!(result.seed, 1);
    let group = result.group.expect("the room's votes are saved");
    assert_eq!(group.participants, Some(14));
    assert_eq!(group.decisions.len(), result.decisions.len());
    for (votes, decision) in group.decisions.iter().zip(&result.decisions) {
        assert_eq!(votes.node, decision.node);
    }
    let shown = &result.decisions[0].shown;
    assert_eq!(
        group.decisions[0].votes,
        BTreeMap::from([
            (shown[0].clone(), 3),
            (shown[1].clone(), 9),
            (shown[2].clone(), 2)
        ])
    );
    assert_eq!(result.decisions[0].chosen, shown[1]);
    assert_eq!(result.decisions[1].chosen, result.decisions[1].shown[2]);
    assert!(group.decisions[2].votes.is_empty(), "picked without counts");

    send(&mut app, Action::ToLibrary);
    assert_eq!(screen(&app), Screen::Library);
    assert_eq!(results::list(&results_dir).unwrap().len(), 1);
}

#[test]
fn ending_early_saves_an_abandoned_run_with_the_votes_so_far() {
    let (mut app, results_dir) = projector_app("projector-end");
    // Leaving for the library mid-session is refused: the run would be lost.
    send(&mut app, Action::ToLibrary);
    assert_eq!(screen(&app), Screen::Projector);
    room(
        &mut app,
        ProjectorAction::Decide {
            votes: vec![1, 1, 6, 0],
            pick: None,
        },
    );
    room(&mut app, ProjectorAction::End);
    assert_eq!(phase(&app), ProjectorPhase::Debrief);
    let files = results::list(&results_dir).unwrap();
    assert_eq!(files.len(), 1);
    let result = results::load(&files[0]).unwrap();
    assert_eq!(result.status, RunStatus::Abandoned);
    assert_eq!(result.decisions.len(), 1);
    let group = result.group.unwrap();
    assert_eq!(group.decisions.len(), 1);
    assert_eq!(group.decisions[0].votes.values().sum::<u32>(), 8);
}

/// Plays the grief scenario as `trainee`, always taking the reply at `position`.
fn play_into(results_dir: &Path, trainee: &str, position: usize) {
    let choices = vec![position.to_string(); 12].join(",");
    let output = attune()
        .args([
            "play",
            "scenarios/grief-eleven-weeks.scenario.ron",
            "--seed",
            "1",
        ])
        .args(["--trainee", trainee, "--choices", &choices])
        .arg("--results")
        .arg(results_dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_instructor_view_reports_a_folder_with_a_room_run_and_writes_the_html() {
    // A room's run: 14 voted at the first decision, 9 of them for the second reply.
    let (mut app, results_dir) = projector_app("instructor-walk");
    room(
        &mut app,
        ProjectorAction::Decide {
            votes: vec![3, 9, 2, 0],
            pick: None,
        },
    );
    room(&mut app, ProjectorAction::End);
    send(&mut app, Action::ToLibrary);
    let room_run = results::load(&results::list(&results_dir).unwrap()[0]).unwrap();
    let room_node = room_run.decisions[0].node.clone();
    let room_reply = room_run.decisions[0].chosen.clone();
    for (trainee, position) in [("T-01", 1), ("T-02", 2), ("T-03", 4)] {
        play_into(&results_dir, trainee, position);
    }
    std::fs::write(results_dir.join("notes.json"), "{\"not\": \"a result\"}").unwrap();

    send(&mut app, Action::OpenInstructor);
    assert_eq!(screen(&app), Screen::Instructor);
    app.world_mut().write_message(InstructorAction::Open {
        folder: results_dir.clone(),
    });
    update_until(&mut app, "the report or a problem", |app| {
        app.world().get_resource::<InstructorReport>().is_some()
            || app
                .world()
                .get_resource::<InstructorProblem>()
                .is_some_and(|p| p.0.is_some())
    });
    let shown = app
        .world()
        .get_resource::<InstructorReport>()
        .unwrap_or_else(|| {
            panic!(
                "no report: {:?}",
                app.world().resource::<InstructorProblem>().0
            )
        });
    let report = &shown.report;
    assert_eq!(report.runs.len(), 4);
    assert_eq!(report.trainees.len(), 4, "three trainees and the room");
    assert!(report.includes_group_votes);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.source.ends_with("notes.json"))
    );
    let first = report
        .decisions
        .iter()
        .find(|d| d.node == room_node)
        .expect("the first decision is in where the class went");
    assert_eq!(
        first.reached,
        14 + 3,
        "the room's 14 votes and three trainees"
    );
    let room_share = first
        .replies
        .iter()
        .find(|r| r.choice == room_reply)
        .unwrap();
    assert!(room_share.chosen >= 9, "{room_share:?}");

    app.world_mut().write_message(InstructorAction::WriteHtml);
    app.update();
    let written = app.world().resource::<InstructorReport>().written.clone();
    let path = written.expect("written").expect("no error");
    assert_eq!(path, results_dir.join(HTML_FILE));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("<svg") && html.contains("T-03") && html.contains("Tuesday seminar"));

    // A folder that is not there is said so, and the report shown stays.
    app.world_mut().write_message(InstructorAction::Open {
        folder: results_dir.join("missing"),
    });
    app.update();
    let problem = app
        .world()
        .resource::<InstructorProblem>()
        .0
        .clone()
        .unwrap();
    assert!(problem.contains("is not a folder"), "{problem}");
    assert_eq!(
        app.world().resource::<InstructorReport>().report.runs.len(),
        4
    );
    send(&mut app, Action::ToLibrary);
    assert_eq!(screen(&app), Screen::Library);
}

/// An exercise file in a scratch folder that plays the shipped grief scenario, with `settings`
/// (e.g. `hints: false, attempts: 1,`) in place of the template's hints and attempts.
fn exercise_file(name: &str, settings: &str) -> std::path::PathBuf {
    let dir = scratch_dir(name);
    let file = dir.join("week-3.exercise.ron");
    let text = attune_class::exercise::template("Week 3", &shipped(GRIEF).display().to_string())
        .replace("seed: Shared(2026)", "seed: Shared(7)")
        .replace("hints: true,", "")
        .replace("attempts: 2,", settings);
    std::fs::write(&file, text).unwrap();
    file
}

fn exercise_app(name: &str, file: &Path, trainee: Option<String>) -> (App, std::path::PathBuf) {
    // Not `name`: its scratch folder holds the exercise.
    let scenarios = scenario_dir(
        &format!("{name}-app"),
        &[(GRIEF, shipped(GRIEF).leak() as &Path)],
    );
    let app_results = scratch_dir(&format!("{name}-app-results"));
    let mut app = headless_app(&scenarios, &app_results);
    attune::app::class::exercise::open_at_start(&mut app, file, trainee);
    app.update();
    app.update();
    (app, app_results)
}

fn exercise_mode(app: &App) -> &ExerciseMode {
    app.world().resource::<ExerciseMode>()
}

fn start_as(app: &mut App, trainee: &str) {
    app.world_mut().write_message(ExerciseAction::Start {
        trainee: trainee.into(),
    });
    app.update();
    app.update();
}

#[test]
fn an_exercise_asks_the_trainee_once_then_plays_its_scenario_with_its_settings_into_its_folder() {
    let file = exercise_file("exercise-app", "hints: false, attempts: 1,");
    let (mut app, app_results) = exercise_app("exercise-app", &file, None);
    assert_eq!(screen(&app), Screen::Exercise, "the trainee id first");

    start_as(&mut app, "   ");
    assert_eq!(screen(&app), Screen::Exercise);
    let notice = exercise_mode(&app).notice.clone().unwrap();
    assert!(notice.contains("it is empty"), "{notice}");
    start_as(&mut app, " T-07 ");
    assert_eq!(screen(&app), Screen::Library);
    assert_eq!(exercise_mode(&app).trainee.as_deref(), Some("T-07"));
    assert_eq!(exercise_mode(&app).saved, vec![0]);

    // Only the exercise's scenarios open, by their path; a scenario of the app's library does not.
    send(&mut app, Action::Open { file: GRIEF.into() });
    assert_eq!(screen(&app), Screen::Library);
    let scenario = exercise_mode(&app).exercise.as_ref().unwrap().scenarios[0]
        .path
        .display()
        .to_string();
    send(
        &mut app,
        Action::Open {
            file: scenario.clone(),
        },
    );
    assert_eq!(screen(&app), Screen::Briefing);
    send(&mut app, Action::Begin);
    assert_eq!(screen(&app), Screen::Session);
    let session = &app.world().resource::<ActiveSession>().session;
    assert_eq!(session.mode(), Mode::Practice);
    assert_eq!(session.seed(), 7, "the exercise's shared seed");

    send(&mut app, Action::Hint);
    assert_eq!(
        app.world().resource::<ActiveSession>().hint.as_deref(),
        Some("Hints are off in this exercise.")
    );
    let mut steps = 0;
    while screen(&app) == Screen::Session {
        steps += 1;
        assert!(steps < 200, "the session should end");
        if *app.world().resource::<State<SessionPhase>>().get() == SessionPhase::Feedback {
            send(&mut app, Action::Continue);
        } else {
            send(&mut app, Action::Choose(1));
        }
    }
    assert_eq!(screen(&app), Screen::Debrief);

    // Saved in the exercise's folder, named as the terminal names it, with the exercise.
    let folder = file.parent().unwrap().join("results");
    let saved = results::list(&folder).unwrap();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0].file_name().unwrap().to_str().unwrap().to_owned();
    let result = results::load(&saved[0]).unwrap();
    assert_eq!(name, result.file_name());
    assert!(name.starts_with("grief-eleven-weeks_t-07_"), "{name}");
    assert_eq!(result.trainee.as_str(), "T-07");
    assert_eq!(result.seed, 7);
    assert_eq!(result.exercise.as_ref().unwrap().id, "week-3");
    assert_eq!(result.exercise.as_ref().unwrap().title, "Week 3");
    assert_eq!(result.scenario.path.as_deref(), Some(scenario.as_str()));
    assert!(results::list(&app_results).unwrap().is_empty());

    // One attempt allowed: play again leads back to the library, where it is used up.
    send(&mut app, Action::PlayAgain { same_seed: true });
    assert_eq!(screen(&app), Screen::Library);
    assert_eq!(exercise_mode(&app).saved, vec![1]);
    send(&mut app, Action::Open { file: scenario });
    assert_eq!(screen(&app), Screen::Library, "no attempts left");
}

#[test]
fn an_exercise_with_errors_shows_them_instead_of_starting() {
    let file = exercise_file("exercise-app-errors", "attempts: 0,");
    let (mut app, _) = exercise_app("exercise-app-errors", &file, Some("T-07".into()));
    assert_eq!(screen(&app), Screen::Exercise);
    let mode = exercise_mode(&app);
    assert!(mode.exercise.is_none());
    assert_eq!(mode.problems.len(), 1, "{:?}", mode.problems);
    let problem = &mode.problems[0];
    assert!(problem.contains("× no attempts allowed"), "{problem}");
    assert!(
        problem.contains("week-3.exercise.ron:20:15"),
        "line and column: {problem}"
    );
    start_as(&mut app, "T-07");
    assert_eq!(screen(&app), Screen::Exercise, "it never starts");
}
