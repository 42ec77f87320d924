//! Reading an OpenAPI document written in YAML into a `serde_json::Value`.
//!
//! The conversion is hand-written rather than going through serde so that
//! mapping keys YAML types as numbers or booleans (`200:` instead of `'200':`,
//! common in hand-written specs) become the strings OpenAPI means, and so that
//! every rejection names where in the document it happened.

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

use super::ParseError as YamlError;

/// Parses `text` as a single YAML document and converts it to JSON.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let mut documents =
        YamlLoader::load_from_str(text).map_err(|e| YamlError::Syntax(e.to_string()))?;
    if documents.len() != 1 {
        return Err(YamlError::DocumentCount(documents.len()));
    }
    let document = documents.remove(0);
    to_json(document, &mut String::new())
}

fn to_json(node: Yaml, pointer: &mut String) -> Result<Value, YamlError> {
    Ok(match node {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(text) => real_to_json(&text, pointer)?,
        Yaml::String(s) => Value::String(s),
        Yaml::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                out.push(to_json(item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Yaml::Hash(entries) => {
            let mut out = Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = key_to_string(key, pointer)?;
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::json_pointer::escape(&key));
                let value = to_json(value, pointer)?;
                pointer.truncate(len);
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err(unsupported(pointer, "an alias to an unknown anchor"));
        }
    })
}

fn real_to_json(text: &str, pointer: &str) -> Result<Value, YamlError> {
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| unsupported(pointer, &format!("the number `{text}` has no JSON form")))
}

fn key_to_string(key: Yaml, pointer: &str) -> Result<String, YamlError> {
    match key {
        Yaml::String(s) | Yaml::Real(s) => Ok(s),
        Yaml::Integer(i) => Ok(i.to_string()),
        Yaml::Boolean(b) => Ok(b.to_string()),
        Yaml::Null => Ok("null".to_owned()),
        _ => Err(unsupported(pointer, "a mapping key that is not a scalar")),
    }
}

fn unsupported(pointer: &str, what: &str) -> YamlError {
    YamlError::Unsupported {
        pointer: if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        },
        what: what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_key_order_and_scalar_types() {
        let value = parse("b: 1\na: [true, 1.5, ~, text]\n").unwrap();
        assert_eq!(value, json!({"b": 1, "a": [true, 1.5, null, "text"]}));
        let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn numeric_response_codes_become_string_keys() {
        let value = parse("responses:\n  200: {description: ok}\n").unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn folded_scalars_match_the_yaml_meaning() {
        let value = parse("d: >-\n  one\n  two\n\n\n  three\n").unwrap();
        assert_eq!(value["d"], "one two\n\nthree");
    }

    #[test]
    fn resolves_aliases() {
        let value = parse("a: &x {k: v}\nb: *x\n").unwrap();
        assert_eq!(value["b"], json!({"k": "v"}));
    }

    #[test]
    fn rejects_bad_input_with_a_location() {
        assert!(matches!(parse("a: [1, 2"), Err(YamlError::Syntax(_))));
        assert!(matches!(
            parse("a: 1\n---\nb: 2\n"),
            Err(YamlError::DocumentCount(2))
        ));
        let err = parse("a:\n  ? [1, 2]\n  : v\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported YAML at `/a`: a mapping key that is not a scalar"
        );
        assert!(matches!(
            parse("dup: 1\ndup: 2\n"),
            Err(YamlError::Syntax(_))
        ));
    }
}
