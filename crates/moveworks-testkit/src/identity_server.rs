//! A keep-alive loopback server that models per-user identity, for tests of
//! one client acting for many users: it checks that every request carries
//! the token of the user it is for.
//!
//! - A token is `tok.<user>.<n>` ([`token`]); its user is the part between
//!   the first and the last dot. The server issues nothing: the test's
//!   token provider makes tokens of this shape.
//! - A request names the user it is for by its conversation id
//!   `conv-<user>` ([`conversation_id`]) in the path, or, for
//!   create-conversation, by the body's `title`. User names are kept to
//!   letters, digits, `_` and `-` so that they travel unescaped.
//! - Per request the server records the bearer, the bearer's user and the
//!   user the request is for ([`Seen`]); a request whose two users differ is
//!   a mismatch (counted, answered 403).
//! - Faults, decided by a seeded hash of the request's arrival number (the
//!   same run of arrivals gets the same faults): a share of requests is
//!   answered 401 and their token *revoked*, so that every later request
//!   with it is answered 401 too; another share is answered 503. A token of
//!   another shape, or none, is answered 401.
//! - Otherwise each operation gets a valid answer: a conversation (whose
//!   `title` is the bearer's user, so the caller can check whose token was
//!   used from the answer too), empty lists but for events (one: the one
//!   after `starting_after`, ids `evt-<n>`), a response (202 `CREATED` from
//!   create-response, `COMPLETED` from get-response, streamed to
//!   `COMPLETED` by the stream operation), or the `SUBMITTED` feedback
//!   answer.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{Value, json};

use crate::mock_api::examples;
use crate::own_thread;
use crate::scripted::{SUBMITTED, error_body};

const JSON: &str = "application/json";

/// The token of `user` numbered `n`: `tok.<user>.<n>`.
pub fn token(user: &str, n: impl std::fmt::Display) -> String {
    format!("tok.{user}.{n}")
}

/// The user a token of the shape `tok.<user>.<n>` belongs to.
pub fn token_user(token: &str) -> Option<&str> {
    let (user, _) = token.strip_prefix("tok.")?.rsplit_once('.')?;
    (!user.is_empty()).then_some(user)
}

/// The conversation id that names `user`: `conv-<user>`.
pub fn conversation_id(user: &str) -> String {
    format!("conv-{user}")
}

/// Which shares of requests fail, decided by a hash of `seed` and each
/// request's arrival number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Share answered 401, their token then revoked (0.0 to 1.0).
    pub unauthorized: f64,
    /// Share answered 503 (0.0 to 1.0).
    pub unavailable: f64,
    pub seed: u64,
}

impl Faults {
    /// No injected faults (revoked tokens are still answered 401).
    pub fn none() -> Self {
        Self {
            unauthorized: 0.0,
            unavailable: 0.0,
            seed: 0,
        }
    }

    /// `unauthorized` and `unavailable` shares, drawn from `seed`.
    pub fn new(unauthorized: f64, unavailable: f64, seed: u64) -> Self {
        Self {
            unauthorized,
            unavailable,
            seed,
        }
    }
}

/// One request, as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// The bearer token sent, if any.
    pub token: Option<String>,
    /// The user the token belongs to.
    pub token_user: Option<String>,
    /// The user the request is for (from its conversation id or body).
    pub for_user: Option<String>,
    /// The status answered.
    pub status: u16,
}

/// What the server counted for one user (the request's user, or the
/// token's when the request names none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserCounts {
    pub requests: u64,
    /// Injected 401s: tokens of this user the server revoked.
    pub revocations: u64,
    /// 401s for a token revoked earlier.
    pub revoked_answers: u64,
    /// 503s.
    pub unavailable: u64,
}

#[derive(Default)]
struct Log {
    seen: Vec<Seen>,
    revoked: HashSet<String>,
    users: HashMap<String, UserCounts>,
}

struct State {
    faults: Mutex<Faults>,
    arrivals: AtomicU64,
    mismatches: AtomicU64,
    log: Mutex<Log>,
}

impl State {
    fn log(&self) -> MutexGuard<'_, Log> {
        // A panicking test thread must not hide the records from the others.
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The server; it runs on a thread of its own until the process ends.
pub struct IdentityServer {
    pub base_url: String,
    state: Arc<State>,
}

impl IdentityServer {
    /// Starts the server with `faults`.
    pub fn start(faults: Faults) -> IdentityServer {
        let state = Arc::new(State {
            faults: Mutex::new(faults),
            arrivals: AtomicU64::new(0),
            mismatches: AtomicU64::new(0),
            log: Mutex::new(Log::default()),
        });
        let base_url = own_thread::serve(state.clone(), answer);
        IdentityServer { base_url, state }
    }

    /// Changes the faults of the requests that arrive from now on.
    pub fn set_faults(&self, faults: Faults) {
        *self
            .state
            .faults
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = faults;
    }

