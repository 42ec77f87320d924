//! `cargo xtask bench`: client overhead (instructions and CPU time per
//! call first, then throughput and latency), memory, per-user handles, the
//! cost of decoding a page of messages, codegen time and (with `--build`) cold-build cost,
//! measured in one run on one machine and written to BENCHMARKS.md with the
//! machine's description.
//!
//! `--users` measures only per-user handles (making one, a call through
//! one, the memory of their token cache) and writes their section and
//! their rows of the targets, leaving the rest of the file as it is.
//!
//! `--smoke` runs a few iterations of everything (debug build, no figures
//! worth reading, no file written unless `--output` is given) so CI keeps
//! the harness working.
//!
//! In BENCHMARKS.md it replaces only its own blocks, between their markers
//! (see `report.rs`).

mod build_cost;
pub mod cargo_build;
mod client_bench;
mod codegen_report;
mod codegen_timing;
mod machine;
mod report;
mod target;

pub(crate) use machine::today;

use std::path::{Path, PathBuf};

use crate::codegen::workspace_root;
use codegen_timing::Mode;

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub smoke: bool,
    pub build: bool,
    /// Time the corpus step of CI from an empty target dir (minutes).
    pub corpus: bool,
    /// Measure code generation only (no clients, no builds).
    pub codegen_only: bool,
    /// Measure per-user handles only, and write their section and targets.
    pub users_only: bool,
    pub output: Option<PathBuf>,
}

pub fn run(options: &Options) -> Result<(), String> {
    let root = workspace_root();
    if options.users_only {
        eprintln!(
            "bench: measuring per-user handles (a few minutes, most of them under callgrind)"
        );
        let users = client_bench::run_users(&root, options.smoke)?;
        let machine = machine::Machine::describe();
        return write_report(
            &report::render_users(&machine, options.smoke, &users),
            options,
        );
    }
    let codegen = measure_codegen(&root, options)?;
    if options.codegen_only {
        return print_codegen_only(&codegen, options);
    }
    eprintln!(
        "bench: measuring clients ({})",
        if options.smoke {
            "smoke"
        } else {
            "release build; a few minutes, most of them under callgrind"
        }
    );
    let clients = client_bench::run(&root, options.smoke)?;
    if clients.counting.valgrind.is_none() {
        eprintln!(
            "bench: note: valgrind not found, so instructions per call were not counted \
             (CPU time per call was); install valgrind for the headline figure"
        );
    }
    let builds = if options.build {
        Some(build_cost::measure(&root)?)
    } else {
        None
    };

    let results = report::Results {
        machine: machine::Machine::describe(),
        smoke: options.smoke,
        codegen,
        clients,
        builds,
    };
    write_report(&report::render(&results), options)
}

/// Codegen times of `openapi.yaml`, a standalone Moveworks spec and the
/// largest corpus specs; with `--corpus`, the corpus step of CI.
fn measure_codegen(root: &Path, options: &Options) -> Result<codegen_report::Codegen, String> {
    let repeats = if options.smoke { 1 } else { 5 };
    let mut specs = vec![
        (root.join("openapi.yaml"), Mode::Workspace, repeats),
        (
            root.join("xtask/tests/specs/conversations-v1beta1.openapi.yaml"),
            Mode::Standalone,
            repeats,
        ),
    ];
    // The largest specs of the corpus, the test of how codegen time grows
    // with size (one, once, for a smoke run).
    let (corpus_count, corpus_repeats) = if options.smoke { (1, 1) } else { (3, 3) };
    for spec in codegen_timing::largest_corpus_specs(root, corpus_count) {
        specs.push((spec, Mode::Corpus, corpus_repeats));
    }
    let mut timings = Vec::new();
    for (spec, mode, repeats) in &specs {
        eprintln!("bench: timing codegen of {}", spec.display());
        timings.push(codegen_timing::time(root, spec, *mode, *repeats)?);
    }
    let corpus_step = if options.corpus {
        eprintln!("bench: the corpus step of CI from an empty target dir (minutes)");
        Some(codegen_timing::corpus_step(root)?)
    } else {
        None
    };
    Ok(codegen_report::Codegen {
        timings,
        corpus_step,
    })
}

/// `--codegen`: the code generation section alone, printed (and written
/// to `--output` only).
fn print_codegen_only(codegen: &codegen_report::Codegen, options: &Options) -> Result<(), String> {
    let (section, corpus, targets) = codegen_report::render(codegen);
    let text = format!(
        "# Benchmarks: code generation\n\nMeasured by `cargo xtask bench --codegen{}` on {}.\n\n\
         {section}\n### The corpus step of CI\n\n{corpus}\n### Targets\n\n{}",
        if options.corpus { " --corpus" } else { "" },
        machine::Machine::describe().summary(),
        report::targets_table(&targets)
    );
    print!("{text}");
    if let Some(path) = &options.output {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Prints the report, and writes it to `--output`, or to BENCHMARKS.md
/// unless this is a smoke run.
fn write_report(blocks: &[report::Block], options: &Options) -> Result<(), String> {
    print!("{}", report::document(blocks, false));
    let output = match (&options.output, options.smoke) {
        (Some(path), _) => path.clone(),
        (None, false) => workspace_root().join("BENCHMARKS.md"),
        (None, true) => return Ok(()),
    };
    // An existing file keeps what is outside the markers; a new one gets
    // the whole report with them.
    let text = match std::fs::read_to_string(&output) {
        Ok(old) => report::splice(&old, &output.display().to_string(), blocks)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => report::document(blocks, true),
        Err(e) => return Err(format!("cannot read {}: {e}", output.display())),
    };
    std::fs::write(&output, text).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    eprintln!("bench: updated the figures in {}", output.display());
    Ok(())
}
