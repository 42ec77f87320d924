//! Events: messages the system sends on its own (async responses,
//! proactive notifications), in one conversation or across all of them,
//! listed, or followed as they come: `list-events` polled from a
//! checkpoint at a steady, rate-friendly pace.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use moveworks_api::types::Event;
use tokio::time::{Instant, Sleep};

use crate::client::Client;
use crate::client::input::check_id;
use crate::error::Error;
use crate::flows::{Items, MAX_PAGE_SIZE, Paginator};

/// The conversation id that stands for every conversation.
const ALL_CONVERSATIONS: &str = "-";

/// Which events [`Client::list_events`] lists, or [`Client::follow_events`]
/// follows.
///
/// ```
/// use moveworks_ext::EventQuery;
///
/// // Everything after the last event seen, across all conversations:
/// let catch_up = EventQuery::all_conversations().starting_after("evt_41");
/// let one = EventQuery::conversation("conv_1").ending_at("evt_99");
/// # let _ = (catch_up, one);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct EventQuery {
    conversation_id: String,
    starting_after: Option<String>,
    ending_at: Option<String>,
}

impl EventQuery {
    /// The events of one conversation.
    pub fn conversation(conversation_id: impl Into<String>) -> Self {
        Self {
            conversation_id: conversation_id.into(),
            starting_after: None,
            ending_at: None,
        }
    }

    /// The events of every conversation (the API's `-`), for catching up
    /// after a webhook, for instance.
    pub fn all_conversations() -> Self {
        Self::conversation(ALL_CONVERSATIONS)
    }

    /// Only events after this event id (exclusive), typically the last one
    /// seen.
    pub fn starting_after(mut self, event_id: impl Into<String>) -> Self {
        self.starting_after = Some(event_id.into());
        self
    }

    /// Only events up to this event id (inclusive).
    pub fn ending_at(mut self, event_id: impl Into<String>) -> Self {
        self.ending_at = Some(event_id.into());
        self
    }
}

impl Client {
    /// Events in chronological order (`list-events`), fetched page by page
    /// as the stream is read. Every page sends the same filters.
    pub fn list_events(&self, query: EventQuery) -> Paginator<Event> {
        let client = self.clone();
        Paginator::new("list-events", move |page| {
            let client = client.clone();
            let query = query.clone();
            async move {
                check_id("conversation_id", &query.conversation_id)?;
                let answer = client
                    .call(|api| {
                        api.list_events(
                            &query.conversation_id,
                            page.cursor.as_deref(),
                            query.ending_at.as_deref(),
                            page.limit,
                            query.starting_after.as_deref(),
                        )
                    })
                    .await?;
                Ok((answer.events, answer.metadata.next_cursor))
            }
        })
    }
}

/// How often [`Client::follow_events`] polls by default: every 6 s, the
/// pace of Moveworks' own demo application, since event polls share the
/// rate limit of list reads.
pub const DEFAULT_EVENT_POLL_INTERVAL: Duration = Duration::from_secs(6);

/// The shortest interval [`EventStream::every`] accepts.
pub const MIN_EVENT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// New events as they come; see [`Client::follow_events`].
///
/// A [`futures_core::Stream`] of `Result<Event, Error>` (or use
/// [`EventStream::next_event`]). It never ends on its own: an error ends
/// it, and dropping it stops the polling.
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct EventStream {
    client: Client,
    query: EventQuery,
    every: Duration,
    state: State,
    /// The id of the last event yielded (or, without a checkpoint, the
    /// newest at the first poll): the next poll starts after it.
    checkpoint: Option<String>,
    /// The first walk has no checkpoint: it only finds the newest event.
    skipping: bool,
    polls: u64,
}

#[derive(Debug)]
enum State {
    /// Not polled yet.
    Start,
    /// Waiting for the next poll.
    Waiting(Pin<Box<Sleep>>),
    /// A poll: the events after the checkpoint, and when it started.
    Polling(Items<Event>, Instant),
    /// Ended by an error.
    Done,
}