    /// Requests whose token belongs to another user than the request.
    pub fn mismatches(&self) -> u64 {
        self.state.mismatches.load(Ordering::SeqCst)
    }

    /// Every request received, in order of arrival.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.log().seen.clone()
    }

    /// How many requests arrived.
    pub fn requests(&self) -> usize {
        self.state.log().seen.len()
    }

    /// The counts of `user` (zero if the server never heard of it).
    pub fn user(&self, user: &str) -> UserCounts {
        self.state
            .log()
            .users
            .get(user)
            .copied()
            .unwrap_or_default()
    }

    /// The counts of every user heard of.
    pub fn users(&self) -> HashMap<String, UserCounts> {
        self.state.log().users.clone()
    }

    /// Whether the server revoked `token`.
    pub fn is_revoked(&self, token: &str) -> bool {
        self.state.log().revoked.contains(token)
    }
}

/// What the server decided about one request before answering it.
enum Verdict {
    Unauthorized(&'static str),
    /// The token was revoked earlier.
    Revoked,
    /// The token is revoked now.
    Revoke,
    Forbidden,
    Unavailable,
    Answer,
}

async fn answer(
    request: Request<Incoming>,
    state: Arc<State>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let arrival = state.arrivals.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let method = parts.method.clone();
    let path = parts.uri.path().to_owned();
    let token = parts
        .headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned);
    let bearer_user = token.as_deref().and_then(token_user).map(str::to_owned);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let for_user = request_user(&method, &segments, &body);

    let faults = *state
        .faults
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let draw = unit(faults.seed, arrival);
    let verdict = {
        let mut log = state.log();
        let key = for_user.clone().or_else(|| bearer_user.clone());
        let verdict = match (&token, &bearer_user) {
            (None, _) => Verdict::Unauthorized("no bearer token"),
            (Some(_), None) => Verdict::Unauthorized("not a token of this server"),
            _ if for_user.is_some() && for_user != bearer_user => Verdict::Forbidden,
            (Some(token), _) if log.revoked.contains(token) => Verdict::Revoked,
            (Some(token), Some(user)) if draw < faults.unauthorized => {
                log.revoked.insert(token.clone());
                log.users.entry(user.clone()).or_default().revocations += 1;
                Verdict::Revoke
            }
            _ if draw < faults.unauthorized + faults.unavailable => Verdict::Unavailable,
            _ => Verdict::Answer,
        };
        if matches!(verdict, Verdict::Forbidden) {
            state.mismatches.fetch_add(1, Ordering::SeqCst);
        }
        if let Some(key) = key {
            let counts = log.users.entry(key).or_default();
            counts.requests += 1;
            match verdict {
                Verdict::Unavailable => counts.unavailable += 1,
                Verdict::Revoked => counts.revoked_answers += 1,
                _ => {}
            }
        }
        verdict
    };

    let (status, content_type, body) = match verdict {
        Verdict::Unauthorized(why) => (401, JSON, error_body("UNAUTHORIZED", why)),
        Verdict::Revoked | Verdict::Revoke => (
            401,
            JSON,
            error_body("UNAUTHORIZED", "the token was revoked"),
        ),
        Verdict::Forbidden => (
            403,
            JSON,
            error_body("FORBIDDEN", "the token belongs to another user"),
        ),
        Verdict::Unavailable => (503, JSON, error_body("UNAVAILABLE", "try again")),
        Verdict::Answer => operation(
            &method,
            &segments,
            parts.uri.query().unwrap_or_default(),
            bearer_user.as_deref().unwrap_or(""),
        ),
    };
    state.log().seen.push(Seen {
        method: method.to_string(),
        path,
        token,
        token_user: bearer_user,
        for_user,
        status,
    });
    let response = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response");
    Ok(response)
}

/// The user a request is for: `conv-<user>` in the path, or the title of a
/// conversation to create.
fn request_user(method: &Method, segments: &[&str], body: &[u8]) -> Option<String> {
    match segments {
        ["conversations", id, ..] => id.strip_prefix("conv-").map(str::to_owned),
        ["conversations"] if method == Method::POST => serde_json::from_slice::<Value>(body)
            .ok()?
            .get("title")?
            .as_str()
            .map(str::to_owned),
        _ => None,
    }
}

