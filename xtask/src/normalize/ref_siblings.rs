//! In 3.0 a `$ref` replaces its whole object, so the `description` Moveworks
//! writes beside a `$ref` would never reach the generated docs. Wrapping the
//! reference in a one-element `allOf` keeps the siblings; typify generates a
//! one-element `allOf` as the referenced type itself, documented with them.

use serde_json::{Map, Value, json};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn wrap_in_all_of(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        if schema.len() < 2 {
            return;
        }
        let Some(reference) = schema.shift_remove("$ref") else {
            return;
        };
        let siblings = std::mem::take(schema);
        schema.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
        merge_siblings(schema, siblings);
        report.note(pointer, "$ref with siblings -> allOf");
    });
    Ok(())
}

fn merge_siblings(schema: &mut Map<String, Value>, siblings: Map<String, Value>) {
    for (key, value) in siblings {
        match (key.as_str(), schema.get_mut("allOf")) {
            // A sibling `allOf` joins the wrapper's list.
            ("allOf", Some(Value::Array(all))) => {
                all.extend(value.as_array().into_iter().flatten().cloned());
            }
            _ => {
                schema.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_ref_under_all_of_keeping_the_description() {
        let mut doc = json!({"components": {"schemas": {"S": {"properties": {
            "status": {"$ref": "#/components/schemas/Status", "description": "Feedback submission status"},
            "plain": {"$ref": "#/components/schemas/Status"}
        }}}}});
        wrap_in_all_of(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"],
            json!({
                "status": {"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "Feedback submission status"},
                "plain": {"$ref": "#/components/schemas/Status"}
            })
        );
    }

    #[test]
    fn joins_an_existing_all_of() {
        let mut doc = json!({"components": {"schemas": {"S": {
            "$ref": "#/components/schemas/A", "allOf": [{"$ref": "#/components/schemas/B"}]
        }}}});
        wrap_in_all_of(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]})
        );
    }
}
