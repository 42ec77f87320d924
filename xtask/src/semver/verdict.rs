//! A crate's verdict: the semver update a regeneration needs, the version
//! to release, and the items that make it so.

use std::fmt;

use super::bump::{Bump, next_version};
use super::report::{Finding, Report};

/// The verdict on one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub package: String,
    pub baseline: String,
    pub bump: Bump,
    /// The baseline's version, when the report gave it.
    pub baseline_version: Option<String>,
    pub findings: Vec<Finding>,
    /// The crate's sources differ from the baseline's.
    pub sources_changed: bool,
}

impl Verdict {
    /// Combines cargo-semver-checks' findings with whether the sources
    /// changed: a change with no finding is still an addition (there is no
    /// lint for a field added to a `#[non_exhaustive]` struct, for one).
    pub fn new(package: &str, baseline: &str, report: Report, sources_changed: bool) -> Self {
        let from_lints = report
            .findings
            .iter()
            .map(|f| f.required)
            .max()
            .unwrap_or(Bump::None);
        let floor = if sources_changed {
            Bump::Minor
        } else {
            Bump::None
        };
        Verdict {
            package: package.to_owned(),
            baseline: baseline.to_owned(),
            bump: from_lints.max(floor),
            baseline_version: report.baseline_version,
            findings: report.findings,
            sources_changed,
        }
    }

    /// The version to release, given the baseline's.
    pub fn next_version(&self) -> Option<String> {
        next_version(self.baseline_version.as_deref()?, self.bump)
    }

    /// The breaking findings.
    pub fn breaking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.required == Bump::Major)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let release = match (
            self.bump,
            self.baseline_version.as_deref(),
            self.next_version(),
        ) {
            (Bump::None, _, _) => String::new(),
            (_, Some(from), Some(to)) => format!("; release {to} (from {from})"),
            _ => String::new(),
        };
        let summary = match self.bump {
            Bump::None => "no change to the public API",
            Bump::Minor => "minor: additions only, existing code keeps compiling",
            Bump::Major => "BREAKING: existing code may stop compiling or behave differently",
        };
        writeln!(
            f,
            "semver: {} against {}: {summary}{release}",
            self.package, self.baseline
        )?;
        for finding in &self.findings {
            let kind = match (finding.required, finding.warning) {
                (Bump::Major, false) => "breaking",
                (Bump::Major, true) => "likely breaking",
                _ => "addition",
            };
            writeln!(f, "  {kind}: {} ({})", finding.title, finding.lint)?;
            for item in &finding.items {
                writeln!(f, "    {}", super::report::short(item))?;
            }
        }
        if self.bump == Bump::Minor && self.findings.is_empty() {
            writeln!(
                f,
                "  the sources changed with no lint firing: fields, enum values or docs were added"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(lint: &str, required: Bump) -> Finding {
        Finding {
            lint: lint.to_owned(),
            title: "t".to_owned(),
            required,
            warning: false,
            items: vec!["Client::x".to_owned()],
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report {
            baseline_version: Some("0.1.0".to_owned()),
            findings,
        }
    }

    #[test]
    fn the_largest_finding_sets_the_bump() {
        let v = Verdict::new(
            "p",
            "HEAD",
            report(vec![
                finding("inherent_method_added", Bump::Minor),
                finding("inherent_method_missing", Bump::Major),
            ]),
            true,
        );
        assert_eq!(v.bump, Bump::Major);
        assert_eq!(v.next_version().as_deref(), Some("0.2.0"));
        assert_eq!(v.breaking().count(), 1);
        let text = v.to_string();
        assert!(text.contains("BREAKING"), "{text}");
        assert!(text.contains("release 0.2.0 (from 0.1.0)"), "{text}");
        assert!(
            text.contains("breaking: t (inherent_method_missing)"),
            "{text}"
        );
        assert!(text.contains("\n    Client::x\n"), "{text}");
    }

    #[test]
    fn changed_sources_with_no_finding_are_minor_and_unchanged_ones_none() {
        let minor = Verdict::new("p", "HEAD", report(vec![]), true);
        assert_eq!(minor.bump, Bump::Minor);
        assert_eq!(minor.next_version().as_deref(), Some("0.1.1"));
        let none = Verdict::new("p", "HEAD", report(vec![]), false);
        assert_eq!(none.bump, Bump::None);
        assert_eq!(none.next_version().as_deref(), Some("0.1.0"));
        assert!(none.to_string().contains("no change"));
        // A minor finding without changed sources (a doc edit elsewhere) is minor.
        let lint_only = Verdict::new("p", "HEAD", report(vec![finding("x", Bump::Minor)]), false);
        assert_eq!(lint_only.bump, Bump::Minor);
    }

    #[test]
    fn the_report_says_only_what_applies() {
        let quiet = "the sources changed with no lint firing";
        let none = Verdict::new("p", "HEAD", report(vec![]), false).to_string();
        assert!(!none.contains("release"), "{none}");
        assert!(!none.contains(quiet), "{none}");
        let minor = Verdict::new("p", "HEAD", report(vec![]), true).to_string();
        assert!(minor.contains(quiet), "{minor}");
        let mut likely = finding("partial_ord_enum_variants_reordered", Bump::Major);
        likely.warning = true;
        let major = Verdict::new("p", "HEAD", report(vec![likely]), true).to_string();
        assert!(
            major.contains("\n  likely breaking: t (partial_ord"),
            "{major}"
        );
        assert!(!major.contains(quiet), "{major}");
        let added = Verdict::new(
            "p",
            "HEAD",
            report(vec![finding("inherent_method_added", Bump::Minor)]),
            true,
        )
        .to_string();
        assert!(
            added.contains("\n  addition: t (inherent_method_added)"),
            "{added}"
        );
        assert!(!added.contains(quiet), "{added}");
    }
}
