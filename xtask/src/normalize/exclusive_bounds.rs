//! 3.1 `exclusiveMinimum: 5` (a number) is 3.0 `minimum: 5` plus
//! `exclusiveMinimum: true`. progenitor panics on a 3.0 exclusive flag
//! without its bound, so a stray `true`/`false` without one is dropped.

use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn to_boolean_bounds(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let low = convert(schema, "exclusiveMinimum", "minimum", |new, old| new >= old);
        let high = convert(schema, "exclusiveMaximum", "maximum", |new, old| new <= old);
        if low || high {
            report.note(pointer, "numeric exclusive bound -> boolean");
        }
    });
    Ok(())
}

/// Returns whether the schema changed. `tighter(exclusive, inclusive)` says
/// whether the exclusive bound is at least as strict as an existing inclusive
/// one, in which case it replaces it.
fn convert(
    schema: &mut Map<String, Value>,
    exclusive_key: &str,
    bound_key: &str,
    tighter: fn(f64, f64) -> bool,
) -> bool {
    match schema.get(exclusive_key) {
        Some(Value::Number(exclusive)) => {
            let exclusive = exclusive.clone();
            let keep_inclusive = match schema.get(bound_key).and_then(Value::as_f64) {
                Some(inclusive) => !tighter(exclusive.as_f64().unwrap_or(f64::NAN), inclusive),
                None => false,
            };
            if keep_inclusive {
                schema.shift_remove(exclusive_key);
            } else {
                schema.insert(bound_key.to_owned(), Value::Number(exclusive));
                schema.insert(exclusive_key.to_owned(), Value::Bool(true));
            }
            true
        }
        Some(Value::Bool(_)) if !schema.contains_key(bound_key) => {
            schema.shift_remove(exclusive_key);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized(schema: Value) -> Value {
        crate::normalize::on_one_schema(to_boolean_bounds, schema).0
    }

    #[test]
    fn numeric_bounds_become_flags() {
        assert_eq!(
            normalized(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10})
        );
    }

    #[test]
    fn the_stricter_bound_wins() {
        assert_eq!(
            normalized(json!({"minimum": 5, "exclusiveMinimum": 1})),
            json!({"minimum": 5})
        );
        assert_eq!(
            normalized(json!({"maximum": 5, "exclusiveMaximum": 1})),
            json!({"maximum": 1, "exclusiveMaximum": true})
        );
    }

    #[test]
    fn flags_of_3_0_are_kept_and_orphans_dropped() {
        let valid = json!({"minimum": 1, "exclusiveMinimum": true});
        assert_eq!(normalized(valid.clone()), valid);
        assert_eq!(normalized(json!({"exclusiveMaximum": true})), json!({}));
    }
}
