//! Responses: the assistant's answer to one user message. Create one, get
//! it, wait for it to finish, or do all of it in one call with
//! [`Client::ask`].

use moveworks_api::types::{CreateResponseRequest, Response, ResponseStatus};

use super::user_input::Input;
use crate::client::Client;
use crate::client::input::check_id;
use crate::error::Error;
use crate::flows::polling::{Check, poll_until};

impl Client {
    /// Sends the user's input to the assistant (`create-response`): text,
    /// or a press of a button of an earlier answer ([`Input`]), and
    /// returns the response at once, usually `CREATED` or `IN_PROGRESS`:
    /// wait for it with [`Client::wait_for_response`], or use
    /// [`Client::ask`]. Blank text or a blank callback id is refused
    /// before anything is sent.
    ///
    /// Not retried once the request may have reached the API (see
    /// [`Error::may_have_been_processed`]), so the message is never sent,
    /// nor the button pressed, twice.
    pub async fn create_response(
        &self,
        conversation_id: &str,
        input: impl Into<Input>,
    ) -> Result<Response, Error> {
        check_id("conversation_id", conversation_id)?;
        let body = CreateResponseRequest::new(input.into().into_request()?);
        self.call(|api| api.create_response(conversation_id, &body))
            .await
    }

    /// A response as it is now (`get-response`).
    pub async fn get_response(
        &self,
        conversation_id: &str,
        response_id: &str,
    ) -> Result<Response, Error> {
        check_id("conversation_id", conversation_id)?;
        check_id("response_id", response_id)?;
        self.call(|api| api.get_response(conversation_id, response_id))
            .await
    }

    /// Polls a response with `get-response` until it is `COMPLETED`, and
    /// returns it, following the client's [`WaitPolicy`](crate::WaitPolicy)
    /// (by default up to 120 s; see
    /// [`ClientBuilder::wait_policy`](crate::ClientBuilder::wait_policy),
    /// or [`CallOptions::wait_policy`](crate::CallOptions::wait_policy) for
    /// one wait).
    ///
    /// - `FAILED` is [`ErrorKind::ResponseFailed`](crate::ErrorKind::ResponseFailed), with the response.
    /// - The deadline is [`ErrorKind::WaitTimeout`](crate::ErrorKind::WaitTimeout), with the last status seen
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
        check_id("conversation_id", conversation_id)?;
        check_id("response_id", response_id)?;
        let outcome = poll_until(
            self.wait_policy(),
            || self.get_response(conversation_id, response_id),
            |response| match response.status {
                ResponseStatus::Completed => Check::Done(response),
                ResponseStatus::Failed => Check::Failed(Error::response_failed(response)),
                _ => Check::Pending(response),
            },
        )
        .await;
        match outcome {
            Ok(result) => result,
            Err(elapsed) => Err(Error::wait_timeout(
                response_id.to_owned(),
                elapsed.last.map(|response| response.status),
                elapsed.waited,
                elapsed.polls,
                elapsed.last_error,
            )),
        }
    }

    /// Asks the assistant (text, or a press of a button: see [`Input`])
    /// and waits for the answer: [`create_response`] then
    /// [`wait_for_response`]. Returns the completed response; read its
    /// text, citations and actions with [`ResponseExt`](crate::ResponseExt).
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::{NewConversation, ResponseExt};
    ///
    /// let conversation = client.create_conversation(NewConversation::new()).await?;
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
    pub async fn ask(
        &self,
        conversation_id: &str,
        input: impl Into<Input>,
    ) -> Result<Response, Error> {
        let created = self.create_response(conversation_id, input).await?;
        match created.status {
            ResponseStatus::Completed => Ok(created),
            ResponseStatus::Failed => Err(Error::response_failed(created)),
            _ => {
                self.wait_for_response(conversation_id, &created.response_id)
                    .await
            }
        }
    }
}
