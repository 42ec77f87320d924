//! Conversations: create, get, update (title, archived) and list.

use moveworks_api::types::{Conversation, CreateConversationRequest, UpdateConversationRequest};

use crate::client::Client;
use crate::client::input::{check_id, check_not_blank};
use crate::error::Error;
use crate::flows::Paginator;

/// A conversation to create with [`Client::create_conversation`] or
/// [`Client::start_conversation`].
///
/// ```
/// use moveworks_ext::NewConversation;
///
/// let untitled = NewConversation::new(); // the assistant names it after the first answer
/// let titled = NewConversation::new().title("Password reset");
/// # let _ = (untitled, titled);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct NewConversation {
    title: Option<String>,
}

impl NewConversation {
    /// A conversation without a title: the assistant gives it one after
    /// the first response.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its title (not empty or only whitespace).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    fn into_request(self) -> Result<CreateConversationRequest, Error> {
        if let Some(title) = &self.title {
            check_not_blank("title", title)?;
        }
        let mut request = CreateConversationRequest::new();
        request.title = self.title;
        Ok(request)
    }
}

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
            check_not_blank("title", title)?;
        }
        let mut request = UpdateConversationRequest::new();
        request.title = self.title;
        request.archived = self.archived;
        Ok(request)
    }
}

/// Which conversations [`Client::list_conversations`] lists: those not
/// archived (the default), or the archived ones.
///
/// ```
/// use moveworks_ext::ConversationQuery;
///
/// let active = ConversationQuery::new();
/// let archived = ConversationQuery::new().archived(true);
/// # let _ = (active, archived);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ConversationQuery {
    archived: bool,
}

impl ConversationQuery {
    /// The conversations that are not archived.
    pub fn new() -> Self {
        Self::default()
    }

    /// The archived conversations (`true`) instead of the others.
    pub fn archived(mut self, archived: bool) -> Self {
        self.archived = archived;
        self
    }
}

impl Client {
    /// Creates a conversation (`create-conversation`). To ask in it
    /// without repeating its id, use [`Client::start_conversation`].
    ///
    /// Not retried once the request may have reached the API (see
    /// [`Error::may_have_been_processed`]), so it never creates two.
    pub async fn create_conversation(
        &self,
        conversation: NewConversation,
    ) -> Result<Conversation, Error> {
        let body = conversation.into_request()?;
        self.call(|api| api.create_conversation(&body)).await
    }

    /// A conversation by id (`get-conversation`).
    pub async fn get_conversation(&self, conversation_id: &str) -> Result<Conversation, Error> {
        check_id("conversation_id", conversation_id)?;
        self.call(|api| api.get_conversation(conversation_id)).await
    }

    /// Renames, archives or restores a conversation
    /// (`update-conversation`); returns it as updated.
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

    /// Conversations, most recently updated first
    /// (`list-conversations`), fetched page by page as the stream is read.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use futures_util::TryStreamExt;
    /// use moveworks_ext::ConversationQuery;
    ///
    /// let mut archived = client.list_conversations(ConversationQuery::new().archived(true)).items();
    /// while let Some(conversation) = archived.try_next().await? {
    ///     println!("{}", conversation.conversation_id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_conversations(&self, query: ConversationQuery) -> Paginator<Conversation> {
        let client = self.clone();
        // The API's own default is `false`; sent only when it is not.
        let archived = query.archived.then_some(true);
        Paginator::new("list-conversations", move |page| {
            let client = client.clone();
            async move {
                let cursor = page.cursor.as_deref();
                let answer = client
                    .call(|api| api.list_conversations(archived, cursor, page.limit))
                    .await?;
                let next = answer.metadata.and_then(|m| m.next_cursor);
                Ok((answer.conversations, next))
            }
        })
    }
}
