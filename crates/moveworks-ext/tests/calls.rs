//! Calls through the SDK against a local server: headers, typed success and
//! errors, retries, `Retry-After`, and statuses kept whatever the body.

mod support;

use std::time::{Duration, Instant};

use moveworks_api::types::SubmitFeedbackResponseStatus;
use moveworks_ext::{CallOptions, Error, ErrorCode, ErrorKind, Feedback, MessageRef, RetryPolicy};
use support::{ClientFor, FEEDBACK_PATH, SUBMITTED, ScriptedServer, Step, error_body};

/// Submits feedback as an operation that may be sent twice, so that these
/// tests see every retry; its default (it may not) is in no_duplicates.rs.
async fn submit(
    client: &moveworks_ext::Client,
) -> Result<moveworks_api::types::SubmitFeedbackResponse, Error> {
    let message = MessageRef::new("conv_1", "resp_1", "msg_1");
    client
        .with_options(CallOptions::new().idempotent(true))
        .submit_feedback(Feedback::with_callback_id(message, "cb-1").comment("nice"))
        .await
}

#[tokio::test]
async fn success_carries_both_headers_and_the_body() {
    let server = ScriptedServer::start(vec![Step::json(200, SUBMITTED)]).await;
    let client = server.client().build().unwrap();

    let answer = submit(&client).await.unwrap();

    assert_eq!(answer.status, SubmitFeedbackResponseStatus::Submitted);
    let [request] = server.received().try_into().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, FEEDBACK_PATH);
    assert_eq!(
        request.header("authorization"),
        Some("Bearer test-token-123")
    );
    assert_eq!(request.header("assistant-name"), Some("acme-assistant"));
    assert!(request.header("api-version").is_none());
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("moveworks-ext/")
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"callback_id": "cb-1", "additional_feedback": "nice"})
    );
}

#[tokio::test]
async fn documented_errors_give_status_code_message_and_request_id() {
    let cases = [
        (400, "INVALID_REQUEST", ErrorCode::InvalidRequest, 1),
        (404, "NOT_FOUND", ErrorCode::NotFound, 1),
        (500, "INTERNAL_ERROR", ErrorCode::InternalError, 3),
    ];
    for (status, code, expected, attempts) in cases {
        let answer = Step::json(status, &error_body(code, "details"))
            .with_header("x-moveworks-root-uuid", "req-42");
        let server = ScriptedServer::start(vec![answer]).await;
        let error = submit(&server.client().build().unwrap()).await.unwrap_err();

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.code(), Some(&expected));
        assert_eq!(error.message(), Some("details"));
        assert_eq!(error.request_id(), Some("req-42"));
        assert_eq!(error.attempts(), attempts, "status {status}");
        assert_eq!(server.count(), attempts as usize);
    }
}

#[tokio::test]
async fn bad_request_is_not_retried() {
    let server = ScriptedServer::start(vec![Step::json(
        400,
        &error_body("INVALID_REQUEST", "bad callback"),
    )])
    .await;
    let error = submit(&server.client().build().unwrap()).await.unwrap_err();
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn rate_limit_with_retry_after_waits_about_that_long_then_succeeds() {
    let server = ScriptedServer::start(vec![
        Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow down"))
            .with_header("retry-after", "1"),
        Step::json(200, SUBMITTED),
    ])
    .await;
    let client = server.client().build().unwrap();

    let started = Instant::now();
    submit(&client).await.unwrap();
    let elapsed = started.elapsed();

    let received = server.received();
    assert_eq!(received.len(), 2);
    let gap = received[1].at - received[0].at;
    assert!(
        gap >= Duration::from_millis(950) && gap < Duration::from_millis(1500),
        "waited {gap:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn unavailable_three_times_is_three_attempts_then_an_error() {
    let server =
        ScriptedServer::start(vec![Step::json(503, &error_body("UNAVAILABLE", "down"))]).await;
    // The default policy: 0.5 s then 1 s (with jitter) between attempts.
    let client = server
        .client()
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.attempts(), 3);
    assert_eq!(server.count(), 3);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Unknown("UNAVAILABLE".into()))
    );
    assert!(error.is_retryable());
    let received = server.received();
    let first_wait = received[1].at - received[0].at;
    let second_wait = received[2].at - received[1].at;
    assert!(
        first_wait >= Duration::from_millis(370) && first_wait < Duration::from_millis(900),
        "{first_wait:?}"
    );
    assert!(
        second_wait >= Duration::from_millis(750) && second_wait < Duration::from_millis(1500),
        "{second_wait:?}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_fails_at_once_with_the_wait() {
    let server = ScriptedServer::start(vec![
        Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "later"))
            .with_header("retry-after", "120"),
    ])
    .await;
    let client = server.client().build().unwrap();
    // At once, not after the 120 s asked: 5 s leaves a loaded machine room.
    let error = tokio::time::timeout(Duration::from_secs(5), submit(&client))
        .await
        .expect("failed at once, not after waiting")
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_status_is_kept_whatever_the_body() {
    let cases = [
        ("empty 429", Step::raw(429, "application/json", ""), 429),
        (
            "html 502",
            Step::raw(
                502,
                "text/html",
                "<html><body>502 Bad Gateway</body></html>",
            ),
            502,
        ),
        (
            "truncated 500",
            Step::raw(500, "application/json", r#"{"error": {"code": "INTER"#),
            500,
        ),
        (
            "plain 404",
            Step::raw(404, "text/plain", "no such route"),
            404,
        ),
        (
            "undocumented 418",
            Step::json(418, &error_body("TEAPOT", "short and stout")),
            418,
        ),
    ];
    for (label, step, status) in cases {
        let server = ScriptedServer::start(vec![step]).await;
        let client = server
            .client()
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let error = submit(&client).await.unwrap_err();
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(status),
            "{label}: {error}"
        );
        assert_eq!(error.kind(), ErrorKind::Api, "{label}: {error:?}");
    }
}

