//! Copies of this workspace for the tests that run the xtask on one: in a
//! scratch directory outside this repository, built in one shared target
//! dir.
#![allow(dead_code)] // Each test file uses some of these.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::codegen::workspace_root;

/// Outside this repository (CARGO_TARGET_TMPDIR is inside it), so that a
/// copy without git is outside any repository.
pub fn copies() -> PathBuf {
    std::env::temp_dir().join(format!("xtask-workspace-copies-{}", std::process::id()))
}

/// Where the copies build, shared by every copy, test and run, so
/// dependencies compile once.
pub fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("regeneration-target")
}

/// Copies this workspace's files (tracked, and untracked but not ignored,
/// as they are on disk) to `copies()/name`, replacing an earlier copy.
pub fn copy_workspace(name: &str) -> PathBuf {
    let source = workspace_root();
    let root = copies().join(name);
    let _ = std::fs::remove_dir_all(&root);
    let listed = Command::new("git")
        .arg("-C")
        .arg(&source)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "this workspace must be a git checkout"
    );
    for path in String::from_utf8(listed.stdout).unwrap().split('\0') {
        let from = source.join(path);
        if path.is_empty() || !from.is_file() {
            continue;
        }
        let to = root.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    root
}

pub fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=xtask test",
            "-c",
            "user.email=xtask@test.invalid",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `git status --porcelain` in `root`: empty when the work tree is clean.
pub fn git_status(root: &Path) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--untracked-files=all"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// Edits the first `from` in the copy's file at `path` into `to`.
pub fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let path = root.join(path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(from),
        "{} no longer holds {from:?}",
        path.display()
    );
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}
