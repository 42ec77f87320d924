//! `ask` and `chat`.

use std::io::IsTerminal;

use moveworks_ext::types::Response;
use moveworks_ext::{
    Client, ContentExt, ConversationHandle, Error, MessageExt, NewConversation, ResponseExt,
    StreamEvent,
};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::failure::Failure;
use crate::output::Output;
use crate::spinner::Spinner;

pub async fn ask(
    client: &Client,
    out: &Output,
    question: &str,
    conversation: Option<String>,
    no_stream: bool,
) -> Result<(), Failure> {
    // Before a conversation is created for it.
    moveworks_ext::input::check_text(question)?;
    let conversation = open(client, conversation).await?;
    let answer = answer(&conversation, out, question, !no_stream).await?;
    print_answer(out, &answer.response, answer.text_printed)
}

pub async fn chat(
    client: &Client,
    out: &Output,
    conversation: Option<String>,
) -> Result<(), Failure> {
    let interactive = std::io::stdin().is_terminal();
    let conversation = open(client, conversation).await?;
    if interactive && !out.json {
        eprintln!(
            "conversation {}; one question per line, Ctrl-D to end",
            conversation.id()
        );
    }
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        if interactive {
            eprint!("> ");
        }
        let Some(line) = lines.next_line().await? else {
            break;
        };
        let question = line.trim();
        if question.is_empty() {
            continue;
        }
        let answer = answer(&conversation, out, question, true).await?;
        print_answer(out, &answer.response, answer.text_printed)?;
        if !out.json {
            out.line("")?;
        }
    }
    Ok(())
}

/// The conversation to continue, or a new one.
async fn open(
    client: &Client,
    conversation: Option<String>,
) -> Result<ConversationHandle, Failure> {
    Ok(match conversation {
        Some(id) => client.continue_conversation(id)?,
        None => client.start_conversation(NewConversation::new()).await?,
    })
}

struct Answer {
    response: Response,
    /// The text was printed as it arrived.
    text_printed: bool,
}

/// Streams the answer, printing its text as it arrives (not with --json),
/// or creates it and waits. A stream cut short is not asked again: the
/// response it named is waited for.
async fn answer(
    conversation: &ConversationHandle,
    out: &Output,
    question: &str,
    stream: bool,
) -> Result<Answer, Failure> {
    let mut spinner = Some(Spinner::start("thinking"));
    if !stream {
        let response = conversation.ask(question).await?;
        return Ok(Answer {
            response,
            text_printed: false,
        });
    }
    let mut events = conversation.create_response_stream(question).await?;
    let mut printed = false;
    loop {
        match events.next_event().await {
            Some(Ok(StreamEvent::Completed(data))) => {
                drop(spinner.take());
                return Ok(Answer {
                    response: data.response,
                    text_printed: printed,
                });
            }
            Some(Ok(StreamEvent::Failed(data))) => {
                return Err(Error::ResponseFailed(Box::new(data.response)).into());
            }
            Some(Ok(_)) => {
                let new = events.take_new_text();
                if !out.json && !new.is_empty() {
                    drop(spinner.take());
                    out.partial(new)?;
                    printed = true;
                }
            }
            Some(Err(error)) => {
                drop(spinner.take());
                if printed {
                    out.line("")?;
                }
                eprintln!("note: {error}; waiting for the response instead");
                let _waiting = Spinner::start("waiting");
                let response = conversation.wait_for_streamed_response(error).await?;
                return Ok(Answer {
                    response,
                    text_printed: false,
                });
            }
            None => {
                return Err(Failure::Other(
                    "the answer stream ended without a final event".into(),
                ));
            }
        }
    }
}

/// The answer (unless it was printed as it arrived), its citations, and
/// the ids `moveworks feedback` needs.
fn print_answer(out: &Output, answer: &Response, text_printed: bool) -> Result<(), Failure> {
    let messages = answer.messages();
    let rateable = messages.iter().rev().find(|m| m.is_rateable());
    let citations: Vec<_> = answer.citations();
    let document = json!({
        "conversation_id": answer.conversation_id,
        "response_id": answer.response_id,
        "message_id": rateable.map(|m| m.message_id.as_str()),
        "text": answer.text(),
        "citations": citations,
        "response": answer,
    });
    out.one(&document, || {
        let mut text = if text_printed {
            // The streamed text ends where the rest starts.
            String::new()
        } else {
            answer.text()
        };
        if !citations.is_empty() {
            text.push('\n');
        }
        for (n, citation) in citations.iter().enumerate() {
            let title = citation
                .display
                .as_ref()
                .and_then(|d| d.title.as_ref())
                .map_or("source", |t| t.text());
            text.push_str(&format!(
                "\n[{}] {title} {}",
                n + 1,
                citation.url.as_deref().unwrap_or_default()
            ));
        }
        text.push_str(&format!(
            "\n\nconversation {}  response {}",
            answer.conversation_id, answer.response_id
        ));
        if let Some(message) = rateable {
            text.push_str(&format!(
                "  message {}\nrate it: moveworks feedback {} {} {} --helpful",
                message.message_id, answer.conversation_id, answer.response_id, message.message_id
            ));
        }
        text
    })
}
