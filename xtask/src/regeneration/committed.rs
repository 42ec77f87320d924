//! What the last commit holds of the generated crates: every file, the spec
//! they were generated from and the document progenitor read. The baseline
//! of the change summary, of the trigger and of the verdict: comparing with
//! the files on disk would make a second run after a spec change report no
//! change at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::freshness::OutputFile;
use crate::git;
use crate::layout::{CLIENT_CRATE, HTTPMOCK_CRATE};

/// The generated crates at a revision.
#[derive(Debug)]
pub struct Committed {
    pub rev: String,
    /// Every committed file of the generated crates, by path relative to
    /// the workspace root, with LF line ends.
    pub files: BTreeMap<PathBuf, String>,
}

/// The committed copy of the spec, relative to the root.
fn spec_path() -> PathBuf {
    Path::new("crates")
        .join(CLIENT_CRATE)
        .join("openapi/openapi.yaml")
}

fn normalized_path() -> PathBuf {
    Path::new("crates")
        .join(CLIENT_CRATE)
        .join("openapi/normalized.json")
}

impl Committed {
    /// Reads the generated crates of the workspace at `root` at `rev`; at a
    /// revision without them (before the first generation), no file.
    ///
    /// # Errors
    ///
    /// When git cannot read the revision (not a repository, no commit yet).
    pub fn at(root: &Path, rev: &str) -> Result<Self, String> {
        let dirs = [
            format!("crates/{CLIENT_CRATE}"),
            format!("crates/{HTTPMOCK_CRATE}"),
        ];
        let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
        let paths = git::files_at(root, rev, &dirs)?;
        let texts = git::show_all(root, rev, &paths)?;
        let files: BTreeMap<PathBuf, String> = paths
            .into_iter()
            .zip(texts)
            .map(|(path, text)| (PathBuf::from(path), text.replace("\r\n", "\n")))
            .collect();
        Ok(Committed {
            rev: rev.to_owned(),
            files,
        })
    }

    /// The committed spec, if any.
    pub fn spec(&self) -> Option<&str> {
        self.files.get(&spec_path()).map(String::as_str)
    }

    /// The committed copy of the overlay applied to the spec, if any.
    pub fn overlay(&self) -> Option<&str> {
        let path = Path::new("crates")
            .join(CLIENT_CRATE)
            .join("openapi")
            .join(crate::overlay::OVERLAY_FILE);
        self.files.get(&path).map(String::as_str)
    }

    /// The committed document progenitor read, if any (and if it is JSON).
    pub fn normalized(&self) -> Option<Value> {
        let text = self.files.get(&normalized_path())?;
        serde_json::from_str(text).ok()
    }

    /// Whether `files` (with absolute paths under `root`) are exactly the
    /// committed ones: the same paths, the same text.
    pub fn holds_exactly(&self, root: &Path, files: &[OutputFile]) -> bool {
        files.len() == self.files.len()
            && files.iter().all(|file| {
                let relative = file.path.strip_prefix(root).unwrap_or(&file.path);
                self.files.get(relative) == Some(&file.contents)
            })
    }

    /// The committed files of the crate in `dir` (relative to the root), by
    /// path relative to the crate, for [`crate::semver::source_change`].
    pub fn crate_files(&self, dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        self.files
            .iter()
            .filter_map(|(path, text)| {
                let relative = path.strip_prefix(dir).ok()?;
                Some((relative.to_path_buf(), text.clone().into_bytes()))
            })
            .collect()
    }
}
