//! Generated scenarios of any size, for benchmarks and property tests. The text lengths follow
//! the shipped scenarios (about 1.9 KB per node: a cue, two wordings and three replies with
//! feedback), and every node is valid, reachable and can reach an ending, so the checks do all
//! their work.

use std::fmt::Write as _;

/// A valid scenario with `nodes` nodes (every tenth a branch) and three endings.
pub fn scenario_text(nodes: usize) -> String {
    let nodes = nodes.max(2);
    let mut out = String::with_capacity(nodes * 720);
    out.push_str(
        r#"(
    format: 1,
    id: "generated",
    title: "Generated scenario",
    summary: "A long generated scenario for measuring the loader.",
    author: "attune-core::generate",
    difficulty: Intermediate,
    minutes: 30,
    objectives: ["Reflect feelings", "Stay curious"],
    client: (
        name: "Alex",
        age: 40,
        pronouns: "they/them",
        briefing: "Alex has come to talk about a difficult few months at work and at home.",
        presenting_concern: "Stress",
    ),
    state: (
        variables: [(name: "openness", min: 0, max: 5, start: 1, visible: true)],
        flags: ["felt_judged", "felt_heard"],
    ),
    start: "n0",
    nodes: [
"#,
    );
    let target = |i: usize| {
        if i < nodes {
            format!("n{i}")
        } else {
            format!("end{}", i - nodes)
        }
    };
    for i in 0..nodes {
        if i % 10 == 9 {
            let _ = write!(
                out,
                r#"        Branch(
            id: "n{i}",
            rules: [
                (when: "trust >= 6 and not felt_judged", next: "{a}"),
                (when: "felt_heard or openness > 3", next: "{b}"),
            ],
            otherwise: "{c}",
        ),
"#,
                a = target(i + 1),
                b = target(i + 2),
                c = target(i + 3),
            );
            continue;
        }
        let _ = write!(
            out,
            r#"        Client(
            id: "n{i}",
            emotion: Sad,
            cue: Pause("They stop, look down at their hands, and take a long breath before going on."),
            says: [
                "It's been one thing after another, and I keep telling myself I should be coping better than this.",
                "Everything keeps piling up, and I feel like I ought to be handling it better than I am.",
            ],
            hint: "What is underneath the 'should'?",
            choices: [
                (
                    reply: "You're carrying a lot, and on top of it you're being hard on yourself.",
                    next: "{a}",
                    scores: (validating: 2, avoiding_assumptions: 1, reflecting: 2),
                    codes: (carkhuff: 4.0, miti: ComplexReflection, notices_cue: true),
                    change: {{"trust": 1, "openness": 1}},
                    set: ["felt_heard"],
                    feedback: "Reflecting both the load and the self-criticism adds the feeling beneath the words.",
                    thought: "Yes. That's exactly it.",
                ),
                (
                    reply: "Have you thought about making a list and tackling one thing at a time?",
                    next: "{b}",
                    scores: (validating: -1, avoiding_assumptions: -1, reflecting: -2),
                    codes: (carkhuff: 1.5, miti: GivingInformation),
                    change: {{"trust": -1}},
                    set: ["felt_judged"],
                    feedback: "Advice this early skips the feeling and assumes the problem is organisation.",
                ),
                (
                    reply: "What does 'coping better' look like to you?",
                    next: "{c}",
                    when: "trust >= 2",
                    scores: (avoiding_assumptions: 2, reflecting: 0),
                    codes: (carkhuff: 3.0, miti: Question),
                    feedback: "An open question about their own standard stays curious rather than presuming.",
                ),
            ],
        ),
"#,
            a = target(i + 1),
            b = target(i + 2),
            c = target(i + 3),
        );
    }
    out.push_str("    ],\n    endings: [\n");
    for (e, outcome) in ["Engaged", "Referred", "Disengaged"].iter().enumerate() {
        let _ = write!(
            out,
            r#"        (
            id: "end{e}",
            title: "Ending {e}",
            outcome: {outcome},
            text: "The session comes to a close and Alex gathers their things, a little more settled than when they came in.",
            debrief: "Look back at the moments where Alex hesitated: each was an invitation to reflect the feeling.",
        ),
"#
        );
    }
    out.push_str("    ],\n)\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_scenarios_are_valid_at_every_size() {
        for n in [2, 10, 25, 1000] {
            let text = super::scenario_text(n);
            let loaded = crate::load_str("generated.scenario.ron", text, None);
            assert_eq!(loaded.diagnostics, vec![], "{n} nodes");
            assert_eq!(loaded.playable.unwrap().scenario().nodes.len(), n);
        }
    }
}
