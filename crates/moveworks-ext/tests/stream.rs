//! Streaming a response over real HTTP on loopback: bodies split mid-line,
//! every way a stream can end early, errors before the stream, and the
//! connection closing when the consumer lets go.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use moveworks_ext::auth::{
    AccessToken, AuthError, BoxFuture, CachingTokenProvider, TokenProvider, TokenSource,
};
use moveworks_ext::{
    CallOptions, Client, Error, ErrorCode, ErrorKind, ResponseExt, ResponseStream, StreamEvent,
    WaitPolicy,
};
use support::{ClientFor, ScriptedServer, SseEnd, Step, error_body, sse};

const STREAM_PATH: &str = "/conversations/conv_1/responses/stream";
/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(1500);

fn split_every(body: &str, size: usize) -> Vec<Vec<u8>> {
    body.as_bytes().chunks(size).map(<[u8]>::to_vec).collect()
}

fn sse_step(chunks: Vec<Vec<u8>>, pause: Duration, end: SseEnd) -> Step {
    Step::Sse { chunks, pause, end }
}

async fn open(client: &Client) -> ResponseStream {
    client
        .create_response_stream("conv_1", "How do I reset my password?")
        .await
        .expect("the stream opens")
}

/// Reads every item; returns the events and the error the stream ended
/// with, if any.
async fn drain(stream: &mut ResponseStream) -> (Vec<StreamEvent>, Option<Error>) {
    let mut events = Vec::new();
    while let Some(item) = stream.next_event().await {
        match item {
            Ok(event) => events.push(event),
            Err(error) => {
                assert!(
                    stream.next_event().await.is_none(),
                    "nothing after an error"
                );
                return (events, Some(error));
            }
        }
    }
    (events, None)
}

/// Checks that `error` ended a stream early, having delivered `events`
/// events (as its text says).
fn assert_stream_error(error: &Error, events: u64) {
    assert_eq!(error.kind(), ErrorKind::Stream, "{error:?}");
    let received = format!(", {events} events received");
    assert!(error.to_string().contains(&received), "{error}");
}

/// Checks that `error` is a stream's idle timeout of `idle`.
fn assert_idle(error: &Error, idle: Duration) {
    assert_eq!(error.kind(), ErrorKind::Stream, "{error:?}");
    assert!(error.is_timeout() && !error.is_connection(), "{error:?}");
    let silence = format!("no event for {:.1}s", idle.as_secs_f64());
    assert!(error.to_string().contains(&silence), "{error}");
}

#[tokio::test]
async fn a_stream_split_mid_line_with_any_line_ending_decodes_whole() {
    for body in [sse::recorded(), sse::recorded_crlf(), sse::recorded_cr()] {
        // 7-byte pieces cut lines, `data:` prefixes, CRLF pairs and UTF-8.
        let server = ScriptedServer::start(vec![sse_step(
            split_every(&body, 7),
            Duration::from_millis(1),
            SseEnd::Finish,
        )])
        .await;
        let client = server.client().build().unwrap();

        let mut stream = open(&client).await;
        assert_eq!(stream.request_id(), Some("sse-request-1"));
        assert_eq!(stream.conversation_id(), "conv_1");
        assert!(
            format!("{stream:?}").contains("finished: false"),
            "{stream:?}"
        );
        let mut printed = String::new();
        let mut kinds = Vec::new();
        while let Some(event) = stream.next_event().await {
            let event = event.unwrap();
            printed.push_str(stream.take_new_text());
            assert_eq!(
                event.output().is_some(),
                matches!(event, StreamEvent::Output(_))
            );
            kinds.push(match event {
                StreamEvent::Created(_) => "created",
                StreamEvent::InProgress(_) => "in progress",
                StreamEvent::Output(_) => "output",
                StreamEvent::Completed(_) => "completed",
                _ => "other",
            });
        }
        assert_eq!(
            kinds,
            [
                "created",
                "in progress",
                "output",
                "output",
                "output",
                "completed"
            ]
        );
        assert_eq!(printed, sse::RECORDED_TEXT);
        assert_eq!(stream.response_id(), Some("resp_1"));
        assert!(
            format!("{stream:?}").contains("finished: true"),
            "{stream:?}"
        );

        let received = server.received();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].method, "POST");
        assert_eq!(received[0].path, STREAM_PATH);
        assert_eq!(received[0].header("accept"), Some("text/event-stream"));
        let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
        assert_eq!(body["input"]["text"], "How do I reset my password?");
    }
}

