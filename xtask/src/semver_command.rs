//! `cargo xtask semver`: the verdicts on this workspace's crates against a
//! revision and, for CI, whether CHANGELOG.md records a breaking one.

use std::path::Path;

use crate::changelog;
use crate::semver::Bump;
use crate::semver::workspace::{JUDGED, judge_all};

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
    let breaking = verdicts.iter().any(|v| v.bump == Bump::Major);
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
