//! The session screen's system: it lays out the panels, draws the views into them and turns
//! what the trainee did (a click, a key) into [`Action`] messages. It changes no session state.

use std::time::{Duration, Instant};

use attune_core::model::Cue;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::keys::{KeyAction, KeyState, Showing, keys_to_action};
use super::views::{
    ClientPanel, FeedbackAction, FeedbackCard, PanelAction, ReloadAction, Transcript, client_panel,
    feedback_card, offered_replies, reload_banner, replies, shown_node, transcript,
};
use super::{ActiveSession, SessionPhase};
use crate::app::author::details::{NodeDetails, author_replies};
use crate::app::author::draw::author_bar;
use crate::app::author::{AuthorAction, AuthorKeyboard, AuthorMode, AuthorSession};
use crate::app::portrait::Portraits;
use crate::app::scenarios::Library;
use crate::app::screens::{Action, Screen};
use crate::app::settings::{Settings, SettingsOpen};
use crate::app::widgets;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SessionView>().add_systems(
        EguiPrimaryContextPass,
        draw_session.run_if(in_state(Screen::Session)),
    );
}

/// View state that only the drawing needs.
#[derive(Resource, Debug, Default)]
struct SessionView {
    /// Which reply has keyboard focus (0-based in the order shown).
    focus: usize,
    /// The prompt the pause beat was started for, and when the line appears.
    beat: Option<(usize, Instant)>,
}

const PAUSE_BEAT: Duration = Duration::from_millis(1400);

fn draw_session(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveSession>>,
    phase: Res<State<SessionPhase>>,
    portraits: Res<Portraits>,
    settings: Res<Settings>,
    library: Res<Library>,
    mut view: ResMut<SessionView>,
    mut actions: MessageWriter<Action>,
    mut settings_open: ResMut<SettingsOpen>,
    author: Option<Res<AuthorMode>>,
    author_keyboard: Option<Res<AuthorKeyboard>>,
    author_session: Option<Res<AuthorSession>>,
    mut author_actions: MessageWriter<AuthorAction>,
) -> Result {
    let Some(active) = active else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let session = &active.session;
    let scenario = session.playable().scenario();
    let Some(node) = shown_node(session, active.last.as_ref()) else {
        return Ok(());
    };
    let feedback = *phase.get() == SessionPhase::Feedback;
    let card = active
        .last
        .as_ref()
        .filter(|_| feedback)
        .map(|applied| FeedbackCard::of(session, applied));
    let offered = offered_replies(session);

    // The pause beat: a short "…" before a line that follows a pause, unless motion is reduced.
    let step = session.decisions().len();
    let pausing = !settings.reduced_motion && matches!(node.cue, Some(Cue::Pause(_))) && !feedback;
    if view.beat.is_none_or(|(s, _)| s != step) {
        view.beat = Some((
            step,
            Instant::now() + if pausing { PAUSE_BEAT } else { Duration::ZERO },
        ));
        view.focus = 0;
    }
    let reveal_at = view.beat.map_or_else(Instant::now, |(_, at)| at);
    let mut in_beat = Instant::now() < reveal_at;

    let author_on = author.is_some_and(|a| a.shows_for(Some(&active)));
    let author_details = author_on.then(|| NodeDetails::of(session)).flatten();
    // The keyboard, unless the settings window or an author window has it.
    let keys = if settings_open.0 || author_keyboard.is_some_and(|k| k.0) {
        KeyState::default()
    } else {
        ctx.input(KeyState::read)
    };
    let showing = match &card {
        Some(card) => Some(Showing::FeedbackCard {
            can_take_back: card.can_take_back,
        }),
        None if feedback => None,
        None if in_beat => Some(Showing::PauseBeat),
        None => Some(Showing::Replies {
            count: offered.len(),
            focus: view.focus,
        }),
    };
    match showing.and_then(|showing| keys_to_action(&keys, showing)) {
        Some(KeyAction::SkipPause) => {
            view.beat = Some((step, Instant::now()));
            in_beat = false;
        }
        Some(KeyAction::Focus(focus)) => view.focus = focus,
        Some(KeyAction::Choose(position)) => {
            actions.write(Action::Choose(position));
        }
        Some(KeyAction::Continue) => {
            actions.write(Action::Continue);
        }
        Some(KeyAction::TakeBack) => {
            actions.write(Action::TakeBack);
        }
        None => {}
    }
    if in_beat {
        ctx.request_repaint_after(reveal_at.saturating_duration_since(Instant::now()));
    }

    let mut root = widgets::root_ui(ctx);
    widgets::top_bar(&mut root, &scenario.title.value, &mut settings_open.0);

    if active.reload_available {
        egui::Panel::top("reload").show(&mut root, |ui| {
            let has_errors = library.entry(&active.file).is_some_and(|e| e.has_errors());
            match reload_banner(ui, has_errors) {
                Some(ReloadAction::Resume) => {
                    actions.write(Action::TakeReload { resume: true });
                }
                Some(ReloadAction::Restart) => {
                    actions.write(Action::TakeReload { resume: false });
                }
                Some(ReloadAction::Dismiss) => {
                    actions.write(Action::DismissReload);
                }
                None => {}
            }
        });
    }

    if let Some(author_session) = author_session.as_ref().filter(|_| author_on) {
        egui::Panel::top("author-bar").show(&mut root, |ui| {
            if let Some(action) = author_bar(ui, author_session) {
                author_actions.write(action);
            }
        });
    }

    let portrait = scenario
        .client
        .portrait
        .as_ref()
        .and_then(|p| portraits.get(p));
    let panel = ClientPanel::of(session, node, portrait, !feedback, active.hint.as_deref());
    egui::Panel::left("client")
        .exact_size(300.0)
        .resizable(false)
        .show(&mut root, |ui| match client_panel(ui, &panel) {
            Some(PanelAction::Hint) => {
                actions.write(Action::Hint);
            }
            Some(PanelAction::Leave) => {
                actions.write(Action::Leave);
            }
            None => {}
        });

    // The replies, or the feedback card, at the bottom.
    egui::Panel::bottom("replies").show(&mut root, |ui| {
        ui.add_space(8.0);
        if let Some(notice) = &active.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
        if feedback {
            match card.as_ref().and_then(|card| feedback_card(ui, card)) {
                Some(FeedbackAction::Continue) => {
                    actions.write(Action::Continue);
                }
                Some(FeedbackAction::TakeBack) => {
                    actions.write(Action::TakeBack);
                }
                None => {}
            }
        } else if in_beat {
            ui.label(egui::RichText::new("(Space to skip the pause)").weak());
        } else if let Some(details) = &author_details {
            if let Some(position) = author_replies(ui, details, view.focus) {
                actions.write(Action::Choose(position));
            }
        } else if let Some(position) = replies(ui, &offered, view.focus) {
            actions.write(Action::Choose(position));
        }
        ui.add_space(8.0);
    });

    // The conversation so far, scrolling above the current line.
    let mut shown = Transcript::of(session, feedback, in_beat);
    shown.ids = author_details.is_some();
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("session-scroll")
            .stick_to_bottom(true)
            .show(ui, |ui| widgets::page(ui, |ui| transcript(ui, &shown)));
    });
    Ok(())
}
