//! Scripted runs of the real app: open a scenario, play a path, save a screenshot, exit. Used by
//! the window smoke test, the start-up benchmark and for taking the README's screenshots. Built
//! only with the `dev` feature: release builds carry no test hooks.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use attune_core::engine::Mode;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::{PrimaryWindow, WindowMode};
use bevy::winit::WinitSettings;

use super::class::projector::{ProjectorAction, ProjectorRun};
use super::scenarios::Library;
use super::screens::{Action, ActiveSession, Screen, Selection, SessionPhase};

/// The app's automation options (`attune app --scenario ID --choices 2,1 --screenshot F.png`).
#[derive(Debug, Default, clap::Args)]
pub struct Script {
    /// Open this scenario (id or file name) straight away, skipping the library.
    #[arg(long, value_name = "ID")]
    scenario: Option<String>,
    /// With --scenario: the seed (default 1).
    #[arg(long)]
    seed: Option<u64>,
    /// With --scenario: play in assessment mode instead of practice.
    #[arg(long)]
    assessment: bool,
    /// With --scenario: a scripted path (option numbers, choice ids, `h`, `b`).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    choices: Vec<String>,
    /// With --projector and --scenario: the group's name, saved as the result's trainee id.
    #[arg(long, value_name = "NAME")]
    group: Option<String>,
    /// With --scenario: begin the session even without --choices (instead of stopping at the briefing).
    #[arg(long)]
    begin: bool,
    /// Save a screenshot of the window once the path is played, then exit.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// The window's size, e.g. `1920x1080` to see the app as a projector shows it.
    #[arg(long, value_name = "WxH", value_parser = parse_window_size)]
    window: Option<(u32, u32)>,
    /// For `benches/app.sh`: print when the first library frame is drawn, then exit.
    #[arg(long, hide = true)]
    report_startup: bool,
    /// With --scenario: turn author mode on and open the scenario map before the screenshot.
    #[arg(long)]
    map: bool,
    /// With --map: the map's zoom (1 = 100%), centred on the current node; default: fit it all.
    #[arg(long, value_name = "ZOOM")]
    map_zoom: Option<f32>,
    /// With --map: pan the map by 12 points a frame for this many frames, print the frame
    /// times Bevy measured, then exit (`benches/map.sh`); without --map, the same with the map
    /// closed, as a baseline.
    #[arg(long, value_name = "FRAMES", hide = true)]
    pan_frames: Option<u32>,
    /// Before starting, write the generated scenario with this many nodes into the scenarios
    /// folder as `generated-N.scenario.ron` (`benches/map.sh`).
    #[arg(long, value_name = "NODES", hide = true)]
    generate: Option<usize>,
}

impl Script {
    /// Adds the automation to an app, if any option asks for it.
    pub fn install(&self, app: &mut App) {
        if let Some(nodes) = self.generate {
            let dir = app.world().resource::<super::AppPaths>().scenarios.clone();
            let path = dir.join(format!("generated-{nodes}.scenario.ron"));
            if let Err(err) = std::fs::write(&path, attune_core::generate::scenario_text(nodes)) {
                error!("automation: cannot write {}: {err}", path.display());
            }
        }
        if self.map {
            app.insert_resource(super::author::StartInAuthorMode);
        }
        if let Some(frames) = self.pan_frames {
            app.add_plugins(bevy::diagnostic::FrameTimeDiagnosticsPlugin::new(
                frames as usize,
            ))
            .insert_resource(PanMap {
                frames_left: frames,
            })
            .add_systems(Update, pan_map.run_if(resource_exists::<PanMap>));
        }
        if self.scenario.is_some() || self.screenshot.is_some() || self.report_startup {
            // Scripted runs draw continuously so they never wait for input.
            app.insert_resource(WinitSettings::continuous())
                .insert_resource(
                    Automation::new(
                        self.scenario.clone(),
                        if self.assessment {
                            Mode::Assessment
                        } else {
                            Mode::Practice
                        },
                        self.seed.unwrap_or(1),
                        self.choices.clone(),
                        self.begin,
                        self.screenshot.clone(),
                    )
                    .with_group(self.group.clone()),
                )
                .insert_resource(MapRequest {
                    open: self.map,
                    zoom: self.map_zoom,
                    opened: false,
                })
                .add_plugins(plugin);
        }
        if self.report_startup {
            app.insert_resource(ReportStartup);
        }
        if let Some((width, height)) = self.window {
            // After `Startup`, where projector mode asks for the full screen.
            app.add_systems(
                PostStartup,
                move |mut windows: Query<&mut Window, With<PrimaryWindow>>| {
                    for mut window in &mut windows {
                        window.mode = WindowMode::Windowed;
                        window.resolution.set(width as f32, height as f32);
                    }
                },
            );
        }
    }
}