#[tokio::test]
async fn completed_returns_the_final_response_past_comments_and_unknown_events() {
    let body = [
        ": keep-alive\n\n: keep-alive\n\n".to_owned(),
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        sse::event("RESPONSE_QUEUED", r#"{"position": 2}"#),
        ":\r\n".to_owned(),
        sse::snapshot(
            "RESPONSE_COMPLETED",
            2,
            "COMPLETED",
            &[sse::message("msg_1", "Done.")],
        ),
    ]
    .concat();
    let server = ScriptedServer::start(vec![Step::sse(body)]).await;
    let client = server.client().build().unwrap();

    let mut stream = open(&client).await;
    let (events, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert!(matches!(
        &events[1],
        StreamEvent::Unknown { event, data, .. } if event == "RESPONSE_QUEUED" && data == r#"{"position": 2}"#
    ));

    let server = ScriptedServer::start(vec![Step::sse(sse::recorded())]).await;
    let client = server.client().build().unwrap();
    let response = open(&client).await.completed().await.unwrap();
    assert_eq!(response.response_id, "resp_1");
    assert_eq!(response.text(), sse::RECORDED_TEXT);
}

#[tokio::test]
async fn a_failed_response_is_an_event_and_completed_makes_it_an_error() {
    let body = sse::snapshot("RESPONSE_FAILED", 1, "FAILED", &[]);
    let server = ScriptedServer::start(vec![Step::sse(body)]).await;
    let client = server.client().build().unwrap();
    let error = open(&client).await.completed().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseFailed, "{error:?}");
    assert_eq!(
        error.response().map(|r| r.response_id.as_str()),
        Some("resp_1")
    );
}

#[tokio::test]
async fn an_error_event_is_an_error_with_its_code_then_the_end() {
    let body = [
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        sse::delta(2, &sse::message("msg_1", "Partial")),
        sse::error("INTERNAL_ERROR", "the assistant crashed"),
        sse::snapshot("RESPONSE_COMPLETED", 3, "COMPLETED", &[]),
    ]
    .concat();
    let server = ScriptedServer::start(vec![Step::sse(body)]).await;
    let client = server.client().build().unwrap();

    let mut stream = open(&client).await;
    let (events, error) = drain(&mut stream).await;
    let error = error.expect("an error item");
    assert_eq!(events.len(), 2);
    assert_eq!(error.code(), Some(&ErrorCode::InternalError));
    assert_eq!(error.message(), Some("the assistant crashed"));
    assert_eq!(error.response_id(), Some("resp_1"));
    assert_eq!(error.request_id(), Some("sse-request-1"));
    assert_eq!(error.attempts(), 1);
    assert!(!error.is_retryable(), "streaming again would ask twice");
    assert!(error.may_have_been_processed());
    assert_stream_error(&error, 2);
    assert_eq!(error.text_so_far(), Some("Partial"));
    let shown = error.to_string();
    assert!(
        shown.starts_with("response stream incomplete: the API reported INTERNAL_ERROR")
            && shown.contains("response resp_1")
            && shown.contains("2 events received"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_stream_cut_mid_event_is_an_incomplete_error_with_what_arrived() {
    let mut body = [
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        sse::snapshot("RESPONSE_IN_PROGRESS", 2, "IN_PROGRESS", &[]),
    ]
    .concat();
    let next = sse::delta(3, &sse::message("msg_1", "never arrives"));
    body.push_str(&next[..next.len() / 2]);
    for end in [SseEnd::Cut, SseEnd::Finish] {
        let server =
            ScriptedServer::start(vec![sse_step(split_every(&body, 50), Duration::ZERO, end)])
                .await;
        let client = server.client().build().unwrap();

        let mut stream = open(&client).await;
        let (events, error) = drain(&mut stream).await;
        let error = error.expect("never a quiet end");
        assert_eq!(events.len(), 2);
        assert_stream_error(&error, 2);
        // Cut or closed early: either way the connection ended.
        assert!(error.is_connection() && !error.is_timeout(), "{error:?}");
        let how = match end {
            SseEnd::Cut => "response stream incomplete: the connection failed",
            _ => "response stream incomplete: the server ended it early",
        };
        assert!(error.to_string().starts_with(how), "{end:?}: {error}");
        // The transport's error is the source of a cut; a close has none.
        assert_eq!(
            std::error::Error::source(&error).is_some(),
            end == SseEnd::Cut
        );
        assert_eq!(error.response_id(), Some("resp_1"));
        assert_eq!(error.conversation_id(), Some("conv_1"));
        assert_eq!(
            error.last_response().map(|r| r.status.as_str()),
            Some("IN_PROGRESS")
        );
        assert!(error.to_string().contains("response stream incomplete"));
        assert_eq!(server.count(), 1, "never sent again");
    }
}

/// Opens a stream that sends an event, then `block` `gap` later, then
/// nothing; returns its events, its error, and how long after the request
/// arrived the error came.
async fn silence_after(
    block: &str,
    gap: Duration,
    idle: Duration,
) -> (Vec<StreamEvent>, Error, Duration) {
    let created = sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]);
    let chunks = vec![created.into_bytes(), block.as_bytes().to_vec()];
    let server = ScriptedServer::start(vec![sse_step(chunks, gap, SseEnd::Hold)]).await;
    let client = server
        .client()
        .build()
        .unwrap()
        .with_options(CallOptions::new().stream_idle_timeout(idle));
    let mut stream = open(&client).await;
    let (events, error) = drain(&mut stream).await;
    let lasted = server.received()[0].at.elapsed();
    (events, error.expect("the silence is reported"), lasted)
}

#[tokio::test]
async fn events_with_only_a_name_or_only_data_hold_the_idle_timeout_off() {
    // Each such block is an event, so the idle timeout counts from it: the
    // stream ends no sooner than `idle` after the server sent it, which
    // was two pauses after the request. Were it not counted, the stream
    // would end a pause sooner. The block only has to arrive within `idle`
    // of the first event: `SLACK` to spare.
    let gap = Duration::from_millis(200);
    let idle = gap + SLACK;
    let blocks = ["data: {\"tick\": 1}\n\n", "event: HEARTBEAT\n\n"];
    let (data, name) = tokio::join!(
        silence_after(blocks[0], gap, idle),
        silence_after(blocks[1], gap, idle)
    );
    for (block, (events, error, lasted)) in blocks.iter().zip([data, name]) {
        assert!(
            matches!(
                events[..],
                [StreamEvent::Created(_), StreamEvent::Unknown { .. }]
            ),
            "{block:?}: {events:?}"
        );
        assert_idle(&error, idle);
        assert!(
            lasted >= 2 * gap + idle,
            "{block:?} did not hold the idle timeout off: {lasted:?}"
        );
    }
}

#[tokio::test]
async fn blocks_of_only_an_id_or_a_retry_do_not_hold_the_idle_timeout_off() {
    // After one event, only `id:` and `retry:` blocks, every 100 ms for
    // 2 s: the connection is alive, the response is not moving. The idle
    // timeout (400 ms) ends it.
    let idle = Duration::from_millis(400);
    let mut chunks = vec![sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]).into_bytes()];
    for n in 0..20 {
        let block = if n % 2 == 0 {
            format!("id: {n}\n\n")
        } else {
            "retry: 10\n\n".to_owned()
        };
        chunks.push(block.into_bytes());
    }
    let server = ScriptedServer::start(vec![sse_step(
        chunks,
        Duration::from_millis(100),
        SseEnd::Hold,
    )])
    .await;
    let client = server
        .client()
        .build()
        .unwrap()
        .with_options(CallOptions::new().stream_idle_timeout(idle));

    let mut stream = open(&client).await;
    let started = Instant::now();
    let (events, error) = drain(&mut stream).await;
    let waited = started.elapsed();

    assert_eq!(events.len(), 1);
    let error = error.expect("the stall is reported");
    assert_idle(&error, idle);
    assert!(
        waited < Duration::from_millis(1200),
        "held off by id blocks: {waited:?}"
    );
}

