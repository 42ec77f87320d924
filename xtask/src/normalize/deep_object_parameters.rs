//! A query parameter of style `deepObject` sends each property of its object
//! as its own key: `time[start]=...&time[end]=...`. progenitor generates
//! only `form` query parameters and fails the operation on any other style.
//! An object of named scalar properties is exactly a set of `form`
//! parameters named `time[start]`, `time[end]`, so it becomes those, each
//! required when the parameter and the property both are. An optional
//! parameter whose keys are not named (`additionalProperties` only: a map)
//! cannot be spelled that way; it is dropped with a warning, and the
//! operation keeps the rest. Anything else (a nested object, a required
//! map) is left for progenitor to refuse.

use serde_json::{Map, Value, json};

use super::{NormalizeError, Report};
use crate::document::{deref, parameter_lists_mut};
use crate::json_pointer::join;

const SCALARS: [&str; 4] = ["string", "integer", "number", "boolean"];

pub fn to_form(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    for (pointer, list) in parameter_lists_mut(document) {
        expand_list(&snapshot, &pointer, list, report);
    }
    Ok(())
}

fn expand_list(document: &Value, pointer: &str, list: &mut Vec<Value>, report: &mut Report) {
    let mut out = Vec::with_capacity(list.len());
    for (index, parameter) in std::mem::take(list).into_iter().enumerate() {
        let here = join(pointer, &index.to_string());
        let Some(resolved) = deref(document, &parameter).and_then(Value::as_object) else {
            out.push(parameter);
            continue;
        };
        let deep = resolved.get("in").and_then(Value::as_str) == Some("query")
            && resolved.get("style").and_then(Value::as_str) == Some("deepObject");
        if !deep {
            out.push(parameter);
            continue;
        }
        match expand(document, resolved) {
            Expansion::Form(parameters) => {
                report.note(
                    &here,
                    format!(
                        "`deepObject` parameter sent as {} `form` parameter(s)",
                        parameters.len()
                    ),
                );
                out.extend(parameters);
            }
            Expansion::Drop => {
                report.warn(
                    &here,
                    "optional `deepObject` map parameter dropped: its keys are not known, \
                     and progenitor sends no other style",
                );
            }
            Expansion::Keep => out.push(parameter),
        }
    }
    *list = out;
}

enum Expansion {
    Form(Vec<Value>),
    Drop,
    Keep,
}

fn expand(document: &Value, parameter: &Map<String, Value>) -> Expansion {
    let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
    let required = parameter.get("required") == Some(&Value::Bool(true));
    let Some(schema) = parameter
        .get("schema")
        .and_then(|s| deref(document, s))
        .and_then(Value::as_object)
    else {
        return Expansion::Keep;
    };
    let Some(Value::Object(properties)) = schema.get("properties") else {
        let map = matches!(
            schema.get("additionalProperties"),
            Some(Value::Object(_) | Value::Bool(true))
        );
        return if map && !required {
            Expansion::Drop
        } else {
            Expansion::Keep
        };
    };
    let required_properties: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out = Vec::new();
    for (property, property_schema) in properties {
        let scalar = deref(document, property_schema)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .is_some_and(|t| SCALARS.contains(&t));
        if !scalar {
            return Expansion::Keep;
        }
        let mut form = json!({
            "name": format!("{name}[{property}]"),
            "in": "query",
            "required": required && required_properties.contains(&property.as_str()),
            "schema": property_schema,
        });
        if let Some(description) = property_schema.get("description") {
            form["description"] = description.clone();
        }
        out.push(form);
    }
    Expansion::Form(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(name: &str, required: bool, schema: Value) -> Value {
        json!({"name": name, "in": "query", "required": required, "style": "deepObject",
               "explode": true, "schema": schema})
    }

    #[test]
    fn deep_objects_become_form_parameters_by_property() {
        let range = json!({"type": "object", "required": ["start"], "properties": {
            "start": {"type": "string", "format": "date-time", "description": "From."},
            "end": {"$ref": "#/components/schemas/Time"}
        }});
        let map = json!({"type": "object", "additionalProperties": {"type": "string"}});
        let mut doc = json!({
            "paths": {"/m": {
                "parameters": [{"$ref": "#/components/parameters/Window"}],
                "get": {"parameters": [
                    deep("time", true, range.clone()),
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "form", "in": "query", "schema": range.clone()},
                    deep("group", false, map.clone()),
                    deep("needed", true, map),
                    deep("nested", false, json!({"properties": {"a": {"type": "object"}}}))
                ]}
            }},
            "components": {
                "schemas": {"Time": {"type": "string"}, "Range": range},
                "parameters": {"Window": deep("w", false, json!({"$ref": "#/components/schemas/Range"}))}
            }
        });
        let mut report = Report::default();
        to_form(&mut doc, &mut report).unwrap();
        let names = |list: &Value| -> Vec<(String, bool)> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or("$ref").to_owned(),
                        p["required"] == true,
                    )
                })
                .collect()
        };
        let item = &doc["paths"]["/m"];
        let own = |n: &str, r: bool| (n.to_owned(), r);
        assert_eq!(
            names(&item["get"]["parameters"]),
            [
                own("time[start]", true),
                own("time[end]", false),
                own("limit", false),
                own("form", false),
                own("needed", true),
                own("nested", false)
            ]
        );
        assert_eq!(
            item["get"]["parameters"][0],
            json!({"name": "time[start]", "in": "query", "required": true,
                   "schema": {"type": "string", "format": "date-time", "description": "From."},
                   "description": "From."})
        );
        assert_eq!(
            item["get"]["parameters"][1]["schema"],
            json!({"$ref": "#/components/schemas/Time"})
        );
        assert_eq!(
            names(&item["parameters"]),
            [own("w[start]", false), own("w[end]", false)]
        );
        let entries: Vec<_> = report
            .entries
            .iter()
            .map(|e| (e.severity, e.pointer.as_str()))
            .collect();
        assert_eq!(
            entries,
            [
                (super::super::Severity::Note, "/paths/~1m/parameters/0"),
                (super::super::Severity::Note, "/paths/~1m/get/parameters/0"),
                (
                    super::super::Severity::Warning,
                    "/paths/~1m/get/parameters/3"
                ),
            ]
        );
    }
}
