//! An in-process mock of the whole Conversations API, built on the typed
//! helpers of `moveworks-api-httpmock` (so it cannot drift from the spec
//! without failing to compile), for examples and tests.
//!
//! It answers every operation with the example bodies of [`examples`], and
//! behaves like the real API where a client depends on it:
//!
//! - every request must carry `Authorization: Bearer <token>` and
//!   `Assistant-Name`;
//! - create-conversation answers 201, create-response 202 with a `CREATED`
//!   response;
//! - get-response answers `IN_PROGRESS` [`MockApi::IN_PROGRESS_POLLS`]
//!   times, then `COMPLETED` with an answer that has citations and
//!   feedback callback ids;
//! - the stream operation serves a real Server-Sent Events body.

use httpmock::MockServer;
use moveworks_api_httpmock::MockServerExt;
use serde_json::{Value, json};

/// Example bodies of the API's answers, shaped like the Moveworks docs'.
pub mod examples {
    use super::*;

    /// The conversation every answer is about.
    pub const CONVERSATION_ID: &str = "conv_32bt7BMLhLyVzTUjfi35N";
    /// The response the mock creates.
    pub const RESPONSE_ID: &str = "resp_32bt7rXXugeJjvE3pQzOk";
    /// The assistant message of the response.
    pub const MESSAGE_ID: &str = "msg_32bt8vagXAoRwRLIdI2Oj";
    /// The user's message of the response.
    pub const USER_MESSAGE_ID: &str = "msg_32bt7sNVYd2XUO7yETFsH";
    /// The helpful / unhelpful callback ids of the assistant message.
    pub const HELPFUL_CALLBACK: &str = "eyJhY3Rpb24iOiJoZWxwZnVsIi4uLn0";
    pub const UNHELPFUL_CALLBACK: &str = "eyJhY3Rpb24iOiJ1bmhlbHBmdWwiLi4ufQ";
    /// The assistant's answer.
    pub const ANSWER: &str =
        "To reset your password, open the **Password Reset** page and follow the steps [1].";

    pub fn conversation(id: &str, title: Option<&str>) -> Value {
        json!({
            "conversation_id": id,
            "title": title,
            "archived": false,
            "created_at": "2026-05-01T09:00:00Z",
            "updated_at": "2026-05-01T09:00:05Z"
        })
    }

    pub fn user_message(text: &str) -> Value {
        json!({
            "message_id": USER_MESSAGE_ID,
            "conversation_id": CONVERSATION_ID,
            "response_id": RESPONSE_ID,
            "actor": "USER",
            "content": {"type": "PLAIN_TEXT", "plain_text": {"text": text}},
            "created_at": "2026-05-01T09:00:01Z"
        })
    }

    pub fn assistant_message() -> Value {
        json!({
            "message_id": MESSAGE_ID,
            "conversation_id": CONVERSATION_ID,
            "response_id": RESPONSE_ID,
            "actor": "ASSISTANT",
            "content": {"type": "COMMONMARK_TEXT", "commonmark_text": {"text": ANSWER}},
            "citations": [{
                "citation_id": "cite_5rFq2XbWvJ8kLpN3tYzA1",
                "url": "https://support.example.com/kb/password-reset",
                "display": {
                    "title": {"type": "PLAIN_TEXT", "plain_text": {"text": "Password Reset Guide"}},
                    "body": {"type": "PLAIN_TEXT", "plain_text": {"text": "How to reset your corporate password."}},
                    "attributes": [{"key": "source", "value": "Knowledge Base"}]
                }
            }],
            "content_references": [{"citation_id": "cite_5rFq2XbWvJ8kLpN3tYzA1", "offset": 78}],
            "created_at": "2026-05-01T09:00:04Z",
            "feedback": {
                "helpful": {"callback_id": HELPFUL_CALLBACK},
                "unhelpful": {"callback_id": UNHELPFUL_CALLBACK}
            }
        })
    }

    /// The callback id of the "File ticket" button of [`actions`].
    pub const FILE_TICKET_CALLBACK: &str = "callback_7Qm2fileTicket";
    /// The text of [`actionable_message`], with a link in Moveworks markup.
    pub const ACTIONABLE_TEXT: &str = "I can file a ticket for your laptop issue. See \
        **<https://kb.example.com/kb?id=KB0012|Laptop troubleshooting>** first.";

