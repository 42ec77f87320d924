//! A path or header parameter has no way to spell `null`: a path segment is
//! always there, and a header is sent or not (which `required` says).
//! FastAPI still writes `Optional[str]` parameters as
//! `anyOf: [string, null]`, which after `nullable-types` made progenitor
//! take an `Option<&str>` (an optional header: `Option<Option<&str>>`) and
//! then call `to_string` on it, which does not compile. Path and header
//! parameter schemas lose `nullable`, and a one-branch `allOf` left holding
//! the type is unwrapped. Query parameters keep it: progenitor reads a
//! nullable query parameter as an optional one.

use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::parameters_mut;
use crate::json_pointer::join;

pub fn not_nullable(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for (pointer, parameter) in parameters_mut(document) {
        let location = parameter.get("in").and_then(Value::as_str);
        if !matches!(location, Some("path" | "header")) {
            continue;
        }
        if let Some(Value::Object(schema)) = parameter.get_mut("schema")
            && strip(schema)
        {
            report.note(
                join(&pointer, "schema"),
                "path or header parameter is never null",
            );
        }
    }
    Ok(())
}

fn strip(schema: &mut Map<String, Value>) -> bool {
    if schema.shift_remove("nullable").is_none() {
        return false;
    }
    let only_all_of = schema.keys().all(|k| k == "allOf" || k == "description");
    if only_all_of
        && let Some(Value::Array(all)) = schema.get("allOf")
        && let [Value::Object(inner)] = all.as_slice()
        && !inner.contains_key("$ref")
    {
        let inner = inner.clone();
        schema.shift_remove("allOf");
        for (key, value) in inner {
            schema.entry(key).or_insert(value);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn path_parameters_lose_nullable_and_others_keep_it() {
        let mut doc = json!({
            "paths": {"/s/{name}": {
                "parameters": [{"name": "name", "in": "path", "required": true,
                                "schema": {"nullable": true, "allOf": [{"type": "string"}]}}],
                "get": {"parameters": [
                    {"name": "id", "in": "path", "schema": {"type": "integer", "nullable": true}},
                    {"name": "q", "in": "query", "schema": {"type": "string", "nullable": true}},
                    {"name": "x-token", "in": "header", "schema": {"nullable": true, "allOf": [{"type": "string"}]}}
                ]}
            }},
            "components": {"parameters": {"P": {"name": "p", "in": "path",
                "schema": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Id"}]}}}}
        });
        let mut report = Report::default();
        not_nullable(&mut doc, &mut report).unwrap();
        let item = &doc["paths"]["/s/{name}"];
        assert_eq!(item["parameters"][0]["schema"], json!({"type": "string"}));
        assert_eq!(
            item["get"]["parameters"][0]["schema"],
            json!({"type": "integer"})
        );
        assert_eq!(
            item["get"]["parameters"][1]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            doc["components"]["parameters"]["P"]["schema"],
            json!({"allOf": [{"$ref": "#/components/schemas/Id"}]})
        );
        assert_eq!(
            item["get"]["parameters"][2]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(report.entries.len(), 4);
    }
}
