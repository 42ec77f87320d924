//! The production layer of the Moveworks SDK for Rust.
//!
//! [`moveworks_api`] is generated from the Conversations API spec; this crate
//! wraps it, without per-operation code, with what production use needs,
//! and adds what each operation needs to be pleasant: a
//! [`ConversationHandle`] to talk in one conversation, [`Client::ask`]
//! (create a response and wait for it), [`Client::wait_for_response`],
//! streaming with [`Client::create_response_stream`], lists as lazy
//! [`Paginator`] streams, new events as they come
//! ([`Client::follow_events`]), the answer's text and citations
//! ([`ResponseExt`], [`MessageExt`]), its actions ([`ActionExt`]), all of
//! it shown readable ([`render`]), and rating ([`Client::submit_feedback`]).
//!
//! - **No duplicates**: requests that are not idempotent (create a
//!   conversation, a response; submit feedback, since the spec does not say
//!   a repeat is ignored) are retried only where they surely were not
//!   processed (a refused connection, a 429); see
//!   [`Error::may_have_been_processed`]. [`Error::is_retryable`] is false
//!   whenever the request may have been processed, so retrying on it never
//!   asks twice. [`CallOptions::idempotent`] overrides the default per call.
//! - **Auth**: every request carries `Authorization: Bearer <token>` (a
//!   sensitive header) and `Assistant-Name`. Tokens come from a static token,
//!   OAuth 2.0 client credentials (cached, refreshed ahead of expiry, fetched
//!   once however many requests need one, refreshed once on a 401), or your
//!   own [`TokenProvider`](auth::TokenProvider); or per user, each request
//!   with its own user's bearer, on one client ([`Client::for_user`]; see
//!   [one client, many users](Client#one-client-many-users)). A token is only sent over https (or http to a
//!   loopback address); redirects are not followed.
//! - **Retries and timeouts**: connection errors, timeouts and 408, 429, 500,
//!   502, 503, 504 are retried twice with exponential backoff and jitter;
//!   `Retry-After` is honoured up to 60 s; retries draw from a
//!   [`RetryBudget`] shared by the client and its clones, so an outage does
//!   not triple the load. 5 s to connect, 30 s per attempt, 60 s in all,
//!   and the total covers every wait of a call (the token, connecting, the
//!   headers, the body, the backoff, a stream's headers) whatever HTTP
//!   client you pass; a deadline names the [`CallStep`] it cut. See
//!   [`RetryPolicy`] and [`Timeouts`].
//! - **Errors**: one [`Error`]: what callers branch on is its
//!   [`ErrorKind`] and its predicates; it keeps the status, API error code,
//!   message, request id (`x-trace-id` or `x-moveworks-root-uuid`),
//!   `Retry-After` and attempt count, whatever the body was; its causes are
//!   its `source()`. See [the error model](error).
//! - **Where**: `https://api.moveworks.ai/rest/v1` by default
//!   ([`defaults::DEFAULT_BASE_URL`] says why); [`Host`] and [`BasePath`] name
//!   Moveworks' hosts and the API's three base paths
//!   ([`ClientBuilder::host`], [`ClientBuilder::base_path`]), and the OAuth
//!   token endpoint follows the host.
//! - **Safety**: ids that would change the request path (`""`, `.`, `..`,
//!   `a/b`) and over-long comments are refused before sending; response
//!   bodies over 8 MiB are refused instead of filling memory.
//! - **Streaming**: [`Client::create_response_stream`] gives the answer as
//!   typed Server-Sent Events, in order, with an idle timeout; a stream that
//!   ends early is an error that names the response, never a quiet end.
//! - **Interactive answers**: a message's actions (buttons, links, forms,
//!   and kinds this crate does not know, with their JSON) read through
//!   [`ActionExt`]; a button is pressed by sending its [`Input`] through
//!   the same calls as text ([`Client::ask`], [`Client::create_response`],
//!   [`Client::create_response_stream`]), under the same no-duplicate
//!   rules.
//! - **Observability**: a DEBUG-level `tracing` span `moveworks.request` per
//!   call, with operation, attempts, status, request id and elapsed time
//!   (enable with `moveworks_ext=debug`), a DEBUG `moveworks.token` span per
//!   token fetch, INFO events for retries and WARN when a token refresh
//!   fails; never a token or a body.
//!
//! # Example
//!
//! ```no_run
//! use moveworks_ext::{Client, Feedback, NewConversation, Rating, ResponseExt};
//!
//! # async fn run() -> Result<(), moveworks_ext::Error> {
//! // MOVEWORKS_ASSISTANT_NAME plus MOVEWORKS_API_TOKEN, or
//! // MOVEWORKS_CLIENT_ID and MOVEWORKS_CLIENT_SECRET.
//! let client = Client::from_env()?;
//!
//! let conversation = client.start_conversation(NewConversation::new()).await?;
//! let answer = conversation.ask("How do I reset my password?").await?;
//! println!("{}", answer.text());
//! if let Some(message) = answer.messages().last() {
//!     let feedback = Feedback::for_message(message, Rating::Helpful)?.comment("Clear and correct.");
//!     match conversation.submit_feedback(feedback).await {
//!         Ok(answer) => println!("feedback {}", answer.status),
//!         Err(error) if error.is_retryable() => eprintln!("try again later: {error}"),
//!         Err(error) => return Err(error),
//!     }
//! }
//!
//! // Any operation of the generated client, with the same auth, retries and errors:
//! let body = moveworks_api::types::SubmitFeedbackRequest::new("cb");
//! client.call(|api| api.submit_feedback("conv_1", "resp_1", "msg_1", &body)).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Names
//!
//! A method that performs one operation of the spec is named after its
//! `operationId` in snake case, as the generated client names it
//! (`get_conversation`, `list_conversations`, `create_response`,
//! `create_response_stream`, `list_response_messages`, `submit_feedback`,
//! ...). A method that combines operations has a verb that says what it
//! does ([`Client::ask`], [`Client::wait_for_response`],
//! [`Client::start_conversation`]). Every list is a [`Paginator`].
//! Requests that may grow take a value ([`NewConversation`],
//! [`ConversationUpdate`], [`ConversationQuery`], [`EventQuery`],
//! [`Feedback`], [`Input`]), not positional arguments; path ids are
//! positional, in the order of the API's paths. Builder-style setters are
//! named after what they set (`timeout`, `total_timeout`, `max_retries`),
//! never `with_`; a `with_` method makes a new value from this one
//! ([`Client::with_options`]).
//!
//! # Creating a response
//!
//! The way to send the user's message is [`Client::create_response`] (the
//! `create-response` operation): it returns at once. [`Client::ask`] is it
//! followed by [`Client::wait_for_response`], for callers that want the
//! finished answer; [`Client::create_response_stream`] is the operation
//! that streams the answer as it is written. The [`ConversationHandle`]
//! has the same three without the conversation id. Each is sent at most
//! once unless it surely was not processed.
//!
//! # Which calls may be sent twice
//!
//! A call that may be sent twice with the effect of once is retried after a
//! timeout, a cut connection or a 5xx; one that may not is retried only
//! where it surely was not processed. The default follows the method
//! (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` may; `POST`, `PATCH` may not),
//! except where the operation says otherwise:
//!
//! | operation | may be sent twice | why |
//! |---|---|---|
//! | `update-conversation` (`PATCH`) | yes | it sets the title and the archived flag to the values sent |
//! | `submit-feedback` (`POST`) | no | the spec does not say that submitting the same callback id again is ignored: a second request could record the rating and its comment twice |
//!
//! [`CallOptions::idempotent`] says otherwise for the calls of one
//! [`Client::with_options`].
//!
//! # Public dependencies
//!
//! These crates' types appear in this crate's public API on purpose, so a
//! breaking release of one of them is a breaking release of this crate:
//!
//! | crate | where | why |
//! |---|---|---|
//! | [`moveworks_api`] | [`types`], [`Client::call`] | the generated client and its types are the API; a call is its [`moveworks_api::Call`] |
//! | `http` (1.x) | `StatusCode`, `HeaderMap` | statuses and headers, as every Rust HTTP crate shares them |
//! | `serde_json` (1.x) | [`ActionKind::Unknown`] | what the spec does not name is kept as JSON |
//! | `reqwest` | [`ClientBuilder::http_client`] | to bring your own HTTP client (proxies, custom TLS) |
//! | `futures-core` | [`Pages`], [`Items`], [`ResponseStream`], [`EventStream`] implement `Stream` | the standard async stream trait |
//!
//! No error type of a pre-1.0 dependency (reqwest, hyper, sse-stream) is
//! in a public signature or field: it is the [`source`](std::error::Error::source)
//! of an [`Error`], and what callers branch on is [`Error::kind`] and its
//! predicates ([`Error::is_connection`], [`Error::is_timeout`], ...).
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
//!
//! # Layout
//!
//! The modules are layers, each importing only the ones before it:
//! `config`, `auth`, `error`, `transport` (a call's attempts, on the
//! generated [`moveworks_api::Call`]), `client`, `flows` (pagination,
//! polling, SSE reading: generic, no `impl Client`), `resources` (the API's
//! calls). What most callers use is at the crate root; token sources are in
//! [`auth`], limits and defaults in [`defaults`].

