//! Retry decisions in one place: what `is_retryable()` says matches what
//! the SDK itself would do for each failure of a request that creates
//! something and of a GET; per-call options change one setting and keep
//! the client's others; submit-feedback is not taken as idempotent unless
//! a call says so; per-call headers cannot replace the ones the client or
//! the operation sets.

mod support;

use std::time::Duration;

use moveworks_ext::{CallOptions, ErrorKind, Feedback, MessageRef, RetryPolicy};
use moveworks_testkit::mock_api::examples;
use support::{ClientFor, ScriptedServer, Step, error_body};

fn created() -> Step {
    Step::json(202, &examples::response("CREATED").to_string())
}

fn conversation() -> Step {
    Step::json(200, &examples::conversation("conv_1", None).to_string())
}

/// Each way a call can fail, as the server's first answer; the second
/// answer is a success, so a retry would show as two requests.
fn failures() -> Vec<(&'static str, Step)> {
    vec![
        (
            "500",
            Step::json(500, &error_body("INTERNAL_ERROR", "boom")),
        ),
        ("503", Step::json(503, &error_body("UNAVAILABLE", "down"))),
        (
            "429",
            Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow"))
                .with_header("retry-after", "0"),
        ),
        ("408", Step::json(408, "{}")),
        ("404", Step::json(404, &error_body("NOT_FOUND", "gone"))),
        ("closed before answering", Step::Close),
        ("reset after the headers", Step::ResetAfterHeaders),
        (
            "stalled past the attempt",
            Step::Stall(Duration::from_secs(30)),
        ),
    ]
}

/// Whether a failure leaves open that the request was processed (it was
/// sent and not refused outright).
fn may_be_processed(kind: &str) -> bool {
    !matches!(kind, "429" | "404")
}

fn worth_trying_again(kind: &str) -> bool {
    kind != "404"
}

#[tokio::test]
async fn is_retryable_agrees_with_the_retries_made_for_create_response_and_a_get() {
    for (kind, failure) in failures() {
        for creates in [true, false] {
            let success = if creates { created() } else { conversation() };
            let server = ScriptedServer::start(vec![failure.clone(), success]).await;
            let client = server
                .client()
                .attempt_timeout(Duration::from_millis(300))
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap();
            let case = format!(
                "{kind}, {}",
                if creates { "create-response" } else { "GET" }
            );

            let error = if creates {
                client.create_response("conv_1", "hello").await.map(drop)
            } else {
                client.get_conversation("conv_1").await.map(drop)
            }
            .unwrap_err();

            let processed = creates && may_be_processed(kind);
            assert_eq!(
                error.may_have_been_processed(),
                processed,
                "{case}: {error}"
            );
            assert_eq!(
                error.is_retryable(),
                worth_trying_again(kind) && !processed,
                "{case}: {error}"
            );

            // With retries on, the SDK retries exactly what it calls retryable.
            let server = ScriptedServer::start(vec![
                failure.clone(),
                if creates { created() } else { conversation() },
            ])
            .await;
            let retrying = server
                .client()
                .attempt_timeout(Duration::from_millis(300))
                .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
                .build()
                .unwrap();
            let retried = if creates {
                retrying.create_response("conv_1", "hello").await.is_ok()
            } else {
                retrying.get_conversation("conv_1").await.is_ok()
            };
            assert_eq!(retried, error.is_retryable(), "{case}");
            assert_eq!(server.count(), if retried { 2 } else { 1 }, "{case}");
        }
    }
}

#[tokio::test]
async fn a_refused_connection_is_retryable_even_for_create_response() {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = support::client_for(&format!("http://{addr}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.create_response("conv_1", "hello").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    // Refused: nothing was sent, so even a POST surely was not processed.
    assert!(error.is_connection(), "{error:?}");
    assert!(!error.may_have_been_processed());
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_per_call_max_retries_keeps_the_clients_statuses_and_backoff() {
    let teapot = Step::json(418, &error_body("TEAPOT", "short and stout"));
    let server = ScriptedServer::start(vec![teapot]).await;
    let client = server
        .client()
        .retry_policy(
            RetryPolicy::default()
                .max_retries(3)
                .retry_statuses([418])
                .initial_backoff(Duration::from_millis(200))
                .jitter(false),
        )
        .build()
        .unwrap();

    let error = client
        .with_options(CallOptions::new().max_retries(1))
        .get_conversation("conv_1")
        .await
        .unwrap_err();

    assert_eq!(error.attempts(), 2, "418 is still retried, once");
    assert_eq!(server.count(), 2);
    let received = server.received();
    let gap = received[1].at - received[0].at;
    assert!(
        gap >= Duration::from_millis(190),
        "the client's backoff: {gap:?}"
    );

    // A whole policy, then its retries: both apply.
    let server = ScriptedServer::start(vec![Step::json(503, "{}")]).await;
    let options = CallOptions::new()
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .max_retries(4);
    let error = server
        .client()
        .build()
        .unwrap()
        .with_options(options)
        .get_conversation("conv_1")
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 5);
}

fn feedback() -> Feedback {
    Feedback::with_callback_id(MessageRef::new("conv_1", "resp_1", "msg_1"), "cb")
}

#[tokio::test]
async fn feedback_is_not_sent_twice_unless_a_call_says_it_may_be() {
    let unavailable = Step::json(503, &error_body("UNAVAILABLE", "down"));
    let retrying = RetryPolicy::default().initial_backoff(Duration::from_millis(5));

    let server = ScriptedServer::start(vec![unavailable.clone()]).await;
    let client = server
        .client()
        .retry_policy(retrying.clone())
        .build()
        .unwrap();
    let error = client.submit_feedback(feedback()).await.unwrap_err();
    assert_eq!(server.count(), 1, "a 503 may have recorded the rating");
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());

    let server = ScriptedServer::start(vec![unavailable]).await;
    let client = server.client().retry_policy(retrying).build().unwrap();
    let error = client
        .with_options(CallOptions::new().idempotent(true))
        .submit_feedback(feedback())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 3, "the call said it may be sent twice");
    assert!(!error.may_have_been_processed());
    assert!(error.is_retryable());

    // And a GET can be held to "surely not processed" too.
    let server = ScriptedServer::start(vec![Step::json(503, "{}")]).await;
    let client = server.client().build().unwrap();
    let error = client
        .with_options(CallOptions::new().idempotent(false))
        .get_conversation("conv_1")
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    assert!(!error.is_retryable());
}

#[test]
fn per_call_headers_cannot_replace_what_the_client_or_operation_sets() {
    for name in [
        "authorization",
        "Assistant-Name",
        "accept",
        "Content-Type",
        "user-agent",
        "content-length",
        "transfer-encoding",
        "host",
    ] {
        let error = CallOptions::new().header(name, "x").unwrap_err();
        assert_eq!(error.setting(), "header name", "{name}: {error:?}");
        assert!(
            error.to_string().starts_with("invalid header name: "),
            "{name}: {error}"
        );
        assert!(error.to_string().contains("not per call"), "{error}");
    }
    let _ = CallOptions::new().header("x-trace-id", "abc").unwrap();
}

#[tokio::test]
async fn an_extra_header_reaches_the_server_beside_the_clients_own() {
    let server = ScriptedServer::start(vec![conversation()]).await;
    let client = server.client().build().unwrap();
    client
        .with_options(CallOptions::new().header("x-trace-id", "abc123").unwrap())
        .get_conversation("conv_1")
        .await
        .unwrap();
    let request = &server.received()[0];
    assert_eq!(request.header("x-trace-id"), Some("abc123"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.header("authorization"),
        Some("Bearer test-token-123")
    );
}
