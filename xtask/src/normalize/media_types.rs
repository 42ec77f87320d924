//! progenitor takes exactly one request media type (more is a `todo!` panic)
//! and asserts JSON media types carry no `encoding`. A request body offering
//! several media types keeps JSON (or else the first); `encoding` objects,
//! which only describe multipart and form fields, are dropped.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::operations_mut;
use crate::json_pointer::join;

pub fn single_request_media_type(
    document: &mut Value,
    report: &mut Report,
) -> Result<(), NormalizeError> {
    for op in operations_mut(document) {
        if let Some(Value::Object(content)) = op
            .operation
            .get_mut("requestBody")
            .and_then(|body| body.get_mut("content"))
        {
            let pointer = join(&op.pointer, "requestBody/content");
            if content.len() > 1 {
                let keep = content
                    .keys()
                    .find(|media| is_json(media))
                    .or_else(|| content.keys().next())
                    .cloned()
                    .unwrap_or_default();
                let dropped: Vec<_> = content.keys().filter(|m| **m != keep).cloned().collect();
                content.retain(|media, _| *media == keep);
                report.warn(
                    &pointer,
                    format!(
                        "request body offered several media types; kept `{keep}`, dropped {}",
                        dropped.join(", ")
                    ),
                );
            }
        }
        for (pointer, content) in contents(op.operation, &op.pointer) {
            for (media, media_type) in content.iter_mut() {
                let Some(media_type) = media_type.as_object_mut() else {
                    continue;
                };
                if media_type.shift_remove("encoding").is_some() {
                    report.note(join(&pointer, media), "dropped `encoding`");
                }
            }
        }
    }
    Ok(())
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

/// The request body's and every response's `content` map.
fn contents<'a>(
    operation: &'a mut serde_json::Map<String, Value>,
    pointer: &str,
) -> Vec<(String, &'a mut serde_json::Map<String, Value>)> {
    let mut out = Vec::new();
    for (key, value) in operation.iter_mut() {
        match key.as_str() {
            "requestBody" => {
                if let Some(Value::Object(content)) = value.get_mut("content") {
                    out.push((join(pointer, "requestBody/content"), content));
                }
            }
            "responses" => {
                let Some(responses) = value.as_object_mut() else {
                    continue;
                };
                for (status, response) in responses.iter_mut() {
                    if let Some(Value::Object(content)) = response.get_mut("content") {
                        out.push((
                            join(&join(&join(pointer, "responses"), status), "content"),
                            content,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_json_request_body_and_drops_encodings() {
        let mut doc = json!({"paths": {"/x": {"post": {
            "requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {}},
                "application/json; charset=utf-8": {"schema": {}, "encoding": {}}
            }},
            "responses": {"200": {"content": {"application/json": {"schema": {}, "encoding": {}}}}}
        }}}});
        let mut report = Report::default();
        single_request_media_type(&mut doc, &mut report).unwrap();
        let op = &doc["paths"]["/x"]["post"];
        assert_eq!(
            op["requestBody"]["content"],
            json!({"application/json; charset=utf-8": {"schema": {}}})
        );
        assert_eq!(
            op["responses"]["200"]["content"],
            json!({"application/json": {"schema": {}}})
        );
        assert_eq!(report.warnings().count(), 1);
        assert_eq!(report.entries.len(), 3);
    }
}
