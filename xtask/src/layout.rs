//! Where things are in this workspace: the generated crates and the
//! command that regenerates them.

use std::path::{Path, PathBuf};

/// The generated client crate of this workspace.
pub const CLIENT_CRATE: &str = "moveworks-api";
/// The generated httpmock helper crate of this workspace.
pub const HTTPMOCK_CRATE: &str = "moveworks-api-httpmock";
/// The command that regenerates the workspace crates.
pub const WORKSPACE_COMMAND: &str = "cargo xtask codegen";

/// The workspace root (the xtask crate's parent directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
