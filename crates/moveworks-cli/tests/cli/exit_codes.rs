//! One test per exit code (130, Ctrl-C, is in `terminal`): the code says
//! what went wrong, and nothing is sent when the code says so.

use std::time::Duration;

use moveworks_testkit::sse;

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn zero_is_success() {
    let api = mock().await;
    let out = Moveworks::new(&["conversations", "get", CONVERSATION_ID])
        .against(&api.base_url())
        .run()
        .await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_is_anything_else_even_after_a_call() {
    // The lookup of the callback id was sent; the user's own message
    // offers no rating. Not a usage error: something was sent.
    let api = mock().await;
    let out = Moveworks::new(&[
        "feedback",
        CONVERSATION_ID,
        RESPONSE_ID,
        USER_MESSAGE_ID,
        "--helpful",
    ])
    .against(&api.base_url())
    .run()
    .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("offers no rating"), "{}", out.stderr);
    let out = Moveworks::new(&[
        "feedback",
        CONVERSATION_ID,
        RESPONSE_ID,
        "msg_x",
        "--helpful",
    ])
    .against(&api.base_url())
    .run()
    .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("has no message msg_x"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_is_usage_or_configuration_with_nothing_sent() {
    let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
    let url = server.base_url.clone();
    let run = |args: &[&str]| Moveworks::new(args).against(&url).run();
    // A bad flag: clap's one line names it.
    let out = run(&["conversations", "list", "--colour"]).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.lines().next().unwrap().contains("--colour"),
        "{}",
        out.stderr
    );
    // A bad value.
    let out = run(&["--timeout", "soon", "conversations", "list"]).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`soon` is not a number of seconds"),
        "{}",
        out.stderr
    );
    let out = run(&["ask", "   "]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run(&["api", "no-such-operation"]).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no operation `no-such-operation`"),
        "{}",
        out.stderr
    );
    // An insecure URL, naming where it came from.
    let out = Moveworks::new(&["--base-url", "http://example.com", "conversations", "list"])
        .against(&url)
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.trim_end().ends_with("(from --base-url)"),
        "{}",
        out.stderr
    );
    // A missing setting: one line naming the variable.
    let out = Moveworks::new(&["conversations", "list"])
        .env("MOVEWORKS_API_TOKEN", TOKEN)
        .run()
        .await;
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("MOVEWORKS_ASSISTANT_NAME"),
        "{}",
        out.stderr
    );
    assert_eq!(server.count(), 0, "a usage error sent a request");
}

#[tokio::test(flavor = "multi_thread")]
async fn three_is_an_error_the_api_answered() {
    let server = ScriptedServer::start(vec![
        Step::json(404, &error_body("NOT_FOUND", "no such conversation"))
            .with_header("x-moveworks-root-uuid", "req-77"),
        // A success whose body is not the API's.
        Step::raw(200, "text/html", "<html>proxy login</html>"),
    ])
    .await;
    let get = || {
        Moveworks::new(&["conversations", "get", "conv_x"])
            .against(&server.base_url)
            .run()
    };
    let out = get().await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    for expected in ["404 Not Found", "code: NOT_FOUND", "request id: req-77"] {
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }
    let out = get().await;
    assert_eq!(out.code, 3, "{}", out.stderr);

    // The token endpoint refused the credentials.
    let tokens = ScriptedServer::start(vec![Step::json(
        401,
        r#"{"error": "invalid_client", "error_description": "bad secret"}"#,
    )])
    .await;
    let out = Moveworks::new(&["conversations", "list"])
        .oauth(&server.base_url, &tokens.base_url, "client-secret-1")
        .run()
        .await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(server.count(), 2, "the API was called without a token");
}

#[tokio::test(flavor = "multi_thread")]
async fn four_is_an_api_or_token_endpoint_that_cannot_be_reached() {
    let out = Moveworks::new(&["conversations", "get", "conv_x"])
        .against(&closed_port_url())
        .run()
        .await;
    assert_eq!(out.code, 4, "{}", out.stderr);

    // The token endpoint counts: it is how the API is reached.
    let api = mock().await;
    let out = Moveworks::new(&["conversations", "list"])
        .oauth(&api.base_url(), &closed_port_url(), "client-secret-1")
        .run()
        .await;
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("token endpoint unreachable"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn five_is_a_deadline_a_call_a_wait_or_a_stream() {
    // A call that outlasts --timeout.
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let started = std::time::Instant::now();
    let out = Moveworks::new(&["--timeout", "0.5", "conversations", "get", "conv_x"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    // Waiting for an answer that stays IN_PROGRESS past --timeout.
    let api = mock().await;
    let out = Moveworks::new(&["--timeout", "1", "ask", "hello", "--no-stream"])
        .against(&api.base_url())
        .run()
        .await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr.contains("did not finish within"),
        "{}",
        out.stderr
    );

    // A token endpoint that does not answer: the call's deadline passes
    // while it gets its token.
    let tokens = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let started = std::time::Instant::now();
    let out = Moveworks::new(&["--timeout", "0.5", "conversations", "list"])
        .oauth(&api.base_url(), &tokens.base_url, "client-secret-1")
        .run()
        .await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr.contains("getting an access token"),
        "{}",
        out.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    // A stream that keeps sending but does not finish within --timeout.
    let mut chunks = vec![sse::snapshot("RESPONSE_CREATED", 1, "CREATED", &[]).into_bytes()];
    for n in 0..10 {
        let message = sse::message(&format!("msg_{n}"), "more ");
        chunks.push(sse::delta(n + 2, &message).into_bytes());
    }
    let server = ScriptedServer::start(vec![
        Step::json(201, &conversation_body()),
        Step::Sse {
            chunks,
            pause: Duration::from_millis(300),
            end: SseEnd::Finish,
        },
    ])
    .await;
    let out = Moveworks::new(&["--timeout", "1", "ask", "hello"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stdout.starts_with("more"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("response resp_1 may still finish: moveworks api get-response"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn retries_follow_the_flag() {
    let flaky = || {
        ScriptedServer::start(vec![
            Step::json(503, &error_body("UNAVAILABLE", "busy")),
            Step::json(200, &conversation_body()),
        ])
    };
    let server = flaky().await;
    let out = Moveworks::new(&["conversations", "get", "conv_x"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(server.count(), 2);
    let server = flaky().await;
    let out = Moveworks::new(&["--retries", "0", "conversations", "get", "conv_x"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(server.count(), 1);
}
