//! `events`: across all conversations or one, by event id or by time, or
//! followed as they come (`--follow`).
//!
//! The API filters by event id (`starting_after`, `ending_at`). A `--since`
//! or `--until` that is an RFC 3339 time filters on the message's time
//! instead, on this side; events come in chronological order, so the walk
//! stops at the first event after `--until`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use moveworks_ext::defaults::DEFAULT_EVENT_POLL_INTERVAL;
use moveworks_ext::render::ActionLabels;
use moveworks_ext::types::Event;
use moveworks_ext::{Client, EventQuery};

use super::{messages, page_size};
use crate::failure::Failure;
use crate::output::Output;

/// The events asked for.
pub struct Query {
    pub conversation: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<usize>,
}

enum Bound {
    Event(String),
    Time(DateTime<Utc>),
}

fn bound(value: Option<String>) -> Option<Bound> {
    value.map(|value| match DateTime::parse_from_rfc3339(&value) {
        Ok(time) => Bound::Time(time.with_timezone(&Utc)),
        Err(_) => Bound::Event(value),
    })
}

fn of(conversation: Option<String>) -> EventQuery {
    match conversation {
        Some(id) => EventQuery::conversation(id),
        None => EventQuery::all_conversations(),
    }
}

pub async fn run(client: &Client, out: &Output, query: Query) -> Result<(), Failure> {
    let Query {
        conversation,
        since,
        until,
        limit,
    } = query;
    let mut query = of(conversation);
    let (mut after, mut before) = (None, None);
    match bound(since) {
        Some(Bound::Event(id)) => query = query.starting_after(id),
        Some(Bound::Time(time)) => after = Some(time),
        None => {}
    }
    match bound(until) {
        Some(Bound::Event(id)) => query = query.ending_at(id),
        Some(Bound::Time(time)) => before = Some(time),
        None => {}
    }
    // Time filters may skip many events: fetch full pages then.
    let size = if after.is_some() {
        100
    } else {
        page_size(limit)
    };
    let mut events = client.list_events(query).page_size(size).items();
    let mut labels = ActionLabels::new();
    let mut printed = 0;
    while limit.is_none_or(|limit| printed < limit) {
        let Some(event) = events.try_next().await? else {
            break;
        };
        let time = event.event_payload.message.as_ref().map(|m| m.created_at);
        if let (Some(time), Some(before)) = (time, before)
            && time > before
        {
            break;
        }
        if let (Some(time), Some(after)) = (time, after)
            && time < after
        {
            continue;
        }
        out.one(&event, || summary(&event, &mut labels))?;
        printed += 1;
    }
    Ok(())
}

/// Prints new events as they come, until Ctrl-C or `--limit`: from the
/// newest event now, or after the event id of `--since`.
pub async fn follow(
    client: &Client,
    out: &Output,
    query: Query,
    every: Option<Duration>,
) -> Result<(), Failure> {
    let mut followed = of(query.conversation);
    match bound(query.since) {
        Some(Bound::Event(id)) => followed = followed.starting_after(id),
        Some(Bound::Time(_)) => {
            return Err(Failure::Usage(
                "--follow resumes after an event id; a --since time lists past events: \
                 use it without --follow"
                    .into(),
            ));
        }
        None => {}
    }
    let mut events = client
        .follow_events(followed)
        .every(every.unwrap_or(DEFAULT_EVENT_POLL_INTERVAL));
    let mut labels = ActionLabels::new();
    let mut printed = 0;
    while query.limit.is_none_or(|limit| printed < limit) {
        let Some(event) = events.try_next().await? else {
            break;
        };
        out.one(&event, || summary(&event, &mut labels))?;
        printed += 1;
    }
    Ok(())
}

/// An event, its message read as people read it; the labels of the buttons
/// it offers are learned for the presses that follow.
fn summary(event: &Event, labels: &mut ActionLabels) -> String {
    match &event.event_payload.message {
        Some(message) => {
            let text = format!(
                "{} {} conversation {}\n  {}",
                event.event_id,
                message.created_at.format("%Y-%m-%d %H:%M:%S"),
                event.conversation_id,
                messages::body(message, labels)
            );
            labels.learn(message);
            text
        }
        None => format!(
            "{} {} conversation {}",
            event.event_id,
            event.event_payload.type_.as_str(),
            event.conversation_id
        ),
    }
}
