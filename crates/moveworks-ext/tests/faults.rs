//! A server that misbehaves on purpose: refused connections, resets,
//! bodies cut short, stalls and trickles. Each call must end within its
//! deadline with the right error, retried exactly as the policy says.

mod support;

use std::time::{Duration, Instant};

use moveworks_ext::{
    CallOptions, CallStep, Client, Error, ErrorKind, Feedback, MessageRef, RetryPolicy, Timeouts,
};
use support::{ScriptedServer, Step, client_for};

const ATTEMPT: Duration = Duration::from_millis(400);
const TOTAL: Duration = Duration::from_millis(1500);
/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(700);

fn timeouts() -> Timeouts {
    limits(Duration::from_millis(400), ATTEMPT, TOTAL)
}

fn limits(connect: Duration, attempt: Duration, total: Duration) -> Timeouts {
    let mut timeouts = Timeouts::default();
    timeouts.connect = connect;
    timeouts.attempt = attempt;
    timeouts.total = total;
    timeouts
}

fn retrying() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(20))
}

async fn run(
    client: &Client,
) -> (
    Result<moveworks_api::types::SubmitFeedbackResponse, Error>,
    Duration,
) {
    let started = Instant::now();
    // As an operation that may be sent twice, so that every fault is
    // retried; the default for feedback is in no_duplicates.rs.
    let result = client
        .with_options(CallOptions::new().idempotent(true))
        .submit_feedback(Feedback::with_callback_id(
            MessageRef::new("conv_1", "resp_1", "msg_1"),
            "cb",
        ))
        .await;
    (result, started.elapsed())
}

/// Runs `step` with the retrying policy and with no retries, checking the
/// error kind, the attempt count against what the server saw, and the time.
async fn check_fault(label: &str, step: Step, expect: ErrorKind, retried_attempts: u32) {
    for (policy, expected_attempts) in [(retrying(), retried_attempts), (RetryPolicy::none(), 1)] {
        let server = ScriptedServer::start(vec![step.clone()]).await;
        let client = client_for(&server.base_url)
            .timeouts(timeouts())
            .retry_policy(policy.clone())
            .build()
            .unwrap();

        let (result, elapsed) = run(&client).await;

        let error = result.expect_err(label);
        assert_eq!(error.kind(), expect, "{label}: {error:?}");
        assert!(error.is_retryable(), "{label}");
        assert_eq!(
            error.attempts(),
            expected_attempts,
            "{label} with {policy:?}"
        );
        assert_eq!(
            server.count() as u32,
            expected_attempts,
            "{label}: server saw a different number"
        );
        assert!(
            elapsed <= TOTAL + SLACK,
            "{label}: took {elapsed:?}, deadline {TOTAL:?}"
        );
    }
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_retried_by_policy() {
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    for (policy, attempts) in [(retrying(), 3), (RetryPolicy::none(), 1)] {
        let client = client_for(&base_url)
            .timeouts(timeouts())
            .retry_policy(policy)
            .build()
            .unwrap();
        let (result, elapsed) = run(&client).await;
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
        assert_eq!(error.step(), Some(CallStep::Connect), "{error:?}");
        assert_eq!(error.attempts(), attempts);
        assert!(elapsed < TOTAL, "{elapsed:?}");
    }
}

#[tokio::test]
async fn closed_before_answering() {
    check_fault(
        "closed before answering",
        Step::Close,
        ErrorKind::Transport,
        3,
    )
    .await;
}

#[tokio::test]
async fn reset_before_answering() {
    check_fault("reset before headers", Step::Reset, ErrorKind::Transport, 3).await;
}

#[tokio::test]
async fn reset_after_the_headers() {
    check_fault(
        "reset after headers",
        Step::ResetAfterHeaders,
        ErrorKind::Transport,
        3,
    )
    .await;
}

#[tokio::test]
async fn closed_mid_body() {
    check_fault(
        "closed mid-body",
        Step::CloseMidBody {
            announced: 100,
            sent: 10,
        },
        ErrorKind::Transport,
        3,
    )
    .await;
}

#[tokio::test]
async fn stalled_before_the_headers() {
    // 400 ms per attempt, 20 ms then 40 ms of backoff, 1.5 s in all: three
    // attempts fit, the third cut short by the total deadline.
    check_fault(
        "stalled before headers",
        Step::Stall(Duration::from_secs(30)),
        ErrorKind::Timeout,
        3,
    )
    .await;
}

#[tokio::test]
async fn stalled_mid_body() {
    check_fault(
        "stalled mid-body",
        Step::Trickle {
            interval: Duration::from_secs(30),
            bytes: 10,
        },
        ErrorKind::Timeout,
        3,
    )
    .await;
}

#[tokio::test]
async fn trickling_slower_than_a_byte_per_second() {
    // Each byte arrives before the idle timeout would fire, so only the
    // attempt and total deadlines can end the call.
    let trickle = Step::Trickle {
        interval: Duration::from_millis(1100),
        bytes: 100,
    };
    for (policy, expected_attempts) in [(retrying(), 2), (RetryPolicy::none(), 1)] {
        let server = ScriptedServer::start(vec![trickle.clone()]).await;
        let timeouts = limits(
            Duration::from_secs(1),
            Duration::from_secs(2),
            Duration::from_secs(4),
        );
        let client = client_for(&server.base_url)
            .timeouts(timeouts)
            .retry_policy(policy)
            .build()
            .unwrap();

        let (result, elapsed) = run(&client).await;

        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
        assert_eq!(error.attempts(), expected_attempts);
        assert_eq!(server.count() as u32, expected_attempts);
        assert!(elapsed <= timeouts.total + SLACK, "took {elapsed:?}");
    }
}
