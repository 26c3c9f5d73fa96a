//! Subcommands. To add one: a module here with an `Args` struct and a `run` function, a variant
//! in [`Command`], and its arm in [`run`].

/// `println!` that ends quietly on a closed pipe (`attune report DIR | head`) instead of
/// panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[cfg(feature = "app")]
mod app;
mod check;
mod class;
mod class_report;
mod graph;
mod lint;
mod lrs;
mod new;
mod play;
mod replay;
mod report;
pub(crate) mod scenario_file;
mod show;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "attune",
    version,
    about = "Role-play training for counselling micro-skills",
    // `attune --results DIR` opens the app with that option, as `attune app --results DIR` does.
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Without a subcommand, `attune` opens the app.
    #[command(subcommand)]
    command: Option<Command>,
    /// The app's options, also accepted without the `app` subcommand.
    #[cfg(feature = "app")]
    #[command(flatten)]
    app: app::Args,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check scenario and exercise files for mistakes and print what is wrong, where, and how
    /// to fix it.
    Check(check::Args),
    /// Classroom tools: `attune class new NAME` writes an exercise file to start from.
    Class(class::Args),
    /// Write a new scenario file to start from: a short, complete, commented example.
    New(new::Args),
    /// Look for teaching problems in scenarios: give-aways, decisions without a defensible
    /// runner-up, codes and endings that contradict the scores (docs/lint.md).
    Lint(lint::Args),
    /// Play a scenario in the terminal, then read the debrief.
    Play(play::Args),
    /// Re-run a saved result against its scenario and print the debrief again.
    Replay(replay::Args),
    /// Draw a scenario's map: Graphviz DOT, Mermaid or JSON.
    Graph(graph::Args),
    /// The class report from results (folders, files) or an LRS: a summary, and with `-o OUT`
    /// CSV, a self-contained HTML report with charts, and xAPI statements.
    Report(class_report::Args),
    /// Send results to a Learning Record Store (xAPI): `attune lrs push`.
    Lrs(lrs::Args),
    /// Show one node, branch or ending in full: every wording, reply, condition and score.
    Show(show::Args),
    /// Try every path through scenarios, with their conditions, and report what never happens.
    Test(test::Args),
    /// Open the app (the default), optionally playing a scripted path and saving a screenshot.
    #[cfg(feature = "app")]
    App(app::Args),
}

/// Exit codes shared by every subcommand.
pub mod exit {
    /// Everything passed.
    pub const OK: u8 = 0;
    /// The input (a scenario, a result) has problems.
    pub const PROBLEMS: u8 = 1;
    /// The command line itself is wrong (clap uses 2 as well).
    pub const USAGE: u8 = 2;
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Class(args)) => class::run(args),
        Some(Command::New(args)) => new::run(args),
        Some(Command::Lint(args)) => lint::run(args),
        Some(Command::Play(args)) => play::run(args),
        Some(Command::Replay(args)) => replay::run(args),
        Some(Command::Graph(args)) => graph::run(args),
        Some(Command::Show(args)) => show::run(args),
        Some(Command::Report(args)) => class_report::run(args),
        Some(Command::Lrs(args)) => lrs::run(args),
        Some(Command::Test(args)) => test::run(args),
        #[cfg(feature = "app")]
        Some(Command::App(args)) => app::run(args),
        #[cfg(feature = "app")]
        None => app::run(cli.app),
        #[cfg(not(feature = "app"))]
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            exit::USAGE
        }
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
