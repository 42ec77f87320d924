//! What `cargo xtask codegen` says after a real regeneration, in a git
//! repository holding a copy of this workspace: the change against the
//! last commit, what triggered it, whether every crate still builds, the
//! verdict and the changelog fragment; that it never touches a committed
//! file (a fresh clone stays clean); and that it never fails after writing
//! because of git.
//!
//! Only the test of a spec edit that breaks moveworks-ext builds anything
//! (`cargo check` of the copy, and cargo-semver-checks when installed); the
//! others change documentation only, which needs neither.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::changelog::{self, fragments};
use xtask::codegen::{self, Options, Settings, Target, workspace_root};
use xtask::freshness;
use xtask::generate::rewrite::{REWRITES, Rewrite};

/// A copy of this workspace's tracked files, as they are on disk, in a git
/// repository with one commit.
struct Workspace {
    root: PathBuf,
}

/// Outside this repository (CARGO_TARGET_TMPDIR is inside it), so that a
/// copy without git is outside any repository.
fn copies() -> PathBuf {
    std::env::temp_dir().join(format!("xtask-regeneration-{}", std::process::id()))
}

/// Where the copies build, shared by every copy and every run, so
/// dependencies compile once.
fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("regeneration-target")
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=xtask test",
            "-c",
            "user.email=xtask@test.invalid",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `git status --porcelain` in `root`: empty when the work tree is clean.
fn git_status(root: &Path) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--untracked-files=all"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

impl Workspace {
    fn copy(name: &str, with_git: bool) -> Self {
        let source = workspace_root();
        let root = copies().join(name);
        let _ = std::fs::remove_dir_all(&root);
        let listed = Command::new("git")
            .arg("-C")
            .arg(&source)
            .args(["ls-files", "-z"])
            .output()
            .unwrap();
        assert!(
            listed.status.success(),
            "this workspace must be a git checkout"
        );
        for path in String::from_utf8(listed.stdout).unwrap().split('\0') {
            let from = source.join(path);
            if path.is_empty() || !from.is_file() {
                continue;
            }
            let to = root.join(path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&from, &to).unwrap();
        }
        if with_git {
            git(&root, &["init", "-q"]);
            git(&root, &["add", "-A"]);
            git(&root, &["commit", "-qm", "the workspace"]);
        }
        Workspace { root }
    }

    fn spec(&self) -> PathBuf {
        self.root.join("openapi.yaml")
    }

