//! The debrief: skills with bands, practice indicators, the ending, and every decision with the
//! better alternative. The result is already saved when this screen opens.

use attune_core::debrief::{
    CARKHUFF_MEANS, COMPLEX_MEANS, CUES_MEANS, Debrief, R_TO_Q_MEANS, count, ending_heading,
    meter_sentence, stop_explanation,
};
use attune_core::scoring::{COMPLEX_SHARE_THRESHOLDS, R_TO_Q_THRESHOLDS};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{Action, FinishedRun, Screen, Selection};
use crate::app::scenarios::Library;
use crate::app::settings::SettingsOpen;
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, leave_debrief.run_if(in_state(Screen::Debrief)));
}

pub(super) fn ui_plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_debrief.run_if(in_state(Screen::Debrief)),
    );
}

fn leave_debrief(
    mut actions: MessageReader<Action>,
    run: Option<Res<FinishedRun>>,
    library: Res<Library>,
    mut selection: ResMut<Selection>,
    exercise: Option<Res<crate::app::class::exercise::ExerciseMode>>,
    mut next: ResMut<NextState<Screen>>,
) {
    for action in actions.read() {
        match action {
            // An exercise's seed and attempts are checked where its scenarios are opened.
            Action::PlayAgain { .. } if exercise.is_some() => next.set(Screen::Library),
            Action::PlayAgain { same_seed } => {
                let Some(run) = &run else { continue };
                selection.file = Some(run.file.clone());
                // Play the newest good version of the scenario.
                selection.scenario = library
                    .entry(&run.file)
                    .and_then(|e| e.playable.clone())
                    .or_else(|| Some(run.session.playable().clone()));
                selection.mode = run.session.mode();
                selection.seed_text = if *same_seed {
                    run.session.seed().to_string()
                } else {
                    String::new()
                };
                next.set(Screen::Session);
            }
            Action::ToLibrary => next.set(Screen::Library),
            _ => {}
        }
    }
}

fn draw_debrief(
    mut contexts: EguiContexts,
    run: Option<Res<FinishedRun>>,
    mut actions: MessageWriter<Action>,
    mut settings_open: ResMut<SettingsOpen>,
) -> Result {
    let Some(run) = run else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let debrief = Debrief::new(&run.session, &run.card);
    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, Screen::Debrief.title(), &mut settings_open.0);
    egui::Panel::bottom("debrief-actions").show(&mut root, |ui| {
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button("Play again (new seed)").clicked() {
                actions.write(Action::PlayAgain { same_seed: false });
            }
            if ui
                .button(format!("Replay seed {}", run.session.seed()))
                .on_hover_text("The same order of replies and wording, to try a different path")
                .clicked()
            {
                actions.write(Action::PlayAgain { same_seed: true });
            }
            if ui.button("Back to the library").clicked() {
                actions.write(Action::ToLibrary);
            }
            ui.separator();
            match &run.saved {
                Ok(path) => ui.label(
                    egui::RichText::new(format!("Result saved: {}", path.display()))
                        .weak()
                        .small(),
                ),
                Err(err) => ui.colored_label(ui.visuals().error_fg_color, err),
            };
        });
        ui.add_space(8.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("debrief-scroll")
            .show(ui, |ui| {
                widgets::page(ui, |ui| debrief_view(ui, &debrief));
            });
    });
    Ok(())
}

