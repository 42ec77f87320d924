//! Reading Server-Sent Events off a response body, within bounds: each
//! event held to a size limit, and the wait between events to an idle
//! timeout. Generic: what the events mean is the caller's business.
//!
//! Nothing runs in the background and nothing is read ahead of the
//! consumer; closing the source (or dropping it) closes the connection.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use sse_stream::{Sse, SseByteStream};
use tokio::time::{Instant, Sleep};

use crate::error::StreamEnd;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why the body ended, with the cause when there is one.
pub(crate) type Ended = (StreamEnd, Option<BoxError>);

/// A response body: chunks of bytes, or why the connection failed.
type ByteSource = BoxStream<'static, Result<Bytes, BoxError>>;

/// The SSE blocks of a body, one at a time.
pub(crate) struct EventSource {
    /// `None` once closed: the connection is released then.
    events: Option<SseByteStream<BoxStream<'static, Result<Bytes, BodyError>>>>,
    /// Bytes received since the parser last completed a block; shared with
    /// [`limited`], which fails the body once it passes the limit.
    since_event: Arc<AtomicUsize>,
    limit: usize,
    idle: Duration,
    /// Fires `idle` after `last_event`; moved only when it fires, so that
    /// a block costs a clock read instead of a timer update.
    idle_timer: Pin<Box<Sleep>>,
    last_event: Instant,
}

impl EventSource {
    /// Reads `body` (the generated client's byte stream), failing an event
    /// over `limit` bytes and a silence of `idle` between events.
    pub(crate) fn from_body<S, E>(body: S, limit: usize, idle: Duration) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
        E: Into<BoxError> + 'static,
    {
        let since_event = Arc::new(AtomicUsize::new(0));
        let bytes = limited(body.map_err(Into::into).boxed(), since_event.clone(), limit);
        let now = Instant::now();
        let idle_timer = tokio::time::sleep_until(crate::config::after_tokio(now, idle));
        Self {
            events: Some(SseByteStream::new(bytes)),
            since_event,
            limit,
            idle,
            idle_timer: Box::pin(idle_timer),
            last_event: now,
        }
    }

    /// Closes the connection at once, not when the source is dropped.
    pub(crate) fn close(&mut self) {
        self.events = None;
    }

    /// Whether the source was closed.
    pub(crate) fn is_closed(&self) -> bool {
        self.events.is_none()
    }

    /// The next block, or how the body failed (its end included, as
    /// [`StreamEnd::Closed`]); `None` once closed.
    pub(crate) fn poll_block(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Sse, Ended>>> {
        loop {
            let Some(events) = self.events.as_mut() else {
                return Poll::Ready(None);
            };
            let block = match Pin::new(events).poll_next(cx) {
                Poll::Ready(block) => block,
                Poll::Pending => {
                    ready!(self.idle_timer.as_mut().poll(cx));
                    let due = crate::config::after_tokio(self.last_event, self.idle);
                    if Instant::now() < due {
                        // Blocks arrived since the timer was set: move it.
                        self.idle_timer.as_mut().reset(due);
                        continue;
                    }
                    return Poll::Ready(Some(Err((StreamEnd::Idle(self.idle), None))));
                }
            };
            return Poll::Ready(Some(match block {
                Some(Ok(block)) => {
                    self.since_event.store(0, Ordering::Relaxed);
                    // Progress is an event or data; a block of only `id:`
                    // or `retry:` says the connection is alive, as a
                    // comment does, not that the response moves on.
                    if block.event.is_some() || block.data.is_some() {
                        self.last_event = Instant::now();
                    }
                    Ok(block)
                }
                Some(Err(sse_stream::Error::Body(source))) => Err(self.body_failure(source)),
                Some(Err(other)) => Err((StreamEnd::Malformed(None), Some(Box::new(other)))),
                None => Err((StreamEnd::Closed, None)),
            }));
        }
    }

    fn body_failure(&self, source: BoxError) -> Ended {
        match source.downcast::<BodyError>() {
            Ok(body) => match *body {
                BodyError::TooLarge => (StreamEnd::EventTooLarge(self.limit), None),
                BodyError::Cut(source) => (StreamEnd::Cut, Some(source)),
            },
            Err(source) => (StreamEnd::Cut, Some(source)),
        }
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
fn limited(
    bytes: ByteSource,
    since_event: Arc<AtomicUsize>,
    limit: usize,
) -> BoxStream<'static, Result<Bytes, BodyError>> {
    let read = move |(mut bytes, since_event): (ByteSource, Arc<AtomicUsize>)| async move {
        if since_event.load(Ordering::Relaxed) > limit {
            return Err(BodyError::TooLarge);
        }
        match bytes.next().await {
            Some(Ok(chunk)) => {
                since_event.fetch_add(chunk.len(), Ordering::Relaxed);
                Ok(Some((chunk, (bytes, since_event))))
            }
            Some(Err(source)) => Err(BodyError::Cut(source)),
            None => Ok(None),
        }
    };
    stream::try_unfold((bytes, since_event), read).boxed()
}
