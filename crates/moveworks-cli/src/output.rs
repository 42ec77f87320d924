//! Printing results: readable text on a terminal, or JSON for scripts
//! (one document, or one per line for lists).

use std::io::Write;

use serde::Serialize;

use crate::failure::Failure;

/// Where results go, and in which form.
pub struct Output {
    pub json: bool,
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
        writeln!(stdout, "{text}")?;
        Ok(())
    }

    /// Text without a newline, shown at once (a streamed answer).
    pub fn partial(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{text}")?;
        stdout.flush()?;
        Ok(())
    }
}
