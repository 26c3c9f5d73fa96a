use std::collections::HashMap;
use std::sync::Arc;

use attune_core::engine::{Mode, Session, Status};
use attune_core::ids::ChoiceId;
use attune_core::{Playable, Severity};

use super::*;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const SHIPPED: [&str; 3] = [
    "scenarios/grief-eleven-weeks.scenario.ron",
    "scenarios/guarded-teen-referral.scenario.ron",
    "scenarios/new-country-student.scenario.ron",
];

fn file(path: &str) -> Arc<Playable> {
    let loaded = attune_core::load_file(format!("{ROOT}/{path}").as_ref(), None).unwrap();
    loaded
        .playable
        .unwrap_or_else(|| panic!("{path}: {:?}", loaded.diagnostics))
}

/// The tests' base scenario with `edits` (find, replace) applied, each exactly once.
fn base_with(edits: &[(&str, &str)]) -> Arc<Playable> {
    let mut text = std::fs::read_to_string(format!(
        "{ROOT}/tests/scenarios-ok/broken-base.scenario.ron"
    ))
    .unwrap();
    for (find, replace) in edits {
        assert_eq!(text.matches(find).count(), 1, "{find}");
        text = text.replacen(find, replace, 1);
    }
    let loaded = attune_core::load_str("t.scenario.ron", text, None);
    loaded
        .playable
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
}

fn run(playable: &Playable) -> Report<'_> {
    test(playable, Options::default(), &|_| {})
}

