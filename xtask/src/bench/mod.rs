//! `cargo xtask bench`: client overhead (instructions and CPU time per
//! call first, then throughput and latency), memory, codegen time and (with
//! `--build`) cold-build cost, measured in one run on one machine and
//! written to BENCHMARKS.md with the machine's description.
//!
//! `--smoke` runs a few iterations of everything (debug build, no figures
//! worth reading, no file written unless `--output` is given) so CI keeps
//! the harness working.

mod build_cost;
pub mod cargo_build;
mod client_bench;
mod codegen_timing;
mod machine;
mod report;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::codegen::workspace_root;

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub smoke: bool,
    pub build: bool,
    pub output: Option<PathBuf>,
}

pub fn run(options: &Options) -> Result<(), String> {
    let root = workspace_root();
    let repeats = if options.smoke { 1 } else { 5 };
    let specs = [
        (root.join("openapi.yaml"), Duration::from_millis(500)),
        (
            root.join("xtask/tests/specs/conversations-v1beta1.openapi.yaml"),
            Duration::from_secs(2),
        ),
    ];
    let mut codegen = Vec::new();
    for (spec, target) in &specs {
        eprintln!("bench: timing codegen of {}", spec.display());
        let wall = codegen_timing::time(&root, spec, repeats)?;
        let name = spec
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        codegen.push((name, wall, *target));
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
    if clients
        .pointer("/counting/valgrind")
        .is_none_or(Value::is_null)
    {
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
    let text = report::render(&results);
    print!("{text}");
    let output = match (&options.output, options.smoke) {
        (Some(path), _) => Some(path.clone()),
        (None, false) => Some(root.join("BENCHMARKS.md")),
        (None, true) => None,
    };
    if let Some(path) = output {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("bench: wrote {}", path.display());
    }
    Ok(())
}
