//! Waiting for a response over real HTTP, each poll counted at the server:
//! in progress then completed, failed, the deadline, a 429 mid-poll, a 404,
//! an unknown status.

mod support;

use std::time::{Duration, Instant};

use moveworks_api::types::ResponseStatus;
use moveworks_ext::{Error, ErrorCode, ErrorKind, ResponseExt, RetryPolicy, WaitPolicy};
use moveworks_testkit::mock_api::examples::{self, ANSWER};
use serde_json::json;
use support::{ScriptedServer, Step, client_for, error_body};

fn response(status: &str) -> Step {
    Step::json(200, &examples::response(status).to_string())
}

fn quick() -> WaitPolicy {
    WaitPolicy::default()
        .first_poll(Duration::from_millis(20))
        .max_interval(Duration::from_millis(50))
}

async fn wait(
    server: &ScriptedServer,
    policy: WaitPolicy,
) -> Result<moveworks_api::types::Response, Error> {
    client_for(&server.base_url)
        .wait_policy(policy)
        .build()
        .unwrap()
        .wait_for_response("conv_1", "resp_1")
        .await
}

#[tokio::test]
async fn in_progress_three_times_then_completed() {
    let server = ScriptedServer::start(vec![
        response("IN_PROGRESS"),
        response("IN_PROGRESS"),
        response("IN_PROGRESS"),
        response("COMPLETED"),
    ])
    .await;
    let done = wait(&server, quick()).await.unwrap();
    assert_eq!(done.status, ResponseStatus::Completed);
    assert_eq!(done.text(), ANSWER);
    let received = server.received();
    assert_eq!(received.len(), 4);
    assert!(
        received
            .iter()
            .all(|r| r.method == "GET" && r.path == "/conversations/conv_1/responses/resp_1")
    );
}

#[tokio::test]
async fn the_default_schedule_polls_first_after_half_a_second() {
    let server = ScriptedServer::start(vec![response("IN_PROGRESS"), response("COMPLETED")]).await;
    let started = Instant::now();
    wait(&server, WaitPolicy::default().jitter(false))
        .await
        .unwrap();
    let received = server.received();
    let first = received[0].at.duration_since(started);
    let gap = received[1].at.duration_since(received[0].at);
    assert!(
        first >= Duration::from_millis(500) && first < Duration::from_millis(2000),
        "{first:?}"
    );
    assert!(
        gap >= Duration::from_millis(750) && gap < Duration::from_millis(2500),
        "{gap:?}"
    );
}

#[tokio::test]
async fn failed_is_a_typed_error_with_the_response() {
    let server = ScriptedServer::start(vec![response("IN_PROGRESS"), response("FAILED")]).await;
    let error = wait(&server, quick()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseFailed, "{error:?}");
    let response = error.response().expect("the failed response");
    assert_eq!(response.response_id, examples::RESPONSE_ID);
    assert_eq!(error.response_id(), Some(examples::RESPONSE_ID));
    assert_eq!(response.status, ResponseStatus::Failed);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn the_deadline_keeps_the_last_polls_error_and_names_the_response() {
    let server =
        ScriptedServer::start(vec![Step::json(503, &error_body("INTERNAL_ERROR", "busy"))]).await;
    let error = client_for(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .wait_policy(quick().total(Duration::from_millis(300)))
        .build()
        .unwrap()
        .wait_for_response("conv_1", "resp_1")
        .await
        .unwrap_err();

    assert_eq!(error.response_id(), Some("resp_1"));
    assert_eq!(error.kind(), ErrorKind::WaitTimeout, "{error:?}");
    assert!(error.is_timeout());
    let last = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<Error>())
        .expect("the last poll's error is the source");
    assert_eq!(last.status().map(|s| s.as_u16()), Some(503));
    assert!(
        error.to_string().ends_with(&format!("; last poll: {last}")),
        "{error}"
    );
    assert_eq!(error.last_status(), None, "no poll was answered");
    let (_, polls) = error.waited().expect("how long it waited");
    assert!(polls >= 2, "a 503 is polled again: {polls}");
}

#[tokio::test]
async fn the_deadline_is_a_typed_error_with_the_last_status() {
    let server = ScriptedServer::start(vec![response("IN_PROGRESS")]).await;
    let started = Instant::now();
    let error = wait(&server, quick().total(Duration::from_millis(400)))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::WaitTimeout, "{error:?}");
    assert_eq!(error.response_id(), Some("resp_1"));
    assert_eq!(error.last_status(), Some(&ResponseStatus::InProgress));
    let (waited, polls) = error.waited().expect("how long it waited");
    assert!(waited >= Duration::from_millis(400), "{waited:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(polls as usize, server.count());
    assert!(error.is_retryable());
    assert!(
        error.to_string().contains("last status IN_PROGRESS"),
        "{error}"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_mid_poll_is_honoured() {
    let server = ScriptedServer::start(vec![
        response("IN_PROGRESS"),
        Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow down"))
            .with_header("retry-after", "1"),
        response("COMPLETED"),
    ])
    .await;
    let done = wait(&server, quick()).await.unwrap();
    assert_eq!(done.status, ResponseStatus::Completed);
    let received = server.received();
    assert_eq!(received.len(), 3);
    let waited = received[2].at.duration_since(received[1].at);
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
}

#[tokio::test]
async fn a_404_ends_the_wait_at_once() {
    let server = ScriptedServer::start(vec![
        response("IN_PROGRESS"),
        Step::json(404, &error_body("NOT_FOUND", "no such response")),
        response("COMPLETED"),
    ])
    .await;
    let error = wait(&server, quick()).await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::NotFound));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_unknown_status_keeps_polling() {
    let mut paused = examples::response("IN_PROGRESS");
    paused["status"] = json!("PAUSED_FOR_APPROVAL");
    let server = ScriptedServer::start(vec![
        Step::json(200, &paused.to_string()),
        Step::json(200, &paused.to_string()),
        response("COMPLETED"),
    ])
    .await;
    let done = wait(&server, quick()).await.unwrap();
    assert_eq!(done.status, ResponseStatus::Completed);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn ask_creates_once_then_polls() {
    let server = ScriptedServer::start(vec![
        Step::json(202, &examples::response("CREATED").to_string()),
        response("IN_PROGRESS"),
        response("COMPLETED"),
    ])
    .await;
    let client = client_for(&server.base_url)
        .wait_policy(quick())
        .build()
        .unwrap();
    let answer = client
        .ask("conv_1", "How do I reset my password?")
        .await
        .unwrap();
    assert_eq!(answer.text(), ANSWER);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[0].method, "POST");
    assert_eq!(received[0].path, "/conversations/conv_1/responses");
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"input": {"text": "How do I reset my password?"}})
    );
    assert_eq!(
        received[1].path,
        format!("/conversations/conv_1/responses/{}", examples::RESPONSE_ID)
    );
}
