//! `cargo xtask corpus`: generate a client crate from every public OpenAPI
//! 3.1 spec of the test corpus and `cargo check` each, to show the
//! generator takes real-world specs and not only Moveworks'.
//!
//! The corpus is third-party text under its own licenses, so it is never
//! copied into the repository: it is read where it lies, beside the project
//! (`<root>/../shared/specs/corpus`) or where `MOVEWORKS_CORPUS_DIR` says.
//! The crates are built as one workspace (`workspace.rs`), so that their
//! common dependencies compile once and cargo builds two crates at a time.

mod workspace;

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::codegen::{self, Settings, Target};
use crate::generate::format::Formatting;
use crate::{freshness, json_pointer, normalize};

/// The variable that points at the corpus instead of the default place.
pub const CORPUS_DIR_VAR: &str = "MOVEWORKS_CORPUS_DIR";

/// Skipping this share of the corpus's operations or more fails the run.
/// What is still skipped is multipart/form-data request bodies, which
/// progenitor has no client method for.
const MAX_SKIPPED_PERCENT: f64 = 1.0;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where the crates are written (default `<root>/target/corpus`).
    pub out: Option<PathBuf>,
    /// Only the specs whose file name contains one of these.
    pub only: Vec<String>,
    /// Generate only; do not run `cargo check`.
    pub no_check: bool,
    /// Run each crate's doctests (`cargo test --doc`, which builds it)
    /// instead of `cargo check`: descriptions hold Markdown code blocks,
    /// which must not become Rust doctests that fail.
    pub doctest: bool,
    /// More directories of specs, generated and built with the corpus (CI
    /// adds the Moveworks specs of `xtask/tests/specs`).
    pub also: Vec<PathBuf>,
}

/// Where the corpus is: the variable if set, else beside the workspace.
pub fn corpus_dir(root: &Path) -> PathBuf {
    match std::env::var_os(CORPUS_DIR_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => root.join("..").join("shared").join("specs").join("corpus"),
    }
}

/// The spec files of `dir` (`*.openapi.yaml`, `*.openapi.json`), by name.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "the OpenAPI corpus is not at {} ({e}); put it there (CI clones it beside the \
             project as ../shared/specs/corpus) or set {CORPUS_DIR_VAR} to its directory",
            dir.display()
        )
    })?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.ends_with(".openapi.yaml") || n.ends_with(".openapi.json"))
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!(
            "no *.openapi.yaml or *.openapi.json file in {} (set {CORPUS_DIR_VAR} to the corpus)",
            dir.display()
        ));
    }
    Ok(specs)
}

/// The crate name for a spec file: `adyen-checkout.openapi.yaml` ->
/// `adyen-checkout`, prefixed when it does not start with a letter.
pub fn crate_name(spec: &Path) -> String {
    let file = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file.split(".openapi.").next().unwrap_or(&file);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("spec-{name}")
    }
}

/// What happened to one spec.
struct Outcome {
    name: String,
    generated: Result<Generated, String>,
    check: Option<Result<(), String>>,
}

struct Generated {
    operations: usize,
    /// Unions given a catch-all variant (see `open_unions`).
    open_unions: usize,
    skipped: Vec<String>,
    untyped: Vec<String>,
    warnings: usize,
    seconds: f64,
}

pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let root = codegen::workspace_root();
    let dir = corpus_dir(&root);
    let mut specs = spec_files(&dir)?;
    for extra in &options.also {
        specs.extend(spec_files(extra)?);
    }
    if !options.only.is_empty() {
        specs.retain(|s| {
            let name = crate_name(s);
            options.only.iter().any(|o| name.contains(o.as_str()))
        });
    }
    let mut names: Vec<String> = specs.iter().map(|s| crate_name(s)).collect();
    names.sort();
    if let Some(twice) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("two specs give the crate name `{}`", twice[0]));
    }
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join("target").join("corpus"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    println!("corpus: {} spec(s) from {}", specs.len(), dir.display());

    // Two specs (one per core) at a time: each generation is one thread's
    // work, and progenitor's runs no longer take turns.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Outcome>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(specs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let work = || {
                while let Some(spec) = specs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let name = crate_name(spec);
                    let generated = generate_one(spec, &name, &out.join(&name), &manifest);
                    print!("{}", describe(&name, &generated));
                    let outcome = Outcome {
                        name,
                        generated,
                        check: None,
                    };
                    results
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(outcome);
                }
            };
            let spawned = std::thread::Builder::new()
                .stack_size(codegen::STACK_BYTES)
                .spawn_scoped(scope, work);
            if let Err(e) = spawned {
                eprintln!("corpus: cannot start a generation thread: {e}");
            }
        }
    });
    let mut outcomes = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    outcomes.sort_by(|a, b| a.name.cmp(&b.name));
    println!(
        "corpus: generated in {:.0}s",
        started.elapsed().as_secs_f64()
    );

    if !options.no_check {
        let members: Vec<String> = outcomes
            .iter()
            .filter(|o| o.generated.is_ok())
            .map(|o| o.name.clone())
            .collect();
        let built = workspace::Workspace::write(&out, &root, &members)?;
        let results = if options.doctest {
            built.doctest()?
        } else {
            built.check()?
        };
        for outcome in &mut outcomes {
            if let Some(result) = results.get(&outcome.name) {
                outcome.check = Some(result.clone());
            }
        }
    }
    let summary = summarize(&outcomes, started.elapsed().as_secs_f64());
    print!("{summary}");
    if summary.contains("FAILED") {
        Err("the corpus check failed (see above)".to_owned())
    } else {
        Ok(())
    }
}