fn replay(playable: &Arc<Playable>, choices: &[ChoiceId]) -> Session {
    let mut session = Session::start(Arc::clone(playable), Mode::Assessment, 1);
    for id in choices {
        session
            .choose_id(id.as_str(), 0)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    session
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .map(|f| f.diagnostic.code.as_str())
        .collect()
}

#[test]
fn every_situation_of_the_shipped_scenarios_is_where_its_path_leads_the_engine() {
    for path in SHIPPED {
        let playable = file(path);
        let report = run(&playable);
        let space = report.space.as_ref().unwrap();
        assert!(report.is_exhaustive(), "{path}");
        assert!(space.len() > 100, "{path}: {} situations", space.len());
        let mut flags = vec![false; playable.flags().len()];
        for s in 0..space.len() as u32 {
            let session = replay(&playable, &report.path(Trail::State(s)));
            space.load_flags(s, &mut flags);
            assert_eq!(
                session.prompt().map(|p| p.node),
                Some(space.node(s)),
                "{path}"
            );
            assert_eq!(session.variables(), space.variables(s), "{path}");
            assert_eq!(session.flags(), flags.as_slice(), "{path}");
            // And the engine offers exactly the replies the search tried there.
            let mut offered: Vec<_> = session.prompt().unwrap().order.clone();
            offered.sort();
            let tried: Vec<_> = space.edges(s).iter().map(|e| e.choice).collect();
            assert_eq!(offered, tried, "{path}");
        }
        assert!(report.findings(Purpose::Check).is_empty(), "{path}");
    }
}

/// Every complete path, one session at a time: what the search must add up to.
fn enumerate(playable: &Arc<Playable>) -> (HashMap<usize, u64>, [i32; 3], [i32; 3]) {
    let mut paths = HashMap::new();
    let (mut low, mut high) = ([i32::MAX; 3], [i32::MIN; 3]);
    let start = Session::start(Arc::clone(playable), Mode::Assessment, 1);
    let mut stack = vec![(start, [0i32; 3])];
    while let Some((session, totals)) = stack.pop() {
        match session.status() {
            Status::Ended(e) => {
                *paths.entry(e.index()).or_insert(0) += 1;
                for k in 0..3 {
                    low[k] = low[k].min(totals[k]);
                    high[k] = high[k].max(totals[k]);
                }
            }
            Status::AwaitingChoice => {
                let offered: Vec<ChoiceId> = session.offered_ids().cloned().collect();
                for id in offered {
                    let mut next = session.clone();
                    let applied = next.choose_id(id.as_str(), 0).unwrap();
                    let scores = applied.chosen(playable).scores.values();
                    let mut t = totals;
                    for k in 0..3 {
                        t[k] += scores[k];
                    }
                    stack.push((next, t));
                }
            }
            Status::Stopped(reason) => panic!("stopped: {reason:?}"),
        }
    }
    (paths, low, high)
}

#[test]
fn path_counts_and_score_ranges_match_every_path_played_one_by_one() {
    for path in ["scenarios/grief-eleven-weeks.scenario.ron"] {
        let playable = file(path);
        let report = run(&playable);
        let (paths, low, high) = enumerate(&playable);
        for summary in &report.endings {
            assert_eq!(
                summary.paths,
                Some(paths.get(&summary.ending.index()).copied().unwrap_or(0)),
                "{path}"
            );
        }
        assert_eq!(report.score_range, Some((low, high)), "{path}");
        assert!(!report.loops);
    }
}

#[test]
fn a_reply_whose_condition_never_holds_is_never_offered() {
    let playable = base_with(&[(
        "                    set: [\"felt_judged\"],\n",
        "                    set: [\"felt_judged\"],\n                    when: \"openness >= 3\",\n",
    )]);
    let report = run(&playable);
    let findings = report.findings(Purpose::Test);
    let offered = findings
        .iter()
        .find(|f| f.diagnostic.code.as_str() == "never-offered")
        .unwrap();
    assert!(
        offered.diagnostic.message.contains("`opening.2`"),
        "{}",
        offered.diagnostic.message
    );
    assert_eq!(offered.diagnostic.severity, Severity::Error);
    assert!(
        offered
            .diagnostic
            .help
            .as_deref()
            .unwrap()
            .contains("`openness` is always 1")
    );
    // Without the reply that sets it, felt_judged is never set: the rule that reads it never
    // holds, `guarded` is never reached, and the flag's only setter is dead.
    let mut found = codes(&findings);
    found.sort_unstable();
    assert_eq!(found, ["never-offered", "never-reached", "never-true"]);
    // The reproducer shows the node, without the reply.
    let session = replay(&playable, &offered.reproducer.as_ref().unwrap().choices);
    assert_eq!(session.node().unwrap().id.as_str(), "opening");
    assert!(session.offered_ids().all(|id| id.as_str() != "opening.2"));
    // `attune check` keeps to what needs fixing, as warnings.
    let check = report.findings(Purpose::Check);
    assert_eq!(codes(&check), ["never-offered", "never-reached"]);
    assert!(
        check
            .iter()
            .all(|f| f.diagnostic.severity == Severity::Warning)
    );
}

#[test]
fn a_rule_after_one_that_always_holds_is_never_tried() {
    let playable = base_with(&[(
        "rules: [(when: \"felt_judged\", next: \"guarded\")],",
        "rules: [(when: \"openness >= 0\", next: \"guarded\"), (when: \"felt_judged\", next: \"open\")],",
    )]);
    let report = run(&playable);
    let findings = report.findings(Purpose::Test);
    let never_tried = findings
        .iter()
        .find(|f| f.diagnostic.message.contains("never tried"))
        .unwrap();
    assert_eq!(never_tried.diagnostic.code.as_str(), "never-true");
    assert!(
        never_tried
            .diagnostic
            .help
            .as_deref()
            .unwrap()
            .contains("\"openness >= 0\" always holds first")
    );
    // `open` is only reached through `otherwise` and the untried rule.
    let unreached = findings
        .iter()
        .find(|f| f.diagnostic.code.as_str() == "never-reached")
        .unwrap();
    assert!(unreached.diagnostic.message.contains("`open`"));
    let reproducer = unreached.reproducer.as_ref().unwrap();
    // The way in starts at `worry`, which the first reply reaches straight away.
    assert_eq!(reproducer.choices.len(), 1);
    assert_eq!(
        replay(&playable, &reproducer.choices)
            .node()
            .unwrap()
            .id
            .as_str(),
        "guarded"
    );
}

#[test]
fn a_node_where_no_reply_holds_is_a_way_to_get_stuck() {
    let playable = base_with(&[(
        "reply: \"It sounds like there's more going on in the mornings.\",",
        "reply: \"It sounds like there's more going on in the mornings.\",\n                    when: \"not felt_judged\",",
    )]);
    let report = run(&playable);
    let stuck = report
        .findings(Purpose::Check)
        .into_iter()
        .find(|f| f.diagnostic.code.as_str() == "no-way-out")
        .unwrap();
    assert!(stuck.diagnostic.is_error());
    assert!(stuck.diagnostic.message.contains("stuck at `guarded`"));
    assert!(stuck.diagnostic.primary.text.contains("`felt_judged` set"));
    let session = replay(&playable, &stuck.reproducer.unwrap().choices);
    assert_eq!(
        session.status(),
        Status::Stopped(attune_core::engine::StopReason::NoChoiceOffered)
    );
}

#[test]
fn a_loop_without_a_way_out_and_branches_in_a_circle_are_found() {
    // guarded → worry → guarded while felt_judged is set: round for ever.
    let looping = base_with(&[(
        "                    next: \"heard\",\n                    scores: (avoiding_assumptions: 1, reflecting: 1),",
        "                    next: \"worry\",\n                    scores: (avoiding_assumptions: 1, reflecting: 1),",
    )]);
    let report = run(&looping);
    assert!(report.loops);
    assert!(report.endings.iter().all(|e| e.paths.is_none()));
    let findings = report.findings(Purpose::Check);
    assert_eq!(codes(&findings), ["no-way-out"]);
    assert!(
        findings[0]
            .diagnostic
            .message
            .contains("round forever from `guarded`")
    );
    let session = replay(&looping, &findings[0].reproducer.as_ref().unwrap().choices);
    assert_eq!(session.node().unwrap().id.as_str(), "guarded");
    assert!(session.flags()[0]);

    // A branch rule that leads back to its own branch, taken whenever felt_judged is not set.
    let circle = base_with(&[(
        "rules: [(when: \"felt_judged\", next: \"guarded\")],",
        "rules: [(when: \"felt_judged\", next: \"guarded\"), (when: \"openness >= 1\", next: \"worry\")],",
    )]);
    let findings = run(&circle).findings(Purpose::Check);
    let circle_found = findings
        .iter()
        .find(|f| f.diagnostic.message.contains("round other branches"))
        .unwrap();
    let session = replay(&circle, &circle_found.reproducer.as_ref().unwrap().choices);
    assert_eq!(
        session.status(),
        Status::Stopped(attune_core::engine::StopReason::LoopLimit)
    );
}

#[test]
fn a_loop_with_a_way_out_counts_no_paths_and_traps_nobody() {
    // open → opening: the trainee can go round, but can always leave through `guarded`.
    let playable = base_with(&[(
        "                    next: \"heard\",\n                    scores: (validating: 2, reflecting: 2),",
        "                    next: \"opening\",\n                    scores: (validating: 2, reflecting: 2),",
    )]);
    let report = run(&playable);
    assert!(report.loops);
    assert_eq!(report.score_range, None);
    assert!(report.findings(Purpose::Check).is_empty());
    // But a trainee who always takes the strongest reply never takes it.
    let findings = report.findings(Purpose::Test);
    assert_eq!(codes(&findings), ["move-limit"]);
    assert!(findings[0].diagnostic.message.starts_with(
        "a trainee who always takes the strongest reply on offer goes on for 10,000 moves"
    ));
    // The reproducer stops where the loop starts, not 10,000 moves later.
    let reproducer = findings[0].reproducer.as_ref().unwrap();
    assert!(reproducer.choices.len() <= 2, "{:?}", reproducer.choices);
    let session = replay(&playable, &reproducer.choices);
    assert_eq!(session.status(), Status::AwaitingChoice);
}

#[test]
fn flags_and_hidden_variables_nothing_reads_are_reported_with_who_sets_them() {
    let playable = base_with(&[
        (
            "flags: [\"felt_judged\"],",
            "flags: [\"felt_judged\", \"mum_named\", \"spare\"],",
        ),
        (
            "                    scores: (validating: 2, reflecting: 2),\n",
            "                    scores: (validating: 2, reflecting: 2),\n                    set: [\"mum_named\"],\n                    change: {\"openness\": 1},\n",
        ),
    ]);
    let findings = run(&playable).findings(Purpose::Test);
    let message = |code: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.diagnostic.code.as_str() == code)
            .map(|f| f.diagnostic.message.clone())
            .collect()
    };
    assert_eq!(
        message("unread-flag"),
        [
            "the flag `mum_named` is set but never read",
            "the flag `spare` is never used"
        ]
    );
    // `openness` is hidden and nothing tests it; `trust` is shown to the trainee.
    assert_eq!(
        message("unread-variable"),
        ["the variable `openness` changes, but nothing reads it"]
    );
    let mum = findings
        .iter()
        .find(|f| f.diagnostic.message.contains("mum_named"))
        .unwrap();
    let session = replay(&playable, &mum.reproducer.as_ref().unwrap().choices);
    assert!(session.flags()[1], "the reproducer sets the flag");
    assert!(findings.iter().all(|f| !f.diagnostic.is_error()));
}

