//! A crate's verdict: the semver update a regeneration needs, the version
//! to release, and the items that make it so.

use std::fmt;

use super::bump::{Bump, next_version};
use super::report::{Finding, Report};
use super::source_change::SourceChange;

/// The verdict on one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub package: String,
    pub baseline: String,
    pub bump: Bump,
    /// The baseline's version, when the report gave it.
    pub baseline_version: Option<String>,
    pub findings: Vec<Finding>,
    /// How the crate's sources changed since the baseline.
    pub source_change: SourceChange,
    /// When the crate no longer builds: its first compiler errors, each
    /// with its file and line.
    pub build_errors: Vec<String>,
    /// Workspace crates that no longer build against this one.
    pub broken_dependents: Vec<String>,
}

impl Verdict {
    /// Combines cargo-semver-checks' findings with how the sources changed:
    /// changed code with no finding is still an addition (there is no lint
    /// for a field added to a `#[non_exhaustive]` struct, for one); changed
    /// documentation alone is nothing to release.
    pub fn new(package: &str, baseline: &str, report: Report, source_change: SourceChange) -> Self {
        let from_lints = report
            .findings
            .iter()
            .map(|f| f.required)
            .max()
            .unwrap_or(Bump::None);
        let floor = if source_change == SourceChange::Code {
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
            source_change,
            build_errors: Vec::new(),
            broken_dependents: Vec::new(),
        }
    }

    /// A crate whose sources changed in their documentation only: its API
    /// is the baseline's, so there is nothing for cargo-semver-checks to
    /// find.
    pub fn documentation_only(package: &str, baseline: &str) -> Self {
        let none = Report {
            baseline_version: None,
            findings: Vec::new(),
        };
        Verdict::new(package, baseline, none, SourceChange::DocsOnly)
    }

    /// A crate that built at the baseline and no longer does: whatever its
    /// own sources, code like it stops compiling.
    pub fn does_not_build(package: &str, baseline: &str, errors: Vec<String>) -> Self {
        let none = Report {
            baseline_version: None,
            findings: Vec::new(),
        };
        let mut verdict = Verdict::new(package, baseline, none, SourceChange::Unchanged);
        verdict.bump = Bump::Major;
        verdict.build_errors = errors;
        verdict
    }

    /// Records that `dependents` no longer build against this crate: proof
    /// of a breaking change, whatever the lints found.
    pub fn with_broken_dependents(mut self, dependents: Vec<String>) -> Self {
        if !dependents.is_empty() {
            self.bump = Bump::Major;
        }
        self.broken_dependents = dependents;
        self
    }

    /// Before the first release the baseline's version was never
    /// published: whatever the change, it goes into that first release, so
    /// the verdict names no version to release.
    pub fn unless_released(mut self, released: bool) -> Self {
        if !released {
            self.baseline_version = None;
        }
        self
    }

    /// The version to release, given the baseline's.
    pub fn next_version(&self) -> Option<String> {
        next_version(self.baseline_version.as_deref()?, self.bump)
    }

