//! The real `moveworks` binary against the mock of the whole API (and a
//! scripted server for failures): every subcommand, JSON output, exit
//! codes, and no secret in any output, even with `RUST_LOG=trace`.

use std::io::Write;
use std::process::{Command, Stdio};

use moveworks_ext::moveworks_api::OPERATIONS;
use moveworks_testkit::mock_api::examples::{
    ANSWER, CONVERSATION_ID, HELPFUL_CALLBACK, MESSAGE_ID, RESPONSE_ID,
};
use moveworks_testkit::{MockApi, ScriptedServer, Step, error_body};
use serde_json::Value;

const TOKEN: &str = "secret-token-4f9a";
const ASSISTANT: &str = "acme-assistant";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with a clean environment plus `env`, feeding `stdin`.
async fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_moveworks"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let stdin = stdin.map(str::to_owned);
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
        drop(pipe);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

async fn mock() -> MockApi {
    MockApi::start(TOKEN, ASSISTANT).await
}

fn env(api_base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MOVEWORKS_BASE_URL", api_base.to_owned()),
        ("MOVEWORKS_ASSISTANT_NAME", ASSISTANT.to_owned()),
        ("MOVEWORKS_API_TOKEN", TOKEN.to_owned()),
    ]
}

async fn run_against(api: &MockApi, args: &[&str]) -> Run {
    run_with(api, args, &[], None).await
}

