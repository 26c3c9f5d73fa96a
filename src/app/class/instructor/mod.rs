//! The instructor view: a results folder, or the statements an LRS holds, read into the class
//! report (`attune_class`), shown as charts and tables, with a button that writes the same
//! report as a self-contained HTML page. The report is built by the classroom crate, as for
//! `attune report` and `attune report --from-lrs`; this module only asks for it (an LRS off the
//! UI thread: it may page through many statements, or wait on retries), keeps it and writes the
//! page. [`views`] draws it.

mod draw;
pub mod views;

use std::path::{Path, PathBuf};

use attune_class::lrs::{Client, Credentials};
use attune_class::report::{ClassReport, Inputs};
use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};

use crate::app::AppPaths;
use crate::app::screens::{Action, Screen};

pub(super) fn plugin(app: &mut App) {
    // The screen changes read `Action`s in every state (and check the state themselves), so a
    // message sent just before they start is never taken for a new one.
    app.add_message::<InstructorAction>()
        .add_systems(Update, (open_instructor, leave_instructor))
        .add_systems(
            Update,
            (apply_instructor_actions, take_lrs_report)
                .chain()
                .run_if(in_state(Screen::Instructor)),
        );
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins(draw::plugin);
}

/// Opens the app on the instructor view of `folder` (`attune app --instructor DIR`).
pub fn open_at_start(app: &mut App, folder: PathBuf) {
    app.add_systems(
        Startup,
        move |mut next: ResMut<NextState<Screen>>, mut actions: MessageWriter<InstructorAction>| {
            next.set(Screen::Instructor);
            actions.write(InstructorAction::Open {
                folder: folder.clone(),
            });
        },
    );
}

/// The name of the page the "Write the HTML report" button writes, in the folder shown.
pub const HTML_FILE: &str = "report.html";

#[derive(Message, Debug, Clone, PartialEq)]
pub enum InstructorAction {
    /// Read this results folder (with the app's scenarios, for reply texts and feedback).
    Open { folder: PathBuf },
    /// Read the statements an xAPI LRS holds (as `attune report --from-lrs`), with the user
    /// and the password on the first line of `password_file` when both are given.
    OpenLrs {
        endpoint: String,
        user: Option<String>,
        password_file: Option<PathBuf>,
    },
    /// Write the report as HTML into the folder shown.
    WriteHtml,
}

/// The report shown, and where it was read from.
#[derive(Resource, Debug)]
pub struct InstructorReport {
    /// Where "Write the HTML report" writes: the folder read, or for an LRS the app's results
    /// folder.
    pub folder: PathBuf,
    /// What the report was read from, as shown: the folder, or `the LRS at URL`.
    pub source: String,
    pub report: ClassReport,
    /// Where the HTML report was written, or why it could not be.
    pub written: Option<Result<PathBuf, String>>,
}

/// Why a folder could not be opened, shown in place of a report.
#[derive(Resource, Debug, Default)]
pub struct InstructorProblem(pub Option<String>);

/// A report being read from an LRS, off the UI thread.
#[derive(Resource)]
pub struct LrsReading {
    pub endpoint: String,
    task: Task<Result<ClassReport, String>>,
}

fn open_instructor(
    mut actions: MessageReader<Action>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    for action in actions.read() {
        if *action == Action::OpenInstructor && *screen.get() == Screen::Library {
            next.set(Screen::Instructor);
        }
    }
}

fn leave_instructor(
    mut actions: MessageReader<Action>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    for action in actions.read() {
        if *action == Action::ToLibrary && *screen.get() == Screen::Instructor {
            next.set(Screen::Library);
        }
    }
}

