//! Streaming a response as Server-Sent Events: typed events, in order,
//! that never end quietly.
//!
//! [`Client::stream_response`] sends the user's text with
//! `create-response-stream` and returns a [`ResponseStream`] once the
//! answer's headers arrive. Each SSE event is decoded by its `event:` name
//! into the generated struct for that name (the spec's `ResponseStreamData`
//! is a `oneOf` of structs with the same shape, so decoding by shape would
//! pick the wrong one).
//!
//! The stream ends after `RESPONSE_COMPLETED` or `RESPONSE_FAILED`. Any
//! other end (an `ERROR` event, the server closing early, a cut connection,
//! no event for the idle timeout, an oversized or malformed event) is an
//! [`Error::Stream`] item, then the end: a stream never ends quietly.
//!
//! The request is never sent again once the stream started, since that
//! would create a second response. The error carries the response id
//! instead; [`Client::finish_streamed`] waits for the response by polling.
//!
//! Nothing runs in the background and nothing is read ahead of the
//! consumer; dropping the stream closes the connection.

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use moveworks_api::types::{
    CreateResponseStreamRequest, OutputItem, Response, ResponseCompletedData, ResponseCreatedData,
    ResponseFailedData, ResponseInProgressData, ResponseOutputDeltaData, StreamingErrorData,
    UserInput,
};
use serde::de::DeserializeOwned;
use sse_stream::{Sse, SseByteStream};
use tokio::time::{Instant, Sleep};

use crate::answer::{ContentExt, ResponseExt};
use crate::client::Client;
use crate::error::{Error, ErrorCode};
use crate::ids::check_id;
use crate::responses::check_text;

/// By default, a stream with no event for this long (120 s, the time the
/// API docs allow a response to finish) ends with an error.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The response body: chunks of bytes, or why the connection failed.
type ByteSource = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// One event of a response stream, decoded by its SSE event name.
///
/// More kinds may come: match with a `_` arm.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StreamEvent {
    /// `RESPONSE_CREATED`: the response exists (status `CREATED`).
    Created(ResponseCreatedData),
    /// `RESPONSE_IN_PROGRESS`: the response as it is now.
    InProgress(ResponseInProgressData),
    /// `RESPONSE_OUTPUT_DELTA`: a new output item (a message or a
    /// reasoning message).
    Output(ResponseOutputDeltaData),
    /// `RESPONSE_COMPLETED`: the final response; the last event.
    Completed(ResponseCompletedData),
    /// `RESPONSE_FAILED`: the assistant could not answer; the last event.
    Failed(ResponseFailedData),
    /// An event name this client does not know, kept verbatim.
    Unknown {
        /// The SSE `event:` name (`message` when the event had none).
        event: String,
        /// The event's data, lines joined with `\n`.
        data: String,
    },
}

impl StreamEvent {
    /// The event's sequence number (unknown events: if their data has one).
    pub fn sequence_number(&self) -> Option<i64> {
        match self {
            StreamEvent::Created(data) => Some(data.sequence_number),
            StreamEvent::InProgress(data) => Some(data.sequence_number),
            StreamEvent::Output(data) => Some(data.sequence_number),
            StreamEvent::Completed(data) => Some(data.sequence_number),
            StreamEvent::Failed(data) => Some(data.sequence_number),
            StreamEvent::Unknown { data, .. } => unknown_sequence_number(data),
        }
    }

    /// The response snapshot the event carries (all but output and
    /// unknown events).
    pub fn response(&self) -> Option<&Response> {
        match self {
            StreamEvent::Created(data) => Some(&data.response),
            StreamEvent::InProgress(data) => Some(&data.response),
            StreamEvent::Completed(data) => Some(&data.response),
            StreamEvent::Failed(data) => Some(&data.response),
            StreamEvent::Output(_) | StreamEvent::Unknown { .. } => None,
        }
    }

    /// The new output item of an output event.
    pub fn output(&self) -> Option<&OutputItem> {
        match self {
            StreamEvent::Output(data) => Some(&data.output),
            _ => None,
        }
    }

