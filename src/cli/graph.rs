//! `attune graph SCENARIO`: the scenario as a picture (Graphviz DOT, Mermaid) or as JSON.

use std::io::Write;
use std::path::{Path, PathBuf};

use attune_author::export::{self, Format};

use super::exit;
use super::scenario_file::load_checked;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file to draw.
    scenario: PathBuf,
    /// `dot` (Graphviz: `dot -Tsvg`), `mermaid` (Markdown, mermaid-cli) or `json` (for tools).
    /// Default: from the extension of `-o` (`.mmd`, `.json`), else `dot`.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Write to this file (replaced whole, never left half-written) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Dot,
    Mermaid,
    Json,
}

pub fn run(args: Args) -> u8 {
    let playable = match load_checked(&args.scenario) {
        Ok(playable) => playable,
        Err(code) => return code,
    };
    let format = match args.format {
        Some(FormatArg::Dot) => Format::Dot,
        Some(FormatArg::Mermaid) => Format::Mermaid,
        Some(FormatArg::Json) => Format::Json,
        None => args
            .output
            .as_deref()
            .and_then(format_of_extension)
            .unwrap_or(Format::Dot),
    };
    let text = export::render(&playable, format);
    match &args.output {
        Some(path) => {
            if let Err(err) = attune_core::save::replace(path, text.as_bytes()) {
                eprintln!("error: cannot write {}: {err}", path.display());
                return exit::USAGE;
            }
            eprintln!("Wrote {}", path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(err) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A closed pipe (`attune graph … | head`) is not worth a message.
                if err.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: {err}");
                    return exit::USAGE;
                }
            }
        }
    }
    exit::OK
}

fn format_of_extension(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "dot" | "gv" => Some(Format::Dot),
        "mmd" | "mermaid" => Some(Format::Mermaid),
        "json" => Some(Format::Json),
        _ => None,
    }
}
