//! The corpus's crates as one cargo workspace: one lock file and one target
//! dir, so that their dependencies compile once, and one `cargo build` of
//! them all, so that cargo builds two crates at a time (a crate of
//! megabytes spends most of its build in rustc's single-threaded front
//! end, which left the second core idle when they were built one by one).
//! Then each crate's doctests, two crates at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::compiler_errors::{self, BrokenCrate};

/// A written workspace of generated crates.
pub struct Workspace {
    manifest: PathBuf,
    target_dir: PathBuf,
    members: Vec<String>,
}

/// Per crate: built (and its doctests passed), or why not.
pub type Results = BTreeMap<String, Result<(), String>>;

impl Workspace {
    /// Writes `out/Cargo.toml` (members: the crates in `out/<member>`) and,
    /// unless there is one, `out/Cargo.lock` from the SDK's own lock file,
    /// so the crates build with the versions the SDK is tested with.
    pub fn write(out: &Path, root: &Path, members: &[String]) -> Result<Self, String> {
        let manifest = out.join("Cargo.toml");
        let listed: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
        let text = format!(
            "# Written by `cargo xtask corpus`: the crates it generated, built as one workspace.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n\n\
             # These crates are built once and never debugged: debug info and incremental\n\
             # state would be most of the time and disk their build takes.\n\
             [profile.dev]\ndebug = false\nincremental = false\n",
            listed.join("\n")
        );
        std::fs::create_dir_all(out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        std::fs::write(&manifest, text)
            .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
        let lock = out.join("Cargo.lock");
        if !lock.exists() {
            std::fs::copy(root.join("Cargo.lock"), &lock)
                .map_err(|e| format!("cannot seed {}: {e}", lock.display()))?;
        }
        Ok(Workspace {
            manifest,
            target_dir: out.join("target"),
            members: members.to_vec(),
        })
    }

    /// `cargo check` of every crate.
    pub fn check(&self) -> Result<Results, String> {
        self.compile("check", &[])
    }

    /// `cargo build` of every crate's library, then the doctests of those
    /// that built, two crates at a time (rustdoc reads a whole crate, a
    /// single-threaded minute on the largest): spec descriptions hold
    /// Markdown code fences and HTML, which must not become doctests that
    /// fail. The members depend on the same crates with the same features,
    /// so `--package X` resolves what the workspace build did and builds
    /// nothing again.
    pub fn doctest(&self) -> Result<Results, String> {
        let mut results = self.compile("build", &["--lib"])?;
        let built: Vec<&String> = self
            .members
            .iter()
            .filter(|m| results.get(*m).is_some_and(Result::is_ok))
            .collect();
        let clock = Instant::now();
        let next = AtomicUsize::new(0);
        let doctested: Mutex<Vec<(String, Result<(), String>)>> = Mutex::new(Vec::new());
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while let Some(member) = built.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let result = self.doctest_one(member);
                        doctested
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(((*member).clone(), result));
                    }
                });
            }
        });
        for (member, result) in doctested
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            results.insert(member, result);
        }
        println!(
            "  cargo test --doc of {} crate(s) in {:.0}s",
            built.len(),
            clock.elapsed().as_secs_f64()
        );
        Ok(results)
    }

    fn doctest_one(&self, member: &str) -> Result<(), String> {
        let clock = Instant::now();
        let output = self
            .cargo(&["test", "--doc", "--quiet", "--package", member])
            .output()
            .map_err(|e| format!("cannot run cargo test: {e}"))?;
        if output.status.success() {
            println!(
                "  cargo test --doc of {member} passed in {:.0}s",
                clock.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        // A failing doctest is reported on stdout.
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let head: Vec<&str> = stderr.lines().chain(stdout.lines()).take(60).collect();
        println!(
            "  FAILED cargo test --doc of {member}:\n{}",
            head.join("\n")
        );
        Err(head.join("\n"))
    }

    /// `cargo SUBCOMMAND --workspace ARGS --keep-going`: each member's
    /// compiler errors, or `Ok` for those without.
    fn compile(&self, subcommand: &str, args: &[&str]) -> Result<Results, String> {
        let clock = Instant::now();
        let metadata = compiler_errors::metadata(&self.manifest, Some(&self.target_dir))?;
        let members = compiler_errors::members(&metadata);
        let output = self
            .cargo(&[
                subcommand,
                "--workspace",
                "--keep-going",
                "--message-format",
                "json",
            ])
            .args(args)
            .output()
            .map_err(|e| format!("cannot run cargo {subcommand}: {e}"))?;
        let broken: Vec<BrokenCrate> =
            compiler_errors::by_crate(&String::from_utf8_lossy(&output.stdout), &members);
        if !output.status.success() && broken.is_empty() {
            return Err(format!(
                "cargo {subcommand} failed with no compiler error: {}",
                compiler_errors::tail(&String::from_utf8_lossy(&output.stderr))
            ));
        }
        println!(
            "  cargo {subcommand} of {} crate(s) in {:.0}s, {} failed",
            self.members.len(),
            clock.elapsed().as_secs_f64(),
            broken.len()
        );
        let mut results: Results = self.members.iter().map(|m| (m.clone(), Ok(()))).collect();
        for crate_ in broken {
            let text = format!(
                "{} error(s), the first:\n{}",
                crate_.total,
                crate_.errors.join("\n")
            );
            println!("  FAILED cargo {subcommand} of {}: {text}", crate_.package);
            results.insert(crate_.package, Err(text));
        }
        Ok(results)
    }

    /// `cargo ARGS --manifest-path out/Cargo.toml`, building in the
    /// workspace's target dir.
    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = compiler_errors::cargo(Some(&self.target_dir));
        command
            .args(args)
            .arg("--manifest-path")
            .arg(&self.manifest);
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_lists_its_members_and_starts_from_the_sdk_lock_file() {
        let root = std::env::temp_dir().join(format!("xtask-corpus-ws-{}", std::process::id()));
        let out = root.join("out");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("Cargo.lock"), "# the SDK's lock\n").unwrap();
        let members = ["exa".to_owned(), "spec-1password".to_owned()];
        let workspace = Workspace::write(&out, &root, &members).unwrap();
        let manifest: toml::Table =
            toml::from_str(&std::fs::read_to_string(&workspace.manifest).unwrap()).unwrap();
        let listed = manifest["workspace"]["members"].as_array().unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].as_str(), Some("spec-1password"));
        assert_eq!(manifest["profile"]["dev"]["debug"].as_bool(), Some(false));
        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
            "# the SDK's lock\n"
        );
        // A lock file already there (from an earlier run) is kept.
        std::fs::write(out.join("Cargo.lock"), "# resolved\n").unwrap();
        Workspace::write(&out, &root, &members).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
            "# resolved\n"
        );
        assert_eq!(workspace.target_dir, out.join("target"));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