    /// Whether this is the last event of the stream (`COMPLETED` or
    /// `FAILED`).
    pub fn is_final(&self) -> bool {
        matches!(self, StreamEvent::Completed(_) | StreamEvent::Failed(_))
    }
}

/// Why a response stream ended before the response was `COMPLETED` or
/// `FAILED`, and what had arrived by then. See [`Error::Stream`].
#[derive(Debug)]
pub struct StreamError {
    pub(crate) kind: StreamErrorKind,
    pub(crate) conversation_id: String,
    pub(crate) response_id: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) events: u64,
    pub(crate) last_response: Option<Box<Response>>,
    pub(crate) text_so_far: String,
}

/// How a response stream ended early.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamErrorKind {
    /// The API sent an `ERROR` event.
    ErrorEvent {
        /// The error code (unknown codes kept).
        code: ErrorCode,
        /// The error message.
        message: String,
    },
    /// The server ended the stream.
    Closed,
    /// The connection failed (reset, closed mid-chunk, timed out).
    Cut(BoxError),
    /// No event arrived for this long.
    Idle(Duration),
    /// One event was larger than the client's response size limit.
    EventTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An event that is not what the spec says for its name, or not UTF-8.
    Malformed {
        /// The event name, when the event could be read that far.
        event: Option<String>,
        /// What is wrong with it.
        source: BoxError,
    },
}

impl StreamError {
    /// How the stream ended.
    pub fn kind(&self) -> &StreamErrorKind {
        &self.kind
    }

    /// The conversation the response belongs to.
    pub fn conversation_id(&self) -> &str {
        &self.conversation_id
    }

    /// The response being streamed, if an event named it. With it the
    /// response can still be waited for: see [`Client::finish_streamed`].
    pub fn response_id(&self) -> Option<&str> {
        self.response_id.as_deref()
    }

    /// The `x-moveworks-root-uuid` of the stream's answer.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Events received before the end (duplicates not counted).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The last response snapshot received (`CREATED` or `IN_PROGRESS`).
    pub fn last_response(&self) -> Option<&Response> {
        self.last_response.as_deref()
    }

    /// The answer's text as far as it arrived (see
    /// [`ResponseStream::text_so_far`]).
    pub fn text_so_far(&self) -> &str {
        &self.text_so_far
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response stream incomplete: ")?;
        match &self.kind {
            StreamErrorKind::ErrorEvent { code, message } => {
                write!(f, "the API reported {code}: {message}")?
            }
            StreamErrorKind::Closed => f.write_str("the server ended it early")?,
            StreamErrorKind::Cut(source) => write!(f, "the connection failed: {source}")?,
            StreamErrorKind::Idle(idle) => write!(f, "no event for {:.1}s", idle.as_secs_f64())?,
            StreamErrorKind::EventTooLarge { limit } => {
                write!(f, "an event exceeds the {limit}-byte limit")?
            }
            StreamErrorKind::Malformed { event, source } => write!(
                f,
                "malformed {} event: {source}",
                event.as_deref().unwrap_or("SSE")
            )?,
        }
        write!(f, " (conversation {}", self.conversation_id)?;
        match &self.response_id {
            Some(id) => write!(f, ", response {id}")?,
            None => f.write_str(", response id unknown")?,
        }
        write!(f, ", {} events received", self.events)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            StreamErrorKind::Cut(source) | StreamErrorKind::Malformed { source, .. } => {
                Some(source.as_ref())
            }
            _ => None,
        }
    }
}

