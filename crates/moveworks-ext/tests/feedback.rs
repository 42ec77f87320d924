//! The feedback helper: ratings pick the message's callback id, and bad
//! input is refused before anything reaches the server.

use httpmock::Method::POST;
use httpmock::MockServer;
use moveworks_ext::defaults::MAX_COMMENT_CHARS;
use moveworks_ext::types::Message;
use moveworks_ext::{Client, ErrorKind, Feedback, MessageRef, Rating};
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .assistant_name("acme")
        .bearer_token("t")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_rating_sends_the_matching_callback_id_and_comment_verbatim() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/conversations/conv_1/responses/resp_1/messages/msg_1/feedback")
                .json_body(json!({"callback_id": "eyJhY3Rpb24iOiJ1bmhlbHBmdWwifQ==", "additional_feedback": "Wrong office."}));
            then.status(200).json_body(json!({"status": "SUBMITTED"}));
        })
        .await;
    let message: Message = serde_json::from_value(json!({
        "message_id": "msg_1", "conversation_id": "conv_1", "response_id": "resp_1",
        "actor": "ASSISTANT", "created_at": "2026-01-01T00:00:00Z",
        "content": {"type": "PLAIN_TEXT", "plain_text": {"text": "Go to the second floor."}},
        "feedback": {
            "helpful": {"callback_id": "eyJhY3Rpb24iOiJoZWxwZnVsIn0="},
            "unhelpful": {"callback_id": "eyJhY3Rpb24iOiJ1bmhlbHBmdWwifQ=="}
        }
    }))
    .unwrap();

    let feedback = Feedback::for_message(&message, Rating::Unhelpful)
        .unwrap()
        .comment("Wrong office.");
    client(&server).submit_feedback(feedback).await.unwrap();

    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn bad_ids_and_long_comments_never_reach_the_server() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"status": "SUBMITTED"}));
        })
        .await;
    let client = client(&server);
    let ok = |c, r, m| Feedback::with_callback_id(MessageRef::new(c, r, m), "cb");

    let too_long = ok("conv_1", "resp_1", "msg_1").comment("x".repeat(MAX_COMMENT_CHARS + 1));
    let error = client.submit_feedback(too_long).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.field()),
        (ErrorKind::InvalidInput, Some("comment")),
        "{error}"
    );

    for (c, r, m, field) in [
        ("..", "resp_1", "msg_1", "conversation_id"),
        ("conv_1", ".", "msg_1", "response_id"),
        ("conv_1", "resp_1", "", "message_id"),
        ("conv_1", "resp_1", "a/b", "message_id"),
    ] {
        let error = client.submit_feedback(ok(c, r, m)).await.unwrap_err();
        assert_eq!(
            (error.kind(), error.field()),
            (ErrorKind::InvalidInput, Some(field)),
            "{error}"
        );
        assert_eq!(error.attempts(), 0);
    }

    // The generic path is guarded too, by the generated client's path check.
    let body = moveworks_api::types::SubmitFeedbackRequest::new("cb");
    let error = client
        .call(|api| api.submit_feedback("..", "resp_1", "msg_1", &body))
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.field()),
        (ErrorKind::InvalidInput, Some("path")),
        "{error}"
    );

    assert_eq!(anything.calls_async().await, 0);
}