#[test]
fn too_many_situations_fall_back_on_walks_whose_reproducers_replay() {
    let playable = file(SHIPPED[1]);
    let options = Options {
        max_states: 50,
        walks: 200,
        seed: 9,
        ..Options::default()
    };
    let report = test(&playable, options, &|_| {});
    assert_eq!(
        report.method,
        Method::Walks {
            max_states: 50,
            count: 200,
            seed: 9
        }
    );
    let walked: u64 = report.endings.iter().filter_map(|e| e.walks).sum();
    assert_eq!(walked, 200);
    assert!(report.endings.iter().all(|e| e.paths.is_none()));
    // What the walks saw first, they can show again.
    for node in playable.clients() {
        if let Some(trail) = report.coverage.client(node) {
            let session = replay(&playable, &report.path(trail));
            assert_eq!(session.prompt().map(|p| p.node), Some(node));
        }
    }
    // Walks prove nothing is missing: whatever they did not see is a warning, not an error.
    assert!(
        report
            .findings(Purpose::Test)
            .iter()
            .all(|f| !f.diagnostic.is_error())
    );
    assert!(report.findings(Purpose::Check).is_empty());
}

#[test]
fn the_search_gives_up_exactly_past_its_bound() {
    let playable = file(SHIPPED[0]);
    let situations = match run(&playable).method {
        Method::Exhaustive { situations } => situations,
        Method::Walks { .. } => panic!("the shipped scenario is small"),
    };
    let with = |max_states| {
        let options = Options {
            max_states,
            walks: 10,
            ..Options::default()
        };
        test(&playable, options, &|_| {}).is_exhaustive()
    };
    assert!(with(situations));
    assert!(!with(situations - 1));
}

#[test]
fn reproducers_quote_what_a_shell_would_split() {
    let reproducer = Reproducer {
        seed: 4,
        choices: vec![ChoiceId::from("opening.1"), ChoiceId::from("worry.2")],
    };
    assert_eq!(
        reproducer.command("scenarios/a.scenario.ron".as_ref()),
        "attune play scenarios/a.scenario.ron --seed 4 --choices opening.1,worry.2"
    );
    assert_eq!(
        reproducer.command("my scenarios/Tom's.scenario.ron".as_ref()),
        "attune play 'my scenarios/Tom'\\''s.scenario.ron' --seed 4 --choices opening.1,worry.2"
    );
    let first_prompt = Reproducer {
        seed: 4,
        choices: Vec::new(),
    };
    assert_eq!(
        first_prompt.command("a.scenario.ron".as_ref()),
        "attune play a.scenario.ron --seed 4"
    );
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(999), "999");
}
