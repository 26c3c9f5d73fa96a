//! The debrief: what the trainee reads at the end. Built once from a session; the terminal
//! renders it with [`render_text`], the app draws the same data with egui.

use std::fmt::Write as _;

use crate::engine::{Session, Status, StopReason};
use crate::model::Ending;
use crate::playable::Playable;
use crate::scoring::{
    COMPLEX_SHARE_THRESHOLDS, Level, MIN_DECISIONS_FOR_BAND, R_TO_Q_THRESHOLDS, Scorecard,
    SkillScore,
};

/// A meter the trainee could see (e.g. trust): where it started and where it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Meter {
    pub name: String,
    pub start: i32,
    pub end: i32,
    pub max: i32,
}

/// The debrief of one session, over its scorecard (computed once, when the session ended).
pub struct Debrief<'s> {
    pub playable: &'s Playable,
    pub card: &'s Scorecard,
    pub ending: Option<&'s Ending>,
    /// The ending's notes whose condition held as the session ended.
    pub notes: Vec<&'s str>,
    pub stopped: Option<StopReason>,
    pub meters: Vec<Meter>,
}

impl<'s> Debrief<'s> {
    pub fn new(session: &'s Session, card: &'s Scorecard) -> Debrief<'s> {
        let playable: &Playable = session.playable();
        let (ending, stopped) = match session.status() {
            Status::Ended(e) => (Some(playable.ending(e)), None),
            Status::Stopped(reason) => (None, Some(reason)),
            Status::AwaitingChoice => (None, None),
        };
        let notes = match session.status() {
            Status::Ended(e) => playable
                .ending_notes(e, session.variables(), session.flags())
                .collect(),
            _ => Vec::new(),
        };
        let meters = playable
            .variables()
            .iter()
            .zip(session.variables())
            .filter(|(v, _)| v.visible)
            .map(|(v, &end)| Meter {
                name: v.name.value.clone(),
                start: v.start.value,
                end,
                max: v.max.value,
            })
            .collect();
        Debrief {
            playable,
            card,
            ending,
            notes,
            stopped,
            meters,
        }
    }
}

/// What a skill's score means, in words: where the points lie between the weakest and the
/// strongest replies on offer, or why there is no band.
pub fn skill_points(s: &SkillScore) -> String {
    format!(
        "{:+} {}; the replies you were offered ranged from {:+} (weakest) to {:+} (strongest)",
        s.counted,
        if s.counted.abs() == 1 {
            "point"
        } else {
            "points"
        },
        s.path_worst,
        s.path_best
    )
}

/// "Trust went from 2 to 5 (of 10)."
pub fn meter_sentence(m: &Meter) -> String {
    format!(
        "{} went from {} to {} (of {}).",
        capitalised(&m.name),
        m.start,
        m.end,
        m.max
    )
}

/// "Ending: Back to period four (outcome: unresolved)".
pub fn ending_heading(ending: &Ending) -> String {
    format!(
        "Ending: {} (outcome: {})",
        ending.title.value,
        ending.outcome.label()
    )
}

/// Why a skill has a percentage but no band.
pub fn no_band_reason(s: &SkillScore) -> String {
    format!(
        "too few decisions for a band ({} of {MIN_DECISIONS_FOR_BAND})",
        s.decisions
    )
}

