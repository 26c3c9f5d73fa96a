//! `attune show SCENARIO NODE`: one node, branch or ending in full.

use std::io::Write;
use std::path::PathBuf;

use attune_author::show;

use super::exit;
use super::scenario_file::load_checked_with_source;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file.
    scenario: PathBuf,
    /// The id of a client node, branch or ending in it.
    node: String,
}

pub fn run(args: Args) -> u8 {
    let (playable, source) = match load_checked_with_source(&args.scenario) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match show::describe(&playable, &args.node, Some(&source)) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`attune show … | head`) is not worth a message.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            exit::OK
        }
        Err(unknown) => {
            eprintln!(
                "error: {unknown} in {}\nhelp: {}",
                args.scenario.display(),
                unknown.help()
            );
            exit::USAGE
        }
    }
}
