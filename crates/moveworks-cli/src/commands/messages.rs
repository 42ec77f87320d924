//! `messages`: a conversation's, or one response's, read as people read
//! them.

use futures_util::TryStreamExt;
use moveworks_ext::render::{self, ActionLabels, Style};
use moveworks_ext::types::{ActorType, Message};
use moveworks_ext::{ActionExt, ActionKind, Client, MessageExt};

use super::page_size;
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
    if out.json {
        return super::print_items(out, list.items(), limit, |_| String::new()).await;
    }
    // A button press reads by the label of the button, offered by an
    // earlier message: listed later, most recent first. So each page is
    // printed once the next one (if it is needed) has taught its labels.
    let mut pages = list.pages();
    let mut labels = ActionLabels::new();
    let mut next = pages.try_next().await?;
    let mut printed = 0;
    while let Some(page) = next.take() {
        page.items().iter().for_each(|m| labels.learn(m));
        let needed = limit.is_none_or(|limit| printed + page.items().len() < limit);
        if needed {
            next = pages.try_next().await?;
            if let Some(following) = &next {
                following.items().iter().for_each(|m| labels.learn(m));
            }
        }
        for message in page.items() {
            if limit.is_some_and(|limit| printed >= limit) {
                return Ok(());
            }
            out.line(&summary(message, &labels))?;
            printed += 1;
        }
    }
    Ok(())
}

fn summary(message: &Message, labels: &ActionLabels) -> String {
    let rateable = if message.is_rateable() {
        "  (rateable)"
    } else {
        ""
    };
    let actor = match (&message.actor, message.sender_name()) {
        (ActorType::LiveAgent, Some(name)) => format!("LIVE_AGENT ({name})"),
        (actor, _) => actor.as_str().to_owned(),
    };
    format!(
        "{} {actor} {}  response {}{rateable}\n  {}",
        message.created_at.format("%Y-%m-%d %H:%M:%S"),
        message.message_id,
        message.response_id,
        body(message, labels)
    )
}

/// A message's text, readable, indented under its header; then its
/// actions, when it has any.
pub fn body(message: &Message, labels: &ActionLabels) -> String {
    let mut body = render::message(message, labels, Style::Plain).replace('\n', "\n  ");
    let actions: Vec<String> = message
        .actions()
        .iter()
        .map(|action| {
            let label = action.label().unwrap_or("(no label)");
            match action.kind() {
                ActionKind::Callback { .. } => format!("{label} (button)"),
                ActionKind::Url { url, .. } => format!("{label} ({url})"),
                ActionKind::Modal { .. } => format!("{label} (form)"),
                kind => format!("{label} ({})", kind.type_name().unwrap_or("unknown")),
            }
        })
        .collect();
    if !actions.is_empty() {
        body.push_str(&format!("\n  actions: {}", actions.join(" | ")));
    }
    body
}
