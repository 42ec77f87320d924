//! Changelog fragments: one Markdown file per change in `.changelog/`,
//! assembled into CHANGELOG.md at a release ([`super::release`]).
//!
//! `cargo xtask codegen` writes one fragment, `codegen-<hash>.md`, when the
//! generated crates differ from the last commit; the name is a hash of the
//! generated files, so running it again with the same result rewrites the
//! same file. A fragment of its own that git does not track yet is an
//! earlier, uncommitted run, and the only file it removes. Committed files
//! (its own fragments included) and CHANGELOG.md are never touched, so a
//! fresh clone's codegen, where the crates equal HEAD, changes nothing.

use std::path::{Path, PathBuf};

use crate::freshness::OutputFile;
use crate::git;

/// The fragments' directory, relative to the workspace root.
pub const DIR: &str = ".changelog";
/// The start of the names of the fragments codegen writes.
const CODEGEN_PREFIX: &str = "codegen-";

/// The name of codegen's fragment for a regeneration producing `files`
/// (absolute paths under `root`): a hash of their paths and contents.
pub fn codegen_name(root: &Path, files: &[OutputFile]) -> String {
    let mut files: Vec<(String, &str)> = files
        .iter()
        .map(|file| {
            let relative = file.path.strip_prefix(root).unwrap_or(&file.path);
            // The same name on every platform.
            let relative = relative.to_string_lossy().replace('\\', "/");
            (relative, file.contents.as_str())
        })
        .collect();
    files.sort();
    // FNV-1a: stable across Rust releases, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, contents) in &files {
        for byte in path.bytes().chain([0]).chain(contents.bytes()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{CODEGEN_PREFIX}{hash:016x}.md")
}

/// What [`record`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The fragment was written (created or rewritten).
    Written(PathBuf),
    /// A committed fragment has this name already (the same output was
    /// generated and committed before); it is left as it is.
    Committed(PathBuf),
}

/// Writes codegen's fragment `name` with `text` in the workspace at `root`
/// and removes its other untracked fragments (earlier uncommitted runs).
/// Returns what it did and the fragments removed.
///
/// # Errors
///
/// When git cannot list the tracked files, or a file cannot be written or
/// removed.
pub fn record(root: &Path, name: &str, text: &str) -> Result<(Recorded, Vec<PathBuf>), String> {
    let dir = root.join(DIR);
    let path = dir.join(name);
    let tracked = tracked(root)?;
    let removed = remove_untracked(root, &tracked, Some(name))?;
    if tracked.iter().any(|t| t == name) {
        return Ok((Recorded::Committed(path), removed));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((Recorded::Written(path), removed))
}

/// Removes codegen's untracked fragments (a regeneration since undone);
/// returns them.
///
/// # Errors
///
/// As [`record`].
pub fn forget(root: &Path) -> Result<Vec<PathBuf>, String> {
    let tracked = tracked(root)?;
    remove_untracked(root, &tracked, None)
}

/// The names of the fragments git tracks.
fn tracked(root: &Path) -> Result<Vec<String>, String> {
    Ok(git::tracked(root, DIR)?
        .iter()
        .filter_map(|path| path.strip_prefix(DIR)?.strip_prefix('/'))
        .map(str::to_owned)
        .collect())
}

fn remove_untracked(
    root: &Path,
    tracked: &[String],
    keep: Option<&str>,
) -> Result<Vec<PathBuf>, String> {
    let mut removed = Vec::new();
    for (name, path) in list(root)? {
        let own = name.starts_with(CODEGEN_PREFIX);
        if own && Some(name.as_str()) != keep && !tracked.contains(&name) {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

/// Every fragment (`*.md` in [`DIR`]) by name, sorted; none when there is
/// no such directory.
pub fn list(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join(DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut fragments = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && entry.path().is_file() {
            fragments.push((name, entry.path()));
        }
    }
    fragments.sort();
    Ok(fragments)
}

/// The text of every fragment, in name order.
///
/// # Errors
///
/// When one cannot be read.
pub fn texts(root: &Path) -> Result<Vec<String>, String> {
    list(root)?
        .into_iter()
        .map(|(_, path)| {
            std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn file(root: &Path, path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: root.join(path),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn the_name_depends_on_the_output_only() {
        let a = Path::new("/a");
        let b = Path::new("/elsewhere/b");
        let one = [
            file(a, "x/lib.rs", "fn a() {}"),
            file(a, "Cargo.toml", "[p]"),
        ];
        let same_elsewhere = [
            file(b, "Cargo.toml", "[p]"),
            file(b, "x/lib.rs", "fn a() {}"),
        ];
        let other = [
            file(a, "x/lib.rs", "fn b() {}"),
            file(a, "Cargo.toml", "[p]"),
        ];
        let moved = [
            file(a, "y/lib.rs", "fn a() {}"),
            file(a, "Cargo.toml", "[p]"),
        ];
        let name = codegen_name(a, &one);
        assert!(
            name.starts_with("codegen-") && name.ends_with(".md"),
            "{name}"
        );
        assert_eq!(name.len(), "codegen-".len() + 16 + ".md".len());
        assert_eq!(codegen_name(b, &same_elsewhere), name);
        assert_ne!(codegen_name(a, &other), name);
        assert_ne!(codegen_name(a, &moved), name);
    }

    #[test]
    fn only_its_own_untracked_fragments_are_removed() {
        let root = std::env::temp_dir().join(format!("xtask-fragments-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join(DIR);
        std::fs::create_dir_all(&dir).unwrap();
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
        std::fs::write(dir.join("codegen-committed.md"), "committed\n").unwrap();
        git(&["add", "-A"]);
        git(&["commit", "-qm", "c"]);
        std::fs::write(dir.join("codegen-earlier.md"), "earlier run\n").unwrap();
        std::fs::write(dir.join("by-hand.md"), "by hand\n").unwrap();

        let (recorded, removed) = record(&root, "codegen-new.md", "new\n").unwrap();
        assert_eq!(recorded, Recorded::Written(dir.join("codegen-new.md")));
        assert_eq!(removed, [dir.join("codegen-earlier.md")]);
        let names: Vec<String> = list(&root).unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["by-hand.md", "codegen-committed.md", "codegen-new.md"]
        );

        // A committed fragment of the same name is left as it is.
        let (recorded, removed) = record(&root, "codegen-committed.md", "other\n").unwrap();
        assert_eq!(
            recorded,
            Recorded::Committed(dir.join("codegen-committed.md"))
        );
        assert_eq!(removed, [dir.join("codegen-new.md")]);
        assert_eq!(
            std::fs::read_to_string(dir.join("codegen-committed.md")).unwrap(),
            "committed\n"
        );

        std::fs::write(dir.join("codegen-again.md"), "again\n").unwrap();
        assert_eq!(forget(&root).unwrap(), [dir.join("codegen-again.md")]);
        assert_eq!(texts(&root).unwrap(), ["by hand\n", "committed\n"]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
