//! Formatting generated Rust the way `cargo fmt` would, so the committed
//! crates pass `cargo fmt --check` and diffs stay reviewable.
//!
//! prettyplease first (it turns doc attributes into `///` lines and needs no
//! external tool), then the toolchain's rustfmt. The output is
//! deterministic for a given toolchain, which CI pins. Crates nobody
//! commits (the corpus's) stop after prettyplease: rustfmt only restyles
//! valid code, and on a large spec it is a second pass over megabytes.

use std::io::Write;
use std::process::{Command, Stdio};

/// How far generated code is formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formatting {
    /// As `cargo fmt` would: for crates that are committed and reviewed.
    Rustfmt,
    /// prettyplease only: valid, readable code, not `cargo fmt --check`
    /// clean.
    Prettyplease,
}

/// Formats a whole file, with a blank line between items.
pub fn rust_file(file: &syn::File, formatting: Formatting) -> Result<String, String> {
    let spaced =
        progenitor_impl::space_out_items(prettyplease::unparse(file)).map_err(|e| e.to_string())?;
    match formatting {
        Formatting::Rustfmt => rust_source(&spaced),
        Formatting::Prettyplease => Ok(spaced),
    }
}

/// Formats Rust source text with the toolchain's rustfmt.
pub fn rust_source(source: &str) -> Result<String, String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run `{rustfmt}` ({e}); install it with `rustup component add rustfmt`")
        })?;
    let mut stdin = child.stdin.take().ok_or("rustfmt stdin unavailable")?;
    // Write from another thread: rustfmt may fill its stdout pipe before it
    // has read all of stdin.
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt input thread panicked".to_owned())?
        .map_err(|e| format!("writing to rustfmt failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output is not UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_rustfmt() {
        let file: syn::File = syn::parse_quote! {
            #[doc = " Docs."]
            pub fn f(a:u8)->u8{a}
        };
        assert_eq!(
            rust_file(&file, Formatting::Rustfmt).unwrap(),
            "/// Docs.\npub fn f(a: u8) -> u8 {\n    a\n}\n"
        );
        let two: syn::File = syn::parse_quote! { fn a() { x(); } fn b() {} };
        assert_eq!(
            rust_file(&two, Formatting::Rustfmt).unwrap(),
            "fn a() {\n    x();\n}\n\nfn b() {}\n"
        );
    }

    #[test]
    fn prettyplease_alone_spaces_items_without_rustfmt() {
        // A call rustfmt would break over lines stays on one.
        let file: syn::File = syn::parse_quote! {
            fn a() { call(first_long_argument_name, second_long_argument_name, third_one_too); }
            fn b() {}
        };
        let text = rust_file(&file, Formatting::Prettyplease).unwrap();
        assert!(text.contains("\n\nfn b() {}\n"), "{text}");
        assert_ne!(text, rust_file(&file, Formatting::Rustfmt).unwrap());
    }

    /// The `call` template is committed formatted, so that generation
    /// copies it instead of running rustfmt on it every time.
    #[test]
    fn the_call_template_is_formatted() {
        let template = crate::generate::rust_code::CALL_TEMPLATE;
        assert!(
            rust_source(template).unwrap() == template,
            "xtask/templates/call.rs is not rustfmt-formatted: run \
             `rustfmt --edition 2024 xtask/templates/call.rs`"
        );
    }
}
