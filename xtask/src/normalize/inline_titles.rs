//! typify names an inline schema after its `title` when it has one, and
//! otherwise after where it is (`ParentProperty`). It keeps one type per
//! name: an inline schema titled like a component schema (`title: Tool`
//! beside a component `Tool`) makes the same Rust type twice, which does not
//! compile; two different inline schemas with one title (`title: Event
//! Type` on ten tag properties, each a different constant) silently become
//! the first one's type. The `title` of such inline schemas is dropped, so
//! each is named after its place. A title shared by identical schemas is
//! kept: they are one type. So is the title of a branch of a union, which
//! names its variant (`Message` in `oneOf: [{title: Message, ...}]`).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

/// An inline schema with a title, by pointer; grouped by the type name the
/// title makes.
type Titled = (String, Map<String, Value>);

pub fn drop_colliding(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let components: BTreeSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().map(|name| type_name(name)).collect())
        .unwrap_or_default();
    let mut titled: BTreeMap<String, Vec<Titled>> = BTreeMap::new();
    for_each_schema(document, &mut |schema, pointer| {
        if let Some(Value::String(title)) = schema.get("title")
            && !is_component(pointer)
            && !is_branch(pointer)
        {
            titled
                .entry(type_name(title))
                .or_default()
                .push((pointer.to_owned(), schema.clone()));
        }
    });
    let mut colliding: BTreeMap<String, String> = BTreeMap::new();
    for (name, schemas) in titled {
        let clash = if components.contains(&name) {
            format!("the component schema `{name}`")
        } else if schemas.iter().any(|(_, s)| *s != schemas[0].1) {
            format!("{} different inline schemas", schemas.len())
        } else {
            continue;
        };
        for (pointer, _) in schemas {
            colliding.insert(pointer, clash.clone());
        }
    }
    if colliding.is_empty() {
        return Ok(());
    }
    for_each_schema(document, &mut |schema, pointer| {
        if let Some(clash) = colliding.get(pointer) {
            schema.shift_remove("title");
            report.note(
                pointer,
                format!("dropped a title naming the same type as {clash}"),
            );
        }
    });
    Ok(())
}

/// A component schema itself, whose type is named after its key whatever its
/// title.
fn is_component(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|name| !name.contains('/'))
}

/// A branch of `anyOf` or `oneOf`, whose title names its variant.
fn is_branch(pointer: &str) -> bool {
    let mut tokens = pointer.rsplit('/');
    let _index = tokens.next();
    matches!(tokens.next(), Some("anyOf" | "oneOf"))
}

/// The Rust type name typify makes of `text`, for comparison only (heck
/// already splits words at what typify turns into `-`).
fn type_name(text: &str) -> String {
    text.replace('\'', "").to_pascal_case()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tag(value: &str) -> Value {
        json!({"title": "Event Type", "type": "string", "enum": [value]})
    }

    #[test]
    fn drops_titles_that_name_a_component_or_differ() {
        let mut doc = json!({"components": {"schemas": {
            "Tool": {"title": "Tool", "type": "object"},
            "Started": {"properties": {"event_type": tag("STARTED"), "tool": {
                "title": "tool", "type": "string"
            }}},
            "Ended": {"properties": {"event_type": tag("ENDED"), "same": {
                "title": "Same Name", "type": "integer"
            }}},
            "Other": {"properties": {"same": {"title": "Same Name", "type": "integer"}}},
            "Union": {"oneOf": [{"title": "Tool", "type": "object"}, {"title": "Other"}]}
        }}});
        let mut report = Report::default();
        drop_colliding(&mut doc, &mut report).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Tool"]["title"], "Tool",
            "a component keeps its title"
        );
        for schema in ["Started", "Ended"] {
            let tag = &schemas[schema]["properties"]["event_type"];
            assert!(tag.get("title").is_none(), "{schema}: {tag}");
            assert_eq!(tag["type"], "string");
        }
        assert!(
            schemas["Started"]["properties"]["tool"]
                .get("title")
                .is_none()
        );
        assert_eq!(schemas["Ended"]["properties"]["same"]["title"], "Same Name");
        assert_eq!(schemas["Other"]["properties"]["same"]["title"], "Same Name");
        assert_eq!(
            schemas["Union"]["oneOf"][0]["title"], "Tool",
            "a variant's name"
        );
        let notes: Vec<_> = report.entries.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(
            notes.contains(&"dropped a title naming the same type as the component schema `Tool`")
        );
        assert!(
            notes.contains(&"dropped a title naming the same type as 2 different inline schemas")
        );
    }

    #[test]
    fn names_compare_as_typify_spells_them() {
        assert_eq!(type_name("Event Type"), "EventType");
        assert_eq!(type_name("event_type"), "EventType");
        assert_eq!(type_name("API key's details"), "ApiKeysDetails");
        assert_eq!(type_name("v1.Tool (beta)"), "V1ToolBeta");
        assert!(is_component("/components/schemas/A~1B"));
        assert!(!is_component("/components/schemas/A/properties/b"));
        assert!(!is_component("/paths/~1a/get/parameters/0/schema"));
        assert!(is_branch("/components/schemas/A/anyOf/0"));
        assert!(!is_branch("/components/schemas/A/allOf/0"));
        assert!(!is_branch("/components/schemas/oneOf"));
    }
}
