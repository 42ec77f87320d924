//! `Client::call_operation`: every entry of the generated OPERATIONS table
//! is reachable by its spec description alone, through the same auth and
//! errors; bad arguments send nothing.

mod support;

use moveworks_api::{OPERATIONS, Operation, ParameterLocation};
use moveworks_ext::{Client, DecodeErrorKind, Error, OperationCall};
use moveworks_testkit::mock_api::examples::{CONVERSATION_ID, MESSAGE_ID, RESPONSE_ID};
use serde_json::json;
use support::mock_api;

/// Sample arguments for any operation, from its table entry only.
fn sample(operation: &Operation) -> OperationCall {
    let mut call = OperationCall::new();
    for parameter in operation.parameters {
        if parameter.location == ParameterLocation::Path {
            let value = match parameter.name {
                "conversation_id" => CONVERSATION_ID,
                "response_id" => RESPONSE_ID,
                "message_id" => MESSAGE_ID,
                other => panic!("no sample for path parameter {other}"),
            };
            call = call.param(parameter.name, value);
        }
    }
    if operation.body.is_some() {
        call = call.body(json!({
            "title": "t",
            "input": {"text": "How do I reset my password?"},
            "callback_id": "cb"
        }));
    }
    call
}

#[tokio::test]
async fn every_operation_of_the_table_is_reachable() {
    let (_api, client) = mock_api().await;
    for operation in OPERATIONS {
        let answer = client
            .call_operation(operation, sample(operation))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", operation.id));
        assert!(answer.status().is_success(), "{}", operation.id);
        let expected = operation.accept.unwrap_or("application/json");
        assert_eq!(answer.content_type(), Some(expected), "{}", operation.id);
        let body = answer.bytes().await.unwrap();
        assert!(!body.is_empty(), "{}", operation.id);
    }
}

#[tokio::test]
async fn query_parameters_and_errors_keep_their_meaning() {
    let (api, client) = mock_api().await;
    let list = Operation::by_id("list-conversations").unwrap();
    let answer = client
        .call_operation(
            list,
            OperationCall::new()
                .param("limit", "5")
                .param("archived", "true"),
        )
        .await
        .unwrap();
    let page: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(page["conversations"].as_array().unwrap().len(), 2);

    // The mock answers 404 to a request it does not know: an API error
    // with its status, like any call's.
    let wrong = Client::builder()
        .base_url(api.base_url())
        .assistant_name("other")
        .bearer_token("test-token-123")
        .build()
        .unwrap();
    let error = wrong
        .call_operation(list, OperationCall::new())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn bad_arguments_send_nothing() {
    let server = httpmock::MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .assistant_name("acme")
        .bearer_token("token-1")
        .build()
        .unwrap();
    let get = Operation::by_id("get-conversation").unwrap();
    let list = Operation::by_id("list-conversations").unwrap();
    let cases = [
        (get, OperationCall::new(), "needs `conversation_id`"),
        (
            get,
            OperationCall::new().param("conversation_id", ".."),
            "`.` and `..`",
        ),
        (
            get,
            OperationCall::new()
                .param("conversation_id", "c")
                .param("colour", "red"),
            "not a parameter",
        ),
        (
            list,
            OperationCall::new().body(json!({})),
            "takes no request body",
        ),
    ];
    for (operation, call, expected) in cases {
        let error = client.call_operation(operation, call).await.unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert_eq!(anything.calls_async().await, 0);
}

#[tokio::test]
async fn a_whole_body_is_held_to_the_size_limit_even_when_streamed() {
    let (api, _) = mock_api().await;
    let client = support::client_for(&api.base_url())
        .max_response_bytes(64)
        .build()
        .unwrap();
    let stream = Operation::by_id("create-response-stream").unwrap();
    let answer = client
        .call_operation(stream, sample(stream))
        .await
        .expect("the stream's headers arrive: the limit bounds each event, not these");
    let error = answer.bytes().await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode(d) if matches!(d.kind(), DecodeErrorKind::TooLarge { limit: 64, .. })),
        "{error:?}"
    );

    let unlimited = support::client_for(&api.base_url()).build().unwrap();
    let body = unlimited
        .call_operation(stream, sample(stream))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        body.len() > 64,
        "the mock's stream is longer than the limit"
    );
}

#[tokio::test]
async fn a_body_that_stops_coming_ends_at_the_idle_timeout_with_any_http_client() {
    use std::time::{Duration, Instant};

    use moveworks_ext::CallStep;
    use support::{ScriptedServer, SseEnd, Step};

    let server = ScriptedServer::start(vec![Step::Sse {
        chunks: vec![b": open\n\n".to_vec()],
        pause: Duration::ZERO,
        end: SseEnd::Hold,
    }])
    .await;
    let idle = Duration::from_millis(300);
    let client = support::client_for(&server.base_url)
        .http_client(reqwest::Client::new())
        .stream_idle_timeout(idle)
        .build()
        .unwrap();
    let stream = Operation::by_id("create-response-stream").unwrap();
    let mut answer = client.call_operation(stream, sample(stream)).await.unwrap();
    let first = answer.chunk().await.unwrap();
    assert!(first.is_some());
    let started = Instant::now();
    let error = tokio::time::timeout(Duration::from_secs(10), answer.chunk())
        .await
        .expect("the wait for a piece is bounded")
        .unwrap_err();
    assert!(
        matches!(&error, Error::Timeout(t) if t.step() == Some(CallStep::Body)),
        "{error:?}"
    );
    assert!(started.elapsed() < idle + Duration::from_secs(1));
}
