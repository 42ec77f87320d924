//! `messages`: a conversation's, or one response's.

use moveworks_ext::types::Message;
use moveworks_ext::{Client, MessageExt};

use super::{page_size, print_items};
use crate::failure::Failure;
use crate::output::Output;

pub async fn run(
    client: &Client,
    out: &Output,
    conversation: &str,
    response: Option<String>,
    limit: Option<usize>,
) -> Result<(), Failure> {
    let list = match response {
        Some(response) => client.list_response_messages(conversation, &response),
        None => client
            .list_conversation_messages(conversation)
            .page_size(page_size(limit)),
    };
    print_items(out, list.items(), limit, summary).await
}

fn summary(message: &Message) -> String {
    let rateable = if message.is_rateable() {
        "  (rateable)"
    } else {
        ""
    };
    format!(
        "{} {} {}  response {}{rateable}\n  {}",
        message.created_at.format("%Y-%m-%d %H:%M:%S"),
        message.actor.as_str(),
        message.message_id,
        message.response_id,
        message.text().replace('\n', "\n  ")
    )
}