impl Client {
    /// Follows events (`list-events`, polled): yields each new event of
    /// one conversation or all of them, in order, as it comes, until
    /// dropped.
    ///
    /// - From a checkpoint: with [`EventQuery::starting_after`], the events
    ///   after that id. Without one, from the newest event at the first
    ///   poll: that poll walks to the end of the list and yields nothing
    ///   (no backfill; to read the past, use [`Client::list_events`]).
    /// - Every 6 s by default ([`DEFAULT_EVENT_POLL_INTERVAL`]: event polls
    ///   share the rate limit of list reads), from the start of one poll to
    ///   the start of the next; [`EventStream::every`] changes it, down to
    ///   1 s. The first poll is at once.
    /// - Each poll resumes after the last event yielded
    ///   ([`EventStream::checkpoint`]: keep it to resume after a restart),
    ///   walking every page that has new events.
    /// - Each page is an ordinary call: the client's retry policy retries
    ///   what it retries (a 429, a 503); any other error is yielded and
    ///   ends the stream.
    /// - Lazy: nothing is sent until the stream is polled, nothing is
    ///   spawned, and dropping it stops the polling.
    ///
    /// An [`EventQuery::ending_at`] is refused (a followed list has no
    /// end), and so is an interval under 1 s: the first item is then the
    /// error, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use futures_util::TryStreamExt;
    /// use moveworks_ext::{EventQuery, MessageExt};
    ///
    /// let mut events = client.follow_events(EventQuery::all_conversations());
    /// while let Some(event) = events.try_next().await? {
    ///     if let Some(message) = &event.event_payload.message {
    ///         println!("{}: {}", event.conversation_id, message.text());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn follow_events(&self, query: EventQuery) -> EventStream {
        EventStream {
            client: self.clone(),
            skipping: query.starting_after.is_none(),
            checkpoint: query.starting_after.clone(),
            query,
            every: DEFAULT_EVENT_POLL_INTERVAL,
            state: State::Start,
            polls: 0,
        }
    }
}

impl EventStream {
    /// Polls every `interval` instead of every 6 s; under 1 s
    /// ([`MIN_EVENT_POLL_INTERVAL`]) is refused when the stream is first
    /// polled, before anything is sent.
    pub fn every(mut self, interval: Duration) -> Self {
        self.every = interval;
        self
    }

    /// The id of the last event yielded (or, before any, the checkpoint
    /// the stream started from, or the newest event found by its first
    /// poll): the `starting_after` of the next poll, and where to resume
    /// after a restart.
    pub fn checkpoint(&self) -> Option<&str> {
        self.checkpoint.as_deref()
    }

    /// The polls started so far (a poll may fetch several pages).
    pub fn polls(&self) -> u64 {
        self.polls
    }

    /// The next event: `None` only after an error ended the stream.
    pub async fn next_event(&mut self) -> Option<Result<Event, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Why the stream cannot start, if it cannot.
    fn refused(&self) -> Option<Error> {
        if self.every < MIN_EVENT_POLL_INTERVAL {
            let reason = format!(
                "{:?} is under the minimum of 1 s (event polls share the rate limit of list reads)",
                self.every
            );
            return Some(Error::invalid_input("every", reason));
        }
        if self.query.ending_at.is_some() {
            return Some(Error::invalid_input(
                "ending_at",
                "following events has no end; use list_events for a range",
            ));
        }
        None
    }

    /// Starts a poll: the events after the checkpoint.
    fn poll_now(&mut self) -> State {
        self.polls += 1;
        let mut query = self.query.clone();
        query.starting_after = self.checkpoint.clone();
        let events = self.client.list_events(query).page_size(MAX_PAGE_SIZE);
        State::Polling(events.items(), Instant::now())
    }
}

impl Stream for EventStream {
    type Item = Result<Event, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Start => match this.refused() {
                    Some(error) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                    None => this.state = this.poll_now(),
                },
                State::Waiting(sleep) => {
                    ready!(sleep.as_mut().poll(cx));
                    this.state = this.poll_now();
                }
                State::Polling(events, started) => {
                    match ready!(events.poll_next_unpin(cx)) {
                        // The first poll only moves the checkpoint.
                        Some(Ok(event)) => {
                            this.checkpoint = Some(event.event_id.clone());
                            if !this.skipping {
                                return Poll::Ready(Some(Ok(event)));
                            }
                        }
                        Some(Err(error)) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(error)));
                        }
                        None => {
                            this.skipping = false;
                            let next = crate::config::after_tokio(*started, this.every);
                            this.state = State::Waiting(Box::pin(tokio::time::sleep_until(next)));
                        }
                    }
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}
