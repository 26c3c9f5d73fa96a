//! Headless tests of the app's logic: the app's own `AppPlugin` without a window, driven by the
//! same `Action` messages the views send.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use attune::app::results_folder::ResultsFolder;
use attune::app::scenarios::Library;
use attune::app::screens::{Action, ActiveSession, FinishedRun, Screen, SessionPhase};
use attune::app::{AppPaths, AppPlugin, Display};
use attune_core::engine::{Mode, Status};
use attune_core::results;
use bevy::prelude::*;

use crate::support::{repo_root, scratch_dir};

pub(crate) fn scenario_dir(name: &str, files: &[(&str, &Path)]) -> PathBuf {
    let dir = scratch_dir(name).join("scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    for (file, from) in files {
        std::fs::copy(from, dir.join(file)).unwrap();
    }
    dir
}

pub(crate) fn shipped(file: &str) -> PathBuf {
    repo_root().join("scenarios").join(file)
}

pub(crate) fn headless_app(scenarios: &Path, results: &Path) -> App {
    let paths = AppPaths::new(
        scenarios.to_owned(),
        repo_root().join("assets"),
        results.to_owned(),
        None,
    );
    let mut app = App::new();
    app.add_plugins(AppPlugin {
        paths,
        display: Display::Headless,
    });
    app
}

