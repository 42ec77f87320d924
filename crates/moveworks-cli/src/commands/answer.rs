//! Getting an answer (streamed as it forms, or waited for) and printing
//! it: for `ask` and `chat`.

use std::time::Duration;

use moveworks_ext::types::Response;
use moveworks_ext::{
    Client, ContentExt, ConversationHandle, Error, MessageExt, NewConversation, ResponseExt,
    ResponseStream, StreamEvent,
};
use serde_json::json;
use tokio::time::Instant;

use crate::failure::Failure;
use crate::output::Output;
use crate::spinner::Spinner;

/// The conversation to continue, or a new one.
pub async fn conversation(
    client: &Client,
    id: Option<String>,
) -> Result<ConversationHandle, Failure> {
    Ok(match id {
        Some(id) => client.continue_conversation(id)?,
        None => client.start_conversation(NewConversation::new()).await?,
    })
}

pub struct Answer {
    response: Response,
    /// The text was printed as it arrived.
    text_printed: bool,
}

/// Streams the answer, printing its text as it arrives (not with --json),
/// or creates it and waits. A stream cut short is not asked again: the
/// response it named is waited for. `deadline` bounds the whole stream
/// (the SDK bounds each call and each wait, not a stream's length).
pub async fn get(
    conversation: &ConversationHandle,
    out: &Output,
    question: &str,
    stream: bool,
    deadline: Option<Duration>,
) -> Result<Answer, Failure> {
    let mut spinner = Some(Spinner::start("thinking", !out.quiet));
    if !stream {
        let response = conversation.ask(question).await?;
        return Ok(Answer {
            response,
            text_printed: false,
        });
    }
    let started = Instant::now();
    let mut events = conversation.create_response_stream(question).await?;
    let mut printed = false;
    loop {
        let next = match deadline {
            Some(limit) => {
                match tokio::time::timeout_at(started + limit, events.next_event()).await {
                    Ok(next) => next,
                    Err(_) => {
                        drop(spinner.take());
                        if printed {
                            out.line("")?;
                        }
                        return Err(too_long(&events, limit));
                    }
                }
            }
            None => events.next_event().await,
        };
        match next {
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
                    out.bytes(new.as_bytes())?;
                    printed = true;
                }
            }
            Some(Err(error)) => {
                drop(spinner.take());
                if printed {
                    out.line("")?;
                }
                out.note(&format!("note: {error}; waiting for the response instead"));
                let _waiting = Spinner::start("waiting", !out.quiet);
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

fn too_long(events: &ResponseStream, limit: Duration) -> Failure {
    let mut message = format!(
        "the answer did not finish within {}s (--timeout)",
        limit.as_secs_f64()
    );
    if let Some(response) = events.response_id() {
        message.push_str(&format!(
            "; response {response} may still finish: moveworks api get-response \
             --param conversation_id={} --param response_id={response}",
            events.conversation_id()
        ));
    }
    Failure::Deadline(message)
}

/// The answer (unless it was printed as it arrived), then, unless
/// --quiet, its citations and the ids `moveworks feedback` needs.
pub fn print(out: &Output, answer: &Answer) -> Result<(), Failure> {
    let (response, text_printed) = (&answer.response, answer.text_printed);
    let messages = response.messages();
    let rateable = messages.iter().rev().find(|m| m.is_rateable());
    let citations: Vec<_> = response.citations();
    let document = json!({
        "conversation_id": response.conversation_id,
        "response_id": response.response_id,
        "message_id": rateable.map(|m| m.message_id.as_str()),
        "text": response.text(),
        "citations": citations,
        "response": response,
    });
    out.one(&document, || {
        // The streamed text ends where the rest starts.
        let mut text = if text_printed {
            String::new()
        } else {
            response.text()
        };
        if out.quiet {
            return text;
        }
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
            response.conversation_id, response.response_id
        ));
        if let Some(message) = rateable {
            text.push_str(&format!(
                "  message {}\nrate it: moveworks feedback {} {} {} --helpful",
                message.message_id,
                response.conversation_id,
                response.response_id,
                message.message_id
            ));
        }
        text
    })
}
