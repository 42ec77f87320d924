//! Every operation of the Conversations API through moveworks-ext, against
//! the mock of the whole API (moveworks-testkit's `MockApi`, built on the
//! generated httpmock helpers), which refuses requests without the auth
//! headers and answers the spec-shaped example bodies.

mod support;

use futures_util::TryStreamExt;
use moveworks_api::types::{ActorType, EventType, ResponseStatus, SubmitFeedbackResponseStatus};
use moveworks_ext::{
    Client, ConversationQuery, ConversationUpdate, ErrorKind, EventQuery, Feedback, MessageExt,
    MessageRef, NewConversation, Rating, ResponseExt, TextFormat,
};
use moveworks_testkit::mock_api::examples::{
    ANSWER, CONVERSATION_ID, HELPFUL_CALLBACK, MESSAGE_ID, RESPONSE_ID,
};
use support::mock_api;

#[tokio::test]
async fn conversations_create_get_update_and_list() {
    let (_api, client) = mock_api().await;
    let created = client
        .create_conversation(NewConversation::new())
        .await
        .unwrap();
    assert_eq!(created.conversation_id, CONVERSATION_ID);
    let titled = client
        .create_conversation(NewConversation::new().title("Password reset"))
        .await
        .unwrap();
    assert_eq!(titled.conversation_id, CONVERSATION_ID);

    let fetched = client.get_conversation(CONVERSATION_ID).await.unwrap();
    assert_eq!(fetched.title.as_deref(), Some("Password reset"));

    let archived = client
        .update_conversation(CONVERSATION_ID, ConversationUpdate::new().archived(true))
        .await
        .unwrap();
    assert_eq!(archived.archived, Some(true));

    let all: Vec<_> = client
        .list_conversations(ConversationQuery::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].title.as_deref(), Some("VPN access"));
    assert_eq!(
        client
            .list_conversations(ConversationQuery::new().archived(true))
            .all()
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn responses_create_get_wait_and_ask() {
    let (_api, client) = mock_api().await;
    let created = client
        .create_response(CONVERSATION_ID, "How do I reset my password?")
        .await
        .unwrap();
    assert_eq!(created.status, ResponseStatus::Created);
    assert_eq!(created.response_id, RESPONSE_ID);

    let first = client
        .get_response(CONVERSATION_ID, RESPONSE_ID)
        .await
        .unwrap();
    assert_eq!(first.status, ResponseStatus::InProgress);
    assert!(!first.is_finished());

    let done = client
        .wait_for_response(CONVERSATION_ID, RESPONSE_ID)
        .await
        .unwrap();
    assert_eq!(done.status, ResponseStatus::Completed);
    assert_eq!(done.text(), ANSWER);
    assert_eq!(
        done.citations()[0].url.as_deref(),
        Some("https://support.example.com/kb/password-reset")
    );

    let asked = client
        .ask(CONVERSATION_ID, "How do I reset my password?")
        .await
        .unwrap();
    assert_eq!(asked.text(), ANSWER);
    let message = asked.messages()[0];
    assert_eq!(message.text_format(), TextFormat::Commonmark);
    assert!(message.is_rateable());
}

#[tokio::test]
async fn messages_events_and_feedback() {
    let (_api, client) = mock_api().await;
    let messages = client
        .list_conversation_messages(CONVERSATION_ID)
        .all()
        .await
        .unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].actor, ActorType::Assistant);
    assert_eq!(messages[1].actor, ActorType::User);
    assert_eq!(messages[1].text(), "How do I reset my password?");

    let of_response = client
        .list_response_messages(CONVERSATION_ID, RESPONSE_ID)
        .all()
        .await
        .unwrap();
    assert_eq!(of_response.len(), 2);
    let rateable: Vec<_> = of_response.iter().filter(|m| m.is_rateable()).collect();
    assert_eq!(rateable.len(), 1);
    assert_eq!(rateable[0].message_id, MESSAGE_ID);
    assert_eq!(
        rateable[0]
            .feedback
            .as_ref()
            .and_then(|f| f.helpful.as_ref())
            .map(|o| o.callback_id.as_str()),
        Some(HELPFUL_CALLBACK)
    );
    let feedback = Feedback::for_message(rateable[0], Rating::Helpful).unwrap();
    assert_eq!(
        feedback.message(),
        &MessageRef::new(CONVERSATION_ID, RESPONSE_ID, MESSAGE_ID)
    );
    let rated = client.submit_feedback(feedback).await.unwrap();
    assert_eq!(rated.status, SubmitFeedbackResponseStatus::Submitted);
    // The user's message offers no rating: refused before sending.
    let user = &of_response[0];
    assert!(matches!(
        Feedback::for_message(user, Rating::Helpful),
        Err(e) if e.kind() == ErrorKind::InvalidInput && e.field() == Some("message")
    ));

    for query in [
        EventQuery::all_conversations(),
        EventQuery::conversation(CONVERSATION_ID).starting_after("evt_1"),
    ] {
        let events = client.list_events(query).all().await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event_payload.type_, EventType::MessageEvent);
        assert_eq!(
            events[0].event_payload.message.as_ref().unwrap().message_id,
            MESSAGE_ID
        );
    }
}

