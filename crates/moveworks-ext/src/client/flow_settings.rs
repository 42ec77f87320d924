//! The client's settings for the flows built on calls.

use std::time::Duration;

use crate::config::WaitPolicy;

/// How the flows built on calls (waiting, streaming) behave: the client's,
/// not any one request's.
#[derive(Debug, Clone)]
pub(crate) struct FlowSettings {
    pub(crate) wait: WaitPolicy,
    /// The longest wait between two events of a response stream.
    pub(crate) stream_idle: Duration,
}
