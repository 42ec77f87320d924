//! A schema can narrow a referenced enum to some of its values:
//! `{type: integer, enum: [1], allOf: [{$ref: ComponentType}]}` (the tag of
//! one branch of a union). typify checks the values against the type it
//! builds from the rest of the schema, which is then a reference, and hits
//! an `unreachable!`. The listed values already say everything a value may
//! be, so the `allOf` of references is dropped and the enum stands alone.
//! An empty `enum` (no value allowed at all, which JSON Schema advises
//! against and no API means) is dropped instead, keeping the reference.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn standalone(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        let only_refs = match schema.get("allOf") {
            Some(Value::Array(all)) => {
                !all.is_empty()
                    && all.iter().all(|s| {
                        s.as_object()
                            .is_some_and(|s| s.len() == 1 && s.contains_key("$ref"))
                    })
            }
            _ => false,
        };
        if !only_refs {
            return;
        }
        if values.is_empty() {
            schema.shift_remove("enum");
            report.warn(pointer, "dropped an empty `enum` beside a reference");
        } else if schema.contains_key("type") {
            schema.shift_remove("allOf");
            report.note(
                pointer,
                "enum narrowing a referenced type: kept the values only",
            );
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized(schema: Value) -> (Value, Report) {
        crate::normalize::on_one_schema(standalone, schema)
    }

    #[test]
    fn values_narrowing_a_reference_stand_alone() {
        let (schema, report) =
            normalized(json!({"type": "integer", "enum": [1], "format": "int32",
            "allOf": [{"$ref": "#/components/schemas/Kind"}], "description": "d"}));
        assert_eq!(
            schema,
            json!({"type": "integer", "enum": [1], "format": "int32", "description": "d"})
        );
        assert_eq!(report.warnings().count(), 0);
    }

    #[test]
    fn an_empty_enum_beside_a_reference_is_dropped() {
        let (schema, report) = normalized(
            json!({"type": "string", "enum": [], "allOf": [{"$ref": "#/components/schemas/K"}]}),
        );
        assert_eq!(
            schema,
            json!({"type": "string", "allOf": [{"$ref": "#/components/schemas/K"}]})
        );
        assert_eq!(report.warnings().count(), 1);
    }

    #[test]
    fn other_enums_are_untouched() {
        for schema in [
            json!({"type": "string", "enum": ["a"]}),
            json!({"enum": ["a"], "allOf": [{"$ref": "#/components/schemas/K"}]}),
            json!({"type": "string", "enum": ["a"], "allOf": [{"minLength": 1}]}),
        ] {
            assert_eq!(normalized(schema.clone()).0, schema);
        }
    }
}