#[tokio::test]
async fn the_stream_operation_is_reachable_with_its_accept_header() {
    let (_api, client) = mock_api().await;
    let body = moveworks_api::types::CreateResponseStreamRequest::new(
        moveworks_api::types::UserInput::Text("How do I reset my password?".to_owned()),
    );
    let answer = client
        .call_with_metadata(|api| api.create_response_stream(CONVERSATION_ID, &body))
        .await
        .unwrap();
    assert_eq!(answer.metadata.status(), 200);
    assert_eq!(
        answer.metadata.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
}

#[tokio::test]
async fn a_conversation_handle_asks_lists_rates_and_archives_without_its_id() {
    let (_api, client) = mock_api().await;
    let conversation = client
        .start_conversation(NewConversation::new().title("Password reset"))
        .await
        .unwrap();
    assert_eq!(conversation.id(), CONVERSATION_ID);
    assert_eq!(
        conversation.created().unwrap().conversation_id,
        CONVERSATION_ID
    );
    let answer = conversation
        .ask("How do I reset my password?")
        .await
        .unwrap();
    assert_eq!(answer.text(), ANSWER);
    assert_eq!(
        conversation.get().await.unwrap().conversation_id,
        CONVERSATION_ID
    );
    assert_eq!(conversation.list_messages().all().await.unwrap().len(), 2);
    let of_response = conversation
        .list_response_messages(&answer.response_id)
        .all()
        .await
        .unwrap();
    let rateable = of_response.iter().find(|m| m.is_rateable()).unwrap();
    let rated = conversation
        .submit_feedback(Feedback::for_message(rateable, Rating::Helpful).unwrap())
        .await
        .unwrap();
    assert_eq!(rated.status, SubmitFeedbackResponseStatus::Submitted);
    assert_eq!(conversation.list_events().all().await.unwrap().len(), 1);
    assert_eq!(conversation.archive().await.unwrap().archived, Some(true));

    // Continued by id: the same calls, nothing sent to make the handle.
    let continued = client.continue_conversation(CONVERSATION_ID).unwrap();
    assert!(continued.created().is_none());
    let done = continued.wait_for_response(RESPONSE_ID).await.unwrap();
    assert_eq!(done.status, ResponseStatus::Completed);
}

#[tokio::test]
async fn a_conversation_handle_refuses_what_is_not_its_own() {
    let (_api, client) = mock_api().await;
    for bad in ["", "..", "a/b"] {
        assert!(matches!(
            client.continue_conversation(bad),
            Err(e) if e.kind() == ErrorKind::InvalidInput && e.field() == Some("conversation_id")
        ));
    }
    let conversation = client.continue_conversation(CONVERSATION_ID).unwrap();
    let elsewhere =
        Feedback::with_callback_id(MessageRef::new("conv_other", "resp_1", "msg_1"), "cb");
    let error = conversation.submit_feedback(elsewhere).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.field()),
        (ErrorKind::InvalidInput, Some("feedback")),
        "{error}"
    );
    assert_eq!(error.attempts(), 0, "nothing was sent");
}

#[tokio::test]
async fn without_the_auth_headers_the_mock_refuses() {
    let (api, _) = mock_api().await;
    let wrong = Client::builder()
        .base_url(api.base_url())
        .assistant_name("acme-assistant")
        .bearer_token("another-token")
        .build()
        .unwrap();
    let error = wrong.get_conversation(CONVERSATION_ID).await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
}
