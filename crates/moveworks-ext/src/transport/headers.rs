//! The header names the transport sets and reads. `HeaderName`s, not
//! `&str`s: looking a header up by `&str` parses the name on every call.

use http::HeaderName;

/// The header Moveworks uses to name the assistant.
pub(crate) const ASSISTANT_NAME: HeaderName = HeaderName::from_static("assistant-name");

/// The response header Moveworks documents for tracing a request.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-moveworks-root-uuid");
