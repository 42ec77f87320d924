//! The verdict on this workspace's crates against a git revision, for
//! `cargo xtask semver` (CI) and after `cargo xtask codegen`.

use std::path::Path;
use std::process::Command;

use super::{Baseline, Subject, Verdict, judge};
use crate::changelog;

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

/// `cargo xtask semver`: prints the verdicts against `rev`. With
/// `require_changelog`, a breaking verdict that CHANGELOG.md's Unreleased
/// section does not record fails. Returns whether the run passes.
pub fn run(root: &Path, rev: &str, require_changelog: bool) -> Result<bool, String> {
    println!(
        "semver: judging {} against {rev} with cargo-semver-checks",
        names()
    );
    let verdicts = judge_all(root, rev)?;
    for verdict in &verdicts {
        print!("{verdict}");
    }
    let breaking = verdicts.iter().any(|v| v.bump == super::Bump::Major);
    if require_changelog && breaking {
        let text = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap_or_default();
        if !changelog::records_breaking_change(&text) {
            eprintln!(
                "error: the change is breaking, but CHANGELOG.md's [Unreleased] section records \
                 no breaking change: run `cargo xtask codegen` (it writes the entry) or add one \
                 marked **breaking**, and release it as a major version"
            );
            return Ok(false);
        }
        println!("semver: CHANGELOG.md records the breaking change under [Unreleased]");
    }
    Ok(true)
}

fn names() -> String {
    JUDGED
        .iter()
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(" and ")
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
