//! Stdout as a pipe: a reader that goes away early ends the program
//! quietly with status 0, and `api` writes bytes as they arrive, untouched.

use std::process::Stdio;
use std::time::Duration;

use crate::support::*;

/// Runs `moveworks` with its stdout's reader gone before it writes.
async fn with_stdout_closed(moveworks: Moveworks) -> (i32, String) {
    let mut command = moveworks.command();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

/// Server-Sent Events, one line per chunk, slowly.
fn slow_stream(lines: usize) -> Step {
    Step::Sse {
        chunks: (0..lines)
            .map(|n| format!(": keep-alive {n}\n").into_bytes())
            .collect(),
        pause: Duration::from_millis(50),
        end: SseEnd::Finish,
    }
}

const STREAM: [&str; 6] = [
    "api",
    "create-response-stream",
    "--param",
    "conversation_id=conv_1",
    "--body",
    r#"{"input": {"text": "hi"}}"#,
];

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_ends_quietly_with_success() {
    let api = mock().await;
    for args in [
        &["conversations", "list"][..],
        &["--json", "events"],
        &["ask", "How do I reset my password?"],
        &["completions", "bash"],
    ] {
        let (code, stderr) =
            with_stdout_closed(Moveworks::new(args).against(&api.base_url())).await;
        assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    }
    let server = ScriptedServer::start(vec![slow_stream(20)]).await;
    let (code, stderr) =
        with_stdout_closed(Moveworks::new(&STREAM).against(&server.base_url)).await;
    assert_eq!((code, stderr.as_str()), (0, ""));
    // It stopped at the first chunk it could not write.
    assert!(cut_short(&server).await);
}

/// Whether the client closed the stream before its end (the server may
/// notice a moment after the client exits).
async fn cut_short(server: &ScriptedServer) -> bool {
    for _ in 0..100 {
        if !server.closed_by_client().is_empty() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn head_dash_one_leaves_no_error_and_status_zero() {
    let api = mock().await;
    let stream = ScriptedServer::start(vec![slow_stream(20)]).await;
    for (base, args) in [
        (api.base_url(), &["conversations", "list"][..]),
        (stream.base_url.clone(), &STREAM[..]),
    ] {
        let moveworks = Moveworks::new(args).against(&base);
        let command = moveworks.command();
        let program = command.get_program().to_owned();
        let mut shell = std::process::Command::new("bash");
        shell
            .arg("-c")
            .arg(r#""$0" "$@" | head -1; exit "${PIPESTATUS[0]}""#)
            .arg(program)
            .args(command.get_args())
            .env_clear()
            .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))));
        let output = tokio::task::spawn_blocking(move || shell.output().unwrap())
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(stdout.lines().count(), 1, "{args:?}: {stdout}");
        assert_eq!(
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).as_ref()
            ),
            (Some(0), ""),
            "{args:?}"
        );
    }
    assert!(
        cut_short(&stream).await,
        "head did not cut the stream short"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn api_writes_a_character_split_across_chunks_whole() {
    // "é" is two bytes; each arrives in its own chunk, some time apart.
    let body = "event: RESPONSE_CREATED\ndata: {\"note\": \"café\"}\n\n".as_bytes();
    let split = body.iter().position(|&b| b == 0xC3).unwrap() + 1;
    let server = ScriptedServer::start(vec![Step::Sse {
        chunks: vec![body[..split].to_vec(), body[split..].to_vec()],
        pause: Duration::from_millis(100),
        end: SseEnd::Finish,
    }])
    .await;
    let out = Moveworks::new(&STREAM)
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout_bytes, body);
}

#[tokio::test(flavor = "multi_thread")]
async fn api_writes_a_body_that_is_not_json_untouched() {
    // Not UTF-8 at all, and a JSON content type whose body is not JSON.
    let bytes = b"\xFF\xFE raw \xC3".to_vec();
    let server = ScriptedServer::start(vec![
        Step::raw(200, "application/octet-stream", bytes.clone()),
        Step::raw(200, "application/json; charset=utf-8", bytes.clone()),
    ])
    .await;
    for _ in 0..2 {
        let out = Moveworks::new(&["api", "get-conversation", "--param", "conversation_id=c"])
            .against(&server.base_url)
            .run()
            .await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout_bytes, bytes);
    }
}
