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
    use std::process::Command;

    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let output = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    #[test]
    fn a_base_this_clone_does_not_have_fails_saying_how_to_fix_it() {
        let scratch =
            std::env::temp_dir().join(format!("xtask-semver-base-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let repo = scratch.join("repo");
        std::fs::create_dir_all(repo.join(".ci")).unwrap();
        git(&repo, &["init", "-q"]);
        std::fs::write(repo.join("a.txt"), "one\n").unwrap();
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-qm", "the base"]);
        let base = git(&repo, &["rev-parse", "HEAD"]);
        std::fs::write(repo.join(FILE), "# the base\n# (a comment)\nffff\n").unwrap();
        write(&repo, &base).unwrap();
        assert_eq!(
            std::fs::read_to_string(repo.join(FILE)).unwrap(),
            format!("# the base\n# (a comment)\n{base}\n")
        );
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-qm", "a later commit"]);
        assert_eq!(resolve(&repo).unwrap(), base);

        // A clone of the last commit only.
        let shallow = scratch.join("shallow");
        let url = format!("file://{}", repo.display());
        git(&scratch, &["clone", "-q", "--depth", "1", &url, "shallow"]);
        let error = resolve(&shallow).unwrap_err();
        assert!(
            error.contains(&format!("the semver base {base}")),
            "{error}"
        );
        assert!(error.contains("(this clone is shallow)"), "{error}");
        assert!(error.contains("git fetch --unshallow"), "{error}");
        std::fs::remove_file(shallow.join(FILE)).unwrap();
        let error = resolve(&shallow).unwrap_err();
        assert!(error.contains("cannot read the semver base"), "{error}");
        std::fs::remove_dir_all(&scratch).unwrap();
    }

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
