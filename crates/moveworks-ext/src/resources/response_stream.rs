//! A response as it streams: created with `create-response-stream`, read
//! as typed events, in order, that never end quietly, and recovered by
//! waiting for the response when the stream ended early.
//!
//! Each SSE event is decoded by its `event:` name into the generated struct
//! for that name (the spec's `ResponseStreamData` is a `oneOf` of structs
//! with the same shape, so decoding by shape would pick the wrong one). The
//! stream ends after `RESPONSE_COMPLETED` or `RESPONSE_FAILED`. Any other
//! end (an `ERROR` event, the server closing early, a cut connection, no
//! event for the idle timeout, an oversized or malformed event) is an
//! [`ErrorKind::Stream`](crate::ErrorKind::Stream) item, then the end.

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use moveworks_api::types::{CreateResponseStreamRequest, OutputItem, Response};
use sse_stream::Sse;

use super::answer::{ContentExt, ResponseExt};
use super::stream_event::StreamEvent;
use super::user_input::Input;
use crate::client::Client;
use crate::client::input::check_id;
use crate::error::{CallSummary, Error, ErrorKind, StreamContext, StreamEnd};
use crate::flows::sse::{Ended, EventSource};

/// A response as it streams; see [`Client::create_response_stream`](crate::Client::create_response_stream).
///
/// A [`futures_core::Stream`] of `Result<StreamEvent, Error>`: use
/// `StreamExt::next` from `futures` or `tokio-stream`, or
/// [`ResponseStream::next_event`]. Events arrive in order: an event whose
/// sequence number is not above the last one's is dropped. After the final
/// event or an error, the stream ends and the connection is released.
pub struct ResponseStream {
    /// Closed once the stream ended.
    source: EventSource,
    conversation_id: String,
    response_id: Option<String>,
    /// The call that opened the stream: its request id and attempts.
    call: CallSummary,
    last_sequence: Option<i64>,
    events: u64,
    /// The data of the last `CREATED` or `IN_PROGRESS` event, decoded into
    /// a response only when asked: every snapshot is handed to the caller,
    /// and keeping a copy of each would cost a clone per event.
    last_snapshot: Option<String>,
    /// The most the answer's text may hold, as an event may.
    limit: usize,
    text: String,
    taken: usize,
    /// The last message added to `text`, and where its text starts there.
    last_message: Option<(String, usize)>,
}

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

