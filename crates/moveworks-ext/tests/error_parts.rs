//! Every kind of error's accessors, `Display` and `source()` against what
//! the loopback server sent: the status, code, request id, attempts and
//! retry facts of the call, the details of the kind and the cause.

mod support;

use std::error::Error as _;
use std::time::Duration;

use moveworks_ext::{
    CallStep, ClientBuilder, Error, ErrorCode, ErrorKind, RetryBudget, RetryPolicy, Timeouts,
};
use moveworks_testkit::ClosedPort;
use support::{ClientFor, ScriptedServer, SseEnd, Step, client_for, error_body, sse, submit};

const REQUEST_ID: &str = "req-parts-1";

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(max_retries)
        .initial_backoff(Duration::from_millis(5))
}

/// A base URL where nothing listens, held so that nothing else can: the
/// request surely never arrives. Keep the port alive while the URL is used.
fn refused_base_url() -> (String, ClosedPort) {
    let port = ClosedPort::new();
    (format!("http://{}", port.addr()), port)
}

/// A client of `server` with a short attempt timeout.
fn impatient(server: &ScriptedServer, attempt: Duration, policy: RetryPolicy) -> ClientBuilder {
    let mut timeouts = Timeouts::default();
    timeouts.attempt = attempt;
    timeouts.total = Duration::from_secs(3);
    server.client().timeouts(timeouts).retry_policy(policy)
}

/// The cause of `error` as the HTTP client's error.
fn reqwest_cause(error: &Error) -> &reqwest::Error {
    error
        .source()
        .and_then(|source| source.downcast_ref())
        .unwrap_or_else(|| panic!("the HTTP client's error is the source: {error:?}"))
}

/// Streams from a server answering `script`; the error the stream ended with.
async fn stream_error(script: Vec<Step>) -> (Error, ScriptedServer) {
    let server = ScriptedServer::start(script).await;
    let client = server.client().build().unwrap();
    let mut stream = client
        .create_response_stream("conv_1", "How do I reset my password?")
        .await
        .unwrap();
    let mut error = None;
    while let Some(item) = stream.next_event().await {
        if let Err(e) = item {
            error = Some(e);
        }
    }
    (error.expect("a cut stream is an error"), server)
}

#[tokio::test]
async fn an_api_error_keeps_every_part_of_the_answer() {
    let answer = Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow down"))
        .with_header("x-moveworks-root-uuid", REQUEST_ID)
        .with_header("retry-after-ms", "20");
    let server = ScriptedServer::start(vec![answer]).await;
    let client = server
        .client()
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.code(), Some(&ErrorCode::RateLimitExceeded));
    assert_eq!(error.message(), Some("slow down"));
    assert_eq!(error.request_id(), Some(REQUEST_ID));
    assert_eq!(error.retry_after(), Some(Duration::from_millis(20)));
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.count(), 2);
    assert!(
        error.body().contains("\"RATE_LIMIT_EXCEEDED\""),
        "{}",
        error.body()
    );
    // A 429 says the request was not processed, so even a POST that is not
    // idempotent was sent again, and neither attempt did the work.
    assert!(!error.may_have_been_processed());
    assert!(!error.retry_budget_spent());
    assert_eq!(
        error.to_string(),
        format!(
            "Moveworks API returned 429 Too Many Requests RATE_LIMIT_EXCEEDED: slow down \
             (2 attempts, request id {REQUEST_ID}, retry after 0.0s)"
        )
    );
    assert!(
        error.source().is_none(),
        "an API error wraps no other error"
    );
}

#[tokio::test]
async fn an_api_error_to_a_post_that_may_have_been_processed_says_so() {
    let server = ScriptedServer::start(vec![Step::json(
        500,
        &error_body("INTERNAL_ERROR", "the assistant crashed"),
    )])
    .await;
    let client = server.client().build().unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(error.attempts(), 1, "not sent again");
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .ends_with("; the request may have been processed: check before sending it again"),
        "{error}"
    );
}

#[tokio::test]
async fn an_api_error_says_when_the_retry_budget_stopped_the_retries() {
    let server =
        ScriptedServer::start(vec![Step::json(503, &error_body("INTERNAL_ERROR", "busy"))]).await;
    let client = server
        .client()
        .retry_policy(fast_retries(3))
        .retry_budget(RetryBudget::default().capacity(0))
        .build()
        .unwrap();

    let error = client.get_conversation("conv_1").await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert!(error.retry_budget_spent());
    assert_eq!(error.attempts(), 1);
    assert!(!error.may_have_been_processed(), "a GET is idempotent");
    assert!(
        error
            .to_string()
            .ends_with("; not retried: the client's retry budget is spent"),
        "{error}"
    );
}

#[tokio::test]
async fn a_decode_error_keeps_the_status_the_request_id_and_the_json_error() {
    let answer = Step::json(200, "{not json").with_header("x-moveworks-root-uuid", REQUEST_ID);
    let server = ScriptedServer::start(vec![answer]).await;
    let client = server.client().build().unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some(REQUEST_ID));
    assert_eq!(error.attempts(), 1);
    assert!(!error.is_too_large());
    assert!(
        error
            .to_string()
            .starts_with("the 200 OK response body is not the documented JSON: "),
        "{error}"
    );
    assert!(
        error
            .source()
            .is_some_and(|source| source.is::<serde_json::Error>()),
        "the JSON error is the source: {error:?}"
    );
}

