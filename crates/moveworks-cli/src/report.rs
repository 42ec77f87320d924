//! A failure on stderr: readable text, or with --json one JSON object
//! that scripts can read (kind, status, code, message, request id, whether
//! the request may have been processed, exit code).

use std::fmt::Write as _;

use moveworks_ext::{Error, ErrorKind};
use serde_json::{Value, json};

use crate::exit_code::Exit;
use crate::failure::Failure;
use crate::output::to_stderr;

/// Writes `failure` to stderr, as JSON if `json`, and gives its exit
/// status. A closed stdout is not reported; Ctrl-C only with --json (the
/// user who pressed it knows).
pub fn failure(failure: &Failure, json: bool) -> Exit {
    let exit = Exit::of(failure);
    match failure {
        Failure::ClosedOutput | Failure::Reported(_) => {}
        Failure::Interrupted if !json => {}
        _ if json => to_stderr(&format!("{}\n", document(failure, exit))),
        _ => to_stderr(&format!("{}\n", text(failure))),
    }
    exit
}

/// A command line clap could not parse, or `--help` and `--version`.
pub fn command_line(error: &clap::Error) -> Exit {
    if !error.use_stderr() {
        // Help and version: stdout, success, even if stdout is closed.
        let _ = error.print();
        return Exit::Success;
    }
    if json_requested() {
        // clap's message, without its usage and tip paragraphs.
        let rendered = error.render().to_string();
        let message: Vec<&str> = rendered
            .lines()
            .take_while(|line| !line.trim().is_empty())
            .map(str::trim)
            .collect();
        let message = message.join(" ");
        let message = message
            .strip_prefix("error: ")
            .unwrap_or(&message)
            .to_owned();
        return failure(&Failure::Usage(message), true);
    }
    let _ = error.print();
    Exit::Usage
}

/// Whether the raw command line asks for JSON, for errors found before it
/// could be parsed.
fn json_requested() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|arg| arg != "--")
        .any(|arg| arg == "--json")
}

fn text(failure: &Failure) -> String {
    let mut text = format!("error: {failure}");
    if let Failure::Sdk(error) = failure {
        // A token endpoint's status is in `--json` only: the text says
        // what the endpoint answered in its message.
        if let Some(status) = error.status().filter(|_| error.kind() != ErrorKind::Auth) {
            let _ = write!(text, "\n  status: {status}");
        }
        if let Some(code) = error.code() {
            let _ = write!(text, "\n  code: {code}");
        }
        if let Some(id) = error.request_id() {
            let _ = write!(text, "\n  request id: {id} (give it to Moveworks support)");
        }
    }
    text
}

fn document(failure: &Failure, exit: Exit) -> Value {
    let error = match failure {
        Failure::Sdk(error) => Some(error),
        _ => None,
    };
    json!({
        "kind": kind(failure),
        "exit_code": exit.code(),
        "message": failure.to_string(),
        // The answer's status, or the token endpoint's when getting a
        // token failed.
        "status": error.and_then(Error::status).map(|status| status.as_u16()),
        "code": error.and_then(Error::code).map(|c| c.to_string()),
        "api_message": error.and_then(Error::message),
        "request_id": error.and_then(Error::request_id),
        "response_id": error.and_then(Error::response_id),
        "may_have_been_processed": error.is_some_and(Error::may_have_been_processed),
        "attempts": error.map_or(0, Error::attempts),
    })
}

fn kind(failure: &Failure) -> &'static str {
    match failure {
        Failure::Usage(_) => "usage",
        Failure::Deadline(_) => "deadline",
        Failure::Cut(_) => "transport",
        Failure::Interrupted => "interrupted",
        Failure::ClosedOutput => "closed_output",
        Failure::Other(_) => "other",
        Failure::Reported(failure) => kind(failure),
        Failure::Sdk(error) => error.kind().as_str(),
    }
}
