//! The class report as one self-contained HTML file: inline CSS and inline SVG charts, no
//! scripts, fonts or images from anywhere else, so it opens offline, prints, and can be
//! mailed or put on an intranet as it is.
//!
//! Built with `maud`, which escapes every value it is given: scenario text and trainee ids are
//! user content, and a report must not run anything they contain. The charts are simple bars,
//! so hand-built SVG inside the template is shorter and more legible than a chart library's
//! backend, and keeps the file small (no embedded fonts or paths per glyph).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use attune_core::skills::Skill;

use crate::report::{ClassReport, DecisionPoint, SkillDistribution};

const CSS: &str = r#"
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#d9dee5; --bg:#f6f7f9; --card:#fff;
  --emerging:#d9822b; --developing:#4c7fbf; --proficient:#2f8f5b; --best:#2f8f5b; --poor:#c0475e; --other:#8fa1b3; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
p.lead { color: var(--muted); margin: 0 0 18px; }
.cards { display:flex; flex-wrap:wrap; gap:12px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; min-width:150px; }
.card b { display:block; font-size:24px; }
.card span { color:var(--muted); font-size:13px; }
.note { background:#fff8e6; border:1px solid #f0d9a0; border-radius:8px; padding:10px 14px; margin:14px 0; }
.skills { display:grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap:14px; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:14px 16px; }
.stat { color:var(--muted); font-size:13px; margin: 2px 0 8px; }
.legend span { display:inline-block; margin-right:12px; font-size:12px; color:var(--muted); }
.legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
.decision { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; margin:0 0 12px; page-break-inside: avoid; }
.decision .says { font-style: italic; color:#334155; margin: 2px 0 8px; }
.decision .meta { color:var(--muted); font-size:12px; }
table { border-collapse: collapse; width:100%; background:var(--card); border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align: top; font-size:14px; }
th { background:#eef1f5; font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.up { color: var(--best); } .down { color: var(--poor); }
.feedback { color:#334155; }
.problems li { margin: 4px 0; }
td.when { white-space: nowrap; }
code { font-size: 12px; background:#eef1f5; padding:1px 4px; border-radius:3px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { body { background:#fff; } .panel, .decision, .card { border-color:#bbb; } }
"#;

/// The whole report page.
pub fn render(report: &ClassReport) -> String {
    page(report).into_string()
}

fn page(report: &ClassReport) -> Markup {
    let trainees = report.trainees.len();
    let completed = report.completed();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title) " — class report" }
                style { (PreEscaped(CSS)) }
            }
            body { main {
                h1 { (report.title) }
                p.lead { "Class report from Attune: how the class handled the conversation, skill by skill and decision by decision." }
                div.cards {
                    div.card { b { (report.runs.len()) } span { "runs" } }
                    div.card { b { (trainees) } span { "trainees" } }
                    div.card { b { (percent_of(completed, report.runs.len())) } span { "reached an ending" } }
                    @for (outcome, n) in report.outcomes() {
                        div.card { b { (n) } span { "ended " (outcome) } }
                    }
                }
                @if report.includes_group_votes {
                    p.note { "Votes from projector (facilitated group) sessions are included: in “Where the class went” and the pitfalls, each vote counts as one trainee choosing that reply." }
                }
                @if !report.problems.is_empty() {
                    (problems(report))
                }
                h2 #skills { "Skills across the class" }
                p.lead { "Each run's score on a skill is where its points lie between the worst (0%) and best (100%) replies it was offered. Bars show how many runs fall in each tenth; the strip below shows how many runs reached each band (the scenario's thresholds)." }
                div.skills {
                    @for s in &report.skills { (skill_panel(s)) }
                }
                h2 #where { "Where the class went" }
                p.lead { "At each decision, the share of the class that chose each reply (their first reply, before any take-back). "
                    span style="color:var(--best)" { "Green" } " is the best-scoring reply, "
                    span style="color:var(--poor)" { "red" } " a reply that scored below zero overall." }
                @if report.decisions.is_empty() { p { "No decisions recorded yet." } }
                @for d in &report.decisions { (decision(d)) }
                h2 #pitfalls { "Commonest pitfalls" }
                @if report.pitfalls.is_empty() {
                    p { "No reply that scored below zero was chosen." }
                } @else {
                    table {
                        thead { tr { th { "Reply chosen" } th.num { "Chosen" } th { "Why it does not help (the scenario's feedback)" } } }
                        tbody {
                            @for p in &report.pitfalls {
                                tr {
                                    td { "“" (p.reply.as_deref().unwrap_or(p.choice.as_str())) "”" br; span.stat { code { (p.node) } } }
                                    td.num { (p.chosen) br; span.stat { (pct(p.share)) " of those there" } }
                                    td.feedback { (p.feedback.as_deref().unwrap_or("(the scenario file was not found, so its feedback cannot be shown)")) }
                                }
                            }
                        }
                    }
                }
                h2 #trainees { "Trainees" }
                p.lead { "Each trainee's latest run of each scenario (the mean over scenarios)." }
                table {
                    thead { tr {
                        th { "Trainee" } th.num { "Runs" } th.num { "Endings" }
                        @for s in Skill::ALL { th.num { (s.label()) } }
                        th.num { "Hints" } th { "Last played" }
                    } }
                    tbody {
                        @for t in &report.trainees {
                            tr {
                                td { (t.trainee) } td.num { (t.runs) } td.num { (t.completed) }
                                @for p in &t.latest_percent { td.num { (opt_pct(*p)) } }
                                td.num { (t.hints_used) } td.when { (t.last_played.replace('T', " ").trim_end_matches('Z')) }
                            }
                        }
                    }
                }
                h2 #progress { "First and latest attempt" }
                @if report.progress.is_empty() {
                    p { "Nobody has played a scenario more than once yet." }
                } @else {
                    table {
                        thead { tr {
                            th { "Trainee" } th { "Scenario" } th.num { "Attempts" }
                            @for s in Skill::ALL { th.num { (s.label()) " first → latest" } }
                        } }
                        tbody {
                            @for p in &report.progress {
                                tr {
                                    td { (p.trainee) } td { code { (p.scenario) } } td.num { (p.attempts) }
                                    @for (first, latest) in p.first_percent.iter().zip(&p.latest_percent) {
                                        td.num { (change(*first, *latest)) }
                                    }
                                }
                            }
                        }
                    }
                }
                footer { "Made by attune report. Trainee ids are as trainees typed them (pseudonymous). Self-contained: this file loads nothing from elsewhere." }
            } }
        }
    }
}