#[tokio::test]
async fn a_stall_ends_with_the_idle_timeout_and_closes_the_connection() {
    let idle = Duration::from_millis(300);
    let body = [
        ": keep-alive\n\n".to_owned(),
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
    ]
    .concat();
    let server = ScriptedServer::start(vec![sse_step(
        vec![body.into_bytes()],
        Duration::ZERO,
        SseEnd::Hold,
    )])
    .await;
    // Set per call, below the client's own idle timeout.
    let client = server
        .client()
        .build()
        .unwrap()
        .with_options(CallOptions::new().stream_idle_timeout(idle));
    assert_eq!(client.stream_idle_timeout(), idle);

    let mut stream = open(&client).await;
    let started = Instant::now();
    let (events, error) = drain(&mut stream).await;
    let waited = started.elapsed();
    let error = error.expect("the stall is reported");
    assert_eq!(events.len(), 1);
    assert_idle(&error, idle);
    assert!(
        waited >= idle - Duration::from_millis(50) && waited < idle + SLACK,
        "{waited:?}"
    );
    assert_eq!(error.response_id(), Some("resp_1"));
    // The error ended the stream: the connection is closed without
    // waiting for the stream to be dropped.
    wait_for_close(&server).await;
    drop(stream);
}

#[tokio::test]
async fn a_stream_longer_than_the_attempt_and_total_timeouts_completes() {
    // Headers at once (600 ms allowed for them), then three events 400 ms
    // apart: a body that outlasts both timeouts by 600 ms, its pauses well
    // within the idle timeout.
    let (timeouts, pause) = (Duration::from_millis(600), Duration::from_millis(400));
    let body = sse::long(1, "tick");
    let events: Vec<Vec<u8>> = body
        .split_inclusive("\n\n")
        .map(|event| event.as_bytes().to_vec())
        .collect();
    assert_eq!(events.len(), 3);
    let server = ScriptedServer::start(vec![sse_step(events, pause, SseEnd::Finish)]).await;
    let client = server
        .client()
        .attempt_timeout(timeouts)
        .total_timeout(timeouts)
        .stream_idle_timeout(pause + SLACK)
        .build()
        .unwrap();

    let started = Instant::now();
    let response = open(&client).await.completed().await.unwrap();
    assert!(started.elapsed() >= 3 * pause);
    assert_eq!(response.status.as_str(), "COMPLETED");
}

