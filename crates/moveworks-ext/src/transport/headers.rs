//! The header names the transport sets and reads. `HeaderName`s, not
//! `&str`s: looking a header up by `&str` parses the name on every call.

use http::{HeaderMap, HeaderName, HeaderValue};

/// The header Moveworks uses to name the assistant.
pub(crate) const ASSISTANT_NAME: HeaderName = HeaderName::from_static("assistant-name");

/// The response header that traces a request under `/rest/v1`.
const TRACE_ID: HeaderName = HeaderName::from_static("x-trace-id");

/// The response header that traces a request under the beta and
/// `/assistant/v1`.
const ROOT_UUID: HeaderName = HeaderName::from_static("x-moveworks-root-uuid");

/// The request id of an answer: its `x-trace-id` or its
/// `x-moveworks-root-uuid`, whichever it has (one base path sends one, the
/// others the other; the first if both).
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&HeaderValue> {
    headers.get(TRACE_ID).or_else(|| headers.get(ROOT_UUID))
}
