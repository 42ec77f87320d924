//! What cargo's JSON messages (`--message-format json`) say went wrong:
//! the compiler errors of each workspace member, with file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// How many errors of one crate are kept.
const SHOWN: usize = 5;

/// A workspace crate that does not build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenCrate {
    pub package: String,
    /// The first errors, each `error[CODE]: message (file:line)`.
    pub errors: Vec<String>,
    /// How many distinct errors there were in all.
    pub total: usize,
}

/// `cargo`, the one running the xtask when known, building in
/// `target_dir` when given.
pub fn cargo(target_dir: Option<&Path>) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    command
}

/// The last lines of cargo's stderr, on one line: why it failed when no
/// compiler error says.
pub fn tail(stderr: &str) -> String {
    let last: Vec<&str> = stderr.lines().rev().take(5).collect();
    last.into_iter().rev().collect::<Vec<_>>().join(" / ")
}

/// `cargo metadata --no-deps` of the workspace whose manifest is
/// `manifest`.
pub fn metadata(manifest: &Path, target_dir: Option<&Path>) -> Result<Value, String> {
    let output = cargo(target_dir)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))
}

/// Every member of a workspace's metadata: package id to name.
pub fn members(metadata: &Value) -> BTreeMap<String, String> {
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?.to_owned(), p["name"].as_str()?.to_owned())))
        .collect()
}

/// The compiler errors in cargo's JSON messages, by crate (by package id in
/// `members`), each crate's in the order they came.
pub fn by_crate(messages: &str, members: &BTreeMap<String, String>) -> Vec<BrokenCrate> {
    let mut broken: Vec<BrokenCrate> = Vec::new();
    // `--all-targets` compiles a file once per target that holds it: the
    // same error comes once for the library and once for its tests.
    let mut seen = BTreeSet::new();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let Some(package) = message["package_id"]
            .as_str()
            .and_then(|id| members.get(id))
        else {
            continue;
        };
        let Some(error) = describe(&message["message"]) else {
            continue;
        };
        if !seen.insert((package.clone(), error.clone())) {
            continue;
        }
        let index = match broken.iter().position(|b| b.package == *package) {
            Some(index) => index,
            None => {
                broken.push(BrokenCrate {
                    package: package.clone(),
                    errors: Vec::new(),
                    total: 0,
                });
                broken.len() - 1
            }
        };
        let entry = &mut broken[index];
        entry.total += 1;
        if entry.errors.len() < SHOWN {
            entry.errors.push(error);
        }
    }
    broken
}

/// `error[E0599]: message (file:line)`; `None` for the summary rustc adds
/// ("aborting due to ...", "could not compile"), which has no place.
fn describe(message: &Value) -> Option<String> {
    let text = message["message"].as_str()?;
    let primary = message["spans"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|span| span["is_primary"] == true)?;
    let location = format!(
        "{}:{}",
        primary["file_name"].as_str()?,
        primary["line_start"].as_u64()?
    );
    let code = message["code"]["code"]
        .as_str()
        .map(|code| format!("[{code}]"))
        .unwrap_or_default();
    Some(format!("error{code}: {text} ({location})"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn members() -> BTreeMap<String, String> {
        ["moveworks-ext", "moveworks-cli"]
            .iter()
            .map(|name| (format!("path+file:///w/{name}#0.1.0"), (*name).to_owned()))
            .collect()
    }

    fn error(package: &str, code: Option<&str>, message: &str, file: &str, line: u64) -> String {
        json!({
            "reason": "compiler-message",
            "package_id": format!("path+file:///w/{package}#0.1.0"),
            "message": {
                "level": "error",
                "message": message,
                "code": code.map(|c| json!({"code": c})),
                "spans": [
                    {"is_primary": false, "file_name": "other.rs", "line_start": 1},
                    {"is_primary": true, "file_name": file, "line_start": line}
                ]
            }
        })
        .to_string()
    }

    #[test]
    fn errors_are_grouped_by_crate_with_file_and_line() {
        let members = members();
        let messages = [
            r#"{"reason":"compiler-artifact","package_id":"x"}"#.to_owned(),
            error(
                "moveworks-ext",
                Some("E0599"),
                "no function or associated item named `new` found for struct `UserInput`",
                "crates/moveworks-ext/src/responses.rs",
                41,
            ),
            json!({"reason": "compiler-message", "package_id": "path+file:///w/moveworks-ext#0.1.0",
                   "message": {"level": "warning", "message": "unused", "spans": []}})
            .to_string(),
            json!({"reason": "compiler-message", "package_id": "path+file:///w/moveworks-ext#0.1.0",
                   "message": {"level": "error", "message": "aborting due to 1 previous error", "spans": []}})
            .to_string(),
            error("moveworks-cli", None, "mismatched types", "crates/moveworks-cli/src/main.rs", 7),
            error("xtask", None, "not a member that is checked", "xtask/src/main.rs", 1),
            "not JSON".to_owned(),
        ]
        .join("\n");
        let broken = by_crate(&messages, &members);
        assert_eq!(broken.len(), 2, "{broken:?}");
        assert_eq!(broken[0].package, "moveworks-ext");
        assert_eq!(
            broken[0].errors,
            [
                "error[E0599]: no function or associated item named `new` found for struct \
              `UserInput` (crates/moveworks-ext/src/responses.rs:41)"
            ]
        );
        assert_eq!(broken[0].total, 1);
        assert_eq!(
            broken[1].errors,
            ["error: mismatched types (crates/moveworks-cli/src/main.rs:7)"]
        );
    }

    #[test]
    fn only_the_first_errors_are_kept_and_all_are_counted() {
        let members = members();
        let mut messages: Vec<String> = (1..=8)
            .map(|line| error("moveworks-ext", None, "e", "src/lib.rs", line))
            .collect();
        // The same error again, from the tests' compilation of the file.
        messages.push(error("moveworks-ext", None, "e", "src/lib.rs", 1));
        let broken = by_crate(&messages.join("\n"), &members);
        assert_eq!(broken[0].errors.len(), SHOWN);
        assert_eq!(broken[0].total, 8);
    }

    #[test]
    fn members_are_read_from_metadata() {
        let metadata =
            json!({"packages": [{"id": "path+file:///w/a#0.1.0", "name": "a"}, {"name": "no-id"}]});
        let members = super::members(&metadata);
        assert_eq!(
            members.into_iter().collect::<Vec<_>>(),
            [("path+file:///w/a#0.1.0".to_owned(), "a".to_owned())]
        );
    }
}
