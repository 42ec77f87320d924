//! Loopback HTTP servers for the SDK's tests and benchmarks.
//!
//! - [`ScriptedServer`]: answers each request with the next step of a
//!   script (a response, or a fault: reset, close mid-body, stall,
//!   trickle) and records what it received; [`ClosedPort`] holds a port
//!   that refuses connections until a scripted server opens on it.
//! - [`LoadServer`]: a keep-alive hyper server answering the spec's 200
//!   body, optionally failing a fixed share of requests, with counters.
//! - [`IdentityServer`]: models per-user identity (tokens
//!   `tok.<user>.<n>`, requests naming their user), counts requests sent
//!   with another user's token, and revokes tokens it answers 401.
//! - [`mock_api::MockApi`]: the whole Conversations API mocked with the
//!   generated typed httpmock helpers, answering the example bodies of
//!   [`mock_api::examples`].
//! - [`StreamFront`]: serves the mock's stream operation in small chunks
//!   split mid-line, with pauses, as a real stream arrives.
//! - [`sse`]: response-stream bodies (Server-Sent Events) like the API's.
//! - [`resources`]: resident memory and open file descriptors of this
//!   process.

pub mod identity_server;
mod load_server;
pub mod mock_api;
mod own_thread;
mod page_server;
pub mod resources;
mod scripted;
pub mod sse;
mod stream_front;

pub use identity_server::IdentityServer;
pub use load_server::{Counts, Failures, LoadServer};
pub use mock_api::MockApi;
pub use page_server::PageServer;
pub use scripted::{
    ClosedPort, FEEDBACK_PATH, Received, SUBMITTED, ScriptedServer, SseEnd, Step, error_body,
};
pub use stream_front::{StreamFront, StreamPlan};
