//! `cargo xtask changelog`: the Unreleased notes of CHANGELOG.md with the
//! fragments of `.changelog/` under `### Changed`; with `--release VERSION`,
//! those notes become the section `## [VERSION] - DATE`, the fragments are
//! deleted and the semver base moves to the commit released.

use std::io::Write;
use std::path::Path;

use super::{SECTION, UNRELEASED, fragments, unreleased};
use crate::semver::base;

/// The Unreleased notes of `changelog` with `fragments` added at the end of
/// their `### Changed` section (made when there is none).
pub fn notes(changelog: &str, fragments: &[String]) -> String {
    let mut lines: Vec<String> = unreleased(changelog).lines().map(str::to_owned).collect();
    trim_blank_end(&mut lines);
    if fragments.is_empty() {
        return join(&lines);
    }
    let added = fragments
        .iter()
        .flat_map(|text| text.trim_end().lines().map(str::to_owned));
    match lines.iter().position(|l| l.trim() == SECTION) {
        Some(heading) => {
            let next = lines[heading + 1..]
                .iter()
                .position(|l| l.starts_with("### "))
                .map_or(lines.len(), |i| heading + 1 + i);
            // After the section's last non-blank line.
            let at = lines[heading + 1..next]
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(heading + 1, |i| heading + 2 + i);
            let added: Vec<String> = std::iter::once(String::new())
                .filter(|_| at == heading + 1)
                .chain(added)
                .collect();
            lines.splice(at..at, added);
        }
        None => {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend([SECTION.to_owned(), String::new()]);
            lines.extend(added);
        }
    }
    join(&lines)
}

/// `changelog` with its Unreleased notes and `fragments` released as
/// `## [version] - date`, under a new, empty Unreleased section.
///
/// # Errors
///
/// When `version` is not a version, is released already, or the changelog
/// has no Unreleased section.
pub fn release(
    changelog: &str,
    fragments: &[String],
    version: &str,
    date: &str,
) -> Result<String, String> {
    semver::Version::parse(version).map_err(|e| format!("`{version}` is not a version: {e}"))?;
    if changelog
        .lines()
        .any(|l| l.starts_with(&format!("## [{version}]")))
    {
        return Err(format!("CHANGELOG.md has a section for {version} already"));
    }
    let lines: Vec<&str> = changelog.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == UNRELEASED)
        .ok_or("CHANGELOG.md has no `## [Unreleased]` section")?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## "))
        .map_or(lines.len(), |i| start + 1 + i);
    let mut out = String::new();
    for line in &lines[..start] {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("{UNRELEASED}\n\n## [{version}] - {date}\n\n"));
    out.push_str(&notes(changelog, fragments));
    if end < lines.len() {
        out.push('\n');
        out.push_str(&join(&lines[end..]));
    }
    Ok(out)
}

fn trim_blank_end(lines: &mut Vec<String>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
}

fn join(lines: &[impl AsRef<str>]) -> String {
    lines.iter().map(|l| format!("{}\n", l.as_ref())).collect()
}

