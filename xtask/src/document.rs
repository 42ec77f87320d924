//! The spec document as the normalization and the generator read it: its
//! parts visited by what they are, not by key name (a key called `const` or
//! `examples` means different things inside a schema, inside `properties`,
//! where it is a property name, and inside a media type, where `examples` is
//! a map of Example objects: passes that rewrite schema keywords must only
//! ever see schemas), and its `$ref`s, collected by [`references`] and
//! followed by [`deref()`], the only places that do either.

use serde_json::{Map, Value};

use crate::json_pointer::{join, resolve, split_last};

/// How many `$ref`s in a row [`deref`] follows before calling it a loop.
const REFERENCE_CHAIN: usize = 32;

/// `value`, or what its `$ref` names, following a reference to a reference
/// too; `None` when one does not resolve or the chain loops.
pub fn deref<'a>(document: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let mut value = value;
    for _ in 0..REFERENCE_CHAIN {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => value = resolve(document, reference)?,
            None => return Some(value),
        }
    }
    None
}

/// The schema `schema` stands for: followed through `$ref`s and
/// one-element `allOf`s (how the ref-siblings pass writes a `$ref` with
/// siblings); `None` when a reference does not resolve or the chain loops.
pub fn deref_schema<'a>(document: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut schema = schema;
    for _ in 0..REFERENCE_CHAIN {
        schema = deref(document, schema)?;
        match schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => schema = only,
            _ => return Some(schema),
        }
    }
    None
}

/// Every `$ref` inside `node`, in document order: the JSON pointer of the
/// `$ref` key (from `node`) and the reference.
pub fn references(node: &Value) -> Vec<(String, &str)> {
    fn collect<'a>(node: &'a Value, pointer: &str, out: &mut Vec<(String, &'a str)>) {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(reference)) => {
                            out.push((join(pointer, key), reference));
                        }
                        _ => collect(value, &join(pointer, key), out),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    collect(item, &format!("{pointer}/{index}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(node, "", &mut out);
    out
}

/// The HTTP methods a path item can hold, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the document, with where it is.
pub struct OperationRef<'a> {
    pub path: String,
    pub method: &'static str,
    pub pointer: String,
    pub operation: &'a mut Map<String, Value>,
}

impl OperationRef<'_> {
    /// The `operationId`, or `METHOD path` when there is none.
    pub fn label(&self) -> String {
        label(self.operation.get("operationId"), self.method, &self.path)
    }
}

fn label(operation_id: Option<&Value>, method: &str, path: &str) -> String {
    match operation_id.and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => format!("{} {path}", method.to_uppercase()),
    }
}

/// One operation of the document, read-only.
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'static str,
    /// The path item holding it (its shared parameters).
    pub item: &'a Value,
    pub operation: &'a Value,
}

impl<'a> Operation<'a> {
    /// `/paths/<path>/<method>`.
    pub fn pointer(&self) -> String {
        join(&join("/paths", self.path), self.method)
    }

    /// The `operationId`, or `METHOD path` when there is none.
    pub fn label(&self) -> String {
        label(self.operation.get("operationId"), self.method, self.path)
    }

    /// The parameters of the path item, then the operation's own, each
    /// followed through its `$ref` (one that does not resolve is left out).
    pub fn parameters<'d>(&self, document: &'d Value) -> impl Iterator<Item = &'d Value>
    where
        'a: 'd,
    {
        [
            self.item.get("parameters"),
            self.operation.get("parameters"),
        ]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|param| deref(document, param))
    }
}

/// Every operation under `paths`: paths in document order and, within a
/// path, methods in [`METHODS`] order, which is the order progenitor
/// generates them in.
pub fn operations(document: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push(Operation {
                    path,
                    method,
                    item,
                    operation,
                });
            }
        }
    }
    out
}

