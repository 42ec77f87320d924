//! The generated code checks `pattern` with `regress`, an ECMAScript regex
//! engine, and typify refuses a schema whose pattern regress rejects. Specs
//! written by Python services use Python's named-group syntax (`(?P<name>`,
//! `(?P=name)`), which ECMAScript spells `(?<name>` and `\k<name>`; those are
//! translated. A pattern regress still rejects is dropped with a warning,
//! so the value goes unchecked rather than the schema failing.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn to_ecmascript(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        let Some(Value::String(pattern)) = schema.get("pattern") else {
            return;
        };
        let translated = translate_named_groups(pattern);
        if regress::Regex::new(&translated).is_ok() {
            if translated != *pattern {
                schema.insert("pattern".to_owned(), Value::String(translated));
                report.note(pointer, "Python named groups -> ECMAScript");
            }
            return;
        }
        let error = regress::Regex::new(&translated)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let original = pattern.clone();
        schema.shift_remove("pattern");
        report.warn(
            pointer,
            format!("dropped `pattern: {original}`, not an ECMAScript regex ({error})"),
        );
    });
    Ok(())
}

/// `(?P<name>` -> `(?<name>` and `(?P=name)` -> `\k<name>`, outside
/// character classes and escapes.
fn translate_named_groups(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    let mut in_class = false;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let escaped: String = rest.chars().take(2).collect();
            out.push_str(&escaped);
            rest = &rest[escaped.len()..];
            continue;
        }
        if in_class {
            in_class = c != ']';
        } else if c == '[' {
            in_class = true;
        } else if let Some(after) = rest.strip_prefix("(?P<") {
            out.push_str("(?<");
            rest = after;
            continue;
        } else if let Some(after) = rest.strip_prefix("(?P=")
            && let Some(end) = after.find(')')
        {
            out.push_str(&format!("\\k<{}>", &after[..end]));
            rest = &after[end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn normalized(pattern: &str) -> (Value, Report) {
        let mut doc =
            json!({"components": {"schemas": {"S": {"type": "string", "pattern": pattern}}}});
        let mut report = Report::default();
        to_ecmascript(&mut doc, &mut report).unwrap();
        (doc["components"]["schemas"]["S"].take(), report)
    }

    #[test]
    fn python_named_groups_become_ecmascript() {
        let (schema, report) = normalized(r"^data:(?P<mime>[\w]+/[\w.+-]+)?;(?P=mime)$");
        assert_eq!(
            schema["pattern"],
            r"^data:(?<mime>[\w]+/[\w.+-]+)?;\k<mime>$"
        );
        assert_eq!(report.warnings().count(), 0);
        assert_eq!(report.entries.len(), 1);
    }

    #[test]
    fn escapes_and_classes_are_left_alone() {
        for pattern in [r"\(?P<x>", r"[(?P<]x", r"^[a-z]+$"] {
            let (schema, report) = normalized(pattern);
            assert_eq!(schema["pattern"], pattern);
            assert!(report.entries.is_empty(), "{pattern}");
        }
    }

    #[test]
    fn patterns_regress_rejects_are_dropped_with_a_warning() {
        let (schema, report) = normalized(r"(?i)abc(");
        assert!(schema.get("pattern").is_none());
        assert_eq!(report.warnings().count(), 1);
    }
}
