//! Where a setting came from, to name it when it is wrong.

use std::fmt;
use std::path::PathBuf;

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    Profile {
        key: &'static str,
        profile: String,
        file: PathBuf,
        line: usize,
    },
}

impl Source {
    /// Which layer it is: flags first, then the environment, then the
    /// profile.
    pub fn rank(&self) -> u8 {
        match self {
            Source::Flag(_) => 0,
            Source::Env(_) => 1,
            Source::Profile { .. } => 2,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => f.write_str(flag),
            Source::Env(var) => write!(f, "environment variable {var}"),
            Source::Profile {
                key,
                profile,
                file,
                line,
            } => write!(
                f,
                "{key} of profile `{profile}` ({}:{line})",
                file.display()
            ),
        }
    }
}

/// A setting's value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub source: Source,
}
