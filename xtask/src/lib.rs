//! `cargo xtask`: the project's automation, as a library so that its pieces
//! are unit-tested and the freshness test can call the generator directly.

pub mod bench;
pub mod change_summary;
pub mod changelog;
pub mod codegen;
pub mod compiler_errors;
pub mod corpus;
pub mod document;
pub mod freshness;
pub mod generate;
pub mod generation_report;
pub mod git;
pub mod json_pointer;
pub mod layout;
pub mod normalize;
pub mod overlay;
pub mod regeneration;
pub mod rust_names;
pub mod semver;
pub mod semver_command;
pub mod spec_text;
pub mod trace;