/// What generating one spec gave, as printed.
fn describe(name: &str, generated: &Result<Generated, String>) -> String {
    let mut out = String::new();
    match generated {
        Ok(g) => {
            let _ = writeln!(
                out,
                "  generated {name}: {} operation(s), {} skipped, {} union(s) opened, {} \
                 warning(s), {:.1}s",
                g.operations,
                g.skipped.len(),
                g.open_unions,
                g.warnings,
                g.seconds
            );
            for skipped in &g.skipped {
                let _ = writeln!(out, "    skipped {skipped}");
            }
            for untyped in &g.untyped {
                let _ = writeln!(out, "    schema {untyped}");
            }
        }
        Err(e) => {
            let _ = writeln!(out, "  FAILED to generate {name}: {e}");
        }
    }
    out
}

fn generate_one(
    spec: &Path,
    name: &str,
    crate_dir: &Path,
    manifest: &str,
) -> Result<Generated, String> {
    let clock = Instant::now();
    let text = crate::spec_text::read(spec)?;
    let spec_name = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = Target::Member {
        dir: crate_dir.to_path_buf(),
        name: name.to_owned(),
    };
    // progenitor's panics are caught inside; this catches the xtask's own,
    // so one bad spec cannot end the run for the others.
    let plan = catch_unwind(AssertUnwindSafe(|| {
        normalizes_once(&text)?;
        // Nobody reads or commits these crates: prettyplease's output
        // compiles the same, without a rustfmt pass over megabytes.
        let settings = Settings {
            formatting: Formatting::Prettyplease,
            ..Settings::default()
        };
        codegen::plan_with(&text, &spec_name, &target, manifest, settings)
    }))
    .map_err(|_| "the xtask panicked (a bug in the xtask)".to_owned())??;
    let drift = freshness::compare(&plan.files, &plan.owned_dirs);
    freshness::apply(&drift).map_err(|e| format!("writing {}: {e}", crate_dir.display()))?;
    Ok(Generated {
        operations: plan.code.operation_count,
        open_unions: plan.code.open_unions.len(),
        skipped: plan
            .skipped
            .iter()
            .map(|s| {
                format!(
                    "`{}` (at `{}`): {}",
                    s.operation_id,
                    s.pointer,
                    first_line(&s.reason)
                )
            })
            .collect(),
        untyped: plan
            .code
            .untyped
            .iter()
            .map(|u| {
                let what = if u.kept_type {
                    "defaults dropped"
                } else {
                    "untyped"
                };
                format!("`{}` ({what}): {}", u.pointer, first_line(&u.reason))
            })
            .collect(),
        warnings: plan.report.warnings().count()
            + plan.code.closed_enums.len()
            + plan.code.closed_unions.len()
            + usize::from(plan.code.builders_missing.is_some()),
        seconds: clock.elapsed().as_secs_f64(),
    })
}

