//! Uniformly random players: at every prompt each reply on offer is equally likely. What they
//! reach, and how they score, says how much a scenario rewards skill rather than luck.

use std::sync::Arc;

use attune_core::Playable;
use attune_core::engine::{Mode, Session, Status};
use attune_core::ids::ChoiceId;
use attune_core::scoring::Scorecard;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One random walk from the start to an ending (or a stop).
#[derive(Debug, Clone)]
pub struct Walk {
    /// The session seed (wording and order) and the choices made, by id: enough to reproduce
    /// the walk with `attune play FILE --seed S --choices id,id,…`.
    pub seed: u64,
    pub choices: Vec<ChoiceId>,
    pub status: Status,
    pub card: Scorecard,
}

/// `count` random walks; walk `i` plays session seed `seed + i` and picks with its own stream,
/// so every walk is reproducible on its own.
pub fn random_walks(
    playable: &Arc<Playable>,
    count: usize,
    seed: u64,
    step_limit: u32,
) -> Vec<Walk> {
    (0..count as u64)
        .map(|i| random_walk(playable, seed.wrapping_add(i), step_limit))
        .collect()
}

/// One uniformly random walk.
pub fn random_walk(playable: &Arc<Playable>, seed: u64, step_limit: u32) -> Walk {
    let mut session =
        Session::start(Arc::clone(playable), Mode::Assessment, seed).with_step_limit(step_limit);
    // A stream of its own, so the picks do not disturb the session's wording and order.
    let mut picker = ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut choices = Vec::new();
    while session.status() == Status::AwaitingChoice {
        let offered: Vec<ChoiceId> = session.offered_ids().cloned().collect();
        let pick = picker.random_range(0..offered.len());
        if session.choose_id(offered[pick].as_str(), 0).is_err() {
            break;
        }
        choices.push(offered[pick].clone());
    }
    Walk {
        seed,
        choices,
        status: session.status(),
        card: Scorecard::of(&session),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::tom;

    #[test]
    fn walks_end_and_are_reproducible_from_their_seed() {
        let playable = tom();
        let walks = random_walks(&playable, 50, 7, 1_000);
        assert!(walks.iter().all(|w| matches!(w.status, Status::Ended(_))));
        let again = random_walk(&playable, walks[13].seed, 1_000);
        assert_eq!(again.choices, walks[13].choices);
        // Replaying the recorded ids with the recorded seed reaches the same place.
        let mut session = Session::start(playable, Mode::Assessment, walks[13].seed);
        for id in &walks[13].choices {
            session.choose_id(id.as_str(), 0).unwrap();
        }
        assert_eq!(session.status(), walks[13].status);
    }

    #[test]
    fn random_players_take_different_paths() {
        let walks = random_walks(&tom(), 30, 1, 1_000);
        let distinct: std::collections::HashSet<_> = walks.iter().map(|w| &w.choices).collect();
        assert!(distinct.len() > 10, "{} distinct paths", distinct.len());
    }
}
