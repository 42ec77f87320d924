//! The semver base: the commit every later commit is judged against by the
//! semver step of CI (the last release), recorded in [`FILE`].

use std::path::Path;

use crate::git;

/// Where the base is recorded, relative to the workspace root: comment
/// lines (`#`), then the commit id.
pub const FILE: &str = ".ci/semver-base";

/// The commit id recorded in `text`.
fn parse(text: &str) -> Result<String, String> {
    let mut ids = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'));
    match (ids.next(), ids.next()) {
        (Some(id), None) if id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(id.to_owned())
        }
        _ => Err(format!(
            "{FILE} must hold one full commit id (40 hex digits) after its comments"
        )),
    }
}

/// The recorded base, as a commit of the repository at `root`.
///
/// # Errors
///
/// When the file is missing or malformed, or the commit is not in this
/// clone's history: loudly, with how to fix it, because judging fewer
/// commits than the base's would pass what it should judge.
pub fn resolve(root: &Path) -> Result<String, String> {
    let path = root.join(FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read the semver base {}: {e}", path.display()))?;
    let id = parse(&text)?;
    git::commit(root, &id).map_err(|why| {
        let shallow = match git::is_shallow(root) {
            Ok(true) => " (this clone is shallow)",
            _ => "",
        };
        format!(
            "the semver base {id}, recorded in {FILE}, is not in this clone's history{shallow}, so \
             the commits since it cannot be judged: fetch the full history (`git fetch \
             --unshallow`, or clone without --depth) and run again ({why})"
        )
    })
}

/// Records `commit` as the base, keeping the file's comments.
///
/// # Errors
///
/// When the file cannot be read or written.
pub fn write(root: &Path, commit: &str) -> Result<(), String> {
    let path = root.join(FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out: String = text
        .lines()
        .filter(|line| line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    out.push_str(commit);
    out.push('\n');
    std::fs::write(&path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_holds_one_commit_after_its_comments() {
        let id = "cfdf855be7ff6e5ad11cb70c9b083a05e26152e5";
        assert_eq!(parse(&format!("# what it is\n#\n{id}\n")).unwrap(), id);
        for bad in ["# nothing\n", "cfdf855\n", &format!("{id}\n{id}\n")] {
            let error = parse(bad).unwrap_err();
            assert!(error.contains("one full commit id"), "{error}");
        }
    }

    #[test]
    fn the_committed_base_is_well_formed() {
        let text = std::fs::read_to_string(crate::layout::workspace_root().join(FILE)).unwrap();
        parse(&text).unwrap();
    }
}
