//! `attune play SCENARIO`: a session in the terminal.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use attune_class::exercise::{Exercise, check_trainee_id, load_exercise};

use attune_author::start_at;
use attune_core::Playable;
use attune_core::debrief::{self, Debrief};
use attune_core::engine::{Applied, Mode, Session, Status};
use attune_core::ids::TraineeId;
use attune_core::model::Cue;
use attune_core::results::{self, ExerciseRef, RunResult};
use attune_core::scoring::Scorecard;
use attune_core::skills::Skill;
use attune_core::text::{TerminalSafe, for_terminal, one_line};

use super::exit;
use super::scenario_file::{default_results_dir, load_checked, results_save_folders};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file to play.
    #[arg(required_unless_present = "exercise")]
    scenario: Option<PathBuf>,
    /// Play an exercise (`*.exercise.ron`) as a trainee: its scenarios in order, with its mode,
    /// seed, hints and attempts, saving each run into its results folder. Asks for your trainee
    /// id unless --trainee gives it.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["scenario", "seed", "mode", "results", "no_save", "from"]
    )]
    exercise: Option<PathBuf>,
    /// Seed for the order of replies and the client's wording (random if not given).
    #[arg(long)]
    seed: Option<u64>,
    /// `practice`: feedback after every reply, take-backs and hints. `assessment`: feedback only at the end.
    #[arg(long, value_enum, default_value_t = ModeArg::Practice)]
    mode: ModeArg,
    /// Your pseudonymous trainee id, saved with the result (default: `anonymous`; with
    /// --exercise, asked for).
    #[arg(long)]
    trainee: Option<String>,
    /// Folder to save the result in (default: your user data folder).
    #[arg(long, value_name = "DIR")]
    results: Option<PathBuf>,
    /// Play a scripted path instead of reading the keyboard: option numbers as shown, choice
    /// ids, `h` (hint) and `b` (take back), separated by commas, e.g. `2,1,b,3`.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    choices: Option<Vec<String>>,
    /// Do not save a result (for trying a scenario out, or testing one).
    #[arg(long, conflicts_with = "results")]
    no_save: bool,
    /// Start at this client node instead of the beginning, to try one part without playing up
    /// to it. A run started part-way is a try-out, not a trainee's result, so it is not saved.
    #[arg(long, value_name = "NODE", conflicts_with = "results")]
    from: Option<String>,
    /// With --from: the variables and flags to start with, e.g. `trust=4,felt_judged` (a
    /// variable's value, or a flag's name to set it). Everything not named starts as the
    /// scenario says; flags start unset.
    #[arg(long, value_name = "LIST", value_delimiter = ',', requires = "from")]
    state: Option<Vec<String>>,
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
    if let Some(exercise) = &args.exercise {
        return run_exercise(exercise, &args);
    }
    let Some(scenario) = args.scenario.clone() else {
        eprintln!("error: name a scenario file to play, or an exercise with --exercise FILE");
        return exit::USAGE;
    };
    let playable = match load_checked(&scenario) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let start = match &args.from {
        Some(node) => match starting_point(&playable, node, args.state.as_deref().unwrap_or(&[])) {
            Ok(state) => Some((node.clone(), state)),
            Err(problem) => {
                eprintln!("error: {}\nhelp: {}", problem.message, problem.help);
                return exit::USAGE;
            }
        },
        None => None,
    };
    let results_dir = if args.no_save || start.is_some() {
        None
    } else {
        match args.results.clone().or_else(default_results_dir) {
            Some(dir) => Some(dir),
            None => {
                eprintln!("error: no user data folder on this system; give one with --results DIR");
                return exit::USAGE;
            }
        }
    };
    // Found out now, not after the trainee has played the whole session.
    if let Some(dir) = &results_dir
        && let Err(err) = results::ready_folder(dir)
    {
        eprintln!(
            "error: results cannot be saved in {}: {err}\nhelp: choose a folder you can write to with --results DIR (or play with --no-save)",
            one_line(&dir.display().to_string())
        );
        return exit::USAGE;
    }
    let mode = match args.mode {
        ModeArg::Practice => Mode::Practice,
        ModeArg::Assessment => Mode::Assessment,
    };
    let seed = args.seed.unwrap_or_else(random_seed);
    let scripted = args.choices.is_some();
    let mut inputs = args.choices.clone().unwrap_or_default().into_iter();
    let setup = Setup {
        playable,
        scenario_path: &scenario,
        mode,
        seed,
        trainee: args
            .trainee
            .clone()
            .unwrap_or_else(|| "anonymous".to_owned()),
        results_dir,
        start,
        hints: true,
        exercise: None,
    };
    let code = play_session(setup, scripted, &mut inputs);
    let unused = inputs.count();
    if unused > 0 {
        eprintln!("note: the session ended before the last {unused} scripted choice(s) were used");
    }
    code
}

