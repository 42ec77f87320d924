//! Comparing generated output with what is on disk, in the spirit of
//! rust-analyzer's `ensure_file_contents`: the same comparison drives
//! `--check`, the freshness test, and writing only what changed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use similar::TextDiff;

/// One file the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
}

/// How a generated file differs from the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// Not on disk yet.
    Missing { path: PathBuf, contents: String },
    /// On disk with other contents.
    Differs {
        path: PathBuf,
        contents: String,
        on_disk: String,
    },
    /// On disk in a generated directory, but no longer generated.
    Stale { path: PathBuf },
}

impl Drift {
    pub fn path(&self) -> &Path {
        match self {
            Drift::Missing { path, .. } | Drift::Differs { path, .. } | Drift::Stale { path } => {
                path
            }
        }
    }
}

/// Files of `files` that differ from the disk, then files under
/// `owned_dirs` that the generator no longer produces.
pub fn compare(files: &[OutputFile], owned_dirs: &[PathBuf]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for file in files {
        match std::fs::read(&file.path) {
            Ok(bytes) if same_text(&bytes, &file.contents) => {}
            Ok(bytes) => drift.push(Drift::Differs {
                path: file.path.clone(),
                contents: file.contents.clone(),
                on_disk: String::from_utf8_lossy(&bytes).into_owned(),
            }),
            Err(_) => drift.push(Drift::Missing {
                path: file.path.clone(),
                contents: file.contents.clone(),
            }),
        }
    }
    for dir in owned_dirs {
        let mut found = Vec::new();
        list_files(dir, &mut found);
        found.sort();
        for path in found {
            if !files.iter().any(|f| f.path == path) {
                drift.push(Drift::Stale { path });
            }
        }
    }
    drift
}

/// Whether a file on disk holds `contents`, whatever its line ends: a
/// checkout may turn LF into CRLF (git's `core.autocrlf`), which changes
/// nothing generated.
fn same_text(on_disk: &[u8], contents: &str) -> bool {
    if on_disk == contents.as_bytes() {
        return true;
    }
    std::str::from_utf8(on_disk)
        .is_ok_and(|text| text.contains("\r\n") && text.replace("\r\n", "\n") == contents)
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            list_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Writes what is missing or different and removes what is stale.
pub fn apply(drift: &[Drift]) -> std::io::Result<()> {
    for item in drift {
        match item {
            Drift::Missing { path, contents } | Drift::Differs { path, contents, .. } => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, contents)?;
            }
            Drift::Stale { path } => std::fs::remove_file(path)?,
        }
    }
    Ok(())
}

/// At most this many diff lines are printed per file.
const MAX_DIFF_LINES: usize = 120;

/// A readable account of `drift`, paths relative to `root`.
pub fn describe(drift: &[Drift], root: &Path) -> String {
    let mut out = String::new();
    for item in drift {
        let path = item
            .path()
            .strip_prefix(root)
            .unwrap_or(item.path())
            .display()
            .to_string();
        match item {
            Drift::Missing { .. } => {
                let _ = writeln!(out, "missing: {path}");
            }
            Drift::Stale { .. } => {
                let _ = writeln!(out, "not generated any more (remove it): {path}");
            }
            Drift::Differs {
                contents, on_disk, ..
            } => {
                let _ = writeln!(out, "differs: {path}");
                let diff = TextDiff::from_lines(on_disk.as_str(), contents.as_str());
                let text = diff
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{path} (committed)"),
                        &format!("{path} (generated)"),
                    )
                    .to_string();
                let lines: Vec<&str> = text.lines().collect();
                for line in lines.iter().take(MAX_DIFF_LINES) {
                    let _ = writeln!(out, "{line}");
                }
                if lines.len() > MAX_DIFF_LINES {
                    let _ = writeln!(
                        out,
                        "... ({} more diff lines)",
                        lines.len() - MAX_DIFF_LINES
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-freshness-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn finds_missing_changed_and_stale_files_then_fixes_them() {
        let dir = temp_dir("cycle");
        std::fs::write(dir.join("same.txt"), "same\n").unwrap();
        std::fs::write(dir.join("changed.txt"), "old\n").unwrap();
        std::fs::write(dir.join("stale.txt"), "x\n").unwrap();
        let files = vec![
            OutputFile {
                path: dir.join("same.txt"),
                contents: "same\n".into(),
            },
            OutputFile {
                path: dir.join("changed.txt"),
                contents: "new\n".into(),
            },
            OutputFile {
                path: dir.join("sub/new.txt"),
                contents: "n\n".into(),
            },
        ];
        let drift = compare(&files, std::slice::from_ref(&dir));
        let kinds: Vec<_> = drift
            .iter()
            .map(|d| match d {
                Drift::Missing { .. } => "missing",
                Drift::Differs { .. } => "differs",
                Drift::Stale { .. } => "stale",
            })
            .collect();
        assert_eq!(kinds, ["differs", "missing", "stale"]);
        let text = describe(&drift, &dir);
        assert!(text.contains("-old\n+new"), "{text}");
        assert!(
            text.contains("not generated any more (remove it): stale.txt"),
            "{text}"
        );

        apply(&drift).unwrap();
        assert!(compare(&files, std::slice::from_ref(&dir)).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn crlf_line_ends_are_not_drift_but_other_bytes_are() {
        assert!(same_text(b"a\r\nb\r\n", "a\nb\n"));
        assert!(same_text(b"a\nb\n", "a\nb\n"));
        assert!(!same_text(b"a\r\nc\r\n", "a\nb\n"));
        assert!(!same_text(b"a\rb", "a\nb"), "a lone CR is not a line end");
        assert!(!same_text(b"a\r\n\xff", "a\n\u{fffd}"), "not UTF-8");
    }
}
