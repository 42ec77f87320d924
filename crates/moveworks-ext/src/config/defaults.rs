//! The defaults a client starts from.

use std::time::Duration;

/// The API's base URL: `/rest/v1` on [`Host::Us`](crate::Host::Us).
///
/// Chosen from what Moveworks publishes, not from the `servers` of the
/// spec the client is generated from: the newest reference pages and
/// Moveworks' demo application use `/rest/v1`, `/assistant/v1` is listed as
/// deprecated, and the beta (`/rest/v1beta1`) is the lifecycle page's
/// example of the deprecated stage. See [`BasePath`](crate::BasePath) and
/// [`Host`](crate::Host) for the others.
pub const DEFAULT_BASE_URL: &str = "https://api.moveworks.ai/rest/v1";

/// The OAuth 2.0 token endpoint of the Moveworks auth service on the
/// default host; choosing another host points it there
/// ([`Host::token_url`](crate::Host::token_url)).
pub const DEFAULT_TOKEN_URL: &str = "https://api.moveworks.ai/oauth/v1/token";

/// Responses larger than this (8 MiB) are refused by default.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// By default, a response stream with no event for this long (120 s, the
/// time the API docs allow a response to finish) ends with an error.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// The statuses retried by default: 408, 429 and the 5xx that say the
/// server or a proxy failed for now.
pub(crate) const DEFAULT_RETRY_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];
