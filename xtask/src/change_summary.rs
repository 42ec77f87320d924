//! The one-line account every codegen run prints: which operations and
//! types the new spec adds, removes or changes against the committed
//! normalized document.

use std::fmt;

use serde_json::Value;

use crate::normalize::walk::METHODS;

/// Added, removed and changed names of one kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NameChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// Changes of operations (by `operationId`) and of types (component schemas).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// No committed output to compare with.
    pub first_run: bool,
    pub operations: NameChanges,
    pub types: NameChanges,
}

impl Changes {
    pub fn between(old: Option<&Value>, new: &Value) -> Self {
        let Some(old) = old else {
            return Changes {
                first_run: true,
                ..Changes::default()
            };
        };
        Changes {
            first_run: false,
            operations: NameChanges::between(&operations(old), &operations(new)),
            types: NameChanges::between(&schemas(old), &schemas(new)),
        }
    }
}

impl NameChanges {
    fn between(old: &[(String, Value)], new: &[(String, Value)]) -> Self {
        let lookup = |list: &[(String, Value)], name: &str| {
            list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        };
        let mut changes = NameChanges::default();
        for (name, value) in new {
            match lookup(old, name) {
                None => changes.added.push(name.clone()),
                Some(previous) if previous != *value => changes.changed.push(name.clone()),
                Some(_) => {}
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
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn operations(document: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let name = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(
                        || format!("{} {path}", method.to_uppercase()),
                        str::to_owned,
                    );
                out.push((name, operation.clone()));
            }
        }
    }
    out
}

fn schemas(document: &Value) -> Vec<(String, Value)> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect()
}

impl fmt::Display for NameChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (sign, names) in [
            ("+", &self.added),
            ("-", &self.removed),
            ("~", &self.changed),
        ] {
            if !names.is_empty() {
                parts.push(format!("{sign}{} ({})", names.len(), names.join(", ")));
            }
        }
        if parts.is_empty() {
            f.write_str("unchanged")
        } else {
            f.write_str(&parts.join(" "))
        }
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first_run {
            return f.write_str("none committed yet (first generation)");
        }
        if self.operations.is_empty() && self.types.is_empty() {
            return f.write_str("no operation or type changed");
        }
        write!(f, "operations {}; types {}", self.operations, self.types)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lists_added_removed_and_changed_operations_and_types() {
        let old = json!({
            "paths": {"/a": {"get": {"operationId": "get-a"}, "post": {"operationId": "make-a"}}},
            "components": {"schemas": {"A": {"type": "string"}, "Gone": {}}}
        });
        let new = json!({
            "paths": {"/a": {"get": {"operationId": "get-a", "summary": "now documented"}}, "/b": {"get": {"operationId": "get-b"}}},
            "components": {"schemas": {"A": {"type": "string"}, "B": {}}}
        });
        let changes = Changes::between(Some(&old), &new);
        assert_eq!(changes.operations.added, ["get-b"]);
        assert_eq!(changes.operations.removed, ["make-a"]);
        assert_eq!(changes.operations.changed, ["get-a"]);
        assert_eq!(
            changes.to_string(),
            "operations +1 (get-b) -1 (make-a) ~1 (get-a); types +1 (B) -1 (Gone)"
        );
        assert_eq!(
            Changes::between(Some(&new), &new).to_string(),
            "no operation or type changed"
        );
        assert!(Changes::between(None, &new).first_run);
    }
}