/// The answer of an operation, for a caller holding `user`'s token: its
/// status, content type and body.
fn operation(
    method: &Method,
    segments: &[&str],
    query: &str,
    user: &str,
) -> (u16, &'static str, String) {
    let conversation = |id: &str| examples::conversation(id, Some(user));
    let response = |conversation_id: &str, status: &str| {
        let mut response = examples::response(status);
        response["conversation_id"] = json!(conversation_id);
        response["response_id"] = json!(format!("resp-{user}"));
        response["outputs"] = json!([]);
        response
    };
    let (status, body) = match (method, segments) {
        (&Method::GET, ["conversations"]) => (
            200,
            json!({"conversations": [], "metadata": {"next_cursor": null}}),
        ),
        (&Method::POST, ["conversations"]) => (201, conversation(&conversation_id(user))),
        (&Method::GET | &Method::PATCH, ["conversations", id]) => (200, conversation(id)),
        (&Method::GET, ["conversations", id, "events"]) => {
            // One event, the one after `starting_after`: a follower of the
            // events always has a new one.
            let after = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("starting_after=evt-"))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            let mut event = examples::event();
            event["event_id"] = json!(format!("evt-{}", after + 1));
            event["conversation_id"] = json!(id);
            (
                200,
                json!({"events": [event], "metadata": {"next_cursor": null}}),
            )
        }
        (&Method::GET, ["conversations", _, "messages"]) => (
            200,
            json!({"messages": [], "metadata": {"next_cursor": null}}),
        ),
        (&Method::POST, ["conversations", id, "responses"]) => (202, response(id, "CREATED")),
        (&Method::POST, ["conversations", id, "responses", "stream"]) => {
            let stream = examples::event_stream_for(response(id, "COMPLETED"));
            return (200, "text/event-stream", stream);
        }
        (&Method::GET, ["conversations", id, "responses", _]) => (200, response(id, "COMPLETED")),
        (&Method::GET, ["conversations", _, "responses", _, "messages"]) => {
            (200, json!({"messages": []}))
        }
        (
            &Method::POST,
            [
                "conversations",
                _,
                "responses",
                _,
                "messages",
                _,
                "feedback",
            ],
        ) => {
            return (200, JSON, SUBMITTED.to_owned());
        }
        _ => return (404, JSON, error_body("NOT_FOUND", "no such operation")),
    };
    (status, JSON, body.to_string())
}

/// A number in [0, 1) from `seed` and `n` (splitmix64).
fn unit(seed: u64, n: u64) -> f64 {
    let mut z = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Sends one request over a fresh connection; the status answered.
    async fn send(base_url: &str, method: &str, path: &str, token: &str, body: &str) -> u16 {
        let addr = base_url.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {token}\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer[9..12].parse().unwrap()
    }

    #[tokio::test]
    async fn checks_users_revokes_tokens_and_answers_operations() {
        let server = IdentityServer::start(Faults::none());
        let url = &server.base_url;
        let (ann, bob) = (token("ann", 1), token("bob", 1));
        assert_eq!(
            send(url, "GET", "/conversations/conv-ann", &ann, "").await,
            200
        );
        assert_eq!(
            send(url, "POST", "/conversations", &ann, r#"{"title": "ann"}"#).await,
            201
        );
        assert_eq!(server.mismatches(), 0);
        // Bob's token for Ann's conversation, and for a conversation titled Ann.
        assert_eq!(
            send(url, "GET", "/conversations/conv-ann", &bob, "").await,
            403
        );
        assert_eq!(
            send(url, "POST", "/conversations", &bob, r#"{"title": "ann"}"#).await,
            403
        );
        assert_eq!(server.mismatches(), 2);
        assert_eq!(
            send(url, "GET", "/conversations/conv-x", "junk", "").await,
            401
        );

        server.set_faults(Faults::new(1.0, 0.0, 1));
        assert_eq!(
            send(url, "GET", "/conversations/conv-ann", &ann, "").await,
            401
        );
        assert!(server.is_revoked(&ann));
        server.set_faults(Faults::none());
        assert_eq!(
            send(url, "GET", "/conversations/conv-ann", &ann, "").await,
            401
        );
        let counts = server.user("ann");
        assert_eq!((counts.revocations, counts.revoked_answers), (1, 1));
        server.set_faults(Faults::new(0.0, 1.0, 1));
        assert_eq!(
            send(url, "GET", "/conversations/conv-bob", &bob, "").await,
            503
        );
        assert_eq!(server.user("bob").unavailable, 1);

        let seen = server.seen();
        assert_eq!(seen.len(), server.requests());
        assert_eq!(seen[2].for_user.as_deref(), Some("ann"));
        assert_eq!(seen[2].token_user.as_deref(), Some("bob"));
        assert_eq!(seen[2].status, 403);
    }

    #[test]
    fn tokens_name_their_user() {
        assert_eq!(token_user(&token("u-7", 3)), Some("u-7"));
        assert_eq!(token_user("tok.a.b.c"), Some("a.b"));
        assert_eq!(token_user("tok..1"), None);
        assert_eq!(token_user("other"), None);
    }

    #[test]
    fn draws_are_deterministic_and_spread() {
        let hits = (0..100_000).filter(|&n| unit(7, n) < 0.05).count();
        assert!((4_500..5_500).contains(&hits), "{hits}");
        assert_eq!(unit(7, 42), unit(7, 42));
        assert_ne!(unit(7, 42), unit(8, 42));
    }
}
