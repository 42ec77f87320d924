//! With `XTASK_TRACE` set, one line on stderr per phase of a generation
//! (and per progenitor run): where the time goes on a large spec.

use std::time::Instant;

/// Whether tracing is on.
pub fn enabled() -> bool {
    std::env::var_os("XTASK_TRACE").is_some()
}

/// Prints `what` and the time since `started`, when tracing is on.
pub fn phase(what: &str, started: Instant) {
    if enabled() {
        eprintln!("trace: {what}: {:.3}s", started.elapsed().as_secs_f64());
    }
}
