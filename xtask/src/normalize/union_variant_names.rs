//! Inline variants of a `oneOf`/`anyOf` have no name in the spec, so the
//! generated enum calls them `Variant0`, `Variant1`, ...: code that matches
//! on them reads `Content::Variant2` and breaks silently if the spec
//! reorders them. Variants are named after what tells them apart, given as
//! the variant's `title` (which is what the generator reads for variant
//! names):
//!
//! - the tag: when every variant is an object whose tag property (the
//!   discriminator's `propertyName`, or else a required property all
//!   variants share) admits exactly one string, that string names it: the
//!   Conversations API's message content becomes `PlainText`,
//!   `CommonmarkText` and `MarkdownText`;
//! - else the one required property only that variant has (no other
//!   variant declares or requires it): `UserInput`'s `{text}` and
//!   `{callback_id}` become `Text` and `CallbackId`.
//!
//! A `$ref` variant is named after its component, which says nothing when
//! it is the union's own name and a number (`UserInput0`, `UserInput1`,
//! `UserInputVariant2`, `UserInputOption1`, compared as Rust type names).
//! Such a component used by nothing but this union (the `$ref` is its only
//! mention in the document) is inlined into it, without its `title`, when
//! that lets every variant be named as above: users write
//! `UserInput::Text { text }` instead of `UserInput::Input0(UserInput0 { text })`.
//!
//! Unions where any other variant is a `$ref`, any variant already has a
//! title, or whose variants cannot all be told apart by distinct names are
//! left alone.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::{deref_schema, for_each_schema};
use crate::json_pointer::{join, schema_name};
use crate::rust_names::type_name;

pub fn name_by_tag(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    inline_numbered_components(document, report);
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
        report.note(pointer, format!("inline variants named: {names}"));
    }
    Ok(())
}