impl Client {
    /// Sends the user's `text` to the assistant and streams the response
    /// as it is made. Returns once the API accepted the request (its
    /// answer's headers arrived); an HTTP error before that is the same
    /// [`Error`] as for any call. Like [`Client::create_response`], the
    /// request is retried only when it surely was not processed (a failed
    /// connection, a 429, a 401 with a refreshed token).
    ///
    /// The stream yields [`StreamEvent`]s and ends after the final one;
    /// any other end is one [`Error::Stream`] item (see the
    /// [module docs](crate::stream)). The idle timeout
    /// ([`ClientBuilder::stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout),
    /// default 120 s) bounds the wait between events; the attempt timeout
    /// does not apply.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use std::io::Write;
    ///
    /// let mut stream = client.stream_response("conv_1", "How do I reset my password?").await?;
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
    ///         Some(Err(error)) => break client.finish_streamed(error).await?,
    ///         None => unreachable!("a stream always ends with a final event or an error"),
    ///     }
    /// };
    /// # let _ = answer;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn stream_response(
        &self,
        conversation_id: &str,
        text: &str,
    ) -> Result<ResponseStream, Error> {
        check_id("conversation_id", conversation_id)?;
        check_text(text)?;
        let body = CreateResponseStreamRequest::new(UserInput::new(text));
        let answer = self
            .call_with_metadata(|api| api.create_response_stream(conversation_id, &body))
            .await?;
        let bytes: ByteSource = Box::pin(BoxErrors(answer.value.into_inner()));
        let mut stream =
            ResponseStream::new(bytes, self.max_response_bytes(), self.stream_idle_timeout());
        stream.conversation_id = conversation_id.to_owned();
        stream.request_id = answer.metadata.request_id;
        stream.attempts = answer.metadata.attempts;
        Ok(stream)
    }

    /// Recovers from a stream that ended early: when `error` is an
    /// [`Error::Stream`] that names its response, waits for that response
    /// with [`Client::wait_for_response`] (polling, with the client's
    /// [`WaitPolicy`](crate::WaitPolicy)). Any other error is returned as
    /// it is. The message is not sent again.
    ///
    /// See [`Client::stream_response`] for an example.
    pub async fn finish_streamed(&self, error: Error) -> Result<Response, Error> {
        let Error::Stream(stream) = &error else {
            return Err(error);
        };
        let Some(response_id) = stream.response_id.as_deref() else {
            return Err(error);
        };
        self.wait_for_response(&stream.conversation_id, response_id)
            .await
    }
}

/// A response as it streams; see [`Client::stream_response`].
///
/// A [`futures_core::Stream`] of `Result<StreamEvent, Error>`: use
/// `StreamExt::next` from `futures` or `tokio-stream`, or
/// [`ResponseStream::next_event`]. Events arrive in order: an event whose
/// sequence number is not above the last one's is dropped. After the final
/// event or an error, the stream ends and the connection is released.
pub struct ResponseStream {
    /// `None` once the stream ended: the connection is closed then.
    events: Option<SseByteStream<Limited>>,
    /// Bytes received since the parser last completed an event; shared
    /// with [`Limited`], which fails the body once it passes the limit.
    since_event: Arc<AtomicUsize>,
    limit: usize,
    idle: Duration,
    /// Fires `idle` after `last_event`; moved only when it fires, so that
    /// an event costs a clock read instead of a timer update.
    idle_timer: Pin<Box<Sleep>>,
    last_event: Instant,
    conversation_id: String,
    response_id: Option<String>,
    request_id: Option<String>,
    attempts: u32,
    last_sequence: Option<i64>,
    events_received: u64,
    last_response: Option<Box<Response>>,
    text: String,
    taken: usize,
    /// The last message added to `text`, and where its text starts there.
    last_message: Option<(String, usize)>,
}

impl ResponseStream {
    fn new(bytes: ByteSource, limit: usize, idle: Duration) -> Self {
        let since_event = Arc::new(AtomicUsize::new(0));
        let limited = Limited {
            inner: bytes,
            since_event: since_event.clone(),
            limit,
            failed: false,
        };
        let now = Instant::now();
        Self {
            events: Some(SseByteStream::new(limited)),
            since_event,
            limit,
            idle,
            idle_timer: Box::pin(tokio::time::sleep_until(now + idle)),
            last_event: now,
            conversation_id: String::new(),
            response_id: None,
            request_id: None,
            attempts: 1,
            last_sequence: None,
            events_received: 0,
            last_response: None,
            text: String::new(),
            taken: 0,
            last_message: None,
        }
    }

