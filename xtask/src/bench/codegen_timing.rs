//! Wall time of generating crates in process, the xtask being built in its
//! `dev` profile as `cargo xtask codegen` runs it: `openapi.yaml` as codegen
//! generates the workspace crates, a Moveworks spec as `--out` generates a
//! standalone crate, and the largest specs of the public corpus as `cargo
//! xtask corpus` generates theirs. And, with `--corpus`, the corpus step of
//! CI from an empty target dir.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::codegen::{Settings, Target, plan_with};
use crate::generate::format::Formatting;

/// How a spec is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The workspace crates (client and httpmock), rustfmt-formatted.
    Workspace,
    /// One standalone client crate, rustfmt-formatted (`--out`).
    Standalone,
    /// One standalone client crate, prettyplease only (`cargo xtask corpus`).
    Corpus,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::Workspace => "`cargo xtask codegen`",
            Mode::Standalone => "`codegen --out`",
            Mode::Corpus => "`cargo xtask corpus`",
        }
    }
}

/// One spec's timing.
#[derive(Debug, Clone)]
pub struct Timing {
    pub spec: String,
    pub bytes: u64,
    pub mode: Mode,
    pub median: Duration,
    /// How many times progenitor ran in one generation (trials included).
    pub progenitor_runs: usize,
}

/// The median time of `repeats` generations of the spec at `spec_path`.
pub fn time(root: &Path, spec_path: &Path, mode: Mode, repeats: usize) -> Result<Timing, String> {
    let spec = crate::spec_text::read(spec_path)?;
    let name = spec_path
        .file_name()
        .map_or_else(|| "spec".into(), |n| n.to_string_lossy().into_owned());
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let target = match mode {
        Mode::Workspace => Target::Workspace {
            root: root.to_path_buf(),
        },
        Mode::Standalone | Mode::Corpus => Target::Standalone {
            dir: std::env::temp_dir().join("moveworks-bench-codegen"),
            name: "bench".into(),
        },
    };
    let settings = Settings {
        formatting: match mode {
            Mode::Corpus => Formatting::Prettyplease,
            Mode::Workspace | Mode::Standalone => Formatting::Rustfmt,
        },
        ..Settings::default()
    };
    let mut times = Vec::with_capacity(repeats);
    let mut progenitor_runs = 0;
    for _ in 0..repeats.max(1) {
        let started = Instant::now();
        let plan = plan_with(&spec, &name, &target, &manifest, settings)?;
        times.push(started.elapsed());
        progenitor_runs = plan.code.progenitor_runs;
    }
    times.sort_unstable();
    Ok(Timing {
        spec: name,
        bytes: spec.len() as u64,
        mode,
        median: times[times.len() / 2],
        progenitor_runs,
    })
}

/// The `count` largest specs of the corpus, largest first; none when the
/// corpus is not there.
pub fn largest_corpus_specs(root: &Path, count: usize) -> Vec<PathBuf> {
    let Ok(mut specs) = crate::corpus::spec_files(&crate::corpus::corpus_dir(root)) else {
        return Vec::new();
    };
    let size = |p: &PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    specs.sort_by_key(|p| std::cmp::Reverse(size(p)));
    specs.truncate(count);
    specs
}

/// The corpus step of CI (`cargo xtask corpus --doctest --also
/// xtask/tests/specs`), in an empty directory: its wall time, and whether
/// it passed.
pub fn corpus_step(root: &Path) -> Result<(Duration, bool), String> {
    let out = std::env::temp_dir().join(format!("moveworks-bench-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let result = crate::corpus::run(&crate::corpus::Options {
        out: Some(out.clone()),
        doctest: true,
        also: vec![root.join("xtask/tests/specs")],
        ..crate::corpus::Options::default()
    });
    let wall = started.elapsed();
    let _ = std::fs::remove_dir_all(&out);
    if let Err(why) = &result {
        eprintln!("bench: the corpus step failed: {why}");
    }
    Ok((wall, result.is_ok()))
}
