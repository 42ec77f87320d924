//! JSON Pointer (RFC 6901) helpers: every error and warning the xtask prints
//! names the place in the document as a pointer, and local `$ref`s are
//! pointers behind a `#`.

use serde_json::Value;

/// Escapes one reference token (`~` becomes `~0`, `/` becomes `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token: `~1` becomes `/`, then `~0` becomes `~`
/// (in that order, so `~01` is `~1`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The parent pointer and the unescaped last token of `pointer`; `None` for
/// the whole document (`""`).
pub fn split_last(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, unescape(last)))
}

/// Joins a parent pointer and one unescaped token.
pub fn join(parent: &str, token: &str) -> String {
    format!("{parent}/{}", escape(token))
}

/// Looks up a `#/...` reference inside `document`. External references
/// (another file, a URL) are not supported and give `None`.
pub fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = fragment_pointer(reference)?;
    if pointer.is_empty() {
        return Some(document);
    }
    document.pointer(&pointer)
}

/// The JSON pointer a local reference names. A reference is a URI, so its
/// fragment is percent-encoded (`{` as `%7B`); the pointer is what it
/// decodes to (RFC 6901, section 6).
pub fn fragment_pointer(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(percent_decode)
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The name a `#/components/schemas/NAME` reference points to.
pub fn schema_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix("#/components/schemas/")?;
    if token.contains('/') {
        return None;
    }
    Some(unescape(token))
}

/// The reference to the component schema `name`.
pub fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{}", escape(name))
}

/// The pointer of the first place where `a` and `b` differ (a value, a
/// key present in one only, or the order of an object's keys), in document
/// order; `None` when they are the same.
pub fn first_difference(a: &Value, b: &Value) -> Option<String> {
    let mut pending = vec![(String::new(), a, b)];
    while let Some((pointer, a, b)) = pending.pop() {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                if !x.keys().eq(y.keys()) {
                    let longer = if x.len() > y.len() { x } else { y };
                    let key = x
                        .keys()
                        .zip(y.keys())
                        .find(|(k, l)| k != l)
                        .map(|(k, _)| k)
                        .or_else(|| longer.keys().nth(x.len().min(y.len())));
                    return Some(key.map_or(pointer.clone(), |key| join(&pointer, key)));
                }
                for (key, value) in x.iter().rev() {
                    pending.push((join(&pointer, key), value, &y[key]));
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (index, (v, w)) in x.iter().zip(y).enumerate().rev() {
                    pending.push((join(&pointer, &index.to_string()), v, w));
                }
            }
            _ if a != b => return Some(pointer),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn escapes_and_joins_tokens() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(join("/paths", "/x/{id}"), "/paths/~1x~1{id}");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(
            split_last("/paths/~1x~1{id}"),
            Some(("/paths", "/x/{id}".to_owned()))
        );
        assert_eq!(split_last(""), None);
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
    fn percent_decodes_the_fragment_before_reading_it_as_a_pointer() {
        let doc = json!({"paths": {"/a/{id}": {"x": 1}}, "100%": 2});
        assert_eq!(resolve(&doc, "#/paths/~1a~1%7Bid%7D/x"), Some(&json!(1)));
        assert_eq!(resolve(&doc, "#/paths/~1a~1{id}/x"), Some(&json!(1)));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }

    #[test]
    fn finds_the_first_difference_in_document_order() {
        let a = json!({"a": {"x": 1, "y": [1, 2]}, "b": 1});
        assert_eq!(first_difference(&a, &a), None);
        let changed = json!({"a": {"x": 1, "y": [1, 3]}, "b": 2});
        assert_eq!(first_difference(&a, &changed).as_deref(), Some("/a/y/1"));
        let added = json!({"a": {"x": 1, "y": [1, 2], "z/w": 0}, "b": 1});
        assert_eq!(first_difference(&a, &added).as_deref(), Some("/a/z~1w"));
        let reordered = json!({"b": 1, "a": {"x": 1, "y": [1, 2]}});
        assert_eq!(first_difference(&a, &reordered).as_deref(), Some("/a"));
        let shorter = json!({"a": {"x": 1, "y": [1]}, "b": 1});
        assert_eq!(first_difference(&a, &shorter).as_deref(), Some("/a/y"));
        assert_eq!(
            first_difference(&json!(1), &json!("1")).as_deref(),
            Some("")
        );
    }

    #[test]
    fn round_trips_schema_names() {
        let name = "Odd/Name~1";
        assert_eq!(schema_name(&schema_ref(name)).as_deref(), Some(name));
        assert_eq!(schema_name("#/components/parameters/X"), None);
    }
}
