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

use super::walk::METHODS;
use super::{NormalizeError, Report};
use crate::json_pointer::join;

pub fn not_nullable(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let mut parameters: Vec<(String, &mut Value)> = Vec::new();
    let root = document.as_object_mut();
    for (key, section) in root.into_iter().flatten() {
        match key.as_str() {
            "paths" => {
                for (path, item) in section.as_object_mut().into_iter().flatten() {
                    let item_pointer = join("/paths", path);
                    for (key, value) in item.as_object_mut().into_iter().flatten() {
                        if key == "parameters" {
                            list(&join(&item_pointer, key), value, &mut parameters);
                        } else if METHODS.contains(&key.as_str())
                            && let Some(list_value) = value.get_mut("parameters")
                        {
                            let pointer = join(&join(&item_pointer, key), "parameters");
                            list(&pointer, list_value, &mut parameters);
                        }
                    }
                }
            }
            "components" => {
                if let Some(Value::Object(shared)) = section.get_mut("parameters") {
                    for (name, parameter) in shared.iter_mut() {
                        parameters.push((join("/components/parameters", name), parameter));
                    }
                }
            }
            _ => {}
        }
    }
    for (pointer, parameter) in parameters {
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

fn list<'a>(pointer: &str, value: &'a mut Value, out: &mut Vec<(String, &'a mut Value)>) {
    for (index, parameter) in value.as_array_mut().into_iter().flatten().enumerate() {
        out.push((join(pointer, &index.to_string()), parameter));
    }
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
