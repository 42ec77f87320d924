//! Streaming a response: create it with `create-response-stream`, and
//! recover from a stream that ended early by waiting for the response.

use moveworks_api::types::{CreateResponseStreamRequest, Response};

use super::response_stream::ResponseStream;
use super::user_input::Input;
use crate::client::Client;
use crate::client::input::check_id;
use crate::error::{CallSummary, Error, ErrorKind};
use crate::flows::sse::EventSource;

impl Client {
    /// Sends the user's input (text, or a press of a button: see
    /// [`Input`]) to the assistant and streams the response as it is made
    /// (`create-response-stream`). Returns once the API
    /// accepted the request (its answer's headers arrived); an HTTP error
    /// before that is the same [`Error`] as for any call. Like
    /// [`Client::create_response`], the request is retried only when it
    /// surely was not processed (a failed connection, a 429, a 401 with a
    /// refreshed token).
    ///
    /// The stream yields [`StreamEvent`](crate::StreamEvent)s and ends
    /// after the final one; any other end is one [`ErrorKind::Stream`] error.
    /// The idle timeout
    /// ([`ClientBuilder::stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout),
    /// default 120 s) bounds the wait between events; the attempt timeout
    /// does not apply. Never stream the same question again after an
    /// error: that would ask twice. Wait for the response instead.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use std::io::Write;
    ///
    /// let mut stream = client.create_response_stream("conv_1", "How do I reset my password?").await?;
    /// let answer = loop {
    ///     match stream.next_event().await {
    ///         Some(Ok(event)) => {
    ///             print!("{}", stream.take_new_text());
    ///             std::io::stdout().flush().ok();
    ///             if let Some(response) = event.response().filter(|_| event.is_final()) {
    ///                 break response.clone();
    ///             }
    ///         }
    ///         // Cut, stalled or an ERROR event: the response may still
    ///         // finish at the API. Never stream it again (that would ask
    ///         // twice): wait for it.
    ///         Some(Err(error)) => break client.wait_for_streamed_response(error).await?,
    ///         None => unreachable!("a stream always ends with a final event or an error"),
    ///     }
    /// };
    /// # let _ = answer;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_response_stream(
        &self,
        conversation_id: &str,
        input: impl Into<Input>,
    ) -> Result<ResponseStream, Error> {
        check_id("conversation_id", conversation_id)?;
        let body = CreateResponseStreamRequest::new(input.into().into_request()?);
        let answer = self
            .call_with_metadata(|api| api.create_response_stream(conversation_id, &body))
            .await?;
        let call = CallSummary {
            request_id: answer.metadata.request_id().map(str::to_owned),
            attempts: answer.metadata.attempts(),
            ..CallSummary::default()
        };
        let body = answer.into_value().into_inner();
        let limit = self.max_response_bytes();
        let source = EventSource::from_body(body, limit, self.stream_idle_timeout());
        let conversation_id = conversation_id.to_owned();
        Ok(ResponseStream::new(source, limit, conversation_id, call))
    }

    /// Recovers from a stream that ended early: when `error` is an
    /// [`ErrorKind::Stream`] error that names its response, waits for that response
    /// with [`Client::wait_for_response`] (polling, with the client's
    /// [`WaitPolicy`](crate::WaitPolicy)). Any other error is returned as
    /// it is. The message is not sent again.
    ///
    /// See [`Client::create_response_stream`] for an example.
    pub async fn wait_for_streamed_response(&self, error: Error) -> Result<Response, Error> {
        let (ErrorKind::Stream, Some(conversation_id), Some(response_id)) =
            (error.kind(), error.conversation_id(), error.response_id())
        else {
            return Err(error);
        };
        self.wait_for_response(conversation_id, response_id).await
    }
}
