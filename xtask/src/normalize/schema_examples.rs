//! 3.1 schemas list `examples: [...]`; 3.0 schemas have one `example`. The
//! first example is kept (it lands in the generated rustdoc). Media types
//! also have an `examples` key, a map of Example objects valid in both
//! versions; those are not schemas and are left alone.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn examples_to_example(
    document: &mut Value,
    report: &mut Report,
) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let Some(examples) = schema.shift_remove("examples") else {
            return;
        };
        if let Value::Array(examples) = examples
            && !schema.contains_key("example")
            && let Some(first) = examples.into_iter().next()
        {
            schema.insert("example".to_owned(), first);
        }
        report.note(pointer, "examples -> example");
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_the_first_schema_example_only() {
        let mut doc = json!({
            "components": {"schemas": {"S": {"type": "string", "examples": ["a", "b"]}}},
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "integer", "example": 1, "examples": [2]},
                "examples": {"one": {"value": 1}}
            }}}}}}}
        });
        examples_to_example(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"type": "string", "example": "a"})
        );
        let media = &doc["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"], json!({"type": "integer", "example": 1}));
        assert_eq!(media["examples"], json!({"one": {"value": 1}}));
    }
}