/// Normalizing the normalized document must change nothing (as
/// `tests/real_specs.rs` checks on the Moveworks specs): a pass that rewrites
/// its own output is a bug that shows first on specs like these.
fn normalizes_once(text: &str) -> Result<(), String> {
    let mut once = crate::spec_text::parse(text).map_err(|e| e.to_string())?;
    normalize::normalize(&mut once).map_err(|e| e.to_string())?;
    let mut twice = once.clone();
    normalize::normalize(&mut twice).map_err(|e| format!("normalizing again failed: {e}"))?;
    match json_pointer::first_difference(&once, &twice) {
        None => Ok(()),
        Some(pointer) => Err(format!(
            "normalizing the normalized document changed it at `{pointer}` (a pass is not \
             idempotent)"
        )),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn summarize(outcomes: &[Outcome], seconds: f64) -> String {
    let mut out = String::new();
    let generated: Vec<&Generated> = outcomes
        .iter()
        .filter_map(|o| o.generated.as_ref().ok())
        .collect();
    let operations: usize = generated.iter().map(|g| g.operations).sum();
    let skipped: usize = generated.iter().map(|g| g.skipped.len()).sum();
    let total = operations + skipped;
    let checked = outcomes
        .iter()
        .filter(|o| matches!(o.check, Some(Ok(()))))
        .count();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.generated.is_err() || matches!(o.check, Some(Err(_))))
        .map(|o| o.name.as_str())
        .collect();
    let percent = if total == 0 {
        0.0
    } else {
        skipped as f64 * 100.0 / total as f64
    };
    let _ = writeln!(
        out,
        "corpus: {} of {} spec(s) generated, {checked} checked; {skipped} of {total} \
         operation(s) skipped ({percent:.2}%); {} union(s) opened; {seconds:.0}s",
        generated.len(),
        outcomes.len(),
        generated.iter().map(|g| g.open_unions).sum::<usize>(),
    );
    if !failed.is_empty() {
        let _ = writeln!(out, "corpus: FAILED: {}", failed.join(", "));
    }
    if percent >= MAX_SKIPPED_PERCENT {
        let _ = writeln!(
            out,
            "corpus: FAILED: {percent:.2}% of operations skipped (limit {MAX_SKIPPED_PERCENT}%)"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_text;

    #[test]
    fn crate_names_come_from_the_file_name() {
        assert_eq!(
            crate_name(Path::new("/c/adyen-checkout.openapi.yaml")),
            "adyen-checkout"
        );
        assert_eq!(crate_name(Path::new("x/Discord.openapi.json")), "discord");
        assert_eq!(
            crate_name(Path::new("1password.openapi.json")),
            "spec-1password"
        );
    }

    /// The JSON specs of the public corpus, where it lies beside the
    /// workspace (CI has it), read both ways.
    #[test]
    fn json_specs_read_the_same_through_serde_json_and_the_yaml_reader() {
        let dir = corpus_dir(&codegen::workspace_root());
        let Ok(specs) = spec_files(&dir) else {
            eprintln!("no corpus at {}: nothing to compare", dir.display());
            return;
        };
        for spec in specs
            .iter()
            .filter(|s| s.extension().is_some_and(|e| e == "json"))
        {
            let text = spec_text::read(spec).unwrap();
            let Ok(fast) = spec_text::json::parse(&text) else {
                panic!("{}: serde_json did not read it", spec.display());
            };
            assert!(
                fast == spec_text::yaml::parse(&text).unwrap(),
                "{}",
                spec.display()
            );
        }
    }

    #[test]
    fn an_absent_corpus_names_the_path_and_the_variable() {
        let err = spec_files(Path::new("/nonexistent/corpus")).unwrap_err();
        assert!(err.contains("/nonexistent/corpus"), "{err}");
        assert!(err.contains(CORPUS_DIR_VAR), "{err}");
    }

    #[test]
    fn too_many_skips_fail_the_run() {
        let outcome = |operations, skipped: usize| Outcome {
            name: "x".to_owned(),
            generated: Ok(Generated {
                operations,
                open_unions: 0,
                skipped: vec![String::new(); skipped],
                untyped: Vec::new(),
                warnings: 0,
                seconds: 0.0,
            }),
            check: Some(Ok(())),
        };
        assert!(!summarize(&[outcome(199, 1)], 1.0).contains("FAILED"));
        assert!(summarize(&[outcome(98, 2)], 1.0).contains("FAILED"));
        // Strictly under 1% passes: 1 in 101 does, 1 in 100 does not.
        assert!(!summarize(&[outcome(100, 1)], 1.0).contains("FAILED"));
        assert!(summarize(&[outcome(99, 1)], 1.0).contains("FAILED"));
        let failed = Outcome {
            name: "bad".to_owned(),
            generated: Err("e".to_owned()),
            check: None,
        };
        assert!(summarize(&[failed], 1.0).contains("FAILED: bad"));
    }
}
