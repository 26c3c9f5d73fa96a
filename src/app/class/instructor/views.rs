//! The instructor view's drawing: pure functions over the class report. Charts are drawn with
//! the painter (no plotting crate), each with a sentence that says what it shows, so the numbers
//! reach a screen reader and the tests as well as the eye.

use std::path::PathBuf;

use attune_class::report::{ClassReport, DecisionPoint, Pitfall, SkillDistribution};
use attune_core::skills::Skill;
use bevy_egui::egui;

use crate::app::widgets;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarAction {
    Open(PathBuf),
    /// Read an LRS; user and password file only when both are typed.
    OpenLrs {
        endpoint: String,
        user: Option<String>,
        password_file: Option<PathBuf>,
    },
    WriteHtml,
    Back,
}

pub const READ_LRS: &str = "Read the LRS";

/// What the instructor typed to read an LRS. The password itself is never typed here: it is
/// read from a file, as `attune lrs push --password-file` reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LrsFields {
    pub endpoint: String,
    pub user: String,
    pub password_file: String,
}

/// The LRS row: endpoint, user, password file and the button; a spinner while it is read.
pub fn lrs_bar(ui: &mut egui::Ui, fields: &mut LrsFields, reading: bool) -> Option<BarAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Or an LRS:");
        ui.add(
            egui::TextEdit::singleline(&mut fields.endpoint)
                .hint_text("https://lrs.example.edu/xAPI/")
                .desired_width(280.0),
        )
        .labelled_by(label.id);
        let label = ui.label("User:");
        ui.add(egui::TextEdit::singleline(&mut fields.user).desired_width(110.0))
            .labelled_by(label.id);
        let label = ui.label("Password file:");
        ui.add(
            egui::TextEdit::singleline(&mut fields.password_file)
                .hint_text("its first line is the password")
                .desired_width(220.0),
        )
        .labelled_by(label.id);
        if reading {
            ui.spinner();
            ui.label("Reading the LRS…");
        } else if ui
            .add_enabled(
                !fields.endpoint.trim().is_empty(),
                egui::Button::new(READ_LRS),
            )
            .on_hover_text("The same report as `attune report --from-lrs`: every run the LRS holds, from every classroom that sends to it.")
            .clicked()
        {
            let given = |text: &str| Some(text.trim()).filter(|t| !t.is_empty()).map(str::to_owned);
            action = Some(BarAction::OpenLrs {
                endpoint: fields.endpoint.trim().to_owned(),
                user: given(&fields.user),
                password_file: given(&fields.password_file).map(PathBuf::from),
            });
        }
    });
    action
}

pub const OPEN: &str = "Open the folder";
pub const WRITE_HTML: &str = "Write the HTML report";

/// The folder field and the buttons, with what the last "write" did.
pub fn folder_bar(
    ui: &mut egui::Ui,
    folder: &mut String,
    has_report: bool,
    written: Option<&Result<PathBuf, String>>,
) -> Option<BarAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        if ui.button("‹ Library").clicked() {
            action = Some(BarAction::Back);
        }
        let label = ui.label("Results folder:");
        let field = ui
            .add(
                egui::TextEdit::singleline(folder)
                    .hint_text("the folder the trainees' results were saved in")
                    .desired_width(420.0),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button(OPEN).clicked() || enter) && !folder.trim().is_empty() {
            action = Some(BarAction::Open(PathBuf::from(folder.trim())));
        }
        if ui
            .add_enabled(has_report, egui::Button::new(WRITE_HTML))
            .on_hover_text("A self-contained page (charts included) to share or print, written into the folder shown.")
            .clicked()
        {
            action = Some(BarAction::WriteHtml);
        }
    });
    match written {
        Some(Ok(path)) => {
            ui.label(
                egui::RichText::new(format!("Written: {}", path.display()))
                    .color(widgets::positive(ui)),
            );
        }
        Some(Err(err)) => {
            ui.colored_label(ui.visuals().error_fg_color, err);
        }
        None => {}
    }
    action
}

