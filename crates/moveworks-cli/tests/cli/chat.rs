//! `chat` goes on after a failed answer, and ends on EOF or Ctrl-C with
//! the conversation id to continue it.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use moveworks_testkit::sse;

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_answer_does_not_end_the_session() {
    let server = ScriptedServer::start(vec![
        Step::json(201, &conversation_body()),
        Step::json(400, &error_body("INVALID_ARGUMENT", "try again"))
            .with_header("x-moveworks-root-uuid", "req-9"),
        Step::sse(sse::recorded()),
    ])
    .await;
    let chat = |json: bool| {
        let args: &[&str] = if json { &["--json", "chat"] } else { &["chat"] };
        Moveworks::new(args)
            .against(&server.base_url)
            .stdin("first\nsecond\n")
            .run()
    };
    let out = chat(false).await;
    // The second question was answered; the status is the failure's.
    assert!(out.stdout.starts_with(sse::RECORDED_TEXT), "{}", out.stdout);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("request id: req-9"), "{}", out.stderr);
    assert!(
        out.stderr.trim_end().ends_with(&format!(
            "continue it with: moveworks chat --conversation {CONVERSATION_ID}"
        )),
        "{}",
        out.stderr
    );
    assert_eq!(server.count(), 3, "one conversation, two questions");
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_in_json_are_objects_and_the_answers_go_on() {
    let server = ScriptedServer::start(vec![
        Step::json(201, &conversation_body()),
        Step::json(400, &error_body("INVALID_ARGUMENT", "try again")),
        Step::sse(sse::recorded()),
    ])
    .await;
    let out = Moveworks::new(&["--json", "chat"])
        .against(&server.base_url)
        .stdin(b"first\n\xff\nsecond\n".to_vec())
        .run()
        .await;
    // The last failure gives the status: the line that is not UTF-8.
    assert_eq!(out.code, 1, "{}", out.stderr);
    let answers = json_lines(&out.stdout);
    assert_eq!(answers.len(), 1, "{}", out.stdout);
    assert_eq!(answers[0]["text"], sse::RECORDED_TEXT);
    let failures = json_lines(&out.stderr);
    assert_eq!(failures.len(), 2, "{}", out.stderr);
    assert_eq!(failures[0]["code"], "INVALID_ARGUMENT");
    assert_eq!(failures[0]["exit_code"], 3);
    assert_eq!(
        failures[1]["message"],
        "line 2 of stdin is not UTF-8; skipped"
    );
    assert_eq!(failures[1]["exit_code"], 1);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_ends_the_session_with_the_conversation_id() {
    let api = mock().await;
    let moveworks = Moveworks::new(&["chat"]).against(&api.base_url());
    let mut command = moveworks.command();
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"first question\n").unwrap();
        // Wait for the answer's last line, then press Ctrl-C with stdin
        // still open: only Ctrl-C can end the session now.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.starts_with("rate it:") {
            line.clear();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "no answer");
        }
        // SAFETY: kill only sends a signal to the child started above.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let output = child.wait_with_output().unwrap();
        drop(stdin);
        output
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("moveworks chat --conversation {CONVERSATION_ID}")),
        "{stderr}"
    );
}
