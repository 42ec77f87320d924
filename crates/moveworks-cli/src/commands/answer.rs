//! Getting an answer (streamed as it forms, or waited for) and printing
//! it readable, with its citations and numbered actions: for `ask`,
//! `press` and `chat`.

use std::time::Duration;

use moveworks_ext::render::{self, Citations, Style};
use moveworks_ext::types::{Action, Response};
use moveworks_ext::{
    ActionExt, ActionKind, Client, ConversationHandle, Error, Input, MessageExt, NewConversation,
    ResponseExt, ResponseStream, StreamEvent,
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

impl Answer {
    /// Its actions, in the order they are listed and numbered.
    pub fn actions(&self) -> Vec<Action> {
        self.response.actions().into_iter().cloned().collect()
    }
}

/// How the listed buttons can be pressed.
#[derive(Clone, Copy)]
pub enum Pressing {
    /// By a command (`ask`, `press`).
    Command,
    /// By `/N` (`chat`).
    Slash,
}

/// Streams the answer, printing its text readable as it arrives (not with
/// --json), or creates it and waits. A stream cut short is not asked
/// again: the response it named is waited for. `deadline` bounds the whole
/// stream (the SDK bounds each call and each wait, not a stream's length).
pub async fn get(
    conversation: &ConversationHandle,
    out: &Output,
    input: Input,
    stream: bool,
    deadline: Option<Duration>,
) -> Result<Answer, Failure> {
    let mut spinner = Some(Spinner::start("thinking", !out.quiet));
    if !stream {
        let response = conversation.ask(input).await?;
        return Ok(Answer {
            response,
            text_printed: false,
        });
    }
    let started = Instant::now();
    let mut events = conversation.create_response_stream(input).await?;
    let mut printed = false;
    let mut text = StreamedText::default();
    loop {
        let next = match deadline {
            Some(limit) => {
                match tokio::time::timeout_at(started + limit, events.next_event()).await {
                    Ok(next) => next,
                    Err(_) => {
                        drop(spinner.take());
                        if printed {
                            out.line(&text.finish())?;
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
                if printed {
                    out.bytes(text.finish().as_bytes())?;
                }
                return Ok(Answer {
                    response: data.response,
                    text_printed: printed,
                });
            }
            Some(Ok(StreamEvent::Failed(data))) => {
                return Err(Error::response_failed(data.response).into());
            }
            Some(Ok(_)) => {
                let new = events.take_new_text();
                if !out.json && !new.is_empty() {
                    drop(spinner.take());
                    out.bytes(text.push(new).as_bytes())?;
                    printed = true;
                }
            }
            Some(Err(error)) => {
                drop(spinner.take());
                if printed {
                    out.line(&text.finish())?;
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

/// Text as it streams in, rendered readable ([`render::text`]): a link
/// of the markup (`<url|label>`) that has not closed yet is held back
/// until it has, or until the line ends.
#[derive(Default)]
struct StreamedText {
    pending: String,
}

impl StreamedText {
    /// What can be printed of the text so far, `new` added.
    fn push(&mut self, new: &str) -> String {
        self.pending.push_str(new);
        let hold = match self.pending.rfind('<') {
            Some(open) if !self.pending[open..].contains(['>', '\n']) => open,
            _ => self.pending.len(),
        };
        let ready = render::text(&self.pending[..hold], Style::Plain).into_owned();
        self.pending.drain(..hold);
        ready
    }

    /// The rest, at the end.
    fn finish(&mut self) -> String {
        let rest = render::text(&self.pending, Style::Plain).into_owned();
        self.pending.clear();
        rest
    }
}

/// The answer, readable (unless it was printed as it arrived), then,
/// unless --quiet, who wrote it when a person did, its citations (each
/// once), its actions, numbered, with how to press a button, and the ids
/// `moveworks feedback` needs. --json prints it all as the API sent it.
pub fn print(out: &Output, answer: &Answer, pressing: Pressing) -> Result<(), Failure> {
    let (response, text_printed) = (&answer.response, answer.text_printed);
    let messages = response.messages();
    let rateable = messages.iter().rev().find(|m| m.is_rateable());
    let citations = Citations::of_response(response);
    let actions = response.actions();
    let document = json!({
        "conversation_id": response.conversation_id,
        "response_id": response.response_id,
        "message_id": rateable.map(|m| m.message_id.as_str()),
        "text": response.text(),
        "citations": response.citations(),
        "actions": actions,
        "response": response,
    });
    out.one(&document, || {
        // The streamed text ends where the rest starts.
        let mut text = if text_printed {
            String::new()
        } else {
            render::text(&response.text(), Style::Plain).into_owned()
        };
        if out.quiet {
            return text;
        }
        let people: Vec<&str> = messages.iter().filter_map(|m| m.sender_name()).collect();
        if !people.is_empty() {
            text.push_str(&format!(
                "\n\n(written by {}, live agent)",
                people.join(", ")
            ));
        }
        if !citations.is_empty() {
            text.push('\n');
        }
        for (n, citation) in citations.list().iter().enumerate() {
            let title = render::citation_title(citation, Style::Plain);
            let mut line = format!("\n[{}] {}", n + 1, title.as_deref().unwrap_or("source"));
            if let Some(url) = &citation.url {
                line.push(' ');
                line.push_str(url);
            }
            text.push_str(&line);
        }
        if !actions.is_empty() {
            text.push_str("\n\nactions:");
        }
        for (n, action) in actions.iter().enumerate() {
            text.push_str(&format!(
                "\n  {}. {}",
                n + 1,
                action_line(action, n + 1, pressing, &response.conversation_id)
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

/// One listed action: its label, then what it does and how.
fn action_line(action: &Action, number: usize, pressing: Pressing, conversation: &str) -> String {
    let label = action.label().unwrap_or("(no label)");
    match action.kind() {
        ActionKind::Callback { callback_id, .. } => match pressing {
            Pressing::Command => {
                format!("{label}: moveworks press {conversation} {callback_id}")
            }
            Pressing::Slash => format!("{label}: /{number}"),
        },
        ActionKind::Url { url, .. } => format!("{label}: {url}"),
        ActionKind::Modal { .. } => format!("{label} (a form, opened in Moveworks)"),
        kind => format!(
            "{label} ({} action, not supported here)",
            kind.type_name().unwrap_or("unknown")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_links_are_held_until_they_close() {
        let mut text = StreamedText::default();
        let mut printed = String::new();
        for piece in [
            "See **<https://kb.ex",
            "ample/1|Gu",
            "ide>** and a < b",
            " here.\nNext <x",
        ] {
            printed.push_str(&text.push(piece));
        }
        assert_eq!(
            printed,
            "See **Guide (https://kb.example/1)** and a < b here.\nNext "
        );
        assert_eq!(text.finish(), "<x");
        assert_eq!(text.finish(), "");
    }
}
