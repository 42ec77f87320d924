//! typify refuses a whole schema whose `default` does not fit it ("value
//! does not conform to the given schema"): an integer property defaulting to
//! `null` (FastAPI writes `default: null` on every optional field), or to a
//! number outside its bounds. After 3.1 nullability became `nullable`, a
//! `null` default only restates that the field is optional, which the
//! generated `Option` already says, so it is dropped quietly; any other
//! default that contradicts its schema's type, enum or bounds is dropped
//! with a warning, since the spec contradicts itself there.

use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn drop_nonconforming(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let Some(default) = schema.get("default") else {
            return;
        };
        if default.is_null() {
            schema.shift_remove("default");
            report.note(pointer, "dropped `default: null`");
            return;
        }
        if let Some(problem) = misfit(schema, default) {
            let shown = default.to_string();
            schema.shift_remove("default");
            report.warn(
                pointer,
                format!("dropped `default: {shown}`, which does not fit the schema ({problem})"),
            );
        }
    });
    Ok(())
}

/// Why `value` cannot be a value of `schema`, judged by the keywords typify
/// checks: `type`, `enum` and numeric bounds. Composite schemas (`allOf`,
/// `$ref`, ...) are not judged.
fn misfit(schema: &Map<String, Value>, value: &Value) -> Option<String> {
    if let Some(Value::Array(values)) = schema.get("enum")
        && !values.contains(value)
    {
        return Some("not one of its `enum` values".to_owned());
    }
    let json_type = schema.get("type").and_then(Value::as_str)?;
    let fits = match json_type {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64() || is_whole(value),
        _ => true,
    };
    if !fits {
        return Some(format!("not of type `{json_type}`"));
    }
    if let Some(number) = value.as_f64() {
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        if bound("minimum").is_some_and(|min| number < min) {
            return Some("below its `minimum`".to_owned());
        }
        if bound("maximum").is_some_and(|max| number > max) {
            return Some("above its `maximum`".to_owned());
        }
    }
    None
}

fn is_whole(value: &Value) -> bool {
    value.as_f64().is_some_and(|n| n.fract() == 0.0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized(schema: Value) -> (Value, Report) {
        crate::normalize::on_one_schema(drop_nonconforming, schema)
    }

    #[test]
    fn null_defaults_are_dropped_quietly() {
        let (schema, report) =
            normalized(json!({"type": "integer", "nullable": true, "default": null}));
        assert_eq!(schema, json!({"type": "integer", "nullable": true}));
        assert_eq!(report.warnings().count(), 0);
        assert_eq!(report.entries.len(), 1);
    }

    #[test]
    fn defaults_that_contradict_the_schema_are_dropped_with_a_warning() {
        for schema in [
            json!({"type": "integer", "default": "10"}),
            json!({"type": "integer", "default": 1.5}),
            json!({"type": "integer", "maximum": 256, "default": 8675309}),
            json!({"type": "number", "minimum": 0, "default": -1}),
            json!({"type": "string", "enum": ["a", "b"], "default": "c"}),
            json!({"type": "boolean", "default": "true"}),
        ] {
            let (schema, report) = normalized(schema.clone());
            assert!(schema.get("default").is_none(), "{schema}");
            assert_eq!(report.warnings().count(), 1, "{schema}");
        }
    }

    #[test]
    fn fitting_defaults_stay() {
        for schema in [
            json!({"type": "integer", "minimum": 1, "maximum": 10, "default": 10}),
            json!({"type": "integer", "default": 2.0}),
            json!({"type": "number", "default": 0.5}),
            json!({"type": "string", "enum": ["a"], "default": "a"}),
            json!({"type": "array", "default": []}),
            json!({"type": "object", "default": {}}),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "default": "x"}),
        ] {
            let (after, report) = normalized(schema.clone());
            assert_eq!(after, schema);
            assert!(report.entries.is_empty());
        }
    }

    #[test]
    fn properties_are_checked_too() {
        let mut doc = json!({"components": {"schemas": {"S": {"properties": {
            "n": {"type": "integer", "default": null}
        }}}}});
        drop_nonconforming(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"]["n"],
            json!({"type": "integer"})
        );
    }
}
