//! Every status crossed with every kind of body, for three operations (a
//! POST that may be retried, a paginated list, and a POST that creates
//! something): the call returns (no panic, no hang), succeeds only on a
//! valid success body, and every error keeps the status, the request id
//! and, where the body has them, code and message. A body over the size
//! limit is an error, not an allocation. Retries follow each operation's
//! rule.

mod support;

use std::time::Duration;

use moveworks_ext::{
    Client, ConversationQuery, Error, ErrorCode, ErrorKind, MessageRef, RetryPolicy,
};
use moveworks_testkit::mock_api::examples;
use support::{ClientFor, SUBMITTED, ScriptedServer, Step, error_body};

/// The operations the matrix runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    SubmitFeedback,
    ListConversations,
    CreateResponse,
}

const OPERATIONS: [Operation; 3] = [
    Operation::SubmitFeedback,
    Operation::ListConversations,
    Operation::CreateResponse,
];

impl Operation {
    /// The spec's success body, and one with a value added after this
    /// client was generated.
    fn success_bodies(self) -> (String, String) {
        match self {
            Operation::SubmitFeedback => {
                (SUBMITTED.to_owned(), r#"{"status": "QUEUED"}"#.to_owned())
            }
            Operation::ListConversations => {
                let page = serde_json::json!({
                    "conversations": [examples::conversation("conv_1", Some("t"))],
                    "metadata": {"next_cursor": null}
                });
                let mut newer = page.clone();
                newer["conversations"][0]["pinned"] = serde_json::json!(true);
                (page.to_string(), newer.to_string())
            }
            Operation::CreateResponse => {
                let created = examples::response("CREATED");
                let mut newer = created.clone();
                newer["status"] = serde_json::json!("QUEUED");
                (created.to_string(), newer.to_string())
            }
        }
    }

    /// Whether the operation may be sent twice (list-conversations); the
    /// POSTs (create-response, submit-feedback) may not.
    fn is_idempotent(self) -> bool {
        self == Operation::ListConversations
    }

    /// The statuses retried (the default policy; a request that is not
    /// idempotent only on 429).
    fn retries(self, status: u16) -> bool {
        if self.is_idempotent() {
            [408, 429, 500, 502, 503, 504].contains(&status)
        } else {
            status == 429
        }
    }

    async fn call(self, client: &Client) -> Result<(), Error> {
        match self {
            Operation::SubmitFeedback => client
                .submit_feedback(moveworks_ext::Feedback::with_callback_id(
                    MessageRef::new("conv_1", "resp_1", "msg_1"),
                    "cb",
                ))
                .await
                .map(drop),
            Operation::ListConversations => client
                .list_conversations(ConversationQuery::new())
                .all()
                .await
                .map(drop),
            Operation::CreateResponse => client.create_response("conv_1", "hello").await.map(drop),
        }
    }
}

const STATUSES: [u16; 12] = [200, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504, 418];
const TEN_MIB: usize = 10 * 1024 * 1024;
const REQUEST_ID: &str = "matrix-request-id";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    SpecJson,
    UnknownCode,
    Empty,
    Html,
    TruncatedJson,
    WrongContentType,
    TenMebibytes,
    InvalidUtf8,
}

const BODIES: [Body; 8] = [
    Body::SpecJson,
    Body::UnknownCode,
    Body::Empty,
    Body::Html,
    Body::TruncatedJson,
    Body::WrongContentType,
    Body::TenMebibytes,
    Body::InvalidUtf8,
];

fn spec_error_code(status: u16) -> &'static str {
    match status {
        400 => "INVALID_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        429 => "RATE_LIMIT_EXCEEDED",
        _ => "INTERNAL_ERROR",
    }
}

