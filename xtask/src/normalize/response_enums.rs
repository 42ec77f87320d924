//! Responses must stay decodable when Moveworks adds a value to an enum (a
//! new status, a new error code): a closed Rust enum would turn such a 200
//! into a decode error. Every string enum reachable from a response body is
//! made a named component and marked with [`OPEN_ENUM_EXTENSION`]; code
//! generation then gives those types an `Unknown(String)` variant.
//!
//! Enums that tag the branches of a `oneOf`/`anyOf` (the discriminator
//! property, or a property every branch has with its own one-value enum)
//! stay closed: the generated untagged enum tells its variants apart by
//! them, and an open tag would accept every branch's tag.
//!
//! Inline enums are hoisted into `components/schemas` under the name typify
//! would have given them (`<Owner><Property>`), so the generated type names
//! do not change; the use site keeps its description through an `allOf`
//! wrapper and its nullability through `nullable`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::error_responses::{free_name, insert_schema, pascal_case};
use super::{NormalizeError, Report};
use crate::document::{deref_schema, operations_as_written};
use crate::json_pointer::{fragment_pointer, join, schema_name, schema_ref};

/// The schema extension marking an enum that decodes unknown values.
pub const OPEN_ENUM_EXTENSION: &str = "x-moveworks-open-enum";

pub fn open(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let (found, _) = walk_responses(document);
    for (pointer, owner) in found.inline {
        let Some(Value::Object(site)) = document.pointer(&pointer).cloned() else {
            continue;
        };
        let (mut component, use_site) = split_use_site(site);
        component.insert(OPEN_ENUM_EXTENSION.to_owned(), Value::Bool(true));
        // Compared with the components as inserted (marked open), so that
        // the same enum met again (a `2XX` copy of a 200) gets the same name.
        let component = Value::Object(component);
        let name = free_name(document, &owner, &component);
        insert_schema(document, &name, component);
        if let Some(slot) = document.pointer_mut(&pointer) {
            *slot = Value::Object(use_site_for(&name, use_site));
        }
        report.note(
            &pointer,
            format!("inline response enum hoisted as open enum `{name}`"),
        );
    }
    for name in found.components.difference(&found.tags) {
        let pointer = join("/components/schemas", name);
        if let Some(Value::Object(schema)) = document.pointer_mut(&pointer) {
            schema.insert(OPEN_ENUM_EXTENSION.to_owned(), Value::Bool(true));
            report.note(&pointer, "response enum marked open");
        }
    }
    for name in &found.tags {
        report.note(
            join("/components/schemas", name),
            "union tag enum left closed",
        );
    }
    Ok(())
}

/// The schemas a client decodes: the name of every component schema
/// reachable from a response body of any media type (event streams
/// included), and `<Operation>Response`, the name of the type an inline
/// response body gets. The open-unions rewrite of the generated code starts
/// from these.
pub fn response_types(document: &Value) -> BTreeSet<String> {
    let (found, inline_owners) = walk_responses(document);
    let mut names = found.visited;
    names.extend(inline_owners);
    names
}

/// Walks every response schema; gives what was found, and the names of the
/// types inline (not `$ref`) response schemas get.
fn walk_responses(document: &Value) -> (Found, BTreeSet<String>) {
    let mut found = Found::default();
    let mut inline_owners = BTreeSet::new();
    for op in operations_as_written(document) {
        let owner = pascal_case(&format!("{}-response", op.label()));
        let Some(responses) = op.operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (status, response) in responses {
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            for (media, media_type) in content {
                let Some(schema) = media_type.get("schema") else {
                    continue;
                };
                if schema.get("$ref").is_none() {
                    inline_owners.insert(owner.clone());
                }
                let pointer = join(
                    &join(&join(&join(&op.pointer(), "responses"), status), "content"),
                    media,
                );
                found.visit(document, &join(&pointer, "schema"), &owner, 0);
            }
        }
    }
    (found, inline_owners)
}

#[derive(Default)]
struct Found {
    /// Component schemas already visited (cycles are common).
    visited: BTreeSet<String>,
    /// Union branches visited in place of their `$ref` (to read their tags),
    /// with those tags: a branch that is a union containing the first one
    /// would otherwise be walked forever.
    visited_branches: BTreeSet<(String, Vec<String>)>,
    /// Component schemas that are string enums.
    components: BTreeSet<String>,
    /// Inline string enums: where, and the name their type gets.
    inline: Vec<(String, String)>,
    /// Component enums that tag union branches; never opened.
    tags: BTreeSet<String>,
}