/// One session to play, and where its result goes.
struct Setup<'a> {
    playable: Arc<Playable>,
    scenario_path: &'a Path,
    mode: Mode,
    seed: u64,
    trainee: String,
    /// `None`: not saved (--no-save, or a run started part-way).
    results_dir: Option<PathBuf>,
    start: Option<(String, start_at::StartState)>,
    /// Whether the trainee may ask for hints (an exercise can turn them off).
    hints: bool,
    exercise: Option<ExerciseRef>,
}

/// Plays one session in the terminal, prints the debrief and saves the result.
fn play_session(setup: Setup, scripted: bool, inputs: &mut dyn Iterator<Item = String>) -> u8 {
    let Setup {
        playable,
        scenario_path,
        mode,
        seed,
        trainee,
        results_dir,
        start,
        hints,
        exercise,
    } = setup;

    let stdout = std::io::stdout();
    // Everything printed passes through here: scenario text cannot control the terminal.
    let mut out = TerminalSafe(stdout.lock());
    let stdin = std::io::stdin();
    // A terminal echoes what the trainee types; piped input does not, so echo it ourselves
    // and the transcript shows every reply chosen.
    let echo = !stdin.is_terminal();
    let mut stdin = stdin.lock();

    let started_at = SystemTime::now();
    let mut session = match &start {
        Some((node, state)) => match start_at::start(playable.clone(), mode, seed, node, state) {
            Ok(session) => {
                let _ = write_starting_point(&mut out, &session, node, mode, seed);
                session
            }
            // `starting_point` checked the node and every name, so this is not reached.
            Err(problem) => {
                eprintln!("error: {}\nhelp: {}", problem.message, problem.help);
                return exit::USAGE;
            }
        },
        None => {
            let _ = write_briefing(&mut out, playable.scenario(), mode, seed);
            Session::start(playable.clone(), mode, seed)
        }
    };

    // What the session started with: the meters in assessment mode stay at these values.
    let initial = session.variables().to_vec();
    let mut quit = false;
    let mut code = exit::OK;
    // The turn is printed once; a wrong key or an empty line only asks again.
    let mut show_turn = true;
    while session.status() == Status::AwaitingChoice {
        if show_turn {
            let _ = write_prompt(&mut out, &session, &initial);
            show_turn = false;
        }
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
                    let kept = if results_dir.is_some() {
                        "the run is saved as abandoned"
                    } else {
                        "the run ends as abandoned (not saved)"
                    };
                    eprintln!(
                        "error: the scripted choices ran out before the session ended; {kept}"
                    );
                    quit = true;
                    code = exit::PROBLEMS;
                    break;
                }
            }
        } else {
            let _ = write!(out, "> ");
            let _ = out.flush();
            let mut line = Vec::new();
            match stdin.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => {
                    // End of input counts as quitting: the run so far is kept.
                    let _ = writeln!(out);
                    Input::Quit
                }
                Ok(_) => {
                    // Bytes that are not UTF-8 are just an unrecognised answer, not an error.
                    let line = String::from_utf8_lossy(&line);
                    if echo {
                        let _ = writeln!(out, "{}", line.trim_end());
                    }
                    match parse_input(&line) {
                        Some(input) => input,
                        None => {
                            let _ = writeln!(out, "  {}", what_to_type(&session));
                            continue;
                        }
                    }
                }
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
            Input::Hint if !hints => {
                let _ = writeln!(out, "  Hints are off in this exercise.");
                continue;
            }
            Input::Hint => {
                match session.hint() {
                    Ok(Some(hint)) => {
                        let _ =
                            writeln!(out, "{}", debrief::wrap(&format!("Hint: {hint}"), 78, "  "));
                    }
                    Ok(None) => {
                        let _ = writeln!(
                            out,
                            "  There is no hint at this point: trust your reading of the client."
                        );
                    }
                    Err(err) => {
                        let _ = writeln!(out, "  {err}.");
                    }
                }
                continue;
            }
            Input::Back => {
                match session.take_back() {
                    Ok(()) => {
                        let _ = writeln!(out, "\n  You took your last reply back.");
                        show_turn = true;
                    }
                    Err(err) => {
                        let _ = writeln!(out, "  {err}.");
                    }
                }
                continue;
            }
            Input::Option(n) => session.choose(n, elapsed_ms),
            Input::ChoiceId(id) => session.choose_id(&id, elapsed_ms),
        };
        match applied {
            Ok(applied) => {
                show_turn = true;
                if mode == Mode::Practice {
                    let _ = write_feedback(&mut out, &session, &applied);
                }
            }
            Err(err) if scripted => {
                eprintln!(
                    "error: {} (at scripted step {})",
                    for_terminal(&err.to_string()),
                    session.decisions().len() + 1
                );
                quit = true;
                code = exit::USAGE;
                break;
            }
            Err(_) => {
                let _ = writeln!(out, "  {}", what_to_type(&session));
            }
        }
    }

    // Scored once: the debrief and the saved result show the same card.
    let card = Scorecard::of(&session);
    if !quit || !session.decisions().is_empty() || scripted {
        let _ = writeln!(out);
        let _ = write!(
            out,
            "{}",
            debrief::render_text(&Debrief::new(&session, &card))
        );
    }
    let _ = out.flush();

    let Some(results_dir) = results_dir else {
        if start.is_some() {
            eprintln!(
                "Not saved: a run started part-way (--from) is a try-out, not a trainee's result."
            );
        } else {
            eprintln!("Not saved (--no-save).");
        }
        return code;
    };
    let mut result = RunResult::from_session(
        &session,
        &card,
        TraineeId(trainee),
        Some(scenario_path.display().to_string()),
        started_at,
        SystemTime::now(),
        quit,
    );
    result.exercise = exercise;
    save(&results_dir, &result).max(code)
}

