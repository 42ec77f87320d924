//! What the exit status of `moveworks` says, and the one place that
//! derives it from a failure.

use moveworks_ext::auth::{AuthError, AuthErrorKind};
use moveworks_ext::{Error, ErrorKind};

use crate::failure::Failure;

/// The exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Other = 1,
    Usage = 2,
    Api = 3,
    Unreachable = 4,
    Deadline = 5,
    TokenCommand = 6,
    /// 128 + SIGINT, as shells report a program that Ctrl-C stopped.
    Interrupted = 130,
}

/// The exit codes, as `moveworks --help` shows them. A test checks that
/// every [`Exit`] is here.
pub const HELP: &str = "\
Exit codes:
  0    success (also when the reader of stdout goes away, as `| head` does)
  1    anything else (the message to rate offers no rating, for instance)
  2    usage or configuration error (a bad flag, a missing setting, a
       malformed config file); nothing was sent
  3    the API answered with an error (status, code and request id on
       stderr), or with a body that is not the API's, or the assistant
       could not answer (the response FAILED)
  4    the API could not be reached, or the connection failed (the token
       endpoint included)
  5    a deadline passed: a call (--timeout) or waiting for an answer
  6    the token command failed: it could not be run, exited with an
       error, or printed no token (a hang ends at --timeout: 5)
  130  interrupted by Ctrl-C";

impl Exit {
    /// The exit status of a command that failed this way.
    pub fn of(failure: &Failure) -> Exit {
        match failure {
            Failure::Usage(_) => Exit::Usage,
            Failure::Sdk(error) => Exit::of_error(error),
            Failure::Deadline(_) => Exit::Deadline,
            Failure::Cut(_) => Exit::Unreachable,
            Failure::Interrupted => Exit::Interrupted,
            // The reader is gone: nothing is wrong with what was done.
            Failure::ClosedOutput => Exit::Success,
            Failure::Other(_) => Exit::Other,
            Failure::Reported(failure) => Exit::of(failure),
        }
    }

    /// The exit status of an SDK error, from its kind and, where a kind
    /// spans several causes (a token, a stream), from what happened.
    /// Kinds the SDK adds later are "anything else" until they are placed
    /// here.
    fn of_error(error: &Error) -> Exit {
        match error.kind() {
            ErrorKind::Config | ErrorKind::InvalidInput => Exit::Usage,
            ErrorKind::Api | ErrorKind::ResponseFailed | ErrorKind::Decode => Exit::Api,
            ErrorKind::Transport => Exit::Unreachable,
            ErrorKind::Timeout | ErrorKind::WaitTimeout => Exit::Deadline,
            ErrorKind::Auth => match error.as_auth().map(AuthError::kind) {
                Some(AuthErrorKind::Unreachable) => Exit::Unreachable,
                Some(AuthErrorKind::TimedOut) => Exit::Deadline,
                Some(AuthErrorKind::Rejected | AuthErrorKind::InvalidResponse) => Exit::Api,
                Some(AuthErrorKind::InvalidToken) => Exit::Usage,
                // The CLI's only provider.
                Some(AuthErrorKind::Provider) => Exit::TokenCommand,
                _ => Exit::Other,
            },
            // An ERROR event, an oversized or malformed event: the API's.
            ErrorKind::Stream if error.is_timeout() => Exit::Deadline,
            ErrorKind::Stream if error.is_connection() => Exit::Unreachable,
            ErrorKind::Stream => Exit::Api,
            // The API's pages loop; a walk that reached its page cap is not
            // the API's fault.
            ErrorKind::Pagination if error.resume_cursor().is_none() => Exit::Api,
            _ => Exit::Other,
        }
    }

    pub fn code(self) -> u8 {
        self as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_code() {
        for exit in [
            Exit::Success,
            Exit::Other,
            Exit::Usage,
            Exit::Api,
            Exit::Unreachable,
            Exit::Deadline,
            Exit::TokenCommand,
            Exit::Interrupted,
        ] {
            let code = exit.code().to_string();
            assert!(
                HELP.lines()
                    .any(|line| line.trim_start().starts_with(&format!("{code} "))),
                "{exit:?} ({code}) is not in the help"
            );
        }
    }
}
