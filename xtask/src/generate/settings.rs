//! How the generator runs: which rewrites, in which order, and how far the
//! code is formatted.

use super::format::Formatting;
use super::rewrite::{REWRITES, Rewrite};

#[derive(Clone, Copy)]
pub struct Settings<'a> {
    /// The rewrites of progenitor's output, in order.
    pub rewrites: &'a [Rewrite],
    pub formatting: Formatting,
}

impl Default for Settings<'_> {
    /// What `cargo xtask codegen` uses: every rewrite, formatted by rustfmt.
    fn default() -> Self {
        Settings {
            rewrites: REWRITES,
            formatting: Formatting::Rustfmt,
        }
    }
}