    /// The next event: `None` after the final event or an error.
    pub async fn next_event(&mut self) -> Option<Result<StreamEvent, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the stream to its end and returns the completed response.
    /// `RESPONSE_FAILED` is [`Error::ResponseFailed`]; an early end is
    /// [`Error::Stream`] (recover with [`Client::finish_streamed`]).
    pub async fn completed(mut self) -> Result<Response, Error> {
        while let Some(event) = self.next_event().await {
            match event? {
                StreamEvent::Completed(data) => return Ok(data.response),
                StreamEvent::Failed(data) => {
                    return Err(Error::ResponseFailed(Box::new(data.response)));
                }
                _ => {}
            }
        }
        // Unreachable in practice: the stream ends with a final event or an
        // error. Kept as an error rather than a panic.
        Err(self.incomplete(StreamErrorKind::Closed))
    }

    /// The conversation the response belongs to.
    pub fn conversation_id(&self) -> &str {
        &self.conversation_id
    }

    /// The response's id, once an event named it.
    pub fn response_id(&self) -> Option<&str> {
        self.response_id.as_deref()
    }

    /// The `x-moveworks-root-uuid` of the answer.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Events received so far (duplicates not counted).
    pub fn events_received(&self) -> u64 {
        self.events_received
    }

    /// The last response snapshot received.
    pub fn last_response(&self) -> Option<&Response> {
        self.last_response.as_deref()
    }

    /// The answer's text so far: the text of the assistant messages among
    /// the outputs, separated by a blank line, as
    /// [`ResponseExt::text`] gives it for the
    /// completed response. It only grows; the completed response is the
    /// reference.
    pub fn text_so_far(&self) -> &str {
        &self.text
    }

    /// The answer's text that arrived since the last call, for printing an
    /// answer as it arrives. Empty when nothing new arrived.
    pub fn take_new_text(&mut self) -> &str {
        let new = &self.text[self.taken..];
        self.taken = self.text.len();
        new
    }

    fn incomplete(&mut self, kind: StreamErrorKind) -> Error {
        // The connection is closed at once, not when the stream is dropped.
        self.events = None;
        tracing::debug!(
            response_id = self.response_id.as_deref(),
            events = self.events_received,
            "response stream incomplete"
        );
        Error::Stream(Box::new(StreamError {
            kind,
            conversation_id: self.conversation_id.clone(),
            response_id: self.response_id.clone(),
            request_id: self.request_id.clone(),
            attempts: self.attempts,
            events: self.events_received,
            last_response: self.last_response.clone(),
            // Cloned, not taken: the stream still answers `text_so_far`
            // and `take_new_text` after its error.
            text_so_far: self.text.clone(),
        }))
    }

    /// Turns one SSE block into an event: `Ok(None)` for blocks that are
    /// not events (metadata only, or out of order).
    fn decode(&mut self, block: Sse) -> Result<Option<StreamEvent>, StreamErrorKind> {
        let Sse { event, data, .. } = block;
        if event.is_none() && data.is_none() {
            return Ok(None);
        }
        let name = event.unwrap_or_else(|| "message".to_owned());
        let data = data.unwrap_or_default();
        let event = match name.as_str() {
            "RESPONSE_CREATED" => StreamEvent::Created(parse(&name, &data)?),
            "RESPONSE_IN_PROGRESS" => StreamEvent::InProgress(parse(&name, &data)?),
            "RESPONSE_OUTPUT_DELTA" => StreamEvent::Output(parse(&name, &data)?),
            "RESPONSE_COMPLETED" => StreamEvent::Completed(parse(&name, &data)?),
            "RESPONSE_FAILED" => StreamEvent::Failed(parse(&name, &data)?),
            "ERROR" => {
                let error: StreamingErrorData = parse(&name, &data)?;
                return Err(StreamErrorKind::ErrorEvent {
                    code: ErrorCode::parse(&error.error.code),
                    message: error.error.message,
                });
            }
            _ => StreamEvent::Unknown { event: name, data },
        };
        if let Some(sequence) = event.sequence_number() {
            if self.last_sequence.is_some_and(|last| sequence <= last) {
                return Ok(None);
            }
            self.last_sequence = Some(sequence);
        }
        self.events_received += 1;
        self.absorb(&event);
        Ok(Some(event))
    }