fn answer(operation: Operation, status: u16, body: Body) -> Step {
    let json = |text: String| Step::raw(status, "application/json", text);
    let (spec, newer) = operation.success_bodies();
    let step = match (status, body) {
        (200, Body::SpecJson) => json(spec),
        (200, Body::UnknownCode) => json(newer),
        (200, Body::WrongContentType) => Step::raw(status, "text/plain", spec),
        (_, Body::SpecJson) => json(error_body(spec_error_code(status), "spec message")),
        (_, Body::UnknownCode) => json(error_body("BRAND_NEW_CODE", "new message")),
        (_, Body::WrongContentType) => Step::raw(
            status,
            "text/plain",
            error_body(spec_error_code(status), "spec message"),
        ),
        (_, Body::Empty) => json(String::new()),
        (_, Body::Html) => Step::raw(
            status,
            "text/html",
            "<html><body><h1>Bad Gateway</h1></body></html>",
        ),
        (_, Body::TruncatedJson) => json(r#"{"error": {"code": "NOT_FO"#.to_owned()),
        (_, Body::TenMebibytes) => Step::raw(status, "application/json", vec![b' '; TEN_MIB]),
        (_, Body::InvalidUtf8) => Step::raw(
            status,
            "application/json",
            vec![0xff, 0xfe, b'{', 0xc3, 0x28],
        ),
    };
    step.with_header("x-moveworks-root-uuid", REQUEST_ID)
}

/// Whether the answer is a valid success: the spec's body, an unknown
/// status value (open enum), or the spec's body under a wrong content type.
fn is_valid_success(status: u16, body: Body) -> bool {
    status == 200
        && matches!(
            body,
            Body::SpecJson | Body::UnknownCode | Body::WrongContentType
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_status_with_every_body_returns_a_faithful_result() {
    let mut checked = 0;
    for operation in OPERATIONS {
        for status in STATUSES {
            for body in BODIES {
                let server = ScriptedServer::start(vec![answer(operation, status, body)]).await;
                let client = server
                    .client()
                    .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
                    .build()
                    .unwrap();
                let result = tokio::time::timeout(Duration::from_secs(20), operation.call(&client))
                    .await
                    .unwrap_or_else(|_| panic!("{operation:?} {status} {body:?}: the call hung"));
                let case = format!("{operation:?} {status} {body:?}");

                if is_valid_success(status, body) {
                    result.unwrap_or_else(|e| panic!("{case}: expected success, got {e}"));
                    checked += 1;
                    continue;
                }
                let error = match result {
                    Ok(answer) => panic!("{case}: succeeded with {answer:?}"),
                    Err(error) => error,
                };
                assert_eq!(
                    error.status().map(|s| s.as_u16()),
                    Some(status),
                    "{case}: {error}"
                );
                assert_eq!(error.request_id(), Some(REQUEST_ID), "{case}: {error}");
                let possibly_done = !operation.is_idempotent() && (status >= 500 || status == 408);
                assert_eq!(error.may_have_been_processed(), possibly_done, "{case}");
                // Safe to send again only where it surely was not processed.
                let worth_again = [408, 429, 500, 502, 503, 504].contains(&status);
                assert_eq!(
                    error.is_retryable(),
                    worth_again && !possibly_done,
                    "{case}"
                );
                let retried = operation.retries(status);
                assert_eq!(error.attempts(), if retried { 3 } else { 1 }, "{case}");
                assert_eq!(server.count() as u32, error.attempts(), "{case}");
                match (status, body) {
                    (200, Body::TenMebibytes) => assert!(
                        error.kind() == ErrorKind::Decode && error.is_too_large(),
                        "{case}: {error:?}"
                    ),
                    (200, _) => assert_eq!(error.kind(), ErrorKind::Decode, "{case}: {error:?}"),
                    (_, Body::SpecJson | Body::WrongContentType) => {
                        assert_eq!(
                            error.code(),
                            Some(&ErrorCode::parse(spec_error_code(status))),
                            "{case}"
                        );
                        assert_eq!(error.message(), Some("spec message"), "{case}");
                    }
                    (_, Body::UnknownCode) => {
                        assert_eq!(
                            error.code(),
                            Some(&ErrorCode::Unknown("BRAND_NEW_CODE".into())),
                            "{case}"
                        );
                        assert_eq!(error.message(), Some("new message"), "{case}");
                    }
                    _ => assert_eq!(error.kind(), ErrorKind::Api, "{case}: {error:?}"),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, OPERATIONS.len() * STATUSES.len() * BODIES.len());
}
