//! xAPI 1.0.3 statements: one per run (`completed`, or `terminated` for a run left or stopped
//! before an ending) and one per decision (`answered`). Trainees are pseudonymous accounts;
//! activity ids hang off a configurable base IRI; statement ids are name-based UUIDs of the run
//! and decision, so sending a run twice sends the same statements and an LRS keeps one copy.
//!
//! The run statement carries the whole Attune result in an extension, so that a report built
//! from an LRS ([`run_of`]) has exactly the numbers a report from the files has.

use serde_json::{Value, json};
use uuid::Uuid;

use attune_core::engine::Mode;
use attune_core::results::{RunResult, RunStatus};
use attune_core::skills::Skill;

/// Replace with an IRI your institution owns (`--activity-base`, or the exercise's
/// `activity_base`): `.invalid` never resolves, so nobody else's activities are claimed.
pub const DEFAULT_BASE: &str = "https://attune.invalid/";

pub const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
pub const VERB_TERMINATED: &str = "http://adlnet.gov/expapi/verbs/terminated";
pub const VERB_ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
pub const XAPI_VERSION: &str = "1.0.3";

/// The name of the run statement's extension that holds the Attune result, under the base IRI.
pub const RESULT_EXTENSION: &str = "extensions/attune-run-result";

/// `base` with exactly one trailing `/`.
pub fn normalise_base(base: &str) -> String {
    format!("{}/", base.trim_end_matches('/'))
}

/// The id of a run's statement (`decision: None`) or of its n-th decision's (0-based).
pub fn statement_id(result: &RunResult, base: &str, decision: Option<usize>) -> Uuid {
    let base = normalise_base(base);
    let mut name = format!(
        "{base}runs/{}/{}/{}",
        result.scenario.id, result.trainee, result.run
    );
    if let Some(n) = decision {
        name.push_str(&format!("/decisions/{n}"));
    }
    Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
}

fn scenario_activity(result: &RunResult, base: &str) -> Value {
    json!({
        "objectType": "Activity",
        "id": format!("{base}scenarios/{}", iri_segment(result.scenario.id.as_str())),
        "definition": {
            "name": { "en-US": result.scenario.title },
            "type": "http://adlnet.gov/expapi/activities/simulation",
        }
    })
}

/// A path segment of an IRI: ids are `[a-z0-9_-]` already; anything else is percent-encoded.
fn iri_segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn context(result: &RunResult, base: &str, parent: Option<Value>) -> Value {
    let mut activities = serde_json::Map::new();
    if let Some(parent) = parent {
        activities.insert("parent".into(), json!([parent]));
    }
    if let Some(exercise) = &result.exercise {
        activities.insert(
            "grouping".into(),
            json!([{
                "objectType": "Activity",
                "id": format!("{base}exercises/{}", iri_segment(&exercise.id)),
                "definition": { "name": { "en-US": exercise.title } },
            }]),
        );
    }
    let mut context = json!({
        "registration": statement_id(result, base, None).to_string(),
        "platform": "Attune",
        "extensions": {
            format!("{base}extensions/mode"): match result.mode {
                Mode::Practice => "practice",
                Mode::Assessment => "assessment",
            },
            format!("{base}extensions/seed"): result.seed,
            format!("{base}extensions/run"): result.run.as_str(),
        },
    });
    if !activities.is_empty() {
        context["contextActivities"] = Value::Object(activities);
    }
    context
}

/// ISO 8601 duration, e.g. `PT12.345S`.
fn duration(ms: u64) -> String {
    format!("PT{}.{:03}S", ms / 1000, ms % 1000)
}