fn apply_instructor_actions(
    mut commands: Commands,
    mut actions: MessageReader<InstructorAction>,
    shown: Option<ResMut<InstructorReport>>,
    reading: Option<Res<LrsReading>>,
    paths: Res<AppPaths>,
) {
    let mut shown = shown;
    for action in actions.read() {
        match action {
            InstructorAction::Open { folder } => match read_report(folder, &paths.scenarios) {
                Ok(report) => {
                    commands.insert_resource(InstructorReport {
                        folder: folder.clone(),
                        source: folder.display().to_string(),
                        report,
                        written: None,
                    });
                    commands.insert_resource(InstructorProblem(None));
                }
                Err(problem) => commands.insert_resource(InstructorProblem(Some(problem))),
            },
            InstructorAction::OpenLrs { .. } if reading.is_some() => {}
            InstructorAction::OpenLrs {
                endpoint,
                user,
                password_file,
            } => {
                match start_lrs_reading(endpoint, user.as_deref(), password_file.as_deref(), &paths)
                {
                    Ok(reading) => {
                        commands.insert_resource(reading);
                        commands.insert_resource(InstructorProblem(None));
                    }
                    Err(problem) => commands.insert_resource(InstructorProblem(Some(problem))),
                }
            }
            InstructorAction::WriteHtml => {
                let Some(shown) = shown.as_mut() else {
                    continue;
                };
                let path = shown.folder.join(HTML_FILE);
                let html = attune_class::html::render(&shown.report);
                shown.written = Some(
                    attune_core::save::replace(&path, html.as_bytes())
                        .map(|()| path.clone())
                        .map_err(|err| {
                            format!(
                                "The report could not be written to {}: {err}. Is the folder read-only, or the disk full?",
                                path.display()
                            )
                        }),
                );
            }
        }
    }
}

/// Checks the endpoint and reads the credentials here (quick, and their problems are the
/// instructor's to fix), then reads the LRS on a worker thread.
fn start_lrs_reading(
    endpoint: &str,
    user: Option<&str>,
    password_file: Option<&Path>,
    paths: &AppPaths,
) -> Result<LrsReading, String> {
    let endpoint = endpoint.trim().to_owned();
    if !attune_class::exercise::is_http_url(&endpoint) {
        return Err(format!(
            "`{endpoint}` is not an LRS endpoint: give its http or https URL, e.g. https://lrs.example.edu/xAPI/"
        ));
    }
    let credentials = match (user, password_file) {
        (Some(user), Some(file)) => Some(Credentials::from_password_file(user, file)?),
        (None, None) => None,
        _ => {
            return Err("Give both the LRS user and the password file, or neither.".to_owned());
        }
    };
    let client = Client::new(&endpoint, credentials);
    // The app's scenarios give reply texts and feedback, as for a folder.
    let scenarios: Vec<PathBuf> = paths
        .scenarios
        .is_dir()
        .then(|| paths.scenarios.clone())
        .into_iter()
        .collect();
    let task = AsyncComputeTaskPool::get().spawn(async move {
        Inputs::from_lrs(&client, &scenarios)
            .map(|inputs| ClassReport::build(&inputs))
            .map_err(|err| format!("The LRS could not be read: {err}"))
    });
    Ok(LrsReading { endpoint, task })
}

/// Shows the LRS's report once its worker has it.
fn take_lrs_report(
    mut commands: Commands,
    reading: Option<ResMut<LrsReading>>,
    paths: Res<AppPaths>,
) {
    let Some(mut reading) = reading else {
        return;
    };
    let Some(done) = block_on(future::poll_once(&mut reading.task)) else {
        return;
    };
    commands.remove_resource::<LrsReading>();
    match done {
        Ok(report) => {
            commands.insert_resource(InstructorReport {
                folder: paths.results.clone(),
                source: format!("the LRS at {}", reading.endpoint),
                report,
                written: None,
            });
            commands.insert_resource(InstructorProblem(None));
        }
        Err(problem) => commands.insert_resource(InstructorProblem(Some(problem))),
    }
}

/// The class report of the results in `folder`. Only a folder that cannot be read at all is
/// an error; damaged or foreign files are listed in the report's problems.
fn read_report(folder: &Path, scenarios: &Path) -> Result<ClassReport, String> {
    if !folder.is_dir() {
        return Err(format!(
            "{} is not a folder. Give the folder the results were saved in.",
            folder.display()
        ));
    }
    let mut paths = vec![folder.to_owned()];
    if scenarios.is_dir() && scenarios != folder {
        paths.push(scenarios.to_owned());
    }
    let inputs = Inputs::read(&paths, &mut |_, _| {});
    Ok(ClassReport::build(&inputs))
}
