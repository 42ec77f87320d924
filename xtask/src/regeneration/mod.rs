//! After `cargo xtask codegen` has written the workspace crates: what
//! triggered the change against the last commit (a new spec, a changed
//! generator, or both), whether it is documentation only, whether every
//! workspace crate still builds against the new client, the semver verdict,
//! and the changelog fragment that records it (see `changelog::fragments`).
//!
//! The files are written by then, so git or cargo failing here is said
//! ("not judged: why") and never fails the run.

pub mod build_check;
pub mod committed;
pub mod trigger;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use committed::Committed;
use trigger::Trigger;

use crate::change_summary::Changes;
use crate::changelog::{self, fragments};
use crate::freshness::OutputFile;
use crate::layout::{CLIENT_CRATE, HTTPMOCK_CRATE};
use crate::semver::source_change::{self, SourceChange};
use crate::semver::workspace::{JUDGED, subject};
use crate::semver::{Verdict, judge, tool};

/// A regeneration of the workspace crates, as written.
pub struct Regeneration<'a> {
    pub root: &'a Path,
    /// The spec's file name, as the changelog names it.
    pub spec_file: &'a str,
    pub spec_text: &'a str,
    /// The overlay applied to the spec (its file name and text), if any:
    /// a new overlay is a new spec as much as a new `openapi.yaml` is.
    pub overlay: Option<(&'a str, &'a str)>,
    /// Every file generated, with absolute paths.
    pub files: &'a [OutputFile],
    /// The change summary against the same commit.
    pub changes: &'a Changes,
    /// Generates the workspace crates from another spec text with the same
    /// generator (the committed spec, to tell whether the generator
    /// changed).
    pub regenerate: &'a dyn Fn(&str) -> Result<Vec<OutputFile>, String>,
    /// Where cargo builds; the workspace's own target dir when `None`.
    pub target_dir: Option<&'a Path>,
}

