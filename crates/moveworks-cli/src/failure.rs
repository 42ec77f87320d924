//! How a command fails: the message on stderr and the exit code.

use std::fmt;
use std::process::ExitCode;

use moveworks_ext::Error;

/// Exit code: any other failure.
pub const OTHER: u8 = 1;
/// Exit code: usage or configuration error; nothing was sent.
pub const USAGE: u8 = 2;
/// Exit code: the API answered with an error.
pub const API: u8 = 3;
/// Exit code: the API could not be reached, a timeout, a cut connection
/// (an answer stream that ended early too).
pub const TRANSPORT: u8 = 4;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// The command line or the configuration is wrong: one line naming it.
    Usage(String),
    /// A call failed.
    Sdk(Error),
    /// Anything else (output could not be written, a body is not JSON).
    Other(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Sdk(error)
    }
}

impl From<moveworks_ext::ConfigError> for Failure {
    fn from(error: moveworks_ext::ConfigError) -> Self {
        Failure::Usage(error.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Other(error.to_string())
    }
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => USAGE,
            Failure::Other(_) => OTHER,
            Failure::Sdk(error) => match error {
                Error::InvalidInput { .. } | Error::Config(_) => USAGE,
                Error::Api(_) | Error::ResponseFailed(_) | Error::Auth(_) => API,
                Error::Transport { .. }
                | Error::Timeout { .. }
                | Error::WaitTimeout { .. }
                | Error::Stream(_) => TRANSPORT,
                _ => OTHER,
            },
        }
    }

    /// Writes the failure to stderr and gives the exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("{self}");
        ExitCode::from(self.exit_code())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Other(message) => write!(f, "error: {message}"),
            Failure::Sdk(error) => {
                write!(f, "error: {error}")?;
                if let Some(status) = error.status() {
                    write!(f, "\n  status: {status}")?;
                }
                if let Some(code) = error.code() {
                    write!(f, "\n  code: {code}")?;
                }
                if let Some(id) = error.request_id() {
                    write!(f, "\n  request id: {id} (give it to Moveworks support)")?;
                }
                Ok(())
            }
        }
    }
}
