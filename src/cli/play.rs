//! `attune play SCENARIO`: a session in the terminal.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use attune_core::Scenario;
use attune_core::debrief::{self, Debrief};
use attune_core::engine::{Applied, Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::model::Cue;
use attune_core::results::{self, RunResult};
use attune_core::skills::Skill;

use super::exit;
use super::scenario_file::{default_results_dir, load_checked};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file to play.
    scenario: PathBuf,
    /// Seed for the order of replies and the client's wording (random if not given).
    #[arg(long)]
    seed: Option<u64>,
    /// `practice`: feedback after every reply, take-backs and hints. `assessment`: feedback only at the end.
    #[arg(long, value_enum, default_value_t = ModeArg::Practice)]
    mode: ModeArg,
    /// Your pseudonymous trainee id, saved with the result.
    #[arg(long, default_value = "anonymous")]
    trainee: String,
    /// Folder to save the result in (default: your user data folder).
    #[arg(long, value_name = "DIR")]
    results: Option<PathBuf>,
    /// Play a scripted path instead of reading the keyboard: option numbers as shown, choice
    /// ids, `h` (hint) and `b` (take back), separated by commas, e.g. `2,1,b,3`.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    choices: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ModeArg {
    Practice,
    Assessment,
}

/// One thing the trainee can do at a prompt.
#[derive(Debug, Clone, PartialEq)]
enum Input {
    Option(usize),
    ChoiceId(String),
    Hint,
    Back,
    Quit,
}

fn parse_input(token: &str) -> Option<Input> {
    let token = token.trim();
    match token {
        "" => None,
        "h" | "H" => Some(Input::Hint),
        "b" | "B" => Some(Input::Back),
        "q" | "Q" => Some(Input::Quit),
        _ => Some(match token.parse::<usize>() {
            Ok(n) => Input::Option(n),
            Err(_) => Input::ChoiceId(token.to_owned()),
        }),
    }
}

pub fn run(args: Args) -> u8 {
    let scenario = match load_checked(&args.scenario) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Some(results_dir) = args.results.clone().or_else(default_results_dir) else {
        eprintln!("error: no user data folder on this system; give one with --results DIR");
        return exit::USAGE;
    };
    let mode = match args.mode {
        ModeArg::Practice => Mode::Practice,
        ModeArg::Assessment => Mode::Assessment,
    };
    let seed = args.seed.unwrap_or_else(random_seed);
    let scripted = args.choices.is_some();
    let mut inputs = args.choices.clone().unwrap_or_default().into_iter();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();

    let started_at = SystemTime::now();
    let mut session = Session::start(scenario.clone(), mode, seed);
    let _ = write_briefing(&mut out, &scenario, mode, seed);

    let mut quit = false;
    let mut code = exit::OK;
    while session.status() == Status::AwaitingChoice {
        let _ = write_prompt(&mut out, &session);
        let shown_at = Instant::now();
        let input = if scripted {
            match inputs.next() {
                Some(token) => match parse_input(&token) {
                    Some(input) => {
                        let _ = writeln!(out, "> {}", token.trim());
                        input
                    }
                    None => continue,
                },
                None => {
                    eprintln!(
                        "error: the scripted choices ran out before the session ended; the run is saved as abandoned"
                    );
                    quit = true;
                    code = exit::PROBLEMS;
                    break;
                }
            }
        } else {
            let _ = write!(out, "> ");
            let _ = out.flush();
            let mut line = String::new();
            match stdin.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    // End of input counts as quitting: the run so far is kept.
                    let _ = writeln!(out);
                    Input::Quit
                }
                Ok(_) => match parse_input(&line) {
                    Some(input) => input,
                    None => continue,
                },
            }
        };
        // Scripted runs have no person taking time; record 0 so runs compare exactly.
        let elapsed_ms = if scripted {
            0
        } else {
            shown_at.elapsed().as_millis() as u64
        };
        let applied = match input {
            Input::Quit => {
                quit = true;
                break;
            }
            Input::Hint => {
                match session.hint() {
                    Ok(Some(hint)) => {
                        let _ = writeln!(out, "\n  Hint: {hint}");
                    }
                    Ok(None) => {
                        let _ = writeln!(
                            out,
                            "\n  There is no hint at this point: trust your reading of the client."
                        );
                    }
                    Err(err) => {
                        let _ = writeln!(out, "\n  {err}.");
                    }
                }
                continue;
            }
            Input::Back => {
                match session.take_back() {
                    Ok(()) => {
                        let _ = writeln!(out, "\n  You took your last reply back.");
                    }
                    Err(err) => {
                        let _ = writeln!(out, "\n  {err}.");
                    }
                }
                continue;
            }
            Input::Option(n) => session.choose(n, elapsed_ms),
            Input::ChoiceId(id) => session.choose_id(&id, elapsed_ms),
        };
        match applied {
            Ok(applied) => {
                if mode == Mode::Practice {
                    let _ = write_feedback(&mut out, &session, &applied);
                }
            }
            Err(err) if scripted => {
                eprintln!(
                    "error: {err} (at scripted step {})",
                    session.decisions().len() + 1
                );
                quit = true;
                code = exit::USAGE;
                break;
            }
            Err(err) => {
                let _ = writeln!(out, "  {err}.");
            }
        }
    }

    let unused = inputs.count();
    if unused > 0 {
        eprintln!("note: the session ended before the last {unused} scripted choice(s) were used");
    }
    if !quit || !session.decisions().is_empty() || scripted {
        let _ = writeln!(out);
        let _ = write!(out, "{}", debrief::render_text(&Debrief::new(&session)));
    }
    let _ = out.flush();

    let result = RunResult::from_session(
        &session,
        TraineeId(args.trainee.clone()),
        Some(args.scenario.display().to_string()),
        started_at,
        SystemTime::now(),
        quit,
    );
    match results::save(&results_dir, &result) {
        Ok(path) => eprintln!("Result saved to {}", path.display()),
        Err(err) => {
            eprintln!(
                "error: could not save the result in {}: {err}\nhelp: choose a folder you can write to with --results DIR",
                results_dir.display()
            );
            return exit::PROBLEMS;
        }
    }
    code
}

