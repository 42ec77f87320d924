//! Every wait of a call is inside its deadline, whatever the HTTP client:
//! the token (a provider that never answers, a token endpoint that stalls
//! or refuses), and a stream's headers with a `reqwest::Client` that has no
//! timeouts of its own. An expired deadline names the step it cut.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use moveworks_ext::auth::{AccessToken, AuthError, AuthErrorKind, BoxFuture, TokenProvider};
use moveworks_ext::{CallStep, Client, Error, ErrorKind, RetryPolicy, Timeouts, WaitPolicy};
use moveworks_testkit::mock_api::examples;
use support::{
    ClientFor, RefusedOnce, SUBMITTED, ScriptedServer, Step, client_for, oauth_builder, sse,
};

/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(800);

/// A provider whose token never comes.
struct Never;

impl TokenProvider for Never {
    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
        Box::pin(std::future::pending())
    }
}

fn timeout_step(error: &Error) -> Option<CallStep> {
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.is_timeout(), "{error:?}");
    error.step()
}

/// Runs `call`, failing the test if it outlives `bound` by far.
async fn bounded<T>(bound: Duration, call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let result = tokio::time::timeout(bound + Duration::from_secs(10), call)
        .await
        .expect("the call outlived its deadline by 10 s");
    (result, started.elapsed())
}