/// Every operation under `paths`, in document order, as
/// [`operations_mut`] visits them (passes that name things after
/// operations keep their names by keeping this order).
pub fn operations_as_written(document: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (key, operation) in item.as_object().into_iter().flatten() {
            if let Some(method) = METHODS.iter().find(|m| **m == key.as_str()) {
                out.push(Operation {
                    path,
                    method,
                    item,
                    operation,
                });
            }
        }
    }
    out
}

/// Every operation under `paths`, in document order.
pub fn operations_mut(document: &mut Value) -> Vec<OperationRef<'_>> {
    let mut out = Vec::new();
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return out;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let item_pointer = join("/paths", path);
        for (key, operation) in item.iter_mut() {
            let Some(method) = METHODS.iter().find(|m| **m == key.as_str()) else {
                continue;
            };
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            out.push(OperationRef {
                path: path.clone(),
                method,
                pointer: join(&item_pointer, key),
                operation,
            });
        }
    }
    out
}

/// Removes the operation at `pointer` (`/paths/<path>/<method>`), and its
/// path item once no operation is left in it.
pub fn remove_operation(document: &mut Value, pointer: &str) {
    let Some((item_pointer, method)) = split_last(pointer) else {
        return;
    };
    let Some(Value::Object(item)) = document.pointer_mut(item_pointer) else {
        return;
    };
    item.shift_remove(&method);
    if item.keys().any(|key| METHODS.contains(&key.as_str())) {
        return;
    }
    if let Some((paths_pointer, path)) = split_last(item_pointer)
        && let Some(Value::Object(paths)) = document.pointer_mut(paths_pointer)
    {
        paths.shift_remove(&path);
    }
}

/// Every parameter object defined in the document (of path items, of
/// operations and under `components/parameters`), with its JSON pointer.
pub fn parameters_mut(document: &mut Value) -> Vec<(String, &mut Value)> {
    let mut parameters: Vec<(String, &mut Value)> = Vec::new();
    for (key, section) in document.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "paths" => {
                for (pointer, list) in parameter_lists_in(section) {
                    for (index, parameter) in list.iter_mut().enumerate() {
                        parameters.push((join(&pointer, &index.to_string()), parameter));
                    }
                }
            }
            "components" => {
                if let Some(Value::Object(shared)) = section.get_mut("parameters") {
                    for (name, parameter) in shared.iter_mut() {
                        parameters.push((join("/components/parameters", name), parameter));
                    }
                }
            }
            _ => {}
        }
    }
    parameters
}

/// The `parameters` lists of the path items and operations under `paths`,
/// each with its JSON pointer, in document order.
pub fn parameter_lists_mut(document: &mut Value) -> Vec<(String, &mut Vec<Value>)> {
    document
        .get_mut("paths")
        .map(parameter_lists_in)
        .unwrap_or_default()
}

fn parameter_lists_in(paths: &mut Value) -> Vec<(String, &mut Vec<Value>)> {
    let mut lists = Vec::new();
    for (path, item) in paths.as_object_mut().into_iter().flatten() {
        let item_pointer = join("/paths", path);
        for (key, value) in item.as_object_mut().into_iter().flatten() {
            let (pointer, list) = if key == "parameters" {
                (join(&item_pointer, key), Some(value))
            } else if METHODS.contains(&key.as_str()) {
                let pointer = join(&join(&item_pointer, key), "parameters");
                (pointer, value.get_mut("parameters"))
            } else {
                continue;
            };
            if let Some(Value::Array(list)) = list {
                lists.push((pointer, list));
            }
        }
    }
    lists
}