/// `attune play --exercise FILE`: the exercise's scenarios in order, as one trainee.
fn run_exercise(path: &Path, args: &Args) -> u8 {
    let loaded = match load_exercise(path) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!(
                "error: cannot read {}: {err}",
                one_line(&path.display().to_string())
            );
            return exit::USAGE;
        }
    };
    let Some(exercise) = loaded.exercise else {
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!(
                "{}",
                attune_core::diagnostics::render(
                    &loaded.file,
                    d,
                    attune_core::diagnostics::Style::Human { color: false }
                )
            );
        }
        eprintln!(
            "error: this exercise has {} error(s); ask your instructor, or run `attune check {}`",
            loaded.errors(),
            one_line(&path.display().to_string())
        );
        return exit::PROBLEMS;
    };
    if let Err(err) = results::ready_folder(&exercise.results) {
        eprintln!(
            "error: results cannot be saved in {}, the exercise's results folder: {err}\nhelp: ask your instructor to check the folder (a shared folder may not be mounted)",
            one_line(&exercise.results.display().to_string())
        );
        return exit::USAGE;
    }
    {
        let mut out = TerminalSafe(std::io::stdout().lock());
        let _ = write_exercise(&mut out, &exercise);
    }
    let trainee = match &args.trainee {
        Some(id) => id.clone(),
        None => match ask_trainee_id() {
            Some(id) => id,
            None => {
                eprintln!(
                    "error: no trainee id given\nhelp: type the id your instructor gave you, or pass --trainee ID"
                );
                return exit::USAGE;
            }
        },
    };
    if let Err(why) = check_trainee_id(&trainee) {
        eprintln!(
            "error: `{}` cannot be a trainee id: {why}",
            one_line(&trainee)
        );
        return exit::USAGE;
    }
    let scripted = args.choices.is_some();
    let mut inputs = args.choices.clone().unwrap_or_default().into_iter();
    let mut code = exit::OK;
    for scenario in &exercise.scenarios {
        if let Some(allowed) = exercise.attempts
            && !exercise.may_play(&trainee, scenario.id().as_str())
        {
            outln!(
                "\nYou have used all {allowed} attempt(s) at `{}`; it is skipped.",
                scenario.playable.scenario().title.value
            );
            continue;
        }
        let setup = Setup {
            playable: scenario.playable.clone(),
            scenario_path: &scenario.path,
            mode: exercise.mode,
            seed: exercise.shared_seed().unwrap_or_else(random_seed),
            trainee: trainee.clone(),
            results_dir: Some(exercise.results.clone()),
            start: None,
            hints: exercise.hints,
            exercise: Some(exercise.reference()),
        };
        code = code.max(play_session(setup, scripted, &mut inputs));
    }
    let unused = inputs.count();
    if unused > 0 {
        eprintln!("note: the exercise ended before the last {unused} scripted choice(s) were used");
    }
    code
}

