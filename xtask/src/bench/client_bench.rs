//! Building and running the `moveworks-bench` binary, which measures the
//! three clients (see `crates/moveworks-bench`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::cargo_build::build_executable;

/// Builds the benchmark (release, or dev for a smoke run) and returns its
/// JSON report.
pub fn run(root: &Path, smoke: bool) -> Result<Value, String> {
    let profile = if smoke { "dev" } else { "release" };
    let binary = build_executable(
        root,
        &["--quiet", "--profile", profile, "-p", "moveworks-bench"],
        &[],
        "moveworks-bench",
    )?;
    eprintln!("bench: running {}", binary.display());
    let mut command = Command::new(&binary);
    command.arg("run");
    if smoke {
        command.arg("--smoke");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "moveworks-bench failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("moveworks-bench printed no JSON report: {e}"))
}