#[tokio::test]
async fn an_oversized_event_is_an_error_not_memory_growth() {
    let body = [
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        sse::delta(2, &sse::message("msg_1", &"x".repeat(64 * 1024))),
        sse::snapshot("RESPONSE_COMPLETED", 3, "COMPLETED", &[]),
    ]
    .concat();
    let server = ScriptedServer::start(vec![sse_step(
        split_every(&body, 1000),
        Duration::ZERO,
        SseEnd::Finish,
    )])
    .await;
    let client = server
        .client()
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();

    let mut stream = open(&client).await;
    let (events, error) = drain(&mut stream).await;
    let error = error.expect("the oversized event is refused");
    assert_eq!(events.len(), 1);
    assert_eq!(error.kind(), ErrorKind::Stream, "{error:?}");
    assert!(error.is_too_large(), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("an event exceeds the 16384-byte limit"),
        "{error}"
    );
}

/// Issues `token-0`, `token-1`, ...
#[derive(Debug, Default)]
struct Numbered(AtomicUsize);

impl TokenSource for Numbered {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(
            async move { AccessToken::new(format!("token-{n}"), Some(Duration::from_secs(3600))) },
        )
    }
}

#[derive(Debug, Clone)]
struct Refreshable(Arc<CachingTokenProvider<Numbered>>);

impl TokenProvider for Refreshable {
    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
        self.0.token()
    }
    fn invalidate(&self, token: &AccessToken) {
        self.0.invalidate(token)
    }
    fn can_refresh(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_401_before_the_stream_refreshes_the_token_and_retries_once() {
    let server = ScriptedServer::start(vec![
        Step::json(401, &error_body("UNAUTHORIZED", "token expired")),
        Step::sse(sse::recorded()),
    ])
    .await;
    let provider = Refreshable(Arc::new(CachingTokenProvider::new(Numbered::default())));
    let client = server.client().token_provider(provider).build().unwrap();

    let response = open(&client).await.completed().await.unwrap();
    assert_eq!(response.text(), sse::RECORDED_TEXT);
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("authorization"), Some("Bearer token-0"));
    assert_eq!(received[1].header("authorization"), Some("Bearer token-1"));
    assert_eq!(received[1].path, STREAM_PATH);
}

