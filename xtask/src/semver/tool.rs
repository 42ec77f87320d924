//! The pinned cargo-semver-checks: its version, whether it is installed, and
//! how to install it.

use std::process::Command;

/// The cargo-semver-checks version the verdict is tested with. Its lints
/// and report format change between releases, so it is pinned.
pub const PINNED_VERSION: &str = "0.51.0";

/// The command that installs the pinned version.
pub fn install_command() -> String {
    format!("cargo install --locked cargo-semver-checks --version {PINNED_VERSION}")
}

/// The installed version, if any (`cargo semver-checks --version` prints
/// `cargo-semver-checks 0.51.0`).
pub fn installed_version() -> Option<String> {
    let output = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    parse_version(&String::from_utf8_lossy(&output.stdout))
}

fn parse_version(text: &str) -> Option<String> {
    let rest = text.trim().strip_prefix("cargo-semver-checks ")?;
    let version = rest.split_whitespace().next()?;
    Some(version.to_owned())
}

/// Succeeds when the pinned version is installed; otherwise says how to
/// install it.
pub fn require() -> Result<(), String> {
    match installed_version() {
        Some(version) if version == PINNED_VERSION => Ok(()),
        Some(version) => Err(format!(
            "cargo-semver-checks {version} is installed, but the verdict is pinned to \
             {PINNED_VERSION}: run `{}`",
            install_command()
        )),
        None => Err(format!(
            "cargo-semver-checks is not installed: run `{}` (a few minutes on 2 cores)",
            install_command()
        )),
    }
}

/// Installs the pinned version unless it is already there.
pub fn install() -> Result<(), String> {
    if installed_version().as_deref() == Some(PINNED_VERSION) {
        println!("cargo-semver-checks {PINNED_VERSION} is already installed");
        return Ok(());
    }
    println!("installing: {}", install_command());
    let status = Command::new("cargo")
        .args(["install", "--locked", "cargo-semver-checks", "--version"])
        .arg(PINNED_VERSION)
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed", install_command()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_is_read() {
        assert_eq!(
            parse_version("cargo-semver-checks 0.51.0\n").as_deref(),
            Some("0.51.0")
        );
        assert_eq!(parse_version("cargo 1.95.0"), None);
        assert_eq!(parse_version(""), None);
    }

    #[test]
    fn the_install_hint_pins_the_version() {
        assert_eq!(
            install_command(),
            "cargo install --locked cargo-semver-checks --version 0.51.0"
        );
    }
}
