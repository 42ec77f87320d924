//! JSON Pointer (RFC 6901) helpers: every error and warning the xtask prints
//! names the place in the document as a pointer, and local `$ref`s are
//! pointers behind a `#`.

use serde_json::Value;

/// Escapes one reference token (`~` becomes `~0`, `/` becomes `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins a parent pointer and one unescaped token.
pub fn join(parent: &str, token: &str) -> String {
    format!("{parent}/{}", escape(token))
}

/// Looks up a `#/...` reference inside `document`. External references
/// (another file, a URL) are not supported and give `None`.
pub fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(document);
    }
    document.pointer(pointer)
}

/// The name a `#/components/schemas/NAME` reference points to.
pub fn schema_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix("#/components/schemas/")?;
    if token.contains('/') {
        return None;
    }
    Some(token.replace("~1", "/").replace("~0", "~"))
}

/// The reference to the component schema `name`.
pub fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{}", escape(name))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn escapes_and_joins_tokens() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(join("/paths", "/x/{id}"), "/paths/~1x~1{id}");
    }

    #[test]
    fn resolves_local_references_only() {
        let doc = json!({"components": {"schemas": {"A/B": {"type": "string"}}}});
        assert_eq!(
            resolve(&doc, "#/components/schemas/A~1B"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(resolve(&doc, "other.yaml#/A"), None);
        assert_eq!(resolve(&doc, "#/components/schemas/Missing"), None);
    }

    #[test]
    fn round_trips_schema_names() {
        let name = "Odd/Name~1";
        assert_eq!(schema_name(&schema_ref(name)).as_deref(), Some(name));
        assert_eq!(schema_name("#/components/parameters/X"), None);
    }
}