/// The whole debrief, as a pure function of the debrief data.
pub fn debrief_view(ui: &mut egui::Ui, d: &Debrief) {
    let scenario = d.playable.scenario();
    ui.heading(&scenario.title.value);
    ui.add_space(8.0);
    widgets::card(ui, |ui| match (d.ending, d.stopped) {
        (Some(ending), _) => {
            ui.label(egui::RichText::new(ending_heading(ending)).strong());
            ui.label(&ending.text.value);
            ui.add_space(4.0);
            ui.label(egui::RichText::new(&ending.debrief.value).italics());
            for note in &d.notes {
                ui.label(egui::RichText::new(format!("• {note}")).italics());
            }
        }
        (None, Some(reason)) => {
            ui.colored_label(ui.visuals().warn_fg_color, stop_explanation(reason));
        }
        (None, None) => {
            ui.label("You left the session before it ended. Your replies so far are scored below.");
        }
    });
    for m in &d.meters {
        ui.label(meter_sentence(m));
    }
    ui.add_space(12.0);
    ui.label(egui::RichText::new("Skills").heading());
    ui.label(
        egui::RichText::new(
            "Your points between the weakest and the strongest replies you were offered.",
        )
        .weak(),
    );
    egui::Grid::new("skills")
        .num_columns(2)
        .spacing([16.0, 8.0])
        .show(ui, |ui| {
            for skill in &d.card.skills {
                widgets::skill_bar(ui, skill);
                ui.end_row();
            }
        });
    ui.add_space(12.0);
    ui.label(egui::RichText::new("Practice indicators").heading());
    ui.label(egui::RichText::new("From the codes of the replies you chose. They reference published frameworks; they are not official scores.").weak());
    let i = &d.card.indicators;
    let indicator =
        |ui: &mut egui::Ui, name: &str, value: String, thresholds: String, means: &str| {
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(name).strong());
                ui.label(value);
                ui.label(egui::RichText::new(thresholds).weak());
            });
            ui.label(egui::RichText::new(means).weak().small());
        };
    indicator(
        ui,
        "Carkhuff empathy",
        match i.carkhuff_mean {
            Some(mean) => format!(
                "mean level {mean:.1}; {} of {} at level 3 or above",
                i.carkhuff_at_least_3, i.carkhuff_coded
            ),
            None => "no coded replies".to_owned(),
        },
        "level 3 = interchangeable".to_owned(),
        CARKHUFF_MEANS,
    );
    indicator(
        ui,
        "Reflections : questions",
        format!(
            "{} ({}, {}) — {}",
            i.reflection_to_question
                .map_or("–".to_owned(), |r| format!("{r:.1}:1")),
            count(i.reflections, "reflection"),
            count(i.questions, "question"),
            i.reflection_to_question_level.label()
        ),
        format!(
            "MITI fair {:.0}:1, good {:.0}:1",
            R_TO_Q_THRESHOLDS.0, R_TO_Q_THRESHOLDS.1
        ),
        R_TO_Q_MEANS,
    );
    indicator(
        ui,
        "Complex reflections",
        format!(
            "{} of reflections — {}",
            i.complex_share
                .map_or("–".to_owned(), |s| format!("{:.0}%", s * 100.0)),
            i.complex_share_level.label()
        ),
        format!(
            "MITI fair {:.0}%, good {:.0}%",
            COMPLEX_SHARE_THRESHOLDS.0 * 100.0,
            COMPLEX_SHARE_THRESHOLDS.1 * 100.0
        ),
        COMPLEX_MEANS,
    );
    indicator(
        ui,
        "Nonverbal cues noticed",
        format!("{} of {}", i.cues_noticed, i.cues_presented),
        String::new(),
        CUES_MEANS,
    );
    ui.add_space(12.0);
    ui.label(egui::RichText::new("Your replies").heading());
    for (n, review) in d.card.decisions.iter().enumerate() {
        let node = d.playable.client(review.node);
        let chosen = d.playable.choice(review.node, review.chosen);
        widgets::card(ui, |ui| {
            ui.label(
                egui::RichText::new(format!(
                    "{}. {} said: “{}”",
                    n + 1,
                    scenario.client.name.value,
                    node.says
                        .get(review.variant as usize)
                        .map_or("", |s| s.as_str())
                ))
                .weak(),
            );
            ui.label(egui::RichText::new(format!("You said: “{}”", chosen.reply.value)).strong());
            ui.horizontal_wrapped(|ui| {
                for skill in attune_core::skills::Skill::ALL {
                    widgets::skill_change(ui, skill, chosen.scores.get(skill).value);
                    ui.add_space(8.0);
                }
                if review.hint_used {
                    ui.label(egui::RichText::new("hint used").weak());
                }
            });
            ui.label(&chosen.feedback.value);
            if let Some(retaken) = review.retaken {
                ui.label(
                    egui::RichText::new(format!(
                        "You took this back and chose “{}”. Your first reply is the one scored.",
                        d.playable.choice(review.node, retaken).reply.value
                    ))
                    .weak(),
                );
            }
            match review.better.map(|b| d.playable.choice(review.node, b)) {
                Some(better) => {
                    ui.add_space(4.0);
                    ui.label(
                        egui::RichText::new(format!("Better: “{}”", better.reply.value))
                            .color(widgets::positive(ui)),
                    );
                    ui.label(&better.feedback.value);
                }
                None => {
                    ui.label(
                        egui::RichText::new("This was the strongest reply on offer.")
                            .color(widgets::positive(ui)),
                    );
                }
            }
            if review.guard_applied {
                ui.label(egui::RichText::new("Several replies of the same kind in a row when the moment called for another: positive points counted half.").weak());
            }
        });
        ui.add_space(6.0);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use attune_core::debrief::Debrief;
    use attune_core::engine::{Mode, Session, Status};
    use attune_core::scoring::Scorecard;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::debrief_view;

    /// The debrief after always choosing the weakest reply on offer.
    fn weakest_path_session() -> Session {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/grief-eleven-weeks.scenario.ron"
        );
        let playable: Arc<_> = attune_core::load_file(path.as_ref(), None)
            .unwrap()
            .playable
            .unwrap();
        let mut session = Session::start(playable, Mode::Assessment, 1);
        while session.status() == Status::AwaitingChoice {
            let weakest = session
                .offered_ids()
                .zip(session.offered())
                .min_by_key(|(_, c)| c.total())
                .unwrap()
                .0
                .to_string();
            session.choose_id(&weakest, 0).unwrap();
        }
        session
    }

    #[test]
    fn the_debrief_shows_the_ending_bands_thresholds_and_better_replies() {
        let session = weakest_path_session();
        let card = Scorecard::of(&session);
        let debrief = Debrief::new(&session, &card);
        let mut harness = Harness::new_ui(|ui| debrief_view(ui, &debrief));
        harness.run();
        harness.get_by_label_contains("(outcome: disengaged)");
        harness.get_by_label_contains("Trust went from");
        assert_eq!(
            harness
                .get_all_by_label_contains("; the replies you were offered ranged from")
                .count(),
            3,
            "each skill says where its points lie"
        );
        harness.get_by_label_contains("Level 3 means a reply gives back");
        assert_eq!(harness.get_all_by_label("emerging").count(), 3);
        harness.get_by_label_contains("MITI fair 1:1, good 2:1");
        let better = harness.get_all_by_label_contains("Better: ").count();
        assert_eq!(
            better,
            debrief.card.decisions.len(),
            "every weak reply shows the better one"
        );
    }
}
