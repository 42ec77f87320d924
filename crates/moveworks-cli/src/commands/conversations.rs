//! `conversations list|get|create|update|archive`.

use moveworks_ext::types::Conversation;
use moveworks_ext::{Client, ConversationQuery, ConversationUpdate, NewConversation};

use super::{page_size, print_items};
use crate::args::ConversationsCommand;
use crate::failure::Failure;
use crate::output::Output;

pub async fn run(
    client: &Client,
    out: &Output,
    command: ConversationsCommand,
) -> Result<(), Failure> {
    let conversation = match command {
        ConversationsCommand::List { archived, limit } => {
            let query = ConversationQuery::new().archived(archived);
            let items = client
                .list_conversations(query)
                .page_size(page_size(limit))
                .items();
            return print_items(out, items, limit, summary).await;
        }
        ConversationsCommand::Get { id } => client.get_conversation(&id).await?,
        ConversationsCommand::Create { title } => {
            let mut conversation = NewConversation::new();
            if let Some(title) = title {
                conversation = conversation.title(title);
            }
            client.create_conversation(conversation).await?
        }
        ConversationsCommand::Update {
            id,
            title,
            archived,
        } => {
            let mut update = ConversationUpdate::new();
            if let Some(title) = title {
                update = update.title(title);
            }
            if let Some(archived) = archived {
                update = update.archived(archived);
            }
            client.update_conversation(&id, update).await?
        }
        ConversationsCommand::Archive { id } => {
            client
                .update_conversation(&id, ConversationUpdate::new().archived(true))
                .await?
        }
    };
    out.one(&conversation, || summary(&conversation))
}

fn summary(conversation: &Conversation) -> String {
    format!(
        "{}  {}  {}{}",
        conversation.conversation_id,
        conversation.updated_at.format("%Y-%m-%d %H:%M"),
        if conversation.archived == Some(true) {
            "[archived] "
        } else {
            ""
        },
        conversation.title.as_deref().unwrap_or("(untitled)")
    )
}