fn problems(report: &ClassReport) -> Markup {
    html! {
        div.note {
            b { "Files not counted, or counted with a caveat" }
            ul.problems {
                @for p in &report.problems {
                    li { (if p.included { "Counted, flagged: " } else { "Skipped: " }) code { (p.source) } " — " (p.reason) }
                }
            }
        }
    }
}

fn percent_of(n: usize, of: usize) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{:.0}%", n as f32 * 100.0 / of as f32)
    }
}

fn pct(share: f32) -> String {
    format!("{:.0}%", share * 100.0)
}

fn opt_pct(p: Option<u32>) -> String {
    p.map_or("–".into(), |p| format!("{p}%"))
}

fn change(first: Option<u32>, latest: Option<u32>) -> Markup {
    match (first, latest) {
        (Some(a), Some(b)) => {
            let delta = b as i64 - a as i64;
            let class = if delta > 0 {
                "up"
            } else if delta < 0 {
                "down"
            } else {
                ""
            };
            html! { (a) "% → " (b) "% " span class=(class) { "(" (format!("{delta:+}")) ")" } }
        }
        _ => html! { (opt_pct(first)) " → " (opt_pct(latest)) },
    }
}

const CHART_W: f32 = 320.0;
const CHART_H: f32 = 120.0;

fn skill_panel(s: &SkillDistribution) -> Markup {
    let max = s.histogram.iter().copied().max().unwrap_or(0).max(1) as f32;
    let bar_w = CHART_W / 10.0;
    let bands = s.emerging + s.developing + s.proficient;
    let label = format!(
        "{}: {} runs assessed; mean {}",
        s.skill.label(),
        s.assessed,
        s.mean_percent.map_or("–".into(), |m| format!("{m:.0}%"))
    );
    html! {
        div.panel {
            h3 { (s.skill.label()) }
            div.stat {
                (s.assessed) " runs assessed · mean " (s.mean_percent.map_or("–".into(), |m| format!("{m:.0}%")))
                " · median " (opt_pct(s.median_percent))
            }
            svg viewBox=(format!("0 0 {CHART_W} {}", CHART_H + 34.0)) width="100%" role="img" aria-label=(label) {
                line x1="0" y1=(CHART_H) x2=(CHART_W) y2=(CHART_H) stroke="#c5ccd6" {}
                @for (i, &n) in s.histogram.iter().enumerate() {
                    @let h = n as f32 / max * (CHART_H - 16.0);
                    @let x = i as f32 * bar_w;
                    rect x=(x + 3.0) y=(CHART_H - h) width=(bar_w - 6.0) height=(h) rx="2" fill="#5b7aa8" {
                        title { (n) " runs at " (i * 10) "–" (if i == 9 { 100 } else { i * 10 + 9 }) "%" }
                    }
                    @if n > 0 {
                        text x=(x + bar_w / 2.0) y=(CHART_H - h - 3.0) text-anchor="middle" font-size="10" fill="#334155" { (n) }
                    }
                }
                @for i in [0usize, 5, 10] {
                    text x=(if i == 10 { CHART_W - 2.0 } else { i as f32 * bar_w + 2.0 }) y=(CHART_H + 13.0)
                        text-anchor=(if i == 10 { "end" } else { "start" }) font-size="10" fill="#5f6b7a" { (i * 10) "%" }
                }
                @if bands > 0 {
                    @let y = CHART_H + 20.0;
                    @let w1 = s.emerging as f32 / bands as f32 * CHART_W;
                    @let w2 = s.developing as f32 / bands as f32 * CHART_W;
                    @let w3 = CHART_W - w1 - w2;
                    rect x="0" y=(y) width=(w1) height="10" fill="var(--emerging)" { title { (s.emerging) " emerging" } }
                    rect x=(w1) y=(y) width=(w2) height="10" fill="var(--developing)" { title { (s.developing) " developing" } }
                    rect x=(w1 + w2) y=(y) width=(w3) height="10" fill="var(--proficient)" { title { (s.proficient) " proficient" } }
                }
            }
            div.legend {
                span { i style="background:var(--emerging)" {} "emerging " (s.emerging) }
                span { i style="background:var(--developing)" {} "developing " (s.developing) }
                span { i style="background:var(--proficient)" {} "proficient " (s.proficient) }
            }
        }
    }
}

