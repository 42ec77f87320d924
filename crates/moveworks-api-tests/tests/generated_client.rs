//! The generated client against a local httpmock server: auth through a
//! `reqwest::Client` passed to `new_with_client`, typed success and error
//! bodies, forward-compatible decoding, the path-parameter check, and
//! calls sent by their caller from their parts.

use httpmock::{Method::POST, MockServer};
use moveworks_api::types::{
    Content, CreateResponseStreamRequest, ErrorResponse, ErrorResponseErrorCode,
    SubmitFeedbackRequest, SubmitFeedbackResponse, SubmitFeedbackResponseStatus, UserInput,
};
use moveworks_api::{Call, Client, Error, Operation, ResponseValue};
use moveworks_api_httpmock::MockServerExt;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::json;

const FEEDBACK_PATH: &str = "/conversations/conv_1/responses/resp_1/messages/msg_1/feedback";

fn authed_client(server: &MockServer) -> Client {
    let mut bearer = HeaderValue::from_static("Bearer test-token");
    bearer.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, bearer);
    headers.insert("Assistant-Name", HeaderValue::from_static("acme-assistant"));
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    Client::new_with_client(&server.base_url(), http)
}

fn feedback_body() -> SubmitFeedbackRequest {
    SubmitFeedbackRequest::builder()
        .callback_id("eyJhY3Rpb24iOiJoZWxwZnVsIi4uLn0")
        .additional_feedback(Some(
            "The response answered my question clearly.".to_owned(),
        ))
        .build()
        .expect("every required field is set")
}

async fn submit(client: &Client) -> Result<SubmitFeedbackResponse, Error<ErrorResponse>> {
    client
        .submit_feedback("conv_1", "resp_1", "msg_1", &feedback_body())
        .await
        .map(|response| response.into_inner())
}

#[tokio::test]
async fn success_is_typed_and_carries_auth_but_no_api_version() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(FEEDBACK_PATH)
                .header("authorization", "Bearer test-token")
                .header("assistant-name", "acme-assistant")
                .header_missing("api-version")
                .json_body(json!({
                    "callback_id": "eyJhY3Rpb24iOiJoZWxwZnVsIi4uLn0",
                    "additional_feedback": "The response answered my question clearly."
                }));
            then.status(200).json_body(json!({"status": "SUBMITTED"}));
        })
        .await;

    let response = submit(&authed_client(&server)).await.unwrap();

    assert_eq!(response.status, SubmitFeedbackResponseStatus::Submitted);
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn documented_error_statuses_give_the_typed_body() {
    let cases = [
        (
            400,
            "INVALID_REQUEST",
            ErrorResponseErrorCode::InvalidRequest,
            "callback_id is malformed",
        ),
        (
            404,
            "NOT_FOUND",
            ErrorResponseErrorCode::NotFound,
            "message does not exist",
        ),
        (
            429,
            "RATE_LIMIT_EXCEEDED",
            ErrorResponseErrorCode::RateLimitExceeded,
            "slow down",
        ),
        (
            500,
            "INTERNAL_ERROR",
            ErrorResponseErrorCode::InternalError,
            "something broke",
        ),
    ];
    for (status, code, expected_code, message) in cases {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path(FEEDBACK_PATH);
                then.status(status)
                    .json_body(json!({"error": {"code": code, "message": message}}));
            })
            .await;

        let error = submit(&authed_client(&server)).await.unwrap_err();

        let Error::ErrorResponse(body) = error else {
            panic!("{status}: expected ErrorResponse, got {error}")
        };
        assert_eq!(body.status().as_u16(), status);
        assert_eq!(body.error.code, expected_code, "status {status}");
        assert_eq!(body.error.message, message);
    }
}

#[tokio::test]
async fn unknown_error_codes_and_status_values_still_decode() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(FEEDBACK_PATH)
                .json_body_includes(r#"{"additional_feedback": "unknown code"}"#);
            then.status(400)
                .json_body(json!({"error": {"code": "QUOTA_EXCEEDED", "message": "over quota"}}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(FEEDBACK_PATH)
                .json_body_includes(r#"{"additional_feedback": "unknown status"}"#);
            then.status(200).json_body(json!({"status": "QUEUED"}));
        })
        .await;
    let client = authed_client(&server);
    let body = |comment: &str| {
        let mut body = SubmitFeedbackRequest::new("cb");
        body.additional_feedback = Some(comment.to_owned());
        body
    };

    let error = client
        .submit_feedback("conv_1", "resp_1", "msg_1", &body("unknown code"))
        .await
        .unwrap_err();
    let Error::ErrorResponse(error) = error else {
        panic!("expected a typed error body")
    };
    assert_eq!(
        error.error.code,
        ErrorResponseErrorCode::Unknown("QUOTA_EXCEEDED".to_owned())
    );
    assert_eq!(error.error.code.as_str(), "QUOTA_EXCEEDED");

    let ok = client
        .submit_feedback("conv_1", "resp_1", "msg_1", &body("unknown status"))
        .await
        .unwrap();
    assert_eq!(
        ok.status,
        SubmitFeedbackResponseStatus::Unknown("QUEUED".to_owned())
    );
    // Unknown values round-trip unchanged.
    assert_eq!(serde_json::to_value(&ok.status).unwrap(), json!("QUEUED"));
}

#[tokio::test]
async fn undocumented_statuses_keep_status_and_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(FEEDBACK_PATH);
            then.status(401)
                .json_body(json!({"error": {"code": "UNAUTHORIZED", "message": "expired"}}));
        })
        .await;

    let error = submit(&authed_client(&server)).await.unwrap_err();

    let Error::UnexpectedResponse(response) = error else {
        panic!("expected UnexpectedResponse")
    };
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.text().await.unwrap().contains("UNAUTHORIZED"));
}