/// The whole report, section by section.
pub fn report_view(ui: &mut egui::Ui, report: &ClassReport) {
    ui.heading(&report.title);
    ui.label(summary_line(report));
    if report.includes_group_votes {
        ui.label(
            egui::RichText::new(
                "Includes facilitated sessions: each room's votes count as that many trainees choosing.",
            )
            .weak(),
        );
    }
    problems(ui, report);
    if report.runs.is_empty() {
        ui.add_space(8.0);
        ui.label("No results in this folder yet.");
        return;
    }

    section(ui, "Skills across the class");
    ui.columns(report.skills.len().max(1), |columns| {
        for (column, skill) in columns.iter_mut().zip(&report.skills) {
            skill_chart(column, skill);
        }
    });

    section(ui, "Trainees");
    trainee_table(ui, report);

    section(ui, "Where the class went");
    ui.label(
        egui::RichText::new(
            "At each decision: how many chose each reply. ★ and green: the strongest reply on offer; red: a reply that scores below zero overall.",
        )
        .weak(),
    );
    for point in &report.decisions {
        decision_point(ui, point);
    }

    section(ui, "Most common pitfalls");
    if report.pitfalls.is_empty() {
        ui.label("No reply that scored below zero was chosen.");
    }
    for pitfall in &report.pitfalls {
        pitfall_row(ui, pitfall, report);
    }

    if !report.progress.is_empty() {
        section(ui, "First and latest attempt");
        progress_table(ui, report);
    }
}

pub fn summary_line(report: &ClassReport) -> String {
    format!(
        "{} from {}; {} reached an ending.",
        count(report.runs.len(), "run"),
        count(report.trainees.len(), "trainee"),
        report.completed()
    )
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(14.0);
    ui.label(egui::RichText::new(title).heading().strong());
    ui.separator();
}

fn problems(ui: &mut egui::Ui, report: &ClassReport) {
    if report.problems.is_empty() {
        return;
    }
    let skipped = report.problems.iter().filter(|p| !p.included).count();
    egui::CollapsingHeader::new(
        egui::RichText::new(format!(
            "{} skipped, {} flagged — see why",
            count(skipped, "file"),
            report.problems.len() - skipped
        ))
        .color(ui.visuals().warn_fg_color),
    )
    .id_salt("report-problems")
    .show(ui, |ui| {
        for p in &report.problems {
            ui.label(format!(
                "{}: {} ({})",
                p.source,
                p.reason,
                if p.included { "included" } else { "skipped" }
            ));
        }
    });
}

/// What a skill's chart shows, in words.
pub fn skill_sentence(d: &SkillDistribution) -> String {
    match (d.mean_percent, d.median_percent) {
        (Some(mean), Some(median)) => format!(
            "{}: {} assessed, mean {mean:.0}%, median {median}%; emerging {}, developing {}, proficient {}.",
            d.skill.label(),
            count(d.assessed, "run"),
            d.emerging,
            d.developing,
            d.proficient
        ),
        _ => format!("{}: not assessed in these runs.", d.skill.label()),
    }
}

