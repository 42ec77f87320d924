//! The verdict on this workspace's crates against a git revision, for
//! `cargo xtask semver` (CI) and after `cargo xtask codegen`.

use std::path::Path;

use super::{Baseline, Subject, Verdict, judge};

/// The crates judged: the generated client, and moveworks-ext, which must
/// still compile against it. `(package, directory under the root)`.
pub const JUDGED: &[(&str, &str)] = &[
    ("moveworks-api", "crates/moveworks-api"),
    ("moveworks-ext", "crates/moveworks-ext"),
];

/// The crate `package` in `dir` (under `root`) against `rev`, built in
/// `target_dir` (the workspace's own when `None`).
pub fn subject(
    root: &Path,
    package: &str,
    dir: &str,
    rev: &str,
    target_dir: Option<&Path>,
) -> Subject {
    Subject {
        package: package.to_owned(),
        manifest: root.join("Cargo.toml"),
        crate_dir: root.join(dir),
        baseline: Baseline::GitRev(rev.to_owned()),
        target_dir: target_dir.map(Path::to_path_buf),
    }
}

/// Judges every crate of [`JUDGED`] against `rev`, built in `target_dir`
/// (the workspace's own when `None`).
///
/// # Errors
///
/// As [`judge`]: the tool is missing, or a crate does not build.
pub fn judge_all(
    root: &Path,
    rev: &str,
    target_dir: Option<&Path>,
) -> Result<Vec<Verdict>, String> {
    JUDGED
        .iter()
        .map(|(package, dir)| judge(&subject(root, package, dir, rev, target_dir)))
        .collect()
}
