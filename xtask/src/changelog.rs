//! The generated crate's entry in CHANGELOG.md: what a regeneration changed
//! and the semver verdict, under `## [Unreleased]`.
//!
//! An entry is keyed by the git blob of the spec it regenerated from (the
//! committed copy of `openapi.yaml`), so running `cargo xtask codegen` again
//! before committing replaces the entry instead of adding a second one, and
//! the entries of earlier commits stay as they are. It says what triggered
//! the regeneration: a new spec, a changed generator, or both.

use std::fmt::Write as _;

use crate::change_summary::Changes;
use crate::semver::{Bump, SourceChange, Verdict};

/// What one regeneration records.
pub struct Entry<'a> {
    /// The crate regenerated, e.g. `moveworks-api`.
    pub crate_name: &'a str,
    /// The spec file's name.
    pub spec_file: &'a str,
    /// The git blob id of the committed spec the crate was regenerated from
    /// (the last commit's); `none` before the first generation.
    pub from_blob: &'a str,
    /// What it was regenerated from: a new spec, a changed generator or
    /// both (see `regeneration::trigger`).
    pub trigger: &'a str,
    pub changes: &'a Changes,
    /// The verdicts there are.
    pub verdicts: &'a [Verdict],
    /// Why some crates, or all, have no verdict.
    pub not_judged: Option<&'a str>,
}

const UNRELEASED: &str = "## [Unreleased]";
const SECTION: &str = "### Changed";

fn marker(spec_file: &str, from_blob: &str) -> String {
    format!("<!-- codegen: {spec_file} {from_blob} -->")
}

impl Entry<'_> {
    fn marker(&self) -> String {
        marker(self.spec_file, self.from_blob)
    }

    /// The `(semver: ...)` part of the bullet.
    fn verdict(&self) -> String {
        let not_judged = self.not_judged.map(|why| format!("not judged ({why})"));
        if self.verdicts.is_empty() {
            return format!(
                "semver: {}",
                not_judged.unwrap_or_else(|| "not judged".to_owned())
            );
        }
        let bump = self
            .verdicts
            .iter()
            .map(|v| v.bump)
            .max()
            .unwrap_or(Bump::None);
        let docs_only = bump == Bump::None
            && self
                .verdicts
                .iter()
                .any(|v| v.source_change == SourceChange::DocsOnly);
        let mut text = if docs_only {
            "semver: **none**: documentation only, no release needed".to_owned()
        } else {
            let release = self
                .verdicts
                .iter()
                .find(|v| v.package == self.crate_name)
                .and_then(Verdict::next_version)
                .filter(|_| bump != Bump::None)
                .map(|v| format!("; release {v}"))
                .unwrap_or_default();
            format!("semver: **{}**{release}", bump.label())
        };
        if let Some(not_judged) = not_judged {
            text.push_str("; partly ");
            text.push_str(&not_judged);
        }
        text
    }

    /// The bullet, with its sub-bullets.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "- `{}` regenerated {} ({}). {}",
            self.crate_name,
            self.trigger,
            self.verdict(),
            self.marker()
        );
        let _ = writeln!(out, "  - Spec changes: {}.", self.changes.one_line());
        for verdict in self.verdicts {
            if let Some(first) = verdict.build_errors.first() {
                let _ = writeln!(
                    out,
                    "  - `{}` did not build against the regenerated client when this entry was \
                     written (fix it in the same commit): {first}.",
                    verdict.package
                );
            }
            for finding in verdict.breaking() {
                let items: Vec<String> = finding
                    .items
                    .iter()
                    .map(|item| format!("`{}`", crate::semver::report::item_name(item)))
                    .collect();
                let _ = writeln!(
                    out,
                    "  - Breaking in `{}`: {} ({}){}{}.",
                    verdict.package,
                    finding.title,
                    finding.lint,
                    if items.is_empty() { "" } else { ": " },
                    items.join(", ")
                );
            }
        }
        out
    }
}

/// `changelog` without the entry recorded for `spec_file` at `from_blob`
/// (when the regeneration it recorded has been undone).
pub fn without_entry(changelog: &str, spec_file: &str, from_blob: &str) -> String {
    let mut lines: Vec<String> = changelog.lines().map(str::to_owned).collect();
    drop_entry(&mut lines, &marker(spec_file, from_blob));
    let mut out = lines.join("\n");
    out.push('\n');
    collapse_blank_runs(&out)
}

/// Removes the bullet holding `marker` and the indented lines under it.
fn drop_entry(lines: &mut Vec<String>, marker: &str) {
    if let Some(start) = lines.iter().position(|l| l.contains(marker)) {
        let mut end = start + 1;
        while end < lines.len() && lines[end].starts_with("  ") {
            end += 1;
        }
        lines.drain(start..end);
    }
}

