//! What a regeneration of the generated crate changed and the semver
//! verdict, as a changelog entry. `cargo xtask codegen` writes it to a
//! fragment of its own ([`fragments`]), never into CHANGELOG.md, which
//! holds what is committed: a fresh clone's codegen has nothing to rewrite.
//! A release step assembles the fragments ([`release`]). The entry says what
//! triggered the regeneration: a new spec, a changed generator, or both.

pub mod fragments;
pub mod release;

use std::fmt::Write as _;

use crate::change_summary::Changes;
use crate::semver::{Bump, SourceChange, Verdict};

/// What one regeneration records.
pub struct Entry<'a> {
    /// The crate regenerated, e.g. `moveworks-api`.
    pub crate_name: &'a str,
    /// What it was regenerated from: a new spec, a changed generator or
    /// both (see `regeneration::trigger`).
    pub trigger: &'a str,
    pub changes: &'a Changes,
    /// The verdicts there are.
    pub verdicts: &'a [Verdict],
    /// Why some crates, or all, have no verdict.
    pub not_judged: Option<&'a str>,
    /// Whether CHANGELOG.md records a release (see [`has_release`]): before
    /// the first one, the version a change would need is not named, since
    /// everything unreleased goes into the first release.
    pub released: bool,
}

const UNRELEASED: &str = "## [Unreleased]";
/// The section of the Unreleased notes that fragments go under.
const SECTION: &str = "### Changed";

impl Entry<'_> {
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
                .filter(|_| bump != Bump::None && self.released)
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
            "- `{}` regenerated {} ({}).",
            self.crate_name,
            self.trigger,
            self.verdict(),
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

/// Whether `changelog` records a release: a `## [VERSION]` heading other
/// than `## [Unreleased]`.
pub fn has_release(changelog: &str) -> bool {
    changelog
        .lines()
        .any(|line| line.starts_with("## [") && line.trim() != UNRELEASED)
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

/// Whether the Unreleased section, or one of the fragments not yet
/// assembled into it, records a breaking change (an entry the codegen
/// wrote, or one written by hand with `**breaking**`).
pub fn records_breaking_change(changelog: &str, fragments: &[String]) -> bool {
    std::iter::once(unreleased(changelog))
        .chain(fragments.iter().cloned())
        .any(|text| text.contains("**breaking**"))
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

    const CHANGELOG: &str = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- A thing.\n\n## [0.1.0] - 2026-11-01\n\n- First **breaking**.\n";

    fn entry<'a>(changes: &'a Changes, verdicts: &'a [Verdict]) -> Entry<'a> {
        Entry {
            crate_name: "moveworks-api",
            trigger: "from a new `openapi.yaml`",
            changes,
            verdicts,
            not_judged: None,
            released: true,
        }
    }

    #[test]
    fn before_the_first_release_no_release_version_is_named() {
        assert!(has_release(CHANGELOG));
        assert!(!has_release(
            "# Changelog\n\n## [Unreleased]\n\n- A thing.\n"
        ));
        let verdicts = [breaking_verdict()];
        let changes = changes();
        let unreleased = Entry {
            released: false,
            ..entry(&changes, &verdicts)
        };
        let text = unreleased.render();
        assert!(text.contains("(semver: **breaking**)."), "{text}");
        assert!(!text.contains("release 0."), "{text}");
    }

    #[test]
    fn an_entry_names_the_verdict_the_release_and_breaking_items() {
        let verdicts = [breaking_verdict()];
        let changes = changes();
        let text = entry(&changes, &verdicts).render();
        assert_eq!(
            text,
            "- `moveworks-api` regenerated from a new `openapi.yaml` (semver: **breaking**; \
             release 0.2.0).\n  \
             - Spec changes: operations removed 1 (submit-feedback); types unchanged.\n  \
             - Breaking in `moveworks-api`: pub method removed or renamed \
             (inherent_method_missing): `Client::submit_feedback`.\n"
        );
        let later = Entry {
            verdicts: &[],
            not_judged: Some("cargo-semver-checks is not installed"),
            ..entry(&changes, &verdicts)
        };
        assert!(
            later
                .render()
                .contains("(semver: not judged (cargo-semver-checks is not installed))."),
            "{}",
            later.render()
        );
    }

    #[test]
    fn a_breaking_change_is_found_in_unreleased_or_in_a_fragment() {
        // A released one does not count.
        assert!(!records_breaking_change(CHANGELOG, &[]));
        assert!(!records_breaking_change(
            CHANGELOG,
            &["- `moveworks-api` regenerated (semver: **minor**).\n".to_owned()]
        ));
        assert!(records_breaking_change(
            CHANGELOG,
            &["- `moveworks-api` regenerated (semver: **breaking**).\n".to_owned()]
        ));
        let by_hand = CHANGELOG.replace("- A thing.", "- A thing: **breaking**.");
        assert!(records_breaking_change(&by_hand, &[]));
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
                ..entry(&changes, &[])
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
        let text = entry(&changes, &verdicts).render();
        assert!(
            text.contains("(semver: **none**: documentation only, no release needed)"),
            "{text}"
        );
        assert!(!text.contains("release 0."), "{text}");
    }

    #[test]
    fn no_finding_is_none() {
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
        let text = entry(&changes, &verdicts).render();
        assert!(text.contains("(semver: **none**)."), "{text}");
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
        let text = entry(&changes, &verdicts).render();
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
            ..entry(&changes, &verdicts[1..])
        };
        assert!(
            partly.render().contains(
                "(semver: **breaking**; partly not judged (cargo-semver-checks is not installed))"
            ),
            "{}",
            partly.render()
        );
    }
}
