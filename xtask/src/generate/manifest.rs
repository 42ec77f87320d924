//! `Cargo.toml` of the generated crates. Inside this workspace they inherit
//! every version from `[workspace.dependencies]`; a standalone crate
//! (`--out DIR`) gets the same versions and features written out, so it
//! builds with exactly what the SDK is tested with.

use std::fmt::Write;

use toml::{Table, Value};

use super::rust_code::CratesUsed;

/// Where dependency versions come from.
pub enum Dependencies {
    /// `name.workspace = true`.
    Workspace,
    /// Versions copied from the workspace's `[workspace.dependencies]`.
    Standalone {
        versions: Table,
        /// The crate is a workspace of its own (written anywhere), rather
        /// than a member of one around it (the corpus's).
        own_workspace: bool,
    },
}

impl Dependencies {
    /// Reads `[workspace.dependencies]` from the workspace `Cargo.toml` text.
    pub fn standalone_from(workspace_manifest: &str, own_workspace: bool) -> Result<Self, String> {
        let manifest: Table = toml::from_str(workspace_manifest)
            .map_err(|e| format!("cannot read the workspace Cargo.toml: {e}"))?;
        let deps = manifest
            .get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(Value::as_table)
            .cloned()
            .ok_or("the workspace Cargo.toml has no [workspace.dependencies]")?;
        Ok(Self::Standalone {
            versions: deps,
            own_workspace,
        })
    }

    fn line(&self, name: &str, extra_features: &[&str]) -> Result<String, String> {
        match self {
            Dependencies::Workspace if extra_features.is_empty() => {
                Ok(format!("{name}.workspace = true"))
            }
            Dependencies::Workspace => Ok(format!(
                "{name} = {{ workspace = true, features = {} }}",
                string_list(extra_features)
            )),
            Dependencies::Standalone {
                versions: table, ..
            } => {
                let spec = table.get(name).ok_or_else(|| {
                    format!("no version for `{name}` in [workspace.dependencies]")
                })?;
                Ok(format!("{name} = {}", inline(spec, extra_features)?))
            }
        }
    }

    fn package_fields(&self) -> &'static str {
        match self {
            Dependencies::Workspace => {
                "version.workspace = true\nedition.workspace = true\nrust-version.workspace = true\n\
                 license.workspace = true\n"
            }
            Dependencies::Standalone { .. } => {
                "version = \"0.1.0\"\nedition = \"2024\"\npublish = false\n"
            }
        }
    }
}

fn inline(spec: &Value, extra_features: &[&str]) -> Result<String, String> {
    let (version, default_features, mut features) = match spec {
        Value::String(version) => (version.clone(), true, Vec::new()),
        Value::Table(table) => {
            let version = table
                .get("version")
                .and_then(Value::as_str)
                .ok_or("a dependency without a version")?;
            let default_features = table
                .get("default-features")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let features: Vec<String> = table
                .get("features")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            (version.to_owned(), default_features, features)
        }
        _ => return Err("a dependency entry that is neither a string nor a table".to_owned()),
    };
    features.extend(extra_features.iter().map(|f| (*f).to_owned()));
    let mut out = format!("{{ version = \"{version}\"");
    if !default_features {
        out.push_str(", default-features = false");
    }
    if !features.is_empty() {
        let features: Vec<&str> = features.iter().map(String::as_str).collect();
        let _ = write!(out, ", features = {}", string_list(&features));
    }
    out.push_str(" }");
    Ok(out)
}