#[tokio::test]
async fn dot_segment_and_empty_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"status": "SUBMITTED"}));
        })
        .await;
    let client = authed_client(&server);

    for (conversation, response, message) in [
        ("..", "resp_1", "msg_1"),
        ("conv_1", ".", "msg_1"),
        ("conv_1", "resp_1", ""),
        ("..", "..", ".."),
    ] {
        let error = client
            .submit_feedback(conversation, response, message, &feedback_body())
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest(message) if message.contains("submit-feedback")),
            "({conversation:?}, {response:?}, {message:?}) gave {error}"
        );
    }
    assert_eq!(
        anything.calls_async().await,
        0,
        "nothing may reach the server"
    );

    // Slashes and other reserved characters are encoded, not refused.
    client
        .submit_feedback("a/b?c#d", "resp_1", "msg_1", &feedback_body())
        .await
        .unwrap();
    assert_eq!(anything.calls_async().await, 1);
}

#[tokio::test]
async fn a_call_taken_apart_is_sent_by_its_caller_and_decoded_after() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(FEEDBACK_PATH)
                .header("x-operation", "submit-feedback");
            then.status(200)
                .header("x-request-id", "req_1")
                .json_body(json!({"status": "SUBMITTED"}));
        })
        .await;
    let client = authed_client(&server);
    let body = feedback_body();
    let call = client.submit_feedback("conv_1", "resp_1", "msg_1", &body);
    assert_eq!(call.operation().id, "submit-feedback");

    let (mut request, decode) = call.into_parts().unwrap();
    let operation = HeaderValue::from_static("submit-feedback");
    request.headers_mut().insert("x-operation", operation);
    // Sent twice, as a runtime retrying it would; nothing decoded yet.
    let http = reqwest::Client::new();
    let first = http.execute(request.try_clone().unwrap()).await.unwrap();
    let second = http.execute(request).await.unwrap();
    assert_eq!(mock.calls_async().await, 2);
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    assert_eq!(second.headers()["x-request-id"], "req_1");

    let decoded = decode(second).await.unwrap();
    assert_eq!(decoded.status, SubmitFeedbackResponseStatus::Submitted);
    assert_eq!(decoded.headers()["x-request-id"], "req_1");
}

#[tokio::test]
async fn a_call_built_by_hand_is_checked_and_sent_like_a_generated_one() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET)
                .path("/conversations/conv_1");
            then.status(200)
                .json_body(json!({"anything": ["the", "caller", "decodes"]}));
        })
        .await;
    let client = authed_client(&server);
    let operation = Operation::by_id("get-conversation").unwrap();
    let http = reqwest::Client::new();
    let call = |path: &str| -> Call<'_, serde_json::Value, ()> {
        let url = format!("{}{path}", server.base_url());
        Call::new(
            &client,
            operation,
            http.get(url).build().map_err(Error::from),
            |response| Box::pin(ResponseValue::from_response(response)),
        )
    };

    let refused = call("/conversations/..").into_parts().unwrap_err();
    assert!(
        matches!(&refused, Error::InvalidRequest(m) if m.contains("get-conversation")),
        "{refused}"
    );
    let refused = call("/conversations/").await.unwrap_err();
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused}");
    assert_eq!(mock.calls_async().await, 0, "nothing refused is sent");

    let answer = call("/conversations/conv_1").await.unwrap();
    assert_eq!(answer["anything"][2], "decodes");
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn a_call_carries_the_accept_its_operation_fixes() {
    let client = Client::new("http://127.0.0.1:9").unwrap();
    let stream = client
        .create_response_stream(
            "conv_1",
            &CreateResponseStreamRequest::new(UserInput::Text("Hi".to_owned())),
        )
        .into_parts()
        .unwrap()
        .0;
    assert_eq!(stream.headers()[ACCEPT], "text/event-stream");
    let call = client.get_conversation("conv_1");
    assert_eq!(
        format!("{call:?}"),
        "Call { operation: \"get-conversation\", url: Some(\"http://127.0.0.1:9/conversations/conv_1\"), .. }"
    );
    let json = call.into_parts().unwrap().0;
    assert_eq!(json.headers()[ACCEPT], "application/json");
}

