//! Reading cargo-semver-checks' report (0.51, run with `--verbose`): which
//! lints fired, the semver update each requires, and the items they name.

use super::bump::Bump;

/// One lint that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The lint id, e.g. `inherent_method_missing`.
    pub lint: String,
    /// Its human-readable name.
    pub title: String,
    /// The update it requires.
    pub required: Bump,
    /// A warning-level lint: likely, not certainly, breaking.
    pub warning: bool,
    /// The items it names, each once.
    pub items: Vec<String>,
}

/// What one run reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The baseline's version, from `Checking NAME vA -> vB`.
    pub baseline_version: Option<String>,
    pub findings: Vec<Finding>,
}

/// Parses a run's stdout (the failure blocks) and stderr (the verbose
/// per-lint status lines and the summary).
///
/// # Errors
///
/// When stderr has no `Summary` line: the run did not get to compare the
/// crates (typically one of them does not build).
pub fn parse(package: &str, stdout: &str, stderr: &str) -> Result<Report, String> {
    if !stderr
        .lines()
        .any(|l| l.trim_start().starts_with("Summary "))
    {
        return Err("its output has no summary (did both crates build?)".to_owned());
    }
    let baseline_version = stderr.lines().find_map(|line| {
        // Not cargo's `Checking DEP vX` lines: `Checking PACKAGE vA -> vB`.
        let rest = line.trim_start().strip_prefix("Checking ")?;
        let words: Vec<&str> = rest.split_whitespace().collect();
        if words.first() != Some(&package) || words.get(2) != Some(&"->") {
            return None;
        }
        let from = words.get(1)?;
        Some(from.trim_start_matches('v').to_owned())
    });
    let mut statuses = Vec::new();
    for line in stderr.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        // `FAIL [   0.007s]       major        inherent_method_missing`
        if let [
            status @ ("FAIL" | "WARN"),
            ..,
            level @ ("major" | "minor"),
            lint,
        ] = words.as_slice()
        {
            let required = if *level == "major" {
                Bump::Major
            } else {
                Bump::Minor
            };
            statuses.push(((*lint).to_owned(), required, *status == "WARN"));
        }
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut current: Option<Finding> = None;
    let mut in_items = false;
    for line in stdout.lines() {
        if let Some(header) = line
            .strip_prefix("--- failure ")
            .or_else(|| line.strip_prefix("--- warning "))
            .and_then(|h| h.strip_suffix(" ---"))
        {
            findings.extend(current.take());
            let (lint, title) = header.split_once(": ").unwrap_or((header, ""));
            let (required, warning) = statuses.iter().find(|(id, _, _)| id == lint).map_or(
                (Bump::Major, line.starts_with("--- warning")),
                |(_, r, w)| (*r, *w),
            );
            current = Some(Finding {
                lint: lint.to_owned(),
                title: title.to_owned(),
                required,
                warning,
                items: Vec::new(),
            });
            in_items = false;
        } else if line.trim() == "Failed in:" {
            in_items = true;
        } else if line.trim().is_empty() {
            in_items = false;
        } else if in_items
            && line.starts_with("  ")
            && let Some(finding) = current.as_mut()
        {
            let item = line.trim().to_owned();
            if !finding.items.contains(&item) {
                finding.items.push(item);
            }
        }
    }
    findings.extend(current);
    // A lint that fired without a block of its own still counts.
    for (lint, required, warning) in statuses {
        if !findings.iter().any(|f| f.lint == lint) {
            findings.push(Finding {
                lint,
                title: String::new(),
                required,
                warning,
                items: Vec::new(),
            });
        }
    }
    Ok(Report {
        baseline_version,
        findings,
    })
}

/// An item as cargo-semver-checks names it, without the file and line it
/// appends (`Client::x, previously in file /a/src/lib.rs:12`, `struct X in
/// /a/src/lib.rs:3`).
pub fn item_name(item: &str) -> &str {
    [", previously in file ", " in file ", ", in /", " in /"]
        .iter()
        .filter_map(|separator| item.find(separator))
        .min()
        .map_or(item, |end| &item[..end])
        .trim()
}

