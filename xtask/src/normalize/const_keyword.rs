//! 3.1 `const: v` is 3.0 `enum: [v]`.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn const_to_enum(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let Some(value) = schema.shift_remove("const") else {
            return;
        };
        match schema.get("enum") {
            // An `enum` beside `const` can only narrow to the const value.
            Some(Value::Array(values)) if !values.contains(&value) => {
                report.warn(pointer, "`const` value is not in `enum`; keeping `enum`");
            }
            _ => {
                schema.insert("enum".to_owned(), Value::Array(vec![value]));
                report.note(pointer, "const -> enum");
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn const_becomes_single_value_enum() {
        let mut doc = json!({"components": {"schemas": {
            "S": {"type": "string", "const": "text"},
            "P": {"properties": {"const": {"type": "string"}}}
        }}});
        const_to_enum(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"type": "string", "enum": ["text"]})
        );
        // A property named `const` is not the keyword.
        assert_eq!(
            doc["components"]["schemas"]["P"],
            json!({"properties": {"const": {"type": "string"}}})
        );
    }
}
