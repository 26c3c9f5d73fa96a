//! The session engine on the shipped scenarios: determinism, modes, take-backs, and random
//! walks (property tests) that must always end well.

use std::path::PathBuf;
use std::sync::Arc;

use attune_core::analysis::Bounds;
use attune_core::engine::{EngineError, Mode, Session, Status, StopReason};
use attune_core::scoring::Scorecard;
use attune_core::{Playable, load_file};
use proptest::prelude::*;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scenario.ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    files
}

/// Every shipped scenario, loaded once for all the tests (the property test asks for them in
/// every case).
fn shipped() -> Vec<Arc<Playable>> {
    static SHIPPED: std::sync::OnceLock<Vec<Arc<Playable>>> = std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| {
            scenario_files()
                .iter()
                .map(|f| {
                    let loaded = load_file(f, None).unwrap();
                    loaded
                        .playable
                        .unwrap_or_else(|| panic!("{} has errors", f.display()))
                })
                .collect()
        })
        .clone()
}

fn shipped_one(id: &str) -> Arc<Playable> {
    shipped()
        .into_iter()
        .find(|p| p.scenario().id.value.as_str() == id)
        .unwrap_or_else(|| panic!("no shipped scenario `{id}`"))
}

fn parse(text: &str) -> Arc<Playable> {
    let loaded = attune_core::load_str("test.scenario.ron", text.to_owned(), None);
    loaded
        .playable
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
}

/// A transcript of everything a view would show, for comparing runs.
fn walk(scenario: &Arc<Playable>, mode: Mode, seed: u64, picks: &[usize]) -> (String, Session) {
    let mut session = Session::start(scenario.clone(), mode, seed);
    let mut transcript = String::new();
    let mut picks = picks.iter().cycle();
    while session.status() == Status::AwaitingChoice {
        transcript += session.line().unwrap();
        for id in session.offered_ids() {
            transcript += "|";
            transcript += id.as_str();
        }
        transcript += "\n";
        let offered = session.offered().count();
        let pick = picks.next().unwrap() % offered + 1;
        session.choose(pick, 0).unwrap();
    }
    transcript += &format!("{:?} {:?}", session.status(), session.variables());
    (transcript, session)
}

#[test]
fn same_seed_and_choices_give_the_same_transcript() {
    for scenario in shipped() {
        for seed in [0, 1, 42, u64::MAX] {
            let (a, _) = walk(&scenario, Mode::Practice, seed, &[0, 2, 1, 3]);
            let (b, _) = walk(&scenario, Mode::Practice, seed, &[0, 2, 1, 3]);
            assert_eq!(a, b);
        }
    }
}

#[test]
fn different_seeds_shuffle_the_order() {
    let scenario = &shipped()[0];
    let orders: std::collections::HashSet<Vec<_>> = (0..20)
        .map(|seed| {
            Session::start(scenario.clone(), Mode::Practice, seed)
                .prompt()
                .unwrap()
                .order
                .clone()
        })
        .collect();
    assert!(
        orders.len() > 3,
        "seeds should give different orders: {orders:?}"
    );
}

#[test]
fn take_back_restores_the_same_prompt_and_state() {
    for scenario in shipped() {
        let mut session = Session::start(scenario.clone(), Mode::Practice, 9);
        session.choose(1, 0).unwrap();
        let prompt = session.prompt().cloned();
        let variables = session.variables().to_vec();
        session.choose(2, 0).unwrap();
        session.take_back().unwrap();
        assert_eq!(session.prompt().cloned(), prompt);
        assert_eq!(session.variables(), variables);
        assert_eq!(session.decisions().len(), 2);
        assert!(session.decisions()[1].taken_back);
        // Choosing again: the first reply is the one scored.
        session.choose(1, 0).unwrap();
        let again = &session.decisions()[2];
        assert_eq!(again.first_choice, Some(session.decisions()[1].choice));
    }
}

#[test]
fn assessment_mode_has_no_hints_or_take_backs() {
    let scenario = &shipped()[0];
    let mut session = Session::start(scenario.clone(), Mode::Assessment, 1);
    assert!(matches!(
        session.hint(),
        Err(EngineError::NotInAssessment(_))
    ));
    session.choose(1, 0).unwrap();
    assert!(matches!(
        session.take_back(),
        Err(EngineError::NotInAssessment(_))
    ));
}

#[test]
fn options_outside_the_list_are_refused() {
    let scenario = &shipped()[0];
    let mut session = Session::start(scenario.clone(), Mode::Practice, 1);
    let offered = session.offered().count();
    assert_eq!(
        session.choose(offered + 1, 0),
        Err(EngineError::NoSuchOption {
            position: offered + 1,
            offered
        })
    );
    assert!(session.choose(0, 0).is_err());
    assert!(session.choose_id("no-such-choice", 0).is_err());
}

const LOOPING: &str = r#"(
    format: 1, id: "loop", title: "Loop", summary: "A loop.", author: "t",
    difficulty: Introductory, minutes: 1, objectives: ["Loop"],
    client: (name: "A", age: 30, pronouns: "they/them", briefing: "B", presenting_concern: "C"),
    state: (variables: [(name: "trust", min: 0, max: 3, start: 1)], flags: ["asked"]),
    start: "a",
    nodes: [
        Client(id: "a", says: ["Hello."], choices: [
            (reply: "Again", next: "gate", change: {"trust": 5}, set: ["asked"], feedback: "f"),
            (reply: "Leave", next: "end", when: "not asked", feedback: "f"),
        ]),
        Branch(id: "gate", rules: [(when: "trust >= 3", next: "a")], otherwise: "end"),
    ],
    endings: [(id: "end", title: "E", outcome: Engaged, text: "T", debrief: "D")],
)"#;