    /// Updates what the stream knows from `event`.
    fn absorb(&mut self, event: &StreamEvent) {
        match event {
            StreamEvent::Output(data) => match &data.output {
                OutputItem::Message { message, .. } => {
                    if self.response_id.is_none() {
                        self.response_id = Some(message.response_id.clone());
                    }
                    self.add_message(&message.message_id, message.content.text());
                }
                OutputItem::ReasoningMessage {
                    reasoning_message, ..
                } if self.response_id.is_none() => {
                    self.response_id = Some(reasoning_message.response_id.clone());
                }
                // Output kinds the spec adds later carry nothing known.
                _ => {}
            },
            StreamEvent::Completed(data) => {
                self.response_id = Some(data.response.response_id.clone());
                let text = data.response.text();
                if let Some(rest) = text.strip_prefix(self.text.as_str()) {
                    self.text.push_str(rest);
                }
            }
            _ => {
                if let Some(response) = event.response() {
                    self.response_id = Some(response.response_id.clone());
                    if !event.is_final() {
                        self.last_response = Some(Box::new(response.clone()));
                    }
                }
            }
        }
    }

    /// Adds a message's text to the answer: a new message after a blank
    /// line; a message seen before only when its text extends what it was.
    fn add_message(&mut self, id: &str, text: &str) {
        if let Some((last_id, start)) = &self.last_message
            && last_id == id
        {
            if let Some(rest) = text.strip_prefix(&self.text[*start..]) {
                self.text.push_str(rest);
            }
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.last_message = Some((id.to_owned(), self.text.len()));
        self.text.push_str(text);
    }
}

fn parse<T: DeserializeOwned>(name: &str, data: &str) -> Result<T, StreamErrorKind> {
    serde_json::from_str(data).map_err(|source| StreamErrorKind::Malformed {
        event: Some(name.to_owned()),
        source: Box::new(source),
    })
}

fn unknown_sequence_number(data: &str) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Sequenced {
        sequence_number: Option<i64>,
    }
    serde_json::from_str::<Sequenced>(data)
        .ok()
        .and_then(|s| s.sequence_number)
}

impl Stream for ResponseStream {
    type Item = Result<StreamEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            let Some(events) = this.events.as_mut() else {
                return Poll::Ready(None);
            };
            let block = match Pin::new(events).poll_next(cx) {
                Poll::Ready(block) => block,
                Poll::Pending => {
                    ready!(this.idle_timer.as_mut().poll(cx));
                    let due = this.last_event + this.idle;
                    if Instant::now() < due {
                        // Events arrived since the timer was set: move it.
                        this.idle_timer.as_mut().reset(due);
                        continue;
                    }
                    let idle = this.idle;
                    return Poll::Ready(Some(Err(this.incomplete(StreamErrorKind::Idle(idle)))));
                }
            };
            let kind = match block {
                Some(Ok(block)) => {
                    this.since_event.store(0, Ordering::Relaxed);
                    this.last_event = Instant::now();
                    match this.decode(block) {
                        Ok(Some(event)) => {
                            if event.is_final() {
                                this.events = None;
                            }
                            return Poll::Ready(Some(Ok(event)));
                        }
                        Ok(None) => continue,
                        Err(kind) => kind,
                    }
                }
                Some(Err(sse_stream::Error::Body(source))) => {
                    match source.downcast::<BodyError>() {
                        Ok(body) => match *body {
                            BodyError::TooLarge => {
                                StreamErrorKind::EventTooLarge { limit: this.limit }
                            }
                            BodyError::Cut(source) => StreamErrorKind::Cut(source),
                        },
                        Err(source) => StreamErrorKind::Cut(source),
                    }
                }
                Some(Err(other)) => StreamErrorKind::Malformed {
                    event: None,
                    source: Box::new(other),
                },
                None => StreamErrorKind::Closed,
            };
            return Poll::Ready(Some(Err(this.incomplete(kind))));
        }
    }
}