/// Calls `visit` on every schema object in the document (pre-order: a schema
/// before the schemas inside it), with its JSON pointer. Schemas that `visit`
/// adds to the one it is given are visited too.
pub fn for_each_schema(document: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let pointer = join(&join("/components", kind), name);
                match kind.as_str() {
                    "schemas" => schema(entry, &pointer, visit),
                    "parameters" | "headers" => parameter(entry, &pointer, visit),
                    "responses" => response(entry, &pointer, visit),
                    "requestBodies" => content_holder(entry, &pointer, visit),
                    "callbacks" => callback(entry, &pointer, visit),
                    "pathItems" => path_item(entry, &pointer, visit),
                    _ => {}
                }
            }
        }
    }
    for section in ["paths", "webhooks"] {
        if let Some(items) = root.get_mut(section).and_then(Value::as_object_mut) {
            for (path, item) in items.iter_mut() {
                path_item(item, &join(&format!("/{section}"), path), visit);
            }
        }
    }
}

type Visit<'v> = &'v mut dyn FnMut(&mut Map<String, Value>, &str);

fn path_item(item: &mut Value, pointer: &str, visit: Visit<'_>) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        let child = join(pointer, key);
        if key == "parameters" {
            each_in_array(value, &child, visit, parameter);
        } else if METHODS.contains(&key.as_str()) {
            operation(value, &child, visit);
        }
    }
}

fn operation(op: &mut Value, pointer: &str, visit: Visit<'_>) {
    let Some(op) = op.as_object_mut() else { return };
    for (key, value) in op.iter_mut() {
        let child = join(pointer, key);
        match key.as_str() {
            "parameters" => each_in_array(value, &child, visit, parameter),
            "requestBody" => content_holder(value, &child, visit),
            "responses" => each_in_map(value, &child, visit, response),
            "callbacks" => each_in_map(value, &child, visit, callback),
            _ => {}
        }
    }
}

fn callback(cb: &mut Value, pointer: &str, visit: Visit<'_>) {
    each_in_map(cb, pointer, visit, path_item);
}

fn parameter(param: &mut Value, pointer: &str, visit: Visit<'_>) {
    if let Some(s) = param.get_mut("schema") {
        schema(s, &join(pointer, "schema"), visit);
    }
    content_holder(param, pointer, visit);
}

fn response(resp: &mut Value, pointer: &str, visit: Visit<'_>) {
    if let Some(headers) = resp.get_mut("headers") {
        each_in_map(headers, &join(pointer, "headers"), visit, parameter);
    }
    content_holder(resp, pointer, visit);
}

/// Request bodies, responses and parameters hold `content: {media: {schema}}`.
fn content_holder(holder: &mut Value, pointer: &str, visit: Visit<'_>) {
    let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let content_pointer = join(pointer, "content");
    for (media, media_type) in content.iter_mut() {
        if let Some(s) = media_type.get_mut("schema") {
            schema(s, &join(&join(&content_pointer, media), "schema"), visit);
        }
    }
}

/// Keywords whose value is one schema.
const SINGLE: [&str; 10] = [
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalProperties",
];
/// Keywords whose value is an array of schemas.
const LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Visits a schema and, recursively, every schema inside it.
pub fn schema(node: &mut Value, pointer: &str, visit: Visit<'_>) {
    let Some(map) = node.as_object_mut() else {
        return;
    };
    visit(map, pointer);
    for (key, value) in map.iter_mut() {
        let child = join(pointer, key);
        let key = key.as_str();
        if SINGLE.contains(&key) {
            schema(value, &child, visit);
        } else if key == "items" {
            if value.is_array() {
                each_in_array(value, &child, visit, schema);
            } else {
                schema(value, &child, visit);
            }
        } else if LISTS.contains(&key) {
            each_in_array(value, &child, visit, schema);
        } else if MAPS.contains(&key) {
            each_in_map(value, &child, visit, schema);
        }
    }
}

