//! Every error type's own accessors, `Display` and `source()` against what
//! the loopback server sent: a caller who matches on a variant and reads
//! its parts must see the same status, code, request id and attempts as
//! one who asks the `Error`.

mod support;

use std::error::Error as _;
use std::time::Duration;

use moveworks_ext::{
    CallStep, ClientBuilder, DecodeErrorKind, Error, ErrorCode, RetryBudget, RetryPolicy,
    StreamErrorKind, Timeouts,
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

    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.code(), Some(&ErrorCode::RateLimitExceeded));
    assert_eq!(api.message(), Some("slow down"));
    assert_eq!(api.request_id(), Some(REQUEST_ID));
    assert_eq!(api.retry_after(), Some(Duration::from_millis(20)));
    assert_eq!(api.attempts(), 2);
    assert_eq!(server.count(), 2);
    assert!(
        api.body().contains("\"RATE_LIMIT_EXCEEDED\""),
        "{}",
        api.body()
    );
    // A 429 says the request was not processed, so even a POST that is not
    // idempotent was sent again, and neither attempt did the work.
    assert!(!api.may_have_been_processed());
    assert!(!error.may_have_been_processed());
    assert!(!api.retry_budget_spent());
    assert_eq!(
        api.to_string(),
        format!(
            "Moveworks API returned 429 Too Many Requests RATE_LIMIT_EXCEEDED: slow down \
             (2 attempts, request id {REQUEST_ID}, retry after 0.0s)"
        )
    );
    assert_eq!(error.to_string(), api.to_string());
    assert_eq!(error.retry_after(), api.retry_after());
    assert_eq!(error.status(), Some(api.status()));
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

    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.attempts(), 1, "not sent again");
    assert!(api.may_have_been_processed());
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert!(
        api.to_string()
            .ends_with("; the request may have been processed: check before sending it again"),
        "{api}"
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

    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert!(api.retry_budget_spent());
    assert!(error.retry_budget_spent());
    assert_eq!(api.attempts(), 1);
    assert!(!api.may_have_been_processed(), "a GET is idempotent");
    assert!(
        api.to_string()
            .ends_with("; not retried: the client's retry budget is spent"),
        "{api}"
    );
}

#[tokio::test]
async fn a_decode_error_keeps_the_status_the_request_id_and_the_json_error() {
    let answer = Step::json(200, "{not json").with_header("x-moveworks-root-uuid", REQUEST_ID);
    let server = ScriptedServer::start(vec![answer]).await;
    let client = server.client().build().unwrap();

    let error = submit(&client).await.unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status().as_u16(), 200);
    assert!(matches!(decode.kind(), DecodeErrorKind::Json(_)));
    assert_eq!(decode.request_id(), Some(REQUEST_ID));
    assert_eq!(decode.attempts(), 1);
    assert_eq!(error.request_id(), Some(REQUEST_ID));
    assert_eq!(error.status(), Some(decode.status()));
    assert!(
        decode
            .to_string()
            .starts_with("the 200 OK response body is not the documented JSON: "),
        "{decode}"
    );
    assert!(decode.source().is_some(), "the JSON error is the source");
    assert!(error.source().is_some());
}

#[tokio::test]
async fn a_decode_error_keeps_a_status_other_than_200_and_the_attempts_before_it() {
    // A 203 is in the documented 2xx range: its body must decode.
    let server = ScriptedServer::start(vec![Step::json(203, "[1,")]).await;
    let error = submit(&server.client().build().unwrap()).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status().as_u16(), 203);
    assert!(
        decode
            .to_string()
            .starts_with("the 203 Non Authoritative Information"),
        "{decode}"
    );

    // A GET answered 503, retried, then 200 with a body that is not JSON.
    let server = ScriptedServer::start(vec![
        Step::json(503, &error_body("INTERNAL_ERROR", "busy")),
        Step::json(200, "{not json"),
    ])
    .await;
    let client = server.client().build().unwrap();
    let error = client.get_conversation("conv_1").await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.attempts(), 2);
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

    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert!(
        matches!(decode.kind(), DecodeErrorKind::TooLarge { limit: 1024, .. }),
        "{decode:?}"
    );
    assert_eq!(decode.status().as_u16(), 200);
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
    let Error::Transport(refused) = &error else {
        panic!("{error:?}")
    };
    assert!(refused.is_connect());
    assert!(!refused.is_body());
    assert_eq!(refused.attempts(), 2);
    assert!(!refused.may_have_been_processed());
    assert!(!refused.retry_budget_spent());
    assert!(!error.retry_budget_spent());
    assert!(!error.may_have_been_processed());
    assert!(
        refused
            .to_string()
            .starts_with("transport error after 2 attempts: "),
        "{refused}"
    );
    assert!(refused.source().is_some());
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
    let Error::Transport(cut) = &error else {
        panic!("{error:?}")
    };
    assert!(cut.is_body());
    assert!(!cut.is_connect());
    assert_eq!(
        cut.attempts(),
        1,
        "a POST that may have been processed is not sent again"
    );
    assert!(cut.may_have_been_processed());
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert!(
        cut.to_string()
            .ends_with("; the request may have been processed: check before sending it again"),
        "{cut}"
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
    let Error::Transport(refused) = &error else {
        panic!("{error:?}")
    };
    assert!(refused.retry_budget_spent());
    assert!(error.retry_budget_spent());
    assert_eq!(error.attempts(), 1);

    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let client = impatient(&server, Duration::from_millis(150), fast_retries(3))
        .retry_budget(empty())
        .build()
        .unwrap();
    let error = client.get_conversation("conv_1").await.unwrap_err();
    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert!(timeout.retry_budget_spent());
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

    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.attempts(), 3);
    assert_eq!(server.count(), 3);
    assert!(!timeout.may_have_been_processed(), "a GET");
    assert!(
        timeout.to_string().contains("after 3 attempts"),
        "{timeout}"
    );
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
    let Error::Stream(cut) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(cut.attempts(), 2);
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

    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.step(), Some(CallStep::Headers));
    assert_eq!(timeout.attempts(), 1);
    assert!(timeout.may_have_been_processed());
    assert!(!timeout.retry_budget_spent());
    assert!(error.may_have_been_processed());
    assert!(!error.retry_budget_spent());
    assert!(!error.is_retryable(), "a POST that may have been processed");
    assert_eq!(
        timeout.to_string(),
        "timed out waiting for the response headers after 1 attempt; \
         the request may have been processed: check before sending it again"
    );
    assert_eq!(error.attempts(), 1);
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

    let Error::Stream(cut) = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(cut.kind(), StreamErrorKind::Cut(_)), "{cut:?}");
    assert_eq!(cut.conversation_id(), "conv_1");
    assert_eq!(cut.response_id(), Some("resp_1"));
    assert_eq!(cut.request_id(), Some("sse-request-1"));
    assert_eq!(cut.attempts(), 1);
    assert_eq!(cut.events(), 2);
    assert_eq!(cut.text_so_far(), "Half an ans");
    let last = cut.last_response().expect("the snapshot seen last");
    assert_eq!(last.response_id, "resp_1");
    assert!(cut.source().is_some(), "the transport error is the source");
    assert_eq!(error.response_id(), Some("resp_1"));
    assert!(error.may_have_been_processed());
    assert!(error.to_string().contains("conv_1"), "{error}");
}
