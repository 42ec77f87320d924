//! Reading a spec file into a `serde_json::Value`, the form every
//! normalization pass works on: YAML through `yaml.rs`, and JSON, which is
//! YAML too but faster to read with serde_json, through `json.rs`. Either
//! way a repeated key is an error, not a value lost.

pub(crate) mod json;
pub(crate) mod yaml;

use std::fmt;
use std::path::Path;

use serde_json::Value;

/// Why a document could not be read.
#[derive(Debug)]
pub enum ParseError {
    /// The text is not well-formed YAML.
    Syntax(String),
    /// The text holds no document, or more than one.
    DocumentCount(usize),
    /// A node has no JSON equivalent (a non-scalar key, an unknown alias, a
    /// non-finite float).
    Unsupported { pointer: String, what: String },
    /// A JSON document that serde_json rejects for more than its syntax (a
    /// repeated key), with the line and column.
    Json(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Syntax(message) => write!(f, "invalid YAML: {message}"),
            ParseError::DocumentCount(n) => {
                write!(f, "expected exactly one YAML document, found {n}")
            }
            ParseError::Unsupported { pointer, what } => {
                write!(f, "unsupported YAML at `{pointer}`: {what}")
            }
            ParseError::Json(message) => write!(f, "invalid JSON: {message}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses a spec, JSON or YAML. Text that opens with `{` is read as JSON
/// first; if it is not JSON (a YAML flow mapping, say) it is read as YAML.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        match json::parse(body) {
            Ok(value) => return Ok(value),
            Err(json::Error::Duplicate(message)) => return Err(ParseError::Json(message)),
            Err(json::Error::NotJson) => {}
        }
    }
    yaml::parse(text)
}

/// Reads a spec file with its line ends made LF: a checkout with CRLF line
/// ends generates exactly what an LF one does (block scalars, and the
/// committed copy of the spec, would otherwise differ).
pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|text| text.replace("\r\n", "\n"))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_and_yaml_give_the_same_document() {
        let yaml = parse("b: 1\na:\n  '200': {description: ok}\n  x: [true, 1.5, null]\n").unwrap();
        let json =
            parse(r#"{"b": 1, "a": {"200": {"description": "ok"}, "x": [true, 1.5, null]}}"#)
                .unwrap();
        assert_eq!(yaml, json);
        let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn a_yaml_flow_mapping_is_still_read() {
        assert_eq!(
            parse("{a: 1, b: [x]}").unwrap(),
            json!({"a": 1, "b": ["x"]})
        );
    }

    #[test]
    fn a_repeated_json_key_is_an_error_naming_it() {
        let err = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`a`") && text.contains("line 2"), "{text}");
        let nested = parse(r#"{"paths": {"/x": {"get": {}, "get": {}}}}"#).unwrap_err();
        assert!(nested.to_string().contains("`get`"), "{nested}");
    }

    #[test]
    fn crlf_files_read_as_lf() {
        let path = std::env::temp_dir().join(format!("xtask-crlf-{}.yaml", std::process::id()));
        std::fs::write(&path, "a: |\r\n  one\r\n  two\r\n").unwrap();
        let text = read(&path).unwrap();
        assert_eq!(text, "a: |\n  one\n  two\n");
        assert_eq!(parse(&text).unwrap(), json!({"a": "one\ntwo\n"}));
        std::fs::remove_file(&path).unwrap();
        assert!(read(&path).unwrap_err().contains("cannot read"));
    }
}
