//! A spinner on stderr while the assistant thinks, only when stderr is a
//! terminal (never in a pipe or a log).

use std::io::{IsTerminal, Write};
use std::time::Duration;

/// Shows a spinner until dropped.
pub struct Spinner {
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Spinner {
    pub fn start(label: &'static str) -> Spinner {
        if !std::io::stderr().is_terminal() {
            return Spinner { task: None };
        }
        let task = tokio::spawn(async move {
            const FRAMES: [&str; 4] = ["|", "/", "-", "\\"];
            let mut ticker = tokio::time::interval(Duration::from_millis(100));
            for frame in FRAMES.iter().cycle() {
                ticker.tick().await;
                eprint!("\r{frame} {label}");
                let _ = std::io::stderr().flush();
            }
        });
        Spinner { task: Some(task) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // Clear the line the spinner drew.
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}
