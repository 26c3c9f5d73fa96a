//! The real app in a real window: under Xvfb with Mesa's software Vulkan (llvmpipe), it opens a
//! scenario, plays a scripted path, saves a screenshot and exits. `.ci/run` installs `xvfb` and
//! `mesa-vulkan-drivers`; on a machine without them the test says so and passes, except in CI.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{scratch_dir, stderr};

/// Whether Xvfb is here for a window test; CI must have it.
fn xvfb_or_skip() -> bool {
    if Command::new("xvfb-run").arg("--help").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the window tests: install xvfb and mesa-vulkan-drivers"
    );
    eprintln!(
        "skipping a window test: xvfb-run is not installed (apt-get install xvfb mesa-vulkan-drivers)"
    );
    false
}

/// `attune app ARGS`, saving into `dir/results` and a screenshot to `shot`, under Xvfb with a
/// screen of `screen` ("1280x800") and the default settings, whatever this machine's user chose.
fn app_in_window(screen: &str, args: &[&str], dir: &Path, shot: &Path) -> Output {
    Command::new("timeout")
        .args(["300", "xvfb-run", "-a", "-s"])
        .arg(format!("-screen 0 {screen}x24"))
        .arg(env!("CARGO_BIN_EXE_attune"))
        .arg("app")
        .args(args)
        .arg("--results")
        .arg(dir.join("results"))
        .arg("--screenshot")
        .arg(shot)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("WGPU_BACKEND", "vulkan")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .output()
        .expect("xvfb-run runs")
}

#[test]
fn the_app_plays_a_scripted_path_and_saves_a_screenshot() {
    if !xvfb_or_skip() {
        return;
    }
    let dir = scratch_dir("window");
    let shot = dir.join("session.png");
    let output = app_in_window(
        "1280x800",
        &[
            "--scenario",
            "grief-eleven-weeks",
            "--seed",
            "1",
            "--choices",
            "2,1",
        ],
        &dir,
        &shot,
    );
    assert!(
        output.status.success(),
        "the app failed:\n{}",
        stderr(&output)
    );

    let image = image::open(&shot).expect("a PNG was written").to_rgb8();
    assert_eq!((image.width(), image.height()), (1280, 800));
    // The background is the theme's, painted by the camera's clear under transparent panels:
    // below the side panel's button and in the empty part of the transcript.
    for (x, y) in [(150, 600), (800, 500), (640, 30)] {
        assert_eq!(
            image.get_pixel(x, y).0,
            [0xf6, 0xf4, 0xf0],
            "the light theme's background at ({x}, {y})"
        );
    }
    // Not blank: the picture has many distinct colours (text, portrait, buttons), not one fill.
    let mut colours = std::collections::HashSet::new();
    for pixel in image.pixels().step_by(7) {
        colours.insert(pixel.0);
    }
    assert!(
        colours.len() > 50,
        "the screenshot looks blank ({} colours)",
        colours.len()
    );
    // The scripted path was played, and closing the app mid-session saved it as abandoned.
    let results = attune_core::results::list(&dir.join("results")).unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    let result = attune_core::results::load(&results[0]).unwrap();
    assert_eq!(result.status, attune_core::results::RunStatus::Abandoned);
    assert_eq!(result.decisions.len(), 2);
    assert_eq!(result.seed, 1);
}

#[test]
fn without_a_display_the_app_says_so() {
    let output = crate::support::attune()
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    crate::support::assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no display to open the app on"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn projector_mode_fills_a_projector_sized_window_and_saves_the_room_votes() {
    if !xvfb_or_skip() {
        return;
    }
    let dir = scratch_dir("window-projector");
    let shot = dir.join("projector.png");
    let output = app_in_window(
        "1920x1080",
        &[
            "--projector",
            "--window",
            "1920x1080",
            "--scenario",
            "grief-eleven-weeks",
            "--seed",
            "1",
            "--group",
            "Group B",
            "--choices",
            "3/9/2/0,r,n,1/1/1/1p4,r,end",
        ],
        &dir,
        &shot,
    );
    assert!(
        output.status.success(),
        "the app failed:\n{}",
        stderr(&output)
    );
    let image = image::open(&shot).expect("a PNG was written").to_rgb8();
    assert_eq!((image.width(), image.height()), (1920, 1080));

    let results = attune_core::results::list(&dir.join("results")).unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    let result = attune_core::results::load(&results[0]).unwrap();
    assert_eq!(result.trainee.as_str(), "Group B");
    assert_eq!(result.status, attune_core::results::RunStatus::Abandoned);
    let group = result.group.expect("the room's votes");
    assert_eq!(group.decisions.len(), 2);
    assert_eq!(group.decisions[0].votes.values().sum::<u32>(), 14);
    assert_eq!(result.decisions[0].chosen, result.decisions[0].shown[1]);
    assert_eq!(
        result.decisions[1].chosen, result.decisions[1].shown[3],
        "the pick wins"
    );
}
