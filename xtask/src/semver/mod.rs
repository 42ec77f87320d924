//! The semver verdict on a regeneration: does the new generated crate (and
//! moveworks-ext, which must still compile against it) break its users, and
//! which version does that call for?
//!
//! Breaking changes are cargo-semver-checks' findings (see [`tool`]); this
//! module runs it, reads its report ([`report`]) and turns the findings into
//! one [`Verdict`] per crate ([`verdict`]). cargo-semver-checks has no lint
//! for every addition (a field added to a `#[non_exhaustive]` struct, a value
//! added to an open enum), so a crate whose code changed with nothing
//! breaking is at least a minor change; one whose documentation alone
//! changed ([`source_change`]) needs no release.

pub mod base;
pub mod bump;
pub mod report;
pub mod source_change;
pub mod tool;
pub mod verdict;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use bump::Bump;
pub use source_change::SourceChange;
pub use verdict::Verdict;

/// What the current crate is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// The same package at a git revision of the workspace.
    GitRev(String),
    /// A directory holding the baseline crate's source.
    Dir(PathBuf),
}

impl std::fmt::Display for Baseline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Baseline::GitRev(rev) => write!(f, "{rev}"),
            Baseline::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// One crate to judge.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The package name.
    pub package: String,
    /// The current crate's manifest (a workspace manifest with `package`
    /// selecting the member, or the crate's own).
    pub manifest: PathBuf,
    /// The current crate's directory, whose `src` is compared with the
    /// baseline's.
    pub crate_dir: PathBuf,
    pub baseline: Baseline,
    /// The target dir cargo-semver-checks builds in, when not the crate's:
    /// crates generated into different directories share their compiled
    /// dependencies through one.
    pub target_dir: Option<PathBuf>,
}

/// Runs cargo-semver-checks on `subject` and gives its verdict.
///
/// # Errors
///
/// When cargo-semver-checks is missing or of another version (with the
/// command that installs the pinned one), when it cannot build either
/// crate (the tail of its output says why), or when git cannot show the
/// baseline.
pub fn judge(subject: &Subject) -> Result<Verdict, String> {
    tool::require()?;
    let mut command = Command::new("cargo");
    command
        .arg("semver-checks")
        .arg("--manifest-path")
        .arg(&subject.manifest)
        .args(["--package", &subject.package])
        // Every finding counts as a failure, so the report lists them all;
        // their required update is read from the report itself.
        .args(["--release-type", "patch", "--color", "never"])
        // `--verbose` prints each lint's status and required update.
        .arg("--verbose");
    match &subject.baseline {
        Baseline::GitRev(rev) => command.args(["--baseline-rev", rev]),
        Baseline::Dir(dir) => command.arg("--baseline-root").arg(dir),
    };
    if let Some(dir) = &subject.target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let parsed = report::parse(&subject.package, &stdout, &stderr).map_err(|why| {
        format!(
            "cargo semver-checks could not judge {} against {}: {why}\n{}",
            subject.package,
            subject.baseline,
            tail(&stderr, 20)
        )
    })?;
    let source_change = source_change(subject)?;
    Ok(Verdict::new(
        &subject.package,
        &subject.baseline.to_string(),
        parsed,
        source_change,
    ))
}

/// How the crate's `src` changed since the baseline.
fn source_change(subject: &Subject) -> Result<SourceChange, String> {
    let src = subject.crate_dir.join("src");
    let baseline = match &subject.baseline {
        Baseline::GitRev(rev) => files_at_rev(&subject.crate_dir, rev)?,
        Baseline::Dir(dir) => read_tree(&dir.join("src"))?,
    };
    Ok(source_change::classify(&baseline, &read_tree(&src)?))
}

/// The files of `crate_dir/src` at `rev`, by path relative to `src`.
fn files_at_rev(crate_dir: &Path, rev: &str) -> Result<Vec<source_change::File>, String> {
    let mut files = Vec::new();
    for path in crate::git::files_at(crate_dir, rev, &["src"])? {
        let text = crate::git::show(crate_dir, rev, &path)?;
        let relative = Path::new(&path)
            .strip_prefix("src")
            .unwrap_or(Path::new(&path));
        files.push((relative.to_path_buf(), text.into_bytes()));
    }
    Ok(files)
}

/// Every file under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let entries =
            std::fs::read_dir(&next).map_err(|e| format!("cannot read {}: {e}", next.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                files.push((relative, bytes));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_are_compared_file_by_file() {
        let root = std::env::temp_dir().join(format!("xtask-semver-tree-{}", std::process::id()));
        let (a, b) = (root.join("a"), root.join("b"));
        for dir in [&a, &b] {
            std::fs::create_dir_all(dir.join("src/nested")).unwrap();
            std::fs::write(dir.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
            std::fs::write(dir.join("src/nested/m.rs"), "// m\n").unwrap();
        }
        let subject = Subject {
            package: "demo".to_owned(),
            manifest: b.join("Cargo.toml"),
            crate_dir: b.clone(),
            baseline: Baseline::Dir(a.clone()),
            target_dir: None,
        };
        assert_eq!(source_change(&subject).unwrap(), SourceChange::Unchanged);
        std::fs::write(b.join("src/nested/m.rs"), "// n\n").unwrap();
        assert_eq!(source_change(&subject).unwrap(), SourceChange::DocsOnly);
        std::fs::write(b.join("src/nested/m.rs"), "fn f() {}\n").unwrap();
        assert_eq!(source_change(&subject).unwrap(), SourceChange::Code);
        std::fs::remove_file(b.join("src/nested/m.rs")).unwrap();
        assert_eq!(source_change(&subject).unwrap(), SourceChange::Code);
        let _ = std::fs::remove_dir_all(&root);
    }
}
