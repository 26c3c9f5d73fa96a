//! The micro-skills Attune scores. To add a skill: add a variant to [`Skill`] (and to `ALL`), a
//! field to [`SkillScores`], and its arm in [`SkillScores::get`]. Everything else iterates `Skill::ALL`.

use serde::{Deserialize, Serialize};

use crate::span::Spanned;

/// The range every authored per-skill score must lie in.
pub const SCORE_MIN: i32 = -2;
pub const SCORE_MAX: i32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    Validating,
    AvoidingAssumptions,
    Reflecting,
}

impl Skill {
    pub const ALL: [Skill; 3] = [
        Skill::Validating,
        Skill::AvoidingAssumptions,
        Skill::Reflecting,
    ];

    /// The name authors write in `scores: (...)`.
    pub fn key(self) -> &'static str {
        match self {
            Skill::Validating => "validating",
            Skill::AvoidingAssumptions => "avoiding_assumptions",
            Skill::Reflecting => "reflecting",
        }
    }

    /// The name trainees read.
    pub fn label(self) -> &'static str {
        match self {
            Skill::Validating => "Validating emotions",
            Skill::AvoidingAssumptions => "Avoiding assumptions",
            Skill::Reflecting => "Reflecting feelings",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Authored per-skill scores of one choice, each in `SCORE_MIN..=SCORE_MAX`; a skill left out
/// scores 0 (the response neither shows nor undermines it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SkillScores {
    pub validating: Spanned<i32>,
    pub avoiding_assumptions: Spanned<i32>,
    pub reflecting: Spanned<i32>,
}

impl SkillScores {
    pub fn get(&self, skill: Skill) -> &Spanned<i32> {
        match skill {
            Skill::Validating => &self.validating,
            Skill::AvoidingAssumptions => &self.avoiding_assumptions,
            Skill::Reflecting => &self.reflecting,
        }
    }

    /// Scores as a plain array indexed by `Skill::index`.
    pub fn values(&self) -> [i32; Skill::ALL.len()] {
        Skill::ALL.map(|s| self.get(s).value)
    }
}
