//! The git queries the xtask makes of the workspace: what a revision
//! holds, and whether the working tree differs from it. Every failure is a
//! message saying which command failed and why, for the caller to report
//! ("not judged: ...") rather than to stop on.

use std::path::Path;
use std::process::Command;

/// Whether any of `paths` (relative to `root`) differs between the working
/// tree and `rev`.
pub fn changed_since(root: &Path, rev: &str, paths: &[&str]) -> Result<bool, String> {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["diff", "--quiet", rev, "--"])
        .args(paths)
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    match status.code() {
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        _ => Err(format!("`git diff {rev} -- {}` failed", paths.join(" "))),
    }
}

/// `git show REV:./PATH`: a committed file's text, `path` relative to
/// `root` (which need not be the repository's top: the workspace may sit in
/// a larger repository).
pub fn show(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    output(root, &["show", &format!("{rev}:./{path}")])
}

/// `git rev-parse REV:./PATH`: the blob id of a committed file.
pub fn blob(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    output(root, &["rev-parse", &format!("{rev}:./{path}")]).map(|s| s.trim().to_owned())
}

/// The files under `dirs` (relative to `root`) at `rev`, relative to
/// `root`.
pub fn files_at(root: &Path, rev: &str, dirs: &[&str]) -> Result<Vec<String>, String> {
    let mut args = vec!["ls-tree", "-r", "--name-only", rev, "--"];
    args.extend(dirs);
    Ok(output(root, &args)?.lines().map(str::to_owned).collect())
}

fn output(root: &Path, args: &[&str]) -> Result<String, String> {
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
