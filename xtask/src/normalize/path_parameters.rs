//! Path templates and path parameters must agree: progenitor panics when a
//! declared path parameter is missing from the template and asserts every
//! path parameter is `required`. A template variable nobody declared gets a
//! string parameter; a declared parameter the template lacks is dropped.

use serde_json::{Value, json};

use super::{NormalizeError, Report};
use crate::document::{METHODS, deref};
use crate::json_pointer::join;

pub fn match_template(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let template = template_variables(path)
            .map_err(|message| NormalizeError::new(join("/paths", path), message))?;
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let item_pointer = join("/paths", path);
        let shared = path_param_names(&snapshot, item.get("parameters"));
        for (key, op) in item.iter_mut() {
            if !METHODS.contains(&key.as_str()) {
                continue;
            }
            let pointer = join(&join(&item_pointer, key), "parameters");
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let had_parameters = op.contains_key("parameters");
            let params = op.entry("parameters").or_insert_with(|| json!([]));
            let Some(params) = params.as_array_mut() else {
                continue;
            };
            params.retain(|p| {
                let keep = match as_path_param(&snapshot, p) {
                    Some(name) => template.contains(&name),
                    None => true,
                };
                if !keep {
                    report.warn(
                        &pointer,
                        "dropped a path parameter the path template does not use",
                    );
                }
                keep
            });
            for param in params.iter_mut() {
                if param.get("in").and_then(Value::as_str) == Some("path")
                    && param.get("required") != Some(&Value::Bool(true))
                {
                    param["required"] = Value::Bool(true);
                    report.note(&pointer, "path parameter marked required");
                }
            }
            let mut declared = shared.clone();
            declared.extend(params.iter().filter_map(|p| as_path_param(&snapshot, p)));
            for name in &template {
                if !declared.contains(name) {
                    params.push(json!({
                        "name": name, "in": "path", "required": true, "schema": {"type": "string"}
                    }));
                    report.warn(
                        &pointer,
                        format!("declared missing path parameter `{name}` as a string"),
                    );
                }
            }
            if !had_parameters && params.is_empty() {
                op.shift_remove("parameters");
            }
        }
    }
    Ok(())
}

/// The `{name}` variables of a path template, in order.
fn template_variables(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed `{{` in path `{path}`"))?;
        let name = &after[..end];
        if name.is_empty() || name.contains('{') {
            return Err(format!("malformed template variable in path `{path}`"));
        }
        names.push(name.to_owned());
        rest = &after[end + 1..];
    }
    Ok(names)
}

fn as_path_param(document: &Value, param: &Value) -> Option<String> {
    let param = deref(document, param)?;
    (param.get("in")?.as_str()? == "path")
        .then(|| param.get("name")?.as_str().map(str::to_owned))?
}

fn path_param_names(document: &Value, params: Option<&Value>) -> Vec<String> {
    params
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| as_path_param(document, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconciles_template_and_parameters() {
        let mut doc = json!({"paths": {"/a/{id}/b/{other}": {
            "parameters": [{"name": "other", "in": "path", "required": true}],
            "get": {"parameters": [
                {"name": "gone", "in": "path", "required": true},
                {"name": "q", "in": "query"}
            ]},
            "put": {"parameters": [{"name": "id", "in": "path"}]}
        }}});
        let mut report = Report::default();
        match_template(&mut doc, &mut report).unwrap();
        let item = &doc["paths"]["/a/{id}/b/{other}"];
        assert_eq!(
            item["get"]["parameters"],
            json!([
                {"name": "q", "in": "query"},
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
            ])
        );
        assert_eq!(
            item["put"]["parameters"],
            json!([{"name": "id", "in": "path", "required": true}])
        );
        assert_eq!(report.warnings().count(), 2);
    }

    #[test]
    fn rejects_malformed_templates() {
        assert!(template_variables("/a/{id").is_err());
        assert!(template_variables("/a/{}").is_err());
        assert_eq!(template_variables("/a/{x}/{y}.json").unwrap(), ["x", "y"]);
    }
}