/// `cargo xtask changelog [--release VERSION]` in the workspace at `root`.
///
/// # Errors
///
/// When a file cannot be read or written, or as [`release`].
pub fn run(root: &Path, version: Option<&str>, out: &mut dyn Write) -> Result<(), String> {
    let path = root.join("CHANGELOG.md");
    let changelog = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let listed = fragments::list(root)?;
    let texts = fragments::texts(root)?;
    let Some(version) = version else {
        let _ = write!(out, "{}", notes(&changelog, &texts));
        return Ok(());
    };
    let commit = crate::git::commit(root, "HEAD")?;
    let released = release(&changelog, &texts, version, &crate::bench::today())?;
    std::fs::write(&path, released).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    for (_, fragment) in &listed {
        std::fs::remove_file(fragment)
            .map_err(|e| format!("cannot remove {}: {e}", fragment.display()))?;
    }
    base::write(root, &commit)?;
    let _ = writeln!(
        out,
        "changelog: released {version} in CHANGELOG.md from its [Unreleased] notes and {} \
         fragment(s), now deleted; the semver base ({}) is {commit}. Set the crates' versions \
         and commit it all.",
        listed.len(),
        base::FILE
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\nNothing is released.\n\n### Added\n\n- A thing.\n\n### Changed\n\n- By hand.\n\n### Fixed\n\n- A fix.\n\n## [0.1.0] - 2026-11-01\n\n- First.\n";

    fn fragments() -> Vec<String> {
        vec![
            "- `moveworks-api` regenerated (semver: **minor**).\n  - Spec changes: none.\n"
                .to_owned(),
            "- Another.\n".to_owned(),
        ]
    }

    #[test]
    fn fragments_go_at_the_end_of_changed() {
        assert_eq!(
            notes(CHANGELOG, &fragments()),
            "Nothing is released.\n\n### Added\n\n- A thing.\n\n### Changed\n\n- By hand.\n\
             - `moveworks-api` regenerated (semver: **minor**).\n  - Spec changes: none.\n\
             - Another.\n\n### Fixed\n\n- A fix.\n"
        );
        assert_eq!(
            notes(CHANGELOG, &[]),
            "Nothing is released.\n\n### Added\n\n- A thing.\n\n### Changed\n\n- By hand.\n\n\
             ### Fixed\n\n- A fix.\n"
        );
    }

    #[test]
    fn a_changed_section_is_made_or_filled_when_empty() {
        let without = "# C\n\n## [Unreleased]\n\n### Added\n\n- A.\n";
        assert_eq!(
            notes(without, &["- F.\n".to_owned()]),
            "### Added\n\n- A.\n\n### Changed\n\n- F.\n"
        );
        assert_eq!(
            notes("# C\n\n## [Unreleased]\n", &["- F.\n".to_owned()]),
            "### Changed\n\n- F.\n"
        );
        let empty = "# C\n\n## [Unreleased]\n\n### Changed\n## [0.1.0]\n";
        assert_eq!(
            notes(empty, &["- F.\n".to_owned()]),
            "### Changed\n\n- F.\n"
        );
    }

    #[test]
    fn a_release_moves_the_notes_under_its_version() {
        let released = release(CHANGELOG, &fragments(), "0.2.0", "2027-01-02").unwrap();
        assert_eq!(
            released,
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [0.2.0] - 2027-01-02\n\n\
             Nothing is released.\n\n### Added\n\n- A thing.\n\n### Changed\n\n- By hand.\n\
             - `moveworks-api` regenerated (semver: **minor**).\n  - Spec changes: none.\n\
             - Another.\n\n### Fixed\n\n- A fix.\n\n## [0.1.0] - 2026-11-01\n\n- First.\n"
        );
        // Nothing is left unreleased, so nothing breaking either.
        assert_eq!(notes(&released, &[]), "");
        let again = release(&released, &[], "0.2.0", "2027-01-03").unwrap_err();
        assert!(again.contains("0.2.0 already"), "{again}");
        let bad = release(CHANGELOG, &[], "next", "2027-01-02").unwrap_err();
        assert!(bad.contains("not a version"), "{bad}");
        let none = release("# C\n", &[], "0.2.0", "2027-01-02").unwrap_err();
        assert!(none.contains("no `## [Unreleased]`"), "{none}");
    }

    #[test]
    fn the_release_step_assembles_deletes_the_fragments_and_moves_the_base() {
        use std::process::Command;
        let root = std::env::temp_dir().join(format!("xtask-release-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join(".changelog")).unwrap();
        std::fs::create_dir_all(root.join(".ci")).unwrap();
        std::fs::write(root.join("CHANGELOG.md"), CHANGELOG).unwrap();
        std::fs::write(root.join(".changelog/codegen-1.md"), &fragments()[0]).unwrap();
        std::fs::write(root.join(".changelog/later.md"), &fragments()[1]).unwrap();
        let old_base = "cfdf855be7ff6e5ad11cb70c9b083a05e26152e5";
        std::fs::write(root.join(base::FILE), format!("# The base.\n{old_base}\n")).unwrap();
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(&root)
                .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
                .args(args)
                .status()
                .unwrap();
            assert!(status.success());
        };
        git(&["init", "-q"]);
        git(&["add", "-A"]);
        git(&["commit", "-qm", "c"]);
        let head = crate::git::commit(&root, "HEAD").unwrap();

        let mut out = Vec::new();
        run(&root, None, &mut out).unwrap();
        let mut printed = notes(CHANGELOG, &fragments());
        assert_eq!(String::from_utf8(out).unwrap(), printed);

        let mut out = Vec::new();
        run(&root, Some("0.2.0"), &mut out).unwrap();
        let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
        let date = crate::bench::today();
        assert_eq!(
            changelog,
            release(CHANGELOG, &fragments(), "0.2.0", &date).unwrap()
        );
        assert_eq!(fragments::list(&root).unwrap(), Vec::new());
        assert_eq!(
            std::fs::read_to_string(root.join(base::FILE)).unwrap(),
            format!("# The base.\n{head}\n")
        );
        let said = String::from_utf8(out).unwrap();
        assert!(said.contains("released 0.2.0"), "{said}");
        assert!(said.contains("2 fragment(s)"), "{said}");
        printed.clear();
        let mut out = Vec::new();
        run(&root, None, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), printed);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