async fn run_with(
    api: &MockApi,
    args: &[&str],
    extra: &[(&str, &str)],
    stdin: Option<&str>,
) -> Run {
    let base = env(&api.base_url());
    let mut all: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    let result = run(args, &all, stdin).await;
    assert!(
        !result.stdout.contains(TOKEN) && !result.stderr.contains(TOKEN),
        "the token was printed by {args:?}"
    );
    result
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn ask_prints_the_answer_citations_and_feedback_ids() {
    let api = mock().await;
    let polled = run_against(&api, &["ask", "How do I reset my password?", "--no-stream"]).await;
    // Streamed by default (the mock serves a real SSE body): the same text.
    let out = run_against(&api, &["ask", "How do I reset my password?"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(polled.stdout, out.stdout);
    assert!(out.stdout.contains(ANSWER), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("[1] Password Reset Guide https://support.example.com/kb/password-reset")
    );
    // Exactly the session the README shows.
    assert_eq!(
        out.stdout,
        format!(
            "{ANSWER}\n\n[1] Password Reset Guide https://support.example.com/kb/password-reset\n\n\
             conversation {CONVERSATION_ID}  response {RESPONSE_ID}  message {MESSAGE_ID}\n\
             rate it: moveworks feedback {CONVERSATION_ID} {RESPONSE_ID} {MESSAGE_ID} --helpful\n"
        )
    );

    let out = run_against(
        &api,
        &["--json", "ask", "Hi", "--conversation", CONVERSATION_ID],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let document: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(document["text"], ANSWER);
    assert_eq!(document["message_id"], MESSAGE_ID);
    assert_eq!(document["response"]["status"], "COMPLETED");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_reads_questions_from_a_pipe() {
    let api = mock().await;
    let out = run_with(
        &api,
        &["--json", "chat"],
        &[],
        Some("first question\n\nsecond question\n"),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = json_lines(&out.stdout);
    assert_eq!(answers.len(), 2);
    assert!(
        answers
            .iter()
            .all(|a| a["conversation_id"] == CONVERSATION_ID)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn feedback_looks_the_callback_id_up() {
    let api = mock().await;
    let out = run_against(
        &api,
        &[
            "feedback",
            CONVERSATION_ID,
            RESPONSE_ID,
            MESSAGE_ID,
            "--helpful",
            "--comment",
            "Clear.",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        format!("rated message {MESSAGE_ID} Helpful: SUBMITTED")
    );

    let out = run_against(
        &api,
        &[
            "--json",
            "feedback",
            CONVERSATION_ID,
            RESPONSE_ID,
            MESSAGE_ID,
            "--unhelpful",
            "--callback-id",
            HELPFUL_CALLBACK,
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(answer["status"], "SUBMITTED");

    // The user's own message offers no rating: a usage error, nothing sent.
    let out = run_against(
        &api,
        &[
            "feedback",
            CONVERSATION_ID,
            RESPONSE_ID,
            "msg_32bt7sNVYd2XUO7yETFsH",
            "--helpful",
        ],
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("offers no rating"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_subcommands() {
    let api = mock().await;
    let out = run_against(&api, &["conversations", "list"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(out.stdout.contains("Password reset"));

    let out = run_against(
        &api,
        &[
            "--json",
            "conversations",
            "list",
            "--archived",
            "--limit",
            "1",
        ],
    )
    .await;
    assert_eq!(json_lines(&out.stdout).len(), 1);

    for args in [
        vec!["conversations", "get", CONVERSATION_ID],
        vec!["conversations", "create", "--title", "Laptop"],
        vec!["conversations", "update", CONVERSATION_ID, "--title", "New"],
        vec!["conversations", "archive", CONVERSATION_ID],
    ] {
        let mut with_json = vec!["--json"];
        with_json.extend(&args);
        let out = run_against(&api, &with_json).await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        let conversation: Value = serde_json::from_str(out.stdout.trim()).unwrap();
        assert_eq!(conversation["conversation_id"], CONVERSATION_ID, "{args:?}");
    }
    let out = run_against(&api, &["conversations", "update", CONVERSATION_ID]).await;
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nothing to change"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_and_events() {
    let api = mock().await;
    let out = run_against(&api, &["--json", "messages", CONVERSATION_ID]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json_lines(&out.stdout).len(), 2);
    let out = run_against(
        &api,
        &[
            "messages",
            CONVERSATION_ID,
            "--response",
            RESPONSE_ID,
            "--limit",
            "1",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("USER"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("ASSISTANT"),
        "--limit 1: {}",
        out.stdout
    );

    let out = run_against(&api, &["--json", "events"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let events = json_lines(&out.stdout);
    assert_eq!(
        events[0]["event_payload"]["message"]["message_id"],
        MESSAGE_ID
    );
    let out = run_against(
        &api,
        &[
            "events",
            "--conversation",
            CONVERSATION_ID,
            "--since",
            "evt_1",
            "--until",
            "evt_9",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(ANSWER));
    // The example event's message is from 2026-05-01 09:00:04.
    let out = run_against(&api, &["events", "--since", "2026-05-02T00:00:00Z"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let out = run_against(&api, &["events", "--until", "2026-05-01T00:00:00Z"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[tokio::test(flavor = "multi_thread")]
async fn api_reaches_every_operation_of_the_table() {
    let api = mock().await;
    let out = run_against(&api, &["--json", "api", "--list"]).await;
    let listed = json_lines(&out.stdout);
    assert_eq!(listed.len(), OPERATIONS.len());
    for (entry, operation) in listed.iter().zip(OPERATIONS) {
        assert_eq!(entry["operation_id"], operation.id);
        let mut args = vec!["api".to_owned(), operation.id.to_owned()];
        for parameter in entry["parameters"].as_array().unwrap() {
            if parameter["in"] == "path" {
                let value = match parameter["name"].as_str().unwrap() {
                    "conversation_id" => CONVERSATION_ID,
                    "response_id" => RESPONSE_ID,
                    _ => MESSAGE_ID,
                };
                args.push("--param".into());
                args.push(format!("{}={value}", parameter["name"].as_str().unwrap()));
            }
        }
        if !entry["body"].is_null() {
            args.push("--body".into());
            args.push(r#"{"title": "t", "input": {"text": "hi"}, "callback_id": "cb"}"#.into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_against(&api, &args).await;
        assert_eq!(out.code, 0, "{}: {}", operation.id, out.stderr);
        assert!(!out.stdout.trim().is_empty(), "{}", operation.id);
    }
    let out = run_with(
        &api,
        &[
            "api",
            "create-response",
            "--param",
            "conversation_id=c",
            "--body",
            "-",
        ],
        &[],
        Some(r#"{"input": {"text": "from stdin"}}"#),
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let response: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(response["status"], "CREATED");
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_tell_usage_api_and_transport_errors_apart() {
    // API error: status, code and request id on stderr.
    let server = ScriptedServer::start(vec![
        Step::json(404, &error_body("NOT_FOUND", "no such conversation"))
            .with_header("x-moveworks-root-uuid", "req-77"),
    ])
    .await;
    let base = env(&server.base_url);
    let env: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = run(&["conversations", "get", "conv_x"], &env, None).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    for expected in ["404 Not Found", "code: NOT_FOUND", "request id: req-77"] {
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }

    // Transport: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}");
    let env = [
        ("MOVEWORKS_BASE_URL", url.as_str()),
        ("MOVEWORKS_ASSISTANT_NAME", ASSISTANT),
        ("MOVEWORKS_API_TOKEN", TOKEN),
    ];
    let out = run(&["conversations", "get", "conv_x"], &env, None).await;
    assert_eq!(out.code, 4, "{}", out.stderr);

    // Usage: a bad flag, a missing setting, a bad value; one line naming it.
    let out = run(&["conversations", "list", "--colour"], &env, None).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.lines().next().unwrap().contains("--colour"),
        "{}",
        out.stderr
    );
    let out = run(
        &["conversations", "list"],
        &[("MOVEWORKS_API_TOKEN", TOKEN)],
        None,
    )
    .await;
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("MOVEWORKS_ASSISTANT_NAME"),
        "{}",
        out.stderr
    );
    let out = run(&["ask", "   "], &env, None).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run(&["api", "no-such-operation"], &env, None).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no operation `no-such-operation`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_come_from_a_file_or_the_environment_and_are_never_printed() {
    let api = mock().await;
    let dir = std::env::temp_dir().join(format!("moveworks-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let base_url = api.base_url();
    let out = run(
        &[
            "--base-url",
            &base_url,
            "--assistant-name",
            ASSISTANT,
            "--token-file",
            token_file.to_str().unwrap(),
            "ask",
            "hello",
            "--no-stream",
        ],
        &[("RUST_LOG", "trace")],
        None,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(" TRACE "),
        "RUST_LOG=trace logs nothing: {}",
        out.stderr
    );
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));

    // OAuth client secrets do not leak either, even when the token request fails.
    let out = run(
        &["--base-url", &base_url, "conversations", "list"],
        &[
            ("MOVEWORKS_ASSISTANT_NAME", ASSISTANT),
            ("MOVEWORKS_CLIENT_ID", "client-1"),
            ("MOVEWORKS_CLIENT_SECRET", "client-secret-77c1"),
            ("MOVEWORKS_TOKEN_URL", &format!("{base_url}/oauth/v1/token")),
            ("RUST_LOG", "trace"),
        ],
        None,
    )
    .await;
    assert_ne!(out.code, 0);
    assert!(
        !out.stdout.contains("client-secret-77c1") && !out.stderr.contains("client-secret-77c1")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete"),
        ("zsh", "#compdef moveworks"),
        ("fish", "complete -c moveworks"),
    ] {
        let out = run(&["completions", shell], &[], None).await;
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout.contains(marker), "{shell}");
        assert!(out.stdout.contains("conversations"), "{shell}");
    }
}
