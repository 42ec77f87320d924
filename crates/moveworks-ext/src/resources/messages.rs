//! Messages: a conversation's and a response's.

use moveworks_api::types::Message;

use crate::client::Client;
use crate::client::input::check_id;
use crate::flows::Paginator;

impl Client {
    /// A conversation's messages, the user's and the assistant's, most
    /// recent first (`list-conversation-messages`), fetched page by page as
    /// the stream is read.
    pub fn list_conversation_messages(&self, conversation_id: &str) -> Paginator<Message> {
        let client = self.clone();
        let conversation_id = conversation_id.to_owned();
        Paginator::new("list-conversation-messages", move |page| {
            let client = client.clone();
            let conversation_id = conversation_id.clone();
            async move {
                check_id("conversation_id", &conversation_id)?;
                let cursor = page.cursor.as_deref();
                let answer = client
                    .call(|api| {
                        api.list_conversation_messages(&conversation_id, cursor, page.limit)
                    })
                    .await?;
                let next = answer.metadata.and_then(|m| m.next_cursor);
                Ok((answer.messages, next))
            }
        })
    }

    /// The messages of one response, the user's input and the assistant's
    /// replies (`list-response-messages`).
    ///
    /// A [`Paginator`] like every list, so that it reads the same way and
    /// a cursor the API may add later changes nothing here; today the API
    /// sends every message in one page, and the page size is not sent.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::{MessageExt, Rating};
    ///
    /// let messages = client.list_response_messages("conv_1", "resp_1").all().await?;
    /// let rateable: Vec<_> = messages.iter().filter(|m| m.is_rateable()).collect();
    /// # let _ = rateable;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_response_messages(
        &self,
        conversation_id: &str,
        response_id: &str,
    ) -> Paginator<Message> {
        let client = self.clone();
        let ids = (conversation_id.to_owned(), response_id.to_owned());
        Paginator::new("list-response-messages", move |_| {
            let client = client.clone();
            let (conversation_id, response_id) = ids.clone();
            async move {
                check_id("conversation_id", &conversation_id)?;
                check_id("response_id", &response_id)?;
                let answer = client
                    .call(|api| api.list_response_messages(&conversation_id, &response_id))
                    .await?;
                Ok((answer.messages, None))
            }
        })
    }
}