#[tokio::test]
async fn a_decode_error_keeps_a_status_other_than_200_and_the_attempts_before_it() {
    // A 203 is in the documented 2xx range: its body must decode.
    let server = ScriptedServer::start(vec![Step::json(203, "[1,")]).await;
    let error = submit(&server.client().build().unwrap()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(203));
    assert!(
        error
            .to_string()
            .starts_with("the 203 Non Authoritative Information"),
        "{error}"
    );

    // A GET answered 503, retried, then 200 with a body that is not JSON.
    let server = ScriptedServer::start(vec![
        Step::json(503, &error_body("INTERNAL_ERROR", "busy")),
        Step::json(200, "{not json"),
    ])
    .await;
    let client = server.client().build().unwrap();
    let error = client.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_too_large_with_its_status() {
    // No Content-Length: the limit is found while reading, not announced.
    let server = ScriptedServer::start(vec![Step::Sse {
        chunks: vec![vec![b' '; 3000], b"{}".to_vec()],
        pause: Duration::ZERO,
        end: SseEnd::Finish,
    }])
    .await;
    let client = server.client().max_response_bytes(1024).build().unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert!(error.is_too_large(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the 200 OK response body exceeds the 1024-byte limit"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn a_transport_error_says_where_it_broke_and_whether_the_request_arrived() {
    // Nothing listens: the request surely never arrived.
    let (base_url, _closed) = refused_base_url();
    let client = client_for(&base_url)
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let error = submit(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert!(error.is_connection());
    assert_eq!(error.step(), Some(CallStep::Connect));
    assert!(reqwest_cause(&error).is_connect(), "the cause says so too");
    assert_eq!(error.attempts(), 2);
    assert!(!error.retry_budget_spent());
    assert!(!error.may_have_been_processed());
    assert!(
        error
            .to_string()
            .starts_with("transport error after 2 attempts: "),
        "{error}"
    );
    assert!(error.is_retryable());

    // Headers, then a cut body: the API had the request.
    let server = ScriptedServer::start(vec![Step::CloseMidBody {
        announced: 100,
        sent: 10,
    }])
    .await;
    let client = server
        .client()
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = submit(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert!(error.is_connection());
    assert_eq!(error.step(), Some(CallStep::Body));
    assert!(reqwest_cause(&error).is_body(), "the cause says so too");
    assert_eq!(
        error.attempts(),
        1,
        "a POST that may have been processed is not sent again"
    );
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .ends_with("; the request may have been processed: check before sending it again"),
        "{error}"
    );
}

#[tokio::test]
async fn transport_errors_and_timeouts_say_when_the_retry_budget_stopped_the_retries() {
    let empty = || RetryBudget::default().capacity(0);
    let (base_url, _closed) = refused_base_url();
    let client = client_for(&base_url)
        .retry_policy(fast_retries(3))
        .retry_budget(empty())
        .build()
        .unwrap();
    let error = client.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert!(error.retry_budget_spent());
    assert_eq!(error.attempts(), 1);

    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let client = impatient(&server, Duration::from_millis(150), fast_retries(3))
        .retry_budget(empty())
        .build()
        .unwrap();
    let error = client.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.retry_budget_spent());
    assert!(!error.may_have_been_processed(), "a GET");
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn a_retried_get_that_times_out_counts_every_attempt() {
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let client = impatient(&server, Duration::from_millis(100), fast_retries(2))
        .build()
        .unwrap();

    let error = client.get_conversation("conv_1").await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.is_timeout());
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.count(), 3);
    assert!(!error.may_have_been_processed(), "a GET");
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}

#[tokio::test]
async fn a_stream_error_after_a_429_counts_both_attempts() {
    let body = sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]);
    let (error, server) = stream_error(vec![
        Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow down"))
            .with_header("retry-after-ms", "10"),
        Step::Sse {
            chunks: vec![body.into_bytes()],
            pause: Duration::ZERO,
            end: SseEnd::Cut,
        },
    ])
    .await;
    assert_eq!(error.kind(), ErrorKind::Stream, "{error:?}");
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_timeout_names_its_step_and_its_attempts() {
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let client = impatient(&server, Duration::from_millis(150), fast_retries(2))
        .build()
        .unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.is_timeout());
    assert_eq!(error.step(), Some(CallStep::Headers));
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_been_processed());
    assert!(!error.retry_budget_spent());
    assert!(!error.is_retryable(), "a POST that may have been processed");
    assert_eq!(
        error.to_string(),
        "timed out waiting for the response headers after 1 attempt; \
         the request may have been processed: check before sending it again"
    );
}

#[tokio::test]
async fn a_stream_error_keeps_the_conversation_the_response_and_what_arrived() {
    let body = [
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        sse::delta(2, &sse::message("msg_1", "Half an ans")),
    ]
    .concat();
    let (error, _server) = stream_error(vec![Step::Sse {
        chunks: vec![body.into_bytes()],
        pause: Duration::ZERO,
        end: SseEnd::Cut,
    }])
    .await;

    assert_eq!(error.kind(), ErrorKind::Stream, "{error:?}");
    // Cut, not closed by the server: a connection failure with its cause.
    assert!(error.is_connection(), "{error:?}");
    assert!(!error.is_timeout());
    assert!(
        error
            .to_string()
            .starts_with("response stream incomplete: the connection failed"),
        "{error}"
    );
    assert_eq!(error.conversation_id(), Some("conv_1"));
    assert_eq!(error.response_id(), Some("resp_1"));
    assert_eq!(error.request_id(), Some("sse-request-1"));
    assert_eq!(error.attempts(), 1);
    assert!(error.to_string().contains(", 2 events received"), "{error}");
    assert_eq!(error.text_so_far(), Some("Half an ans"));
    let last = error.last_response().expect("the snapshot seen last");
    assert_eq!(last.response_id, "resp_1");
    assert!(
        error.source().is_some(),
        "the transport error is the source"
    );
    assert!(error.may_have_been_processed());
    assert!(error.to_string().contains("conv_1"), "{error}");
}
