//! The `OPERATIONS` table of a generated client: one row per generated
//! method, with what the hooks need to know about the operation at run time.

use serde_json::Value;

use crate::document::{Operation, deref, operations};
use crate::rust_names::method_name;

/// One row of the `OPERATIONS` table.
pub struct OperationRow {
    pub id: String,
    pub name: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    /// The media type the client sends as `Accept` (see the
    /// `accept-header` normalization pass).
    pub accept: Option<String>,
    /// `(name, location, required)` of each path, query and header
    /// parameter, in the spec's order.
    pub parameters: Vec<(String, &'static str, bool)>,
    /// The request body's media type.
    pub body: Option<String>,
}

/// The path-item and operation parameters (the operation's win), as the
/// generated method takes them.
fn parameters(document: &Value, op: &Operation<'_>) -> Vec<(String, &'static str, bool)> {
    let mut out: Vec<(String, &'static str, bool)> = Vec::new();
    for param in op.parameters(document) {
        let Some(name) = param.get("name").and_then(Value::as_str) else {
            continue;
        };
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => "Path",
            Some("query") => "Query",
            Some("header") => "Header",
            _ => continue,
        };
        let required = location == "Path"
            || param
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        out.retain(|(n, l, _)| !(n == name && *l == location));
        out.push((name.to_owned(), location, required));
    }
    out
}

/// The operations progenitor generated, in the order it generated them
/// (document order of paths, then get, put, post, ... within a path).
pub fn rows(normalized: &Value) -> Vec<OperationRow> {
    let mut rows = Vec::new();
    for op in operations(normalized) {
        let operation = op.operation;
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        rows.push(OperationRow {
            name: method_name(&id),
            id,
            method: op.method.to_uppercase(),
            path: op.path.to_owned(),
            summary: operation
                .get("summary")
                .and_then(Value::as_str)
                .map(str::to_owned),
            accept: operation
                .get(crate::normalize::ACCEPT_EXTENSION)
                .and_then(Value::as_str)
                .map(str::to_owned),
            parameters: parameters(normalized, &op),
            body: operation
                .get("requestBody")
                .and_then(|body| deref(normalized, body))
                .and_then(|body| body.get("content"))
                .and_then(Value::as_object)
                .and_then(|content| content.keys().next().cloned()),
        });
    }
    rows
}