#[tokio::test]
async fn unknown_codes_are_kept_verbatim() {
    let server = ScriptedServer::start(vec![Step::json(
        400,
        &error_body("CALLBACK_EXPIRED", "too late"),
    )])
    .await;
    let error = submit(&server.client().build().unwrap()).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Unknown("CALLBACK_EXPIRED".into()))
    );
    assert_eq!(error.code().unwrap().as_str(), "CALLBACK_EXPIRED");
}

#[tokio::test]
async fn unknown_status_values_decode() {
    let server = ScriptedServer::start(vec![Step::json(200, r#"{"status": "QUEUED"}"#)]).await;
    let answer = submit(&server.client().build().unwrap()).await.unwrap();
    assert_eq!(
        answer.status,
        SubmitFeedbackResponseStatus::Unknown("QUEUED".into())
    );
}

#[tokio::test]
async fn per_call_options_override_retries_and_add_headers() {
    let server =
        ScriptedServer::start(vec![Step::json(503, &error_body("UNAVAILABLE", "down"))]).await;
    let client = server.client().build().unwrap();
    let once = client.with_options(
        moveworks_ext::CallOptions::new()
            .max_retries(0)
            .header("x-trace-id", "t-1")
            .unwrap(),
    );

    let error = submit(&once).await.unwrap_err();

    assert_eq!(error.attempts(), 1);
    assert_eq!(server.received()[0].header("x-trace-id"), Some("t-1"));
    assert!(
        moveworks_ext::CallOptions::new()
            .header("authorization", "Bearer other")
            .is_err()
    );
}

#[tokio::test]
async fn any_generated_operation_goes_through_call() {
    let server = ScriptedServer::start(vec![Step::json(200, SUBMITTED)]).await;
    let client = server.client().build().unwrap();
    let body = moveworks_api::types::SubmitFeedbackRequest::new("raw");

    let answer = client
        .call(|api| api.submit_feedback("c", "r", "m", &body))
        .await
        .unwrap();

    assert_eq!(answer.status, SubmitFeedbackResponseStatus::Submitted);
    assert_eq!(
        server.received()[0].header("authorization"),
        Some("Bearer test-token-123")
    );
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_one_byte_more_is_refused() {
    // `{"status": "SUBMITTED"}` padded with spaces to `len` bytes, its
    // length announced.
    let body = |len: usize| format!("{SUBMITTED:<len$}");
    let limit = SUBMITTED.len() + 10;
    for (len, fits) in [(limit, true), (limit + 1, false)] {
        let server = ScriptedServer::start(vec![Step::json(200, &body(len))]).await;
        let client = server.client().max_response_bytes(limit).build().unwrap();
        let result = submit(&client).await;
        match result {
            Ok(answer) => {
                assert!(fits, "{len} bytes passed a {limit}-byte limit");
                assert_eq!(answer.status, SubmitFeedbackResponseStatus::Submitted);
            }
            Err(error) => {
                assert!(
                    !fits,
                    "{len} bytes refused at a {limit}-byte limit: {error}"
                );
                assert!(
                    error.kind() == ErrorKind::Decode && error.is_too_large(),
                    "{error:?}"
                );
            }
        }
    }
}
