//! Interactive answers against a scripted upstream: an answer's actions of
//! every kind, and pressing a button through create, stream and ask, never
//! sent twice.

mod support;

use moveworks_ext::{ActionExt, ActionKind, ErrorKind, Input, ResponseExt};
use moveworks_testkit::mock_api::examples::{self, FILE_TICKET_CALLBACK};
use moveworks_testkit::sse;
use serde_json::{Value, json};
use support::{ScriptedServer, Step, client_for, error_body};

fn completed() -> Step {
    Step::json(
        200,
        &examples::completed_with(examples::actionable_message()).to_string(),
    )
}

/// An action's kind and what it points at (callback id, modal id, URL, or
/// an unknown action's type).
fn target(kind: ActionKind<'_>) -> (&'static str, &str) {
    match kind {
        ActionKind::Callback { callback_id, .. } => ("button", callback_id),
        ActionKind::Modal { modal_id, .. } => ("form", modal_id),
        ActionKind::Url { url, .. } => ("link", url),
        ActionKind::Unknown { action_type, .. } => ("unknown", action_type.unwrap_or("")),
        _ => ("?", ""),
    }
}

fn sent_input(server: &ScriptedServer, index: usize) -> Value {
    let body: Value = serde_json::from_slice(&server.received()[index].body).unwrap();
    body["input"].clone()
}

#[tokio::test]
async fn an_answer_offers_every_kind_of_action() {
    let server = ScriptedServer::start(vec![completed()]).await;
    let client = client_for(&server.base_url).build().unwrap();
    let answer = client
        .ask("conv_1", "My laptop will not start")
        .await
        .unwrap();
    let actions = answer.actions();
    let seen: Vec<_> = actions
        .iter()
        .map(|a| (a.label(), target(a.kind())))
        .collect();
    let unknown = &examples::actions()[3];
    assert_eq!(
        seen,
        [
            (Some("File ticket"), ("button", FILE_TICKET_CALLBACK)),
            (Some("Edit/Add details"), ("form", "modal_4Rt9editDetails")),
            (
                Some("Other help options"),
                ("link", "https://app.moveworks.ai/?t=help")
            ),
            (Some("Talk to IT"), ("unknown", "CHAT_ACTION")),
        ]
    );
    assert!(matches!(
        actions[3].kind(),
        ActionKind::Unknown { raw, .. } if raw == unknown
    ));
    let presses: Vec<Option<Input>> = actions.iter().map(|a| a.press()).collect();
    assert_eq!(
        presses,
        [
            Some(Input::callback(FILE_TICKET_CALLBACK)),
            None,
            None,
            None
        ]
    );
    // Written back, every action is there as it came.
    let written = serde_json::to_value(&answer).unwrap();
    assert_eq!(
        written["outputs"][0]["message"]["actions"],
        examples::actions()
    );
}

#[tokio::test]
async fn a_press_goes_through_create_stream_and_ask() {
    let press = || Input::callback(FILE_TICKET_CALLBACK);
    let expected = json!({"callback_id": FILE_TICKET_CALLBACK});

    let server = ScriptedServer::start(vec![completed()]).await;
    let client = client_for(&server.base_url).build().unwrap();
    client.create_response("conv_1", press()).await.unwrap();
    assert_eq!(sent_input(&server, 0), expected);
    assert_eq!(server.received()[0].path, "/conversations/conv_1/responses");

    let server = ScriptedServer::start(vec![Step::sse(sse::recorded())]).await;
    let client = client_for(&server.base_url).build().unwrap();
    let handle = client.continue_conversation("conv_1").unwrap();
    let streamed = handle
        .create_response_stream(press())
        .await
        .unwrap()
        .completed()
        .await
        .unwrap();
    assert_eq!(streamed.text(), sse::RECORDED_TEXT);
    assert_eq!(sent_input(&server, 0), expected);
    assert_eq!(
        server.received()[0].path,
        "/conversations/conv_1/responses/stream"
    );

    // Ask: created, then waited for; the press is sent once, the wait polls.
    let server = ScriptedServer::start(vec![
        Step::json(202, &examples::response("CREATED").to_string()),
        completed(),
    ])
    .await;
    let client = client_for(&server.base_url).build().unwrap();
    let button = examples::actions()[0].clone();
    let button: moveworks_ext::types::Action = serde_json::from_value(button).unwrap();
    let answer = client
        .continue_conversation("conv_1")
        .unwrap()
        .ask(button.press().unwrap())
        .await
        .unwrap();
    assert!(answer.is_finished());
    let received = server.received();
    assert_eq!(
        received
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>(),
        ["POST", "GET"]
    );
    assert_eq!(sent_input(&server, 0), expected);
}

#[tokio::test]
async fn a_press_is_never_sent_twice_after_a_5xx() {
    let failed = || Step::json(503, &error_body("UNAVAILABLE", "busy"));
    for stream in [false, true] {
        let server = ScriptedServer::start(vec![failed(), completed()]).await;
        let client = client_for(&server.base_url).build().unwrap();
        let press = Input::callback(FILE_TICKET_CALLBACK);
        let error = if stream {
            client
                .create_response_stream("conv_1", press)
                .await
                .err()
                .unwrap()
        } else {
            client.ask("conv_1", press).await.unwrap_err()
        };
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
        assert!(error.may_have_been_processed(), "{error}");
        assert!(!error.is_retryable());
        assert_eq!(server.count(), 1, "stream: {stream}");
    }
}

#[tokio::test]
async fn a_blank_press_or_text_is_refused_before_sending() {
    let server = ScriptedServer::start(vec![completed()]).await;
    let client = client_for(&server.base_url).build().unwrap();
    let handle = client.continue_conversation("conv_1").unwrap();
    let cases: Vec<(Input, &str)> = vec![
        (Input::callback(""), "callback_id"),
        (Input::callback("  "), "callback_id"),
        (Input::text(" \n"), "text"),
    ];
    for (input, field) in cases {
        for outcome in [
            handle.ask(&input).await.map(drop),
            handle.create_response(&input).await.map(drop),
            handle.create_response_stream(&input).await.map(drop),
        ] {
            match outcome {
                Err(error) if error.kind() == ErrorKind::InvalidInput => {
                    assert_eq!(error.field(), Some(field))
                }
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }
    assert_eq!(server.count(), 0);
}