// On docs.rs, items that need a feature say which.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Every function reads at once: at most 60 lines (clippy.toml).
#![warn(clippy::too_many_lines)]

pub mod auth;
mod client;
mod config;
pub mod error;
mod flows;
mod resources;
mod transport;

pub use client::{CallMetadata, CallOptions, Client, ClientBuilder, WithMetadata, input};
pub use config::{BasePath, ConfigError, Host, Timeouts, WaitPolicy, env};
pub use error::{CallStep, Error, ErrorCode, ErrorKind};
pub use flows::{Items, Page, Pages, Paginator};
pub use resources::{
    ActionExt, ActionKind, ContentExt, ConversationHandle, ConversationQuery, ConversationUpdate,
    EventQuery, EventStream, Feedback, Input, MessageExt, MessageRef, NewConversation, Rating,
    ResponseExt, ResponseStream, StreamEvent, TextFormat, render,
};
pub use transport::{RetryBudget, RetryPolicy};

/// The defaults and limits the client applies, each with why.
pub mod defaults {
    pub use crate::config::{
        DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_STREAM_IDLE_TIMEOUT,
        DEFAULT_TOKEN_URL, LAST_POLL_TIME,
    };
    pub use crate::flows::{DEFAULT_MAX_PAGES, MAX_PAGE_SIZE};
    pub use crate::resources::{
        DEFAULT_EVENT_POLL_INTERVAL, MAX_COMMENT_CHARS, MIN_EVENT_POLL_INTERVAL,
    };
}

/// The generated client this crate wraps.
pub use moveworks_api;
/// The API's types (conversations, messages, responses, ...), generated
/// from the spec.
pub use moveworks_api::types;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;