fn decision(d: &DecisionPoint) -> Markup {
    const ROW: f32 = 26.0;
    const LABEL_W: f32 = 430.0;
    const BAR_W: f32 = 420.0;
    let height = d.replies.len() as f32 * ROW + 4.0;
    html! {
        div.decision {
            div.meta { (d.scenario_title) " · " code { (d.node) } " · " (d.reached) " answered" }
            @if let Some(says) = &d.client_says { div.says { "“" (says) "”" } }
            @if let Some(note) = d.picks_note() { p.note { (note) } }
            svg viewBox=(format!("0 0 {} {height}", LABEL_W + BAR_W + 90.0)) width="100%" role="img"
                aria-label=(format!("Replies chosen at {}", d.node)) {
                @for (i, r) in d.replies.iter().enumerate() {
                    @let y = i as f32 * ROW + 2.0;
                    @let colour = if r.best { "var(--best)" } else if r.total_score.is_some_and(|t| t < 0) { "var(--poor)" } else { "var(--other)" };
                    @let text = r.reply.clone().unwrap_or_else(|| r.choice.to_string());
                    text x="0" y=(y + 16.0) font-size="12.5" fill="#1f2933" {
                        (if r.best { "✓ " } else { "" }) (shorten(&text, 58))
                        title { (text) }
                    }
                    rect x=(LABEL_W) y=(y + 4.0) width=(BAR_W) height="16" rx="3" fill="#eef1f5" {}
                    rect x=(LABEL_W) y=(y + 4.0) width=(r.share * BAR_W) height="16" rx="3" fill=(colour) {}
                    text x=(LABEL_W + BAR_W + 8.0) y=(y + 16.0) font-size="12.5" fill="#1f2933" {
                        (pct(r.share)) " (" (r.chosen) ")"
                    }
                }
            }
        }
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
