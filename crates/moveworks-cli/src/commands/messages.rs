//! `messages`: a conversation's, or one response's.

use futures_util::stream;
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
    match response {
        Some(response) => {
            let messages = client.response_messages(conversation, &response).await?;
            let items = stream::iter(messages.into_iter().map(Ok));
            print_items(out, items, limit, summary).await
        }
        None => {
            let items = client
                .messages(conversation)
                .page_size(page_size(limit))
                .items();
            print_items(out, items, limit, summary).await
        }
    }
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
