//! Top-level keys and fields that exist only in OpenAPI 3.1. `webhooks` and
//! `components.pathItems` describe requests the API sends, not requests a
//! client makes, so dropping them loses nothing a client can use; the report
//! says what went.

use serde_json::{Map, Value};

use super::{NormalizeError, Report};

pub fn drop_31_only_keys(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let Some(root) = document.as_object_mut() else {
        return Ok(());
    };
    if let Some(Value::Object(webhooks)) = root.shift_remove("webhooks") {
        let names: Vec<_> = webhooks.keys().cloned().collect();
        report.warn(
            "/webhooks",
            format!("dropped webhooks (3.1 only): {}", names.join(", ")),
        );
    }
    if root.shift_remove("jsonSchemaDialect").is_some() {
        report.note("/jsonSchemaDialect", "dropped (3.1 only)");
    }
    if !root.contains_key("paths") {
        // 3.1 makes `paths` optional; 3.0 requires it.
        root.insert("paths".to_owned(), Value::Object(Map::new()));
        report.note("/paths", "added the empty `paths` object 3.0 requires");
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if info.shift_remove("summary").is_some() {
            report.note("/info/summary", "dropped (3.1 only)");
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut)
            && license.shift_remove("identifier").is_some()
        {
            report.note("/info/license/identifier", "dropped (3.1 only)");
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut)
        && components.shift_remove("pathItems").is_some()
    {
        report.warn("/components/pathItems", "dropped (3.1 only)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn drops_31_only_keys_and_adds_paths() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "jsonSchemaDialect": "x",
            "webhooks": {"ping": {}},
            "components": {"pathItems": {}, "schemas": {}}
        });
        let mut report = Report::default();
        drop_31_only_keys(&mut doc, &mut report).unwrap();
        assert_eq!(
            doc,
            json!({
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1", "license": {"name": "MIT"}},
                "components": {"schemas": {}},
                "paths": {}
            })
        );
        assert_eq!(report.warnings().count(), 2);
    }
}