impl fmt::Debug for ResponseStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseStream")
            .field("conversation_id", &self.conversation_id)
            .field("response_id", &self.response_id)
            .field("request_id", &self.request_id)
            .field("events_received", &self.events_received)
            .field("finished", &self.events.is_none())
            .finish_non_exhaustive()
    }
}

/// Why the body stopped.
#[derive(Debug)]
enum BodyError {
    Cut(BoxError),
    TooLarge,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Cut(source) => fmt::Display::fmt(source, f),
            BodyError::TooLarge => f.write_str("event over the size limit"),
        }
    }
}

impl std::error::Error for BodyError {}

/// The body, failing once more than `limit` bytes arrived without the
/// parser completing an event. The parser buffers a partial event whole,
/// so this bounds its memory to the limit plus one read.
///
/// The check runs when the parser asks for more: by then it has consumed
/// everything it was given, so all counted bytes belong to the unfinished
/// event (an event that shares a read with the one before it is counted
/// from the next read on). An event within the limit never fails.
struct Limited {
    inner: ByteSource,
    since_event: Arc<AtomicUsize>,
    limit: usize,
    failed: bool,
}

impl Stream for Limited {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.failed {
            return Poll::Ready(None);
        }
        if self.since_event.load(Ordering::Relaxed) > self.limit {
            self.failed = true;
            return Poll::Ready(Some(Err(BodyError::TooLarge)));
        }
        match ready!(self.inner.as_mut().poll_next(cx)) {
            Some(Ok(bytes)) => {
                self.since_event.fetch_add(bytes.len(), Ordering::Relaxed);
                Poll::Ready(Some(Ok(bytes)))
            }
            Some(Err(source)) => {
                self.failed = true;
                Poll::Ready(Some(Err(BodyError::Cut(source))))
            }
            None => Poll::Ready(None),
        }
    }
}

/// The generated client's byte stream with its errors boxed.
struct BoxErrors<S>(S);