/// Every statement for one run: the run's, then one per decision, in order.
pub fn statements(result: &RunResult, base: &str) -> Vec<Value> {
    let base = normalise_base(base);
    let actor = json!({
        "objectType": "Agent",
        "account": { "homePage": base, "name": result.trainee.as_str() },
    });
    let percents: Vec<u32> = result.scores.iter().filter_map(|s| s.percent).collect();
    let mut run_result = json!({
        "completion": result.status == RunStatus::Completed,
        "extensions": {
            format!("{base}{RESULT_EXTENSION}"): result,
        },
    });
    if !percents.is_empty() {
        let mean = percents.iter().sum::<u32>() as f64 / percents.len() as f64;
        run_result["score"] = json!({
            "scaled": (mean / 100.0 * 1000.0).round() / 1000.0,
            "raw": mean.round(),
            "min": 0,
            "max": 100,
        });
    }
    let started = humantime::parse_rfc3339(&result.started_at).ok();
    let ended = humantime::parse_rfc3339(&result.ended_at).ok();
    if let (Some(s), Some(e)) = (started, ended)
        && let Ok(d) = e.duration_since(s)
    {
        run_result["duration"] = json!(duration(d.as_millis() as u64));
    }
    let (verb, verb_name) = match result.status {
        RunStatus::Completed => (VERB_COMPLETED, "completed"),
        RunStatus::Abandoned | RunStatus::Stopped(_) => (VERB_TERMINATED, "terminated"),
    };
    let scenario = scenario_activity(result, &base);
    let mut out = vec![json!({
        "id": statement_id(result, &base, None).to_string(),
        "actor": actor,
        "verb": { "id": verb, "display": { "en-US": verb_name } },
        "object": scenario,
        "result": run_result,
        "context": context(result, &base, None),
        "timestamp": result.ended_at,
        "version": XAPI_VERSION,
    })];
    let mut at = started;
    let mut votes = result.group.iter().flat_map(|g| g.decisions.iter());
    for (i, d) in result.decisions.iter().enumerate() {
        at = at.map(|t| t + std::time::Duration::from_millis(d.elapsed_ms));
        let timestamp = at.map_or_else(
            || result.ended_at.clone(),
            |t| humantime::format_rfc3339_millis(t).to_string(),
        );
        let scores: serde_json::Map<String, Value> = Skill::ALL
            .iter()
            .map(|s| {
                (
                    s.key().to_owned(),
                    json!(d.scores.get(s).copied().unwrap_or(0)),
                )
            })
            .collect();
        let mut extensions = json!({
            format!("{base}extensions/scores"): scores,
            format!("{base}extensions/taken-back"): d.taken_back,
            format!("{base}extensions/hint-used"): d.hint_used,
        });
        if let Some(first) = &d.first_choice {
            extensions[format!("{base}extensions/first-choice")] = json!(first.as_str());
        }
        if !d.taken_back
            && let Some(room) = votes.next()
        {
            extensions[format!("{base}extensions/room-votes")] = json!(room.votes);
        }
        let choices: Vec<Value> = d
            .shown
            .iter()
            .map(|c| json!({ "id": c.as_str(), "description": { "en-US": c.as_str() } }))
            .collect();
        out.push(json!({
            "id": statement_id(result, &base, Some(i)).to_string(),
            "actor": actor,
            "verb": { "id": VERB_ANSWERED, "display": { "en-US": "answered" } },
            "object": {
                "objectType": "Activity",
                "id": format!(
                    "{base}scenarios/{}/nodes/{}",
                    iri_segment(result.scenario.id.as_str()),
                    iri_segment(d.node.as_str())
                ),
                "definition": {
                    "name": { "en-US": format!("{}: {}", result.scenario.title, d.node) },
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "interactionType": "choice",
                    "choices": choices,
                },
            },
            "result": {
                "response": d.chosen.as_str(),
                "duration": duration(d.elapsed_ms),
                "extensions": extensions,
            },
            "context": context(result, &base, Some(scenario_activity(result, &base))),
            "timestamp": timestamp,
            "version": XAPI_VERSION,
        }));
    }
    out
}

/// The Attune result a run statement carries, if it is one of ours (any base IRI).
pub fn run_of(statement: &Value) -> Option<RunResult> {
    let extensions = statement.get("result")?.get("extensions")?.as_object()?;
    let (_, value) = extensions
        .iter()
        .find(|(key, _)| key.ends_with(RESULT_EXTENSION))?;
    let bytes = serde_json::to_vec(value).ok()?;
    attune_core::results::parse(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_statement_carries_its_result_and_ids_are_stable() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/grief-eleven-weeks.scenario.ron");
        let playable = attune_core::load_file(&path, None)
            .unwrap()
            .playable
            .unwrap();
        let mut session = attune_core::engine::Session::start(playable, Mode::Practice, 3);
        session.choose(1, 1500).unwrap();
        let card = attune_core::scoring::Scorecard::of(&session);
        let now = std::time::SystemTime::now();
        let result = RunResult::from_session(&session, &card, "t 1".into(), None, now, now, true);
        let statements = statements(&result, "https://example.edu/attune");
        assert_eq!(statements.len(), 2);
        assert_eq!(run_of(&statements[0]), Some(result.clone()));
        assert_eq!(statements[0]["verb"]["id"], VERB_TERMINATED);
        assert_eq!(statements[1]["verb"]["id"], VERB_ANSWERED);
        assert_eq!(statements[1]["result"]["duration"], "PT1.500S");
        assert_eq!(statements[0]["actor"]["account"]["name"], "t 1");
        assert_eq!(
            statements[0]["context"]["registration"],
            statements[1]["context"]["registration"]
        );
        let again = super::statements(&result, "https://example.edu/attune/");
        assert_eq!(again, statements, "the same run gives the same statements");
        let other_base = super::statements(&result, "https://other.example.edu/");
        assert_ne!(other_base[0]["id"], statements[0]["id"]);
    }

    #[test]
    fn durations_and_segments() {
        assert_eq!(duration(61_005), "PT61.005S");
        assert_eq!(iri_segment("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(normalise_base("https://x.org/a//"), "https://x.org/a/");
    }
}