/// `changelog` with `entry` recorded under Unreleased, replacing an entry
/// for the same spec blob. A changelog without an Unreleased section gets
/// one after its title.
pub fn record(changelog: &str, entry: &Entry<'_>) -> String {
    let mut lines: Vec<String> = changelog.lines().map(str::to_owned).collect();
    // The previous entry for this blob goes: this one replaces it.
    drop_entry(&mut lines, &entry.marker());
    let unreleased = match lines.iter().position(|l| l.trim() == UNRELEASED) {
        Some(i) => i,
        None => {
            let at = lines
                .iter()
                .position(|l| l.starts_with("## "))
                .unwrap_or(lines.len());
            lines.splice(at..at, [UNRELEASED.to_owned(), String::new()]);
            at
        }
    };
    let section_end = lines[unreleased + 1..]
        .iter()
        .position(|l| l.starts_with("## "))
        .map_or(lines.len(), |i| unreleased + 1 + i);
    let insert_at = match lines[unreleased + 1..section_end]
        .iter()
        .position(|l| l.trim() == SECTION)
    {
        Some(i) => unreleased + 1 + i + 1,
        None => {
            let at = unreleased + 1;
            lines.splice(at..at, [String::new(), SECTION.to_owned(), String::new()]);
            at + 2
        }
    };
    // Keep one blank line between the heading and the first bullet.
    let insert_at = if lines.get(insert_at).is_some_and(|l| l.is_empty()) {
        insert_at + 1
    } else {
        lines.insert(insert_at, String::new());
        insert_at + 1
    };
    let rendered: Vec<String> = entry.render().lines().map(str::to_owned).collect();
    lines.splice(insert_at..insert_at, rendered);
    let mut out = lines.join("\n");
    out.push('\n');
    collapse_blank_runs(&out)
}