/// One schema still to visit: where, the name an inline enum there gets,
/// how deep inside a named schema it is, and which properties are union tags.
struct Visit {
    pointer: String,
    owner: String,
    depth: usize,
    tags: Vec<String>,
}

impl Found {
    /// Visits the schema at `pointer` and everything reachable from it.
    ///
    /// The schema graph of a large spec is deep (a chain of `$ref`s through
    /// hundreds of components), so the walk keeps its own stack instead of
    /// recursing: recursion overflowed the thread's stack on real specs.
    /// Children are pushed in reverse, so schemas are visited in the same
    /// pre-order (and inline enums named in the same order) as a recursive
    /// walk would.
    fn visit(&mut self, document: &Value, pointer: &str, owner: &str, depth: usize) {
        let mut stack = vec![Visit {
            pointer: pointer.to_owned(),
            owner: owner.to_owned(),
            depth,
            tags: Vec::new(),
        }];
        while let Some(next) = stack.pop() {
            let mut children = self.visit_one(document, next);
            children.reverse();
            stack.append(&mut children);
        }
    }

    /// Visits one schema, treating the properties named in `tags` as union
    /// tags; returns the schemas inside it, in document order.
    fn visit_one(&mut self, document: &Value, visit: Visit) -> Vec<Visit> {
        let Visit {
            pointer,
            owner,
            depth,
            tags,
        } = visit;
        let mut children = Vec::new();
        let mut child = |pointer: String, owner: String, depth: usize, tags: Vec<String>| {
            children.push(Visit {
                pointer,
                owner,
                depth,
                tags,
            });
        };
        let Some(schema) = document.pointer(&pointer).and_then(Value::as_object) else {
            return children;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let Some(name) = schema_name(reference) else {
                return children;
            };
            if self.visited.insert(name.clone()) {
                let target = join("/components/schemas", &name);
                if document
                    .pointer(&target)
                    .and_then(Value::as_object)
                    .is_some_and(is_string_enum)
                {
                    self.components.insert(name.clone());
                } else {
                    child(target, pascal_case(&name), 0, Vec::new());
                }
            }
            return children;
        }
        if depth > 0 && is_string_enum(schema) {
            if !self.inline.iter().any(|(p, _)| *p == pointer) {
                self.inline.push((pointer, owner));
            }
            return children;
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for name in properties.keys() {
                let property = join(&join(&pointer, "properties"), name);
                if tags.contains(name) {
                    self.tags.extend(enum_component(document, &property));
                    continue;
                }
                child(
                    property,
                    format!("{owner}{}", pascal_case(name)),
                    depth + 1,
                    Vec::new(),
                );
            }
        }
        for (keyword, suffix) in [("items", "Item"), ("additionalProperties", "Value")] {
            if schema.get(keyword).is_some_and(Value::is_object) {
                child(
                    join(&pointer, keyword),
                    format!("{owner}{suffix}"),
                    depth + 1,
                    Vec::new(),
                );
            }
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = schema.get(keyword) else {
                continue;
            };
            let branch_tags = if keyword == "allOf" {
                Vec::new()
            } else {
                union_tags(document, schema, branches)
            };
            for index in 0..branches.len() {
                let branch = join(&join(&pointer, keyword), &index.to_string());
                // A one-element allOf is the element itself (see ref_siblings).
                let owner = if branches.len() == 1 {
                    owner.clone()
                } else {
                    format!("{owner}Variant{index}")
                };
                if branch_tags.is_empty() {
                    child(branch, owner, depth + 1, Vec::new());
                } else {
                    let target = resolve_pointer(document, &branch);
                    let key = (target.clone(), branch_tags.clone());
                    if target == branch || self.visited_branches.insert(key) {
                        child(target, owner, depth + 1, branch_tags.clone());
                    }
                }
            }
        }
        children
    }
}

