//! Where things are in this workspace: the generated crates and the
//! command that regenerates them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The generated client crate of this workspace.
pub const CLIENT_CRATE: &str = "moveworks-api";
/// The generated httpmock helper crate of this workspace.
pub const HTTPMOCK_CRATE: &str = "moveworks-api-httpmock";
/// The command that regenerates the workspace crates.
pub const WORKSPACE_COMMAND: &str = "cargo xtask codegen";

/// The workspace this xtask was built from (the xtask crate's parent
/// directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The workspace of the current directory, as `cargo locate-project
/// --workspace` finds it, when it is the one this xtask was built from
/// ([`workspace_root`], which every command then works on).
///
/// # Errors
///
/// When cargo cannot locate a workspace, or it is another one: with one
/// target dir shared by two checkouts, cargo may run the binary built from
/// the other checkout, which would read and write that checkout instead.
pub fn checked_workspace_root() -> Result<PathBuf, String> {
    let built_from = workspace_root();
    // `cargo xtask` sets CARGO to the cargo that runs it.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .map_err(|e| format!("cannot run `cargo locate-project`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cannot find the workspace of the current directory: `cargo locate-project \
             --workspace` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let manifest = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let here = manifest.parent().unwrap_or(&manifest).to_path_buf();
    if same_dir(&here, &built_from) {
        return Ok(built_from);
    }
    Err(format!(
        "this xtask was built from the workspace at {}, but it was run in the workspace at {}: \
         it would read and write the other checkout, so it stops. The two checkouts share one \
         target dir (CARGO_TARGET_DIR or build.target-dir), where cargo took the other's xtask \
         as this one's. Give each checkout its own target dir; or run `cargo clean -p xtask` \
         here, which makes cargo build this checkout's, and run it again.",
        built_from.display(),
        here.display()
    ))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
