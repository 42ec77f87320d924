//! Interactive answers in the terminal, against scripted servers: actions
//! listed and pressed (`press`, `/N` in `chat`), links rendered readable,
//! every kind of turn in `messages`, and `events --follow`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use moveworks_testkit::mock_api::examples::{self, ACTIONABLE_TEXT, FILE_TICKET_CALLBACK};
use serde_json::json;

use crate::support::*;

const KB: &str = "https://kb.example.com/kb?id=KB0012";

/// The actionable answer, created already completed (`--no-stream`).
fn completed() -> Step {
    Step::json(
        202,
        &examples::completed_with(examples::actionable_message()).to_string(),
    )
}

/// The actionable answer as a stream.
fn streamed() -> Step {
    Step::sse(examples::event_stream_for(examples::completed_with(
        examples::actionable_message(),
    )))
}

/// A plain streamed answer.
fn plain() -> Step {
    Step::sse(examples::event_stream())
}

/// The `input` each request to `server` sent, in order (null without one).
fn inputs(server: &ScriptedServer) -> Vec<Value> {
    server
        .received()
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).map_or(Value::Null, |b| b["input"].clone())
        })
        .collect()
}

fn rendered_answer() -> String {
    format!(
        "I can file a ticket for your laptop issue. See **Laptop troubleshooting ({KB})** first."
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn ask_renders_links_and_lists_the_actions_numbered() {
    let expected = format!(
        "{}\n\n[1] **Laptop troubleshooting** {KB}\n\nactions:\n  \
         1. File ticket: moveworks press {CONVERSATION_ID} {FILE_TICKET_CALLBACK}\n  \
         2. Edit/Add details (a form, opened in Moveworks)\n  \
         3. Other help options: https://app.moveworks.ai/?t=help\n  \
         4. Talk to IT (CHAT_ACTION action, not supported here)\n\n\
         conversation {CONVERSATION_ID}  response {RESPONSE_ID}\n",
        rendered_answer()
    );
    for (answer, args) in [
        (completed(), &["ask", "My laptop", "--no-stream"][..]),
        (streamed(), &["ask", "My laptop"][..]),
    ] {
        let server =
            ScriptedServer::start(vec![Step::json(201, &conversation_body()), answer]).await;
        let out = Moveworks::new(args).against(&server.base_url).run().await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        // The citation the answer repeats is listed once.
        assert_eq!(out.stdout, expected, "{args:?}");
    }

    // -q: the answer alone, readable.
    let server =
        ScriptedServer::start(vec![Step::json(201, &conversation_body()), streamed()]).await;
    let out = Moveworks::new(&["-q", "ask", "My laptop"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, format!("{}\n", rendered_answer()));

    // --json: as the API sent it.
    let server =
        ScriptedServer::start(vec![Step::json(201, &conversation_body()), streamed()]).await;
    let out = Moveworks::new(&["--json", "ask", "My laptop"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let document: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(document["text"], ACTIONABLE_TEXT);
    assert_eq!(document["actions"], examples::actions());
    assert_eq!(document["citations"].as_array().map(Vec::len), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn press_sends_the_callback_id_and_prints_the_answer() {
    for (answer, args, path) in [
        (plain(), &[][..], "responses/stream"),
        (
            Step::json(202, &examples::response("COMPLETED").to_string()),
            &["--no-stream"][..],
            "responses",
        ),
    ] {
        let server = ScriptedServer::start(vec![answer]).await;
        let mut all = vec!["press", CONVERSATION_ID, FILE_TICKET_CALLBACK];
        all.extend_from_slice(args);
        let out = Moveworks::new(&all).against(&server.base_url).run().await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(out.stdout.starts_with(ANSWER), "{}", out.stdout);
        assert_eq!(
            inputs(&server),
            [json!({"callback_id": FILE_TICKET_CALLBACK})]
        );
        assert_eq!(
            server.received()[0].path,
            format!("/conversations/{CONVERSATION_ID}/{path}")
        );
    }
    // A blank callback id: nothing is sent.
    let server = ScriptedServer::start(vec![plain()]).await;
    let out = Moveworks::new(&["press", CONVERSATION_ID, " "])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("callback_id"), "{}", out.stderr);
    assert_eq!(server.count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_presses_button_n_with_slash_n() {
    let server = ScriptedServer::start(vec![
        Step::json(201, &conversation_body()),
        streamed(),
        streamed(),
        plain(),
    ])
    .await;
    let out = Moveworks::new(&["chat"])
        .against(&server.base_url)
        .stdin("My laptop\n/3\n/9\n/1\n/2 is broken\n")
        .run()
        .await;
    assert!(
        out.stdout.contains("\n  1. File ticket: /1\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\n  3. Other help options: https://app.moveworks.ai/?t=help\n"),
        "{}",
        out.stdout
    );
    // /3 is a link and /9 no action: said, nothing sent; /1 pressed; a
    // slash and more is a question.
    assert!(
        out.stderr.contains(
            "/3 (Other help options) is a link, not a button: open https://app.moveworks.ai/?t=help"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("/9: the last answer offered actions /1 to /4"),
        "{}",
        out.stderr
    );
    assert_eq!(
        inputs(&server),
        [
            Value::Null,
            json!({"text": "My laptop"}),
            json!({"callback_id": FILE_TICKET_CALLBACK}),
            json!({"text": "/2 is broken"}),
        ]
    );
    // The last failure (/9) gives the exit status: a usage error.
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_reads_every_kind_of_turn() {
    let turn = |id: &str, actor: &str, content: Value| {
        json!({
            "message_id": id, "conversation_id": CONVERSATION_ID, "response_id": "resp_2",
            "actor": actor, "content": content, "created_at": "2026-05-01T09:01:00Z"
        })
    };
    let mut agent = turn(
        "msg_agent",
        "LIVE_AGENT",
        json!({"type": "PLAIN_TEXT", "plain_text": {"text": "Jane here: <https://it.example/loaners|loaners>."}}),
    );
    agent["sender_info"] = json!({"display_name": "Jane Doe"});
    let page = json!({
        "messages": [
            agent,
            turn("msg_form", "ASSISTANT", json!({"type": "FORM_CONTENT", "form_content": {}})),
            turn("msg_press", "USER", json!({"type": "CALLBACK_ACTION_CONTENT",
                "callback_action": {"callback_id": FILE_TICKET_CALLBACK}})),
            examples::actionable_message()
        ],
        "metadata": {"next_cursor": null}
    });
    let server = ScriptedServer::start(vec![Step::json(200, &page.to_string())]).await;
    let out = Moveworks::new(&["messages", CONVERSATION_ID])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].contains(" LIVE_AGENT (Jane Doe) msg_agent "),
        "{}",
        out.stdout
    );
    assert_eq!(
        lines[1],
        "  Jane here: loaners (https://it.example/loaners)."
    );
    assert_eq!(lines[3], "  [FORM_CONTENT content]");
    assert_eq!(lines[5], "  pressed File ticket");
    assert_eq!(lines[7], format!("  {}", rendered_answer()));
    assert_eq!(
        lines[8],
        "  actions: File ticket (button) | Edit/Add details (form) | \
         Other help options (https://app.moveworks.ai/?t=help) | Talk to IT (CHAT_ACTION)"
    );
    // --json: raw.
    let server = ScriptedServer::start(vec![Step::json(200, &page.to_string())]).await;
    let out = Moveworks::new(&["--json", "messages", CONVERSATION_ID])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(
        json_lines(&out.stdout),
        page["messages"].as_array().unwrap().clone()
    );
}

fn events(ids: &[&str]) -> Step {
    let events: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"event_id": id, "conversation_id": CONVERSATION_ID,
                   "event_payload": {"type": "MESSAGE_EVENT", "message": examples::actionable_message()}})
        })
        .collect();
    Step::json(
        200,
        &json!({"events": events, "metadata": {"next_cursor": null}}).to_string(),
    )
}

/// The `starting_after` each request sent.
fn starting_after(server: &ScriptedServer) -> Vec<Option<String>> {
    server
        .received()
        .iter()
        .map(|r| {
            r.path
                .split(['?', '&'])
                .find_map(|pair| pair.strip_prefix("starting_after="))
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn events_follow_prints_new_events_as_they_come() {
    let server = ScriptedServer::start(vec![
        events(&["evt_1"]),
        events(&[]),
        events(&["evt_2", "evt_3"]),
    ])
    .await;
    let out = Moveworks::new(&[
        "--json", "events", "--follow", "--since", "evt_0", "--every", "1", "--limit", "3",
    ])
    .against(&server.base_url)
    .run()
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids: Vec<Value> = json_lines(&out.stdout)
        .iter()
        .map(|e| e["event_id"].clone())
        .collect();
    assert_eq!(ids, ["evt_1", "evt_2", "evt_3"]);
    assert_eq!(
        starting_after(&server),
        [Some("evt_0"), Some("evt_1"), Some("evt_1")].map(|id| id.map(str::to_owned))
    );

    // Without --since: from the newest event now; readable, links rendered.
    let server = ScriptedServer::start(vec![events(&["evt_1"]), events(&["evt_2"])]).await;
    let out = Moveworks::new(&["events", "--follow", "--every", "1", "--limit", "1"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("evt_2 2026-05-01 09:00:04 conversation "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&rendered_answer()), "{}", out.stdout);
    assert_eq!(starting_after(&server), [None, Some("evt_1".to_owned())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn events_follow_refuses_what_cannot_be_followed() {
    let server = ScriptedServer::start(vec![events(&["evt_1"])]).await;
    for (args, says) in [
        (&["--every", "0.5"][..], "minimum of 1 s"),
        (
            &["--since", "2026-05-01T00:00:00Z"][..],
            "resumes after an event id",
        ),
        (&["--until", "evt_9"][..], "--until"),
    ] {
        let mut all = vec!["events", "--follow"];
        all.extend_from_slice(args);
        let out = Moveworks::new(&all).against(&server.base_url).run().await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    let out = Moveworks::new(&["events", "--every", "2"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(server.count(), 0);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn events_follow_ends_with_ctrl_c_or_a_closed_stdout() {
    // Ctrl-C after the first event: the status of an interrupted command.
    let server = ScriptedServer::start(vec![events(&["evt_1"]), events(&[])]).await;
    let moveworks = Moveworks::new(&["events", "--follow", "--since", "evt_0", "--every", "1"])
        .against(&server.base_url);
    let mut command = moveworks.command();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "no event");
        assert!(line.starts_with("evt_1 "), "{line}");
        // SAFETY: kill only sends a signal to the child started above.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(130));

    // A reader that goes away: quietly, status 0, at the next event.
    let server = ScriptedServer::start(vec![events(&["evt_1"])]).await;
    let moveworks = Moveworks::new(&[
        "--json", "events", "--follow", "--since", "evt_0", "--every", "1",
    ])
    .against(&server.base_url);
    let command = moveworks.command();
    let mut shell = std::process::Command::new("bash");
    shell
        .arg("-c")
        .arg(r#""$0" "$@" | head -1; exit "${PIPESTATUS[0]}""#)
        .arg(command.get_program())
        .args(command.get_args())
        .env_clear()
        .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let output = tokio::task::spawn_blocking(move || shell.output().unwrap())
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
    assert_eq!(
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).as_ref()
        ),
        (Some(0), "")
    );
}