pub(crate) fn update_until(app: &mut App, what: &str, mut done: impl FnMut(&mut App) -> bool) {
    let start = Instant::now();
    while !done(app) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub(crate) fn send(app: &mut App, action: Action) {
    app.world_mut().write_message(action);
    // One update to read the action, one for the state transition it asked for.
    app.update();
    app.update();
}

pub(crate) fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

pub(crate) fn library_ready(app: &mut App) -> bool {
    let library = app.world().resource::<Library>();
    !library.entries.is_empty() && library.is_ready()
}

#[test]
fn library_to_briefing_to_session_to_debrief_saves_the_result() {
    let files = [
        "grief-eleven-weeks.scenario.ron",
        "guarded-teen-referral.scenario.ron",
        "new-country-student.scenario.ron",
    ];
    let scenarios = scenario_dir("app-walk", &files.map(|f| (f, shipped(f).leak() as &Path)));
    let results_dir = scratch_dir("app-walk-results");
    let mut app = headless_app(&scenarios, &results_dir);
    update_until(&mut app, "the library", library_ready);
    {
        let library = app.world().resource::<Library>();
        assert_eq!(library.entries.len(), 3);
        assert!(
            library
                .entries
                .iter()
                .all(|e| e.playable.is_some() && e.problems.is_empty())
        );
    }
    assert_eq!(screen(&app), Screen::Library);

    send(
        &mut app,
        Action::Open {
            file: files[1].into(),
        },
    );
    assert_eq!(screen(&app), Screen::Briefing);
    send(&mut app, Action::Begin);
    assert_eq!(screen(&app), Screen::Session);
    assert_eq!(
        app.world().resource::<ActiveSession>().session.mode(),
        Mode::Practice
    );

    // A hint, a reply taken back, then the best reply each time until the end.
    send(&mut app, Action::Hint);
    assert!(app.world().resource::<ActiveSession>().hint.is_some());
    send(&mut app, Action::Choose(1));
    assert_eq!(
        *app.world().resource::<State<SessionPhase>>().get(),
        SessionPhase::Feedback
    );
    send(&mut app, Action::TakeBack);
    assert_eq!(
        *app.world().resource::<State<SessionPhase>>().get(),
        SessionPhase::Choosing
    );
    let mut steps = 0;
    while screen(&app) == Screen::Session {
        steps += 1;
        assert!(steps < 200, "the session should end");
        if *app.world().resource::<State<SessionPhase>>().get() == SessionPhase::Feedback {
            send(&mut app, Action::Continue);
            continue;
        }
        let session = &app.world().resource::<ActiveSession>().session;
        assert_eq!(session.status(), Status::AwaitingChoice);
        let best = session
            .offered()
            .enumerate()
            .max_by_key(|(_, c)| c.scores.values().iter().sum::<i32>())
            .unwrap()
            .0;
        send(&mut app, Action::Choose(best + 1));
    }
    assert_eq!(screen(&app), Screen::Debrief);
    let run = app.world().resource::<FinishedRun>();
    let saved = run.saved.as_ref().expect("the result was saved");
    assert!(saved.starts_with(&results_dir));
    let result = results::load(saved).unwrap();
    assert_eq!(result.scenario.id.as_str(), "guarded-teen-referral");
    assert_eq!(result.status, results::RunStatus::Completed);
    assert!(result.decisions.iter().any(|d| d.taken_back));
    assert_eq!(result.hints_used, 1);
    assert_eq!(format!("{:?}", result.ending.unwrap().outcome), "Engaged");

    // Play again with the same seed goes straight back into a session.
    let seed = result.seed;
    send(&mut app, Action::PlayAgain { same_seed: true });
    assert_eq!(screen(&app), Screen::Session);
    assert_eq!(app.world().resource::<ActiveSession>().session.seed(), seed);
    // Leaving mid-way saves an abandoned run.
    send(&mut app, Action::Choose(1));
    send(&mut app, Action::Leave);
    assert_eq!(screen(&app), Screen::Debrief);
    let saved = app.world().resource::<FinishedRun>().saved.clone().unwrap();
    assert_eq!(
        results::load(&saved).unwrap().status,
        results::RunStatus::Abandoned
    );
    send(&mut app, Action::ToLibrary);
    assert_eq!(screen(&app), Screen::Library);
    assert_eq!(results::list(&results_dir).unwrap().len(), 2);
}

#[test]
fn a_broken_file_becomes_an_error_card() {
    let scenarios = scenario_dir(
        "app-broken",
        &[
            (
                "grief-eleven-weeks.scenario.ron",
                &shipped("grief-eleven-weeks.scenario.ron"),
            ),
            (
                "unknown-node.scenario.ron",
                &repo_root().join("tests/broken/unknown-node.scenario.ron"),
            ),
        ],
    );
    let mut app = headless_app(&scenarios, &scratch_dir("app-broken-results"));
    update_until(&mut app, "the library", library_ready);
    let library = app.world().resource::<Library>();
    let broken = library.entry("unknown-node.scenario.ron").unwrap();
    assert!(broken.playable.is_none());
    assert!(broken.has_errors());
    let headline = &broken.problems[0].headline;
    assert!(headline.ends_with("unknown-node.scenario.ron:75:27: error[unknown-node]: there is no node or ending with the id `haerd`"), "{headline}");
    assert!(broken.problems[0].detail.contains("did you mean `heard`?"));
    assert!(
        library
            .entry("grief-eleven-weeks.scenario.ron")
            .unwrap()
            .playable
            .is_some()
    );
    // Opening a broken scenario does nothing.
    send(
        &mut app,
        Action::Open {
            file: "unknown-node.scenario.ron".into(),
        },
    );
    assert_eq!(screen(&app), Screen::Library);
}

fn title_of(app: &App, file: &str) -> Option<String> {
    let library = app.world().resource::<Library>();
    library
        .entry(file)?
        .playable
        .as_ref()
        .map(|p| p.scenario().title.value.clone())
}

#[test]
fn editing_a_scenario_on_disk_updates_the_library_and_the_session() {
    let file = "grief-eleven-weeks.scenario.ron";
    let scenarios = scenario_dir("app-hot-reload", &[(file, &shipped(file))]);
    let path = scenarios.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut app = headless_app(&scenarios, &scratch_dir("app-hot-reload-results"));
    update_until(&mut app, "the library", library_ready);
    assert_eq!(title_of(&app, file).as_deref(), Some("Eleven weeks"));

    // Start a session, then change the file underneath it.
    send(&mut app, Action::Open { file: file.into() });
    send(&mut app, Action::Begin);
    send(&mut app, Action::Choose(1));
    send(&mut app, Action::Continue);
    let node_before = app
        .world()
        .resource::<ActiveSession>()
        .session
        .node()
        .unwrap()
        .id
        .value
        .clone();

    std::fs::write(
        &path,
        original.replacen(
            "title: \"Eleven weeks\"",
            "title: \"Eleven weeks (revised)\"",
            1,
        ),
    )
    .unwrap();
    update_until(&mut app, "the edited title", |app| {
        title_of(app, file).as_deref() == Some("Eleven weeks (revised)")
    });
    update_until(&mut app, "the reload offer", |app| {
        app.world().resource::<ActiveSession>().reload_available
    });
    send(&mut app, Action::TakeReload { resume: true });
    let active = app.world().resource::<ActiveSession>();
    assert!(!active.reload_available);
    assert_eq!(
        active.session.playable().scenario().title.value,
        "Eleven weeks (revised)"
    );
    assert_eq!(
        active.session.node().unwrap().id.value,
        node_before,
        "resumed at the same node"
    );

    // A new file saved into the folder joins the library.
    std::fs::copy(
        shipped("new-country-student.scenario.ron"),
        scenarios.join("new-country-student.scenario.ron"),
    )
    .unwrap();
    update_until(&mut app, "the new file", |app| {
        title_of(app, "new-country-student.scenario.ron").is_some()
    });

    // A broken edit shows its diagnostics and keeps the last good version playable.
    std::fs::write(
        &path,
        original.replacen("start: \"opening\"", "start: \"openin\"", 1),
    )
    .unwrap();
    update_until(&mut app, "the diagnostics", |app| {
        app.world()
            .resource::<Library>()
            .entry(file)
            .unwrap()
            .has_errors()
    });
    let entry = app.world().resource::<Library>().entry(file).unwrap();
    assert!(
        entry.problems[0].headline.contains("error[unknown-node]"),
        "{:?}",
        entry.problems
    );
    assert_eq!(
        title_of(&app, file).as_deref(),
        Some("Eleven weeks (revised)")
    );
}

#[test]
fn settings_are_saved_and_read_back() {
    use attune::app::settings::{Settings, Theme};
    let dir = scratch_dir("app-settings");
    let settings_file = dir.join("config/settings.ron");
    let scenarios = scenario_dir(
        "app-settings-scenarios",
        &[(
            "grief-eleven-weeks.scenario.ron",
            &shipped("grief-eleven-weeks.scenario.ron"),
        )],
    );
    let make = || {
        let paths = AppPaths::new(
            scenarios.clone(),
            repo_root().join("assets"),
            dir.join("results"),
            Some(settings_file.clone()),
        );
        let mut app = App::new();
        app.add_plugins(AppPlugin {
            paths,
            display: Display::Headless,
        });
        app.update();
        app
    };
    let mut app = make();
    assert_eq!(*app.world().resource::<Settings>(), Settings::default());
    {
        let mut settings = app.world_mut().resource_mut::<Settings>();
        settings.text_scale = 1.4;
        settings.theme = Theme::HighContrast;
        settings.reduced_motion = true;
        settings.trainee = "T-07".into();
    }
    app.update();
    assert!(settings_file.is_file(), "the settings file is written");
    let expected = app.world().resource::<Settings>().clone();
    drop(app);

    let app = make();
    assert_eq!(*app.world().resource::<Settings>(), expected);

    // A damaged file falls back to the defaults rather than stopping the app.
    std::fs::write(&settings_file, "(text_scale: \"big\"").unwrap();
    let app = make();
    assert_eq!(*app.world().resource::<Settings>(), Settings::default());
}

/// "No lost results": the library says when its results folder cannot be written, before any
/// session is played (a file stands where the folder should be, which even root cannot write).
#[test]
fn the_library_says_when_results_cannot_be_saved() {
    let tom = shipped("grief-eleven-weeks.scenario.ron");
    let scenarios = scenario_dir(
        "app-unwritable",
        &[("grief-eleven-weeks.scenario.ron", tom.as_path())],
    );
    let blocker = scratch_dir("app-unwritable-results").join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    let mut app = headless_app(&scenarios, &blocker.join("results"));
    update_until(&mut app, "the results folder check", |app| {
        app.world().resource::<ResultsFolder>().problem.is_some()
    });
    let problem = app.world().resource::<ResultsFolder>().problem.clone();
    assert!(
        problem
            .as_deref()
            .is_some_and(|p| p.starts_with("Results cannot be saved in")),
        "{problem:?}"
    );
}

mod author {
    //! Author mode, headless: the same `AuthorAction` messages its views send.

    use attune::app::author::{AuthorAction, AuthorMode, AuthorSession};

    use super::*;

    fn author(app: &mut App, action: AuthorAction) {
        app.world_mut().write_message(action);
        app.update();
        app.update();
    }

    fn session(app: &App) -> &attune_core::engine::Session {
        &app.world().resource::<ActiveSession>().session
    }

    fn node_id(app: &App) -> String {
        session(app).node().unwrap().id.as_str().to_owned()
    }

    fn offered(app: &App) -> Vec<String> {
        session(app)
            .offered_ids()
            .map(|id| id.as_str().to_owned())
            .collect()
    }

    /// Tom's scenario in a folder of its own, the app in a practice session at its start.
    fn in_session(name: &str) -> (App, PathBuf) {
        let file = "grief-eleven-weeks.scenario.ron";
        let scenarios = scenario_dir(name, &[(file, &shipped(file))]);
        let mut app = headless_app(&scenarios, &scratch_dir(&format!("{name}-results")));
        update_until(&mut app, "the library", library_ready);
        send(&mut app, Action::Open { file: file.into() });
        send(&mut app, Action::Begin);
        assert_eq!(screen(&app), Screen::Session);
        (app, scenarios.join(file))
    }

    #[test]
    fn author_mode_toggles_and_stays_off_in_assessment() {
        let (mut app, _) = in_session("author-toggle");
        assert!(
            !app.world().resource::<AuthorMode>().enabled,
            "off for trainees"
        );
        // Off: author actions do nothing.
        author(
            &mut app,
            AuthorAction::JumpTo {
                node: "evenings".into(),
            },
        );
        assert_eq!(node_id(&app), "opening");
        author(&mut app, AuthorAction::Toggle);
        assert!(app.world().resource::<AuthorMode>().enabled);
        assert!(
            app.world()
                .resource::<attune::app::settings::Settings>()
                .author_mode,
            "the switch is the one in the settings"
        );
        author(&mut app, AuthorAction::ToggleMap);
        assert!(app.world().resource::<AuthorSession>().map_open);
        author(&mut app, AuthorAction::Toggle);
        assert!(!app.world().resource::<AuthorMode>().enabled);

        // In assessment mode author mode shows nothing and jumps nowhere, even when on.
        let file = "grief-eleven-weeks.scenario.ron";
        let scenarios = scenario_dir("author-assessment", &[(file, &shipped(file))]);
        let mut app = headless_app(&scenarios, &scratch_dir("author-assessment-results"));
        update_until(&mut app, "the library", library_ready);
        author(&mut app, AuthorAction::Toggle);
        app.world_mut()
            .resource_mut::<attune::app::screens::Selection>()
            .mode = Mode::Assessment;
        send(&mut app, Action::Open { file: file.into() });
        send(&mut app, Action::Begin);
        assert_eq!(screen(&app), Screen::Session);
        assert_eq!(session(&app).mode(), Mode::Assessment);
        let mode = *app.world().resource::<AuthorMode>();
        assert!(mode.enabled);
        assert!(!mode.shows_for(Some(app.world().resource::<ActiveSession>())));
        author(
            &mut app,
            AuthorAction::JumpTo {
                node: "evenings".into(),
            },
        );
        assert_eq!(node_id(&app), "opening");
    }

    /// `attune app --author` starts with author mode on, whatever the settings say.
    #[test]
    fn the_author_flag_turns_author_mode_on_at_start() {
        let file = "grief-eleven-weeks.scenario.ron";
        let scenarios = scenario_dir("author-flag", &[(file, &shipped(file))]);
        let mut app = headless_app(&scenarios, &scratch_dir("author-flag-results"));
        app.insert_resource(attune::app::author::StartInAuthorMode);
        app.update();
        assert!(app.world().resource::<AuthorMode>().enabled);
        assert!(
            !app.world()
                .resource::<attune::app::settings::Settings>()
                .author_mode,
            "the saved setting is left as it was"
        );
    }

    #[test]
    fn a_jump_starts_the_node_and_a_wrong_one_says_why() {
        let (mut app, _) = in_session("author-jump");
        author(&mut app, AuthorAction::Toggle);
        send(&mut app, Action::Choose(1));
        author(
            &mut app,
            AuthorAction::JumpTo {
                node: "evenings".into(),
            },
        );
        assert_eq!(node_id(&app), "evenings");
        assert_eq!(
            *app.world().resource::<State<SessionPhase>>().get(),
            SessionPhase::Choosing
        );
        assert!(session(&app).decisions().is_empty());
        // A branch cannot be started at: the same message as `attune play --from`.
        author(
            &mut app,
            AuthorAction::JumpTo {
                node: "after-better-place".into(),
            },
        );
        assert_eq!(node_id(&app), "evenings", "the session stays where it was");
        let message = app.world().resource::<AuthorSession>().message.clone();
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.contains("is a branch")),
            "{message:?}"
        );
    }

    #[test]
    fn setting_a_flag_and_jumping_offers_the_conditional_reply() {
        let (mut app, _) = in_session("author-state");
        author(&mut app, AuthorAction::Toggle);
        author(
            &mut app,
            AuthorAction::JumpTo {
                node: "relief".into(),
            },
        );
        assert_eq!(node_id(&app), "relief");
        assert!(!offered(&app).contains(&"relief.both-true".to_owned()));
        author(
            &mut app,
            AuthorAction::SetFlag {
                name: "anger_heard".into(),
                on: true,
            },
        );
        author(
            &mut app,
            AuthorAction::SetVariable {
                name: "trust".into(),
                value: 7,
            },
        );
        let draft = app.world().resource::<AuthorSession>().draft.clone();
        assert!(draft.flags.contains(&("anger_heard".to_owned(), true)));
        author(
            &mut app,
            AuthorAction::JumpTo {
                node: "relief".into(),
            },
        );
        assert!(
            offered(&app).contains(&"relief.both-true".to_owned()),
            "{:?}",
            offered(&app)
        );
        assert_eq!(session(&app).variable("trust"), Some(7));
    }

    #[test]
    fn a_saved_edit_replays_the_path_and_a_broken_one_keeps_the_last_good_version() {
        let (mut app, path) = in_session("author-follow");
        let original = std::fs::read_to_string(&path).unwrap();
        author(&mut app, AuthorAction::Toggle);
        // Two replies, chosen by id.
        for id in ["opening.reflect-reluctance", "managing.sleep"] {
            let position = offered(&app).iter().position(|o| o == id).unwrap();
            send(&mut app, Action::Choose(position + 1));
            send(&mut app, Action::Continue);
        }
        let there = node_id(&app);

        // An edit elsewhere: the path is replayed and the session carries on at the same node.
        std::fs::write(
            &path,
            original.replacen("title: \"Eleven weeks\"", "title: \"Eleven weeks (v2)\"", 1),
        )
        .unwrap();
        update_until(&mut app, "the replayed session", |app| {
            session(app).playable().scenario().title.value == "Eleven weeks (v2)"
        });
        assert_eq!(node_id(&app), there);
        assert_eq!(session(&app).decisions().len(), 2);
        assert!(!app.world().resource::<ActiveSession>().reload_available);
        let message = app
            .world()
            .resource::<AuthorSession>()
            .message
            .clone()
            .unwrap();
        assert!(message.contains("2 of 2 replies replayed"), "{message}");

        // A broken edit: its errors are shown and the last good version stays.
        std::fs::write(
            &path,
            original.replacen("start: \"opening\"", "start: \"openin\"", 1),
        )
        .unwrap();
        update_until(&mut app, "the errors", |app| {
            !app.world().resource::<AuthorSession>().problems.is_empty()
        });
        let problems = app.world().resource::<AuthorSession>().problems.clone();
        assert!(
            problems[0].contains("unknown-node") && problems[0].contains("`openin`"),
            "{problems:?}"
        );
        assert_eq!(
            session(&app).playable().scenario().title.value,
            "Eleven weeks (v2)"
        );
        assert_eq!(node_id(&app), there);

        // An edit that removes the second reply: the path breaks there, and says so.
        std::fs::write(
            &path,
            original.replacen("id: \"managing.sleep\"", "id: \"managing.sleep-well\"", 1),
        )
        .unwrap();
        update_until(&mut app, "the errors to clear", |app| {
            app.world().resource::<AuthorSession>().problems.is_empty()
        });
        update_until(&mut app, "the broken path", |app| {
            app.world()
                .resource::<AuthorSession>()
                .message
                .as_deref()
                .is_some_and(|m| m.contains("breaks"))
        });
        let message = app
            .world()
            .resource::<AuthorSession>()
            .message
            .clone()
            .unwrap();
        assert!(message.contains("decision 2, at `managing`"), "{message}");
        assert_eq!(
            node_id(&app),
            "managing",
            "carrying on at the decision that broke"
        );
        assert_eq!(session(&app).decisions().len(), 1);
    }
}

