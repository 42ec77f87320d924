//! The account every codegen run prints, and CHANGELOG.md records: which
//! operations and types the new document adds, removes, or changes in
//! signature or shape, and which changed in their documentation alone,
//! against the committed document (what progenitor read at the last commit,
//! so that a skipped operation counts as removed).

use std::fmt;

use serde_json::{Map, Value};

use crate::document::operations;

/// How many names a list shows before it says how many more there are.
const SHOWN: usize = 6;

/// Names of one kind (operations or types), by how they changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NameChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Changed in what code sees: an operation's parameters, body or
    /// responses; a type's fields, variants or constraints.
    pub changed: Vec<String>,
    /// Changed in descriptions, summaries or examples only.
    pub docs_only: Vec<String>,
}

/// The changes of one regeneration.
#[derive(Debug, PartialEq, Eq)]
pub struct Changes {
    /// What the new document is compared with (`HEAD`, or the files on
    /// disk).
    pub baseline: String,
    /// There is no committed document to compare with.
    pub first_run: bool,
    pub operations: NameChanges,
    pub types: NameChanges,
    /// Documentation outside the operations and types changed (`info`,
    /// tags, servers).
    pub other_docs: bool,
}

impl Changes {
    pub fn between(old: Option<&Value>, new: &Value, baseline: &str) -> Self {
        let Some(old) = old else {
            return Changes {
                baseline: baseline.to_owned(),
                first_run: true,
                operations: NameChanges::default(),
                types: NameChanges::default(),
                other_docs: false,
            };
        };
        let rest = |document: &Value| {
            let mut rest = document.clone();
            if let Some(root) = rest.as_object_mut() {
                root.shift_remove("paths");
                if let Some(Value::Object(components)) = root.get_mut("components") {
                    components.shift_remove("schemas");
                }
            }
            rest
        };
        Changes {
            baseline: baseline.to_owned(),
            first_run: false,
            operations: NameChanges::between(&operation_list(old), &operation_list(new)),
            types: NameChanges::between(&schemas(old), &schemas(new)),
            other_docs: rest(old) != rest(new),
        }
    }
}

impl NameChanges {
    fn between<'a>(old: &[(String, &'a Value)], new: &[(String, &'a Value)]) -> Self {
        fn lookup<'a>(list: &[(String, &'a Value)], name: &str) -> Option<&'a Value> {
            list.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
        }
        let mut changes = NameChanges::default();
        for (name, value) in new {
            match lookup(old, name) {
                None => changes.added.push(name.clone()),
                Some(previous) if previous == *value => {}
                Some(previous) if without_docs(previous) == without_docs(value) => {
                    changes.docs_only.push(name.clone());
                }
                Some(_) => changes.changed.push(name.clone()),
            }
        }
        for (name, _) in old {
            if lookup(new, name).is_none() {
                changes.removed.push(name.clone());
            }
        }
        changes
    }

    fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.docs_only.is_empty()
    }
}

fn operation_list(document: &Value) -> Vec<(String, &Value)> {
    operations(document)
        .into_iter()
        .map(|op| (op.label(), op.operation))
        .collect()
}

fn schemas(document: &Value) -> Vec<(String, &Value)> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.clone(), schema))
        .collect()
}

/// Keywords that document and never shape: what the generated code does
/// with them is write doc comments.
const DOC_KEYWORDS: [&str; 5] = [
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
];

/// Keywords whose value is a map from names (properties, media types,
/// statuses, ...) to objects: a key there is a name, never a keyword, so a
/// property called `description` is kept.
const NAME_MAPS: [&str; 17] = [
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "content",
    "encoding",
    "variables",
    "paths",
];

/// `value` without its documentation keywords.
fn without_docs(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                if DOC_KEYWORDS.contains(&key.as_str()) {
                    continue;
                }
                let child = match child {
                    Value::Object(names) if NAME_MAPS.contains(&key.as_str()) => Value::Object(
                        names
                            .iter()
                            .map(|(name, item)| (name.clone(), without_docs(item)))
                            .collect(),
                    ),
                    other => without_docs(other),
                };
                out.insert(key.clone(), child);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(without_docs).collect()),
        other => other.clone(),
    }
}

/// `names` as a bounded list: the first few, then how many more.
fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

