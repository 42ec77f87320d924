//! A required `Accept` header parameter that admits one media type (the SSE
//! operation's `Accept: text/event-stream`) is not a choice for the caller:
//! as an argument it would only let a call ask for something the operation
//! does not serve. It is removed, and the media type is kept in the
//! operation's `x-moveworks-accept` extension, from which the generated
//! `OPERATIONS` table tells the client to set the header on every request.
//!
//! An `Accept` parameter with several values stays an argument, with a
//! warning: which one to send is then the caller's decision.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::{deref, operations_mut};
use crate::json_pointer::join;

/// The operation extension that carries the media type to send as `Accept`.
pub const ACCEPT_EXTENSION: &str = "x-moveworks-accept";

pub fn fixed_accept(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    let follow = |value: &Value| deref(&snapshot, value).cloned().unwrap_or(Value::Null);
    for op in operations_mut(document) {
        let Some(Value::Array(params)) = op.operation.get("parameters") else {
            continue;
        };
        let Some(index) = params.iter().position(|p| {
            let p = follow(p);
            p.get("in").and_then(Value::as_str) == Some("header")
                && p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case("accept"))
        }) else {
            continue;
        };
        let pointer = join(&join(&op.pointer, "parameters"), &index.to_string());
        let param = follow(&params[index]);
        let schema = param.get("schema").map(&follow).unwrap_or(Value::Null);
        let values: Vec<&str> = schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let media_type = match values.as_slice() {
            [only] => Some((*only).to_owned()),
            [] => single_success_media_type(op.operation),
            _ => None,
        };
        // The generated table hands the value to `HeaderValue::from_static`,
        // which accepts visible ASCII only.
        let media_type =
            media_type.filter(|m| !m.is_empty() && m.bytes().all(|b| (0x20..0x7f).contains(&b)));
        let Some(media_type) = media_type else {
            report.warn(
                pointer,
                "`Accept` does not admit exactly one usable media type; left as an argument of the method",
            );
            continue;
        };
        if let Some(Value::Array(params)) = op.operation.get_mut("parameters") {
            params.remove(index);
        }
        report.note(
            pointer,
            format!("`Accept: {media_type}` is set by the client, not passed by the caller"),
        );
        op.operation
            .insert(ACCEPT_EXTENSION.to_owned(), Value::String(media_type));
    }
    Ok(())
}

/// The one media type all success responses share, if there is exactly one.
fn single_success_media_type(operation: &serde_json::Map<String, Value>) -> Option<String> {
    let responses = operation.get("responses")?.as_object()?;
    let mut found: Option<&str> = None;
    for (status, response) in responses {
        if !status.starts_with('2') {
            continue;
        }
        for media_type in response.get("content")?.as_object()?.keys() {
            match found {
                Some(seen) if seen != media_type => return None,
                _ => found = Some(media_type),
            }
        }
    }
    found.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(mut doc: Value) -> (Value, Report) {
        let mut report = Report::default();
        fixed_accept(&mut doc, &mut report).unwrap();
        (doc, report)
    }

    #[test]
    fn a_one_value_accept_enum_becomes_the_operation_extension() {
        let (doc, report) = run(json!({
            "paths": {"/s": {"post": {
                "parameters": [
                    {"name": "id", "in": "query"},
                    {"name": "Accept", "in": "header", "required": true,
                     "schema": {"$ref": "#/components/schemas/AcceptType"}}
                ],
                "responses": {"200": {"content": {"text/event-stream": {}}}}
            }}},
            "components": {"schemas": {"AcceptType": {"type": "string", "enum": ["text/event-stream"]}}}
        }));
        let op = &doc["paths"]["/s"]["post"];
        assert_eq!(op["parameters"], json!([{"name": "id", "in": "query"}]));
        assert_eq!(op[ACCEPT_EXTENSION], "text/event-stream");
        assert_eq!(report.entries.len(), 1);
        assert_eq!(report.entries[0].pointer, "/paths/~1s/post/parameters/1");
    }

    #[test]
    fn a_free_accept_takes_the_single_success_media_type() {
        let (doc, _) = run(json!({
            "components": {"parameters": {"Accept": {"name": "accept", "in": "header", "schema": {"type": "string"}}}},
            "paths": {"/s": {"get": {
                "parameters": [{"$ref": "#/components/parameters/Accept"}],
                "responses": {
                    "200": {"content": {"application/x-ndjson": {}}},
                    "404": {"content": {"application/json": {}}}
                }
            }}}
        }));
        let op = &doc["paths"]["/s"]["get"];
        assert_eq!(op["parameters"], json!([]));
        assert_eq!(op[ACCEPT_EXTENSION], "application/x-ndjson");
    }

    #[test]
    fn a_real_choice_stays_an_argument_with_a_warning() {
        let input = json!({"paths": {"/s": {"get": {
            "parameters": [{"name": "Accept", "in": "header",
                            "schema": {"type": "string", "enum": ["text/csv", "application/json"]}}],
            "responses": {"200": {"content": {"text/csv": {}, "application/json": {}}}}
        }}}});
        let (doc, report) = run(input.clone());
        assert_eq!(doc, input);
        assert_eq!(report.warnings().count(), 1);
    }

    #[test]
    fn other_headers_are_left_alone() {
        let input = json!({"paths": {"/s": {"get": {
            "parameters": [{"name": "Accept-Language", "in": "header", "schema": {"enum": ["en"]}},
                           {"name": "Accept", "in": "query", "schema": {"enum": ["x"]}}],
            "responses": {"200": {"content": {"text/csv": {}}}}
        }}}});
        let (doc, report) = run(input.clone());
        assert_eq!(doc, input);
        assert!(report.entries.is_empty());
    }
}
