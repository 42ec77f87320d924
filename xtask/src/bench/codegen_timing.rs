//! Wall time of generating a crate, in process (the xtask being built).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::codegen::{Target, plan};

/// The median time of `repeats` generations of the spec at `spec_path`
/// into a standalone crate plan (normalize, progenitor, rewrites, rustfmt).
pub fn time(root: &Path, spec_path: &Path, repeats: usize) -> Result<Duration, String> {
    let spec = crate::spec_text::read(spec_path)?;
    let name = spec_path
        .file_name()
        .map_or_else(|| "spec".into(), |n| n.to_string_lossy().into_owned());
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let target = Target::Standalone {
        dir: std::env::temp_dir().join("moveworks-bench-codegen"),
        name: "bench".into(),
    };
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats.max(1) {
        let started = Instant::now();
        plan(&spec, &name, &target, &manifest)?;
        times.push(started.elapsed());
    }
    times.sort_unstable();
    Ok(times[times.len() / 2])
}
