//! Where results and notes go: stdout gets results (readable text, or JSON
//! for scripts: one document, or one per line for lists), stderr gets
//! notes and errors.
//!
//! A reader that closes stdout early (`| head -1`) ends the program
//! quietly with status 0, as ripgrep and gh do: the write fails with a
//! broken pipe (Rust ignores SIGPIPE), which becomes
//! [`Failure::ClosedOutput`].

use std::io::Write;

use serde::Serialize;

use crate::failure::Failure;

/// Where results go, and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
}

impl Output {
    /// One result: `value` as JSON, or the text `human` gives.
    pub fn one<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce() -> String,
    ) -> Result<(), Failure> {
        let text = if self.json {
            serde_json::to_string(value).map_err(|e| Failure::Other(e.to_string()))?
        } else {
            human()
        };
        self.line(&text)
    }

    /// A line of text as it is.
    pub fn line(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        written(writeln!(stdout, "{text}"))
    }

    /// Bytes as they are, shown at once (a streamed answer, a raw body).
    pub fn bytes(&self, bytes: &[u8]) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        written(stdout.write_all(bytes).and_then(|()| stdout.flush()))
    }

    /// A note for the person at the terminal (not with --json or --quiet).
    pub fn note(&self, text: &str) {
        if !self.json && !self.quiet {
            to_stderr(&format!("{text}\n"));
        }
    }
}

fn written(result: std::io::Result<()>) -> Result<(), Failure> {
    result.map_err(|error| match error.kind() {
        std::io::ErrorKind::BrokenPipe => Failure::ClosedOutput,
        _ => Failure::Other(format!("cannot write to stdout: {error}")),
    })
}

/// Writes to stderr. A stderr that cannot be written to has nowhere to
/// report that either, so its errors are dropped (`eprint!` would panic).
pub fn to_stderr(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}
