//! Rewrites of progenitor's output that its settings cannot express. Each is
//! a small pass over the syntax tree with its own tests; none edits text.

pub mod api_version_header;
pub mod doc_comments;
pub mod fallible_constructor;
pub mod httpmock_paths;
pub mod open_enums;
pub mod path_encoding;
pub mod reserved_idents;
pub mod schemars_impls;
