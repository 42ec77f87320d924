//! Events: messages the system sends on its own (async responses,
//! proactive notifications), in one conversation or across all of them.

use moveworks_api::types::Event;

use crate::client::Client;
use crate::client::input::check_id;
use crate::flows::Paginator;

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
    pub(super) starting_after: Option<String>,
    pub(super) ending_at: Option<String>,
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
                            page.limit.map(i64::from),
                            query.starting_after.as_deref(),
                        )
                    })
                    .await?;
                Ok((answer.events, answer.metadata.next_cursor))
            }
        })
    }
}