/// Plain words for each practice indicator, shown under it.
pub const CARKHUFF_MEANS: &str = "Level 3 means a reply gives back what the client expressed, the feeling and its meaning, without taking away or adding; below 3 misses or subtracts, above 3 adds understanding.";
pub const R_TO_Q_MEANS: &str = "Reflections say back what you heard; questions ask for more. MITI counts one reflection per question as fair and two as good.";
pub const COMPLEX_MEANS: &str = "A complex reflection adds meaning or names the feeling underneath, rather than repeating the client's words.";
pub const CUES_MEANS: &str =
    "Replies that responded to a pause, a look away or a change of tone, not only to the words.";

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
    let scenario = d.playable.scenario();
    let _ = writeln!(out, "{rule}\nDEBRIEF · {}\n{rule}", scenario.title.value);
    match (d.ending, d.stopped) {
        (Some(ending), _) => {
            let _ = writeln!(out, "\n{}", ending_heading(ending));
            let _ = writeln!(out, "{}", wrap(&ending.text, 78, ""));
            let _ = writeln!(
                out,
                "\nWhat this ending says:\n{}",
                wrap(&ending.debrief, 78, "  ")
            );
            for note in &d.notes {
                let _ = writeln!(out, "{}", wrap_hanging(note, 78, "  • ", "    "));
            }
        }
        (None, Some(reason)) => {
            let _ = writeln!(out, "\nThe session stopped: {}", stop_explanation(reason));
        }
        (None, None) => {
            let _ = writeln!(out, "\nYou left the session before it ended.");
        }
    }
    for m in &d.meters {
        let _ = writeln!(out, "{}", meter_sentence(m));
    }

    let _ = writeln!(
        out,
        "\nSkills (your points between the weakest and strongest replies you were offered)"
    );
    for s in &d.card.skills {
        match (s.percent, s.band) {
            (Some(p), band) => {
                let band = band.map_or_else(|| no_band_reason(s), |b| b.label().to_owned());
                let _ = writeln!(
                    out,
                    "  {:<22} {} {:>3}%  {band}",
                    s.skill.label(),
                    bar(p, 20),
                    p,
                );
                let _ = writeln!(out, "{}", wrap(&skill_points(s), 78, "      "));
            }
            (None, _) => {
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
    let indicator = |out: &mut String, name: &str, value: String, means: &str| {
        let _ = writeln!(out, "  {name:<23} {value}");
        let _ = writeln!(out, "{}", wrap(means, 78, "      "));
    };
    indicator(&mut out, "Carkhuff empathy", carkhuff, CARKHUFF_MEANS);
    indicator(
        &mut out,
        "Reflections:questions",
        format!(
            "{} ({}, {}) – {}; MITI fair {:.0}:1, good {:.0}:1",
            ratio(i.reflection_to_question),
            count(i.reflections, "reflection"),
            count(i.questions, "question"),
            i.reflection_to_question_level.label(),
            R_TO_Q_THRESHOLDS.0,
            R_TO_Q_THRESHOLDS.1
        ),
        R_TO_Q_MEANS,
    );
    indicator(
        &mut out,
        "Complex reflections",
        format!(
            "{} of reflections – {}; MITI fair {:.0}%, good {:.0}%",
            share(i.complex_share),
            i.complex_share_level.label(),
            COMPLEX_SHARE_THRESHOLDS.0 * 100.0,
            COMPLEX_SHARE_THRESHOLDS.1 * 100.0
        ),
        COMPLEX_MEANS,
    );
    indicator(
        &mut out,
        "Nonverbal cues noticed",
        format!("{} of {}", i.cues_noticed, i.cues_presented),
        CUES_MEANS,
    );
    if i.reflection_to_question_level == Level::BelowFair {
        let _ = writeln!(
            out,
            "  Try: before your next question, reflect what you have just heard."
        );
    }

    let _ = writeln!(out, "\nYour replies");
    for (n, review) in d.card.decisions.iter().enumerate() {
        let node = d.playable.client(review.node);
        let chosen = d.playable.choice(review.node, review.chosen);
        let line = node
            .says
            .get(review.variant as usize)
            .map_or("", |s| s.as_str());
        let number = format!("{}. ", n + 1);
        let said = format!("{number}The client said: \"{line}\"");
        let _ = writeln!(
            out,
            "\n{}",
            wrap_hanging(&said, 78, "", &" ".repeat(number.len()))
        );
        let scores = chosen.scores.values();
        let said = format!(
            "You said: \"{}\"   [V {:+} · A {:+} · R {:+}]{}",
            chosen.reply.value,
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
                        d.playable.choice(review.node, retaken).reply.value
                    ),
                    78,
                    "   "
                )
            );
        }
        let _ = writeln!(out, "{}", wrap(&chosen.feedback, 78, "   "));
        match review.better {
            Some(better) => {
                let better = d.playable.choice(review.node, better);
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

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Greedy word wrap with an indent on every line.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    wrap_hanging(text, width, indent, indent)
}

/// Greedy word wrap: `first` before the first line, `rest` before every later one.
pub fn wrap_hanging(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut indent = first;
    let mut line = String::from(indent);
    let mut width_of_line = indent.chars().count();
    for word in text.split_whitespace() {
        let word_width = word.chars().count();
        let empty = line.len() == indent.len();
        if !empty && width_of_line + 1 + word_width > width {
            out.push_str(&line);
            out.push('\n');
            indent = rest;
            line = String::from(indent);
            width_of_line = indent.chars().count();
        }
        if line.len() > indent.len() {
            line.push(' ');
            width_of_line += 1;
        }
        line.push_str(word);
        width_of_line += word_width;
    }
    out.push_str(&line);
    out
}
