//! Every operation of the generated client, with auth set once on the
//! `reqwest::Client`, against the mock of the whole API (which answers only
//! requests that carry both auth headers), decoding the example bodies.

use moveworks_api::types::{
    CreateConversationRequest, CreateResponseRequest, CreateResponseStreamRequest, ResponseStatus,
    SubmitFeedbackRequest, SubmitFeedbackResponseStatus, UpdateConversationRequest, UserInput,
};
use moveworks_api::{Client, OPERATIONS};
use moveworks_testkit::MockApi;
use moveworks_testkit::mock_api::examples::{
    CONVERSATION_ID, HELPFUL_CALLBACK, MESSAGE_ID, RESPONSE_ID,
};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

async fn client() -> (MockApi, Client) {
    let api = MockApi::start("test-token", "acme-assistant").await;
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer test-token"));
    headers.insert("Assistant-Name", HeaderValue::from_static("acme-assistant"));
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = Client::new_with_client(&api.base_url(), http);
    (api, client)
}

#[tokio::test]
async fn every_operation_answers_its_documented_type() {
    let (_api, client) = client().await;
    let mut called = Vec::new();

    let list = client
        .list_conversations(None, None, Some(20))
        .await
        .unwrap();
    assert_eq!(list.conversations.len(), 2);
    called.push("list-conversations");

    let created = client
        .create_conversation(&CreateConversationRequest::new())
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.conversation_id, CONVERSATION_ID);
    called.push("create-conversation");

    let got = client.get_conversation(CONVERSATION_ID).await.unwrap();
    assert_eq!(got.title.as_deref(), Some("Password reset"));
    called.push("get-conversation");

    let updated = client
        .update_conversation(
            CONVERSATION_ID,
            &UpdateConversationRequest::builder()
                .archived(Some(true))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(updated.archived, Some(true));
    called.push("update-conversation");

    let events = client
        .list_events("-", None, None, None, None)
        .await
        .unwrap();
    assert_eq!(events.events.len(), 1);
    called.push("list-events");

    let input = UserInput::Text("How do I reset my password?".to_owned());
    let response = client
        .create_response(CONVERSATION_ID, &CreateResponseRequest::new(input.clone()))
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.status, ResponseStatus::Created);
    called.push("create-response");

    let stream = client
        .create_response_stream(CONVERSATION_ID, &CreateResponseStreamRequest::new(input))
        .await
        .unwrap();
    assert_eq!(
        stream.headers()["content-type"],
        "text/event-stream",
        "the mock serves the stream only to Accept: text/event-stream"
    );
    called.push("create-response-stream");

    let polled = client
        .get_response(CONVERSATION_ID, RESPONSE_ID)
        .await
        .unwrap();
    assert_eq!(polled.status, ResponseStatus::InProgress);
    called.push("get-response");

    let messages = client
        .list_conversation_messages(CONVERSATION_ID, None, None)
        .await
        .unwrap();
    assert_eq!(messages.messages.len(), 2);
    called.push("list-conversation-messages");

    let of_response = client
        .list_response_messages(CONVERSATION_ID, RESPONSE_ID)
        .await
        .unwrap();
    assert_eq!(of_response.messages[1].message_id, MESSAGE_ID);
    called.push("list-response-messages");

    let feedback = client
        .submit_feedback(
            CONVERSATION_ID,
            RESPONSE_ID,
            MESSAGE_ID,
            &SubmitFeedbackRequest::new(HELPFUL_CALLBACK),
        )
        .await
        .unwrap();
    assert_eq!(feedback.status, SubmitFeedbackResponseStatus::Submitted);
    called.push("submit-feedback");

    let mut all: Vec<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    all.sort_unstable();
    called.sort_unstable();
    assert_eq!(called, all, "a generated operation is not covered here");
}

#[tokio::test]
async fn a_success_status_other_than_the_documented_one_is_still_a_success() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST).path("/conversations");
            // 200 where the spec documents 201.
            then.status(200).json_body(serde_json::json!({
                "conversation_id": "conv_1",
                "created_at": "2026-05-01T09:00:00Z",
                "updated_at": "2026-05-01T09:00:00Z"
            }));
        })
        .await;
    let client = Client::new(&server.base_url()).unwrap();
    let created = client
        .create_conversation(&CreateConversationRequest::new())
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    assert_eq!(created.conversation_id, "conv_1");
}