/// Judges `regeneration` against `committed` (or says why it cannot),
/// prints the verdict and records it in a changelog fragment; when the
/// crates equal the commit, removes the fragments of earlier uncommitted
/// runs instead.
///
/// # Errors
///
/// Only when the fragments cannot be listed, written or removed.
pub fn judge_and_record(
    regeneration: &Regeneration<'_>,
    committed: Result<&Committed, &str>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let root = regeneration.root;
    let committed = match committed {
        Ok(committed) => committed,
        Err(why) => {
            let _ = writeln!(
                out,
                "semver: not judged: {why}; no changelog fragment written"
            );
            return Ok(());
        }
    };
    if committed.holds_exactly(root, regeneration.files) {
        let _ = writeln!(
            out,
            "semver: the generated crates are unchanged against {}; nothing to judge",
            committed.rev
        );
        // A regeneration recorded earlier and undone since leaves no
        // fragment.
        for path in fragments::forget(root)? {
            let _ = writeln!(
                out,
                "changelog: removed {}, written for a regeneration undone since",
                relative(root, &path)
            );
        }
        return Ok(());
    }

    let mut inputs_changed = Vec::new();
    if committed.spec() != Some(regeneration.spec_text) {
        inputs_changed.push(regeneration.spec_file);
    }
    if committed.overlay() != regeneration.overlay.map(|(_, text)| text) {
        inputs_changed.push(
            regeneration
                .overlay
                .map_or(crate::overlay::OVERLAY_FILE, |(name, _)| name),
        );
    }
    let trigger = Trigger::find(!inputs_changed.is_empty(), || {
        let spec = committed
            .spec()
            .ok_or("no generated crate is committed to compare with")?;
        let files = (regeneration.regenerate)(spec)
            .map_err(|e| format!("the committed spec no longer generates: {e}"))?;
        Ok(committed.holds_exactly(root, &files))
    });
    let source_change = source_change_of(regeneration, committed);
    let released = std::fs::read_to_string(root.join("CHANGELOG.md"))
        .is_ok_and(|text| changelog::has_release(&text));
    let (verdicts, not_judged) = if source_change == SourceChange::Code {
        verdicts(regeneration, &committed.rev, out)
    } else {
        // The crates' code is the committed code: nothing can break or be
        // added, and there is nothing for cargo to find.
        let docs = JUDGED
            .iter()
            .map(|(package, _)| Verdict::documentation_only(package, &committed.rev))
            .collect();
        (docs, None)
    };
    let verdicts: Vec<Verdict> = verdicts
        .into_iter()
        .map(|verdict| verdict.unless_released(released))
        .collect();
    for verdict in &verdicts {
        let _ = write!(out, "{verdict}");
    }
    if let Some(why) = &not_judged {
        let _ = writeln!(out, "semver: not judged: {why}");
    }

    let inputs = if inputs_changed.is_empty() {
        vec![regeneration.spec_file]
    } else {
        inputs_changed
    };
    let trigger = trigger.describe(&inputs);
    let entry = changelog::Entry {
        crate_name: CLIENT_CRATE,
        trigger: &trigger,
        changes: regeneration.changes,
        verdicts: &verdicts,
        // The entry says why in one line.
        not_judged: not_judged
            .as_deref()
            .and_then(|why| why.lines().next())
            .map(|why| why.trim_end_matches('.')),
        released,
    };
    let name = fragments::codegen_name(root, regeneration.files);
    let (recorded, removed) = fragments::record(root, &name, &entry.render())?;
    for path in removed {
        let _ = writeln!(
            out,
            "changelog: removed {}, written by an earlier run",
            relative(root, &path)
        );
    }
    let _ = match recorded {
        fragments::Recorded::Written(path) => writeln!(
            out,
            "semver: regenerated {trigger}; recorded in {} (a release assembles it into \
             CHANGELOG.md); review it and commit it with the crates",
            relative(root, &path)
        ),
        fragments::Recorded::Committed(path) => writeln!(
            out,
            "semver: regenerated {trigger}; {} records this same output and is committed, so \
             it is left as it is: record what changed since by hand",
            relative(root, &path)
        ),
    };
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// How the generated crates' sources changed against the commit.
fn source_change_of(regeneration: &Regeneration<'_>, committed: &Committed) -> SourceChange {
    [CLIENT_CRATE, HTTPMOCK_CRATE]
        .iter()
        .map(|name| {
            let dir = PathBuf::from("crates").join(name);
            let planned: Vec<source_change::File> = regeneration
                .files
                .iter()
                .filter_map(|file| {
                    let relative = file.path.strip_prefix(regeneration.root.join(&dir)).ok()?;
                    Some((relative.to_path_buf(), file.contents.clone().into_bytes()))
                })
                .collect();
            source_change::classify(&committed.crate_files(&dir), &planned)
        })
        .max()
        .unwrap_or(SourceChange::Unchanged)
}

/// The build check, then cargo-semver-checks on the judged crates that
/// still build; and why some or all were not judged.
fn verdicts(
    regeneration: &Regeneration<'_>,
    rev: &str,
    out: &mut dyn Write,
) -> (Vec<Verdict>, Option<String>) {
    let root = regeneration.root;
    let _ = writeln!(
        out,
        "build: checking every workspace crate that uses {CLIENT_CRATE} against it (cargo check)"
    );
    let broken = match build_check::check(root, CLIENT_CRATE, regeneration.target_dir) {
        Ok(broken) => broken,
        Err(why) => {
            let _ = writeln!(out, "build: not checked: {why}");
            Vec::new()
        }
    };
    if broken.is_empty() {
        let _ = writeln!(out, "build: every workspace crate builds against it");
    }
    for crate_ in &broken {
        let _ = writeln!(
            out,
            "build: {} does not build against the regenerated client; fix it in this same commit \
             ({} error(s); the first:)",
            crate_.package, crate_.total
        );
        for error in &crate_.errors {
            let _ = writeln!(out, "  {error}");
        }
    }

    let tool = tool::require();
    if tool.is_ok() {
        let _ = writeln!(
            out,
            "semver: judging the change against {rev} with cargo-semver-checks (it documents both \
             versions: minutes the first time, seconds after)"
        );
    }
    let mut verdicts = Vec::new();
    let mut not_judged: Vec<String> = Vec::new();
    if let Err(why) = &tool {
        not_judged.push(why.clone());
    }
    for (package, dir) in JUDGED {
        if let Some(crate_) = broken.iter().find(|b| b.package == *package) {
            verdicts.push(Verdict::does_not_build(package, rev, crate_.errors.clone()));
            continue;
        }
        if tool.is_err() {
            continue;
        }
        match judge(&subject(root, package, dir, rev, regeneration.target_dir)) {
            Ok(verdict) if *package == CLIENT_CRATE => {
                let dependents = broken
                    .iter()
                    .filter(|b| b.package != CLIENT_CRATE)
                    .map(|b| b.package.clone())
                    .collect();
                verdicts.push(verdict.with_broken_dependents(dependents));
            }
            Ok(verdict) => verdicts.push(verdict),
            Err(why) => not_judged.push(format!("{package}: {why}")),
        }
    }
    let not_judged = (!not_judged.is_empty()).then(|| not_judged.join("; "));
    (verdicts, not_judged)
}
