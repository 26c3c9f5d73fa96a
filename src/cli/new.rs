//! `attune new ID`: writes a new scenario file from the template, never over an existing one.

use std::path::PathBuf;

use attune_author::template;

use super::check::SCENARIO_EXTENSION;
use super::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new scenario's id, which also names its file: lowercase letters, digits, `-` and `_`,
    /// e.g. `carer-first-session`.
    id: String,
    /// The folder to write `ID.scenario.ron` in (created if missing). Default: `scenarios`, the
    /// folder the app opens.
    #[arg(long, value_name = "DIR", default_value = "scenarios")]
    dir: PathBuf,
}

pub fn run(args: Args) -> u8 {
    if !template::is_valid_id(&args.id) {
        eprintln!(
            "error: `{}` cannot be a scenario id: use lowercase letters, digits, `-` and `_` only",
            args.id
        );
        match template::suggest_id(&args.id) {
            Some(id) => eprintln!("help: for example `attune new {id}`"),
            None => eprintln!("help: for example `attune new carer-first-session`"),
        }
        return exit::USAGE;
    }
    let name = format!("{}{SCENARIO_EXTENSION}", args.id);
    let path = args.dir.join(&name);
    if path.exists() {
        eprintln!(
            "error: {} already exists, and `attune new` never writes over a file",
            path.display()
        );
        eprintln!("help: choose another id, or rename or delete that file first");
        return exit::PROBLEMS;
    }
    if let Err(err) = std::fs::create_dir_all(&args.dir) {
        eprintln!(
            "error: cannot make the folder {}: {err}",
            args.dir.display()
        );
        return exit::PROBLEMS;
    }
    let text = template::scenario(&args.id, &path.display().to_string());
    // Written as a new file, atomically: if another `attune new` (or an editor) made the file
    // since the check above, this fails rather than replacing it.
    match attune_core::save::write_new(&args.dir, &name, text.as_bytes()) {
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists, and `attune new` never writes over a file",
                path.display()
            );
            return exit::PROBLEMS;
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", path.display());
            return exit::PROBLEMS;
        }
    }
    let file = path.display();
    println!(
        "Wrote {file}: a short, complete scenario ({}).",
        template::STORY
    );
    println!("Play it, then rewrite it as your own client; its comments explain every part.");
    println!();
    println!("  Try it as a trainee would:  attune play {file}");
    println!("  After every change:         attune check {file}");
    println!();
    println!("The step-by-step guide is docs/authoring.md.");
    exit::OK
}
