//! The session screen's keyboard: 1–9 choose, the arrows move the focus, Enter chooses the
//! focused reply or continues, Space (or Enter) skips the pause beat, Backspace takes back.
//! A pure mapping from the keys pressed to what they do, so it is tested without egui.

use bevy_egui::egui;

/// The keys pressed this frame that the session screen answers to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyState {
    /// A digit key 1–9 (the highest, if several were pressed at once).
    pub digit: Option<usize>,
    pub up: bool,
    pub down: bool,
    pub enter: bool,
    pub space: bool,
    pub backspace: bool,
}

impl KeyState {
    pub fn read(input: &egui::InputState) -> KeyState {
        KeyState {
            digit: DIGITS
                .iter()
                .rposition(|key| input.key_pressed(*key))
                .map(|n| n + 1),
            up: input.key_pressed(egui::Key::ArrowUp),
            down: input.key_pressed(egui::Key::ArrowDown),
            enter: input.key_pressed(egui::Key::Enter),
            space: input.key_pressed(egui::Key::Space),
            backspace: input.key_pressed(egui::Key::Backspace),
        }
    }
}

const DIGITS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

/// What the bottom of the screen shows, as far as the keys are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// The "…" before a line that follows a pause.
    PauseBeat,
    /// `count` replies, the one at `focus` (0-based) with the keyboard focus.
    Replies {
        count: usize,
        focus: usize,
    },
    FeedbackCard {
        can_take_back: bool,
    },
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    SkipPause,
    /// Move the keyboard focus to this reply (0-based).
    Focus(usize),
    /// Choose the reply at this 1-based position.
    Choose(usize),
    Continue,
    TakeBack,
}

pub fn keys_to_action(keys: &KeyState, showing: Showing) -> Option<KeyAction> {
    match showing {
        Showing::PauseBeat => (keys.space || keys.enter).then_some(KeyAction::SkipPause),
        Showing::Replies { count, focus } => {
            if let Some(n) = keys.digit.filter(|&n| n <= count) {
                Some(KeyAction::Choose(n))
            } else if count == 0 {
                None
            } else if keys.enter {
                Some(KeyAction::Choose(focus + 1))
            } else if keys.up {
                Some(KeyAction::Focus(focus.saturating_sub(1)))
            } else if keys.down {
                Some(KeyAction::Focus((focus + 1).min(count - 1)))
            } else {
                None
            }
        }
        Showing::FeedbackCard { can_take_back } => {
            if keys.enter {
                Some(KeyAction::Continue)
            } else if keys.backspace && can_take_back {
                Some(KeyAction::TakeBack)
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLIES: Showing = Showing::Replies { count: 4, focus: 2 };
    const FEEDBACK: Showing = Showing::FeedbackCard {
        can_take_back: true,
    };

    fn keys(set: impl FnOnce(&mut KeyState)) -> KeyState {
        let mut k = KeyState::default();
        set(&mut k);
        k
    }

    #[test]
    fn digits_choose_a_reply_on_offer_and_nothing_else() {
        let three = keys(|k| k.digit = Some(3));
        assert_eq!(keys_to_action(&three, REPLIES), Some(KeyAction::Choose(3)));
        let five = keys(|k| k.digit = Some(5));
        assert_eq!(keys_to_action(&five, REPLIES), None, "only 4 on offer");
        assert_eq!(keys_to_action(&three, Showing::PauseBeat), None);
        assert_eq!(keys_to_action(&three, FEEDBACK), None);
    }

    #[test]
    fn enter_chooses_the_focused_reply_or_continues_on_the_feedback_card() {
        let enter = keys(|k| k.enter = true);
        assert_eq!(keys_to_action(&enter, REPLIES), Some(KeyAction::Choose(3)));
        assert_eq!(keys_to_action(&enter, FEEDBACK), Some(KeyAction::Continue));
        let none_offered = Showing::Replies { count: 0, focus: 0 };
        assert_eq!(keys_to_action(&enter, none_offered), None);
    }

    #[test]
    fn the_arrows_move_the_focus_within_the_replies() {
        let up = keys(|k| k.up = true);
        let down = keys(|k| k.down = true);
        assert_eq!(keys_to_action(&up, REPLIES), Some(KeyAction::Focus(1)));
        assert_eq!(keys_to_action(&down, REPLIES), Some(KeyAction::Focus(3)));
        let top = Showing::Replies { count: 4, focus: 0 };
        let bottom = Showing::Replies { count: 4, focus: 3 };
        assert_eq!(keys_to_action(&up, top), Some(KeyAction::Focus(0)));
        assert_eq!(keys_to_action(&down, bottom), Some(KeyAction::Focus(3)));
    }

    #[test]
    fn space_or_enter_skips_the_pause_beat_and_nothing_else_does() {
        let space = keys(|k| k.space = true);
        let enter = keys(|k| k.enter = true);
        assert_eq!(
            keys_to_action(&space, Showing::PauseBeat),
            Some(KeyAction::SkipPause)
        );
        assert_eq!(
            keys_to_action(&enter, Showing::PauseBeat),
            Some(KeyAction::SkipPause)
        );
        assert_eq!(keys_to_action(&space, REPLIES), None);
        assert_eq!(keys_to_action(&space, FEEDBACK), None);
        let down = keys(|k| k.down = true);
        assert_eq!(keys_to_action(&down, Showing::PauseBeat), None);
    }

    #[test]
    fn backspace_takes_back_on_the_feedback_card_only_when_allowed() {
        let back = keys(|k| k.backspace = true);
        assert_eq!(keys_to_action(&back, FEEDBACK), Some(KeyAction::TakeBack));
        let not_allowed = Showing::FeedbackCard {
            can_take_back: false,
        };
        assert_eq!(keys_to_action(&back, not_allowed), None);
        assert_eq!(keys_to_action(&back, REPLIES), None);
    }

    #[test]
    fn nothing_pressed_does_nothing() {
        let none = KeyState::default();
        for showing in [Showing::PauseBeat, REPLIES, FEEDBACK] {
            assert_eq!(keys_to_action(&none, showing), None);
        }
    }
}
