//! progenitor 0.15 has a client method for five request media types only
//! (JSON, form-urlencoded, octet-stream, `text/plain`, `text/x-markdown`);
//! any other fails the generation of the whole document. An operation whose
//! request body is of another type (`multipart/form-data` above all, how
//! file uploads are described) is left out here, with its pointer and
//! why, instead of being found by trial generations after a failed one: on
//! a large spec each trial costs a generation. Runs after `media-types`,
//! which keeps one media type per request body.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::{deref, operations, remove_operation};

/// The request media types progenitor generates a method for.
const SUPPORTED: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

pub fn skip(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let mut unsupported = Vec::new();
    for op in operations(document) {
        let body = op
            .operation
            .get("requestBody")
            .and_then(|body| deref(document, body));
        let Some(content) = body
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        if let Some(media) = content.keys().find(|media| !is_supported(media)) {
            unsupported.push((op.pointer(), op.label(), media.clone()));
        }
    }
    for (pointer, id, media) in unsupported {
        remove_operation(document, &pointer);
        report.skip(
            pointer,
            id,
            format!("progenitor 0.15 has no client method for a `{media}` request body"),
        );
    }
    Ok(())
}

fn is_supported(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    SUPPORTED.contains(&essence)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn operations_with_a_body_progenitor_cannot_send_are_left_out() {
        let upload = json!({"operationId": "upload", "requestBody": {"content": {
            "multipart/form-data": {"schema": {"type": "object"}}}}});
        let mut doc = json!({
            "paths": {
                "/files": {"post": upload, "get": {"operationId": "list"}},
                "/avatar": {"put": {"requestBody": {"$ref": "#/components/requestBodies/Image"}}},
                "/notes": {"post": {"operationId": "note", "requestBody": {"content": {
                    "text/plain; charset=utf-8": {"schema": {"type": "string"}}}}}}
            },
            "components": {"requestBodies": {"Image": {"content": {"image/png": {}}}}}
        });
        let mut report = Report::default();
        skip(&mut doc, &mut report).unwrap();
        assert_eq!(
            doc["paths"]["/files"],
            json!({"get": {"operationId": "list"}})
        );
        assert!(
            doc["paths"].get("/avatar").is_none(),
            "an empty path item goes too"
        );
        assert!(doc["paths"]["/notes"].get("post").is_some());
        let skipped: Vec<(&str, &str)> = report
            .skipped
            .iter()
            .map(|s| (s.pointer.as_str(), s.operation_id.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                ("/paths/~1files/post", "upload"),
                ("/paths/~1avatar/put", "PUT /avatar")
            ]
        );
        assert!(
            report.skipped[0]
                .reason
                .contains("`multipart/form-data` request body")
        );
        assert!(report.skipped[1].reason.contains("`image/png`"));
    }
}