    fn edit_spec(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.spec()).unwrap();
        assert!(text.contains(from), "openapi.yaml no longer holds {from:?}");
        std::fs::write(self.spec(), text.replacen(from, to, 1)).unwrap();
    }

    /// `cargo xtask codegen` in the copy; whether it passed, and what it
    /// printed.
    fn codegen(&self, judge: bool) -> (bool, String) {
        self.codegen_from(self.spec(), judge)
    }

    /// [`Workspace::codegen`] from the spec at `spec`.
    fn codegen_from(&self, spec: PathBuf, judge: bool) -> (bool, String) {
        let options = Options {
            spec,
            target: Target::Workspace {
                root: self.root.clone(),
            },
            check: false,
            semver: judge,
            target_dir: Some(target_dir()),
        };
        let mut out = Vec::new();
        let passed = codegen::run_to(&options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        println!("{text}");
        (passed, text)
    }

    /// The names of the changelog fragments.
    fn fragments(&self) -> Vec<String> {
        fragments::list(&self.root)
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// What codegen recorded: the one fragment there is.
    fn recorded(&self) -> String {
        let texts = fragments::texts(&self.root).unwrap();
        assert_eq!(texts.len(), 1, "{texts:?}");
        texts[0].clone()
    }

    /// Writes the workspace crates as a generator without `left_out` makes
    /// them, and commits them: the committed output of an older generator.
    fn commit_generated_without(&self, left_out: &str) {
        let rewrites: Vec<Rewrite> = REWRITES
            .iter()
            .copied()
            .filter(|r| r.name != left_out)
            .collect();
        assert!(
            rewrites.len() < REWRITES.len(),
            "no rewrite named {left_out}"
        );
        let manifest = std::fs::read_to_string(self.root.join("Cargo.toml")).unwrap();
        let spec = std::fs::read_to_string(self.spec()).unwrap();
        let target = Target::Workspace {
            root: self.root.clone(),
        };
        let settings = Settings {
            rewrites: &rewrites,
            ..Settings::default()
        };
        let plan = codegen::plan_with(&spec, "openapi.yaml", &target, &manifest, settings).unwrap();
        let drift = freshness::compare(&plan.files, &plan.owned_dirs);
        assert!(
            !drift.is_empty(),
            "leaving out {left_out} changes nothing in the output"
        );
        freshness::apply(&drift).unwrap();
        git(
            &self.root,
            &["commit", "-qam", "generated by an older generator"],
        );
    }
}

impl Drop for Workspace {
    /// A failed test leaves its copy to look at.
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

const DESCRIPTION: (&str, &str) = (
    "description: Feedback submission status",
    "description: Where the feedback submission stands",
);

#[test]
fn a_documentation_edit_needs_no_release_and_the_changelog_says_so() {
    let workspace = Workspace::copy("docs-only", true);
    workspace.edit_spec(DESCRIPTION.0, DESCRIPTION.1);
    let (passed, out) = workspace.codegen(true);
    assert!(passed);
    assert!(out.contains("documentation only 1 ("), "{out}");
    assert!(
        out.contains(
            "semver: moveworks-api against HEAD: none: documentation only; no release needed"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "semver: moveworks-ext against HEAD: none: documentation only; no release needed"
        ),
        "{out}"
    );
    assert!(!out.contains("release 0."), "no release is advised: {out}");
    assert!(!out.contains("build: checking"), "nothing to build: {out}");
    let recorded = workspace.recorded();
    assert!(
        recorded.starts_with(
            "- `moveworks-api` regenerated from a new `openapi.yaml` (semver: **none**: \
             documentation only, no release needed).\n"
        ),
        "{recorded}"
    );
}

/// One fragment per change against HEAD: a rerun rewrites it, another
/// result replaces it, undoing the change removes it; a committed fragment
/// and CHANGELOG.md are never touched.
#[test]
fn codegen_keeps_one_fragment_and_touches_no_committed_file() {
    let workspace = Workspace::copy("fragments", true);
    let changelog = || std::fs::read_to_string(workspace.root.join("CHANGELOG.md")).unwrap();
    let before = changelog();
    workspace.edit_spec(DESCRIPTION.0, DESCRIPTION.1);
    let (_, out) = workspace.codegen(true);
    let first = workspace.fragments();
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        out.contains(&format!("recorded in .changelog/{}", first[0])),
        "{out}"
    );
    let text = workspace.recorded();
    workspace.codegen(true);
    assert_eq!(workspace.fragments(), first);
    assert_eq!(workspace.recorded(), text);

    // Another result: its own fragment, and the earlier one goes.
    workspace.edit_spec(DESCRIPTION.1, "description: The feedback's status");
    let (_, out) = workspace.codegen(true);
    let second = workspace.fragments();
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(second, first);
    assert!(
        out.contains(&format!("changelog: removed .changelog/{}", first[0])),
        "{out}"
    );

    // Committed, it stays as it is through later runs.
    git(&workspace.root, &["add", "-A"]);
    git(&workspace.root, &["commit", "-qm", "a spec change"]);
    let committed = workspace.recorded();
    workspace.edit_spec("description: The feedback's status", DESCRIPTION.1);
    workspace.codegen(true);
    let both = workspace.fragments();
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&second[0]), "{both:?}");
    git(&workspace.root, &["checkout", "-q", "--", "openapi.yaml"]);
    let (_, out) = workspace.codegen(true);
    assert!(
        out.contains("unchanged against HEAD; nothing to judge"),
        "{out}"
    );
    assert!(out.contains("changelog: removed .changelog/"), "{out}");
    assert_eq!(workspace.fragments(), second);
    assert_eq!(
        std::fs::read_to_string(workspace.root.join(".changelog").join(&second[0])).unwrap(),
        committed
    );
    assert_eq!(git_status(&workspace.root), "");
    assert_eq!(changelog(), before);
}

#[test]
fn the_summary_compares_with_the_last_commit_on_every_run() {
    let workspace = Workspace::copy("twice", true);
    workspace.edit_spec(
        "    Conversation:\n      type: object\n      properties:\n",
        "    Conversation:\n      type: object\n      properties:\n        language:\n          type: string\n",
    );
    for run in ["first", "second"] {
        let (passed, out) = workspace.codegen(false);
        assert!(passed);
        assert!(
            out.contains("changes against HEAD: \n    operations: unchanged\n    types: changed 1 (Conversation)"),
            "{run} run: {out}"
        );
    }
}

#[test]
fn a_generator_change_is_recorded_as_one() {
    let workspace = Workspace::copy("generator-only", true);
    workspace.commit_generated_without("doc-comments");
    let (passed, out) = workspace.codegen(true);
    assert!(passed);
    assert!(
        out.contains("changes against HEAD: no operation or type changed"),
        "{out}"
    );
    let recorded = workspace.recorded();
    assert!(
        recorded.starts_with(
            "- `moveworks-api` regenerated by a changed generator, from the same `openapi.yaml` (semver:"
        ),
        "{recorded}"
    );
    assert!(!recorded.contains("from a new"), "{recorded}");
}

