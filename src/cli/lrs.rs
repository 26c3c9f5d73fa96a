//! `attune lrs push DIR|FILE... --endpoint URL`: sends runs to an xAPI Learning Record Store.

use std::path::PathBuf;
use std::time::Duration;

use attune_class::lrs::{Client, Ledger};
use attune_class::report::Inputs;
use attune_core::text::one_line;

use super::exit;
use super::report::plural;
use super::scenario_file::{default_results_dir, shown};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: LrsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LrsCommand {
    /// Send runs (results files or folders, or an exercise's results) to an LRS as xAPI
    /// statements. Safe to repeat: statements already acknowledged are not sent again, and an
    /// LRS keeps one copy of each statement id.
    Push(PushArgs),
}

/// Credentials for the LRS (HTTP basic authentication).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CredentialArgs {
    /// The LRS user (its "key").
    #[arg(long, value_name = "USER", requires = "password_file")]
    user: Option<String>,
    /// A file whose first line is the password (its "secret"): passwords are never given on
    /// the command line, where other users of the computer can see them.
    #[arg(long, value_name = "FILE", requires = "user")]
    password_file: Option<PathBuf>,
}

pub struct Credentials;

impl Credentials {
    /// The credentials asked for, or the exit code after saying what is wrong.
    pub fn from_args(args: &CredentialArgs) -> Result<Option<attune_class::lrs::Credentials>, u8> {
        let (Some(user), Some(file)) = (&args.user, &args.password_file) else {
            return Ok(None);
        };
        match attune_class::lrs::Credentials::from_password_file(user, file) {
            Ok(credentials) => Ok(Some(credentials)),
            Err(why) => {
                eprintln!("error: {}", one_line(&why));
                Err(exit::USAGE)
            }
        }
    }
}

#[derive(Debug, clap::Args)]
struct PushArgs {
    /// Results folders or files, or exercise files (their results folder and LRS settings).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The LRS's xAPI endpoint, e.g. `https://lrs.example.edu/xAPI/` (default: the exercise's).
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// The base of the activity ids (default: the exercise's, else `https://attune.invalid/`).
    #[arg(long, value_name = "IRI")]
    activity_base: Option<String>,
    /// Statements per request.
    #[arg(long, default_value_t = 500, value_name = "N")]
    batch: usize,
    /// How often a failed request is tried again (waiting 0.5 s, then twice as long each time).
    #[arg(long, default_value_t = 5, value_name = "N")]
    retries: u32,
    /// The file that records which statements this LRS acknowledged (default: one per
    /// endpoint in your user data folder).
    #[arg(long, value_name = "FILE")]
    ledger: Option<PathBuf>,
    /// Send everything again, whatever the ledger says (the LRS still keeps one copy of each).
    #[arg(long)]
    resend: bool,
}

pub fn run(args: Args) -> u8 {
    match args.command {
        LrsCommand::Push(args) => push(args),
    }
}

fn push(args: PushArgs) -> u8 {
    // An exercise file stands for its results folder too.
    let mut paths = args.paths.clone();
    let exercises: Vec<_> = args
        .paths
        .iter()
        .filter(|p| attune_class::exercise::is_exercise_file(p))
        .filter_map(|p| attune_class::exercise::load_exercise(p).ok())
        .filter_map(|l| l.exercise)
        .collect();
    for e in &exercises {
        if e.results.is_dir() {
            paths.push(e.results.clone());
        }
    }
    let from_exercise = exercises.iter().find_map(|e| e.lrs.clone());
    let Some(endpoint) = args
        .endpoint
        .clone()
        .or_else(|| from_exercise.as_ref().map(|l| l.endpoint.clone()))
    else {
        eprintln!(
            "error: no LRS to send to\nhelp: give its endpoint with --endpoint URL, or set `lrs` in the exercise file"
        );
        return exit::USAGE;
    };
    let base = args
        .activity_base
        .clone()
        .or_else(|| from_exercise.as_ref().and_then(|l| l.activity_base.clone()))
        .unwrap_or_else(|| attune_class::xapi::DEFAULT_BASE.to_owned());
    for (what, url) in [("--endpoint", &endpoint), ("--activity-base", &base)] {
        if !attune_class::exercise::is_http_url(url) {
            eprintln!(
                "error: {what} `{}` is not an http or https URL",
                one_line(url)
            );
            return exit::USAGE;
        }
    }
    let credentials = match Credentials::from_args(&args.credentials) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let inputs = Inputs::read(&paths, &mut |_, _| {});
    let mut code = exit::OK;
    for p in inputs.problems.iter().filter(|p| !p.included) {
        eprintln!("skipped {}: {}", one_line(&p.source), one_line(&p.reason));
        code = exit::PROBLEMS;
    }
    let statements: Vec<serde_json::Value> = inputs
        .runs
        .iter()
        .flat_map(|r| attune_class::xapi::statements(&r.result, &base))
        .collect();
    let ledger_path = match &args.ledger {
        Some(path) => path.clone(),
        None => match default_results_dir().and_then(|d| d.parent().map(|p| p.join("lrs-sent"))) {
            Some(dir) => dir.join(Ledger::file_name_for(&endpoint)),
            None => {
                eprintln!(
                    "error: no user data folder on this system; give a ledger file with --ledger FILE"
                );
                return exit::USAGE;
            }
        },
    };
    let ledger = if args.resend {
        Ok(Ledger::empty(&ledger_path))
    } else {
        Ledger::open(&ledger_path)
    };
    let mut ledger = match ledger {
        Ok(l) => l,
        Err(err) => {
            eprintln!(
                "error: cannot read the ledger {}: {err}",
                shown(&ledger_path)
            );
            return exit::USAGE;
        }
    };
    let client = Client::new(&endpoint, credentials)
        .with_batch(args.batch)
        .with_retries(args.retries, Duration::from_millis(500));
    outln!(
        "Sending {} ({}) from {} to {}",
        plural(statements.len(), "statement"),
        plural(inputs.runs.len(), "run"),
        plural(args.paths.len(), "path"),
        one_line(client.endpoint())
    );
    match client.push(&statements, &mut ledger) {
        Ok(pushed) => {
            outln!(
                "Done: {} acknowledged by the LRS, {} sent before (ledger {}).",
                plural(pushed.acknowledged, "statement"),
                pushed.already_sent,
                shown(ledger.path())
            );
            code
        }
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!(
                "Nothing unacknowledged is marked as sent ({} in the ledger {}); run the same command again to send the rest.",
                plural(ledger.len(), "statement"),
                shown(ledger.path())
            );
            exit::PROBLEMS
        }
    }
}
