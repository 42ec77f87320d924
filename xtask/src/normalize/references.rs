//! Every `$ref` must point inside the document and resolve. progenitor
//! panics on a dangling reference ("key ... is missing"); here it is an error
//! that names where the reference is.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::json_pointer::{join, resolve};

pub fn check_local_references(document: &mut Value, _: &mut Report) -> Result<(), NormalizeError> {
    let mut problem = None;
    find_refs(document, "", &mut |pointer, reference| {
        if problem.is_some() {
            return;
        }
        if !reference.starts_with('#') {
            problem = Some(NormalizeError::new(
                pointer,
                format!("external reference `{reference}` is not supported; inline it"),
            ));
        } else if resolve(document, reference).is_none() {
            problem = Some(NormalizeError::new(
                pointer,
                format!("reference `{reference}` does not resolve"),
            ));
        }
    });
    problem.map_or(Ok(()), Err)
}

fn find_refs(node: &Value, pointer: &str, found: &mut dyn FnMut(&str, &str)) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let child = join(pointer, key);
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => found(&child, reference),
                    _ => find_refs(value, &child, found),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_refs(item, &join(pointer, &index.to_string()), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn accepts_resolvable_local_references() {
        let mut doc = json!({
            "components": {"schemas": {"A": {"type": "string"}, "B": {"$ref": "#/components/schemas/A"}}}
        });
        check_local_references(&mut doc, &mut Report::default()).unwrap();
    }

    #[test]
    fn names_dangling_and_external_references() {
        let mut doc = json!({"paths": {"/x": {"get": {"responses": {"200": {"$ref": "#/nope"}}}}}});
        let err = check_local_references(&mut doc, &mut Report::default()).unwrap_err();
        assert_eq!(err.pointer, "/paths/~1x/get/responses/200/$ref");
        assert!(err.message.contains("does not resolve"));

        let mut doc = json!({"components": {"schemas": {"A": {"$ref": "other.yaml#/A"}}}});
        let err = check_local_references(&mut doc, &mut Report::default()).unwrap_err();
        assert!(err.message.contains("external reference"));
    }
}
