//! Server-Sent Events bodies shaped like `create-response-stream`'s, for
//! tests, the example's mock and benchmarks.

/// One SSE event: `event: <name>` and `data: <data>` (a line per line of
/// `data`), then the blank line.
pub fn event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// A `Response` of `resp_1` in `conv_1` with `status` and these outputs.
pub fn response(status: &str, outputs: &[String]) -> String {
    format!(
        r#"{{"response_id": "resp_1", "conversation_id": "conv_1", "status": "{status}", "created_at": "2026-01-01T00:00:00Z", "outputs": [{}]}}"#,
        outputs.join(", ")
    )
}

/// An assistant `MESSAGE` output item with plain text.
pub fn message(id: &str, text: &str) -> String {
    format!(
        r#"{{"type": "MESSAGE", "message": {{"message_id": "{id}", "conversation_id": "conv_1", "response_id": "resp_1", "actor": "ASSISTANT", "content": {{"type": "PLAIN_TEXT", "plain_text": {{"text": "{text}"}}}}, "created_at": "2026-01-01T00:00:01Z"}}}}"#
    )
}

/// A `REASONING_MESSAGE` output item.
pub fn reasoning(id: &str, text: &str) -> String {
    format!(
        r#"{{"type": "REASONING_MESSAGE", "reasoning_message": {{"reasoning_message_id": "{id}", "conversation_id": "conv_1", "response_id": "resp_1", "content": {{"type": "PLAIN_TEXT", "plain_text": {{"text": "{text}"}}}}, "created_at": "2026-01-01T00:00:01Z"}}}}"#
    )
}

/// A snapshot event (`RESPONSE_CREATED`, `RESPONSE_IN_PROGRESS`,
/// `RESPONSE_COMPLETED`, `RESPONSE_FAILED`).
pub fn snapshot(name: &str, sequence: i64, status: &str, outputs: &[String]) -> String {
    event(
        name,
        &format!(
            r#"{{"event_type": "{name}", "sequence_number": {sequence}, "response": {}}}"#,
            response(status, outputs)
        ),
    )
}

/// A `RESPONSE_OUTPUT_DELTA` event.
pub fn delta(sequence: i64, output: &str) -> String {
    event(
        "RESPONSE_OUTPUT_DELTA",
        &format!(
            r#"{{"event_type": "RESPONSE_OUTPUT_DELTA", "sequence_number": {sequence}, "output": {output}}}"#
        ),
    )
}

/// An `ERROR` event.
pub fn error(code: &str, message: &str) -> String {
    event(
        "ERROR",
        &format!(r#"{{"error": {{"code": "{code}", "message": "{message}"}}}}"#),
    )
}

/// The answer of [`recorded`]: its two messages' text.
pub const RECORDED_TEXT: &str = "Open Settings.\n\nThen choose Reset.";

/// A whole stream as the API sends it: a keep-alive comment, created, in
/// progress, a reasoning message, a first message whose data spans
/// several `data:` lines, a second message, completed. LF line endings.
pub fn recorded() -> String {
    let first = message("msg_1", "Open Settings.");
    let second = message("msg_2", "Then choose Reset.");
    let multi_line = format!(
        "{{\"event_type\": \"RESPONSE_OUTPUT_DELTA\",\n\"sequence_number\": 4,\n\"output\": {first}}}"
    );
    [
        ": keep-alive\n\n".to_owned(),
        snapshot("RESPONSE_CREATED", 1, "CREATED", &[]),
        snapshot("RESPONSE_IN_PROGRESS", 2, "IN_PROGRESS", &[]),
        delta(3, &reasoning("rm_1", "Looking up the reset steps.")),
        event("RESPONSE_OUTPUT_DELTA", &multi_line),
        ":\n".to_owned(),
        delta(5, &second),
        snapshot(
            "RESPONSE_COMPLETED",
            6,
            "COMPLETED",
            &[first.clone(), second.clone()],
        ),
    ]
    .concat()
}

/// `recorded()` with `\r\n` line endings.
pub fn recorded_crlf() -> String {
    recorded().replace('\n', "\r\n")
}

/// `recorded()` with `\r` line endings.
pub fn recorded_cr() -> String {
    recorded().replace('\n', "\r")
}

/// A long stream: created, `outputs` message deltas of `text`, completed
/// (with no outputs, to keep the last event small).
pub fn long(outputs: usize, text: &str) -> String {
    let mut body = snapshot("RESPONSE_CREATED", 1, "CREATED", &[]);
    for n in 0..outputs {
        body.push_str(&delta(n as i64 + 2, &message(&format!("msg_{n}"), text)));
    }
    body.push_str(&snapshot(
        "RESPONSE_COMPLETED",
        outputs as i64 + 2,
        "COMPLETED",
        &[],
    ));
    body
}
