//! Conversations: create, get, update (title, archived) and list.

use moveworks_api::types::{Conversation, CreateConversationRequest, UpdateConversationRequest};

use crate::client::Client;
use crate::error::Error;
use crate::ids::check_id;
use crate::pagination::Paginator;

/// The changes [`Client::update_conversation`] makes; at least one must be
/// set.
///
/// ```
/// use moveworks_ext::ConversationUpdate;
///
/// let rename = ConversationUpdate::new().title("Password reset");
/// let archive = ConversationUpdate::new().archived(true);
/// # let _ = (rename, archive);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ConversationUpdate {
    title: Option<String>,
    archived: Option<bool>,
}

impl ConversationUpdate {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new title (not empty or only whitespace).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Archive (`true`) or restore (`false`) the conversation.
    pub fn archived(mut self, archived: bool) -> Self {
        self.archived = Some(archived);
        self
    }

    fn into_request(self) -> Result<UpdateConversationRequest, Error> {
        if self.title.is_none() && self.archived.is_none() {
            return Err(Error::invalid_input(
                "update",
                "nothing to change: set a title or the archived flag",
            ));
        }
        if let Some(title) = &self.title {
            check_title(title)?;
        }
        let mut request = UpdateConversationRequest::new();
        request.title = self.title;
        request.archived = self.archived;
        Ok(request)
    }
}

fn check_title(title: &str) -> Result<(), Error> {
    if title.trim().is_empty() {
        return Err(Error::invalid_input(
            "title",
            "it is empty or only whitespace",
        ));
    }
    Ok(())
}

impl Client {
    /// Creates a conversation. Without a title, the assistant gives it one
    /// after the first response.
    ///
    /// Not retried once the request may have reached the API (see
    /// [`Error::may_have_been_processed`]), so it never creates two.
    pub async fn create_conversation(&self, title: Option<&str>) -> Result<Conversation, Error> {
        if let Some(title) = title {
            check_title(title)?;
        }
        let mut body = CreateConversationRequest::new();
        body.title = title.map(str::to_owned);
        self.call(|api| api.create_conversation(&body)).await
    }

    /// A conversation by id.
    pub async fn conversation(&self, conversation_id: &str) -> Result<Conversation, Error> {
        check_id("conversation_id", conversation_id)?;
        self.call(|api| api.get_conversation(conversation_id)).await
    }

    /// Renames, archives or restores a conversation; returns it as updated.
    pub async fn update_conversation(
        &self,
        conversation_id: &str,
        update: ConversationUpdate,
    ) -> Result<Conversation, Error> {
        check_id("conversation_id", conversation_id)?;
        let body = update.into_request()?;
        self.call(|api| api.update_conversation(conversation_id, &body))
            .await
    }

    /// The conversations that are not archived, most recently updated
    /// first, fetched page by page as the stream is read.
    pub fn conversations(&self) -> Paginator<Conversation> {
        self.list_conversations(None)
    }

    /// The archived conversations, most recently updated first.
    pub fn archived_conversations(&self) -> Paginator<Conversation> {
        self.list_conversations(Some(true))
    }

    fn list_conversations(&self, archived: Option<bool>) -> Paginator<Conversation> {
        let client = self.clone();
        Paginator::new("list-conversations", move |query| {
            let client = client.clone();
            async move {
                let page = client
                    .call(|api| {
                        api.list_conversations(
                            archived,
                            query.cursor.as_deref(),
                            query.limit.map(i64::from),
                        )
                    })
                    .await?;
                Ok((
                    page.conversations,
                    page.metadata.and_then(|m| m.next_cursor),
                ))
            }
        })
    }
}
