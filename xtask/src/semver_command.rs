//! `cargo xtask semver`: the verdicts on this workspace's crates against a
//! revision and, for CI, whether the changelog records a breaking one.

use std::io::Write;
use std::path::Path;

use crate::changelog::{self, fragments};
use crate::semver::Bump;
use crate::semver::workspace::{JUDGED, judge_all};

/// `cargo xtask semver`: prints the verdicts against `rev` to `out`, the
/// crates built in `target_dir` (the workspace's own when `None`). With
/// `require_changelog`, a breaking verdict that neither CHANGELOG.md's
/// Unreleased section nor a fragment of `.changelog/` records fails.
/// Returns whether the run passes.
pub fn run(
    root: &Path,
    rev: &str,
    require_changelog: bool,
    target_dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<bool, String> {
    let _ = writeln!(
        out,
        "semver: judging {} against {rev} with cargo-semver-checks",
        names()
    );
    let text = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap_or_default();
    let released = changelog::has_release(&text);
    let verdicts = judge_all(root, rev, target_dir)?;
    for verdict in verdicts.iter().cloned() {
        let _ = write!(out, "{}", verdict.unless_released(released));
    }
    let breaking = verdicts.iter().any(|v| v.bump == Bump::Major);
    if require_changelog && breaking {
        if !changelog::records_breaking_change(&text, &fragments::texts(root)?) {
            let _ = writeln!(
                out,
                "error: the change is breaking, but neither CHANGELOG.md's [Unreleased] section \
                 nor a fragment in {}/ records a breaking change: run `cargo xtask codegen` (it \
                 writes a fragment) or add an entry marked **breaking**, and release it as a \
                 major version",
                fragments::DIR
            );
            return Ok(false);
        }
        let _ = writeln!(
            out,
            "semver: the changelog records the breaking change (under [Unreleased] or in {}/)",
            fragments::DIR
        );
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
