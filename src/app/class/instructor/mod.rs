//! The instructor view: a results folder read into the class report (`attune_class`), shown as
//! charts and tables, with a button that writes the same report as a self-contained HTML page.
//! The report is built by the classroom crate, as for `attune report`; this module only reads
//! the folder, keeps the report and writes the page. [`views`] draws it.

mod draw;
pub mod views;

use std::path::{Path, PathBuf};

use attune_class::report::{ClassReport, Inputs};
use bevy::prelude::*;

use crate::app::AppPaths;
use crate::app::screens::{Action, Screen};

pub(super) fn plugin(app: &mut App) {
    // The screen changes read `Action`s in every state (and check the state themselves), so a
    // message sent just before they start is never taken for a new one.
    app.add_message::<InstructorAction>()
        .add_systems(Update, (open_instructor, leave_instructor))
        .add_systems(
            Update,
            apply_instructor_actions.run_if(in_state(Screen::Instructor)),
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
    /// Write the report as HTML into the folder shown.
    WriteHtml,
}

/// The report shown, and the folder it was read from.
#[derive(Resource, Debug)]
pub struct InstructorReport {
    pub folder: PathBuf,
    pub report: ClassReport,
    /// Where the HTML report was written, or why it could not be.
    pub written: Option<Result<PathBuf, String>>,
}

/// Why a folder could not be opened, shown in place of a report.
#[derive(Resource, Debug, Default)]
pub struct InstructorProblem(pub Option<String>);

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
    paths: Res<AppPaths>,
) {
    let mut shown = shown;
    for action in actions.read() {
        match action {
            InstructorAction::Open { folder } => match read_report(folder, &paths.scenarios) {
                Ok(report) => {
                    commands.insert_resource(InstructorReport {
                        folder: folder.clone(),
                        report,
                        written: None,
                    });
                    commands.insert_resource(InstructorProblem(None));
                }
                Err(problem) => commands.insert_resource(InstructorProblem(Some(problem))),
            },
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