/// The README's first command on a fresh clone, after a generator change
/// was committed with what codegen recorded of it: nothing to do.
#[test]
fn a_committed_generator_change_leaves_a_fresh_clone_clean() {
    let workspace = Workspace::copy("clean-clone", true);
    workspace.commit_generated_without("doc-comments");
    workspace.codegen(true);
    assert_eq!(workspace.fragments().len(), 1);
    git(&workspace.root, &["add", "-A"]);
    git(&workspace.root, &["commit", "-qm", "a generator change"]);
    let (passed, out) = workspace.codegen(true);
    assert!(passed);
    assert!(out.contains("unchanged against HEAD"), "{out}");
    assert_eq!(git_status(&workspace.root), "", "{out}");
}

#[test]
fn a_new_spec_and_a_generator_change_are_both_recorded() {
    let workspace = Workspace::copy("both", true);
    workspace.commit_generated_without("doc-comments");
    workspace.edit_spec(DESCRIPTION.0, DESCRIPTION.1);
    let (_, out) = workspace.codegen(true);
    assert!(
        out.contains("regenerated from a new `openapi.yaml` and by a changed generator (both)"),
        "{out}"
    );
    assert!(
        workspace
            .recorded()
            .contains("regenerated from a new `openapi.yaml` and by a changed generator (both) ("),
        "{}",
        workspace.recorded()
    );
}

#[test]
fn without_git_codegen_writes_the_crates_and_says_why_it_did_not_judge() {
    let workspace = Workspace::copy("no-git", false);
    workspace.edit_spec(DESCRIPTION.0, DESCRIPTION.1);
    let (passed, out) = workspace.codegen(true);
    assert!(passed, "{out}");
    assert!(
        out.contains("changes against the files on disk (git: "),
        "{out}"
    );
    assert!(out.contains("semver: not judged: "), "{out}");
    assert!(out.contains("no changelog fragment written"), "{out}");
    assert_eq!(workspace.fragments(), Vec::<String>::new());
    let lib =
        std::fs::read_to_string(workspace.root.join("crates/moveworks-api/src/lib.rs")).unwrap();
    assert!(lib.contains("Where the feedback submission stands"));
}

#[test]
fn another_spec_in_workspace_mode_is_judged_against_the_committed_copy() {
    let workspace = Workspace::copy("other-spec", true);
    let other = workspace.root.join("next.yaml");
    let text = std::fs::read_to_string(workspace.spec()).unwrap();
    std::fs::write(&other, text.replacen(DESCRIPTION.0, DESCRIPTION.1, 1)).unwrap();
    let (passed, out) = workspace.codegen_from(other, true);
    assert!(passed);
    assert!(out.contains("none: documentation only"), "{out}");
    assert!(
        workspace
            .recorded()
            .contains("regenerated from a new `next.yaml`")
    );
}

/// A request type becomes a union: `UserInput::new`, which moveworks-ext
/// calls, is gone. (Should moveworks-ext stop calling it, pick another
/// request type it builds with `new`.)
#[test]
fn a_spec_edit_that_breaks_moveworks_ext_is_reported_with_the_error() {
    let workspace = Workspace::copy("breaks-ext", true);
    workspace.edit_spec(
        "    UserInput:\n      type: object\n      properties:\n        text:\n          type: string\n          description: User message text\n      required:\n        - text\n",
        "    UserInput:\n      oneOf:\n        - type: object\n          properties:\n            text:\n              type: string\n          required:\n            - text\n        - type: object\n          properties:\n            audio_url:\n              type: string\n          required:\n            - audio_url\n",
    );
    let (passed, out) = workspace.codegen(true);
    assert!(passed, "codegen itself succeeds: {out}");
    assert!(out.contains("types: changed"), "{out}");
    assert!(
        out.contains(
            "build: moveworks-ext does not build against the regenerated client; fix it in this same commit"
        ),
        "{out}"
    );
    let error = out
        .lines()
        .find(|line| {
            line.trim_start().starts_with("error") && line.contains("(crates/moveworks-ext/src/")
        })
        .unwrap_or_else(|| panic!("no error with its file: {out}"));
    let location = error.rsplit_once('(').unwrap().1;
    let line = location.trim_end_matches(')').rsplit_once(':').unwrap().1;
    assert!(line.parse::<u32>().is_ok(), "no line number in {error}");
    assert!(
        out.contains("semver: moveworks-ext against HEAD: BREAKING: it no longer builds against the regenerated client"),
        "{out}"
    );
    assert!(!out.contains("moveworks-ext against HEAD: none"), "{out}");
    assert!(!out.contains("no change"), "{out}");
    let recorded = workspace.recorded();
    assert!(recorded.contains("(semver: **breaking**"), "{recorded}");
    assert!(
        recorded.contains("`moveworks-ext` did not build against the regenerated client"),
        "{recorded}"
    );
    assert!(changelog::records_breaking_change("", &[recorded]));
}
