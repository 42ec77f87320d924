//! The API's resources, as calls on [`Client`](crate::Client): conversations
//! (and a handle that holds one open), responses (created, waited for,
//! streamed), messages, events (listed or followed) and feedback, with the
//! helpers that read an answer, its actions, and show it to people. The
//! top layer: imports every other.

mod actions;
mod answer;
mod conversation_handle;
mod conversations;
mod events;
mod feedback;
mod messages;
pub mod render;
mod response_stream;
mod responses;
mod stream_event;
mod user_input;

pub use actions::{ActionExt, ActionKind};
pub use answer::{ContentExt, MessageExt, ResponseExt, TextFormat};
pub use conversation_handle::ConversationHandle;
pub use conversations::{ConversationQuery, ConversationUpdate, NewConversation};
pub use events::{DEFAULT_EVENT_POLL_INTERVAL, EventQuery, EventStream, MIN_EVENT_POLL_INTERVAL};
pub use feedback::{Feedback, MAX_COMMENT_CHARS, MessageRef, Rating};
pub use response_stream::ResponseStream;
pub use stream_event::StreamEvent;
pub use user_input::Input;