/// A file saved from another program wakes the app: the watcher sees it without any update
/// running (in the window it wakes the event loop), and the app then asks for frames until the
/// new version is in; idle, it asks for none, so the window stays at rest.
#[test]
fn a_saved_file_wakes_the_app_and_an_idle_app_asks_for_no_frames() {
    use attune::app::wake::Wakeups;
    use bevy::ecs::message::Messages;
    use bevy::window::RequestRedraw;

    let file = "grief-eleven-weeks.scenario.ron";
    let scenarios = scenario_dir("app-wake", &[(file, &shipped(file))]);
    let path = scenarios.join(file);
    let mut app = headless_app(&scenarios, &scratch_dir("app-wake-results"));
    update_until(&mut app, "the library", library_ready);
    let redraws = |app: &mut App| {
        app.update();
        app.world().resource::<Messages<RequestRedraw>>().len()
    };
    // At rest (start-up's changes settled): no frames asked for.
    let rest = Instant::now() + Duration::from_secs(10);
    while redraws(&mut app) > 0 {
        assert!(Instant::now() < rest, "the app never comes to rest");
        std::thread::sleep(Duration::from_millis(50));
    }
    let wakeups = app.world().resource::<Wakeups>().clone();
    let seen = wakeups.changes();

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "title: \"Eleven weeks\"",
            "title: \"Eleven weeks (saved)\"",
            1,
        ),
    )
    .unwrap();
    // No update runs here: only the watcher's thread can notice.
    let deadline = Instant::now() + Duration::from_secs(10);
    while wakeups.changes() == seen {
        assert!(Instant::now() < deadline, "the save woke nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(redraws(&mut app) > 0, "frames are asked for after a save");
    // Every update from here is one the app asked for, until the new version is in.
    update_until(&mut app, "the saved title", |app| {
        assert!(
            !app.world().resource::<Messages<RequestRedraw>>().is_empty()
                || title_of(app, file).as_deref() == Some("Eleven weeks (saved)"),
            "the app stopped asking for frames before the new version was in"
        );
        title_of(app, file).as_deref() == Some("Eleven weeks (saved)")
    });
}
