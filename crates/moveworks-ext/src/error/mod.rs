//! The one error of the crate.
//!
//! # The error model
//!
//! Every failed call is one [`Error`], as in google-cloud-rust's gax: an
//! opaque value whose parts are read through methods.
//!
//! - **What happened** is [`Error::kind`], an [`ErrorKind`] callers branch
//!   on: the API answered with an error, the connection failed, a deadline
//!   passed, the body was not the documented one, the configuration or the
//!   credential was wrong, an argument was refused before sending, the
//!   assistant failed, a wait ran out, a list walk or a stream ended early.
//! - **How the call went** is held once, whatever the kind: the answer's
//!   status, the request id, `Retry-After`, the attempts made, whether the
//!   request may have been processed, whether the retry budget stopped the
//!   retries. [`Error::is_retryable`] is derived from them.
//! - **The details** of a kind are methods that answer `None` for the
//!   other kinds: the API error [`code`](Error::code) and
//!   [`message`](Error::message), the [`step`](Error::step) a deadline cut,
//!   the [`response`](Error::response) that failed, the text a stream had
//!   delivered, the cursor to resume a list from.
//! - **The causes** are [`source`](std::error::Error::source): the HTTP
//!   client's error, the JSON error, the [`AuthError`](crate::auth::AuthError) or
//!   [`ConfigError`](crate::ConfigError), the last poll's error of a wait.
//!   No type of a pre-1.0 dependency is in a public signature.
//!
//! The public error types are [`Error`], [`ErrorKind`], [`ErrorCode`] and
//! [`CallStep`] here, and the two the lower layers raise on their own:
//! [`ConfigError`](crate::ConfigError) (a client that cannot be built) and
//! [`AuthError`](crate::auth::AuthError) with its
//! [`AuthErrorKind`](crate::auth::AuthErrorKind) (what a
//! [`TokenProvider`](crate::auth::TokenProvider) returns).
//!
//! Imports only the `config` and `auth` layers.

mod call_error;
mod display;
mod error_code;
mod kind;

pub use call_error::Error;
pub use error_code::ErrorCode;
pub use kind::{CallStep, ErrorKind};

pub(crate) use call_error::{CallSummary, StreamContext, StreamEnd, is_transient};