#[tokio::test]
async fn a_provider_that_never_answers_ends_at_the_total_deadline() {
    let server = ScriptedServer::start(vec![Step::json(200, "{}")]).await;
    let total = Duration::from_millis(400);
    let client = Client::builder()
        .base_url(&server.base_url)
        .assistant_name("acme")
        .token_provider(Never)
        .total_timeout(total)
        .build()
        .unwrap();

    let (result, elapsed) = bounded(total, client.get_conversation("conv_1")).await;

    let error = result.unwrap_err();
    assert_eq!(timeout_step(&error), Some(CallStep::Token), "{error}");
    assert!(
        error.to_string().contains("getting an access token"),
        "{error}"
    );
    assert!(elapsed >= total && elapsed < total + SLACK, "{elapsed:?}");
    assert_eq!(server.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_stalled_token_endpoint_counts_against_the_call() {
    // The token endpoint stalls far past the call's total: the OAuth
    // fetch's own limit (the attempt timeout, 30 s) must not extend it.
    let tokens = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let api = ScriptedServer::start(vec![Step::json(200, "{}")]).await;
    let total = Duration::from_millis(500);
    let client = oauth_builder(&api.base_url, &tokens.base_url, "secret")
        .total_timeout(total)
        .build()
        .unwrap();

    let (result, elapsed) = bounded(total, client.get_conversation("conv_1")).await;

    assert_eq!(timeout_step(&result.unwrap_err()), Some(CallStep::Token));
    assert!(elapsed < total + SLACK, "{elapsed:?}");
    assert_eq!(api.count(), 0);
}

fn token_answer() -> Step {
    Step::json(
        200,
        r#"{"access_token": "fresh-token", "expires_in": 3600, "token_type": "Bearer"}"#,
    )
}

#[tokio::test]
async fn a_token_endpoint_that_fails_once_is_retried() {
    let tokens = ScriptedServer::start(vec![Step::Close, token_answer()]).await;
    let api = ScriptedServer::start(vec![Step::json(
        200,
        &moveworks_testkit::mock_api::examples::conversation("conv_1", None).to_string(),
    )])
    .await;
    let client = oauth_builder(&api.base_url, &tokens.base_url, "secret")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();

    let conversation = client.get_conversation("conv_1").await.unwrap();

    assert_eq!(conversation.conversation_id, "conv_1");
    assert_eq!(tokens.count(), 2, "the cut token request was sent again");
    assert_eq!(
        api.received()[0].header("authorization"),
        Some("Bearer fresh-token")
    );
}

#[tokio::test]
async fn a_token_endpoint_that_refuses_the_connection_then_answers_is_retried() {
    let tokens = RefusedOnce::new(vec![token_answer()]);
    let api = ScriptedServer::start(vec![Step::json(
        200,
        &moveworks_testkit::mock_api::examples::conversation("conv_1", None).to_string(),
    )])
    .await;
    let client = oauth_builder(&api.base_url, &tokens.url(), "secret")
        .http_client(tokens.http_client())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();

    let conversation = client.get_conversation("conv_1").await.unwrap();

    assert_eq!(conversation.conversation_id, "conv_1");
    assert_eq!(tokens.lookups(), 2, "refused, then connected");
    assert_eq!(tokens.server().count(), 1);
    assert_eq!(api.count(), 1);
}

#[tokio::test]
async fn a_rejected_token_request_is_not_retried() {
    let tokens = ScriptedServer::start(vec![Step::json(
        401,
        r#"{"error": "invalid_client", "error_description": "Unknown client"}"#,
    )])
    .await;
    let client = oauth_builder("http://127.0.0.1:9", &tokens.base_url, "secret")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();

    let error = client.get_conversation("conv_1").await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Auth, "{error:?}");
    let auth = error.as_auth().expect("the cause is the token failure");
    assert_eq!(auth.kind(), AuthErrorKind::Rejected);
    assert!(error.to_string().contains("Unknown client"), "{error}");
    assert_eq!(tokens.count(), 1);
}

#[tokio::test]
async fn a_stream_whose_headers_never_come_ends_at_the_attempt_timeout_with_any_http_client() {
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let attempt = Duration::from_millis(400);
    let client = client_for(&server.base_url)
        // The user's own client: no connect, read or request timeout.
        .http_client(reqwest::Client::new())
        .attempt_timeout(attempt)
        .total_timeout(Duration::from_secs(3))
        .build()
        .unwrap();

    let (result, elapsed) = bounded(
        attempt,
        client.create_response_stream("conv_1", "How do I reset my password?"),
    )
    .await;

    let error = result.unwrap_err();
    assert_eq!(timeout_step(&error), Some(CallStep::Headers), "{error}");
    assert!(
        elapsed >= attempt && elapsed < attempt + SLACK,
        "{elapsed:?}"
    );
    // The request was sent: it may have created a response, so it is
    // neither sent again nor worth retrying.
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_idempotent_call_whose_headers_never_come_is_retried_within_the_total() {
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let (attempt, total) = (Duration::from_millis(300), Duration::from_millis(1000));
    let client = server
        .client()
        .http_client(reqwest::Client::new())
        .attempt_timeout(attempt)
        .total_timeout(total)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();

    let (result, elapsed) = bounded(total, client.get_conversation("conv_1")).await;

    let error = result.unwrap_err();
    assert_eq!(timeout_step(&error), Some(CallStep::Headers), "{error}");
    assert_eq!(error.attempts(), 3);
    assert!(error.is_retryable(), "a GET is safe to send again");
    assert!(elapsed < total + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn a_user_supplied_clients_own_timeout_is_a_timeout_not_a_transport_error() {
    // The user's client gives up first (its own 200 ms request timeout,
    // well within the call's attempt timeout): reqwest's timeout error is
    // a deadline of the headers step, as the SDK's own would be.
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let client = client_for(&server.base_url)
        .http_client(quick)
        .attempt_timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let (result, elapsed) = bounded(Duration::from_millis(200), client.get_conversation("c")).await;

    let error = result.unwrap_err();
    assert_eq!(timeout_step(&error), Some(CallStep::Headers), "{error}");
    assert!(!error.is_connection(), "{error:?}");
    assert!(elapsed < Duration::from_millis(200) + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn a_body_that_stalls_names_the_body_step() {
    let server = ScriptedServer::start(vec![Step::CloseMidBody {
        announced: 100,
        sent: 10,
    }])
    .await;
    let stalled = ScriptedServer::start(vec![Step::Trickle {
        interval: Duration::from_secs(5),
        bytes: 100,
    }])
    .await;
    let quick = |base: &str| {
        client_for(base)
            .attempt_timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    };
    let cut = quick(&server.base_url)
        .get_conversation("c")
        .await
        .unwrap_err();
    assert_eq!(cut.kind(), ErrorKind::Transport, "{cut:?}");
    assert!(cut.is_connection(), "{cut:?}");
    assert_eq!(
        cut.step(),
        Some(CallStep::Body),
        "the connection failed while the body was read: {cut:?}"
    );
    let slow = quick(&stalled.base_url)
        .get_conversation("c")
        .await
        .unwrap_err();
    assert_eq!(timeout_step(&slow), Some(CallStep::Body), "{slow}");
}

#[tokio::test]
async fn a_token_provider_that_answers_late_is_given_only_the_time_left() {
    /// Answers after `delay`, counting how often it was asked.
    struct Slow {
        delay: Duration,
        asked: AtomicUsize,
    }
    impl TokenProvider for Slow {
        fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
            self.asked.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                tokio::time::sleep(self.delay).await;
                Ok(Arc::new(AccessToken::new("late", None)?))
            })
        }
    }
    // The token takes 1 s of a 1.2 s call; the server then stalls: the
    // call ends 1.2 s after its start, not 1.2 s after the token.
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let total = Duration::from_millis(1200);
    let client = client_for(&server.base_url)
        .token_provider(Slow {
            delay: Duration::from_millis(1000),
            asked: AtomicUsize::new(0),
        })
        .total_timeout(total)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let (result, elapsed) = bounded(total, client.get_conversation("c")).await;

    assert_eq!(timeout_step(&result.unwrap_err()), Some(CallStep::Headers));
    assert!(elapsed >= total && elapsed < total + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn a_token_request_past_its_own_limit_is_a_deadline_of_the_token_step() {
    // The token endpoint's request has the attempt timeout (200 ms) of a
    // longer call: when that runs out and no retry is left, the call's
    // error is a timeout of the token step, not an unreachable endpoint.
    let tokens = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let client = oauth_builder("http://127.0.0.1:9", &tokens.base_url, "secret")
        .attempt_timeout(Duration::from_millis(200))
        .total_timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let (result, elapsed) = bounded(Duration::from_millis(200), client.get_conversation("c")).await;

    assert_eq!(timeout_step(&result.unwrap_err()), Some(CallStep::Token));
    assert!(elapsed < Duration::from_millis(200) + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn an_unreachable_token_endpoint_with_no_retry_left_is_an_auth_error() {
    let tokens = ScriptedServer::start(vec![Step::Close]).await;
    let client = oauth_builder("http://127.0.0.1:9", &tokens.base_url, "secret")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.get_conversation("c").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error:?}");
    assert_eq!(
        error.as_auth().map(AuthError::kind),
        Some(AuthErrorKind::Unreachable),
        "{error:?}"
    );
    assert!(error.is_connection(), "{error:?}");
}

#[tokio::test]
async fn token_retries_are_paid_from_the_retry_budget() {
    let tokens = ScriptedServer::start(vec![Step::Close, token_answer()]).await;
    let client = oauth_builder("http://127.0.0.1:9", &tokens.base_url, "secret")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .retry_budget(moveworks_ext::RetryBudget::default().capacity(0))
        .build()
        .unwrap();
    let error = client.get_conversation("c").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error:?}");
    assert_eq!(tokens.count(), 1, "an empty budget pays for no token retry");
}

#[tokio::test]
async fn duration_max_as_every_limit_is_no_limit_not_a_panic() {
    let body = sse::recorded();
    let server = ScriptedServer::start(vec![
        Step::json(200, SUBMITTED),
        Step::json(200, &examples::response("COMPLETED").to_string()),
        Step::sse(body),
    ])
    .await;
    let mut timeouts = Timeouts::default();
    timeouts.connect = Duration::MAX;
    timeouts.attempt = Duration::MAX;
    timeouts.total = Duration::MAX;
    let client = client_for(&server.base_url)
        .timeouts(timeouts)
        .stream_idle_timeout(Duration::MAX)
        .wait_policy(
            WaitPolicy::default()
                .total(Duration::MAX)
                .first_poll(Duration::ZERO)
                .max_interval(Duration::MAX),
        )
        .build()
        .unwrap();

    support::submit(&client).await.unwrap();
    client.wait_for_response("conv_1", "resp_1").await.unwrap();
    let mut stream = client
        .create_response_stream("conv_1", "How do I reset my password?")
        .await
        .unwrap();
    while let Some(event) = stream.next_event().await {
        event.unwrap();
    }
    assert_eq!(server.count(), 3);
}
