//! The code generation section of BENCHMARKS.md: codegen times, how they
//! grow with the spec's size, and the corpus step of CI; and their targets.

use std::fmt::Write as _;
use std::time::Duration;

use super::codegen_timing::{Mode, Timing};
use super::target::{NOT_MEASURED, Target};

/// Codegen of `openapi.yaml`, as the maintainer runs it.
const OPENAPI_TARGET: Duration = Duration::from_millis(500);
/// Codegen of a Moveworks spec into a standalone crate.
const STANDALONE_TARGET: Duration = Duration::from_secs(2);
/// The corpus step of `.ci/run` on the 2-core machine.
const CORPUS_STEP_TARGET: Duration = Duration::from_secs(12 * 60);

/// What the bench measured of code generation.
pub struct Codegen {
    /// `openapi.yaml` first.
    pub timings: Vec<Timing>,
    /// The corpus step from an empty target dir, and whether it passed.
    pub corpus_step: Option<(Duration, bool)>,
}

/// The section's text, the text of its subsection on the corpus step of CI
/// (under `### The corpus step of CI`), and its targets (for the report's
/// table).
pub fn render(codegen: &Codegen) -> (String, String, Vec<Target>) {
    let (corpus, corpus_target) = corpus_step(codegen.corpus_step);
    let mut targets = timing_targets(&codegen.timings);
    targets.push(corpus_target);
    (timings_table(&codegen.timings), corpus, targets)
}

fn timings_table(timings: &[Timing]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Code generation\n\n\
         Median wall time of generating crates in memory, with the xtask already built in its `dev` \
         profile (as `cargo xtask codegen` runs it, with the generator's dependencies optimized): \
         parsing, normalization, progenitor (trial runs included), rewrites and formatting. \
         `openapi.yaml` is generated as `cargo xtask codegen` generates the workspace crates \
         (rustfmt); the largest specs of the public corpus as `cargo xtask corpus` generates theirs \
         (prettyplease only). Ratios are to `openapi.yaml`.\n\n\
         | spec | generated as | size | × size | median wall time | × time | progenitor runs |\n\
         |---|---|---:|---:|---:|---:|---:|"
    );
    let base = timings.first();
    for timing in timings {
        let (size_ratio, time_ratio) =
            base.map_or((f64::NAN, f64::NAN), |base| ratios(timing, base));
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {size_ratio:.1} | {:.3} s | {time_ratio:.1} | {} |",
            timing.spec,
            timing.mode.label(),
            size(timing.bytes),
            timing.median.as_secs_f64(),
            timing.progenitor_runs
        );
    }
    out
}

/// Each spec under its time limit, and time growing no faster than size.
fn timing_targets(timings: &[Timing]) -> Vec<Target> {
    let under = |timing: &Timing, limit: Duration| Target {
        what: format!(
            "codegen of `{}` under {} s",
            timing.spec,
            limit.as_secs_f64()
        ),
        measured: format!("{:.3} s", timing.median.as_secs_f64()),
        met: Some(timing.median < limit),
    };
    let base = timings.first();
    let mut targets: Vec<Target> = base.map(|b| under(b, OPENAPI_TARGET)).into_iter().collect();
    targets.extend(
        timings
            .iter()
            .filter(|t| t.mode == Mode::Standalone)
            .map(|t| under(t, STANDALONE_TARGET)),
    );
    let largest = timings
        .iter()
        .filter(|t| t.mode == Mode::Corpus)
        .max_by_key(|t| t.bytes);
    targets.push(match (base, largest) {
        (Some(base), Some(largest)) => {
            let (size_ratio, time_ratio) = ratios(largest, base);
            Target {
                what: format!(
                    "codegen time grows no faster than spec size: time(`{}`) / time(`{}`) ≤ their \
                     size ratio ({size_ratio:.1}×)",
                    largest.spec, base.spec
                ),
                measured: format!("{time_ratio:.1}×"),
                met: Some(time_ratio <= size_ratio),
            }
        }
        _ => Target {
            what: "codegen time grows no faster than spec size (largest corpus spec)".to_owned(),
            measured: "corpus not found".to_owned(),
            met: None,
        },
    });
    targets
}

