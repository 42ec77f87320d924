//! Whether the workspace still builds against a regenerated client: `cargo
//! check` of every workspace crate that depends on it (all targets, so
//! tests and examples too), and the first errors of each crate that fails,
//! with file and line.
//!
//! cargo-semver-checks cannot tell: it compares rustdoc's view of public
//! items, and rustdoc does not type-check function bodies, so a
//! moveworks-ext whose `UserInput::new(text)` no longer exists documents
//! exactly as before.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// How many errors of one crate are shown.
const SHOWN: usize = 5;

/// A workspace crate that does not build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenCrate {
    pub package: String,
    /// The first errors, each `error[CODE]: message (file:line)`.
    pub errors: Vec<String>,
    /// How many errors there were in all.
    pub total: usize,
}

/// `cargo check --all-targets` of the members of the workspace at `root`
/// that depend on `client`, directly or not (and `client` itself); the
/// crates that fail, in the order their errors came.
///
/// # Errors
///
/// When cargo cannot run, cannot read the workspace, or fails without a
/// compiler error to show (then its output's end says why).
pub fn check(
    root: &Path,
    client: &str,
    target_dir: Option<&Path>,
) -> Result<Vec<BrokenCrate>, String> {
    let manifest = root.join("Cargo.toml");
    let metadata = cargo(target_dir)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !metadata.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&metadata.stderr).trim()
        ));
    }
    let metadata: Value = serde_json::from_slice(&metadata.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let members = dependents(&metadata, client);
    let mut command = cargo(target_dir);
    command
        .args([
            "check",
            "--all-targets",
            "--keep-going",
            "--message-format",
            "json",
        ])
        .arg("--manifest-path")
        .arg(&manifest);
    for package in members.values() {
        command.args(["--package", package]);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let broken = errors_by_crate(&String::from_utf8_lossy(&output.stdout), &members);
    if !output.status.success() && broken.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "cargo check failed with no compiler error: {}",
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        ));
    }
    Ok(broken)
}

fn cargo(target_dir: Option<&Path>) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    command
}

/// The workspace members that are `client` or depend on it through other
/// members, by package id.
fn dependents(metadata: &Value, client: &str) -> BTreeMap<String, String> {
    let packages: Vec<(&str, &str, Vec<&str>)> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|package| {
            let dependencies = package["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d["name"].as_str())
                .collect();
            Some((
                package["id"].as_str()?,
                package["name"].as_str()?,
                dependencies,
            ))
        })
        .collect();
    let mut reached = BTreeSet::from([client]);
    loop {
        let before = reached.len();
        for (_, name, dependencies) in &packages {
            if dependencies.iter().any(|d| reached.contains(d)) {
                reached.insert(name);
            }
        }
        if reached.len() == before {
            break;
        }
    }
    packages
        .iter()
        .filter(|(_, name, _)| reached.contains(name))
        .map(|(id, name, _)| ((*id).to_owned(), (*name).to_owned()))
        .collect()
}

/// The compiler errors in cargo's JSON messages, by crate (by package id in
/// `members`), each crate's in the order they came.
fn errors_by_crate(messages: &str, members: &BTreeMap<String, String>) -> Vec<BrokenCrate> {
    let mut broken: Vec<BrokenCrate> = Vec::new();
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
        if entry.errors.len() < SHOWN && !entry.errors.contains(&error) {
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

    fn metadata() -> Value {
        let package = |name: &str, deps: &[&str]| {
            let deps: Vec<Value> = deps.iter().map(|d| json!({"name": d})).collect();
            json!({"id": format!("path+file:///w/{name}#0.1.0"), "name": name, "dependencies": deps})
        };
        json!({"packages": [
            package("moveworks-api", &["reqwest"]),
            package("moveworks-ext", &["moveworks-api", "tokio"]),
            package("moveworks-cli", &["moveworks-ext"]),
            package("xtask", &["syn"]),
        ]})
    }

    #[test]
    fn the_client_and_every_crate_that_reaches_it_are_checked() {
        let names: Vec<String> = dependents(&metadata(), "moveworks-api")
            .into_values()
            .collect();
        assert_eq!(names, ["moveworks-api", "moveworks-cli", "moveworks-ext"]);
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
        let members = dependents(&metadata(), "moveworks-api");
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
        let broken = errors_by_crate(&messages, &members);
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
        let members = dependents(&metadata(), "moveworks-api");
        let messages: Vec<String> = (1..=8)
            .map(|line| error("moveworks-ext", None, "e", "src/lib.rs", line))
            .collect();
        let broken = errors_by_crate(&messages.join("\n"), &members);
        assert_eq!(broken[0].errors.len(), SHOWN);
        assert_eq!(broken[0].total, 8);
    }
}