/// A skill's distribution as a histogram of runs per tenth of the score.
pub fn skill_chart(ui: &mut egui::Ui, d: &SkillDistribution) {
    ui.label(egui::RichText::new(d.skill.label()).strong());
    let width = ui.available_width().clamp(180.0, 480.0);
    let height = 130.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let font = egui::FontId::proportional(11.0);
    let axis = rect.bottom() - 16.0;
    let top = rect.top() + 16.0;
    painter.line_segment(
        [
            egui::pos2(rect.left(), axis),
            egui::pos2(rect.right(), axis),
        ],
        egui::Stroke::new(1.0, weak),
    );
    let most = d.histogram.iter().copied().max().unwrap_or(0).max(1);
    let slot = width / d.histogram.len() as f32;
    for (tenth, &runs) in d.histogram.iter().enumerate() {
        let x = rect.left() + slot * tenth as f32;
        let bar_height = (axis - top) * runs as f32 / most as f32;
        let bar = egui::Rect::from_min_max(
            egui::pos2(x + 2.0, axis - bar_height),
            egui::pos2(x + slot - 2.0, axis),
        );
        painter.rect_filled(bar, 2.0, ui.visuals().selection.bg_fill);
        if runs > 0 {
            painter.text(
                egui::pos2(bar.center().x, bar.top() - 2.0),
                egui::Align2::CENTER_BOTTOM,
                runs.to_string(),
                font.clone(),
                text,
            );
        }
        if tenth % 2 == 0 {
            painter.text(
                egui::pos2(x, axis + 2.0),
                egui::Align2::LEFT_TOP,
                format!("{}%", tenth * 10),
                font.clone(),
                weak,
            );
        }
    }
    painter.text(
        egui::pos2(rect.right(), axis + 2.0),
        egui::Align2::RIGHT_TOP,
        "100%",
        font,
        weak,
    );
    ui.add(egui::Label::new(egui::RichText::new(skill_sentence(d)).small()).wrap());
}