/// The exercise as the trainee sees it before the first scenario.
fn write_exercise(out: &mut impl Write, exercise: &Exercise) -> std::io::Result<()> {
    writeln!(out, "Exercise: {}", exercise.title)?;
    if !exercise.instructions.trim().is_empty() {
        writeln!(out, "\n{}", debrief::wrap(&exercise.instructions, 78, ""))?;
    }
    writeln!(out, "\nScenarios:")?;
    for (i, s) in exercise.scenarios.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, s.playable.scenario().title.value)?;
    }
    writeln!(
        out,
        "{}",
        debrief::wrap(&exercise.settings_summary(), 78, "")
    )?;
    writeln!(out)
}

/// Asks for the trainee id on the terminal (or reads a line of piped input).
fn ask_trainee_id() -> Option<String> {
    eprint!("Your trainee id: ");
    let _ = std::io::stderr().flush();
    let mut line = Vec::new();
    std::io::stdin().lock().read_until(b'\n', &mut line).ok()?;
    let line = String::from_utf8_lossy(&line).trim().to_owned();
    if !std::io::stdin().is_terminal() {
        eprintln!("{}", one_line(&line));
    }
    (!line.is_empty()).then_some(line)
}

/// Saves the finished run in `dir`, or if that fails (a full disk, a folder gone) in the user's
/// data folder or a private temporary folder, and says where it went. As a last resort the
/// result is printed, so that a finished run is never lost.
fn save(dir: &std::path::Path, result: &RunResult) -> u8 {
    let shown = |p: &std::path::Path| one_line(&p.display().to_string()).into_owned();
    match results::save_to_first(&results_save_folders(dir), result) {
        Ok(saved) if saved.failed.is_empty() => {
            eprintln!("Result saved to {}", shown(&saved.path));
            exit::OK
        }
        Ok(saved) => {
            for (folder, err) in &saved.failed {
                eprintln!(
                    "error: could not save the result in {}: {err}",
                    shown(folder)
                );
            }
            eprintln!("Result saved to {} instead", shown(&saved.path));
            exit::PROBLEMS
        }
        Err(failed) => {
            for (folder, err) in &failed {
                eprintln!(
                    "error: could not save the result in {}: {err}",
                    shown(folder)
                );
            }
            match serde_json::to_string_pretty(result) {
                Ok(json) => eprintln!(
                    "The result could not be saved anywhere. Here it is: copy everything between the lines into a file named {}\n-----\n{}\n-----",
                    result.file_name(),
                    for_terminal(&json)
                ),
                Err(err) => eprintln!("error: the result could not be written out either: {err}"),
            }
            exit::PROBLEMS
        }
    }
}

/// What the trainee can type at this prompt, after something unrecognised.
fn what_to_type(session: &Session) -> String {
    let offered = session.offered().count();
    let numbers = if offered == 1 {
        "Type 1".to_owned()
    } else {
        format!("Type a number from 1 to {offered}")
    };
    match session.mode() {
        Mode::Practice => {
            format!("{numbers}, h for a hint, b to take your last reply back, or q to stop.")
        }
        Mode::Assessment => format!("{numbers}, or q to stop."),
    }
}

