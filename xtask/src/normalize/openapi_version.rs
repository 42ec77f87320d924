//! `openapi: 3.1.x` becomes `openapi: 3.0.3`; progenitor refuses anything but
//! 3.0. Documents that are not OpenAPI 3 at all are refused here, clearly.

use serde_json::Value;

use super::{NormalizeError, Report};

/// The version every normalized document declares.
pub const TARGET_VERSION: &str = "3.0.3";

pub fn downgrade(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let Some(root) = document.as_object_mut() else {
        return Err(NormalizeError::new(
            "",
            "the document is not a JSON/YAML object",
        ));
    };
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(_) => {
            return Err(NormalizeError::new(
                "/openapi",
                "`openapi` must be a string",
            ));
        }
        None if root.contains_key("swagger") => {
            return Err(NormalizeError::new(
                "/swagger",
                "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first",
            ));
        }
        None => {
            return Err(NormalizeError::new(
                "/openapi",
                "missing `openapi` version field",
            ));
        }
    };
    if version.starts_with("3.0.") {
        return Ok(());
    }
    if !version.starts_with("3.1.") {
        return Err(NormalizeError::new(
            "/openapi",
            format!("unsupported OpenAPI version `{version}` (expected 3.0.x or 3.1.x)"),
        ));
    }
    root.insert(
        "openapi".to_owned(),
        Value::String(TARGET_VERSION.to_owned()),
    );
    report.note("/openapi", format!("{version} -> {TARGET_VERSION}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rewrites_31_and_keeps_30() {
        let mut doc = json!({"openapi": "3.1.0"});
        let mut report = Report::default();
        downgrade(&mut doc, &mut report).unwrap();
        assert_eq!(doc["openapi"], TARGET_VERSION);
        assert_eq!(report.entries.len(), 1);

        let mut doc = json!({"openapi": "3.0.1"});
        downgrade(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(doc["openapi"], "3.0.1");
    }

    #[test]
    fn refuses_other_versions() {
        for doc in [
            json!({"openapi": "4.0.0"}),
            json!({"swagger": "2.0"}),
            json!({}),
            json!([]),
        ] {
            let mut doc = doc;
            assert!(
                downgrade(&mut doc, &mut Report::default()).is_err(),
                "{doc}"
            );
        }
    }
}
