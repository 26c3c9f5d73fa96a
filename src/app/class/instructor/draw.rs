//! The instructor view's system: the folder bar at the top, the report below, scrolling.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::views::{BarAction, LrsFields, folder_bar, lrs_bar, report_view};
use super::{InstructorAction, InstructorProblem, InstructorReport, LrsReading};
use crate::app::AppPaths;
use crate::app::screens::{Action, Screen};
use crate::app::settings::SettingsOpen;
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_instructor.run_if(in_state(Screen::Instructor)),
    );
}

fn draw_instructor(
    mut contexts: EguiContexts,
    shown: Option<Res<InstructorReport>>,
    problem: Option<Res<InstructorProblem>>,
    paths: Res<AppPaths>,
    mut folder: Local<Option<String>>,
    mut lrs: Local<LrsFields>,
    reading: Option<Res<LrsReading>>,
    mut actions: MessageWriter<InstructorAction>,
    mut screen_actions: MessageWriter<Action>,
    mut settings_open: ResMut<SettingsOpen>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    // The field starts at the folder shown, else where this app saves results.
    let folder = folder.get_or_insert_with(|| {
        shown
            .as_ref()
            .map_or(&paths.results, |s| &s.folder)
            .display()
            .to_string()
    });
    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, Screen::Instructor.title(), &mut settings_open.0);
    egui::Panel::top("instructor-folder").show(&mut root, |ui| {
        ui.add_space(6.0);
        let written = shown.as_ref().and_then(|s| s.written.as_ref());
        // Both rows are drawn every frame; at most one is clicked.
        let from_folder = folder_bar(ui, folder, shown.is_some(), written);
        let from_lrs = lrs_bar(ui, &mut lrs, reading.is_some());
        let asked = from_folder.or(from_lrs);
        match asked {
            Some(BarAction::OpenLrs {
                endpoint,
                user,
                password_file,
            }) => {
                actions.write(InstructorAction::OpenLrs {
                    endpoint,
                    user,
                    password_file,
                });
            }
            Some(BarAction::Open(path)) => {
                actions.write(InstructorAction::Open { folder: path });
            }
            Some(BarAction::WriteHtml) => {
                actions.write(InstructorAction::WriteHtml);
            }
            Some(BarAction::Back) => {
                screen_actions.write(Action::ToLibrary);
            }
            None => {}
        }
        if let Some(problem) = problem.as_ref().and_then(|p| p.0.as_ref()) {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("instructor-scroll")
            .show(ui, |ui| match &shown {
                Some(shown) => {
                    ui.label(
                        egui::RichText::new(format!("From {}", shown.source))
                            .small()
                            .weak(),
                    );
                    report_view(ui, &shown.report);
                }
                None => {
                    ui.add_space(12.0);
                    ui.label("Open the folder your trainees' results were saved in to see the class report.");
                }
            });
    });
    Ok(())
}