/// The text under `### The corpus step of CI`, and its target.
fn corpus_step(step: Option<(Duration, bool)>) -> (String, Target) {
    let what = "the corpus step of `.ci/run` from an empty target dir under 12 min".to_owned();
    match step {
        Some((wall, passed)) => (
            format!(
                "`cargo xtask corpus --doctest --also xtask/tests/specs`, as `.ci/run` runs it (every \
                 corpus spec and every Moveworks spec generated, built as one workspace and its \
                 doctests run) from an empty directory: {:.1} min{}.\n",
                wall.as_secs_f64() / 60.0,
                if passed { "" } else { ", and it FAILED" }
            ),
            Target {
                what,
                measured: format!("{:.1} min", wall.as_secs_f64() / 60.0),
                met: Some(passed && wall < CORPUS_STEP_TARGET),
            },
        ),
        None => (
            "Not measured in this run: it takes minutes; run `cargo xtask bench --corpus`.\n"
                .to_owned(),
            Target {
                what,
                measured: NOT_MEASURED.to_owned(),
                met: None,
            },
        ),
    }
}

fn ratios(timing: &Timing, base: &Timing) -> (f64, f64) {
    (
        timing.bytes as f64 / base.bytes as f64,
        timing.median.as_secs_f64() / base.median.as_secs_f64(),
    )
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.2} MiB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(spec: &str, bytes: u64, mode: Mode, millis: u64) -> Timing {
        Timing {
            spec: spec.to_owned(),
            bytes,
            mode,
            median: Duration::from_millis(millis),
            progenitor_runs: 3,
        }
    }

    #[test]
    fn growth_is_judged_against_the_size_ratio_of_the_largest_corpus_spec() {
        let mut codegen = Codegen {
            timings: vec![
                timing("openapi.yaml", 61_440, Mode::Workspace, 300),
                timing("big.json", 1_536_000, Mode::Corpus, 6_000),
                timing("biggest.json", 1_843_200, Mode::Corpus, 9_000),
            ],
            corpus_step: Some((Duration::from_secs(600), true)),
        };
        let (text, corpus, targets) = render(&codegen);
        assert!(corpus.contains("10.0 min"), "{corpus}");
        assert!(
            text.contains(
                "| `biggest.json` | `cargo xtask corpus` | 1.76 MiB | 30.0 | 9.000 s | 30.0 | 3 |"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "| `openapi.yaml` | `cargo xtask codegen` | 60 KiB | 1.0 | 0.300 s | 1.0 | 3 |"
            ),
            "{text}"
        );
        assert_eq!(
            targets[0],
            Target {
                what: "codegen of `openapi.yaml` under 0.5 s".to_owned(),
                measured: "0.300 s".to_owned(),
                met: Some(true)
            }
        );
        let growth = &targets[1];
        assert!(
            growth
                .what
                .contains("time(`biggest.json`) / time(`openapi.yaml`) ≤ their size ratio (30.0×)"),
            "{growth:?}"
        );
        assert_eq!(
            (growth.measured.as_str(), growth.met),
            ("30.0×", Some(true))
        );
        assert_eq!(targets[2].measured, "10.0 min");
        assert_eq!(targets[2].met, Some(true));
        codegen.timings[2].median = Duration::from_millis(9_100);
        codegen.corpus_step = Some((Duration::from_secs(600), false));
        let (_, _, targets) = render(&codegen);
        assert_eq!(targets[1].met, Some(false));
        assert_eq!(
            targets[2].met,
            Some(false),
            "a failed step does not meet the target"
        );
    }

    #[test]
    fn what_was_not_measured_says_so() {
        let codegen = Codegen {
            timings: vec![timing("openapi.yaml", 61_440, Mode::Workspace, 600)],
            corpus_step: None,
        };
        let (_, corpus, targets) = render(&codegen);
        assert!(
            corpus.contains("run `cargo xtask bench --corpus`"),
            "{corpus}"
        );
        assert_eq!(targets[0].met, Some(false));
        assert_eq!(targets[1].measured, "corpus not found");
        assert_eq!(targets[2].measured, NOT_MEASURED);
    }
}
