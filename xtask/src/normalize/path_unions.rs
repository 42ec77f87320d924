//! progenitor writes a path or header parameter with `to_string`, which
//! typify's type for a union (`anyOf: [{format: uuid}, {type: string}]`, an
//! "id or name") does not have: it is a struct of optional branches with no
//! `Display`. On the wire such a parameter is text whatever branch it is, so
//! a union whose branches are all scalars becomes that scalar type when they
//! agree (a string of either format) and a string when they do not. A union
//! with an object or array branch is left alone.

use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::{deref, parameters_mut};
use crate::json_pointer::join;

const SCALARS: [&str; 4] = ["string", "integer", "number", "boolean"];

pub fn to_text(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    for (pointer, parameter) in parameters_mut(document) {
        let location = parameter.get("in").and_then(Value::as_str);
        if !matches!(location, Some("path" | "header")) {
            continue;
        }
        let Some(scalar) = parameter
            .get("schema")
            .and_then(|schema| scalar_union(&snapshot, schema))
        else {
            continue;
        };
        let Some(Value::Object(schema)) = parameter.get_mut("schema") else {
            continue;
        };
        let mut text = Map::new();
        text.insert("type".to_owned(), Value::String(scalar.to_owned()));
        if let Some(description) = schema.get("description") {
            text.insert("description".to_owned(), description.clone());
        }
        *schema = text;
        report.note(
            join(&pointer, "schema"),
            format!("a union of scalars in a path or header is sent as text: `{scalar}`"),
        );
    }
    Ok(())
}

/// The one type of a union whose branches are all scalars: theirs when they
/// agree, else `string`.
fn scalar_union(document: &Value, schema: &Value) -> Option<&'static str> {
    let schema = deref(document, schema)?;
    let branches = ["anyOf", "oneOf"]
        .iter()
        .find_map(|key| schema.get(*key).and_then(Value::as_array))?;
    let mut types = Vec::new();
    for branch in branches {
        let branch = deref(document, branch)?;
        let kind = branch.get("type").and_then(Value::as_str)?;
        types.push(*SCALARS.iter().find(|s| **s == kind)?);
    }
    let first = *types.first()?;
    Some(if types.iter().all(|t| *t == first) {
        first
    } else {
        "string"
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn scalar_unions_in_paths_and_headers_become_text() {
        let id_or_name = json!({"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string"}],
                                "title": "Id Or Name", "description": "The id or the name."});
        let mut doc = json!({
            "paths": {"/a/{id_or_name}/{n}": {"get": {"parameters": [
                {"name": "id_or_name", "in": "path", "required": true, "schema": id_or_name},
                {"name": "n", "in": "path", "required": true,
                 "schema": {"oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Int"}]}},
                {"name": "X-Key", "in": "header",
                 "schema": {"$ref": "#/components/schemas/KeyOrFlag"}},
                {"name": "q", "in": "query", "schema": id_or_name},
                {"name": "X-Obj", "in": "header",
                 "schema": {"anyOf": [{"type": "string"}, {"type": "object"}]}}
            ]}}},
            "components": {"schemas": {
                "Int": {"type": "integer", "format": "int64"},
                "KeyOrFlag": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}
            }}
        });
        let mut report = Report::default();
        to_text(&mut doc, &mut report).unwrap();
        let params = &doc["paths"]["/a/{id_or_name}/{n}"]["get"]["parameters"];
        assert_eq!(
            params[0]["schema"],
            json!({"type": "string", "description": "The id or the name."})
        );
        assert_eq!(params[1]["schema"], json!({"type": "integer"}));
        assert_eq!(params[2]["schema"], json!({"type": "string"}));
        assert_eq!(
            params[3]["schema"], id_or_name,
            "queries are serialized by serde"
        );
        assert!(
            params[4]["schema"]["anyOf"].is_array(),
            "an object is not text"
        );
        assert_eq!(report.entries.len(), 3);
    }
}
