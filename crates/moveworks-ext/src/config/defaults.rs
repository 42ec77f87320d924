//! The defaults a client starts from.

use std::time::Duration;

/// The API's base URL: the first server of the spec.
pub const DEFAULT_BASE_URL: &str = moveworks_api::DEFAULT_BASE_URL;

/// The OAuth 2.0 token endpoint of the Moveworks auth service.
pub const DEFAULT_TOKEN_URL: &str = "https://api.moveworks.ai/oauth/v1/token";

/// Responses larger than this (8 MiB) are refused by default.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// By default, a response stream with no event for this long (120 s, the
/// time the API docs allow a response to finish) ends with an error.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// The statuses retried by default: 408, 429 and the 5xx that say the
/// server or a proxy failed for now.
pub(crate) const DEFAULT_RETRY_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];