/// The item with only the file's name: `Client::x (lib.rs:12)`.
pub fn short(item: &str) -> String {
    let name = item_name(item);
    match item[name.len()..].rsplit('/').next() {
        Some(file) if file != item && !file.is_empty() => format!("{name} ({})", file.trim()),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Trimmed from a real run: submit-feedback removed from the spec.
    const STDOUT: &str = "
--- failure inherent_method_missing: pub method removed or renamed ---

Description:
A publicly-visible method or associated fn is no longer available under its prior name.
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#item-remove

Failed in:
  SubmitFeedbackRequest::new, previously in file /w/a/src/lib.rs:5196
  Client::submit_feedback, previously in file /w/a/src/lib.rs:5949
  Client::submit_feedback, previously in file /w/a/src/lib.rs:5949

--- warning partial_ord_enum_variants_reordered: enum variants reordered in #[derive(PartialOrd)] enum ---

Description:
A public enum that derives PartialOrd had its variants reordered.

Failed in:
  ErrorResponseErrorCode::Unknown moved from position 9 to 8, in /w/b/src/lib.rs:800
";

    const STDERR: &str = "
    Checking serde v1.0.228
    Checking moveworks-api v0.0.9 (/w/a)
    Checking moveworks-api v0.1.0 -> v0.1.0 (assume patch change)
    Starting 229 checks, 31 unnecessary on 2 threads
        PASS [   0.001s]       major        enum_missing
        FAIL [   0.007s]       major        inherent_method_missing
        WARN [   0.007s]       major        partial_ord_enum_variants_reordered
        FAIL [   0.002s]       minor        inherent_method_added
     Checked [   0.179s] 229 checks: 225 pass, 3 fail, 1 warn, 31 skip

     Summary semver requires new major version: 2 major and 1 minor checks failed
";

    #[test]
    fn findings_carry_their_update_and_items_once() {
        let report = parse("moveworks-api", STDOUT, STDERR).unwrap();
        assert_eq!(report.baseline_version.as_deref(), Some("0.1.0"));
        let missing = &report.findings[0];
        assert_eq!(missing.lint, "inherent_method_missing");
        assert_eq!(missing.title, "pub method removed or renamed");
        assert_eq!(missing.required, Bump::Major);
        assert!(!missing.warning);
        assert_eq!(
            missing.items,
            [
                "SubmitFeedbackRequest::new, previously in file /w/a/src/lib.rs:5196",
                "Client::submit_feedback, previously in file /w/a/src/lib.rs:5949",
            ]
        );
        let reordered = &report.findings[1];
        assert!(reordered.warning);
        assert_eq!(reordered.items.len(), 1);
        // Fired with no block on stdout: kept, with its level.
        let added = &report.findings[2];
        assert_eq!(
            (added.lint.as_str(), added.required, added.items.len()),
            ("inherent_method_added", Bump::Minor, 0)
        );
        assert_eq!(report.findings.len(), 3);
    }

    #[test]
    fn items_are_named_without_their_directories() {
        let removed = "Client::submit_feedback, previously in file /w/a/src/lib.rs:5949";
        assert_eq!(item_name(removed), "Client::submit_feedback");
        assert_eq!(short(removed), "Client::submit_feedback (lib.rs:5949)");
        let marked = "struct Message in /w/crates/moveworks-api/src/lib.rs:1299";
        assert_eq!(item_name(marked), "struct Message");
        assert_eq!(short(marked), "struct Message (lib.rs:1299)");
        let moved = "E::Unknown moved from position 9 to 8, in /w/b/src/lib.rs:800";
        assert_eq!(item_name(moved), "E::Unknown moved from position 9 to 8");
        assert_eq!(short("Client::plain"), "Client::plain");
    }

    #[test]
    fn a_clean_run_has_no_findings() {
        let stderr = "    Checking moveworks-api v0.2.3 -> v0.2.3 (no change)\n        PASS [   0.001s]       major        enum_missing\n     Summary no semver update required\n";
        let report = parse("moveworks-api", "", stderr).unwrap();
        assert!(report.findings.is_empty());
        assert_eq!(report.baseline_version.as_deref(), Some("0.2.3"));
    }

    #[test]
    fn a_run_that_did_not_compare_is_an_error() {
        let stderr = "error: failed to build rustdoc for crate moveworks-ext v0.1.0\n";
        assert!(
            parse("moveworks-ext", "", stderr)
                .unwrap_err()
                .contains("no summary")
        );
    }
}
