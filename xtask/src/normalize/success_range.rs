//! An operation documented as answering one success status (201 for a
//! create, 202 for an accepted job) may answer another 2xx in practice: a
//! proxy, a new API version, or a server that says 200 for everything. The
//! generated client matches statuses exactly, so such an answer would be
//! returned as an error although the API succeeded.
//!
//! Each operation whose documented 2xx responses all carry the same content
//! also answers `2XX` with that content, so any other 2xx decodes the same
//! way instead of failing. A documented 200 keeps its own response (and its
//! `ok` mock helper) beside the range. Other documented statuses (201, 202)
//! are folded into the range, their status kept in its description: the
//! generated client tries the range before them, so their own match arm
//! could never be reached. Operations that already document a `2XX` range
//! or a `default` response, or whose 2xx responses differ, are left alone.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::operations_mut;
use crate::json_pointer::join;

pub fn any_success_status(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for op in operations_mut(document) {
        let Some(Value::Object(responses)) = op.operation.get_mut("responses") else {
            continue;
        };
        if responses
            .keys()
            .any(|status| status.eq_ignore_ascii_case("2XX") || status == "default")
        {
            continue;
        }
        let documented: Vec<(&String, &Value)> = responses
            .iter()
            .filter(|(status, _)| status.len() == 3 && status.starts_with('2'))
            .collect();
        let Some((_, first)) = documented.first() else {
            continue;
        };
        let content = first.get("content");
        if documented
            .iter()
            .any(|(_, response)| response.get("content") != content)
        {
            continue;
        }
        let statuses: Vec<String> = documented.iter().map(|(s, _)| s.to_string()).collect();
        let described: Vec<String> = documented
            .iter()
            .map(
                |(status, response)| match response.get("description").and_then(Value::as_str) {
                    Some(text) => format!("{status}: {text}"),
                    None => status.to_string(),
                },
            )
            .collect();
        let mut range = serde_json::Map::new();
        range.insert(
            "description".to_owned(),
            Value::String(format!(
                "{}. Any other 2xx is decoded the same way.",
                described.join("; ")
            )),
        );
        if let Some(content) = content.cloned() {
            range.insert("content".to_owned(), content);
        }
        responses.retain(|status, _| status == "200" || !statuses.contains(status));
        responses.insert("2XX".to_owned(), Value::Object(range));
        report.note(
            join(&op.pointer, "responses"),
            format!(
                "any 2xx decodes like {}, not only the documented status",
                statuses.join("/")
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(mut doc: Value) -> (Value, Report) {
        let mut report = Report::default();
        any_success_status(&mut doc, &mut report).unwrap();
        (doc, report)
    }

    #[test]
    fn a_single_documented_success_also_covers_other_2xx() {
        let body = json!({"application/json": {"schema": {"$ref": "#/components/schemas/C"}}});
        let (doc, report) = run(json!({"paths": {"/c": {"post": {"responses": {
            "201": {"description": "created", "content": body},
            "400": {"description": "bad"}
        }}}}}));
        let responses = &doc["paths"]["/c"]["post"]["responses"];
        assert!(
            responses.get("201").is_none(),
            "an unreachable 201 arm is left"
        );
        assert_eq!(responses["2XX"]["content"], body);
        assert_eq!(
            responses["2XX"]["description"],
            "201: created. Any other 2xx is decoded the same way."
        );
        assert_eq!(responses["400"], json!({"description": "bad"}));
        assert!(responses.get("4XX").is_none());
        assert_eq!(report.entries.len(), 1);
    }

    #[test]
    fn a_documented_200_keeps_its_own_response_beside_the_range() {
        let body = json!({"application/json": {"schema": {"type": "string"}}});
        let (doc, _) = run(json!({"paths": {"/c": {"get": {"responses": {
            "200": {"description": "ok", "content": body},
            "203": {"description": "cached", "content": body}
        }}}}}));
        let responses = &doc["paths"]["/c"]["get"]["responses"];
        assert_eq!(responses["200"]["content"], body);
        assert!(responses.get("203").is_none());
        assert_eq!(
            responses["2XX"],
            json!({"description": "200: ok; 203: cached. Any other 2xx is decoded the same way.", "content": body})
        );
    }

    #[test]
    fn body_less_successes_get_a_body_less_range() {
        let (doc, _) = run(json!({"paths": {"/c": {"delete": {"responses": {
            "204": {"description": "gone"}
        }}}}}));
        assert_eq!(
            doc["paths"]["/c"]["delete"]["responses"],
            json!({"2XX": {"description": "204: gone. Any other 2xx is decoded the same way."}})
        );
    }

    #[test]
    fn existing_ranges_defaults_and_differing_successes_are_left_alone() {
        for responses in [
            json!({"200": {"description": "a"}, "2XX": {"description": "b"}}),
            json!({"200": {"description": "a"}, "2xx": {"description": "b"}}),
            json!({"200": {"description": "a"}, "default": {"description": "b"}}),
            json!({"200": {"content": {"text/plain": {}}}, "201": {"content": {"application/json": {}}}}),
            json!({"400": {"description": "only an error"}}),
        ] {
            let input = json!({"paths": {"/c": {"get": {"responses": responses}}}});
            let (doc, report) = run(input.clone());
            assert_eq!(doc, input);
            assert!(report.entries.is_empty());
        }
    }
}