fn percent(p: Option<u32>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

fn trainee_table(ui: &mut egui::Ui, report: &ClassReport) {
    egui::ScrollArea::horizontal()
        .id_salt("trainee-table")
        .show(ui, |ui| {
            egui::Grid::new("trainees")
                .striped(true)
                .num_columns(4 + Skill::ALL.len())
                .spacing([18.0, 6.0])
                .show(ui, |ui| {
                    ui.label(egui::RichText::new("Trainee").strong());
                    ui.label(egui::RichText::new("Runs").strong());
                    ui.label(egui::RichText::new("Completed").strong());
                    for skill in Skill::ALL {
                        ui.label(egui::RichText::new(skill.label()).strong());
                    }
                    ui.label(egui::RichText::new("Hints").strong());
                    ui.end_row();
                    for row in &report.trainees {
                        ui.label(row.trainee.as_str());
                        ui.label(row.runs.to_string());
                        ui.label(row.completed.to_string());
                        for p in &row.latest_percent {
                            ui.label(percent(*p));
                        }
                        ui.label(row.hints_used.to_string());
                        ui.end_row();
                    }
                });
        });
    ui.label(
        egui::RichText::new(
            "Skill columns: the mean over each trainee's latest run of each scenario.",
        )
        .small()
        .weak(),
    );
}

/// One decision point: the client's line, then each reply with the share who chose it.
pub fn decision_point(ui: &mut egui::Ui, point: &DecisionPoint) {
    ui.add_space(8.0);
    widgets::card(ui, |ui| {
        let line = point
            .client_says
            .as_deref()
            .map_or_else(|| point.node.as_str().to_owned(), |s| format!("“{s}”"));
        ui.label(
            egui::RichText::new(format!(
                "{} — {}",
                point.scenario_title,
                point.node.as_str()
            ))
            .small()
            .weak(),
        );
        ui.add(egui::Label::new(egui::RichText::new(line).strong()).wrap());
        ui.label(egui::RichText::new(format!("{} answered here", point.reached)).small());
        if let Some(note) = point.picks_note() {
            ui.label(egui::RichText::new(note).small().italics());
        }
        for reply in &point.replies {
            ui.horizontal(|ui| {
                let width = 160.0;
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(width, 14.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
                let fill = match reply.total_score {
                    Some(score) if score < 0 => egui::Color32::from_rgb(0xc0, 0x4a, 0x3c),
                    _ if reply.best => egui::Color32::from_rgb(0x3f, 0x8f, 0x62),
                    _ => egui::Color32::from_rgb(0x8a, 0x96, 0xa3),
                };
                ui.painter().rect_filled(
                    egui::Rect::from_min_size(
                        rect.min,
                        egui::vec2(width * reply.share.clamp(0.0, 1.0), 14.0),
                    ),
                    3.0,
                    fill,
                );
                ui.label(format!("{} ({:.0}%)", reply.chosen, reply.share * 100.0));
                let text = reply.reply.as_deref().unwrap_or(reply.choice.as_str());
                let text = if reply.best {
                    format!("★ {text}")
                } else {
                    text.to_owned()
                };
                ui.add(egui::Label::new(text).wrap());
            });
        }
    });
}

fn pitfall_row(ui: &mut egui::Ui, pitfall: &Pitfall, report: &ClassReport) {
    ui.add_space(6.0);
    let title = report
        .decisions
        .iter()
        .find(|d| d.scenario == pitfall.scenario)
        .map_or(pitfall.scenario.as_str(), |d| d.scenario_title.as_str());
    ui.add(
        egui::Label::new(
            egui::RichText::new(format!(
                "“{}”",
                pitfall.reply.as_deref().unwrap_or(pitfall.choice.as_str())
            ))
            .strong(),
        )
        .wrap(),
    );
    ui.label(
        egui::RichText::new(format!(
            "{title}: chosen {} ({:.0}% of those who got there), scores {:+}",
            times(pitfall.chosen),
            pitfall.share * 100.0,
            pitfall.total_score
        ))
        .small(),
    );
    if let Some(feedback) = &pitfall.feedback {
        ui.add(egui::Label::new(egui::RichText::new(feedback).weak()).wrap());
    }
}

fn progress_table(ui: &mut egui::Ui, report: &ClassReport) {
    egui::Grid::new("progress")
        .striped(true)
        .spacing([18.0, 6.0])
        .show(ui, |ui| {
            ui.label(egui::RichText::new("Trainee").strong());
            ui.label(egui::RichText::new("Scenario").strong());
            ui.label(egui::RichText::new("Attempts").strong());
            for skill in Skill::ALL {
                ui.label(
                    egui::RichText::new(format!("{}: first → latest", skill.label())).strong(),
                );
            }
            ui.end_row();
            for p in &report.progress {
                ui.label(p.trainee.as_str());
                ui.label(p.scenario.as_str());
                ui.label(p.attempts.to_string());
                for (first, latest) in p.first_percent.iter().zip(&p.latest_percent) {
                    ui.label(format!("{} → {}", percent(*first), percent(*latest)));
                }
                ui.end_row();
            }
        });
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn times(n: u32) -> String {
    if n == 1 {
        "once".to_owned()
    } else {
        format!("{n} times")
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::time::SystemTime;

    use attune_class::report::{Inputs, SourcedRun};
    use attune_core::engine::{Mode, Session, Status};
    use attune_core::ids::TraineeId;
    use attune_core::results::RunResult;
    use attune_core::scoring::Scorecard;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    /// Three trainees through the grief scenario, each always taking the reply at one position.
    fn class_report() -> ClassReport {
        let scenarios = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"));
        let playable: Arc<_> =
            attune_core::load_file(&scenarios.join("grief-eleven-weeks.scenario.ron"), None)
                .unwrap()
                .playable
                .unwrap();
        let runs = [("T-01", 1), ("T-02", 2), ("T-03", 4)]
            .into_iter()
            .map(|(trainee, position)| {
                let mut session = Session::start(playable.clone(), Mode::Practice, 1);
                while session.status() == Status::AwaitingChoice {
                    let position = position.min(session.offered().count());
                    session.choose(position, 0).unwrap();
                }
                let card = Scorecard::of(&session);
                let now = SystemTime::now();
                SourcedRun {
                    source: trainee.to_owned(),
                    result: RunResult::from_session(
                        &session,
                        &card,
                        TraineeId(trainee.to_owned()),
                        None,
                        now,
                        now,
                        false,
                    ),
                }
            })
            .collect();
        ClassReport::build(&Inputs::from_runs(runs, &[scenarios]))
    }

    #[test]
    fn the_report_shows_each_skill_trainee_decision_and_pitfall() {
        let report = class_report();
        assert_eq!(report.runs.len(), 3);
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui(|ui| report_view(ui, &report));
        harness.run();
        harness.get_by_label(&summary_line(&report));
        for skill in &report.skills {
            assert!(skill.assessed > 0);
            harness.get_by_label(&skill_sentence(skill));
        }
        for trainee in ["T-01", "T-02", "T-03"] {
            harness.get_by_label(trainee);
        }
        let first = &report.decisions[0];
        harness.get_by_label(&format!("“{}”", first.client_says.as_deref().unwrap()));
        assert!(
            harness
                .query_all_by_label(&format!("{} answered here", first.reached))
                .next()
                .is_some()
        );
        for reply in &first.replies {
            let text = reply.reply.as_deref().unwrap();
            let shown = if reply.best {
                format!("★ {text}")
            } else {
                text.to_owned()
            };
            harness.get_by_label(&shown);
        }
        assert!(
            !report.pitfalls.is_empty(),
            "some trainee chose a reply that hurts"
        );
        for pitfall in &report.pitfalls {
            harness.get_by_label(&format!("“{}”", pitfall.reply.as_deref().unwrap()));
        }
    }

    #[test]
    fn the_lrs_bar_reads_an_endpoint_with_a_user_and_password_file_and_waits_while_reading() {
        let mut harness = Harness::new_ui_state(
            |ui, (fields, action, reading): &mut (LrsFields, Option<BarAction>, bool)| {
                if let Some(done) = lrs_bar(ui, fields, *reading) {
                    *action = Some(done);
                }
            },
            (LrsFields::default(), None, false),
        );
        harness.run();
        harness.get_by_label(READ_LRS).click();
        harness.run();
        assert_eq!(harness.state().1, None, "no endpoint yet");
        for (field, text) in [
            ("Or an LRS:", "https://lrs.example.edu/xAPI/ "),
            ("User:", "attune"),
            ("Password file:", "/home/me/lrs-secret.txt"),
        ] {
            harness.get_by_label(field).focus();
            harness.run();
            harness.get_by_label(field).type_text(text);
            harness.run();
        }
        harness.get_by_label(READ_LRS).click();
        harness.run();
        assert_eq!(
            harness.state().1,
            Some(BarAction::OpenLrs {
                endpoint: "https://lrs.example.edu/xAPI/".into(),
                user: Some("attune".into()),
                password_file: Some(PathBuf::from("/home/me/lrs-secret.txt")),
            })
        );
        harness.state_mut().2 = true;
        // The spinner repaints for ever: step instead of running until still.
        harness.run_steps(2);
        assert!(harness.query_by_label(READ_LRS).is_none());
        harness.get_by_label("Reading the LRS…");
    }

    #[test]
    fn the_folder_bar_opens_a_folder_and_writes_html_only_once_a_report_is_shown() {
        for has_report in [false, true] {
            let mut harness = Harness::new_ui_state(
                move |ui, (folder, action): &mut (String, Option<BarAction>)| {
                    if let Some(done) = folder_bar(ui, folder, has_report, None) {
                        *action = Some(done);
                    }
                },
                (String::new(), None),
            );
            harness.run();
            harness.get_by_label(WRITE_HTML).click();
            harness.run();
            assert_eq!(
                harness.state().1,
                has_report.then_some(BarAction::WriteHtml),
                "with a report: {has_report}"
            );
            harness.get_by_label("Results folder:").focus();
            harness.run();
            harness
                .get_by_label("Results folder:")
                .type_text("/srv/class/results");
            harness.get_by_label(OPEN).click();
            harness.run();
            assert_eq!(
                harness.state().1,
                Some(BarAction::Open(PathBuf::from("/srv/class/results")))
            );
        }
    }
}
