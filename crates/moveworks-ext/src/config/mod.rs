//! Settings and their checks: defaults, environment variables, where the
//! API is (hosts and base paths), URLs a token may be sent to, header
//! values, time limits, the wait policy and the TLS backend. The lowest
//! layer: it imports no other.

mod backoff;
mod config_error;
mod defaults;
pub mod env;
mod far_future;
mod header_value;
mod location;
mod timeouts;
pub(crate) mod tls;
mod url;
mod wait_policy;

pub(crate) use backoff::Backoff;
pub use config_error::ConfigError;
pub(crate) use defaults::DEFAULT_RETRY_STATUSES;
pub use defaults::{
    DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TOKEN_URL,
};
pub(crate) use far_future::{after, after_tokio, capped};
pub(crate) use header_value::header_value;
pub(crate) use location::Location;
pub use location::{BasePath, Host};
pub use timeouts::Timeouts;
pub(crate) use url::secure_url;
pub use wait_policy::{LAST_POLL_TIME, WaitPolicy};