/// Inlines the numbered single-use components of unions (see the module
/// docs) where that lets every variant be named.
fn inline_numbered_components(document: &mut Value, report: &mut Report) {
    let mentions = reference_counts(document);
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    // (union, keyword, its new variants, the components they replace)
    let mut plans: Vec<(String, &'static str, Vec<Value>, Vec<String>)> = Vec::new();
    for (union_name, union) in schemas {
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(variants)) = union.get(keyword) else {
                continue;
            };
            let mut inlined = Vec::new();
            let resolved: Option<Vec<Value>> = variants
                .iter()
                .map(|variant| {
                    let Some(reference) = variant.get("$ref").and_then(Value::as_str) else {
                        return Some(variant.clone());
                    };
                    let component = schema_name(reference)?;
                    let numbered = is_numbered(&type_name(&component), &type_name(union_name));
                    if !numbered
                        || mentions.get(reference) != Some(&1)
                        || variant.as_object()?.len() != 1
                    {
                        return None;
                    }
                    let mut schema = schemas.get(&component)?.as_object()?.clone();
                    schema.shift_remove("title");
                    inlined.push(component);
                    Some(Value::Object(schema))
                })
                .collect();
            let Some(resolved) = resolved else { continue };
            if inlined.is_empty() {
                continue;
            }
            let tag = union
                .get("discriminator")
                .and_then(|d| d.get("propertyName"))
                .and_then(Value::as_str);
            if variant_names(document, &resolved, tag).is_some() {
                plans.push((union_name.clone(), keyword, resolved, inlined));
            }
        }
    }
    for (union_name, keyword, resolved, inlined) in plans {
        let pointer = join(&join("/components/schemas", &union_name), keyword);
        if let Some(slot) = document.pointer_mut(&pointer) {
            *slot = Value::Array(resolved);
        }
        if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
            for component in &inlined {
                schemas.shift_remove(component);
            }
        }
        report.note(
            pointer,
            format!(
                "components {} inlined into the union `{union_name}`, whose variants they \
                 were, to be named by what tells them apart",
                inlined
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// `component` is `union` followed by a number, maybe after `Variant` or
/// `Option` (Rust type names both).
fn is_numbered(component: &str, union: &str) -> bool {
    let Some(rest) = component.strip_prefix(union) else {
        return false;
    };
    let digits = rest
        .strip_prefix("Variant")
        .or_else(|| rest.strip_prefix("Option"))
        .unwrap_or(rest);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// How many times each string value of the document occurs (a `$ref`, a
/// discriminator mapping).
fn reference_counts(document: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(text) if text.starts_with("#/") => {
                *counts.entry(text.clone()).or_default() += 1;
            }
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    counts
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
    let by_tag = candidates.into_iter().find_map(|tag| {
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
        distinct(names)
    });
    by_tag.or_else(|| distinct(by_own_required_property(&objects)?))
}

/// `names` if none is empty and no two are equal.
fn distinct(names: Vec<String>) -> Option<Vec<String>> {
    names
        .iter()
        .enumerate()
        .all(|(i, name)| !name.is_empty() && !names[..i].contains(name))
        .then_some(names)
}

/// Each variant named after the one required property no other variant
/// declares or requires.
fn by_own_required_property(objects: &[&Map<String, Value>]) -> Option<Vec<String>> {
    let mentions = |object: &Map<String, Value>, name: &str| {
        required(object).any(|r| r == name)
            || object
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.contains_key(name))
    };
    objects
        .iter()
        .enumerate()
        .map(|(i, variant)| {
            let own: Vec<&str> = required(variant)
                .filter(|name| {
                    objects
                        .iter()
                        .enumerate()
                        .all(|(j, other)| i == j || !mentions(other, name))
                })
                .collect();
            match own.as_slice() {
                [only] => Some(only.to_upper_camel_case()),
                _ => None,
            }
        })
        .collect()
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
    let schema = deref_schema(document, schema)?;
    if let Some(value) = schema.get("const") {
        return value.as_str();
    }
    match schema.get("enum").and_then(Value::as_array)?.as_slice() {
        [only] => only.as_str(),
        _ => None,
    }
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
    fn without_a_tag_each_variant_is_named_by_its_own_required_property() {
        let (doc, report) = run(json!({"components": {"schemas": {"U": {"oneOf": [
            {"required": ["id", "name"], "properties": {"id": {}, "name": {}}},
            {"required": ["id", "download_url"], "properties": {"id": {}, "download_url": {}}}
        ]}}}}));
        let variants = &doc["components"]["schemas"]["U"]["oneOf"];
        assert_eq!(variants[0]["title"], "Name");
        assert_eq!(variants[1]["title"], "DownloadUrl");
        assert_eq!(
            report.entries[0].message,
            "inline variants named: Name, DownloadUrl"
        );
    }

    #[test]
    fn a_property_another_variant_declares_does_not_name() {
        // `text` is optional in the second variant: not what tells them apart.
        let input = json!({"components": {"schemas": {"U": {"oneOf": [
            {"required": ["text"], "properties": {"text": {}}},
            {"required": ["callback_id"], "properties": {"callback_id": {}, "text": {}}}
        ]}}}});
        let (doc, _) = run(input.clone());
        assert_eq!(doc, input);
    }

    fn numbered_union() -> Value {
        json!({"components": {"schemas": {
            "UserInput0": {"type": "object", "title": "UserInput0", "description": "Text",
                           "required": ["text"], "properties": {"text": {"type": "string"}}},
            "UserInput1": {"type": "object", "title": "UserInput1",
                           "required": ["callback_id"], "properties": {"callback_id": {"type": "string"}}},
            "UserInput": {"oneOf": [
                {"$ref": "#/components/schemas/UserInput0"},
                {"$ref": "#/components/schemas/UserInput1"}
            ]},
            "CreateResponseRequest": {"properties": {"input": {"$ref": "#/components/schemas/UserInput"}}}
        }}})
    }

    #[test]
    fn numbered_single_use_components_are_inlined_and_named() {
        let (doc, report) = run(numbered_union());
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let names: Vec<&String> = schemas.keys().collect();
        assert_eq!(names, ["UserInput", "CreateResponseRequest"]);
        assert_eq!(
            schemas["UserInput"]["oneOf"],
            json!([
                {"type": "object", "description": "Text", "required": ["text"],
                 "properties": {"text": {"type": "string"}}, "title": "Text"},
                {"type": "object", "required": ["callback_id"],
                 "properties": {"callback_id": {"type": "string"}}, "title": "CallbackId"}
            ])
        );
        let messages: Vec<&str> = report.entries.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "components `UserInput0`, `UserInput1` inlined into the union `UserInput`, whose \
                 variants they were, to be named by what tells them apart",
                "inline variants named: Text, CallbackId"
            ]
        );
        // Normalizing again changes nothing.
        let (again, report) = run(doc.clone());
        assert_eq!(again, doc);
        assert!(report.entries.is_empty());
    }

    #[test]
    fn numbered_components_used_elsewhere_or_with_names_are_kept() {
        let mut used_twice = numbered_union();
        used_twice["components"]["schemas"]["Other"] =
            json!({"$ref": "#/components/schemas/UserInput1"});
        let mut named = numbered_union();
        let schemas = named["components"]["schemas"].as_object_mut().unwrap();
        let text = schemas.shift_remove("UserInput0").unwrap();
        schemas.insert("TextInput".to_owned(), text);
        named["components"]["schemas"]["UserInput"]["oneOf"][0] =
            json!({"$ref": "#/components/schemas/TextInput"});
        let mut untellable = numbered_union();
        untellable["components"]["schemas"]["UserInput1"]["required"] = json!(["text"]);
        untellable["components"]["schemas"]["UserInput1"]["properties"] =
            json!({"text": {"type": "integer"}});
        for input in [used_twice, named, untellable] {
            let (doc, report) = run(input.clone());
            assert_eq!(doc, input);
            assert!(report.entries.is_empty());
        }
    }

    #[test]
    fn numbered_means_the_union_name_and_a_number() {
        assert!(is_numbered("UserInput0", "UserInput"));
        assert!(is_numbered("UserInput12", "UserInput"));
        assert!(is_numbered("UserInputVariant1", "UserInput"));
        assert!(is_numbered("UserInputOption2", "UserInput"));
        assert!(!is_numbered("UserInput", "UserInput"));
        assert!(!is_numbered("UserInputText", "UserInput"));
        assert!(!is_numbered("UserInputVariant", "UserInput"));
        assert!(!is_numbered("Input0", "UserInput"));
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