/// The properties that tell a union's branches apart: the discriminator's,
/// and those that branches define as string enums with different values.
fn union_tags(document: &Value, union: &Map<String, Value>, branches: &[Value]) -> Vec<String> {
    let mut tags: Vec<String> = union
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .into_iter()
        .collect();
    let mut values_by_name: Vec<(String, Vec<&Value>)> = Vec::new();
    for branch in branches {
        let Some(properties) = deref_schema(document, branch)
            .and_then(|branch| branch.get("properties"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (name, property) in properties {
            let property = deref_schema(document, property).unwrap_or(property);
            if !property.as_object().is_some_and(is_string_enum) {
                continue;
            }
            let values = &property["enum"];
            match values_by_name.iter_mut().find(|(n, _)| n == name) {
                Some((_, seen)) => seen.push(values),
                None => values_by_name.push((name.clone(), vec![values])),
            }
        }
    }
    for (name, values) in values_by_name {
        let differ = values.iter().any(|v| *v != values[0]);
        if values.len() > 1 && differ && !tags.contains(&name) {
            tags.push(name);
        }
    }
    tags
}

/// The pointer of the schema a `$ref` at `pointer` names (or `pointer`).
fn resolve_pointer(document: &Value, pointer: &str) -> String {
    match document
        .pointer(pointer)
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str)
    {
        Some(reference) => fragment_pointer(reference).unwrap_or_else(|| pointer.to_owned()),
        None => pointer.to_owned(),
    }
}

/// The component enum a tag property refers to (through `$ref`/`allOf`).
fn enum_component(document: &Value, pointer: &str) -> Option<String> {
    let mut current = document.pointer(pointer)?;
    for _ in 0..16 {
        if let Some(reference) = current.get("$ref").and_then(Value::as_str) {
            return schema_name(reference);
        }
        match current
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => current = only,
            _ => return None,
        }
    }
    None
}

/// A schema whose values are a fixed list of strings (and maybe null).
fn is_string_enum(schema: &Map<String, Value>) -> bool {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return false;
    };
    let typed_string = matches!(
        schema.get("type").and_then(Value::as_str),
        None | Some("string")
    );
    typed_string
        && values.iter().any(Value::is_string)
        && values.iter().all(|v| v.is_string() || v.is_null())
}

/// Splits an inline enum into the enum itself and what stays at the use
/// site (its description, its nullability).
fn split_use_site(mut site: Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    let mut use_site = Map::new();
    if let Some(Value::Bool(true)) = site.shift_remove("nullable") {
        use_site.insert("nullable".to_owned(), Value::Bool(true));
    }
    if let Some(Value::Array(values)) = site.get_mut("enum")
        && values.iter().any(Value::is_null)
    {
        values.retain(|v| !v.is_null());
        use_site.insert("nullable".to_owned(), Value::Bool(true));
    }
    for key in [
        "description",
        "default",
        "example",
        "readOnly",
        "writeOnly",
        "deprecated",
    ] {
        if let Some(value) = site.get(key) {
            use_site.insert(key.to_owned(), value.clone());
        }
    }
    site.shift_remove("default");
    site.insert("type".to_owned(), json!("string"));
    (site, use_site)
}

