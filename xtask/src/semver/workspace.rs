//! The verdict on this workspace's crates against a git revision, for
//! `cargo xtask semver` (CI) and after `cargo xtask codegen`, and the git
//! queries both make.

use std::path::Path;
use std::process::Command;

use super::{Baseline, Subject, Verdict, judge};

/// The crates judged: the generated client, and moveworks-ext, which must
/// still compile against it. `(package, directory under the root)`.
pub const JUDGED: &[(&str, &str)] = &[
    ("moveworks-api", "crates/moveworks-api"),
    ("moveworks-ext", "crates/moveworks-ext"),
];

/// Judges every crate of [`JUDGED`] against `rev`.
///
/// # Errors
///
/// As [`judge`]: the tool is missing, or a crate does not build.
pub fn judge_all(root: &Path, rev: &str) -> Result<Vec<Verdict>, String> {
    JUDGED
        .iter()
        .map(|(package, dir)| {
            judge(&Subject {
                package: (*package).to_owned(),
                manifest: root.join("Cargo.toml"),
                crate_dir: root.join(dir),
                baseline: Baseline::GitRev(rev.to_owned()),
                target_dir: None,
            })
        })
        .collect()
}

/// Whether `path` (relative to `root`) differs between the working tree and
/// `rev`.
pub fn changed_since(root: &Path, rev: &str, path: &str) -> Result<bool, String> {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["diff", "--quiet", rev, "--", path])
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    match status.code() {
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        _ => Err(format!("`git diff {rev} -- {path}` failed")),
    }
}

/// `git show REV:PATH`.
pub fn show(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    git_output(root, &["show", &format!("{rev}:{path}")])
}

/// `git rev-parse REV:PATH`: the blob id of a committed file.
pub fn blob(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    git_output(root, &["rev-parse", &format!("{rev}:{path}")]).map(|s| s.trim().to_owned())
}

fn git_output(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
