//! Every `$ref` must point inside the document and resolve. progenitor
//! panics on a dangling reference ("key ... is missing"); here it is an error
//! that names where the reference is.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::references;
use crate::json_pointer::resolve;

pub fn check_local_references(document: &mut Value, _: &mut Report) -> Result<(), NormalizeError> {
    let document: &Value = document;
    for (pointer, reference) in references(document) {
        if !reference.starts_with('#') {
            return Err(NormalizeError::new(
                pointer,
                format!("external reference `{reference}` is not supported; inline it"),
            ));
        }
        if resolve(document, reference).is_none() {
            return Err(NormalizeError::new(
                pointer,
                format!("reference `{reference}` does not resolve"),
            ));
        }
    }
    Ok(())
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
