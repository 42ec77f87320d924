//! Responses: the assistant's answer to one user message. Create one, get
//! it, wait for it to finish, or do all of it in one call with
//! [`Client::ask`].

use moveworks_api::types::{CreateResponseRequest, Response, ResponseStatus, UserInput};

use crate::client::Client;
use crate::error::Error;
use crate::ids::check_id;
use crate::wait::{Check, WaitPolicy, poll_until};

/// Refuses question text the assistant cannot answer (empty or only
/// whitespace), as [`Client::ask`] and the other calls that send text do
/// before anything is sent. For callers that must check before doing
/// other work, such as creating a conversation for the question.
pub fn check_text(text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::invalid_input(
            "text",
            "it is empty or only whitespace",
        ));
    }
    Ok(())
}

impl Client {
    /// Sends the user's `text` to the assistant and returns the response
    /// at once, usually `CREATED` or `IN_PROGRESS`: wait for it with
    /// [`Client::wait_for_response`], or use [`Client::ask`].
    ///
    /// Not retried once the request may have reached the API (see
    /// [`Error::may_have_been_processed`]), so the message is never sent
    /// twice.
    pub async fn create_response(
        &self,
        conversation_id: &str,
        text: &str,
    ) -> Result<Response, Error> {
        check_id("conversation_id", conversation_id)?;
        check_text(text)?;
        let body = CreateResponseRequest::new(UserInput::new(text));
        self.call(|api| api.create_response(conversation_id, &body))
            .await
    }

    /// A response as it is now.
    pub async fn response(
        &self,
        conversation_id: &str,
        response_id: &str,
    ) -> Result<Response, Error> {
        check_id("conversation_id", conversation_id)?;
        check_id("response_id", response_id)?;
        self.call(|api| api.get_response(conversation_id, response_id))
            .await
    }

    /// Polls a response until it is `COMPLETED`, and returns it, following
    /// the client's [`WaitPolicy`] (by default up to 120 s; see
    /// [`ClientBuilder::wait_policy`](crate::ClientBuilder::wait_policy)).
    ///
    /// - `FAILED` is [`Error::ResponseFailed`], with the response.
    /// - The deadline is [`Error::WaitTimeout`], with the last status seen
    ///   and the time waited.
    /// - A status this client does not know keeps it polling; a 404 or any
    ///   other error not worth retrying ends it at once.
    ///
    /// Dropping the future stops the polling; the assistant's work goes on
    /// at the API, and the response can be fetched later.
    pub async fn wait_for_response(
        &self,
        conversation_id: &str,
        response_id: &str,
    ) -> Result<Response, Error> {
        self.wait_with(conversation_id, response_id, &self.wait_policy())
            .await
    }

    /// [`Client::wait_for_response`] with another policy.
    pub async fn wait_with(
        &self,
        conversation_id: &str,
        response_id: &str,
        policy: &WaitPolicy,
    ) -> Result<Response, Error> {
        check_id("conversation_id", conversation_id)?;
        check_id("response_id", response_id)?;
        let outcome = poll_until(
            policy,
            || self.response(conversation_id, response_id),
            |response| match response.status {
                ResponseStatus::Completed => Check::Done(response),
                ResponseStatus::Failed => Check::Failed(Error::ResponseFailed(Box::new(response))),
                _ => Check::Pending(response),
            },
        )
        .await;
        match outcome {
            Ok(result) => result,
            Err(elapsed) => Err(Error::WaitTimeout {
                response_id: response_id.to_owned(),
                last_status: elapsed.last.map(|response| response.status),
                waited: elapsed.waited,
                polls: elapsed.polls,
                last_error: elapsed.last_error.map(Box::new),
            }),
        }
    }

    /// Asks the assistant and waits for the answer: [`create_response`]
    /// then [`wait_for_response`]. Returns the completed response; read its
    /// text and citations with [`ResponseExt`](crate::ResponseExt).
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::ResponseExt;
    ///
    /// let conversation = client.create_conversation(None).await?;
    /// let answer = client.ask(&conversation.conversation_id, "How do I reset my password?").await?;
    /// println!("{}", answer.text());
    /// for citation in answer.citations() {
    ///     println!("  source: {}", citation.url.as_deref().unwrap_or("-"));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`create_response`]: Client::create_response
    /// [`wait_for_response`]: Client::wait_for_response
    pub async fn ask(&self, conversation_id: &str, text: &str) -> Result<Response, Error> {
        let created = self.create_response(conversation_id, text).await?;
        match created.status {
            ResponseStatus::Completed => Ok(created),
            ResponseStatus::Failed => Err(Error::ResponseFailed(Box::new(created))),
            _ => {
                self.wait_for_response(conversation_id, &created.response_id)
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_is_refused() {
        for blank in ["", " ", "\n\t "] {
            assert!(matches!(
                check_text(blank),
                Err(Error::InvalidInput { field: "text", .. })
            ));
        }
        check_text(" a ").unwrap();
    }
}
