//! A spinner on stderr while the assistant thinks, only where it can
//! redraw its line (see [`terminal::stderr_can_redraw`]); never in a pipe,
//! a log or a dumb terminal.

use std::time::Duration;

use crate::output::to_stderr;
use crate::terminal;

/// Shows a spinner until dropped; dropping it clears its line, also when
/// Ctrl-C drops the command that showed it.
pub struct Spinner {
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Spinner {
    /// A spinner labelled `label`; none at all unless `wanted` and stderr
    /// can redraw.
    pub fn start(label: &'static str, wanted: bool) -> Spinner {
        if !wanted || !terminal::stderr_can_redraw() {
            return Spinner { task: None };
        }
        let task = tokio::spawn(async move {
            const FRAMES: [&str; 4] = ["|", "/", "-", "\\"];
            let mut ticker = tokio::time::interval(Duration::from_millis(100));
            for frame in FRAMES.iter().cycle() {
                ticker.tick().await;
                to_stderr(&format!("\r{frame} {label}"));
            }
        });
        Spinner { task: Some(task) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // Back to the start of the line, and erase it.
            to_stderr("\r\x1b[2K");
        }
    }
}
