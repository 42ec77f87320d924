//! `ask` and `chat`.

use std::io::IsTerminal;

use moveworks_ext::types::Response;
use moveworks_ext::{Client, ContentExt, MessageExt, ResponseExt};
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
    if question.trim().is_empty() {
        return Err(Failure::Usage("the question is empty".to_owned()));
    }
    let conversation_id = conversation_or_new(client, conversation).await?;
    let answer = answer(client, &conversation_id, question, no_stream).await?;
    print_answer(out, &answer)
}

pub async fn chat(
    client: &Client,
    out: &Output,
    conversation: Option<String>,
) -> Result<(), Failure> {
    let interactive = std::io::stdin().is_terminal();
    let conversation_id = conversation_or_new(client, conversation).await?;
    if interactive && !out.json {
        eprintln!("conversation {conversation_id}; one question per line, Ctrl-D to end");
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
        let answer = answer(client, &conversation_id, question, false).await?;
        print_answer(out, &answer)?;
        if !out.json {
            out.line("")?;
        }
    }
    Ok(())
}

async fn conversation_or_new(
    client: &Client,
    conversation: Option<String>,
) -> Result<String, Failure> {
    Ok(match conversation {
        Some(id) => id,
        None => client.create_conversation(None).await?.conversation_id,
    })
}

async fn answer(
    client: &Client,
    conversation_id: &str,
    question: &str,
    _no_stream: bool,
) -> Result<Response, Failure> {
    let _spinner = Spinner::start("thinking");
    Ok(client.ask(conversation_id, question).await?)
}

/// The answer, its citations, and the ids `moveworks feedback` needs.
fn print_answer(out: &Output, answer: &Response) -> Result<(), Failure> {
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
        let mut text = answer.text();
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
