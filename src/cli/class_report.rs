//! `attune report DIR|FILE... [-o OUT]`: the class report from results files or an LRS: a
//! summary here, and with `-o` the CSV, HTML and xAPI files.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use attune_class::report::{ClassReport, Inputs};
use attune_core::text::one_line;
use indicatif::{ProgressBar, ProgressStyle};

use super::exit;
use super::lrs::{CredentialArgs, Credentials};
use super::report::plural;
use super::scenario_file::shown;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results folders or files; exercise and scenario files (for reply texts and feedback).
    #[arg(value_name = "PATH", required_unless_present = "from_lrs")]
    paths: Vec<PathBuf>,
    /// The folder to write `report.html`, `runs.csv`, `decisions.csv` and `statements.json` in
    /// (created if missing; those files in it are replaced).
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// Build the report from the statements an xAPI LRS holds (its endpoint, e.g.
    /// `http://127.0.0.1:8100/xAPI/`) instead of from files; PATHs then only give scenarios.
    #[arg(long, value_name = "URL")]
    from_lrs: Option<String>,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// With --from-lrs: statements asked for per page (the LRS's `more` links give the rest).
    #[arg(long, default_value_t = 500, value_name = "N", requires = "from_lrs")]
    page_size: usize,
    /// The base of the xAPI activity ids in `statements.json` (default: the exercise's, else
    /// `https://attune.invalid/`, which you should replace with one your institution owns).
    #[arg(long, value_name = "IRI")]
    activity_base: Option<String>,
}

/// At least this many files get a progress bar (on a terminal).
const PROGRESS_FROM: usize = 50;

pub fn run(args: Args) -> u8 {
    let inputs = match &args.from_lrs {
        Some(url) => {
            let credentials = match Credentials::from_args(&args.credentials) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let client =
                attune_class::lrs::Client::new(url, credentials).with_page_size(args.page_size);
            eprintln!("Reading statements from {}…", one_line(url));
            match Inputs::from_lrs(&client, &args.paths) {
                Ok(inputs) => inputs,
                Err(err) => {
                    eprintln!("error: {err}");
                    return exit::PROBLEMS;
                }
            }
        }
        None => read_files(&args.paths),
    };
    let report = ClassReport::build(&inputs);
    print_summary(&report);
    let mut code = if report.problems.iter().any(|p| !p.included) {
        exit::PROBLEMS
    } else {
        exit::OK
    };
    if let Some(out) = &args.out {
        let base = args
            .activity_base
            .clone()
            .or_else(|| {
                inputs
                    .exercises
                    .iter()
                    .find_map(|e| e.lrs.as_ref().and_then(|l| l.activity_base.clone()))
            })
            .unwrap_or_else(|| attune_class::xapi::DEFAULT_BASE.to_owned());
        if !attune_class::exercise::is_http_url(&base) {
            eprintln!(
                "error: --activity-base `{}` is not an http or https URL",
                one_line(&base)
            );
            return exit::USAGE;
        }
        match write_files(&report, out, &base) {
            Ok(written) => {
                outln!();
                for file in written {
                    outln!("Wrote {}", shown(&file));
                }
            }
            Err(err) => {
                eprintln!("error: cannot write the report in {}: {err}", shown(out));
                code = exit::PROBLEMS;
            }
        }
    }
    code
}

fn read_files(paths: &[PathBuf]) -> Inputs {
    let mut bar: Option<ProgressBar> = None;
    let show = std::io::stderr().is_terminal();
    Inputs::read(paths, &mut |done, total| {
        if !show || total < PROGRESS_FROM {
            return;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) =
                ProgressStyle::with_template("reading results {bar:30} {human_pos}/{human_len}")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(done as u64);
        if done == total {
            bar.finish_and_clear();
        }
    })
}

fn write_files(report: &ClassReport, out: &Path, base: &str) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out)?;
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: Vec<u8>| -> std::io::Result<()> {
        let path = out.join(name);
        attune_core::save::replace(&path, &bytes)?;
        written.push(path);
        Ok(())
    };
    let mut runs = Vec::new();
    attune_class::table::write_runs(report, &mut runs).map_err(std::io::Error::other)?;
    put("runs.csv", runs)?;
    let mut decisions = Vec::new();
    attune_class::table::write_decisions(report, &mut decisions).map_err(std::io::Error::other)?;
    put("decisions.csv", decisions)?;
    put(
        "report.html",
        attune_class::html::render(report).into_bytes(),
    )?;
    let statements: Vec<serde_json::Value> = report
        .runs
        .iter()
        .flat_map(|r| attune_class::xapi::statements(&r.result, base))
        .collect();
    put(
        "statements.json",
        serde_json::to_vec(&statements).map_err(std::io::Error::other)?,
    )?;
    Ok(written)
}

fn print_summary(report: &ClassReport) {
    let trainees = report.trainees.len();
    outln!("{}", one_line(&report.title));
    outln!(
        "{} by {}; {} reached an ending{}",
        plural(report.runs.len(), "run"),
        plural(trainees, "trainee"),
        report.completed(),
        if report.includes_group_votes {
            " (votes from projector sessions are included in where the class went)"
        } else {
            ""
        }
    );
    if !report.problems.is_empty() {
        outln!();
        for p in &report.problems {
            outln!(
                "{} {}: {}",
                if p.included { "flagged" } else { "skipped" },
                one_line(&p.source),
                one_line(&p.reason)
            );
        }
    }
    if report.runs.is_empty() {
        return;
    }
    outln!("\nSkills (over the runs that assessed each):");
    for s in &report.skills {
        let mean = s
            .mean_percent
            .map_or("–".to_owned(), |m| format!("{m:.0}%"));
        outln!(
            "  {:<22} mean {mean:>4}  emerging {:>3}  developing {:>3}  proficient {:>3}",
            s.skill.label(),
            s.emerging,
            s.developing,
            s.proficient
        );
    }
    let hardest = report
        .decisions
        .iter()
        .filter(|d| d.reached > 1)
        .filter_map(|d| {
            let best: f32 = d.replies.iter().filter(|r| r.best).map(|r| r.share).sum();
            d.replies.iter().any(|r| r.best).then_some((d, best))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((d, share)) = hardest {
        outln!(
            "\nHardest decision: `{}` in {}: {:.0}% of {} chose the best reply.",
            one_line(d.node.as_str()),
            one_line(&d.scenario_title),
            share * 100.0,
            d.reached
        );
    }
    if !report.pitfalls.is_empty() {
        outln!("\nCommonest pitfalls:");
        for p in report.pitfalls.iter().take(3) {
            outln!(
                "  {:>3}× `{}` ({:.0}% of those who got there): {}",
                p.chosen,
                one_line(p.choice.as_str()),
                p.share * 100.0,
                one_line(p.reply.as_deref().unwrap_or("(reply text not known)"))
            );
        }
    }
}