    /// The breaking findings.
    pub fn breaking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.required == Bump::Major)
    }

    /// The one-line summary: what kind of change, and what to do.
    pub fn summary(&self) -> &'static str {
        match (self.bump, self.source_change) {
            _ if !self.build_errors.is_empty() => {
                "BREAKING: it no longer builds against the regenerated client; fix it in this same \
                 commit"
            }
            (Bump::None, SourceChange::DocsOnly) => "none: documentation only; no release needed",
            (Bump::None, _) => "none: the public API is unchanged",
            (Bump::Minor, _) if self.findings.is_empty() => {
                "minor: the code changed and existing code keeps compiling"
            }
            (Bump::Minor, _) => "minor: additions only, existing code keeps compiling",
            (Bump::Major, _) => "BREAKING: existing code may stop compiling or behave differently",
        }
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
        writeln!(
            f,
            "semver: {} against {}: {}{release}",
            self.package,
            self.baseline,
            self.summary()
        )?;
        for error in &self.build_errors {
            writeln!(f, "  {error}")?;
        }
        for dependent in &self.broken_dependents {
            writeln!(f, "  breaking: {dependent} no longer builds against it")?;
        }
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
                "  the code changed with no lint firing: nothing breaks; minor because \
                 cargo-semver-checks does not report additions (fields, enum values, methods), \
                 a patch if only function bodies changed"
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
            SourceChange::Code,
        );
        assert_eq!(v.bump, Bump::Major);
        assert_eq!(v.next_version().as_deref(), Some("0.2.0"));
        assert_eq!(v.breaking().count(), 1);
        let text = v.to_string();
        assert!(text.contains("BREAKING"), "{text}");
        assert!(text.contains("release 0.2.0 (from 0.1.0)"), "{text}");
        let unreleased = v.clone().unless_released(false).to_string();
        assert!(!unreleased.contains("release 0."), "{unreleased}");
        assert!(
            text.contains("breaking: t (inherent_method_missing)"),
            "{text}"
        );
        assert!(text.contains("\n    Client::x\n"), "{text}");
    }

    #[test]
    fn changed_sources_with_no_finding_are_minor_and_unchanged_ones_none() {
        let minor = Verdict::new("p", "HEAD", report(vec![]), SourceChange::Code);
        assert_eq!(minor.bump, Bump::Minor);
        assert_eq!(minor.next_version().as_deref(), Some("0.1.1"));
        let none = Verdict::new("p", "HEAD", report(vec![]), SourceChange::Unchanged);
        assert_eq!(none.bump, Bump::None);
        assert_eq!(none.next_version().as_deref(), Some("0.1.0"));
        assert!(
            none.to_string()
                .contains("none: the public API is unchanged")
        );
        // A minor finding without changed sources (a doc edit elsewhere) is minor.
        let lint_only = Verdict::new(
            "p",
            "HEAD",
            report(vec![finding("x", Bump::Minor)]),
            SourceChange::Unchanged,
        );
        assert_eq!(lint_only.bump, Bump::Minor);
    }

    #[test]
    fn documentation_only_needs_no_release() {
        let docs = Verdict::new("p", "HEAD", report(vec![]), SourceChange::DocsOnly);
        assert_eq!(docs.bump, Bump::None);
        assert_eq!(docs.next_version().as_deref(), Some("0.1.0"));
        let text = docs.to_string();
        assert_eq!(
            text,
            "semver: p against HEAD: none: documentation only; no release needed\n"
        );
        assert_eq!(Verdict::documentation_only("p", "HEAD").bump, Bump::None);
        // A lint that fires anyway still counts.
        let lint = Verdict::new(
            "p",
            "HEAD",
            report(vec![finding("x", Bump::Major)]),
            SourceChange::DocsOnly,
        );
        assert_eq!(lint.bump, Bump::Major);
    }

    #[test]
    fn a_crate_that_no_longer_builds_is_breaking_never_no_change() {
        let broken = Verdict::does_not_build(
            "moveworks-ext",
            "HEAD",
            vec![
                "error[E0599]: no function `new` (crates/moveworks-ext/src/responses.rs:41)"
                    .to_owned(),
            ],
        );
        assert_eq!(broken.bump, Bump::Major);
        let text = broken.to_string();
        assert!(text.contains("BREAKING: it no longer builds against the regenerated client; fix it in this same commit"), "{text}");
        assert!(
            text.contains(
                "\n  error[E0599]: no function `new` (crates/moveworks-ext/src/responses.rs:41)\n"
            ),
            "{text}"
        );
        assert!(!text.contains("none"), "{text}");
        let api = Verdict::new("moveworks-api", "HEAD", report(vec![]), SourceChange::Code)
            .with_broken_dependents(vec!["moveworks-ext".to_owned()]);
        assert_eq!(api.bump, Bump::Major);
        assert!(
            api.to_string()
                .contains("\n  breaking: moveworks-ext no longer builds against it\n")
        );
        let fine = Verdict::new("moveworks-api", "HEAD", report(vec![]), SourceChange::Code)
            .with_broken_dependents(Vec::new());
        assert_eq!(fine.bump, Bump::Minor);
    }

    #[test]
    fn the_report_says_only_what_applies() {
        let quiet = "the code changed with no lint firing";
        let none = Verdict::new("p", "HEAD", report(vec![]), SourceChange::Unchanged).to_string();
        assert!(!none.contains("release"), "{none}");
        assert!(!none.contains(quiet), "{none}");
        let minor = Verdict::new("p", "HEAD", report(vec![]), SourceChange::Code).to_string();
        assert!(minor.contains(quiet), "{minor}");
        let mut likely = finding("partial_ord_enum_variants_reordered", Bump::Major);
        likely.warning = true;
        let major = Verdict::new("p", "HEAD", report(vec![likely]), SourceChange::Code).to_string();
        assert!(
            major.contains("\n  likely breaking: t (partial_ord"),
            "{major}"
        );
        assert!(!major.contains(quiet), "{major}");
        let added = Verdict::new(
            "p",
            "HEAD",
            report(vec![finding("inherent_method_added", Bump::Minor)]),
            SourceChange::Code,
        )
        .to_string();
        assert!(
            added.contains("\n  addition: t (inherent_method_added)"),
            "{added}"
        );
        assert!(!added.contains(quiet), "{added}");
    }
}