#[tokio::test]
async fn generated_httpmock_helpers_speak_the_spec_types() {
    let server = MockServer::start_async().await;
    let mock = server.submit_feedback(|when, then| {
        when.conversation_id("conv_1").body(&feedback_body());
        then.ok(&SubmitFeedbackResponse::builder()
            .status(SubmitFeedbackResponseStatus::Submitted)
            .build()
            .unwrap());
    });

    let response = submit(&authed_client(&server)).await.unwrap();

    assert_eq!(response.status, SubmitFeedbackResponseStatus::Submitted);
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn json_schema_of_response_types_carries_spec_docs_and_open_values() {
    let schema = serde_json::to_value(schemars::schema_for!(SubmitFeedbackResponse)).unwrap();
    let status = &schema["$defs"]["SubmitFeedbackResponseStatus"];
    assert_eq!(status["description"], "Feedback submission status");
    assert_eq!(status["anyOf"][0]["enum"], json!(["SUBMITTED"]));
    assert_eq!(status["anyOf"][1]["type"], "string");
    assert_eq!(schema["required"], json!(["status"]));
}

#[test]
fn the_crate_embeds_the_spec_it_was_generated_from() {
    assert_eq!(
        moveworks_api::OPENAPI_SPEC,
        include_str!("../../../openapi.yaml")
    );
    let normalized: serde_json::Value =
        serde_json::from_str(moveworks_api::OPENAPI_NORMALIZED).unwrap();
    assert_eq!(normalized["openapi"], "3.0.3");
    // The spec's first server; moveworks-ext chooses its own default.
    assert_eq!(
        moveworks_api::DEFAULT_BASE_URL,
        "https://api.moveworks.ai/assistant/v1"
    );
    let operation = moveworks_api::Operation::by_id("submit-feedback").unwrap();
    assert_eq!(operation.name, "submit_feedback");
    assert_eq!(operation.method, "POST");
}

#[tokio::test]
async fn backslashes_stay_inside_their_segment() {
    // URL parsers read `\` as `/` in http(s) URLs; `:\.` would otherwise
    // become the segments `:` and `.`, and the `.` would vanish.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/conversations/:%5C./responses/a%5Cb/messages/msg_1/feedback");
            then.status(200).json_body(json!({"status": "SUBMITTED"}));
        })
        .await;
    let client = authed_client(&server);

    client
        .submit_feedback(":\\.", "a\\b", "msg_1", &feedback_body())
        .await
        .unwrap();

    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn open_enums_compare_and_order_by_their_wire_value() {
    use moveworks_api::types::ResponseStatus;
    // The same wire value is the same value, whichever variant holds it.
    assert_eq!(
        ResponseStatus::Unknown("COMPLETED".to_owned()),
        ResponseStatus::Completed
    );
    let mut statuses = [
        ResponseStatus::InProgress,
        ResponseStatus::Unknown("CANCELLED".to_owned()),
        ResponseStatus::Failed,
        ResponseStatus::Completed,
    ];
    statuses.sort();
    let wire: Vec<&str> = statuses.iter().map(ResponseStatus::as_str).collect();
    assert_eq!(wire, ["CANCELLED", "COMPLETED", "FAILED", "IN_PROGRESS"]);
    let set: std::collections::HashSet<ResponseStatus> = [
        ResponseStatus::Failed,
        ResponseStatus::Unknown("FAILED".to_owned()),
    ]
    .into_iter()
    .collect();
    assert_eq!(set.len(), 1);
}

#[tokio::test]
async fn a_page_with_content_kinds_the_spec_does_not_name_decodes_whole() {
    // Compact, with keys in the order serde_json writes them: written back
    // byte for byte.
    let fancy = r#"{"fancy_content":{"parts":[1,2.5,null,{"deep":true}],"text":"✨"},"type":"FANCY_CONTENT"}"#;
    let message = |id: &str, actor: &str, content: serde_json::Value| {
        json!({"message_id": id, "conversation_id": "conv_1", "response_id": "resp_1",
               "actor": actor, "created_at": "2026-09-24T22:28:38Z", "content": content})
    };
    let page = json!({"messages": [
        message("msg_1", "USER", json!({"type": "CALLBACK_ACTION_CONTENT", "callback_action": {"callback_id": "cb_1"}})),
        message("msg_2", "ASSISTANT", serde_json::from_str(fancy).unwrap()),
        message("msg_3", "ASSISTANT", json!({"type": "PLAIN_TEXT", "plain_text": {"text": "Done."}})),
    ]});
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET)
                .path("/conversations/conv_1/messages");
            then.status(200).json_body(page.clone());
        })
        .await;

    let listed = authed_client(&server)
        .list_conversation_messages("conv_1", None, None)
        .await
        .expect("one unknown content kind does not fail the page")
        .into_inner();

    assert_eq!(listed.messages.len(), 3);
    let Content::Unknown(raw) = &listed.messages[1].content else {
        panic!("decoded as {:?}", listed.messages[1].content)
    };
    assert_eq!(raw["type"], "FANCY_CONTENT");
    assert_eq!(
        serde_json::to_string(&listed.messages[1].content).unwrap(),
        fancy
    );
    assert!(matches!(
        listed.messages[2].content,
        Content::PlainText { .. }
    ));
    assert_eq!(serde_json::to_value(&listed).unwrap(), page);
}
