//! The semver step of CI judges every commit since the recorded base, not
//! only the last: in a git copy of this workspace, a breaking commit
//! followed by a harmless one is breaking judged from the base recorded in
//! `.ci/semver-base`, and would pass judged from `HEAD~1`. With
//! `--require-changelog` it fails until the changelog records it (here in a
//! fragment).
//!
//! Needs the pinned cargo-semver-checks, so it is ignored by default and CI
//! runs it (`cargo test -p xtask --test semver_range -- --ignored`).

use std::path::Path;

use xtask::semver::{base, tool};

mod common;

use common::git;

const EXT_LIB: &str = "crates/moveworks-ext/src/lib.rs";

fn append(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    let mut contents = std::fs::read_to_string(&path).unwrap();
    contents.push_str(text);
    std::fs::write(&path, contents).unwrap();
}

fn commit(root: &Path, message: &str) -> String {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", message]);
    xtask::git::commit(root, "HEAD").unwrap()
}

/// `cargo xtask semver --baseline REV --require-changelog` in `root`:
/// whether it passed, and what it printed.
fn judge(root: &Path, rev: &str) -> (bool, String) {
    let mut out = Vec::new();
    let passed =
        xtask::semver_command::run(root, rev, true, Some(&common::target_dir()), &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    println!("{out}");
    (passed, out)
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn a_breaking_commit_before_a_harmless_one_is_found_from_the_recorded_base() {
    if let Err(why) = tool::require() {
        panic!("{why} (or `cargo xtask semver install`)");
    }
    let root = common::copy_workspace("semver-range");
    // The base: a public function the next commit removes, and a changelog
    // whose [Unreleased] section records nothing breaking.
    append(
        &root,
        EXT_LIB,
        "\n/// Removed by the breaking commit.\npub fn semver_range_probe() {}\n",
    );
    std::fs::write(
        root.join("CHANGELOG.md"),
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- A probe.\n",
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(root.join(".changelog"));
    git(&root, &["init", "-q"]);
    let base_commit = commit(&root, "the base");
    base::write(&root, &base_commit).unwrap();
    commit(&root, "record the semver base");

    let lib = std::fs::read_to_string(root.join(EXT_LIB)).unwrap();
    let probe = "\n/// Removed by the breaking commit.\npub fn semver_range_probe() {}\n";
    std::fs::write(root.join(EXT_LIB), lib.replace(probe, "")).unwrap();
    commit(&root, "breaking: the probe is gone");
    append(&root, EXT_LIB, "\n// A harmless comment.\n");
    commit(&root, "harmless");

    let recorded = base::resolve(&root).unwrap();
    assert_eq!(recorded, base_commit);
    let (passed, out) = judge(&root, &recorded);
    assert!(
        out.contains(&format!("moveworks-ext against {recorded}: BREAKING")),
        "{out}"
    );
    assert!(out.contains("semver_range_probe"), "{out}");
    assert!(!passed, "the changelog records nothing breaking: {out}");
    assert!(out.contains("records a breaking change"), "{out}");

    // Recorded in a fragment, it passes.
    std::fs::create_dir_all(root.join(".changelog")).unwrap();
    std::fs::write(
        root.join(".changelog/probe.md"),
        "- `moveworks-ext`: **breaking**: `semver_range_probe` is gone.\n",
    )
    .unwrap();
    let (passed, out) = judge(&root, &recorded);
    assert!(passed, "{out}");

    // The last commit alone is harmless: judging only it passes the break.
    let (_, out) = judge(&root, "HEAD~1");
    assert!(!out.contains("BREAKING"), "{out}");

    std::fs::remove_dir_all(&root).unwrap();
}