impl<S, E> Stream for BoxErrors<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Into::into)))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use moveworks_testkit::sse;
    use proptest::prelude::*;

    use super::*;

    /// A body delivered in these chunks, then ended.
    struct Chunks(VecDeque<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes, BoxError>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front().map(Ok))
        }
    }

    fn stream_of(chunks: Vec<Vec<u8>>, limit: usize) -> ResponseStream {
        let chunks = Chunks(chunks.into_iter().map(Bytes::from).collect());
        ResponseStream::new(Box::pin(chunks), limit, Duration::from_secs(60))
    }

    /// Every item of the stream, rendered (the generated types have no
    /// `PartialEq`), and the text as `take_new_text` gave it.
    fn run(chunks: Vec<Vec<u8>>, limit: usize) -> (Vec<String>, String) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mut stream = stream_of(chunks, limit);
            let mut items = Vec::new();
            let mut text = String::new();
            while let Some(item) = stream.next_event().await {
                items.push(match item {
                    Ok(event) => format!("{event:?}"),
                    Err(error) => format!("error: {error}"),
                });
                text.push_str(stream.take_new_text());
            }
            (items, text)
        })
    }

    fn split_at_offsets(body: &[u8], offsets: &[usize]) -> Vec<Vec<u8>> {
        let mut cuts: Vec<usize> = offsets.iter().map(|o| o % (body.len() + 1)).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut start = 0;
        for cut in cuts.into_iter().chain([body.len()]) {
            chunks.push(body[start..cut].to_vec());
            start = cut;
        }
        chunks
    }

    const LIMIT: usize = 1 << 20;

    #[test]
    fn the_recorded_stream_decodes_into_typed_events_in_order() {
        let (items, text) = run(vec![sse::recorded().into_bytes()], LIMIT);
        let kinds: Vec<&str> = items
            .iter()
            .map(|item| item.split(['(', ' ']).next().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "Created",
                "InProgress",
                "Output",
                "Output",
                "Output",
                "Completed"
            ]
        );
        assert!(items[3].contains("msg_1") && items[3].contains("sequence_number: 4"));
        assert_eq!(text, sse::RECORDED_TEXT);
    }

    #[test]
    fn every_single_split_gives_the_same_events() {
        for body in [sse::recorded(), sse::recorded_crlf(), sse::recorded_cr()] {
            let body = body.into_bytes();
            let whole = run(vec![body.clone()], LIMIT);
            assert_eq!(whole.0.len(), 6);
            for at in 0..=body.len() {
                let split = run(vec![body[..at].to_vec(), body[at..].to_vec()], LIMIT);
                assert_eq!(split, whole, "split at byte {at}");
            }
        }
    }

    #[test]
    fn line_endings_do_not_change_the_events() {
        let lf = run(vec![sse::recorded().into_bytes()], LIMIT);
        assert_eq!(run(vec![sse::recorded_crlf().into_bytes()], LIMIT), lf);
        assert_eq!(run(vec![sse::recorded_cr().into_bytes()], LIMIT), lf);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_chunking_gives_the_same_events(
            offsets in proptest::collection::vec(any::<usize>(), 0..40),
            ending in 0..3usize,
        ) {
            let body = [sse::recorded(), sse::recorded_crlf(), sse::recorded_cr()][ending].clone().into_bytes();
            let whole = run(vec![body.clone()], LIMIT);
            prop_assert_eq!(run(split_at_offsets(&body, &offsets), LIMIT), whole);
        }

        #[test]
        fn arbitrary_bytes_never_panic_and_always_end_with_an_error(
            body in proptest::collection::vec(any::<u8>(), 0..600),
            offsets in proptest::collection::vec(any::<usize>(), 0..8),
        ) {
            let (items, _) = run(split_at_offsets(&body, &offsets), 256);
            // Arbitrary bytes never complete a response: the last item says so.
            prop_assert!(items.last().is_some_and(|last| last.starts_with("error: response stream incomplete")));
        }
    }

    #[test]
    fn duplicates_and_older_events_are_dropped() {
        let body = [
            sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
            sse::delta(3, &sse::message("msg_1", "one")),
            sse::delta(3, &sse::message("msg_1", "one")),
            sse::snapshot("RESPONSE_IN_PROGRESS", 2, "IN_PROGRESS", &[]),
            sse::delta(4, &sse::message("msg_2", "two")),
            sse::snapshot("RESPONSE_COMPLETED", 5, "COMPLETED", &[]),
        ]
        .concat();
        let (items, text) = run(vec![body.into_bytes()], LIMIT);
        assert_eq!(items.len(), 4, "{items:#?}");
        assert_eq!(text, "one\n\ntwo");
    }

    #[test]
    fn a_message_sent_again_with_more_text_adds_only_the_new_text() {
        let body = [
            sse::delta(1, &sse::message("msg_1", "Hel")),
            sse::delta(2, &sse::message("msg_1", "Hello")),
            sse::delta(3, &sse::message("msg_1", "unrelated")),
            sse::snapshot(
                "RESPONSE_COMPLETED",
                4,
                "COMPLETED",
                &[sse::message("msg_1", "Hello, world")],
            ),
        ]
        .concat();
        let (items, text) = run(vec![body.into_bytes()], LIMIT);
        assert_eq!(items.len(), 4);
        assert_eq!(text, "Hello, world");
    }

    #[test]
    fn unknown_events_are_kept_and_ordered_by_their_sequence_number() {
        let body = [
            sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
            sse::event(
                "RESPONSE_QUEUED",
                r#"{"sequence_number": 2, "position": 3}"#,
            ),
            sse::event("RESPONSE_QUEUED", r#"{"sequence_number": 2}"#),
            "data: no name\n\n".to_owned(),
            "id: 7\nretry: 10\n\n".to_owned(),
            sse::snapshot("RESPONSE_COMPLETED", 3, "COMPLETED", &[]),
        ]
        .concat();
        let (items, _) = run(vec![body.into_bytes()], LIMIT);
        assert_eq!(items.len(), 4, "{items:#?}");
        assert!(items[1].contains("RESPONSE_QUEUED") && items[1].contains("position"));
        assert!(items[2].contains(r#"event: "message""#) && items[2].contains("no name"));
    }

    #[test]
    fn nothing_follows_the_final_event() {
        let body = [
            sse::snapshot("RESPONSE_FAILED", 1, "FAILED", &[]),
            sse::snapshot("RESPONSE_COMPLETED", 2, "COMPLETED", &[]),
        ]
        .concat();
        let (items, _) = run(vec![body.into_bytes()], LIMIT);
        assert_eq!(items.len(), 1);
        assert!(items[0].starts_with("Failed"));
    }

    #[test]
    fn an_event_over_the_limit_fails_one_within_it_passes() {
        let big = sse::delta(2, &sse::message("msg_1", &"x".repeat(2000)));
        let body = [
            sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
            big.clone(),
            sse::snapshot("RESPONSE_COMPLETED", 3, "COMPLETED", &[]),
        ]
        .concat()
        .into_bytes();
        let chunks = |body: &[u8]| body.chunks(100).map(<[u8]>::to_vec).collect::<Vec<_>>();
        // Exactly the big event's size: within the limit, whatever the chunking.
        let (items, _) = run(chunks(&body), big.len());
        assert!(items[2].starts_with("Completed"), "{items:#?}");
        let (items, _) = run(chunks(&body), 1000);
        assert_eq!(items.len(), 2, "{items:#?}");
        assert!(
            items[1].contains("an event exceeds the 1000-byte limit"),
            "{items:#?}"
        );
    }

    #[test]
    fn the_limit_is_on_bytes_held_for_an_unfinished_event() {
        let created = sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]);
        let big = sse::delta(2, &sse::message("msg_1", &"x".repeat(500)));
        let completed = sse::snapshot("RESPONSE_COMPLETED", 3, "COMPLETED", &[]);
        let held = 300;
        let chunks = vec![
            created.into_bytes(),
            big.as_bytes()[..held].to_vec(),
            [&big[held..], completed.as_str()].concat().into_bytes(),
        ];
        // `held` bytes wait for the rest of the event: at the limit, not over it.
        let (items, _) = run(chunks.clone(), held);
        assert_eq!(items.len(), 3, "{items:#?}");
        let (items, _) = run(chunks, held - 1);
        assert_eq!(items.len(), 2, "{items:#?}");
        assert!(
            items[1].contains("exceeds the 299-byte limit"),
            "{items:#?}"
        );
    }

    #[test]
    fn a_malformed_known_event_ends_the_stream_with_its_name() {
        let body = [
            sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
            sse::event("RESPONSE_OUTPUT_DELTA", r#"{"sequence_number": 2}"#),
            sse::snapshot("RESPONSE_COMPLETED", 3, "COMPLETED", &[]),
        ]
        .concat();
        let (items, _) = run(vec![body.into_bytes()], LIMIT);
        assert_eq!(items.len(), 2);
        assert!(
            items[1].contains("malformed RESPONSE_OUTPUT_DELTA event")
                && items[1].contains("response resp_1, 1 events received"),
            "{items:#?}"
        );
    }

    #[test]
    fn text_stays_readable_after_an_error() {
        let body = [
            sse::delta(1, &sse::message("msg_1", "Partial")),
            sse::error("INTERNAL_ERROR", "boom"),
        ]
        .concat();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mut stream = stream_of(vec![body.into_bytes()], LIMIT);
            stream.next_event().await.unwrap().unwrap();
            assert_eq!(stream.take_new_text(), "Partial");
            let error = stream.next_event().await.unwrap().unwrap_err();
            assert_eq!(stream.take_new_text(), "");
            assert_eq!(stream.text_so_far(), "Partial");
            let Error::Stream(error) = error else {
                panic!("expected a stream error")
            };
            assert_eq!(error.text_so_far(), "Partial");
            assert!(stream.next_event().await.is_none());
        });
    }

    #[test]
    fn response_streams_can_move_between_threads() {
        fn assert_send<T: Send + Unpin>() {}
        assert_send::<ResponseStream>();
    }
}