fn parse_window_size(text: &str) -> Result<(u32, u32), String> {
    text.split_once('x')
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .filter(|&(w, h)| (320..=8192).contains(&w) && (240..=8192).contains(&h))
        .ok_or_else(|| format!("`{text}` is not a window size such as 1920x1080"))
}

pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        drive_automation.run_if(resource_exists::<Automation>),
    )
    .add_systems(
        Last,
        report_startup.run_if(resource_exists::<ReportStartup>),
    );
}

/// For the start-up benchmark: print the wall-clock time of the first frame that shows the
/// whole library, then exit.
#[derive(Resource, Debug)]
pub struct ReportStartup;

fn report_startup(
    library: Res<Library>,
    screen: Res<State<Screen>>,
    frames: Res<bevy::diagnostic::FrameCount>,
    mut exit: MessageWriter<AppExit>,
) {
    // This frame drew the library with every entry; it is presented right after.
    if *screen.get() == Screen::Library
        && library.is_ready()
        && !library.entries.is_empty()
        && frames.0 > 1
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        println!("library-frame-unix-ns {now}");
        exit.write(AppExit::Success);
    }
}

/// Whether to open the scenario map before the screenshot, and at what zoom.
#[derive(Resource, Debug)]
struct MapRequest {
    open: bool,
    zoom: Option<f32>,
    opened: bool,
}

/// Panning the map for `benches/map.sh`.
#[derive(Resource, Debug)]
struct PanMap {
    frames_left: u32,
}

/// Pans the map a little every frame once it is open; at the end prints the frame times
/// (`FrameTimeDiagnosticsPlugin`, milliseconds) and exits.
fn pan_map(
    mut pan: ResMut<PanMap>,
    request: Res<MapRequest>,
    mut map: ResMut<super::author::MapState>,
    diagnostics: Res<bevy::diagnostic::DiagnosticsStore>,
    mut exit: MessageWriter<AppExit>,
    mut settled: Local<u32>,
    active: Option<Res<ActiveSession>>,
) {
    // Without --map: the same frames with the map closed, as a baseline; either way, on the
    // session screen.
    if (request.open && !request.opened) || active.is_none() {
        return;
    }
    // Let the map open and draw before measuring.
    if *settled < SETTLE_FRAMES {
        *settled += 1;
        return;
    }
    let step = 12.0 / map.view.zoom;
    // Back and forth across about 4,000 points of the map.
    let direction = if (pan.frames_left / 330).is_multiple_of(2) {
        1.0
    } else {
        -1.0
    };
    if request.opened {
        map.view.centre.x += direction * step;
    }
    if pan.frames_left > 0 {
        pan.frames_left -= 1;
        return;
    }
    let Some(frame_time) =
        diagnostics.get(&bevy::diagnostic::FrameTimeDiagnosticsPlugin::FRAME_TIME)
    else {
        return;
    };
    let mut values: Vec<f64> = frame_time.values().copied().collect();
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    if !values.is_empty() {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        println!(
            "map-pan frames {} map {} zoom {:.2}: mean {mean:.2} ms ({:.1} fps), median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            values.len(),
            if request.opened { "open" } else { "closed" },
            map.view.zoom,
            1000.0 / mean,
            at(0.5),
            at(0.95),
            at(1.0),
        );
    }
    exit.write(AppExit::Success);
}