impl ResponseStream {
    /// The stream of a response of `conversation_id`, read from `source`;
    /// the answer's text is held to `limit` bytes, as each event is.
    pub(crate) fn new(
        source: EventSource,
        limit: usize,
        conversation_id: String,
        call: CallSummary,
    ) -> Self {
        Self {
            source,
            limit,
            conversation_id,
            response_id: None,
            call,
            last_sequence: None,
            events: 0,
            last_snapshot: None,
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
    /// `RESPONSE_FAILED` is [`ErrorKind::ResponseFailed`](crate::ErrorKind::ResponseFailed); an early end is
    /// [`ErrorKind::Stream`](crate::ErrorKind::Stream) (recover with
    /// [`Client::wait_for_streamed_response`](crate::Client::wait_for_streamed_response)).
    pub async fn completed(mut self) -> Result<Response, Error> {
        while let Some(event) = self.next_event().await {
            match event? {
                StreamEvent::Completed(data) => return Ok(data.response),
                StreamEvent::Failed(data) => return Err(Error::response_failed(data.response)),
                _ => {}
            }
        }
        // Unreachable in practice: the stream ends with a final event or an
        // error. Kept as an error rather than a panic.
        Err(self.incomplete((StreamEnd::Closed, None)))
    }

    /// The conversation the response belongs to.
    pub fn conversation_id(&self) -> &str {
        &self.conversation_id
    }

    /// The response's id, once an event named it.
    pub fn response_id(&self) -> Option<&str> {
        self.response_id.as_deref()
    }

    /// The request id of the answer (its `x-trace-id` or `x-moveworks-root-uuid`).
    pub fn request_id(&self) -> Option<&str> {
        self.call.request_id.as_deref()
    }

    /// Events received so far (duplicates not counted).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The last response snapshot received (`CREATED` or `IN_PROGRESS`),
    /// decoded again from its event each time it is asked for.
    pub fn last_response(&self) -> Option<Response> {
        self.last_snapshot
            .as_deref()
            .and_then(|data| serde_json::from_str::<Snapshot>(data).ok())
            .map(|snapshot| snapshot.response)
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

    fn incomplete(&mut self, (end, source): Ended) -> Error {
        // The connection is closed at once, not when the stream is dropped.
        self.source.close();
        tracing::debug!(
            response_id = self.response_id.as_deref(),
            events = self.events,
            "response stream incomplete"
        );
        let context = StreamContext {
            conversation_id: self.conversation_id.clone(),
            response_id: self.response_id.clone(),
            events: self.events,
            last_response: self.last_response(),
            // Cloned, not taken: the stream still answers `text_so_far`
            // and `take_new_text` after its error. Once per stream, and
            // within the size limit.
            text: self.text.clone(),
        };
        Error::stream(end, context, self.call.clone(), source)
    }

    /// Turns one SSE block into an event: `Ok(None)` for blocks that are
    /// not events (metadata only, or out of order).
    fn decode(&mut self, block: Sse) -> Result<Option<StreamEvent>, Ended> {
        let Some((event, data)) = StreamEvent::decode(block)? else {
            return Ok(None);
        };
        if let Some(sequence) = event.sequence_number() {
            if self.last_sequence.is_some_and(|last| sequence <= last) {
                return Ok(None);
            }
            self.last_sequence = Some(sequence);
        }
        self.events += 1;
        self.absorb(&event)?;
        if event.is_snapshot() {
            self.last_snapshot = Some(data);
        }
        Ok(Some(event))
    }

    /// Updates what the stream knows from `event`.
    fn absorb(&mut self, event: &StreamEvent) -> Result<(), Ended> {
        if let Some(response) = event.response() {
            self.response_id = Some(response.response_id.clone());
        }
        match event {
            StreamEvent::Output(data) => match &data.output {
                OutputItem::Message { message, .. } => {
                    self.response_id
                        .get_or_insert_with(|| message.response_id.clone());
                    self.add_message(&message.message_id, message.content.text())?;
                }
                OutputItem::ReasoningMessage {
                    reasoning_message, ..
                } => {
                    let id = &reasoning_message.response_id;
                    self.response_id.get_or_insert_with(|| id.clone());
                }
                // Output kinds the spec adds later carry nothing known.
                _ => {}
            },
            StreamEvent::Completed(data) => {
                let text = data.response.text();
                if let Some(rest) = text.strip_prefix(self.text.as_str()) {
                    self.push_text(rest)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds to the answer's text, within the limit.
    fn push_text(&mut self, text: &str) -> Result<(), Ended> {
        if self.text.len() + text.len() > self.limit {
            return Err((StreamEnd::AnswerTooLarge(self.limit), None));
        }
        self.text.push_str(text);
        Ok(())
    }

    /// Adds a message's text to the answer: a new message after a blank
    /// line; a message seen before only when its text extends what it was.
    fn add_message(&mut self, id: &str, text: &str) -> Result<(), Ended> {
        if let Some((last_id, start)) = &self.last_message
            && last_id == id
        {
            let start = *start;
            if let Some(rest) = text.strip_prefix(&self.text[start..]) {
                // `rest` borrows `text`, not `self.text`.
                self.push_text(rest)?;
            }
            return Ok(());
        }
        let separator = if self.text.is_empty() { "" } else { "\n\n" };
        self.push_text(&format!("{separator}{text}"))?;
        self.last_message = Some((id.to_owned(), self.text.len() - text.len()));
        Ok(())
    }
}

/// The part of a snapshot event that `last_response` decodes.
#[derive(serde::Deserialize)]
struct Snapshot {
    response: Response,
}

impl Stream for ResponseStream {
    type Item = Result<StreamEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            let ended = match ready!(this.source.poll_block(cx)) {
                None => return Poll::Ready(None),
                Some(Err(ended)) => ended,
                Some(Ok(block)) => match this.decode(block) {
                    Ok(Some(event)) => {
                        if event.is_final() {
                            this.source.close();
                        }
                        return Poll::Ready(Some(Ok(event)));
                    }
                    Ok(None) => continue,
                    Err(ended) => ended,
                },
            };
            return Poll::Ready(Some(Err(this.incomplete(ended))));
        }
    }
}

impl fmt::Debug for ResponseStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseStream")
            .field("conversation_id", &self.conversation_id)
            .field("response_id", &self.response_id)
            .field("request_id", &self.call.request_id)
            .field("events", &self.events)
            .field("finished", &self.source.is_closed())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::time::Duration;

    use bytes::Bytes;
    use moveworks_testkit::sse;
    use proptest::prelude::*;

    use super::*;
    use crate::error::ErrorKind;

    /// A body delivered in these chunks, then ended.
    struct Chunks(VecDeque<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front().map(Ok))
        }
    }

    /// A stream of `chunks` whose events are held to `limit` (the text to
    /// [`LIMIT`], so that these tests see the event limit alone).
    fn stream_of(chunks: Vec<Vec<u8>>, limit: usize) -> ResponseStream {
        stream_limited(chunks, limit, LIMIT.max(limit))
    }

    fn stream_limited(chunks: Vec<Vec<u8>>, events: usize, text: usize) -> ResponseStream {
        let chunks = Chunks(chunks.into_iter().map(Bytes::from).collect());
        let source = EventSource::from_body(chunks, events, Duration::from_secs(60));
        let call = CallSummary {
            attempts: 1,
            ..CallSummary::default()
        };
        ResponseStream::new(source, text, "conv_1".to_owned(), call)
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
        #![proptest_config(ProptestConfig::with_cases(256))]

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
    fn text_exactly_at_the_limit_fits_and_a_byte_more_does_not() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        // One message growing to the limit, then past it.
        let growing = [
            sse::delta(1, &sse::message("msg_1", &"a".repeat(60))),
            sse::delta(2, &sse::message("msg_1", &"a".repeat(100))),
            sse::delta(3, &sse::message("msg_1", &"a".repeat(101))),
        ]
        .concat();
        // A second message that fills the limit with its separator, and one
        // that passes it by two bytes.
        let filling = [
            sse::delta(1, &sse::message("msg_1", &"a".repeat(90))),
            sse::delta(2, &sse::message("msg_2", &"b".repeat(8))),
        ]
        .concat();
        let passing = [
            sse::delta(1, &sse::message("msg_1", &"a".repeat(90))),
            sse::delta(2, &sse::message("msg_2", &"b".repeat(10))),
        ]
        .concat();
        runtime.block_on(async move {
            let too_large = |item: Option<Result<StreamEvent, Error>>| {
                matches!(item, Some(Err(e)) if e.kind() == ErrorKind::Stream && e.is_too_large()
                    && e.to_string().contains("the answer's text exceeds the 100-byte limit"))
            };
            let mut stream = stream_limited(vec![growing.into_bytes()], LIMIT, 100);
            stream.next_event().await.unwrap().unwrap();
            stream.next_event().await.unwrap().unwrap();
            assert_eq!(stream.text_so_far().len(), 100);
            assert!(too_large(stream.next_event().await));

            let mut stream = stream_limited(vec![filling.into_bytes()], LIMIT, 100);
            stream.next_event().await.unwrap().unwrap();
            stream.next_event().await.unwrap().unwrap();
            assert_eq!(stream.text_so_far().len(), 100);
            assert_eq!(stream.events(), 2);

            let mut stream = stream_limited(vec![passing.into_bytes()], LIMIT, 100);
            stream.next_event().await.unwrap().unwrap();
            assert!(too_large(stream.next_event().await));
            assert_eq!(stream.text_so_far().len(), 90);
        });
    }

    #[test]
    fn the_first_response_id_named_is_kept() {
        let other = sse::reasoning("rm_2", "more").replace("resp_1", "resp_other");
        let body = [
            sse::delta(1, &sse::reasoning("rm_1", "thinking")),
            sse::delta(2, &other),
        ]
        .concat();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mut stream = stream_limited(vec![body.into_bytes()], LIMIT, LIMIT);
            assert_eq!(stream.response_id(), None);
            stream.next_event().await.unwrap().unwrap();
            assert_eq!(stream.response_id(), Some("resp_1"));
            stream.next_event().await.unwrap().unwrap();
            assert_eq!(stream.response_id(), Some("resp_1"));
            assert_eq!(stream.events(), 2);
        });
    }