fn each_in_array(
    value: &mut Value,
    pointer: &str,
    visit: Visit<'_>,
    f: fn(&mut Value, &str, Visit<'_>),
) {
    if let Some(items) = value.as_array_mut() {
        for (index, item) in items.iter_mut().enumerate() {
            f(item, &join(pointer, &index.to_string()), visit);
        }
    }
}

fn each_in_map(
    value: &mut Value,
    pointer: &str,
    visit: Visit<'_>,
    f: fn(&mut Value, &str, Visit<'_>),
) {
    if let Some(entries) = value.as_object_mut() {
        for (key, item) in entries.iter_mut() {
            f(item, &join(pointer, key), visit);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn visited(mut doc: Value) -> Vec<String> {
        let mut seen = Vec::new();
        for_each_schema(&mut doc, &mut |_, pointer| seen.push(pointer.to_owned()));
        seen
    }

    #[test]
    fn visits_schemas_and_only_schemas() {
        let doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "post": {
                    "requestBody": {"content": {"application/json": {
                        "schema": {"properties": {"const": {"type": "string"}}},
                        "examples": {"one": {"value": {"const": 1}}}
                    }}},
                    "responses": {"200": {
                        "headers": {"X-Id": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"items": {"oneOf": [{}]}}}}
                    }}
                },
                "summary": "not an operation"
            }},
            "components": {"schemas": {"S": {"additionalProperties": {"type": "integer"}}}}
        });
        assert_eq!(
            visited(doc),
            [
                "/components/schemas/S",
                "/components/schemas/S/additionalProperties",
                "/paths/~1a~1{id}/parameters/0/schema",
                "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema",
                "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/const",
                "/paths/~1a~1{id}/post/responses/200/headers/X-Id/schema",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/items",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/items/oneOf/0",
            ]
        );
    }

    #[test]
    fn references_are_collected_where_they_are_and_followed_to_the_end() {
        let doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}},
            "components": {
                "parameters": {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"name": "q"}},
                "schemas": {
                    "W": {"allOf": [{"$ref": "#/components/schemas/S"}], "description": "d"},
                    "S": {"type": "string"},
                    "Loop": {"$ref": "#/components/schemas/Loop"}
                }
            }
        });
        let found: Vec<(String, &str)> = references(&doc);
        assert_eq!(
            found,
            [
                (
                    "/paths/~1a/get/parameters/0/$ref".to_owned(),
                    "#/components/parameters/P"
                ),
                (
                    "/components/parameters/P/$ref".to_owned(),
                    "#/components/parameters/Q"
                ),
                (
                    "/components/schemas/W/allOf/0/$ref".to_owned(),
                    "#/components/schemas/S"
                ),
                (
                    "/components/schemas/Loop/$ref".to_owned(),
                    "#/components/schemas/Loop"
                ),
            ]
        );
        let parameter = &doc["paths"]["/a"]["get"]["parameters"][0];
        assert_eq!(deref(&doc, parameter), Some(&json!({"name": "q"})));
        assert_eq!(
            deref(&doc, &json!({"type": "string"})),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(deref(&doc, &doc["components"]["schemas"]["Loop"]), None);
        assert_eq!(deref(&doc, &json!({"$ref": "#/nowhere"})), None);
        let wrapped = &doc["components"]["schemas"]["W"];
        assert_eq!(deref(&doc, wrapped), Some(wrapped));
        assert_eq!(
            deref_schema(&doc, wrapped),
            Some(&json!({"type": "string"}))
        );
        let op = &operations(&doc)[0];
        assert_eq!(
            op.parameters(&doc).collect::<Vec<_>>(),
            [&json!({"name": "q"})]
        );
    }

    #[test]
    fn lists_operations_with_labels() {
        let mut doc = json!({"paths": {"/x": {
            "get": {"operationId": "get-x"},
            "post": {},
            "parameters": []
        }}});
        let ops = operations_mut(&mut doc);
        let labels: Vec<_> = ops
            .iter()
            .map(|op| (op.label(), op.pointer.clone()))
            .collect();
        assert_eq!(
            labels,
            [
                ("get-x".to_owned(), "/paths/~1x/get".to_owned()),
                ("POST /x".to_owned(), "/paths/~1x/post".to_owned())
            ]
        );
    }
}