#[derive(Resource, Debug)]
pub struct Automation {
    /// Scenario id or file name.
    pub scenario: Option<String>,
    pub mode: Mode,
    pub seed: u64,
    /// Option numbers as shown, choice ids, `h` and `b`; in projector mode, the room's
    /// counts (`3/9/2/0`), a pick (`p2`), `r` (reveal), `n` (next) and `end`.
    pub choices: VecDeque<String>,
    /// In projector mode: the group's name.
    pub group: Option<String>,
    pub screenshot: Option<PathBuf>,
    stage: Stage,
    /// The screenshot has been written.
    captured: bool,
    /// Whether to begin the session (or stop at the briefing).
    begin: bool,
    /// Frames to let pass before the next step, so that each screen is drawn.
    wait: u32,
    started: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Open,
    Begin,
    Play,
    Capture,
    Saving,
    Done,
}

/// How long to wait for the library before giving up.
const LOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// Frames to draw before a screenshot, so egui has laid out and painted the screen.
const SETTLE_FRAMES: u32 = 20;

impl Automation {
    pub fn new(
        scenario: Option<String>,
        mode: Mode,
        seed: u64,
        choices: Vec<String>,
        begin: bool,
        screenshot: Option<PathBuf>,
    ) -> Self {
        let choices_empty = choices.is_empty();
        Automation {
            stage: if scenario.is_some() {
                Stage::Open
            } else {
                Stage::Capture
            },
            scenario,
            mode,
            seed,
            choices: choices.into(),
            group: None,
            screenshot,
            captured: false,
            begin: begin || !choices_empty,
            wait: SETTLE_FRAMES,
            started: Instant::now(),
        }
    }
}

impl Automation {
    pub fn with_group(mut self, group: Option<String>) -> Self {
        self.group = group;
        self
    }
}

/// A projector-mode token as the facilitator's action, or why it is not one.
fn projector_action(token: &str) -> Result<ProjectorAction, String> {
    Ok(match token {
        "r" => ProjectorAction::Reveal,
        "n" => ProjectorAction::Next,
        "end" => ProjectorAction::End,
        t => {
            let bad = || {
                format!("`{t}` is not a count per reply (3/9/2/0), a pick (p2) or both (5/2/5/0p3)")
            };
            let (counts, pick) = match t.split_once('p') {
                Some((counts, pick)) => (counts, Some(pick.parse().map_err(|_| bad())?)),
                None => (t, None),
            };
            let votes = if counts.is_empty() {
                Vec::new()
            } else {
                counts
                    .split('/')
                    .map(|n| n.trim().parse::<u32>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad())?
            };
            ProjectorAction::Decide { votes, pick }
        }
    })
}