    #[test]
    fn the_answers_text_is_held_to_the_limit_and_the_last_snapshot_kept() {
        let body = [
            sse::snapshot("RESPONSE_IN_PROGRESS", 1, "IN_PROGRESS", &[]),
            sse::delta(2, &sse::message("msg_1", &"a".repeat(60))),
            sse::delta(3, &sse::message("msg_1", &"a".repeat(90))),
            sse::delta(4, &sse::message("msg_2", &"b".repeat(60))),
            sse::snapshot("RESPONSE_COMPLETED", 5, "COMPLETED", &[]),
        ]
        .concat();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async move {
            // 90 bytes of text fit in 100; a second message (2 + 60 more)
            // does not.
            let mut stream = stream_limited(vec![body.into_bytes()], LIMIT, 100);
            for _ in 0..3 {
                stream.next_event().await.unwrap().unwrap();
            }
            assert_eq!(stream.text_so_far().len(), 90);
            let snapshot = stream.last_response().unwrap();
            assert_eq!(snapshot.response_id, "resp_1");
            let error = stream.next_event().await.unwrap().unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Stream, "{error}");
            assert!(
                error
                    .to_string()
                    .contains("the answer's text exceeds the 100-byte limit"),
                "{error}"
            );
            assert_eq!(error.text_so_far().unwrap().len(), 90);
            assert_eq!(
                error.last_response().unwrap().status.as_str(),
                "IN_PROGRESS"
            );
            assert!(stream.next_event().await.is_none());
        });
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
            assert_eq!(error.kind(), ErrorKind::Stream);
            assert_eq!(error.text_so_far(), Some("Partial"));
            assert!(stream.next_event().await.is_none());
        });
    }

    #[test]
    fn response_streams_can_move_between_threads() {
        fn assert_send<T: Send + Unpin>() {}
        assert_send::<ResponseStream>();
    }
}
