//! A target of the bench report: what it asks, what was measured, whether
//! it was met. Its own module because both the client report and the
//! codegen report write target rows.

/// What a target not measured in this run says; the file's row for it is
/// kept.
pub const NOT_MEASURED: &str = "not measured in this run";

/// A target and whether it was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub what: String,
    pub measured: String,
    /// `None`: not measured in this run.
    pub met: Option<bool>,
}
