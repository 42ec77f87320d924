//! `chat`: questions line by line from stdin, all in one conversation.
//! After each answer its actions are listed, numbered: `/N` alone on a
//! line presses button N (no question is only a slash and a number). A
//! failed answer is reported and the next question read; EOF or Ctrl-C
//! ends the session, with the conversation id to continue it.

use std::io::IsTerminal;
use std::time::Duration;

use moveworks_ext::types::Action;
use moveworks_ext::{ActionExt, ActionKind, Client, ConversationHandle, Input};

use super::answer::{self, Pressing};
use crate::failure::Failure;
use crate::output::{Output, to_stderr};
use crate::{interrupt, report, stdin};

pub async fn run(
    client: &Client,
    out: &Output,
    conversation: Option<String>,
    deadline: Option<Duration>,
) -> Result<(), Failure> {
    let mut lines = stdin::lines("chat")?;
    let prompt = std::io::stdin().is_terminal() && !out.json && !out.quiet;
    if prompt {
        to_stderr(
            "One question per line; /N presses button N of an answer; Ctrl-D or Ctrl-C to end.\n",
        );
    }
    // Created with the first question, so that a session that asks
    // nothing leaves no empty conversation behind.
    let mut handle = match conversation {
        Some(id) => Some(client.continue_conversation(id)?),
        None => None,
    };
    let mut last_failure = None;
    // The actions of the last answer, as numbered.
    let mut actions: Vec<Action> = Vec::new();
    loop {
        if prompt {
            to_stderr("> ");
        }
        let line = tokio::select! {
            line = lines.recv() => line,
            () = interrupt::pressed() => {
                if prompt {
                    to_stderr("\n");
                }
                break;
            }
        };
        let Some(line) = line else { break };
        let question = match line {
            Ok(line) => line,
            Err(problem) => {
                last_failure = Some(reported(Failure::Other(problem), out));
                continue;
            }
        };
        let question = question.trim();
        if question.is_empty() {
            continue;
        }
        let input = match pressed(question, &actions) {
            Some(Ok(press)) => press,
            Some(Err(failure)) => {
                last_failure = Some(reported(failure, out));
                continue;
            }
            None => Input::text(question),
        };
        let outcome = tokio::select! {
            outcome = turn(client, &mut handle, out, input, deadline) => outcome,
            () = interrupt::pressed() => {
                out.note("interrupted; the answer may still finish at the API");
                break;
            }
        };
        match outcome {
            Ok(offered) => actions = offered,
            // Nobody reads the answers any more.
            Err(Failure::ClosedOutput) => return Err(Failure::ClosedOutput),
            Err(failure) => last_failure = Some(reported(failure, out)),
        }
    }
    if let Some(handle) = &handle {
        out.note(&format!(
            "conversation {id}; continue it with: moveworks chat --conversation {id}",
            id = handle.id()
        ));
    }
    match last_failure {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

/// For `/N`, the press of button N of the last answer, or why there is
/// none; `None` for a question.
fn pressed(line: &str, actions: &[Action]) -> Option<Result<Input, Failure>> {
    let number: usize = line.strip_prefix('/')?.parse().ok()?;
    let Some(action) = number.checked_sub(1).and_then(|n| actions.get(n)) else {
        return Some(Err(Failure::Usage(match actions.len() {
            0 => format!("/{number}: the last answer offered no action"),
            1 => format!("/{number}: the last answer offered one action, /1"),
            n => format!("/{number}: the last answer offered actions /1 to /{n}"),
        })));
    };
    let label = action.label().unwrap_or("(no label)");
    Some(action.press().ok_or_else(|| {
        Failure::Usage(match action.kind() {
            ActionKind::Url { url, .. } => {
                format!("/{number} ({label}) is a link, not a button: open {url}")
            }
            ActionKind::Modal { .. } => {
                format!("/{number} ({label}) is a form, which only Moveworks opens")
            }
            kind => format!(
                "/{number} ({label}) is a {} action, which this client cannot press",
                kind.type_name().unwrap_or("unknown")
            ),
        })
    }))
}

/// One question (or press) and its answer; the actions it offers.
async fn turn(
    client: &Client,
    handle: &mut Option<ConversationHandle>,
    out: &Output,
    input: Input,
    deadline: Option<Duration>,
) -> Result<Vec<Action>, Failure> {
    if let Some(text) = input.as_text() {
        moveworks_ext::input::check_text(text)?;
    }
    let conversation = match handle.take() {
        Some(conversation) => conversation,
        None => answer::conversation(client, None).await?,
    };
    let conversation = handle.insert(conversation);
    let answer = answer::get(conversation, out, input, true, deadline).await?;
    answer::print(out, &answer, Pressing::Slash)?;
    if !out.json && !out.quiet {
        out.line("")?;
    }
    Ok(answer.actions())
}

/// Reports `failure` now, and keeps it for the exit status.
fn reported(failure: Failure, out: &Output) -> Failure {
    report::failure(&failure, out.json);
    Failure::Reported(Box::new(failure))
}
