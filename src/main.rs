//! `attune`: the app (no subcommand) and the command-line tools.

fn main() -> std::process::ExitCode {
    attune::cli::run()
}
