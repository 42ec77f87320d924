//! The semver update a change needs, and the version it leads to.

use ::semver::Version;

/// The semver update a change needs, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// The public API is unchanged.
    None,
    /// Additions only: existing users keep compiling.
    Minor,
    /// Something existing users may rely on changed or went away.
    Major,
}

impl Bump {
    /// The word used in reports and in CHANGELOG.md.
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor",
            Bump::Major => "breaking",
        }
    }
}

/// `version` bumped for `bump`, the Cargo way: before 1.0 a breaking change
/// bumps the minor number and an addition the patch number. `None` when
/// `version` is not a semver version.
pub fn next_version(version: &str, bump: Bump) -> Option<String> {
    let current = Version::parse(version).ok()?;
    let next = match (bump, current.major) {
        (Bump::None, _) => current,
        (Bump::Major, 0) => Version::new(0, current.minor + 1, 0),
        (Bump::Minor, 0) => Version::new(0, current.minor, current.patch + 1),
        (Bump::Major, major) => Version::new(major + 1, 0, 0),
        (Bump::Minor, major) => Version::new(major, current.minor + 1, 0),
    };
    Some(next.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_the_cargo_way() {
        assert_eq!(next_version("0.1.0", Bump::Major).as_deref(), Some("0.2.0"));
        assert_eq!(next_version("0.3.4", Bump::Minor).as_deref(), Some("0.3.5"));
        assert_eq!(next_version("1.2.3", Bump::Major).as_deref(), Some("2.0.0"));
        assert_eq!(next_version("1.2.3", Bump::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(
            next_version("1.2.3-rc.1", Bump::Minor).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(next_version("1.2.3", Bump::None).as_deref(), Some("1.2.3"));
        assert_eq!(
            next_version("0.4.0-alpha.2", Bump::None).as_deref(),
            Some("0.4.0-alpha.2")
        );
        assert_eq!(next_version("one.two", Bump::Minor), None);
        assert_eq!(next_version("1.2", Bump::Minor), None);
    }
}