#[test]
fn effects_are_clamped_and_loops_stop_at_the_limit() {
    let scenario = parse(LOOPING);
    let mut session = Session::start(scenario, Mode::Practice, 3).with_step_limit(50);
    session.choose_id("a.1", 0).unwrap();
    assert_eq!(
        session.variable("trust"),
        Some(3),
        "5 added to 1 is clamped to the max of 3"
    );
    // "Leave" is no longer offered once `asked` is set; only "Again" loops.
    assert_eq!(session.offered().count(), 1);
    while session.status() == Status::AwaitingChoice {
        session.choose(1, 0).unwrap();
    }
    assert_eq!(session.status(), Status::Stopped(StopReason::LoopLimit));
    assert_eq!(session.playable().bounds(), &Bounds::HasLoop);
}

#[test]
fn start_at_any_node_with_chosen_state() {
    let scenario = parse(LOOPING);
    let session = Session::start_at(
        scenario.clone(),
        Mode::Practice,
        1,
        "a",
        &[("trust", 2)],
        &["asked"],
    )
    .unwrap();
    assert_eq!(session.variable("trust"), Some(2));
    assert_eq!(session.flags(), [true]);
    // `asked` is set, so "Leave" is not offered.
    assert_eq!(session.offered().count(), 1);
    assert!(Session::start_at(scenario.clone(), Mode::Practice, 1, "gate", &[], &[]).is_err());
    assert_eq!(
        Session::start_at(scenario, Mode::Practice, 1, "a", &[("trsut", 2)], &[]).err(),
        Some(EngineError::NoSuchState("trsut".into()))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random walks on every shipped scenario: no panic, an ending (or a reported stop) within
    /// the step limit, state always within its ranges, scores within the analysed bounds.
    #[test]
    fn random_walks_end_well(seed in any::<u64>(), picks in prop::collection::vec(0usize..8, 1..40), takebacks in prop::collection::vec(any::<bool>(), 1..40)) {
        for scenario in shipped() {
            let mut session = Session::start(scenario.clone(), Mode::Practice, seed).with_step_limit(500);
            let mut i = 0;
            while session.status() == Status::AwaitingChoice {
                let offered = session.offered().count();
                prop_assert!(offered > 0);
                session.choose(picks[i % picks.len()] % offered + 1, 0).unwrap();
                if takebacks[i % takebacks.len()] && i % 3 == 0 && session.can_take_back() {
                    session.take_back().unwrap();
                }
                for (v, value) in scenario.variables().iter().zip(session.variables()) {
                    prop_assert!((v.min.value..=v.max.value).contains(value), "{} = {value}", v.name.value);
                }
                i += 1;
                prop_assert!(i < 1000, "a walk must end");
            }
            prop_assert!(matches!(session.status(), Status::Ended(_) | Status::Stopped(_)));
            let card = Scorecard::of(&session);
            if let Bounds::Bounded { worst, best } = scenario.bounds() {
                for s in &card.skills {
                    let k = s.skill.index();
                    prop_assert!(worst[k] <= s.raw && s.raw <= best[k], "{:?}: {} not in {}..={}", s.skill, s.raw, worst[k], best[k]);
                    prop_assert!(s.percent.is_none_or(|p| p <= 100));
                }
            } else {
                prop_assert!(false, "shipped scenarios have no loops");
            }
        }
    }
}

/// The wording and order a seed gives, written out literally. Every saved result is replayed
/// with the same seed, so if this changes (a new `rand` or `rand_chacha` algorithm, a change in
/// how the engine draws), old results no longer replay: bump `ENGINE_VERSION` and say so.
#[test]
fn golden_transcript_pins_the_random_stream() {
    let p = shipped_one("grief-eleven-weeks");
    let mut session = Session::start(p, Mode::Practice, 2026);
    let expected: [(&str, u16, &str, &[&str]); 4] = [
        (
            "opening",
            0,
            "I'll be honest with you, I'm only here because our Sarah made me. I'm managing fine.",
            &[
                "opening.coat",
                "opening.sell-counselling",
                "opening.reflect-reluctance",
                "opening.not-fine",
            ],
        ),
        (
            "managing",
            1,
            "There's the garden, there's the telly, Sarah rings of an evening. Everyone's been very kind. I manage.",
            &[
                "managing.comfort",
                "managing.list",
                "managing.sleep",
                "managing.keep-busy",
            ],
        ),
        (
            "evenings",
            2,
            "Evenings, I suppose. Bit of toast. Then I sit in her chair and the telly's on, but I'm not watching it.",
            &["evenings.meals", "evenings.slowed", "evenings.frightening"],
        ),
        (
            "chair",
            1,
            "It's her chair I sit in now. Not mine, though mine's right there. Daft old beggar.",
            &[
                "chair.move",
                "chair.know-how",
                "chair.close-to-her",
                "chair.ring",
            ],
        ),
    ];
    for (node, variant, line, order) in expected {
        assert_eq!(session.node().unwrap().id.value.as_str(), node);
        assert_eq!(session.prompt().unwrap().variant, variant);
        assert_eq!(session.line(), Some(line));
        let shown: Vec<_> = session.offered_ids().map(|i| i.as_str()).collect();
        assert_eq!(shown, order);
        session.choose(2, 0).unwrap();
    }
}
