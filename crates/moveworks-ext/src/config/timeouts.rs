//! The time limits of a call.

use std::time::Duration;

/// Time limits of a call.
///
/// Defaults: 5 s to connect, 30 s per attempt, 60 s in all across retries. A
/// retry never sleeps past the total deadline.
///
/// More limits may be added, so the struct cannot be built with a literal:
/// start from the default and set what differs, or use the `*_timeout`
/// methods of [`ClientBuilder`](crate::ClientBuilder).
///
/// ```
/// use std::time::Duration;
/// use moveworks_ext::Timeouts;
///
/// let mut timeouts = Timeouts::default();
/// timeouts.total = Duration::from_secs(20);
/// # let _ = timeouts;
/// ```
///
/// A struct literal does not compile:
///
/// ```compile_fail,E0639
/// use std::time::Duration;
/// let timeouts = moveworks_ext::Timeouts {
///     connect: Duration::from_secs(1),
///     attempt: Duration::from_secs(2),
///     total: Duration::from_secs(3),
/// };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Establishing a connection.
    pub connect: Duration,
    /// One attempt, from sending the request to the end of the response
    /// body (streaming responses are limited by `connect` and the idle
    /// timeout only).
    pub attempt: Duration,
    /// The whole call, retries and waits included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(60),
        }
    }
}
