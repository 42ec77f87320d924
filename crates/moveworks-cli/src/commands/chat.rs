//! `chat`: questions line by line from stdin, all in one conversation.
//! A failed answer is reported and the next question read; EOF or Ctrl-C
//! ends the session, with the conversation id to continue it.

use std::io::IsTerminal;
use std::time::Duration;

use moveworks_ext::{Client, ConversationHandle};

use super::answer;
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
        to_stderr("One question per line; Ctrl-D or Ctrl-C to end.\n");
    }
    // Created with the first question, so that a session that asks
    // nothing leaves no empty conversation behind.
    let mut handle = match conversation {
        Some(id) => Some(client.continue_conversation(id)?),
        None => None,
    };
    let mut last_failure = None;
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
        let outcome = tokio::select! {
            outcome = turn(client, &mut handle, out, question, deadline) => outcome,
            () = interrupt::pressed() => {
                out.note("interrupted; the answer may still finish at the API");
                break;
            }
        };
        match outcome {
            Ok(()) => {}
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

/// One question and its answer.
async fn turn(
    client: &Client,
    handle: &mut Option<ConversationHandle>,
    out: &Output,
    question: &str,
    deadline: Option<Duration>,
) -> Result<(), Failure> {
    moveworks_ext::input::check_text(question)?;
    let conversation = match handle.take() {
        Some(conversation) => conversation,
        None => answer::conversation(client, None).await?,
    };
    let conversation = handle.insert(conversation);
    let answer = answer::get(conversation, out, question, true, deadline).await?;
    answer::print(out, &answer)?;
    if !out.json && !out.quiet {
        out.line("")?;
    }
    Ok(())
}

/// Reports `failure` now, and keeps it for the exit status.
fn reported(failure: Failure, out: &Output) -> Failure {
    report::failure(&failure, out.json);
    Failure::Reported(Box::new(failure))
}
