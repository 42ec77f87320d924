//! `cargo xtask bench` finds the binaries it builds wherever cargo puts
//! them: here under a `CARGO_TARGET_DIR` outside the crate, where the old
//! `<workspace>/target/<profile>/` guess found nothing.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

use xtask::bench::cargo_build::build_executable;

#[test]
fn finds_the_binary_under_a_custom_target_dir() {
    let scratch = std::env::temp_dir().join(format!("xtask-target-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let krate = scratch.join("hello");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        "[package]\nname = \"hello\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        krate.join("src/main.rs"),
        "fn main() { println!(\"hello from the custom target dir\"); }\n",
    )
    .unwrap();
    let target_dir = scratch.join("elsewhere");

    let binary = build_executable(
        &krate,
        &["--quiet", "--release"],
        &[("CARGO_TARGET_DIR", target_dir.as_os_str())],
        "hello",
    )
    .unwrap();

    assert!(
        binary.starts_with(&target_dir),
        "{} is not under {}",
        binary.display(),
        target_dir.display()
    );
    assert!(
        !krate.join("target").exists(),
        "cargo ignored CARGO_TARGET_DIR"
    );
    let output = Command::new(&binary).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "hello from the custom target dir"
    );
    // Built again, the binary is fresh and cargo still reports where it is.
    let again = build_executable(
        &krate,
        &["--quiet", "--release"],
        &[("CARGO_TARGET_DIR", OsStr::new(&target_dir))],
        "hello",
    )
    .unwrap();
    assert_eq!(again, binary);
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn a_binary_cargo_did_not_build_is_an_error_not_a_guessed_path() {
    let scratch = std::env::temp_dir().join(format!("xtask-no-such-bin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[package]\nname = \"other\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(scratch.join("src/main.rs"), "fn main() {}\n").unwrap();
    let target_dir: PathBuf = scratch.join("target-elsewhere");
    let error = build_executable(
        &scratch,
        &["--quiet"],
        &[("CARGO_TARGET_DIR", target_dir.as_os_str())],
        "moveworks-bench",
    )
    .unwrap_err();
    assert!(
        error.contains("reported no executable for `moveworks-bench`"),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
