//! Requests that create something (a conversation, a response) are never
//! sent twice unless the first surely was not processed. Each case is
//! counted at the server.

mod support;

use std::time::Duration;

use moveworks_ext::{Client, Error, ErrorKind, NewConversation};
use moveworks_testkit::mock_api::examples;
use support::{RefusedOnce, ScriptedServer, Step, client_for, error_body};

fn created() -> Step {
    Step::json(202, &examples::response("CREATED").to_string())
}

fn client(base_url: &str) -> Client {
    client_for(base_url)
        .connect_timeout(Duration::from_millis(500))
        .attempt_timeout(Duration::from_millis(400))
        .total_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn create_response(client: &Client) -> Result<moveworks_api::types::Response, Error> {
    client.create_response("conv_1", "Reset my password").await
}

#[tokio::test]
async fn a_500_after_sending_is_returned_at_once_as_possibly_processed() {
    let server = ScriptedServer::start(vec![
        Step::json(500, &error_body("INTERNAL_ERROR", "boom")),
        created(),
    ])
    .await;
    let error = create_response(&client(&server.base_url))
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_been_processed());
    assert!(
        error.to_string().contains("may have been processed"),
        "{error}"
    );
}

#[tokio::test]
async fn a_reset_after_the_request_is_not_resent() {
    for fault in [Step::Reset, Step::Close, Step::ResetAfterHeaders] {
        let server = ScriptedServer::start(vec![fault.clone(), created()]).await;
        let error = create_response(&client(&server.base_url))
            .await
            .unwrap_err();
        assert_eq!(server.count(), 1, "{fault:?}");
        assert_eq!(error.kind(), ErrorKind::Transport, "{fault:?}: {error:?}");
        assert!(error.may_have_been_processed(), "{fault:?}");
    }
}

#[tokio::test]
async fn a_timeout_is_not_resent() {
    let server = ScriptedServer::start(vec![Step::Stall(Duration::from_secs(3)), created()]).await;
    let error = create_response(&client(&server.base_url))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.may_have_been_processed());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_refused_connection_then_success_sends_one_request() {
    let port = RefusedOnce::new(vec![created()]);
    let client = client_for(&port.url())
        .http_client(port.http_client())
        .build()
        .unwrap();
    let response = create_response(&client).await.unwrap();
    assert_eq!(response.response_id, examples::RESPONSE_ID);
    assert_eq!(port.lookups(), 2, "refused, then connected");
    assert_eq!(port.server().count(), 1);
}

#[tokio::test]
async fn a_429_then_success_sends_two_requests() {
    let server = ScriptedServer::start(vec![
        Step::json(429, &error_body("RATE_LIMIT_EXCEEDED", "slow down"))
            .with_header("retry-after", "0"),
        created(),
    ])
    .await;
    let response = create_response(&client(&server.base_url)).await.unwrap();
    assert_eq!(response.response_id, examples::RESPONSE_ID);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn rejections_are_not_possibly_processed() {
    let server = ScriptedServer::start(vec![Step::json(
        400,
        &error_body("INVALID_INPUT", "no text"),
    )])
    .await;
    let error = create_response(&client(&server.base_url))
        .await
        .unwrap_err();
    assert!(!error.may_have_been_processed());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn create_conversation_follows_the_same_rule_and_gets_keep_retrying() {
    let server = ScriptedServer::start(vec![
        Step::json(503, &error_body("INTERNAL_ERROR", "busy")),
        Step::json(201, &examples::conversation("conv_9", None).to_string()),
    ])
    .await;
    let client = client(&server.base_url);
    let error = client
        .create_conversation(NewConversation::new())
        .await
        .unwrap_err();
    assert!(error.may_have_been_processed());
    assert_eq!(server.count(), 1);

    // A GET is idempotent: the same 503 is retried.
    let server = ScriptedServer::start(vec![
        Step::json(503, &error_body("INTERNAL_ERROR", "busy")),
        Step::json(200, &examples::conversation("conv_9", None).to_string()),
    ])
    .await;
    let conversation = client_for(&server.base_url)
        .build()
        .unwrap()
        .get_conversation("conv_9")
        .await
        .unwrap();
    assert_eq!(conversation.conversation_id, "conv_9");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let server = ScriptedServer::start(vec![created()]).await;
    let client = client(&server.base_url);
    for text in ["", "   ", "\n\t"] {
        let error = client.create_response("conv_1", text).await.unwrap_err();
        assert!(
            error.kind() == ErrorKind::InvalidInput && error.field() == Some("text"),
            "{error:?}"
        );
        assert!(client.ask("conv_1", text).await.is_err());
    }
    for id in ["", ".", "..", "a/b"] {
        assert!(client.create_response(id, "hi").await.is_err());
        assert!(client.get_response("conv_1", id).await.is_err());
        assert!(client.get_conversation(id).await.is_err());
        assert!(client.list_conversation_messages(id).all().await.is_err());
    }
    assert!(
        client
            .create_conversation(NewConversation::new().title("  "))
            .await
            .is_err()
    );
    assert!(
        client
            .update_conversation("conv_1", moveworks_ext::ConversationUpdate::new())
            .await
            .is_err()
    );
    assert_eq!(server.count(), 0);
}
