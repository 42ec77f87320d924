//! How a command fails.

use std::fmt;

use moveworks_ext::Error;

/// A failed command. Its exit status is [`Exit::of`](crate::exit_code::Exit::of).
#[derive(Debug)]
pub enum Failure {
    /// The command line or the configuration is wrong, found before
    /// anything was sent: one line naming it.
    Usage(String),
    /// An SDK call failed.
    Sdk(Error),
    /// A deadline the CLI itself keeps passed (the whole of a streamed
    /// answer under --timeout).
    Deadline(String),
    /// The connection failed while an answer's body came (a body the CLI
    /// reads itself, as `api` does).
    Cut(String),
    /// Ctrl-C.
    Interrupted,
    /// Stdout was closed by its reader (`| head`): nothing to report.
    ClosedOutput,
    /// Anything else.
    Other(String),
    /// A failure already reported on stderr (a failed answer of `chat`,
    /// which went on); it gives the exit status.
    Reported(Box<Failure>),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Sdk(error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message)
            | Failure::Deadline(message)
            | Failure::Cut(message)
            | Failure::Other(message) => f.write_str(message),
            Failure::Sdk(error) => write!(f, "{error}"),
            Failure::Interrupted => f.write_str("interrupted"),
            Failure::ClosedOutput => f.write_str("stdout was closed"),
            Failure::Reported(failure) => write!(f, "{failure}"),
        }
    }
}
