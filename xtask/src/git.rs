//! The git queries the xtask makes of the workspace: what a revision
//! holds. Every failure is a message saying which command failed and why,
//! for the caller to report ("not judged: ...") rather than to stop on.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// `git show REV:./PATH`: a committed file's text, `path` relative to
/// `root` (which need not be the repository's top: the workspace may sit in
/// a larger repository).
pub fn show(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    output(root, &["show", &format!("{rev}:./{path}")])
}

/// The committed text of each of `paths` (relative to `root`) at `rev`, read
/// by one `git cat-file --batch` rather than a `git show` each.
pub fn show_all(root: &Path, rev: &str, paths: &[String]) -> Result<Vec<String>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let requests: String = paths
        .iter()
        .map(|path| format!("{rev}:./{path}\n"))
        .collect();
    let mut stdin = child.stdin.take().ok_or("git cat-file has no stdin")?;
    // Written from another thread: git answers while it reads, and would
    // fill its stdout pipe before reading all the requests.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("git cat-file failed: {e}"))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(format!(
            "`git cat-file --batch` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut rest = output.stdout.as_slice();
    let mut texts = Vec::with_capacity(paths.len());
    for path in paths {
        // `<id> blob <size>\n<contents>\n`, or `<request> missing\n`.
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("git cat-file's answer ended early")?;
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let size: usize = match header.split(' ').collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size
                .parse()
                .map_err(|_| format!("git cat-file said `{header}`"))?,
            _ => return Err(format!("`{rev}:{path}`: git cat-file said `{header}`")),
        };
        let contents = rest
            .get(..size)
            .ok_or("git cat-file's answer ended early")?;
        texts.push(String::from_utf8_lossy(contents).into_owned());
        rest = rest.get(size + 1..).unwrap_or_default();
    }
    Ok(texts)
}

/// The full commit id `rev` names.
pub fn commit(root: &Path, rev: &str) -> Result<String, String> {
    output(
        root,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .map(|s| s.trim().to_owned())
}

/// Whether the repository holding `root` is a shallow clone.
pub fn is_shallow(root: &Path) -> Result<bool, String> {
    output(root, &["rev-parse", "--is-shallow-repository"]).map(|s| s.trim() == "true")
}

/// The files under `dir` (relative to `root`) that git tracks, relative to
/// `root`.
pub fn tracked(root: &Path, dir: &str) -> Result<Vec<String>, String> {
    Ok(output(root, &["ls-files", "-z", "--", dir])?
        .split('\0')
        .filter(|path| !path.is_empty())
        .map(str::to_owned)
        .collect())
}

/// The files under `dirs` (relative to `root`) at `rev`, relative to
/// `root`.
pub fn files_at(root: &Path, rev: &str, dirs: &[&str]) -> Result<Vec<String>, String> {
    let mut args = vec!["ls-tree", "-r", "--name-only", rev, "--"];
    args.extend(dirs);
    Ok(output(root, &args)?.lines().map(str::to_owned).collect())
}

fn output(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_committed_files_in_one_batch() {
        let root = std::env::temp_dir().join(format!("xtask-git-batch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("dir")).unwrap();
        std::fs::write(root.join("dir/a.txt"), "first\nline two\n").unwrap();
        std::fs::write(root.join("b.txt"), "").unwrap();
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
        let paths = vec!["dir/a.txt".to_owned(), "b.txt".to_owned()];
        assert_eq!(
            show_all(&root, "HEAD", &paths).unwrap(),
            ["first\nline two\n", ""]
        );
        let err = show_all(&root, "HEAD", &["gone.txt".to_owned()]).unwrap_err();
        assert!(err.contains("missing"), "{err}");
        assert_eq!(files_at(&root, "HEAD", &["dir"]).unwrap(), ["dir/a.txt"]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
