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

use serde_json::Value;

use crate::compiler_errors;
pub use crate::compiler_errors::BrokenCrate;

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
    let metadata = compiler_errors::metadata(&manifest, target_dir)?;
    let members = dependents(&metadata, client);
    let mut command = compiler_errors::cargo(target_dir);
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
    let broken = compiler_errors::by_crate(&String::from_utf8_lossy(&output.stdout), &members);
    if !output.status.success() && broken.is_empty() {
        return Err(format!(
            "cargo check failed with no compiler error: {}",
            compiler_errors::tail(&String::from_utf8_lossy(&output.stderr))
        ));
    }
    Ok(broken)
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
}
