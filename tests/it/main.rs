//! Integration tests: they run the real `attune` binary. One test binary, many modules, so the
//! dependencies link once.

mod check;
mod play;
mod support;
