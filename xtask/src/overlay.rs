//! OpenAPI Overlay Specification 1.0: what Moveworks documents but no
//! published spec holds is written as an overlay beside `openapi.yaml`, and
//! applied to the parsed spec before the normalization, so that the spec
//! itself stays byte for byte as published.
//!
//! The subset the project needs, strictly:
//!
//! - the document: `overlay: 1.0.x`, `info` (`title`, `version`), optional
//!   `extends` (not followed), `actions`, and `x-` extensions; any other
//!   field is an error;
//! - each action: `target`, a `description` (required here: an action says
//!   where Moveworks documents what it adds), and either `update` or
//!   `remove: true`;
//! - targets: `$`, then `.name`, `['name']` (or `["name"]`) and `[*]`; any
//!   other JSONPath is refused, naming the action;
//! - `update` on an object is merged into it recursively: an object into an
//!   object, an array appended to an array, a primitive replacing a
//!   primitive, any other pair an error (the merge Overlay 1.1 spells out
//!   and the 1.0 tools implement); on an array it is one entry appended;
//! - `remove: true` takes each selected node out of its object or array;
//! - a target that selects nothing is an error, so that an overlay that
//!   stops matching after a spec change fails loudly instead of silently
//!   doing nothing.

use std::fmt;

use serde_json::{Map, Value};

use crate::json_pointer::join;
use crate::spec_text;

/// A parsed overlay document.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    pub title: String,
    pub version: String,
    pub actions: Vec<Action>,
}

/// One action, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The target as written.
    pub target: String,
    path: Vec<Selector>,
    pub description: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Update(Value),
    Remove,
}

/// A JSONPath segment of the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selector {
    Name(String),
    Wildcard,
}

/// A step from a node to one of its children.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// What one action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub target: String,
    /// `update` or `remove`.
    pub kind: &'static str,
    /// How many nodes the target selected.
    pub nodes: usize,
    pub description: String,
}

/// The name of the overlay file beside `openapi.yaml`, and of its copy in a
/// generated crate's `openapi/`.
pub const OVERLAY_FILE: &str = "openapi.overlay.yaml";

/// An overlay file's text, by name.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file_name: &'a str,
    pub text: &'a str,
}

/// What applying an overlay file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub file_name: String,
    pub title: String,
    pub version: String,
    pub actions: Vec<Applied>,
}

/// Where the overlay of the spec at `spec` is: beside it, named after it
/// with `.overlay.yaml` in place of its extension (`openapi.yaml` gives
/// `openapi.overlay.yaml`).
pub fn beside(spec: &std::path::Path) -> std::path::PathBuf {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.overlay.yaml"))
}

/// Parses `source` and applies it to `document`.
pub fn apply(source: Source<'_>, document: &mut Value) -> Result<Outcome, String> {
    let with_name = |e: OverlayError| format!("{}: {e}", source.file_name);
    let overlay = Overlay::parse(source.text).map_err(with_name)?;
    let actions = overlay.apply(document).map_err(with_name)?;
    Ok(Outcome {
        file_name: source.file_name.to_owned(),
        title: overlay.title,
        version: overlay.version,
        actions,
    })
}

/// An overlay that is not valid, or an action that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayError {
    /// The action (1-based) and the first line of its description, when
    /// the error is an action's.
    pub action: Option<(usize, String)>,
    pub message: String,
}