#[allow(clippy::too_many_arguments)]
fn drive_automation(
    mut commands: Commands,
    map_request: Option<ResMut<MapRequest>>,
    author: Option<ResMut<super::author::AuthorSession>>,
    map: Option<ResMut<super::author::MapState>>,
    panning: Option<Res<PanMap>>,
    mut automation: ResMut<Automation>,
    library: Res<Library>,
    mut selection: ResMut<Selection>,
    screen: Res<State<Screen>>,
    phase: Option<Res<State<SessionPhase>>>,
    active: Option<Res<ActiveSession>>,
    mut actions: MessageWriter<Action>,
    mut room: MessageWriter<ProjectorAction>,
    projector: Option<Res<ProjectorRun>>,
    mut exit: MessageWriter<AppExit>,
) {
    if automation.wait > 0 {
        automation.wait -= 1;
        return;
    }
    if !library.is_ready() || library.entries.is_empty() {
        if automation.started.elapsed() > LOAD_TIMEOUT {
            error!("automation: the scenario library did not load in time");
            exit.write(AppExit::error());
        }
        return;
    }
    automation.wait = 3;
    match automation.stage {
        Stage::Open => {
            let wanted = automation.scenario.clone().unwrap_or_default();
            let Some(entry) = library.find(&wanted).filter(|e| e.playable.is_some()) else {
                error!("automation: no playable scenario `{wanted}` in the library");
                exit.write(AppExit::error());
                automation.stage = Stage::Done;
                return;
            };
            if *screen.get() == Screen::Projector {
                room.write(ProjectorAction::Start {
                    file: entry.file.clone(),
                    group: automation.group.clone().unwrap_or_default(),
                    seed: automation.seed,
                    participants: None,
                });
                automation.stage = Stage::Play;
                return;
            }
            selection.mode = automation.mode;
            selection.seed_text = automation.seed.to_string();
            actions.write(Action::Open {
                file: entry.file.clone(),
            });
            automation.stage = Stage::Begin;
        }
        Stage::Play if *screen.get() == Screen::Projector => {
            let Some(token) = automation.choices.pop_front() else {
                automation.stage = Stage::Capture;
                automation.wait = SETTLE_FRAMES;
                return;
            };
            match projector_action(token.trim()) {
                Ok(ProjectorAction::Decide { votes, pick }) => {
                    // A pick alone counts nobody: as many zero counts as replies on offer.
                    let offered = projector
                        .as_ref()
                        .map_or(0, |r| r.session.offered().count());
                    let votes = if votes.is_empty() {
                        vec![0; offered]
                    } else {
                        votes
                    };
                    room.write(ProjectorAction::Decide { votes, pick });
                }
                Ok(action) => {
                    room.write(action);
                }
                Err(err) => {
                    error!("automation: {err}");
                    exit.write(AppExit::error());
                    automation.stage = Stage::Done;
                }
            }
        }
        Stage::Begin if *screen.get() == Screen::Briefing => {
            if !automation.begin {
                automation.stage = Stage::Capture;
                automation.wait = SETTLE_FRAMES;
                return;
            }
            actions.write(Action::Begin);
            automation.stage = Stage::Play;
        }
        Stage::Play => match (screen.get(), phase.as_deref().map(State::get)) {
            (Screen::Session, Some(SessionPhase::Feedback)) if !automation.choices.is_empty() => {
                actions.write(Action::Continue);
            }
            (Screen::Session, Some(SessionPhase::Choosing)) => match automation.choices.pop_front()
            {
                Some(token) => {
                    let action = match token.trim() {
                        "h" => Action::Hint,
                        "b" => Action::TakeBack,
                        t => match t.parse::<usize>() {
                            Ok(n) => Action::Choose(n),
                            Err(_) => {
                                let position = active.as_ref().and_then(|a| {
                                    a.session.offered_ids().position(|id| id.as_str() == t)
                                });
                                match position {
                                    Some(p) => Action::Choose(p + 1),
                                    None => {
                                        error!("automation: `{t}` is not on offer");
                                        exit.write(AppExit::error());
                                        automation.stage = Stage::Done;
                                        return;
                                    }
                                }
                            }
                        },
                    };
                    actions.write(action);
                }
                None => {
                    automation.stage = Stage::Capture;
                    automation.wait = SETTLE_FRAMES;
                }
            },
            (Screen::Session, _) | (Screen::Debrief, _) => {
                automation.stage = Stage::Capture;
                automation.wait = SETTLE_FRAMES;
            }
            _ => {}
        },
        Stage::Capture if map_request.as_ref().is_some_and(|r| r.open && !r.opened) => {
            if let (Some(mut request), Some(mut author), Some(mut map)) = (map_request, author, map)
            {
                super::author::open_map(&mut author, &mut map, request.zoom);
                request.opened = true;
            }
            automation.wait = SETTLE_FRAMES;
        }
        Stage::Capture => {
            let Some(path) = automation.screenshot.clone() else {
                // Stay open for the author, as a normal desktop app that idles when nothing
                // changes (unless panning the map for the benchmark, which draws every frame).
                automation.stage = Stage::Done;
                if panning.is_none() {
                    commands.insert_resource(WinitSettings::desktop_app());
                }
                return;
            };
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(path))
                .observe(
                    |_: On<ScreenshotCaptured>, mut automation: ResMut<Automation>| {
                        automation.stage = Stage::Done;
                        automation.captured = true;
                    },
                );
            automation.stage = Stage::Saving;
        }
        Stage::Done if automation.captured => {
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}
