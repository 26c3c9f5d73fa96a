//! `attune`: the command-line tools (and, later, the app) over the engine-free core.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
