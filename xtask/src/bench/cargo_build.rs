//! Building a binary and finding it where cargo put it.
//!
//! The binary's path is read from cargo's own report
//! (`--message-format=json`), never assumed to be under `<workspace>/target`:
//! `CARGO_TARGET_DIR`, `build.target-dir` in a cargo config, `--target` and
//! custom profiles all move it.

use std::ffi::OsStr;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// Runs `cargo build <args> --message-format=json-render-diagnostics` in
/// `dir` with the extra environment `envs` (on top of this process's own,
/// so a `CARGO_TARGET_DIR` the user set applies), and returns the path of
/// the executable cargo reports for the binary target `bin`.
pub fn build_executable(
    dir: &Path,
    args: &[&str],
    envs: &[(&str, &OsStr)],
    bin: &str,
) -> Result<PathBuf, String> {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(dir)
        .arg("build")
        .args(args)
        // Diagnostics still reach the terminal, rendered, on stderr.
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped());
    for (name, value) in envs {
        command.env(name, value);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut executable = None;
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
            if let Some(path) = executable_in(&line, bin) {
                executable = Some(path);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo build {}` failed", args.join(" ")));
    }
    executable.ok_or_else(|| {
        format!(
            "`cargo build {}` reported no executable for `{bin}`",
            args.join(" ")
        )
    })
}

/// The executable of binary target `bin` if `line` is the
/// `compiler-artifact` message cargo prints for it.
fn executable_in(line: &str, bin: &str) -> Option<PathBuf> {
    let message: Value = serde_json::from_str(line).ok()?;
    let is_bin = message["target"]["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
    (message["reason"] == "compiler-artifact" && is_bin && message["target"]["name"] == bin)
        .then(|| message["executable"].as_str().map(PathBuf::from))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_named_binary_from_cargo_messages() {
        let artifact = |name: &str, kind: &str, executable: &str| {
            serde_json::json!({
                "reason": "compiler-artifact",
                "target": {"name": name, "kind": [kind]},
                "executable": executable,
            })
            .to_string()
        };
        assert_eq!(
            executable_in(&artifact("tool", "bin", "/t/release/tool"), "tool"),
            Some(PathBuf::from("/t/release/tool"))
        );
        assert_eq!(
            executable_in(&artifact("other", "bin", "/t/other"), "tool"),
            None
        );
        let library = serde_json::json!({
            "reason": "compiler-artifact",
            "target": {"name": "tool", "kind": ["lib"]},
            "executable": null,
        })
        .to_string();
        assert_eq!(executable_in(&library, "tool"), None);
        assert_eq!(
            executable_in(r#"{"reason":"build-finished","success":true}"#, "tool"),
            None
        );
        assert_eq!(executable_in("not json", "tool"), None);
    }
}