fn collapse_blank_runs(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        blank = if line.trim().is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The text of the Unreleased section (empty when there is none).
pub fn unreleased(changelog: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in changelog.lines() {
        if line.starts_with("## ") {
            inside = line.trim() == UNRELEASED;
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whether the Unreleased section records a breaking change (an entry the
/// codegen wrote, or one written by hand with `**breaking**`).
pub fn records_breaking_change(changelog: &str) -> bool {
    unreleased(changelog).contains("**breaking**")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change_summary::NameChanges;
    use crate::semver::report::{Finding, Report};

    fn changes() -> Changes {
        Changes {
            baseline: "HEAD".to_owned(),
            first_run: false,
            operations: NameChanges {
                removed: vec!["submit-feedback".to_owned()],
                ..NameChanges::default()
            },
            types: NameChanges::default(),
            other_docs: false,
        }
    }

    fn breaking_verdict() -> Verdict {
        Verdict::new(
            "moveworks-api",
            "HEAD",
            Report {
                baseline_version: Some("0.1.0".to_owned()),
                findings: vec![Finding {
                    lint: "inherent_method_missing".to_owned(),
                    title: "pub method removed or renamed".to_owned(),
                    required: Bump::Major,
                    warning: false,
                    items: vec![
                        "Client::submit_feedback, previously in file /w/src/lib.rs:5949".to_owned(),
                    ],
                }],
            },
            SourceChange::Code,
        )
    }

    const CHANGELOG: &str = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- A thing.\n\n## [0.1.0] - 2026-11-01\n\n- First.\n";

    fn entry<'a>(changes: &'a Changes, blob: &'a str, verdicts: &'a [Verdict]) -> Entry<'a> {
        Entry {
            crate_name: "moveworks-api",
            spec_file: "openapi.yaml",
            from_blob: blob,
            trigger: "from a new `openapi.yaml`",
            changes,
            verdicts,
            not_judged: None,
        }
    }

    #[test]
    fn an_entry_lands_under_unreleased_changed_and_names_breaking_items() {
        let verdicts = [breaking_verdict()];
        let changes = changes();
        let entry = entry(&changes, "abc123", &verdicts);
        let out = record(CHANGELOG, &entry);
        let unreleased = unreleased(&out);
        assert!(
            unreleased.contains(
                "### Changed\n\n- `moveworks-api` regenerated from a new `openapi.yaml` (semver: \
                 **breaking**; release 0.2.0)."
            ),
            "{out}"
        );
        assert!(
            unreleased.contains("Breaking in `moveworks-api`: pub method removed or renamed (inherent_method_missing): `Client::submit_feedback`."),
            "{out}"
        );
        assert!(
            unreleased.contains(
                "  - Spec changes: operations removed 1 (submit-feedback); types unchanged.\n"
            ),
            "{out}"
        );
        assert!(unreleased.contains("- A thing."), "{out}");
        assert!(records_breaking_change(&out));
        assert!(!records_breaking_change(CHANGELOG));
        // The released section is untouched.
        assert!(
            out.ends_with("## [0.1.0] - 2026-11-01\n\n- First.\n"),
            "{out}"
        );

        // Recording again for the same blob replaces the entry.
        let again = record(&out, &entry);
        assert_eq!(again.matches("regenerated from").count(), 1, "{again}");
        assert_eq!(again, out);
        // Another blob (a later regeneration) adds one.
        let later = Entry {
            from_blob: "def456",
            verdicts: &[],
            not_judged: Some("cargo-semver-checks is not installed"),
            ..entry
        };
        let both = record(&out, &later);
        assert_eq!(both.matches("regenerated from").count(), 2, "{both}");
        assert!(both.contains("semver: not judged (cargo-semver-checks is not installed)"));
        // Undoing the later regeneration takes its entry away again.
        assert_eq!(without_entry(&both, "openapi.yaml", "def456"), out);
    }

    #[test]
    fn the_entry_says_what_triggered_the_regeneration() {
        let changes = changes();
        for trigger in [
            "from a new `openapi.yaml`",
            "by a changed generator, from the same `openapi.yaml`",
            "from a new `openapi.yaml` and by a changed generator (both)",
        ] {
            let entry = Entry {
                trigger,
                ..entry(&changes, "abc", &[])
            };
            assert!(
                entry
                    .render()
                    .starts_with(&format!("- `moveworks-api` regenerated {trigger} (")),
                "{}",
                entry.render()
            );
        }
    }

    #[test]
    fn documentation_only_asks_for_no_release() {
        let changes = changes();
        let verdicts = [
            Verdict::documentation_only("moveworks-api", "HEAD"),
            Verdict::documentation_only("moveworks-ext", "HEAD"),
        ];
        let text = entry(&changes, "abc", &verdicts).render();
        assert!(
            text.contains("(semver: **none**: documentation only, no release needed)"),
            "{text}"
        );
        assert!(!text.contains("release 0."), "{text}");
    }

    #[test]
    fn a_crate_that_no_longer_builds_is_recorded_as_breaking() {
        let changes = changes();
        let verdicts = [
            breaking_verdict().with_broken_dependents(vec!["moveworks-ext".to_owned()]),
            Verdict::does_not_build(
                "moveworks-ext",
                "HEAD",
                vec![
                    "error[E0599]: no function `new` (crates/moveworks-ext/src/responses.rs:41)"
                        .to_owned(),
                ],
            ),
        ];
        let text = entry(&changes, "abc", &verdicts).render();
        assert!(
            text.contains("semver: **breaking**; release 0.2.0"),
            "{text}"
        );
        assert!(
            text.contains(
                "  - `moveworks-ext` did not build against the regenerated client when this entry \
                 was written (fix it in the same commit): error[E0599]: no function `new` \
                 (crates/moveworks-ext/src/responses.rs:41).\n"
            ),
            "{text}"
        );
        let partly = Entry {
            not_judged: Some("cargo-semver-checks is not installed"),
            ..entry(&changes, "abc", &verdicts[1..])
        };
        assert!(
            partly.render().contains(
                "(semver: **breaking**; partly not judged (cargo-semver-checks is not installed))"
            ),
            "{}",
            partly.render()
        );
    }

    #[test]
    fn an_entry_at_the_end_of_the_file_is_replaced_too() {
        let changes = changes();
        let once = record(
            "# Changelog\n\n## [Unreleased]\n",
            &entry(&changes, "abc", &[]),
        );
        assert!(
            once.ends_with("(submit-feedback); types unchanged.\n"),
            "{once}"
        );
        assert_eq!(record(&once, &entry(&changes, "abc", &[])), once);
    }

    #[test]
    fn an_empty_changed_heading_right_before_a_release_is_reused() {
        let changes = changes();
        let out = record(
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n## [0.1.0]\n\n- First.\n",
            &entry(&changes, "abc", &[]),
        );
        let expected = format!(
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n{}## [0.1.0]\n\n- First.\n",
            entry(&changes, "abc", &[]).render()
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn runs_of_blank_lines_become_one() {
        let changes = changes();
        let out = record(
            "# Changelog\n\n\n\n## [Unreleased]\n\n\n### Added\n\n- A.\n",
            &entry(&changes, "abc", &[]),
        );
        assert!(!out.contains("\n\n\n"), "{out}");
        assert!(
            out.starts_with("# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- `moveworks-api`"),
            "{out}"
        );
        assert!(out.ends_with("### Added\n\n- A.\n"), "{out}");
    }

    #[test]
    fn a_changelog_without_unreleased_gets_one_before_the_first_release() {
        let changes = changes();
        let verdicts = [Verdict::new(
            "moveworks-api",
            "HEAD",
            Report {
                baseline_version: Some("0.1.0".to_owned()),
                findings: Vec::new(),
            },
            SourceChange::Unchanged,
        )];
        let out = record(
            "# Changelog\n\n## [0.1.0]\n\n- First.\n",
            &entry(&changes, "abc", &verdicts),
        );
        assert!(
            out.starts_with("# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- `moveworks-api`"),
            "{out}"
        );
        assert!(out.contains("semver: **none**)"), "{out}");
        assert!(out.ends_with("## [0.1.0]\n\n- First.\n"), "{out}");
    }
}