#[tokio::test]
async fn a_500_before_the_stream_is_not_retried() {
    let server = ScriptedServer::start(vec![
        Step::json(500, &error_body("INTERNAL_ERROR", "boom"))
            .with_header("x-moveworks-root-uuid", "req-500"),
        Step::sse(sse::recorded()),
    ])
    .await;
    let client = server.client().build().unwrap();

    let error = client
        .create_response_stream("conv_1", "hello")
        .await
        .unwrap_err();
    assert_eq!(
        server.count(),
        1,
        "a second POST could create a second response"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.code(), Some(&ErrorCode::InternalError));
    assert_eq!(error.request_id(), Some("req-500"));
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_been_processed());
}

#[tokio::test]
async fn a_429_before_the_stream_is_retried() {
    let server = ScriptedServer::start(vec![
        Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow down"))
            .with_header("retry-after", "0"),
        Step::sse(sse::recorded()),
    ])
    .await;
    let client = server.client().build().unwrap();
    let mut stream = open(&client).await;
    let (events, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert_eq!(events.len(), 6);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn input_is_checked_before_anything_is_sent() {
    let server = ScriptedServer::start(vec![Step::sse(sse::recorded())]).await;
    let client = server.client().build().unwrap();
    for (conversation, text) in [("..", "hi"), ("conv_1", "  ")] {
        let error = client
            .create_response_stream(conversation, text)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
    }
    assert_eq!(server.count(), 0);
}

async fn wait_for_close(server: &ScriptedServer) -> Vec<usize> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let closed = server.closed_by_client();
        if !closed.is_empty() {
            return closed;
        }
        assert!(
            Instant::now() < deadline,
            "the server never saw the connection close"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn dropping_the_stream_halfway_closes_the_connection() {
    let body = sse::long(98, "tick");
    let events: Vec<Vec<u8>> = body
        .split_inclusive("\n\n")
        .map(|event| event.as_bytes().to_vec())
        .collect();
    assert_eq!(events.len(), 100);
    let server = ScriptedServer::start(vec![sse_step(
        events,
        Duration::from_millis(10),
        SseEnd::Finish,
    )])
    .await;
    let client = server.client().build().unwrap();

    let mut stream = open(&client).await;
    for _ in 0..3 {
        stream.next_event().await.unwrap().unwrap();
    }
    drop(stream);
    let closed = wait_for_close(&server).await;
    assert_eq!(closed.len(), 1);
    assert!(closed[0] < 100, "the server stopped early: {closed:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_interrupted_stream_is_recovered_by_polling_not_by_asking_again() {
    let body = [
        sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        sse::delta(2, &sse::message("msg_1", "Half")),
    ]
    .concat();
    let finished = sse::response("COMPLETED", &[sse::message("msg_1", "Half and whole.")]);
    let server = ScriptedServer::start(vec![
        sse_step(vec![body.into_bytes()], Duration::ZERO, SseEnd::Cut),
        Step::json(200, &finished),
    ])
    .await;
    let client = server
        .client()
        .wait_policy(WaitPolicy::default().first_poll(Duration::from_millis(10)))
        .build()
        .unwrap();

    let error = open(&client).await.completed().await.unwrap_err();
    assert_eq!(error.response_id(), Some("resp_1"));
    let response = client.wait_for_streamed_response(error).await.unwrap();
    assert_eq!(response.text(), "Half and whole.");

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].method, "GET");
    assert_eq!(received[1].path, "/conversations/conv_1/responses/resp_1");
}

#[tokio::test]
async fn a_stream_that_ends_before_naming_its_response_is_handed_back() {
    let server = ScriptedServer::start(vec![Step::sse(": keep-alive\n\n")]).await;
    let client = server.client().build().unwrap();

    let error = open(&client).await.completed().await.unwrap_err();
    assert_eq!(error.response_id(), None);
    let error = client.wait_for_streamed_response(error).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Stream, "{error:?}");
    assert!(error.is_connection(), "{error:?}");
    assert!(
        std::error::Error::source(&error).is_none(),
        "closed, not cut"
    );
    assert!(
        error
            .to_string()
            .starts_with("response stream incomplete: the server ended it early"),
        "{error}"
    );
    assert!(error.to_string().contains("response id unknown"), "{error}");
    assert_eq!(server.count(), 1);
}