fn string_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The client crate's manifest.
pub fn client(
    marker: &str,
    name: &str,
    description: &str,
    used: CratesUsed,
    deps: &Dependencies,
) -> Result<String, String> {
    let mut schemars_features = Vec::new();
    if used.chrono {
        schemars_features.push("chrono04");
    }
    if used.uuid {
        schemars_features.push("uuid1");
    }
    let mut lines = vec![
        deps.line("progenitor-client", &[])?,
        deps.line("reqwest", &[])?,
        deps.line("schemars", &schemars_features)?,
        deps.line("serde", &[])?,
    ];
    for (needed, crate_name) in [
        (used.chrono, "chrono"),
        (used.futures, "futures"),
        (used.regress, "regress"),
        (used.serde_json, "serde_json"),
        (used.uuid, "uuid"),
    ] {
        if needed {
            lines.push(deps.line(crate_name, &[])?);
        }
    }
    let workspace_table = match deps {
        // A crate written anywhere builds as its own workspace.
        Dependencies::Standalone {
            own_workspace: true,
            ..
        } => "\n[workspace]\n",
        Dependencies::Workspace | Dependencies::Standalone { .. } => "",
    };
    Ok(format!(
        "{marker}
[package]
name = {name}
description = {description}
{package}readme = \"README.md\"
categories = [\"api-bindings\"]
keywords = [\"moveworks\", \"openapi\", \"sdk\"]

[features]
default = [\"native-tls\"]
## TLS through the platform's library (OpenSSL on Linux: needs libssl-dev and pkg-config).
## Quick to build; `Client::new` works with no further setup.
native-tls = [\"reqwest/native-tls\"]
## TLS through rustls with aws-lc-rs (reqwest's default provider; slow to build).
rustls = [\"reqwest/rustls\"]

[dependencies]
{deps}
{metadata}{workspace_table}",
        marker = toml_comment(marker),
        name = toml_string(name),
        description = toml_string(description),
        package = deps.package_fields(),
        deps = lines.join("\n"),
        metadata = package_metadata(),
    ))
}

/// The lints cargo-semver-checks reports as additions (a minor update).
/// They are off by default; `cargo xtask semver` turns them on so that its
/// verdict names what was added, not only what broke.
pub const ADDITION_LINTS: &[&str] = &[
    "inherent_method_added",
    "inherent_associated_pub_const_added",
    "non_exhaustive_struct_added",
    "exhaustive_struct_added",
    "non_exhaustive_enum_added",
    "exhaustive_enum_added",
    "pub_const_added",
    "pub_static_added",
];

/// docs.rs settings (every feature, with the badges that say which one an
/// item needs) and the semver lints.
fn package_metadata() -> String {
    let mut out = String::from(
        "\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n\
         [package.metadata.cargo-semver-checks.lints]\n",
    );
    for lint in ADDITION_LINTS {
        let _ = writeln!(out, "{lint} = \"deny\"");
    }
    out
}

/// The httpmock helper crate's manifest (workspace only).
pub fn httpmock(
    marker: &str,
    name: &str,
    client_name: &str,
    deps: &Dependencies,
) -> Result<String, String> {
    Ok(format!(
        "{marker}
[package]
name = \"{name}\"
description = \"Typed httpmock helpers for {client_name}, generated from the same spec.\"
{package}readme = \"README.md\"
categories = [\"api-bindings\", \"development-tools::testing\"]
keywords = [\"moveworks\", \"httpmock\", \"mock\", \"testing\"]

[dependencies]
{client}
{httpmock}
{regex}
{serde_json}

[package.metadata.docs.rs]
all-features = true
rustdoc-args = [\"--cfg\", \"docsrs\"]
",
        marker = toml_comment(marker),
        package = deps.package_fields(),
        client = deps.line(client_name, &[])?,
        httpmock = deps.line("httpmock", &[])?,
        regex = deps.line("regex", &[])?,
        serde_json = deps.line("serde_json", &[])?,
    ))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_comment(marker: &str) -> String {
    marker.replacen("//", "#", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKSPACE: &str = r#"
[workspace.dependencies]
progenitor-client = "0.15.1"
reqwest = { version = "0.13.5", default-features = false, features = ["json"] }
schemars = "1.2.0"
serde = { version = "1.0.228", features = ["derive"] }
chrono = { version = "0.4.42", default-features = false, features = ["serde"] }
"#;

    #[test]
    fn standalone_manifest_spells_out_workspace_versions() {
        let deps = Dependencies::standalone_from(WORKSPACE, true).unwrap();
        let used = CratesUsed {
            chrono: true,
            ..CratesUsed::default()
        };
        let manifest = client("// @generated", "demo", "d", used, &deps).unwrap();
        assert!(manifest.starts_with("# @generated"));
        assert!(manifest.contains(
            "reqwest = { version = \"0.13.5\", default-features = false, features = [\"json\"] }"
        ));
        assert!(manifest.contains("schemars = { version = \"1.2.0\", features = [\"chrono04\"] }"));
        assert!(manifest.contains("chrono = { version = \"0.4.42\", default-features = false"));
        assert!(manifest.contains("\n[workspace]\n"));
        let parsed: Table = toml::from_str(&manifest).unwrap();
        assert_eq!(parsed["package"]["name"].as_str(), Some("demo"));
        // A member of a workspace around it is not one itself.
        let member = Dependencies::standalone_from(WORKSPACE, false).unwrap();
        let manifest = client("// @generated", "demo", "d", used, &member).unwrap();
        assert!(!manifest.contains("[workspace]"), "{manifest}");
    }

    #[test]
    fn workspace_manifest_inherits() {
        let manifest = client(
            "// x",
            "moveworks-api",
            "d",
            CratesUsed::default(),
            &Dependencies::Workspace,
        )
        .unwrap();
        assert!(manifest.contains("reqwest.workspace = true"));
        assert!(!manifest.contains("chrono"));
        assert!(!manifest.contains("[workspace]"));
    }

    #[test]
    fn missing_versions_are_errors() {
        let deps = Dependencies::standalone_from("[workspace.dependencies]\n", true).unwrap();
        assert!(
            client("//", "x", "d", CratesUsed::default(), &deps)
                .unwrap_err()
                .contains("progenitor-client")
        );
    }
}
