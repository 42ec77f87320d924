//! With --json a failure is one JSON object on stderr, with the same exit
//! code as without.

use crate::support::*;

fn error_object(stderr: &str) -> Value {
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    serde_json::from_str(stderr).unwrap_or_else(|e| panic!("{e}: {stderr}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_keeps_status_code_and_request_id() {
    let server = ScriptedServer::start(vec![
        Step::json(404, &error_body("NOT_FOUND", "no such conversation"))
            .with_header("x-moveworks-root-uuid", "req-77"),
    ])
    .await;
    let out = Moveworks::new(&["--json", "conversations", "get", "conv_x"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 3);
    assert_eq!(out.stdout, "");
    let error = error_object(&out.stderr);
    assert_eq!(error["kind"], "api");
    assert_eq!(error["exit_code"], 3);
    assert_eq!(error["status"], 404);
    assert_eq!(error["code"], "NOT_FOUND");
    assert_eq!(error["api_message"], "no such conversation");
    assert_eq!(error["request_id"], "req-77");
    assert_eq!(error["may_have_been_processed"], false);
    assert_eq!(error["attempts"], 1);
    assert!(
        error["message"].as_str().unwrap().contains("404 Not Found"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_that_may_have_been_processed_says_so() {
    // A create that fails with a 500 may have created the conversation.
    let server =
        ScriptedServer::start(vec![Step::json(500, &error_body("INTERNAL", "oops"))]).await;
    let out = Moveworks::new(&["--json", "conversations", "create"])
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    let error = error_object(&out.stderr);
    assert_eq!(error["may_have_been_processed"], true, "{error}");
    assert_eq!(server.count(), 1, "a create was retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_failure_is_an_object() {
    let cases: Vec<(Moveworks, i32, &str)> = vec![
        (
            Moveworks::new(&["--json", "conversations", "get", "c"]).against(&closed_port_url()),
            4,
            "transport",
        ),
        // Before a client exists: configuration...
        (
            Moveworks::new(&["--json", "conversations", "list"]),
            2,
            "usage",
        ),
        // ...and a command line clap refuses.
        (Moveworks::new(&["--json", "ask"]), 2, "usage"),
        (
            Moveworks::new(&["conversations", "list", "--colour", "--json"]),
            2,
            "usage",
        ),
        (
            Moveworks::new(&["--json", "ask", " "]).against(&closed_port_url()),
            2,
            "invalid_input",
        ),
    ];
    for (moveworks, code, kind) in cases {
        let out = moveworks.run().await;
        assert_eq!(out.code, code, "{kind}: {}", out.stderr);
        let error = error_object(&out.stderr);
        assert_eq!(error["kind"], kind, "{error}");
        assert_eq!(error["exit_code"], code, "{error}");
        assert!(!error["message"].as_str().unwrap().is_empty(), "{error}");
    }
}
