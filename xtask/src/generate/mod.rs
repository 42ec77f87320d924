//! From the normalized document to Rust source: progenitor, then a few
//! syntax-tree rewrites progenitor has no setting for, then formatting.

pub mod context;
pub mod crate_docs;
pub mod fallbacks;
pub mod format;
pub mod manifest;
pub mod operation_table;
pub mod progenitor_run;
pub mod rewrite;
pub mod rust_code;
pub mod settings;
