//! Integration tests: they run the real `attune` binary. One test binary, many modules, so the
//! dependencies link once.

#[cfg(feature = "app")]
mod app;
mod check;
mod class;
#[cfg(feature = "app")]
mod class_app;
mod docs;
mod graph;
mod hardening;
mod lint;
// Starts a Ralph LRS with Unix process groups.
#[cfg(unix)]
mod lrs;
mod new;
mod papercuts;
mod play;
mod play_from;
mod replay_against;
mod support;
mod test_cmd;
// The window test drives the app's automation, a `dev` feature test hook.
#[cfg(all(feature = "app", feature = "dev"))]
mod window;
