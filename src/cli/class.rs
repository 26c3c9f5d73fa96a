//! `attune class new`: writes a commented exercise file to start from, never over a file.

use std::path::{Component, Path, PathBuf};

use attune_class::exercise::{EXERCISE_EXTENSION, template};

use super::exit;
use super::scenario_file::{SCENARIO_EXTENSION, shown};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ClassCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ClassCommand {
    /// Write a new exercise file (`NAME.exercise.ron`), commented field by field.
    New(NewArgs),
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// The exercise's name, which also names its file: letters, digits, `-` and `_`, e.g.
    /// `week-3-reflecting`.
    name: String,
    /// The folder to write it in (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// The scenario the class plays (more can be added in the file). Default: the first
    /// scenario in `scenarios/`.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// The title trainees see. Default: the name.
    #[arg(long)]
    title: Option<String>,
}

pub fn run(args: Args) -> u8 {
    match args.command {
        ClassCommand::New(args) => new(args),
    }
}

fn new(args: NewArgs) -> u8 {
    let valid = !args.name.is_empty()
        && args
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        eprintln!(
            "error: `{}` cannot name an exercise: use letters, digits, `-` and `_` only",
            attune_core::text::one_line(&args.name)
        );
        eprintln!("help: for example `attune class new week-3-reflecting`");
        return exit::USAGE;
    }
    let scenario = match args.scenario.clone().or_else(first_scenario) {
        Some(s) if s.is_file() => s,
        Some(s) => {
            eprintln!("error: cannot read the scenario {}", shown(&s));
            return exit::USAGE;
        }
        None => {
            eprintln!(
                "error: no scenario to put in the exercise: there is no `scenarios/` folder here"
            );
            eprintln!("help: name one with --scenario FILE");
            return exit::USAGE;
        }
    };
    if let Err(err) = std::fs::create_dir_all(&args.dir) {
        eprintln!("error: cannot make the folder {}: {err}", shown(&args.dir));
        return exit::PROBLEMS;
    }
    let relative = relative_to(&scenario, &args.dir);
    let name = format!("{}{EXERCISE_EXTENSION}", args.name);
    let path = args.dir.join(&name);
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| args.name.replace(['-', '_'], " "));
    let text = template(&title, &relative.to_string_lossy().replace('\\', "/"));
    match attune_core::save::write_new(&args.dir, &name, text.as_bytes()) {
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists, and `attune class new` never writes over a file",
                shown(&path)
            );
            eprintln!("help: choose another name, or rename or delete that file first");
            return exit::PROBLEMS;
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", shown(&path));
            return exit::PROBLEMS;
        }
    }
    let file = shown(&path);
    outln!("Wrote {file}: an exercise with one scenario; its comments explain every setting.");
    outln!();
    outln!("  Check it:                 attune check {file}");
    outln!("  Trainees play it with:    attune play --exercise {file}");
    outln!(
        "  Then the class report:    attune report {} -o report",
        shown(&args.dir.join("results"))
    );
    outln!();
    outln!("docs/classroom.md explains exercises, reports and sending results to an LRS.");
    exit::OK
}

/// The first `*.scenario.ron` in `scenarios/`, by name.
fn first_scenario() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(SCENARIO_EXTENSION))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// `target` as a path relative to the folder `from` (both taken from the current folder).
fn relative_to(target: &Path, from: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // The path's parts with `.` and `..` worked out; `None` for a Windows prefix (kept absolute).
    let parts = |p: PathBuf| -> Option<Vec<std::ffi::OsString>> {
        let mut parts = Vec::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(n) => parts.push(n.to_os_string()),
                Component::CurDir | Component::RootDir => {}
                Component::Prefix(_) => return None,
            }
        }
        Some(parts)
    };
    let (Some(to), Some(base)) = (parts(absolute(target)), parts(absolute(from))) else {
        return absolute(target);
    };
    let common = to.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}
