//! Cold-build cost: `cargo build -p moveworks-ext` in an empty target
//! directory, against a bare crate that uses reqwest, serde and tokio with
//! the same features. Crates come from the local registry cache, so the
//! figures are compile time, not download time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One cold build.
pub struct Build {
    pub label: String,
    pub wall: Duration,
    pub crates: usize,
}

/// The bare crate: the HTTP, serialization and runtime stack the SDK sits on.
const BARE_MANIFEST: &str = r#"[package]
name = "bare-http-client"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
reqwest = { version = "0.13.5", default-features = false, features = ["json", "form", "native-tls"] }
serde = { version = "1.0.228", features = ["derive"] }
serde_json = "1.0.145"
tokio = { version = "1.48.0", default-features = false, features = ["rt", "sync", "time"] }

[workspace]
"#;

const BARE_MAIN: &str = r#"#[derive(serde::Serialize, serde::Deserialize)]
struct Feedback { callback_id: String }

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let body = serde_json::to_string(&Feedback { callback_id: "cb".into() }).unwrap();
        let _ = client.post("https://example.invalid").body(body).send().await;
    });
}
"#;

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "moveworks-build-cost-{name}-{}",
        std::process::id()
    ))
}

/// Cold builds of moveworks-ext (default features, then `rustls-aws-lc`)
/// and of the bare crate.
pub fn measure(root: &Path) -> Result<Vec<Build>, String> {
    let mut builds = Vec::new();
    builds.push(cold_build(
        "moveworks-ext (default: native-tls)",
        root,
        &["build", "-p", "moveworks-ext"],
        &scratch("ext"),
    )?);
    builds.push(cold_build(
        "moveworks-ext (rustls-aws-lc)",
        root,
        &[
            "build",
            "-p",
            "moveworks-ext",
            "--no-default-features",
            "--features",
            "rustls-aws-lc",
        ],
        &scratch("ext-aws-lc"),
    )?);
    let bare = scratch("bare");
    std::fs::create_dir_all(bare.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(bare.join("Cargo.toml"), BARE_MANIFEST).map_err(|e| e.to_string())?;
    std::fs::write(bare.join("src/main.rs"), BARE_MAIN).map_err(|e| e.to_string())?;
    // The workspace's lock file pins the same versions.
    let _ = std::fs::copy(root.join("Cargo.lock"), bare.join("Cargo.lock"));
    builds.push(cold_build(
        "bare crate: reqwest + serde + tokio (native-tls)",
        &bare,
        &["build"],
        &bare.join("target"),
    )?);
    let _ = std::fs::remove_dir_all(&bare);
    Ok(builds)
}

fn cold_build(label: &str, dir: &Path, args: &[&str], target_dir: &Path) -> Result<Build, String> {
    let _ = std::fs::remove_dir_all(target_dir);
    eprintln!("bench: cold build of {label} (takes a while)...");
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let wall = started.elapsed();
    let _ = std::fs::remove_dir_all(target_dir);
    if !output.status.success() {
        return Err(format!(
            "cold build of {label} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let crates = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    Ok(Build {
        label: label.to_owned(),
        wall,
        crates,
    })
}
