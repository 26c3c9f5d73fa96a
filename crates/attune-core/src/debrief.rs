//! The debrief: what the trainee reads at the end. Built once from a session; the terminal
//! renders it with [`render_text`], the app draws the same data with egui.

use std::fmt::Write as _;

use crate::engine::{Session, Status, StopReason};
use crate::model::{Ending, Scenario};
use crate::scoring::{self, COMPLEX_SHARE_THRESHOLDS, Level, R_TO_Q_THRESHOLDS, Scorecard};

pub struct Debrief<'s> {
    pub scenario: &'s Scenario,
    pub card: Scorecard<'s>,
    pub ending: Option<&'s Ending>,
    pub stopped: Option<StopReason>,
}

impl<'s> Debrief<'s> {
    pub fn new(session: &'s Session) -> Debrief<'s> {
        let scenario: &Scenario = session.scenario();
        let (ending, stopped) = match session.status() {
            Status::Ended(e) => (Some(&scenario.endings[e as usize]), None),
            Status::Stopped(reason) => (None, Some(reason)),
            Status::AwaitingChoice => (None, None),
        };
        Debrief {
            scenario,
            card: scoring::score(scenario, session.decisions()),
            ending,
            stopped,
        }
    }
}

/// A bar of `width` cells, filled in proportion to `percent`.
pub fn bar(percent: u32, width: usize) -> String {
    let filled = (percent.min(100) as usize * width + 50) / 100;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

pub fn stop_explanation(reason: StopReason) -> &'static str {
    match reason {
        StopReason::LoopLimit => {
            "The session went round a loop in the scenario too many times and was stopped. Tell the scenario's author."
        }
        StopReason::NoChoiceOffered => {
            "The scenario offered no reply at this point (every reply had a condition that did not hold). Tell the scenario's author."
        }
    }
}

/// "1 question", "2 questions".
pub fn count(n: u32, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn ratio(value: Option<f32>) -> String {
    value.map_or("–".to_owned(), |v| format!("{v:.1}:1"))
}

fn share(value: Option<f32>) -> String {
    value.map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

/// The debrief as plain text for a terminal (about 80 columns).
pub fn render_text(d: &Debrief) -> String {
    let mut out = String::new();
    let rule = "─".repeat(78);
    let _ = writeln!(out, "{rule}\nDEBRIEF · {}\n{rule}", d.scenario.title.value);
    match (d.ending, d.stopped) {
        (Some(ending), _) => {
            let _ = writeln!(
                out,
                "\nEnding: {} ({:?})",
                ending.title.value, ending.outcome
            );
            let _ = writeln!(out, "{}", wrap(&ending.text, 78, ""));
            let _ = writeln!(
                out,
                "\nWhat this ending says:\n{}",
                wrap(&ending.debrief, 78, "  ")
            );
        }
        (None, Some(reason)) => {
            let _ = writeln!(out, "\nThe session stopped: {}", stop_explanation(reason));
        }
        (None, None) => {
            let _ = writeln!(out, "\nYou left the session before it ended.");
        }
    }

    let _ = writeln!(
        out,
        "\nSkills (points compared with the best and worst replies you were offered)"
    );
    for s in &d.card.skills {
        match (s.percent, s.band) {
            (Some(p), Some(band)) => {
                let _ = writeln!(
                    out,
                    "  {:<22} {} {:>3}%  {:<10}  ({:+} of {:+} possible)",
                    s.skill.label(),
                    bar(p, 20),
                    p,
                    band.label(),
                    s.counted,
                    s.path_best
                );
            }
            _ => {
                let _ = writeln!(out, "  {:<22} not assessed on this path", s.skill.label());
            }
        }
    }

    let i = &d.card.indicators;
    let _ = writeln!(
        out,
        "\nPractice indicators (from the codes of the replies you chose; not official scores)"
    );
    let carkhuff = match i.carkhuff_mean {
        Some(mean) => format!(
            "mean level {mean:.1}; {} of {} replies at level 3 (interchangeable) or above",
            i.carkhuff_at_least_3, i.carkhuff_coded
        ),
        None => "no coded replies".to_owned(),
    };
    let _ = writeln!(out, "  Carkhuff empathy        {carkhuff}");
    let _ = writeln!(
        out,
        "  Reflections:questions   {} ({}, {}) – {}; MITI fair {:.0}:1, good {:.0}:1",
        ratio(i.reflection_to_question),
        count(i.reflections, "reflection"),
        count(i.questions, "question"),
        i.reflection_to_question_level.label(),
        R_TO_Q_THRESHOLDS.0,
        R_TO_Q_THRESHOLDS.1
    );
    let _ = writeln!(
        out,
        "  Complex reflections     {} of reflections – {}; MITI fair {:.0}%, good {:.0}%",
        share(i.complex_share),
        i.complex_share_level.label(),
        COMPLEX_SHARE_THRESHOLDS.0 * 100.0,
        COMPLEX_SHARE_THRESHOLDS.1 * 100.0
    );
    let _ = writeln!(
        out,
        "  Nonverbal cues noticed  {} of {}",
        i.cues_noticed, i.cues_presented
    );
    if i.reflection_to_question_level == Level::BelowFair {
        let _ = writeln!(
            out,
            "  Try: before your next question, reflect what you have just heard."
        );
    }

    let _ = writeln!(out, "\nYour replies");
    for (n, review) in d.card.decisions.iter().enumerate() {
        let said = format!(
            "{}. The client said: \"{}\"",
            n + 1,
            review.node.says[review.variant as usize].value
        );
        let _ = writeln!(out, "\n{}", wrap(&said, 78, "").trim_start());
        let scores = review.chosen.scores.values();
        let said = format!(
            "You said: \"{}\"   [V {:+} · A {:+} · R {:+}]{}",
            review.chosen.reply.value,
            scores[0],
            scores[1],
            scores[2],
            if review.hint_used {
                "  (hint used)"
            } else {
                ""
            }
        );
        let _ = writeln!(out, "{}", wrap(&said, 78, "   "));
        if let Some(retaken) = review.retaken {
            let _ = writeln!(
                out,
                "{}",
                wrap(
                    &format!(
                        "(You took this back and chose \"{}\"; your first reply is the one scored.)",
                        retaken.reply.value
                    ),
                    78,
                    "   "
                )
            );
        }
        let _ = writeln!(out, "{}", wrap(&review.chosen.feedback, 78, "   "));
        match review.better {
            Some(better) => {
                let _ = writeln!(
                    out,
                    "{}",
                    wrap(&format!("Better: \"{}\"", better.reply.value), 78, "   ")
                );
                let _ = writeln!(out, "{}", wrap(&better.feedback, 78, "   "));
            }
            None => {
                let _ = writeln!(out, "   This was the strongest reply on offer.");
            }
        }
        if review.guard_applied {
            let _ = writeln!(
                out,
                "   (Several replies of the same kind in a row: its positive points counted half. See docs/scoring.md.)"
            );
        }
    }
    out
}

/// Greedy word wrap with an indent on every line.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        if line.len() > indent.len() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line = String::from(indent);
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}
