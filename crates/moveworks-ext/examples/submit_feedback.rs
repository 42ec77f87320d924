//! Submits feedback on an assistant message.
//!
//! ```sh
//! cargo run -p moveworks-ext --example submit_feedback -- \
//!     --conversation ID --response ID --message ID --callback-id CB [--comment TEXT]
//! ```
//!
//! Configuration comes from the environment (`Client::from_env`):
//! `MOVEWORKS_ASSISTANT_NAME` plus `MOVEWORKS_API_TOKEN`, or
//! `MOVEWORKS_CLIENT_ID` and `MOVEWORKS_CLIENT_SECRET`. With no credentials
//! set, the example starts an embedded mock of the API on loopback and says
//! so, so it runs anywhere (the ids then default to the docs' examples).

use std::process::ExitCode;

use moveworks_ext::{Client, Feedback, MessageRef, env};

struct Args {
    conversation: Option<String>,
    response: Option<String>,
    message: Option<String>,
    callback_id: Option<String>,
    comment: Option<String>,
}

const USAGE: &str = "usage: submit_feedback --conversation ID --response ID --message ID --callback-id CB [--comment TEXT]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        conversation: None,
        response: None,
        message: None,
        callback_id: None,
        comment: None,
    };
    let mut items = std::env::args().skip(1);
    while let Some(flag) = items.next() {
        let slot = match flag.as_str() {
            "--conversation" => &mut args.conversation,
            "--response" => &mut args.response,
            "--message" => &mut args.message,
            "--callback-id" => &mut args.callback_id,
            "--comment" => &mut args.comment,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        };
        *slot = Some(
            items
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?,
        );
    }
    Ok(args)
}

fn has_credentials() -> bool {
    [env::API_TOKEN, env::CLIENT_ID, env::CLIENT_SECRET]
        .iter()
        .any(|var| std::env::var_os(var).is_some())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };

    // Keeps the mock server alive for the whole run.
    let mut _mock = None;
    let client = if has_credentials() {
        match Client::from_env() {
            Ok(client) => client,
            Err(error) => {
                eprintln!("configuration error: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let server = mock_api().await;
        println!(
            "No Moveworks credentials in the environment ({} or {} + {}): using an embedded mock of the API at {}",
            env::API_TOKEN,
            env::CLIENT_ID,
            env::CLIENT_SECRET,
            server.base_url()
        );
        let client = Client::builder()
            .base_url(server.base_url())
            .assistant_name("example-assistant")
            .bearer_token("mock-token")
            .build();
        _mock = Some(server);
        match client {
            Ok(client) => client,
            Err(error) => {
                eprintln!("configuration error: {error}");
                return ExitCode::FAILURE;
            }
        }
    };

    // In mock mode, ids default to the examples of the Moveworks docs.
    let mock = _mock.is_some();
    let pick = |value: Option<String>, default: &str, flag: &str| match value {
        Some(value) => Ok(value),
        None if mock => Ok(default.to_owned()),
        None => Err(format!("{flag} is required\n{USAGE}")),
    };
    let ids = (|| {
        Ok::<_, String>((
            pick(
                args.conversation,
                "conv_32bt7BMLhLyVzTUjfi35N",
                "--conversation",
            )?,
            pick(args.response, "resp_32bt7rXXugeJjvE3pQzOk", "--response")?,
            pick(args.message, "msg_32bt8vagXAoRwRLIdI2Oj", "--message")?,
            pick(
                args.callback_id,
                "eyJhY3Rpb24iOiJoZWxwZnVsIi4uLn0",
                "--callback-id",
            )?,
        ))
    })();
    let (conversation, response, message, callback_id) = match ids {
        Ok(ids) => ids,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };

    let target = MessageRef::new(conversation, response, message);
    let mut feedback = Feedback::with_callback_id(target, callback_id);
    if let Some(comment) = args.comment {
        feedback = feedback.comment(comment);
    }
    match client.submit_feedback(feedback).await {
        Ok(answer) => {
            println!("feedback submitted: status {}", answer.status);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("feedback failed: {error}");
            if let Some(id) = error.request_id() {
                eprintln!("request id (for Moveworks support): {id}");
            }
            ExitCode::FAILURE
        }
    }
}

/// A loopback mock of the submit-feedback endpoint that checks the headers
/// the real API requires.
async fn mock_api() -> httpmock::MockServer {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST)
                .path_matches("^/conversations/[^/]+/responses/[^/]+/messages/[^/]+/feedback$")
                .header("authorization", "Bearer mock-token")
                .header("assistant-name", "example-assistant");
            then.status(200)
                .header("content-type", "application/json")
                .header("x-moveworks-root-uuid", "mock-request-1")
                .body(r#"{"status": "SUBMITTED"}"#);
        })
        .await;
    server
}