fn random_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Keep seeds short enough to read out to a class.
    ((nanos ^ (u128::from(std::process::id()) << 20)) % 1_000_000) as u64
}

fn write_briefing(
    out: &mut impl Write,
    s: &Scenario,
    mode: Mode,
    seed: u64,
) -> std::io::Result<()> {
    let c = &s.client;
    writeln!(out, "{}", s.title.value)?;
    writeln!(out, "{}", "═".repeat(s.title.value.chars().count().max(8)))?;
    writeln!(out, "Client: {}, {} ({})", c.name.value, c.age, c.pronouns)?;
    writeln!(out, "Presenting concern: {}", c.presenting_concern.value)?;
    if !s.content_notes.is_empty() {
        writeln!(out, "Content notes: {}", s.content_notes.join(", "))?;
    }
    writeln!(out, "\n{}", debrief::wrap(&c.briefing, 78, ""))?;
    writeln!(out, "\nIn this session you practise:")?;
    for objective in &s.objectives {
        writeln!(out, "  • {}", objective.value)?;
    }
    let how = match mode {
        Mode::Practice => {
            "practice: feedback after every reply. Type a number to reply, h for a hint, b to take your last reply back, q to stop."
        }
        Mode::Assessment => {
            "assessment: feedback at the end only. Type a number to reply, q to stop."
        }
    };
    writeln!(out, "\nMode: {}", debrief::wrap(how, 78, "").trim_start())?;
    writeln!(out, "Seed: {seed}")
}

fn cue_line(cue: &Cue) -> String {
    format!("[{}] {}", cue.kind(), cue.text().value)
}

fn write_prompt(out: &mut impl Write, session: &Session) -> std::io::Result<()> {
    let scenario = session.scenario();
    let (Some(node), Some(line)) = (session.node(), session.line()) else {
        return Ok(());
    };
    let meters: Vec<String> = scenario
        .resolved
        .variables
        .iter()
        .zip(session.variables())
        .filter(|(v, _)| v.visible)
        .map(|(v, &x)| format!("{} {}/{}", v.name.value, x, v.max.value))
        .collect();
    writeln!(out)?;
    writeln!(
        out,
        "── {} ({:?}) {}",
        scenario.client.name.value,
        node.emotion,
        if meters.is_empty() {
            String::new()
        } else {
            format!("· {}", meters.join(" · "))
        }
    )?;
    if let Some(cue) = &node.cue {
        writeln!(out, "{}", debrief::wrap(&cue_line(cue), 78, "  "))?;
    }
    writeln!(out, "{}", debrief::wrap(&format!("\"{line}\""), 78, "  "))?;
    writeln!(out)?;
    for (i, choice) in session.offered().enumerate() {
        let text = debrief::wrap(&choice.reply, 74, "     ");
        writeln!(out, "  {}. {}", i + 1, text.trim_start())?;
    }
    Ok(())
}

fn write_feedback(
    out: &mut impl Write,
    session: &Session,
    applied: &Applied,
) -> std::io::Result<()> {
    let scenario = session.scenario();
    let attune_core::model::Node::Client(node) = &scenario.nodes[applied.node as usize] else {
        return Ok(());
    };
    let choice = &node.choices[applied.choice as usize];
    let marks: Vec<String> = Skill::ALL
        .iter()
        .map(|&s| {
            let v = choice.scores.get(s).value;
            let sign = match v.signum() {
                1 => "▲",
                -1 => "▼",
                _ => "·",
            };
            format!("{} {sign}{v:+}", s.label())
        })
        .collect();
    writeln!(out, "\n  {}", marks.join("   "))?;
    writeln!(out, "{}", debrief::wrap(&choice.feedback, 78, "  "))?;
    if let Some(thought) = &choice.thought {
        writeln!(
            out,
            "{}",
            debrief::wrap(
                &format!(
                    "{} thinks: \"{}\"",
                    scenario.client.name.value, thought.value
                ),
                78,
                "  "
            )
        )?;
    }
    let changes: Vec<String> = applied
        .visible_changes(scenario)
        .map(|(name, b, a)| format!("{name} {b} → {a}"))
        .collect();
    if !changes.is_empty() {
        writeln!(out, "  ({})", changes.join(", "))?;
    }
    if session.can_take_back() {
        writeln!(out, "  (b takes this reply back)")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_parse() {
        assert_eq!(parse_input(" 2 \n"), Some(Input::Option(2)));
        assert_eq!(parse_input("b"), Some(Input::Back));
        assert_eq!(
            parse_input("opening.1"),
            Some(Input::ChoiceId("opening.1".into()))
        );
        assert_eq!(parse_input("  "), None);
    }
}