fn use_site_for(name: &str, use_site: Map<String, Value>) -> Map<String, Value> {
    let reference = json!({ "$ref": schema_ref(name) });
    let mut out = Map::new();
    if use_site.is_empty() {
        out.insert("$ref".to_owned(), reference["$ref"].clone());
    } else {
        out.insert("allOf".to_owned(), json!([reference]));
        out.extend(use_site);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with(response_schema: Value, schemas: Value) -> Value {
        json!({
            "paths": {"/f": {"post": {
                "operationId": "submit-feedback",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response_schema}}}}
            }}},
            "components": {"schemas": schemas}
        })
    }

    #[test]
    fn marks_component_enums_reachable_from_responses() {
        let mut doc = doc_with(
            json!({"$ref": "#/components/schemas/Resp"}),
            json!({
                "Resp": {"properties": {"status": {"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "d"}}},
                "Status": {"type": "string", "enum": ["SUBMITTED"]},
                "Req": {"properties": {"kind": {"$ref": "#/components/schemas/Kind"}}},
                "Kind": {"type": "string", "enum": ["A"]}
            }),
        );
        open(&mut doc, &mut Report::default()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Status"][OPEN_ENUM_EXTENSION], true);
        assert!(
            schemas["Kind"].get(OPEN_ENUM_EXTENSION).is_none(),
            "request-only enums stay closed"
        );
    }

    #[test]
    fn the_same_inline_enum_in_two_responses_becomes_one_type() {
        let body = json!({"type": "object", "properties": {
            "status": {"type": "string", "enum": ["Queued", "Done"]}
        }});
        let mut doc = doc_with(body.clone(), json!({"Req": {"type": "object"}}));
        // success-range's `2XX` copy of the 200.
        let ok = doc["paths"]["/f"]["post"]["responses"]["200"].clone();
        doc["paths"]["/f"]["post"]["responses"]["2XX"] = ok;
        open(&mut doc, &mut Report::default()).unwrap();
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["Req", "SubmitFeedbackResponseStatus"]);
        let responses = &doc["paths"]["/f"]["post"]["responses"];
        assert_eq!(responses["200"], responses["2XX"]);
    }

    #[test]
    fn hoists_inline_enums_under_typify_names() {
        let mut doc = doc_with(
            json!({"type": "object", "properties": {
                "state": {"type": "string", "enum": ["A", "B", null], "nullable": true, "description": "The state"},
                "items": {"type": "array", "items": {"type": "string", "enum": ["X"]}}
            }}),
            json!({"Req": {"type": "object"}}),
        );
        let mut report = Report::default();
        open(&mut doc, &mut report).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["SubmitFeedbackResponseState"],
            json!({"type": "string", "enum": ["A", "B"], "description": "The state", OPEN_ENUM_EXTENSION: true})
        );
        assert_eq!(
            schemas["SubmitFeedbackResponseItemsItem"]["enum"],
            json!(["X"])
        );
        let properties = &doc["paths"]["/f"]["post"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["properties"];
        assert_eq!(
            properties["state"],
            json!({"allOf": [{"$ref": "#/components/schemas/SubmitFeedbackResponseState"}], "nullable": true, "description": "The state"})
        );
        assert_eq!(
            properties["items"]["items"],
            json!({"$ref": "#/components/schemas/SubmitFeedbackResponseItemsItem"})
        );
        assert_eq!(report.entries.len(), 2);
    }

    #[test]
    fn union_tags_stay_closed() {
        let mut doc = doc_with(
            json!({"$ref": "#/components/schemas/Content"}),
            json!({
                "Content": {"oneOf": [
                    {"properties": {"type": {"allOf": [{"$ref": "#/components/schemas/PlainTag"}], "description": "d"},
                                    "plain_text": {"type": "string"},
                                    "format": {"$ref": "#/components/schemas/Format"}}},
                    {"$ref": "#/components/schemas/Rich"}
                ]},
                "Rich": {"properties": {"type": {"$ref": "#/components/schemas/RichTag"}}},
                "PlainTag": {"type": "string", "enum": ["PLAIN_TEXT"]},
                "RichTag": {"type": "string", "enum": ["RICH_TEXT"]},
                "Format": {"type": "string", "enum": ["A", "B"]}
            }),
        );
        open(&mut doc, &mut Report::default()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["PlainTag"].get(OPEN_ENUM_EXTENSION).is_none());
        assert!(schemas["RichTag"].get(OPEN_ENUM_EXTENSION).is_none());
        assert_eq!(
            schemas["Format"][OPEN_ENUM_EXTENSION], true,
            "other enums in branches still open"
        );
    }

    #[test]
    fn walks_reference_chains_deeper_than_the_stack() {
        // Each schema refers to the next: a recursive walk needs one stack
        // frame pair per link, which overflowed on real specs.
        let links = 20_000;
        let mut schemas = Map::new();
        for i in 0..links {
            schemas.insert(
                format!("S{i}"),
                json!({"properties": {"next": {"$ref": format!("#/components/schemas/S{}", i + 1)}}}),
            );
        }
        schemas.insert(
            format!("S{links}"),
            json!({"type": "string", "enum": ["END"]}),
        );
        let mut doc = doc_with(
            json!({"$ref": "#/components/schemas/S0"}),
            Value::Object(schemas),
        );
        let walk = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                open(&mut doc, &mut Report::default()).unwrap();
                doc
            })
            .unwrap();
        let doc = walk.join().expect("no stack overflow");
        assert_eq!(
            doc["components"]["schemas"][format!("S{links}")][OPEN_ENUM_EXTENSION],
            true
        );
    }

    #[test]
    fn survives_cycles_through_tagged_unions() {
        // Each union's branch is the other union: visiting branches in place
        // of their `$ref` must still end.
        let mut doc = doc_with(
            json!({"$ref": "#/components/schemas/A"}),
            json!({
                "A": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/Leaf"}],
                      "discriminator": {"propertyName": "kind"}},
                "B": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/Leaf"}],
                      "discriminator": {"propertyName": "kind"}},
                "Leaf": {"properties": {"kind": {"type": "string", "enum": ["leaf"]},
                                        "state": {"type": "string", "enum": ["on"]}}}
            }),
        );
        open(&mut doc, &mut Report::default()).unwrap();
        assert!(
            doc["components"]["schemas"]
                .as_object()
                .unwrap()
                .values()
                .any(|s| s.get(OPEN_ENUM_EXTENSION).is_some()),
            "the enum inside the cycle is still found"
        );
    }

    #[test]
    fn survives_reference_cycles() {
        let mut doc = doc_with(
            json!({"$ref": "#/components/schemas/Node"}),
            json!({"Node": {"properties": {"next": {"$ref": "#/components/schemas/Node"}}}}),
        );
        open(&mut doc, &mut Report::default()).unwrap();
    }
}