    /// An answer's actions as `/rest/v1` sends them: a button, a form, a
    /// link, and an action of a type no spec names.
    pub fn actions() -> Value {
        json!([
            {"type": "CALLBACK_ACTION", "label": "File ticket",
             "callback_action": {"callback_id": FILE_TICKET_CALLBACK}},
            {"type": "MODAL_ACTION", "label": "Edit/Add details",
             "modal_action": {"modal_id": "modal_4Rt9editDetails"}},
            {"type": "URL_ACTION", "label": "Other help options",
             "url_action": {"url": "https://app.moveworks.ai/?t=help"}},
            {"type": "CHAT_ACTION", "label": "Talk to IT", "chat_action": {"topic": "laptop"}}
        ])
    }

    /// An assistant message that offers [`actions`], whose text and
    /// citation titles use `<url|label>` links, and which cites the same
    /// article twice.
    pub fn actionable_message() -> Value {
        let article = |id: &str| {
            json!({
                "citation_id": id,
                "url": "https://kb.example.com/kb?id=KB0012",
                "display": {"title": {"type": "MARKDOWN_TEXT", "markdown_text": {
                    "text": "**<https://kb.example.com/kb?id=KB0012|Laptop troubleshooting>**"}}}
            })
        };
        json!({
            "message_id": MESSAGE_ID,
            "conversation_id": CONVERSATION_ID,
            "response_id": RESPONSE_ID,
            "actor": "ASSISTANT",
            "content": {"type": "MARKDOWN_TEXT", "markdown_text": {"text": ACTIONABLE_TEXT}},
            "actions": actions(),
            "citations": [article("cite_kb12a"), article("cite_kb12b")],
            "content_references": [
                {"citation_id": "cite_kb12a", "offset": 48},
                {"citation_id": "cite_kb12b", "offset": 48}
            ],
            "created_at": "2026-05-01T09:00:04Z"
        })
    }

    /// A `COMPLETED` response whose one output is `message`.
    pub fn completed_with(message: Value) -> Value {
        let mut done = response("COMPLETED");
        done["outputs"] = json!([{"type": "MESSAGE", "message": message}]);
        done
    }

    pub fn response(status: &str) -> Value {
        let done = status == "COMPLETED";
        json!({
            "response_id": RESPONSE_ID,
            "conversation_id": CONVERSATION_ID,
            "status": status,
            "created_at": "2026-05-01T09:00:01Z",
            "completed_at": if done { json!("2026-05-01T09:00:04Z") } else { Value::Null },
            "outputs": if done {
                json!([
                    {"type": "REASONING_MESSAGE", "reasoning_message": {
                        "reasoning_message_id": "rmsg_32bt8KcV0sQhH1nP6dLwE",
                        "conversation_id": CONVERSATION_ID,
                        "response_id": RESPONSE_ID,
                        "content": {"type": "PLAIN_TEXT", "plain_text": {"text": "Searching the knowledge base"}},
                        "created_at": "2026-05-01T09:00:02Z"
                    }},
                    {"type": "MESSAGE", "message": assistant_message()}
                ])
            } else {
                json!([])
            }
        })
    }

    pub fn event() -> Value {
        json!({
            "event_id": "evt_32bt9Qm3pXyZ7aB2cD4eF",
            "conversation_id": CONVERSATION_ID,
            "event_payload": {"type": "MESSAGE_EVENT", "message": assistant_message()}
        })
    }

    /// A Server-Sent Events body for a stream that completes: created, in
    /// progress, a keep-alive comment, the reasoning and message outputs,
    /// completed.
    pub fn event_stream() -> String {
        event_stream_for(response("COMPLETED"))
    }

