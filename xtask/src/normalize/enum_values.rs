//! typify names an enum's variants after its values and panics ("Failed to
//! make unique variant names") when two values give the same name: a value
//! listed twice (`[hrv, ..., hrv]`), or values that differ only in
//! punctuation (`[".", "X"]`: `.` has no letters, so it is named `X` too).
//! Repeated values are dropped: the set of values is unchanged. An enum whose
//! distinct values still collide cannot be a Rust enum; it becomes a plain
//! string of its type, its values listed in the description, with a warning.

use std::collections::BTreeSet;

use heck::ToPascalCase;
use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn make_nameable(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let Some(Value::Array(values)) = schema.get_mut("enum") else {
            return;
        };
        let before = values.len();
        let mut seen = Vec::with_capacity(before);
        values.retain(|v| {
            if seen.contains(v) {
                false
            } else {
                seen.push(v.clone());
                true
            }
        });
        if values.len() < before {
            report.note(pointer, "dropped repeated enum values");
        }
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        if strings.len() < 2 || names_are_unique(&strings) {
            return;
        }
        let listed: Vec<String> = strings.iter().map(|s| format!("`{s}`")).collect();
        let listed = listed.join(", ");
        schema.shift_remove("enum");
        append_description(schema, &format!("One of: {listed}."));
        report.warn(
            pointer,
            format!("enum values {listed} cannot have distinct Rust names; generated as a string"),
        );
    });
    Ok(())
}

/// Whether typify can name every value apart, using its two attempts: the
/// value PascalCased with non-identifier characters as word breaks, then
/// with them (and `_`) replaced by `X`. An empty name becomes `X`.
fn names_are_unique(values: &[&str]) -> bool {
    let attempt = |rename: &dyn Fn(&str) -> String| {
        let names: BTreeSet<String> = values
            .iter()
            .map(|v| {
                // typify's own special cases.
                match *v {
                    "+1" => return "Plus1".to_owned(),
                    "-1" => return "Minus1".to_owned(),
                    _ => {}
                }
                let name = rename(v).to_pascal_case();
                match name.chars().next() {
                    None => "X".to_owned(),
                    Some(c) if c.is_alphabetic() || c == '_' => name,
                    Some(_) => format!("X{name}"),
                }
            })
            .collect();
        names.len() == values.len()
    };
    attempt(&|v| {
        v.replace('\'', "")
            .replace(|c: char| !is_ident_char(c), "-")
    }) || attempt(&|v| v.replace(|c: char| c == '_' || !is_ident_char(c), "X"))
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn append_description(schema: &mut Map<String, Value>, text: &str) {
    let description = match schema.get("description").and_then(Value::as_str) {
        Some(existing) if !existing.trim().is_empty() => {
            format!("{}\n\n{text}", existing.trim_end())
        }
        _ => text.to_owned(),
    };
    schema.insert("description".to_owned(), Value::String(description));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized(schema: Value) -> (Value, Report) {
        crate::normalize::on_one_schema(make_nameable, schema)
    }

    #[test]
    fn repeated_values_are_dropped() {
        let (schema, report) =
            normalized(json!({"type": "string", "enum": ["hrv", "sleep", "hrv"]}));
        assert_eq!(schema, json!({"type": "string", "enum": ["hrv", "sleep"]}));
        assert_eq!(report.warnings().count(), 0);
    }

    #[test]
    fn values_typify_cannot_name_apart_become_a_documented_string() {
        let (schema, report) =
            normalized(json!({"type": "string", "enum": [".", "X", "O"], "description": "Mark."}));
        assert_eq!(
            schema,
            json!({"type": "string", "description": "Mark.\n\nOne of: `.`, `X`, `O`."})
        );
        assert_eq!(report.warnings().count(), 1);
    }

    #[test]
    fn values_typify_names_apart_stay() {
        for values in [
            json!(["a-b", "c"]),
            json!(["+1", "-1"]),
            json!(["", "x-y"]),
            json!(["a", "b", null]),
        ] {
            let schema = json!({"type": "string", "enum": values});
            assert_eq!(normalized(schema.clone()).0, schema);
        }
    }
}
