//! A credential process: a program that prints the bearer, run once per
//! token lifetime (and again after a 401) as a token source of the SDK,
//! the way AWS's `credential_process` and kubectl's exec credentials work.
//!
//! It runs without a shell, its stdin null and its stderr the user's (its
//! own diagnostics and prompts); its stdout is the secret, never logged,
//! printed or quoted. The SDK bounds the fetch by the call's deadline;
//! when that passes, the future is dropped and the program killed.

mod output;
mod words;

use std::fmt;
use std::process::{ExitStatus, Stdio};

use moveworks_ext::auth::{AccessToken, AuthError, AuthErrorKind, BoxFuture, TokenSource};
use tokio::io::AsyncReadExt;

pub use words::split;

use crate::settings::Source;

/// The most a token command may print: far more than any bearer.
const MAX_OUTPUT: u64 = 1024 * 1024;

/// A program and its arguments, and where the command line came from.
pub struct TokenCommand {
    words: Vec<String>,
    source: Source,
}

impl TokenCommand {
    /// Runs `words` (the program, then its arguments, as [`split`] gives
    /// them).
    pub fn new(words: Vec<String>, source: Source) -> Self {
        Self { words, source }
    }

    fn program(&self) -> &str {
        self.words.first().map_or("", String::as_str)
    }

    fn failed(&self, what: impl fmt::Display) -> AuthError {
        AuthError::new(
            AuthErrorKind::Provider,
            format!(
                "the token command `{}` (from {}) {what}",
                self.program(),
                self.source
            ),
        )
    }

    async fn run(&self) -> Result<AccessToken, AuthError> {
        let mut child = tokio::process::Command::new(self.program())
            .args(self.words.iter().skip(1))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| self.failed(format_args!("could not be run: {error}")))?;
        let mut stdout = Vec::new();
        if let Some(pipe) = child.stdout.take() {
            pipe.take(MAX_OUTPUT + 1)
                .read_to_end(&mut stdout)
                .await
                .map_err(|error| self.failed(format_args!("could not be read: {error}")))?;
        }
        if stdout.len() as u64 > MAX_OUTPUT {
            // Dropping the child kills it.
            return Err(self.failed("printed more than 1 MiB"));
        }
        let status = child
            .wait()
            .await
            .map_err(|error| self.failed(format_args!("could not be waited for: {error}")))?;
        if !status.success() {
            return Err(self.failed(exited(status)));
        }
        output::parse(&stdout).map_err(|what| self.failed(what))
    }
}

/// How a program that failed ended.
fn exited(status: ExitStatus) -> String {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("was killed by signal {signal}");
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => format!("failed ({status})"),
    }
}

impl TokenSource for TokenCommand {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        Box::pin(self.run())
    }
}

impl fmt::Debug for TokenCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCommand")
            .field("program", &self.program())
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}
