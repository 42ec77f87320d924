//! Every subcommand on its happy path, JSON output, stdin, and secrets
//! that are never printed.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn ask_prints_the_answer_citations_and_feedback_ids() {
    let api = mock().await;
    let base = api.base_url();
    let ask = |args: &[&str]| Moveworks::new(args).against(&base).run();
    let polled = ask(&["ask", "How do I reset my password?", "--no-stream"]).await;
    // Streamed by default (the mock serves a real SSE body): the same text.
    let out = ask(&["ask", "How do I reset my password?"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(polled.stdout, out.stdout);
    // Exactly the session the README shows.
    assert_eq!(
        out.stdout,
        format!(
            "{ANSWER}\n\n[1] Password Reset Guide https://support.example.com/kb/password-reset\n\n\
             conversation {CONVERSATION_ID}  response {RESPONSE_ID}  message {MESSAGE_ID}\n\
             rate it: moveworks feedback {CONVERSATION_ID} {RESPONSE_ID} {MESSAGE_ID} --helpful\n"
        )
    );

    let out = ask(&["--json", "ask", "Hi", "--conversation", CONVERSATION_ID]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let document: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(document["text"], ANSWER);
    assert_eq!(document["message_id"], MESSAGE_ID);
    assert_eq!(document["response"]["status"], "COMPLETED");
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_prints_only_the_answer() {
    let api = mock().await;
    for args in [
        &["-q", "ask", "How do I reset my password?"][..],
        &[
            "ask",
            "--quiet",
            "How do I reset my password?",
            "--no-stream",
        ],
    ] {
        let out = Moveworks::new(args).against(&api.base_url()).run().await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout, format!("{ANSWER}\n"), "{args:?}");
        assert_eq!(out.stderr, "", "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ask_dash_reads_the_question_from_stdin() {
    use moveworks_testkit::sse;
    let server = ScriptedServer::start(vec![
        Step::json(201, &conversation_body()),
        Step::sse(sse::recorded()),
    ])
    .await;
    let out = Moveworks::new(&["--json", "ask", "-"])
        .against(&server.base_url)
        .stdin("How do I reset\nmy password?\n")
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let document: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(document["text"], sse::RECORDED_TEXT);
    // The question sent is stdin's, trimmed, its inner line break kept.
    let sent = server.received();
    assert!(
        sent[1].path.ends_with("/responses/stream"),
        "{}",
        sent[1].path
    );
    let body: Value = serde_json::from_slice(&sent[1].body).unwrap();
    assert_eq!(body["input"]["text"], "How do I reset\nmy password?");

    // An empty stdin is an empty question: refused before anything is sent.
    let out = Moveworks::new(&["ask", "-"])
        .against(&server.base_url)
        .stdin("  \n")
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_reads_questions_from_a_pipe() {
    let api = mock().await;
    let out = Moveworks::new(&["--json", "chat"])
        .against(&api.base_url())
        .stdin("first question\n\nsecond question\n")
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = json_lines(&out.stdout);
    assert_eq!(answers.len(), 2);
    assert!(
        answers
            .iter()
            .all(|a| a["conversation_id"] == CONVERSATION_ID)
    );
    // With --json, stderr is for failures only.
    assert_eq!(out.stderr, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn feedback_says_which_rating_it_sent() {
    let api = mock().await;
    let feedback = |args: &[&str]| {
        let mut all = vec!["feedback", CONVERSATION_ID, RESPONSE_ID];
        all.extend_from_slice(args);
        Moveworks::new(&all).against(&api.base_url()).run()
    };
    let out = feedback(&[MESSAGE_ID, "--unhelpful", "--comment", "Unclear."]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("rated message {MESSAGE_ID} unhelpful: SUBMITTED\n")
    );

    // The callback id decides the rating, which the CLI cannot know.
    let out = feedback(&[MESSAGE_ID, "--callback-id", HELPFUL_CALLBACK]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("rating sent for message {MESSAGE_ID}: SUBMITTED\n")
    );
    let out = feedback(&["--json", MESSAGE_ID, "--helpful"]).await;
    let answer: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(
        (&answer["status"], &answer["rating"], &answer["message_id"]),
        (&"SUBMITTED".into(), &"helpful".into(), &MESSAGE_ID.into())
    );
    let out = feedback(&["--json", MESSAGE_ID, "--callback-id", "cb"]).await;
    let answer: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(answer["rating"], Value::Null);

    // A rating and a callback id contradict each other: a usage error.
    let out = feedback(&[MESSAGE_ID, "--helpful", "--callback-id", "cb"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_subcommands() {
    let api = mock().await;
    let run = |args: &[&str]| Moveworks::new(args).against(&api.base_url()).run();
    let out = run(&["conversations", "list"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(out.stdout.contains("Password reset"));

    let out = run(&[
        "--json",
        "conversations",
        "list",
        "--archived",
        "--limit",
        "1",
    ])
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
        let out = run(&with_json).await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        let conversation: Value = serde_json::from_str(out.stdout.trim()).unwrap();
        assert_eq!(conversation["conversation_id"], CONVERSATION_ID, "{args:?}");
    }
    let out = run(&["conversations", "update", CONVERSATION_ID]).await;
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nothing to change"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_and_events() {
    let api = mock().await;
    let run = |args: &[&str]| Moveworks::new(args).against(&api.base_url()).run();
    let out = run(&["--json", "messages", CONVERSATION_ID]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json_lines(&out.stdout).len(), 2);
    let out = run(&[
        "messages",
        CONVERSATION_ID,
        "--response",
        RESPONSE_ID,
        "--limit",
        "1",
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("USER"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("ASSISTANT"),
        "--limit 1: {}",
        out.stdout
    );

    let out = run(&["--json", "events"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let events = json_lines(&out.stdout);
    assert_eq!(
        events[0]["event_payload"]["message"]["message_id"],
        MESSAGE_ID
    );
    let out = run(&[
        "events",
        "--conversation",
        CONVERSATION_ID,
        "--since",
        "evt_1",
        "--until",
        "evt_9",
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(ANSWER));
    // The example event's message is from 2026-05-01 09:00:04.
    let out = run(&["events", "--since", "2026-05-02T00:00:00Z"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let out = run(&["events", "--until", "2026-05-01T00:00:00Z"]).await;
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[tokio::test(flavor = "multi_thread")]
async fn api_reaches_every_operation_of_the_table() {
    use moveworks_ext::moveworks_api::OPERATIONS;
    let api = mock().await;
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Moveworks::new(&args).against(&api.base_url()).run()
    };
    let out = run(vec!["--json".into(), "api".into(), "--list".into()]).await;
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
        let out = run(args).await;
        assert_eq!(out.code, 0, "{}: {}", operation.id, out.stderr);
        assert!(!out.stdout.trim().is_empty(), "{}", operation.id);
    }
    let out = Moveworks::new(&[
        "api",
        "create-response",
        "--param",
        "conversation_id=c",
        "--body",
        "-",
    ])
    .against(&api.base_url())
    .stdin(r#"{"input": {"text": "from stdin"}}"#)
    .run()
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let response: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(response["status"], "CREATED");
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_come_from_files_stdin_or_the_environment_and_are_never_printed() {
    let api = mock().await;
    let dir = temp_dir("secrets");
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let base_url = api.base_url();
    let settings = ["--base-url", &base_url, "--assistant-name", ASSISTANT];
    let with = |extra: &[&str]| {
        let mut args = settings.to_vec();
        args.extend_from_slice(extra);
        args.extend(["ask", "hello", "--no-stream"]);
        Moveworks::new(&args).env("RUST_LOG", "trace")
    };
    let out = with(&["--token-file", token_file.to_str().unwrap()])
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(" TRACE "),
        "RUST_LOG=trace logs nothing: {}",
        out.stderr
    );

    // `--token-file -`: the token on stdin.
    let out = with(&["--token-file", "-"])
        .stdin(format!("{TOKEN}\n"))
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);

    // OAuth client credentials, the secret from a file or stdin.
    let secret = "client-secret-77c1";
    let secret_file = dir.join("secret");
    std::fs::write(&secret_file, secret).unwrap();
    for source in [secret_file.to_str().unwrap(), "-"] {
        let tokens = ScriptedServer::start(vec![Step::json(200, &token_body())]).await;
        let token_url = format!("{}/oauth/v1/token", tokens.base_url);
        let out = with(&[
            "--client-id",
            "client-1",
            "--client-secret-file",
            source,
            "--token-url",
            &token_url,
        ])
        .stdin(secret)
        .run()
        .await;
        assert_eq!(out.code, 0, "{source}: {}", out.stderr);
        assert!(!out.stderr.contains(secret), "{}", out.stderr);
        let sent = tokens.received();
        assert_eq!(sent.len(), 1);
        let form = String::from_utf8_lossy(&sent[0].body).into_owned();
        assert!(form.contains("client_id=client-1"), "{form}");
        assert!(form.contains(&format!("client_secret={secret}")), "{form}");
    }

    // The secret does not leak when the token request fails either.
    let out = Moveworks::new(&["conversations", "list"])
        .oauth(&base_url, &format!("{base_url}/oauth/v1/token"), secret)
        .env("RUST_LOG", "trace")
        .run()
        .await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));

    // Stdin feeds one input only, found before anything is sent.
    let mut args = settings.to_vec();
    args.extend(["--token-file", "-", "ask", "-"]);
    let out = Moveworks::new(&args).stdin(TOKEN).run().await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: --token-file - and ask - both read stdin; give one of them a file\n"
    );
    // Empty secrets are refused, naming where they came from.
    std::fs::write(&token_file, "\n").unwrap();
    let out = with(&["--token-file", token_file.to_str().unwrap()])
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!(
            "error: the token from {} (--token-file) is empty",
            token_file.display()
        )),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_for_every_shell_clap_complete_knows() {
    for (shell, marker) in [
        ("bash", "complete"),
        ("zsh", "#compdef moveworks"),
        ("fish", "complete -c moveworks"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[moveworks]"),
    ] {
        let out = Moveworks::new(&["completions", shell]).run().await;
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}");
        assert!(out.stdout.contains("conversations"), "{shell}");
    }
}
