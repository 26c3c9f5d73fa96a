//! Integration tests: they run the real `attune` binary. One test binary, many modules, so the
//! dependencies link once.

#[cfg(feature = "app")]
mod app;
mod check;
mod play;
mod support;
#[cfg(feature = "app")]
mod window;
