//! The production layer of the Moveworks SDK for Rust.
//!
//! [`moveworks_api`] is generated from the Conversations API spec; this crate
//! wraps it, without per-operation code, with what production use needs,
//! and adds what each operation needs to be pleasant: [`Client::ask`]
//! (create a response and wait for it), [`Client::wait_for_response`],
//! lists as lazy [`Paginator`] streams ([`Client::conversations`],
//! [`Client::messages`], [`Client::events`]), the answer's text and
//! citations ([`ResponseExt`], [`MessageExt`]) and rating
//! ([`Client::rate_message`]).
//!
//! - **No duplicates**: requests that create something (a conversation, a
//!   response) are retried only where they surely were not processed (a
//!   refused connection, a 429); see [`Error::may_have_been_processed`].
//! - **Auth**: every request carries `Authorization: Bearer <token>` (a
//!   sensitive header) and `Assistant-Name`. Tokens come from a static token,
//!   OAuth 2.0 client credentials (cached, refreshed ahead of expiry, fetched
//!   once however many requests need one, refreshed once on a 401), or your
//!   own [`TokenProvider`]. A token is only sent over https (or http to a
//!   loopback address); redirects are not followed.
//! - **Retries and timeouts**: connection errors, timeouts and 408, 429, 500,
//!   502, 503, 504 are retried twice with exponential backoff and jitter;
//!   `Retry-After` is honoured up to 60 s. 5 s to connect, 30 s per attempt,
//!   60 s in all. See [`RetryPolicy`] and [`Timeouts`].
//! - **Errors**: one [`Error`] with the status, API error code, message,
//!   request id (`x-moveworks-root-uuid`), `Retry-After` and attempt count,
//!   whatever the body was.
//! - **Safety**: ids that would change the request path (`""`, `.`, `..`,
//!   `a/b`) and over-long comments are refused before sending; response
//!   bodies over 8 MiB are refused instead of filling memory.
//! - **Streaming**: [`Client::stream_response`] gives the answer as typed
//!   Server-Sent Events, in order, with an idle timeout; a stream that ends
//!   early is an error that names the response, never a quiet end.
//! - **Observability**: a DEBUG-level `tracing` span `moveworks.request` per
//!   call, with operation, attempts, status, request id and elapsed time
//!   (enable with `moveworks_ext=debug`), and INFO events for retries and
//!   token refreshes; never a token or a body.
//!
//! # Example
//!
//! ```no_run
//! use moveworks_ext::{Client, Feedback, Rating};
//! use moveworks_ext::types::MessageFeedback;
//!
//! # async fn run(options: MessageFeedback) -> Result<(), moveworks_ext::Error> {
//! // MOVEWORKS_ASSISTANT_NAME plus MOVEWORKS_API_TOKEN, or
//! // MOVEWORKS_CLIENT_ID and MOVEWORKS_CLIENT_SECRET.
//! let client = Client::from_env()?;
//!
//! // `options` is the `feedback` object of an assistant message.
//! let feedback = Feedback::rate(&options, Rating::Helpful)?.comment("Clear and correct.");
//! match client.submit_feedback("conv_1", "resp_1", "msg_1", feedback).await {
//!     Ok(answer) => println!("feedback {}", answer.status),
//!     Err(error) if error.is_retryable() => eprintln!("try again later: {error}"),
//!     Err(error) => return Err(error),
//! }
//!
//! // Any operation of the generated client, with the same auth, retries and errors:
//! let body = moveworks_api::types::SubmitFeedbackRequest::new("cb");
//! client.call(|api| api.submit_feedback("conv_1", "resp_1", "msg_1", &body)).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Cargo features
//!
//! | feature | |
//! |---|---|
//! | `native-tls` (default) | the platform's TLS (OpenSSL on Linux: needs `libssl-dev` and `pkg-config` to build); quick to build |
//! | `rustls-aws-lc` | rustls with aws-lc-rs (reqwest's default; no system library, slow to build) |
//! | `rustls-ring` | rustls with ring, for this client only; turns on reqwest's `rustls-no-provider`, so other reqwest clients in the program need a provider of their own |
//! | `http2` | HTTP/2 over TLS |
//!
//! To use rustls: `moveworks-ext = { version = "0.1", default-features = false, features = ["rustls-aws-lc"] }`.

// On docs.rs, items that need a feature say which.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answer;
mod api_error_body;
mod auth;
mod call_error;
mod call_record;
mod client;
mod config;
mod conversations;
mod error;
mod events;
mod feedback;
mod ids;
mod messages;
mod middleware;
mod oauth;
mod operation_call;
pub mod pagination;
mod responses;
mod retry;
mod retry_after;
pub mod stream;
mod tls;
mod token_cache;
pub mod wait;

pub use answer::{ContentExt, MessageExt, ResponseExt, TextFormat};
pub use auth::{AccessToken, AuthError, AuthErrorKind, BoxFuture, StaticToken, TokenProvider};
pub use client::{
    CallMetadata, CallOptions, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, WithMetadata,
};
pub use config::{ConfigError, DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, Timeouts, env};
pub use conversations::ConversationUpdate;
pub use error::{ApiError, DecodeError, DecodeErrorKind, Error, ErrorCode};
pub use events::EventQuery;
pub use feedback::{Feedback, MAX_COMMENT_CHARS, Rating};
pub use ids::check_id;
pub use oauth::ClientCredentials;
pub use operation_call::{OperationAnswer, OperationCall};
pub use pagination::{Page, PaginationError, Paginator};
pub use responses::check_text;
pub use retry::RetryPolicy;
pub use stream::{
    DEFAULT_STREAM_IDLE_TIMEOUT, ResponseStream, StreamError, StreamErrorKind, StreamEvent,
};
pub use token_cache::{CachingTokenProvider, TokenSource};
pub use wait::WaitPolicy;

/// The generated client this crate wraps.
pub use moveworks_api;
/// The API's types (conversations, messages, responses, ...), generated
/// from the spec.
pub use moveworks_api::types;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;
