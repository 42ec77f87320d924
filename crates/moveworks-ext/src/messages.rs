//! Messages: a conversation's (paginated) and a response's.

use moveworks_api::types::Message;

use crate::answer::MessageExt;
use crate::client::Client;
use crate::error::Error;
use crate::ids::check_id;
use crate::pagination::Paginator;

impl Client {
    /// A conversation's messages, the user's and the assistant's, most
    /// recent first, fetched page by page as the stream is read.
    pub fn messages(&self, conversation_id: &str) -> Paginator<Message> {
        let client = self.clone();
        let conversation_id = conversation_id.to_owned();
        Paginator::new("list-conversation-messages", move |query| {
            let client = client.clone();
            let conversation_id = conversation_id.clone();
            async move {
                check_id("conversation_id", &conversation_id)?;
                let page = client
                    .call(|api| {
                        api.list_conversation_messages(
                            &conversation_id,
                            query.cursor.as_deref(),
                            query.limit.map(i64::from),
                        )
                    })
                    .await?;
                Ok((page.messages, page.metadata.and_then(|m| m.next_cursor)))
            }
        })
    }

    /// The messages of one response: the user's input and the assistant's
    /// replies.
    pub async fn response_messages(
        &self,
        conversation_id: &str,
        response_id: &str,
    ) -> Result<Vec<Message>, Error> {
        check_id("conversation_id", conversation_id)?;
        check_id("response_id", response_id)?;
        let answer = self
            .call(|api| api.list_response_messages(conversation_id, response_id))
            .await?;
        Ok(answer.messages)
    }

    /// The messages of a response that can be rated (final assistant
    /// messages that offer feedback callback ids), in order.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::Rating;
    ///
    /// for message in client.rateable_messages("conv_1", "resp_1").await? {
    ///     client.rate_message(&message, Rating::Helpful).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn rateable_messages(
        &self,
        conversation_id: &str,
        response_id: &str,
    ) -> Result<Vec<Message>, Error> {
        let mut messages = self.response_messages(conversation_id, response_id).await?;
        messages.retain(|m| m.is_from_assistant() && m.is_rateable());
        Ok(messages)
    }
}