/// The node and state of a `--from` run, checked against the scenario.
fn starting_point(
    playable: &Playable,
    node: &str,
    state: &[String],
) -> Result<start_at::StartState, start_at::Problem> {
    start_at::check_node(playable, node)?;
    start_at::parse_state(playable, state)
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
    s: &attune_core::Scenario,
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
    writeln!(out, "\n{}", debrief::wrap(how_to_play(mode), 78, ""))?;
    writeln!(out, "Seed: {seed}")
}

fn how_to_play(mode: Mode) -> &'static str {
    match mode {
        Mode::Practice => {
            "Mode: practice. Feedback after every reply. Type a number to reply, h for a hint, b to take your last reply back, q to stop."
        }
        Mode::Assessment => {
            "Mode: assessment. Feedback at the end only, and the meters stay still until then. Type a number to reply, q to stop."
        }
    }
}

/// Instead of the briefing, for a run started part-way: where it starts and with what state,
/// so the author sees exactly what is being tried.
fn write_starting_point(
    out: &mut impl Write,
    session: &Session,
    node: &str,
    mode: Mode,
    seed: u64,
) -> std::io::Result<()> {
    let playable = session.playable();
    let title = &playable.scenario().title.value;
    writeln!(out, "{title}, from `{node}`")?;
    writeln!(
        out,
        "{}",
        "═".repeat(title.chars().count() + node.len() + 9)
    )?;
    let variables: Vec<String> = playable
        .variables()
        .iter()
        .zip(session.variables())
        .map(|(v, x)| {
            let hidden = if v.visible { "" } else { ", hidden" };
            format!(
                "{} {x} ({} to {}{hidden})",
                v.name.value, v.min.value, v.max.value
            )
        })
        .collect();
    let set: Vec<&str> = playable
        .flags()
        .iter()
        .zip(session.flags())
        .filter(|(_, on)| **on)
        .map(|(f, _)| f.as_str())
        .collect();
    let flags = match (set.is_empty(), playable.flags().is_empty()) {
        (_, true) => String::new(),
        (true, false) => " No flags set.".to_owned(),
        (false, false) => format!(" Flags set: {} (the others unset).", set.join(", ")),
    };
    let text = format!(
        "Trying part of the scenario: it starts at `{node}`, not at the beginning. Variables: {}.{flags}",
        variables.join(", ")
    );
    writeln!(out, "{}", debrief::wrap(&text, 78, ""))?;
    writeln!(out, "\n{}", debrief::wrap(how_to_play(mode), 78, ""))?;
    writeln!(out, "Seed: {seed}")
}

/// The meters the trainee sees, with their values: in assessment mode they stay at the values
/// the session started with (`initial`) until the debrief, so they do not give away whether a
/// reply was right.
fn meter_values<'s>(
    session: &'s Session,
    initial: &'s [i32],
) -> impl Iterator<Item = (&'s attune_core::model::Variable, i32)> {
    let still = session.mode() == Mode::Assessment;
    session
        .playable()
        .variables()
        .iter()
        .zip(session.variables().iter().zip(initial))
        .filter(|(v, _)| v.visible)
        .map(move |(v, (&now, &then))| (v, if still { then } else { now }))
}

fn cue_line(cue: &Cue) -> String {
    format!("[{}] {}", cue.kind(), cue.text().value)
}

fn write_prompt(out: &mut impl Write, session: &Session, initial: &[i32]) -> std::io::Result<()> {
    let playable = session.playable();
    let (Some(node), Some(line)) = (session.node(), session.line()) else {
        return Ok(());
    };
    let meters: Vec<String> = meter_values(session, initial)
        .map(|(v, x)| format!("{} {}/{}", v.name.value, x, v.max.value))
        .collect();
    writeln!(out)?;
    writeln!(
        out,
        "── {} ({}) {}",
        playable.scenario().client.name.value,
        node.emotion.label(),
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
    let playable: &Playable = session.playable();
    let choice = applied.chosen(playable);
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
                    playable.scenario().client.name.value,
                    thought.value
                ),
                78,
                "  "
            )
        )?;
    }
    let changes: Vec<String> = applied
        .visible_changes(playable)
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
