//! Inline variants of a `oneOf`/`anyOf` have no name in the spec, so the
//! generated enum calls them `Variant0`, `Variant1`, ...: code that matches
//! on them reads `Content::Variant2` and breaks silently if the spec
//! reorders them. When every variant is an object whose tag property (the
//! discriminator's `propertyName`, or else a required property all variants
//! share) admits exactly one string, that string names the variant: the
//! Conversations API's message content becomes `PlainText`,
//! `CommonmarkText` and `MarkdownText`. The name is given as the variant's
//! `title`, which is what the generator reads for variant names.
//!
//! Unions where any variant is a `$ref`, already has a title, or whose tags
//! are missing or not distinct are left alone.

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::walk::for_each_schema;
use super::{NormalizeError, Report};
use crate::json_pointer::{join, resolve};

pub fn name_by_tag(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    let mut notes = Vec::new();
    for_each_schema(document, &mut |schema, pointer| {
        for keyword in ["oneOf", "anyOf"] {
            let tag_property = schema
                .get("discriminator")
                .and_then(|d| d.get("propertyName"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let Some(Value::Array(variants)) = schema.get_mut(keyword) else {
                continue;
            };
            let Some(names) = variant_names(&snapshot, variants, tag_property.as_deref()) else {
                continue;
            };
            for (variant, name) in variants.iter_mut().zip(&names) {
                if let Some(variant) = variant.as_object_mut() {
                    variant.insert("title".to_owned(), Value::String(name.clone()));
                }
            }
            notes.push((join(pointer, keyword), names.join(", ")));
        }
    });
    for (pointer, names) in notes {
        report.note(
            pointer,
            format!("inline variants named by their tag: {names}"),
        );
    }
    Ok(())
}

/// One name per variant, or `None` when the union does not qualify.
fn variant_names(document: &Value, variants: &[Value], tag: Option<&str>) -> Option<Vec<String>> {
    if variants.len() < 2 {
        return None;
    }
    let objects: Vec<&Map<String, Value>> = variants
        .iter()
        .map(|v| {
            v.as_object()
                .filter(|o| !o.contains_key("$ref") && !o.contains_key("title"))
        })
        .collect::<Option<_>>()?;
    let candidates: Vec<String> = match tag {
        Some(tag) => vec![tag.to_owned()],
        None => required(objects[0]).map(str::to_owned).collect(),
    };
    candidates.into_iter().find_map(|tag| {
        let names: Vec<String> = objects
            .iter()
            .map(|variant| {
                if !required(variant).any(|r| r == tag) {
                    return None;
                }
                let property = variant.get("properties")?.get(&tag)?;
                single_string(document, property).map(|value| value.to_upper_camel_case())
            })
            .collect::<Option<_>>()?;
        let distinct = names
            .iter()
            .enumerate()
            .all(|(i, name)| !name.is_empty() && !names[..i].contains(name));
        distinct.then_some(names)
    })
}

fn required(object: &Map<String, Value>) -> impl Iterator<Item = &str> {
    object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The one string a schema admits (`enum` of one, or `const`), looking
/// through `$ref` and a single-element `allOf` (how `$ref` siblings are
/// written after the ref-siblings pass).
fn single_string<'a>(document: &'a Value, schema: &'a Value) -> Option<&'a str> {
    let mut schema = schema;
    for _ in 0..8 {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = resolve(document, reference)?;
            continue;
        }
        if let Some(Value::Array(all_of)) = schema.get("allOf")
            && let [only] = all_of.as_slice()
        {
            schema = only;
            continue;
        }
        if let Some(value) = schema.get("const") {
            return value.as_str();
        }
        return match schema.get("enum").and_then(Value::as_array)?.as_slice() {
            [only] => only.as_str(),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(mut doc: Value) -> (Value, Report) {
        let mut report = Report::default();
        name_by_tag(&mut doc, &mut report).unwrap();
        (doc, report)
    }

    #[test]
    fn discriminated_inline_variants_are_named_by_their_tag_value() {
        let (doc, report) = run(json!({"components": {"schemas": {
            "PlainType": {"type": "string", "enum": ["PLAIN_TEXT"]},
            "Content": {
                "discriminator": {"propertyName": "type"},
                "oneOf": [
                    {"type": "object", "required": ["type", "plain_text"], "properties": {
                        "type": {"allOf": [{"$ref": "#/components/schemas/PlainType"}], "description": "d"},
                        "plain_text": {"type": "string"}}},
                    {"type": "object", "required": ["type"], "properties": {
                        "type": {"type": "string", "enum": ["COMMONMARK_TEXT"]}}},
                    {"type": "object", "required": ["type"], "properties": {
                        "type": {"const": "markdown-text"}}}
                ]
            }
        }}}));
        let variants = &doc["components"]["schemas"]["Content"]["oneOf"];
        assert_eq!(variants[0]["title"], "PlainText");
        assert_eq!(variants[1]["title"], "CommonmarkText");
        assert_eq!(variants[2]["title"], "MarkdownText");
        assert_eq!(report.entries.len(), 1);
    }

    #[test]
    fn without_a_discriminator_a_shared_required_tag_is_found() {
        let (doc, _) = run(json!({"components": {"schemas": {"U": {"anyOf": [
            {"required": ["id", "kind"], "properties": {"id": {"type": "string"}, "kind": {"enum": ["a"]}}},
            {"required": ["kind"], "properties": {"kind": {"enum": ["b"]}}}
        ]}}}}));
        let variants = &doc["components"]["schemas"]["U"]["anyOf"];
        assert_eq!(variants[0]["title"], "A");
        assert_eq!(variants[1]["title"], "B");
    }

    #[test]
    fn unions_that_do_not_qualify_are_left_alone() {
        for union in [
            // a $ref variant
            json!([{"$ref": "#/components/schemas/X"}, {"required": ["t"], "properties": {"t": {"enum": ["b"]}}}]),
            // an optional tag
            json!([{"properties": {"t": {"enum": ["a"]}}}, {"required": ["t"], "properties": {"t": {"enum": ["b"]}}}]),
            // tags that collide once cased
            json!([{"required": ["t"], "properties": {"t": {"enum": ["a-b"]}}}, {"required": ["t"], "properties": {"t": {"enum": ["a_b"]}}}]),
            // a tag with several values
            json!([{"required": ["t"], "properties": {"t": {"enum": ["a", "c"]}}}, {"required": ["t"], "properties": {"t": {"enum": ["b"]}}}]),
            // a variant that has a title already
            json!([{"title": "Mine", "required": ["t"], "properties": {"t": {"enum": ["a"]}}}, {"required": ["t"], "properties": {"t": {"enum": ["b"]}}}]),
            // a single variant
            json!([{"required": ["t"], "properties": {"t": {"enum": ["a"]}}}]),
        ] {
            let input = json!({"components": {"schemas": {
                "X": {"type": "object"},
                "U": {"oneOf": union}
            }}});
            let (doc, report) = run(input.clone());
            assert_eq!(doc, input);
            assert!(report.entries.is_empty());
        }
    }
}
