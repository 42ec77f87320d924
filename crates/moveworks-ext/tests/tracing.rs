//! Tracing: one span per call with the operation, attempts, status and
//! request id; no token, secret or body at any level; a failed attempt
//! logged with its cause, without its URL.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::Method::POST;
use httpmock::MockServer;
use moveworks_ext::{CallOptions, Feedback, MessageRef, RetryPolicy};
use serde_json::json;
use support::{ClientFor, ClosedPort, ScriptedServer, Step, client_for, error_body, oauth_builder};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const TOKEN: &str = "static-token-s3cret";
const CLIENT_SECRET: &str = "client-secret-s3cret";
const ISSUED_TOKEN: &str = "issued-token-s3cret";

#[tokio::test]
async fn trace_output_names_calls_and_never_holds_secrets() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A static token: a retried 503, then success.
    let server = ScriptedServer::start(vec![
        Step::json(503, &error_body("UNAVAILABLE", "down"))
            .with_header("x-moveworks-root-uuid", "root-1"),
        Step::json(
            200,
            r#"{"status": "SUBMITTED", "secret_looking_body": "body-s3cret"}"#,
        )
        // `/rest/v1`'s trace header.
        .with_header("x-trace-id", "trace-2"),
    ])
    .await;
    let client = server
        .client()
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5)))
        .build()
        .unwrap();
    client
        .with_options(CallOptions::new().idempotent(true))
        .submit_feedback(
            Feedback::with_callback_id(MessageRef::new("conv_1", "resp_1", "msg_1"), "cb")
                .comment("comment-s3cret"),
        )
        .await
        .unwrap();

    // OAuth: a token fetch, then a call.
    let (api, tokens) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    tokens
        .mock_async(|when, then| {
            when.method(POST);
            then.status(200)
                .json_body(json!({"access_token": ISSUED_TOKEN, "expires_in": 3600}));
        })
        .await;
    api.mock_async(|when, then| {
        when.method(POST);
        then.status(401)
            .json_body(json!({"error": {"code": "UNAUTHORIZED", "message": "no"}}));
    })
    .await;
    let oauth = oauth_builder(
        &api.base_url(),
        &tokens.url("/oauth/v1/token"),
        CLIENT_SECRET,
    )
    .build()
    .unwrap();
    let error = oauth
        .submit_feedback(Feedback::with_callback_id(
            MessageRef::new("c", "r", "m"),
            "cb",
        ))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("moveworks.request"), "{output}");
    assert!(output.contains("operation=\"submit-feedback\""), "{output}");
    assert!(output.contains("status=200"), "{output}");
    // The span describes the final answer.
    assert!(output.contains("request_id=\"trace-2\""), "{output}");
    assert!(output.contains("attempts=2"), "{output}");
    assert!(output.contains("retrying"), "{output}");
    // The retried answer is named by the retry event.
    assert!(
        output
            .lines()
            .any(|l| l.contains("retrying") && l.contains("status=503")),
        "{output}"
    );
    assert!(
        !output.contains("s3cret"),
        "a secret or body leaked into the trace:\n{output}"
    );
}

#[tokio::test]
async fn a_failed_attempt_is_logged_with_its_cause_but_not_its_url() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Nothing listens: the HTTP client's error names the request's URL,
    // and with it the ids in its path.
    let closed = ClosedPort::new();
    let client = client_for(&format!("http://{}", closed.addr()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .get_conversation("conv-in-the-url")
        .await
        .unwrap_err();
    assert!(error.is_connection(), "{error:?}");

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let failed = output
        .lines()
        .find(|line| line.contains("attempt failed"))
        .unwrap_or_else(|| panic!("no failed attempt logged:\n{output}"));
    assert!(
        failed.contains("error sending request for url (<url>)"),
        "{failed}"
    );
    assert!(!output.contains("conv-in-the-url"), "{output}");
}