impl fmt::Display for NameChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (what, names) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("changed", &self.changed),
            ("documentation only", &self.docs_only),
        ] {
            if !names.is_empty() {
                parts.push(format!("{what} {} ({})", names.len(), list(names)));
            }
        }
        if parts.is_empty() {
            f.write_str("unchanged")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

impl Changes {
    /// The summary on one line (for CHANGELOG.md).
    pub fn one_line(&self) -> String {
        if self.first_run {
            return "none committed yet (first generation)".to_owned();
        }
        if self.operations.is_empty() && self.types.is_empty() {
            return if self.other_docs {
                "documentation outside the operations and types only".to_owned()
            } else {
                "no operation or type changed".to_owned()
            };
        }
        let mut text = format!("operations {}; types {}", self.operations, self.types);
        if self.other_docs {
            text.push_str("; other documentation changed");
        }
        text
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "changes against {}: ", self.baseline)?;
        if self.first_run || (self.operations.is_empty() && self.types.is_empty()) {
            return writeln!(f, "{}", self.one_line());
        }
        writeln!(f)?;
        writeln!(f, "    operations: {}", self.operations)?;
        writeln!(f, "    types: {}", self.types)?;
        if self.other_docs {
            writeln!(
                f,
                "    documentation outside the operations and types changed too"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document(operations: Value, schemas: Value) -> Value {
        json!({"info": {"title": "t"}, "paths": {"/a": operations}, "components": {"schemas": schemas}})
    }

    #[test]
    fn sorts_changes_into_added_removed_changed_and_documentation_only() {
        let old = document(
            json!({"get": {"operationId": "get-a", "summary": "Get"},
                   "post": {"operationId": "make-a", "parameters": [{"name": "x", "in": "query"}]},
                   "put": {"operationId": "put-a"}}),
            json!({"A": {"type": "string"}, "Gone": {},
                   "S": {"properties": {"description": {"type": "string"}}}}),
        );
        let new = document(
            json!({"get": {"operationId": "get-a", "summary": "Get it", "description": "More."},
                   "post": {"operationId": "make-a", "parameters": [{"name": "x", "in": "query", "required": true}]},
                   "delete": {"operationId": "drop-a"}}),
            json!({"A": {"type": "string", "example": "e"}, "B": {},
                   "S": {"properties": {"summary": {"type": "string"}}}}),
        );
        let changes = Changes::between(Some(&old), &new, "HEAD");
        assert_eq!(changes.operations.added, ["drop-a"]);
        assert_eq!(changes.operations.removed, ["put-a"]);
        assert_eq!(changes.operations.changed, ["make-a"]);
        assert_eq!(changes.operations.docs_only, ["get-a"]);
        assert_eq!(changes.types.added, ["B"]);
        assert_eq!(changes.types.removed, ["Gone"]);
        // A property renamed from `description` to `summary` is a shape
        // change: inside `properties` those are names, not keywords.
        assert_eq!(changes.types.changed, ["S"]);
        assert_eq!(changes.types.docs_only, ["A"]);
        assert!(!changes.other_docs);
        assert_eq!(
            changes.to_string(),
            "changes against HEAD: \n    operations: added 1 (drop-a); removed 1 (put-a); changed 1 \
             (make-a); documentation only 1 (get-a)\n    types: added 1 (B); removed 1 (Gone); \
             changed 1 (S); documentation only 1 (A)\n"
        );
    }

    #[test]
    fn documentation_alone_is_told_apart() {
        let old = document(
            json!({"get": {"operationId": "a", "description": "Old."}}),
            json!({}),
        );
        let mut new = document(
            json!({"get": {"operationId": "a", "description": "New."}}),
            json!({}),
        );
        let changes = Changes::between(Some(&old), &new, "HEAD");
        assert_eq!(changes.operations.docs_only, ["a"]);
        assert!(changes.operations.changed.is_empty() && changes.types.is_empty());
        new["info"]["description"] = json!("About.");
        let changes = Changes::between(Some(&old), &new, "HEAD");
        assert!(changes.other_docs);
        assert!(
            changes
                .one_line()
                .ends_with("; other documentation changed"),
            "{}",
            changes.one_line()
        );
        let same = Changes::between(Some(&old), &old, "HEAD");
        assert_eq!(
            same.to_string(),
            "changes against HEAD: no operation or type changed\n"
        );
        let first = Changes::between(None, &new, "HEAD");
        assert!(first.first_run && first.operations.is_empty());
    }

    #[test]
    fn long_lists_show_the_first_names_and_a_count() {
        let names: Vec<String> = (1..=9).map(|n| format!("T{n}")).collect();
        assert_eq!(list(&names), "T1, T2, T3, T4, T5, T6 and 3 more");
        assert_eq!(list(&names[..2]), "T1, T2");
        let schemas: Map<String, Value> = names.iter().map(|n| (n.clone(), json!({}))).collect();
        let new = document(json!({}), Value::Object(schemas));
        let changes = Changes::between(Some(&document(json!({}), json!({}))), &new, "HEAD");
        assert!(
            changes
                .one_line()
                .contains("types added 9 (T1, T2, T3, T4, T5, T6 and 3 more)"),
            "{}",
            changes.one_line()
        );
    }
}