    /// [`event_stream`] for another completed response: its outputs as
    /// deltas, then it.
    pub fn event_stream_for(completed: Value) -> String {
        let event = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
        let outputs = completed["outputs"].as_array().cloned().unwrap_or_default();
        let mut body = String::new();
        body += &event(
            "RESPONSE_CREATED",
            json!({"event_type": "RESPONSE_CREATED", "sequence_number": 1, "response": response("CREATED")}),
        );
        body += &event(
            "RESPONSE_IN_PROGRESS",
            json!({"event_type": "RESPONSE_IN_PROGRESS", "sequence_number": 2, "response": response("IN_PROGRESS")}),
        );
        body += ": keep-alive\n\n";
        for (n, output) in outputs.iter().enumerate() {
            body += &event(
                "RESPONSE_OUTPUT_DELTA",
                json!({"event_type": "RESPONSE_OUTPUT_DELTA", "sequence_number": 3 + n, "output": output}),
            );
        }
        body += &event(
            "RESPONSE_COMPLETED",
            json!({"event_type": "RESPONSE_COMPLETED", "sequence_number": 3 + outputs.len(), "response": completed}),
        );
        body
    }

    /// Decodes an example body into its generated type.
    pub fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
        serde_json::from_value(value).expect("the example bodies match the spec's types")
    }
}

/// The mock; see the [module docs](self).
pub struct MockApi {
    server: MockServer,
}

impl MockApi {
    /// How many times get-response answers `IN_PROGRESS` before
    /// `COMPLETED`.
    pub const IN_PROGRESS_POLLS: usize = 3;

    /// Starts the mock; requests must carry `Bearer {token}` and
    /// `Assistant-Name: {assistant}`.
    pub async fn start(token: &str, assistant: &str) -> MockApi {
        let server = MockServer::start_async().await;
        let api = MockApi { server };
        api.register(&format!("Bearer {token}"), assistant);
        api
    }

    /// The base URL to point a client at.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying httpmock server, for extra mocks or call counts.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    fn register(&self, bearer: &str, assistant: &str) {
        use examples::*;
        let server = &self.server;
        let auth = |when: httpmock::When| {
            when.header("authorization", bearer)
                .header("assistant-name", assistant)
        };

        server.list_conversations(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(json!({
                "conversations": [
                    conversation(CONVERSATION_ID, Some("Password reset")),
                    conversation("conv_32bs1AbCdEfGhIjKlMnOp", Some("VPN access"))
                ],
                "metadata": {"next_cursor": null}
            })));
        });
        server.create_conversation(|when, then| {
            let _ = auth(when.into_inner());
            then.success(201, &typed(conversation(CONVERSATION_ID, None)));
        });
        server.get_conversation(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(conversation(
                CONVERSATION_ID,
                Some("Password reset"),
            )));
        });
        server.update_conversation(|when, then| {
            let _ = auth(when.into_inner());
            let mut updated = conversation(CONVERSATION_ID, Some("Password reset"));
            updated["archived"] = json!(true);
            then.ok(&typed(updated));
        });
        server.list_events(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(
                json!({"events": [event()], "metadata": {"next_cursor": null}}),
            ));
        });
        server.create_response(|when, then| {
            let _ = auth(when.into_inner());
            then.success(202, &typed(response("CREATED")));
        });
        server.create_response_stream(|when, then| {
            let _ = auth(when.into_inner()).header("accept", "text/event-stream");
            then.into_inner()
                .status(200)
                .header("content-type", "text/event-stream")
                .body(event_stream());
        });
        // The first matching mock that is not used up answers: IN_PROGRESS
        // a few times, then COMPLETED for good.
        server.get_response(|when, then| {
            let _ = auth(when.into_inner());
            let _ = then
                .ok(&typed(response("IN_PROGRESS")))
                .into_inner()
                .up_to_n_times(Self::IN_PROGRESS_POLLS);
        });
        server.get_response(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(response("COMPLETED")));
        });
        server.list_conversation_messages(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(json!({
                "messages": [assistant_message(), user_message("How do I reset my password?")],
                "metadata": {"next_cursor": null}
            })));
        });
        server.list_response_messages(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(json!({
                "messages": [user_message("How do I reset my password?"), assistant_message()]
            })));
        });
        server.submit_feedback(|when, then| {
            let _ = auth(when.into_inner());
            then.ok(&typed(json!({"status": "SUBMITTED"})));
        });
    }
}
