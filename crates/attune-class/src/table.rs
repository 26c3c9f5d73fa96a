//! The report as CSV, for spreadsheets and statistics: one row per run (`runs.csv`) and one
//! row per decision (`decisions.csv`). Column names are stable; docs/classroom.md lists them.

use std::io::Write;

use attune_core::engine::Mode;
use attune_core::results::RunStatus;
use attune_core::skills::Skill;

use crate::report::ClassReport;

/// The columns of `runs.csv`, in order.
pub fn run_columns() -> Vec<String> {
    let mut columns: Vec<String> = [
        "run",
        "trainee",
        "exercise",
        "scenario",
        "scenario_title",
        "mode",
        "seed",
        "status",
        "ending",
        "outcome",
        "started_at",
        "ended_at",
        "duration_s",
        "attempt",
        "decisions",
        "hints_used",
        "room_participants",
    ]
    .map(str::to_owned)
    .to_vec();
    for skill in Skill::ALL {
        for what in ["points", "percent", "band"] {
            columns.push(format!("{}_{what}", skill.key()));
        }
    }
    columns.extend(
        [
            "carkhuff_mean",
            "reflections",
            "complex_reflections",
            "questions",
            "reflection_to_question",
            "complex_share",
            "mi_adherent",
            "mi_non_adherent",
            "cues_presented",
            "cues_noticed",
            "other_scenario_version",
            "source",
        ]
        .map(str::to_owned),
    );
    columns
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn ratio(value: Option<f32>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Practice => "practice",
        Mode::Assessment => "assessment",
    }
}

pub fn status_name(status: RunStatus) -> String {
    match status {
        RunStatus::Completed => "completed".into(),
        RunStatus::Abandoned => "abandoned".into(),
        RunStatus::Stopped(reason) => format!("stopped ({reason:?})").to_lowercase(),
    }
}

/// Writes `runs.csv`: one row per run, oldest first.
pub fn write_runs(report: &ClassReport, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(run_columns())?;
    for row in &report.runs {
        let r = &row.result;
        let i = &r.indicators;
        let mut record: Vec<String> = vec![
            r.run.to_string(),
            r.trainee.to_string(),
            opt(r.exercise.as_ref().map(|e| e.id.clone())),
            r.scenario.id.to_string(),
            r.scenario.title.clone(),
            mode_name(r.mode).into(),
            r.seed.to_string(),
            status_name(r.status),
            opt(r.ending.as_ref().map(|e| e.id.to_string())),
            opt(r.ending.as_ref().map(|e| e.outcome.label())),
            r.started_at.clone(),
            r.ended_at.clone(),
            opt(row.duration_s),
            row.attempt.to_string(),
            r.decisions
                .iter()
                .filter(|d| !d.taken_back)
                .count()
                .to_string(),
            r.hints_used.to_string(),
            opt(r.group.as_ref().and_then(|g| g.participants)),
        ];
        for skill in Skill::ALL {
            let score = r.scores.iter().find(|s| s.skill == skill);
            record.push(opt(score.map(|s| s.counted)));
            record.push(opt(score.and_then(|s| s.percent)));
            record.push(opt(score
                .and_then(|s| s.band)
                .map(|b| format!("{b:?}").to_lowercase())));
        }
        record.extend([
            ratio(i.carkhuff_mean),
            i.reflections.to_string(),
            i.complex_reflections.to_string(),
            i.questions.to_string(),
            ratio(i.reflection_to_question),
            ratio(i.complex_share),
            i.mi_adherent.to_string(),
            i.mi_non_adherent.to_string(),
            i.cues_presented.to_string(),
            i.cues_noticed.to_string(),
            row.other_version.to_string(),
            row.source.clone(),
        ]);
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

/// The columns of `decisions.csv`, in order.
pub fn decision_columns() -> Vec<String> {
    let mut columns: Vec<String> = [
        "run",
        "trainee",
        "scenario",
        "step",
        "node",
        "chosen",
        "first_choice",
        "taken_back",
        "hint_used",
        "elapsed_ms",
    ]
    .map(str::to_owned)
    .to_vec();
    columns.extend(Skill::ALL.iter().map(|s| s.key().to_owned()));
    columns.extend(["carkhuff", "miti", "notices_cue", "room_votes"].map(str::to_owned));
    columns
}

/// Writes `decisions.csv`: one row per decision of every run, taken-back ones included (marked).
/// A facilitated session's row carries the room's votes as `choice=count;...`.
pub fn write_decisions(report: &ClassReport, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(decision_columns())?;
    for row in &report.runs {
        let r = &row.result;
        let mut votes = r.group.iter().flat_map(|g| g.decisions.iter());
        for (step, d) in r.decisions.iter().enumerate() {
            let room = if d.taken_back { None } else { votes.next() };
            let mut record = vec![
                r.run.to_string(),
                r.trainee.to_string(),
                r.scenario.id.to_string(),
                (step + 1).to_string(),
                d.node.to_string(),
                d.chosen.to_string(),
                opt(d.first_choice.as_ref()),
                d.taken_back.to_string(),
                d.hint_used.to_string(),
                d.elapsed_ms.to_string(),
            ];
            record.extend(
                Skill::ALL
                    .iter()
                    .map(|s| d.scores.get(s).copied().unwrap_or(0).to_string()),
            );
            record.extend([
                opt(d.carkhuff),
                opt(d.miti.map(|m| format!("{m:?}"))),
                d.notices_cue.to_string(),
                room.map(|v| {
                    v.votes
                        .iter()
                        .map(|(c, n)| format!("{c}={n}"))
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .unwrap_or_default(),
            ]);
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}
