//! `cargo xtask` works on the checkout it is run in. Two checkouts sharing
//! one target dir once ran each other's xtask binary: `cargo xtask codegen`
//! typed in one rewrote the other. Here two copies of this workspace, each
//! with a spec edit of its own, share the regeneration tests' target dir
//! (its dependencies compile once); `cargo xtask codegen --check` run in
//! each must judge its own files (its own edit shows as drift) or refuse,
//! naming both, and judge its own once its xtask is rebuilt as the refusal
//! says; the binary one copy built, run in the other, refuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

/// A description of the spec, edited differently in each copy.
const DESCRIPTION: &str = "description: Feedback submission status";

fn checkout(name: &str) -> PathBuf {
    let root = common::copy_workspace(name);
    common::edit(
        &root,
        "openapi.yaml",
        DESCRIPTION,
        &format!("description: Edited in {name}"),
    );
    root
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `cargo xtask codegen --check` in `dir`, with the shared target dir.
fn check_in(dir: &Path) -> Output {
    let output = Command::new(cargo())
        .args(["xtask", "codegen", "--check"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", common::target_dir())
        .output()
        .unwrap();
    println!("in {}:\n{}", dir.display(), text(&output));
    output
}

/// Whether `output` refuses to run, naming `built_from` and `run_in`.
fn refuses(output: &Output, built_from: &Path, run_in: &Path) -> bool {
    let text = text(output);
    let names = |dir: &Path| text.contains(&dir.canonicalize().unwrap().display().to_string());
    !output.status.success()
        && text.contains("share one target dir")
        && names(built_from)
        && names(run_in)
}

/// Run in `dir` (named `own`), the check judged `dir`'s files; or refused,
/// and after the rebuild the refusal asks for, judges them.
fn assert_own(output: &Output, dir: &Path, own: &str, other: (&Path, &str)) {
    if refuses(output, other.0, dir) {
        assert!(text(output).contains("run `cargo clean -p xtask` here"));
        let cleaned = Command::new(cargo())
            .args(["clean", "-p", "xtask"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", common::target_dir())
            .status()
            .unwrap();
        assert!(cleaned.success());
        return assert_judged_own(&check_in(dir), own, other.1);
    }
    assert_judged_own(output, own, other.1);
}

fn assert_judged_own(output: &Output, own: &str, other: &str) {
    let text = text(output);
    assert!(!output.status.success(), "the edit is drift: {text}");
    assert!(text.contains(&format!("Edited in {own}")), "{text}");
    assert!(!text.contains(&format!("Edited in {other}")), "{text}");
}

#[test]
fn each_checkout_sharing_a_target_dir_is_worked_on_by_its_own_xtask() {
    let a = checkout("checkout-a");
    let b = checkout("checkout-b");
    let binary = common::target_dir().join("debug/xtask");

    let first = check_in(&a);
    assert_own(&first, &a, "checkout-a", (&b, "checkout-b"));
    // The binary a's build left, as cargo would leave it in place.
    let built_by_a = common::copies().join("xtask-built-by-a");
    std::fs::copy(&binary, &built_by_a).unwrap();
    assert_own(&check_in(&b), &b, "checkout-b", (&a, "checkout-a"));
    assert_own(&check_in(&a), &a, "checkout-a", (&b, "checkout-b"));

    let stale = Command::new(&built_by_a)
        .args(["codegen", "--check"])
        .current_dir(&b)
        .env("CARGO", cargo())
        .output()
        .unwrap();
    assert!(refuses(&stale, &a, &b), "{}", text(&stale));
    // It refuses before reading anything.
    assert!(!text(&stale).contains("Edited in"), "{}", text(&stale));

    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
    std::fs::remove_file(&built_by_a).unwrap();
}
