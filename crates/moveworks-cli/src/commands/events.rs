//! `events`: across all conversations or one, by event id or by time.
//!
//! The API filters by event id (`starting_after`, `ending_at`). A `--since`
//! or `--until` that is an RFC 3339 time filters on the message's time
//! instead, on this side; events come in chronological order, so the walk
//! stops at the first event after `--until`.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use moveworks_ext::types::Event;
use moveworks_ext::{Client, EventQuery, MessageExt};

use super::page_size;
use crate::failure::Failure;
use crate::output::Output;

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

pub async fn run(
    client: &Client,
    out: &Output,
    conversation: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<usize>,
) -> Result<(), Failure> {
    let mut query = match conversation {
        Some(id) => EventQuery::conversation(id),
        None => EventQuery::all_conversations(),
    };
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
        out.one(&event, || summary(&event))?;
        printed += 1;
    }
    Ok(())
}

fn summary(event: &Event) -> String {
    match &event.event_payload.message {
        Some(message) => format!(
            "{} {} conversation {}\n  {}",
            event.event_id,
            message.created_at.format("%Y-%m-%d %H:%M:%S"),
            event.conversation_id,
            message.text().replace('\n', "\n  ")
        ),
        None => format!(
            "{} {} conversation {}",
            event.event_id,
            event.event_payload.type_.as_str(),
            event.conversation_id
        ),
    }
}