impl fmt::Display for OverlayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.action {
            Some((number, description)) if description.is_empty() => {
                write!(f, "action {number}: {}", self.message)
            }
            Some((number, description)) => {
                write!(f, "action {number} ({description}): {}", self.message)
            }
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for OverlayError {}

fn error(message: impl Into<String>) -> OverlayError {
    OverlayError {
        action: None,
        message: message.into(),
    }
}

impl Overlay {
    /// Parses and checks an overlay document (YAML or JSON).
    pub fn parse(text: &str) -> Result<Self, OverlayError> {
        let document = spec_text::parse(text).map_err(|e| error(e.to_string()))?;
        let Value::Object(root) = document else {
            return Err(error("an overlay is a mapping"));
        };
        only_fields(
            &root,
            &["overlay", "info", "extends", "actions"],
            "the overlay",
        )?;
        match root.get("overlay") {
            Some(Value::String(version)) if is_version_1_0(version) => {}
            Some(other) => {
                let other = other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned);
                return Err(error(format!(
                    "`overlay: {other}` is not supported: this tool reads Overlay 1.0.x (a string)"
                )));
            }
            None => return Err(error("`overlay` (the Overlay version, 1.0.0) is missing")),
        }
        let info = root
            .get("info")
            .and_then(Value::as_object)
            .ok_or_else(|| error("`info` (with `title` and `version`) is missing"))?;
        only_fields(info, &["title", "version"], "`info`")?;
        let field = |name: &str| -> Result<String, OverlayError> {
            match info.get(name) {
                Some(Value::String(value)) => Ok(value.clone()),
                Some(_) => Err(error(format!(
                    "`info.{name}` must be a string (quote a number: '1')"
                ))),
                None => Err(error(format!("`info.{name}` (a string) is missing"))),
            }
        };
        let (title, version) = (field("title")?, field("version")?);
        if root.get("extends").is_some_and(|e| !e.is_string()) {
            return Err(error("`extends` must be a string"));
        }
        let actions = match root.get("actions") {
            Some(Value::Array(actions)) if !actions.is_empty() => actions,
            _ => return Err(error("`actions` (a non-empty list) is missing")),
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                Action::parse(action).map_err(|mut e| {
                    let description = action
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    e.action = Some((index + 1, first_line(description)));
                    e
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Overlay {
            title,
            version,
            actions,
        })
    }

    /// Applies every action to `document`, in order; says what each did.
    pub fn apply(&self, document: &mut Value) -> Result<Vec<Applied>, OverlayError> {
        self.actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                action.apply(document).map_err(|mut e| {
                    e.action = Some((index + 1, first_line(&action.description)));
                    e
                })
            })
            .collect()
    }
}

impl Action {
    fn parse(action: &Value) -> Result<Self, OverlayError> {
        let action = action
            .as_object()
            .ok_or_else(|| error("an action is a mapping"))?;
        only_fields(
            action,
            &["target", "description", "update", "remove"],
            "an action",
        )?;
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| error("`target` (a JSONPath string) is missing"))?
            .to_owned();
        let path = parse_path(&target)?;
        let description = action
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.trim().is_empty())
            .ok_or_else(|| {
                error(
                    "`description` is missing: say what the action adds and where it is documented",
                )
            })?
            .to_owned();
        let remove = match action.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(_) => return Err(error("`remove` must be true or false")),
        };
        let change = match (action.get("update"), remove) {
            (Some(_), true) => {
                return Err(error("`update` and `remove: true` together: choose one"));
            }
            (Some(update), false) => Change::Update(update.clone()),
            (None, true) => Change::Remove,
            (None, false) => return Err(error("neither `update` nor `remove: true`")),
        };
        Ok(Action {
            target,
            path,
            description,
            change,
        })
    }

    fn apply(&self, document: &mut Value) -> Result<Applied, OverlayError> {
        let mut selected = select(document, &self.path);
        if selected.is_empty() {
            return Err(error(format!(
                "target `{}` selects nothing in the spec",
                self.target
            )));
        }
        let kind = match &self.change {
            Change::Update(update) => {
                for steps in &selected {
                    let pointer = pointer_of(steps);
                    let node = node_mut(document, steps)
                        .ok_or_else(|| error(format!("`{pointer}` vanished")))?;
                    update_node(node, update, &pointer)?;
                }
                "update"
            }
            Change::Remove => {
                if selected.iter().any(Vec::is_empty) {
                    return Err(error("`remove` cannot take away the whole document"));
                }
                // Later array items first, so earlier indices stay valid.
                selected.sort();
                for steps in selected.iter().rev() {
                    let Some((last, parent)) = steps.split_last() else {
                        continue;
                    };
                    match (node_mut(document, parent), last) {
                        (Some(Value::Object(map)), Step::Key(key)) => {
                            map.shift_remove(key);
                        }
                        (Some(Value::Array(items)), Step::Index(index)) => {
                            items.remove(*index);
                        }
                        _ => return Err(error(format!("`{}` vanished", pointer_of(steps)))),
                    }
                }
                "remove"
            }
        };
        Ok(Applied {
            target: self.target.clone(),
            kind,
            nodes: selected.len(),
            description: self.description.clone(),
        })
    }
}

fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Refuses any field of `object` outside `allowed` and `x-` extensions.
fn only_fields(
    object: &Map<String, Value>,
    allowed: &[&str],
    what: &str,
) -> Result<(), OverlayError> {
    match object
        .keys()
        .find(|key| !allowed.contains(&key.as_str()) && !key.starts_with("x-"))
    {
        Some(key) => Err(error(format!(
            "{what} has a field `{key}` Overlay 1.0 does not define (allowed: {}, and `x-` extensions)",
            allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        None => Ok(()),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// Parses the supported JSONPath subset.
fn parse_path(target: &str) -> Result<Vec<Selector>, OverlayError> {
    let unsupported = |at: usize, why: &str| {
        error(format!(
            "target `{target}`: {why} at character {}; only `$`, `.name`, `['name']` and `[*]` \
             are supported",
            at + 1
        ))
    };
    let chars: Vec<char> = target.chars().collect();
    if chars.first() != Some(&'$') {
        return Err(unsupported(0, "a target starts with `$`"));
    }
    let mut path = Vec::new();
    let mut at = 1;
    while at < chars.len() {
        match chars[at] {
            '.' => {
                let start = at + 1;
                let mut end = start;
                while end < chars.len()
                    && (chars[end] == '_'
                        || chars[end].is_alphabetic()
                        || (end > start && chars[end].is_ascii_digit()))
                {
                    end += 1;
                }
                if end == start {
                    return Err(unsupported(at, "`.` is not followed by a name"));
                }
                path.push(Selector::Name(chars[start..end].iter().collect()));
                at = end;
            }
            '[' if chars.get(at + 1) == Some(&'*') && chars.get(at + 2) == Some(&']') => {
                path.push(Selector::Wildcard);
                at += 3;
            }
            '[' if matches!(chars.get(at + 1), Some('\'' | '"')) => {
                let quote = chars[at + 1];
                let mut name = String::new();
                let mut i = at + 2;
                loop {
                    match chars.get(i) {
                        None => return Err(unsupported(at, "an unclosed name")),
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some(&c @ ('\\' | '\'' | '"' | '/')) => name.push(c),
                                _ => {
                                    return Err(unsupported(
                                        i,
                                        "an escape other than \\\\, \\', \\\" or \\/",
                                    ));
                                }
                            }
                            i += 2;
                        }
                        Some(&c) if c == quote => break,
                        Some(&c) => {
                            name.push(c);
                            i += 1;
                        }
                    }
                }
                if chars.get(i + 1) != Some(&']') {
                    return Err(unsupported(i + 1, "a name selector not closed by `]`"));
                }
                path.push(Selector::Name(name));
                at = i + 2;
            }
            _ => return Err(unsupported(at, "an unsupported selector")),
        }
    }
    Ok(path)
}

/// The locations `path` selects in `document`, in document order.
fn select(document: &Value, path: &[Selector]) -> Vec<Vec<Step>> {
    let mut current: Vec<(Vec<Step>, &Value)> = vec![(Vec::new(), document)];
    for selector in path {
        let mut next = Vec::new();
        for (steps, node) in current {
            let mut child = |step: Step, value| {
                let mut steps = steps.clone();
                steps.push(step);
                next.push((steps, value));
            };
            match (selector, node) {
                (Selector::Name(name), Value::Object(map)) => {
                    if let Some(value) = map.get(name) {
                        child(Step::Key(name.clone()), value);
                    }
                }
                (Selector::Wildcard, Value::Object(map)) => {
                    for (key, value) in map {
                        child(Step::Key(key.clone()), value);
                    }
                }
                (Selector::Wildcard, Value::Array(items)) => {
                    for (index, value) in items.iter().enumerate() {
                        child(Step::Index(index), value);
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current.into_iter().map(|(steps, _)| steps).collect()
}

fn node_mut<'a>(document: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps
        .iter()
        .try_fold(document, |node, step| match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key),
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
            _ => None,
        })
}

fn pointer_of(steps: &[Step]) -> String {
    steps
        .iter()
        .fold(String::new(), |pointer, step| match step {
            Step::Key(key) => join(&pointer, key),
            Step::Index(index) => join(&pointer, &index.to_string()),
        })
}

fn update_node(node: &mut Value, update: &Value, pointer: &str) -> Result<(), OverlayError> {
    match *node {
        Value::Object(_) if update.is_object() => merge(node, update, pointer),
        Value::Object(_) => Err(error(format!(
            "`{}` is an object: `update` must be an object to merge into it",
            shown(pointer)
        ))),
        Value::Array(_) if update.is_array() => Err(error(format!(
            "`{}` is a list and `update` a list, which Overlay 1.0 appends as one entry and \
             1.1 concatenates: target the object holding it and update that with a list",
            shown(pointer)
        ))),
        Value::Array(ref mut items) => {
            items.push(update.clone());
            Ok(())
        }
        _ => Err(error(format!(
            "`{}` is a primitive: target the object holding it",
            shown(pointer)
        ))),
    }
}

/// Merges the object `update` into the object `target`, recursively (see
/// the module docs).
fn merge(target: &mut Value, update: &Value, pointer: &str) -> Result<(), OverlayError> {
    let (Value::Object(target), Value::Object(update)) = (target, update) else {
        return Err(error(format!("`{}`: not two objects", shown(pointer))));
    };
    for (key, value) in update {
        let at = join(pointer, key);
        let Some(existing) = target.get_mut(key) else {
            target.insert(key.clone(), value.clone());
            continue;
        };
        if existing.is_object() && value.is_object() {
            merge(existing, value, &at)?;
        } else if let (Value::Array(items), Value::Array(more)) = (&mut *existing, value) {
            items.extend(more.iter().cloned());
        } else if is_primitive(existing) && is_primitive(value) {
            *existing = value.clone();
        } else {
            return Err(error(format!(
                "`{}`: cannot merge {} into {} (remove it first to replace it)",
                shown(&at),
                kind(value),
                kind(existing)
            )));
        }
    }
    Ok(())
}

fn is_primitive(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "a list",
        _ => "a primitive",
    }
}

fn shown(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn overlay(actions: &str) -> String {
        format!("overlay: 1.0.0\ninfo:\n  title: Test\n  version: '1'\nactions:\n{actions}")
    }

    fn spec() -> Value {
        json!({
            "paths": {"/conversations/{id}": {"get": {"summary": "Get"}, "post": {"summary": "Post"}}},
            "components": {"schemas": {
                "ActorType": {"type": "string", "enum": ["USER", "ASSISTANT"], "description": "Actor"},
                "Action": {"oneOf": [{"$ref": "#/components/schemas/A"}]},
                "Event": {"required": ["type", "created_at"], "properties": {"created_at": {"type": "string"}}}
            }}
        })
    }

    fn apply(actions: &str) -> Result<(Value, Vec<Applied>), OverlayError> {
        let overlay = Overlay::parse(&overlay(actions))?;
        let mut doc = spec();
        let applied = overlay.apply(&mut doc)?;
        Ok((doc, applied))
    }

    #[test]
    fn the_overlay_of_a_spec_is_beside_it() {
        use std::path::Path;
        assert_eq!(
            beside(Path::new("/w/openapi.yaml")),
            Path::new("/w/openapi.overlay.yaml")
        );
        assert_eq!(
            beside(Path::new("specs/x.openapi.json")),
            Path::new("specs/x.openapi.overlay.yaml")
        );
    }

    #[test]
    fn the_path_subset_parses_and_anything_else_is_refused() {
        assert_eq!(parse_path("$").unwrap(), []);
        assert_eq!(
            parse_path("$.paths['/conversations/{id}'][*].summary").unwrap(),
            [
                Selector::Name("paths".to_owned()),
                Selector::Name("/conversations/{id}".to_owned()),
                Selector::Wildcard,
                Selector::Name("summary".to_owned()),
            ]
        );
        assert_eq!(
            parse_path(r#"$["x-trace-id"]['it\'s']"#).unwrap(),
            [
                Selector::Name("x-trace-id".to_owned()),
                Selector::Name("it's".to_owned())
            ]
        );
        for refused in [
            "paths",
            "$.paths.*",
            "$..summary",
            "$.paths[0]",
            "$.paths[?@.get]",
            "$.x-trace",
            "$['a'",
            "$['a']b",
            "$.",
            r"$['\n']",
        ] {
            let err = parse_path(refused).unwrap_err();
            assert!(
                err.message
                    .contains("only `$`, `.name`, `['name']` and `[*]`"),
                "{refused}: {err}"
            );
        }
    }

    #[test]
    fn update_merges_objects_appends_lists_and_replaces_primitives() {
        let (doc, applied) = apply(
            "  - target: $.components.schemas.ActorType\n    description: Live agents (docs)\n    \
             update:\n      enum: [LIVE_AGENT]\n      description: Who wrote it\n      x-new: {a: 1}\n",
        )
        .unwrap();
        assert_eq!(
            doc["components"]["schemas"]["ActorType"],
            json!({"type": "string", "enum": ["USER", "ASSISTANT", "LIVE_AGENT"],
                   "description": "Who wrote it", "x-new": {"a": 1}})
        );
        assert_eq!(
            applied,
            [Applied {
                target: "$.components.schemas.ActorType".to_owned(),
                kind: "update",
                nodes: 1,
                description: "Live agents (docs)".to_owned(),
            }]
        );
    }

    #[test]
    fn update_on_a_list_appends_one_entry_and_wildcards_select_every_child() {
        let (doc, applied) = apply(
            "  - target: $.components.schemas.Action.oneOf\n    description: Modal\n    \
             update: {$ref: '#/components/schemas/Modal'}\n  \
             - target: $.paths['/conversations/{id}'][*]\n    description: Tag\n    \
             update: {x-tag: t}\n",
        )
        .unwrap();
        assert_eq!(
            doc["components"]["schemas"]["Action"]["oneOf"],
            json!([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/Modal"}])
        );
        let item = &doc["paths"]["/conversations/{id}"];
        assert_eq!(item["get"]["x-tag"], "t");
        assert_eq!(item["post"]["x-tag"], "t");
        assert_eq!(applied[1].nodes, 2);
    }

    #[test]
    fn remove_takes_nodes_out_of_objects_and_lists() {
        let (doc, _) = apply(
            "  - target: $.components.schemas.Event.required[*]\n    description: Relax\n    \
             remove: true\n  \
             - target: $.components.schemas.Event\n    description: Only `type`\n    \
             update: {required: [type]}\n  \
             - target: $.paths['/conversations/{id}'].post\n    description: Gone\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(
            doc["components"]["schemas"]["Event"]["required"],
            json!(["type"])
        );
        assert!(doc["paths"]["/conversations/{id}"].get("post").is_none());
        assert!(doc["paths"]["/conversations/{id}"].get("get").is_some());
    }

    #[test]
    fn an_action_selecting_nothing_fails_naming_it() {
        let err = apply(
            "  - target: $.components.schemas.ActorType\n    description: Fine\n    update: {}\n  \
             - target: $.components.schemas.Gone\n    description: |\n      Stale action\n      second line\n    \
             update: {x: 1}\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "action 2 (Stale action): target `$.components.schemas.Gone` selects nothing in the spec"
        );
    }

    #[test]
    fn incompatible_updates_are_errors() {
        for (actions, expected) in [
            (
                "  - target: $.components.schemas.ActorType\n    description: d\n    update: {enum: x}\n",
                "`/components/schemas/ActorType/enum`: cannot merge a primitive into a list",
            ),
            (
                "  - target: $.components.schemas.ActorType\n    description: d\n    update: [1]\n",
                "is an object: `update` must be an object",
            ),
            (
                "  - target: $.components.schemas.ActorType.enum\n    description: d\n    update: [X]\n",
                "appends as one entry and 1.1 concatenates",
            ),
            (
                "  - target: $.components.schemas.ActorType.type\n    description: d\n    update: number\n",
                "is a primitive: target the object holding it",
            ),
            (
                "  - target: $\n    description: d\n    remove: true\n",
                "cannot take away the whole document",
            ),
        ] {
            let err = apply(actions).unwrap_err();
            assert!(err.to_string().starts_with("action 1 (d): "), "{err}");
            assert!(err.message.contains(expected), "{err}");
        }
    }

    #[test]
    fn the_document_is_checked_strictly() {
        for (text, expected) in [
            (
                "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, description: d, update: {}}]",
                "`overlay: 1.1.0` is not supported",
            ),
            (
                "info: {title: t, version: '1'}\nactions: [{target: $, description: d, update: {}}]",
                "`overlay` (the Overlay version, 1.0.0) is missing",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $, description: d, update: {}}]",
                "`info.version` (a string) is missing",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: 1}\nactions: [{target: $, description: d, update: {}}]",
                "`info.version` must be a string",
            ),
            (
                "overlay: 1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, description: d, update: {}}]",
                "`overlay: 1.0` is not supported",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []",
                "`actions` (a non-empty list) is missing",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\ncomponents: {}\nactions: [{target: $, description: d, update: {}}]",
                "the overlay has a field `components`",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, description: d, copy: $.a}]",
                "action 1 (d): an action has a field `copy`",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]",
                "action 1: `description` is missing",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, description: d}]",
                "neither `update` nor `remove: true`",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, description: d, update: {}, remove: true}]",
                "choose one",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$.a.*', description: d, remove: true}]",
                "action 1 (d): target `$.a.*`",
            ),
        ] {
            let err = Overlay::parse(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text}\n=> {err}");
        }
        let ok = Overlay::parse(
            "overlay: 1.0.0\ninfo: {title: T, version: '2', x-owner: me}\nextends: openapi.yaml\n\
             x-note: 1\nactions: [{target: $, description: d, update: {}, x-why: w}]",
        )
        .unwrap();
        assert_eq!((ok.title.as_str(), ok.version.as_str()), ("T", "2"));
        assert_eq!(ok.actions[0].change, Change::Update(json!({})));
    }
}
