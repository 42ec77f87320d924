//! `cargo xtask codegen`: spec -> normalized document -> generated crates.
//!
//! [`plan`] computes every output file in memory; [`run`] then either writes
//! them (removing generated files that are no longer produced) or, with
//! `--check`, compares them with what is on disk.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use crate::change_summary::Changes;
use crate::freshness::{self, Drift, OutputFile};
use crate::generate::context::{self, CodeContext};
use crate::generate::crate_docs;
use crate::generate::manifest::{self, Dependencies};
use crate::generate::rewrite::Target as RewriteTarget;
use crate::generate::rust_code::{self, CratesUsed, RustCode};
pub use crate::generate::settings::Settings;
use crate::generation_report::Losses;
pub use crate::layout::{CLIENT_CRATE, HTTPMOCK_CRATE, WORKSPACE_COMMAND, workspace_root};
use crate::normalize::{self, Report, SkippedOperation};
use crate::regeneration::{self, Committed, Regeneration};
use crate::{overlay, spec_text, trace};

/// The stack a generation needs. typify and progenitor convert nested
/// schemas recursively, several large frames per level, and the deepest
/// public specs go past a main thread's 8 MiB. Only the pages touched are
/// ever committed, so a large reservation costs nothing on small specs.
pub const STACK_BYTES: usize = 512 * 1024 * 1024;

/// Where generated crates go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `crates/moveworks-api` and `crates/moveworks-api-httpmock` of the
    /// workspace at `root`, inheriting workspace dependencies.
    Workspace { root: PathBuf },
    /// One standalone client crate named `name` in `dir`, a workspace of
    /// its own.
    Standalone { dir: PathBuf, name: String },
    /// One client crate named `name` in `dir`, a member of the workspace
    /// the caller writes around it (the corpus builds all its crates as
    /// one workspace).
    Member { dir: PathBuf, name: String },
}

/// Everything one generation produces, before anything is written.
pub struct Plan {
    pub files: Vec<OutputFile>,
    /// Directories whose every file is generated: files there that the plan
    /// does not produce are stale.
    pub owned_dirs: Vec<PathBuf>,
    pub report: Report,
    /// Every operation left out (by the normalization, then by the
    /// generator).
    pub skipped: Vec<SkippedOperation>,
    /// The document progenitor read (`openapi/normalized.json`).
    pub normalized: Value,
    /// Where the normalized document goes (to diff against the old one).
    pub normalized_path: PathBuf,
    pub code: RustCode,
    /// What the overlay applied before the normalization, if there is one.
    pub overlay: Option<overlay::Outcome>,
}

/// Computes the output of generating `spec_text` for `target`.
pub fn plan(
    spec_text: &str,
    spec_name: &str,
    target: &Target,
    workspace_manifest: &str,
) -> Result<Plan, String> {
    plan_with(
        spec_text,
        spec_name,
        target,
        workspace_manifest,
        Settings::default(),
    )
}

/// [`plan`] with other generator settings.
pub fn plan_with(
    spec_text: &str,
    spec_name: &str,
    target: &Target,
    workspace_manifest: &str,
    settings: Settings<'_>,
) -> Result<Plan, String> {
    plan_overlaid(
        spec_text,
        None,
        spec_name,
        target,
        workspace_manifest,
        settings,
    )
}

/// [`plan_with`] with an overlay applied to the spec before the
/// normalization; the crate keeps a copy of it beside the spec's.
pub fn plan_overlaid(
    spec_text: &str,
    overlay: Option<overlay::Source<'_>>,
    spec_name: &str,
    target: &Target,
    workspace_manifest: &str,
    settings: Settings<'_>,
) -> Result<Plan, String> {
    let started = Instant::now();
    let mut normalized = spec_text::parse(spec_text).map_err(|e| format!("{spec_name}: {e}"))?;
    trace::phase("parse", started);
    let overlay_outcome = overlay
        .map(|source| overlay::apply(source, &mut normalized))
        .transpose()
        .map_err(|e| format!("{spec_name}: {e}"))?;
    let started = Instant::now();
    let report = normalize::normalize(&mut normalized).map_err(|e| format!("{spec_name}: {e}"))?;
    trace::phase("normalize", started);

    let (client_dir, client_name, command, deps) = match target {
        Target::Workspace { root } => (
            root.join("crates").join(CLIENT_CRATE),
            CLIENT_CRATE.to_owned(),
            WORKSPACE_COMMAND.to_owned(),
            Dependencies::Workspace,
        ),
        Target::Standalone { dir, name } | Target::Member { dir, name } => (
            dir.clone(),
            name.clone(),
            format!("cargo xtask codegen --spec {spec_name} --out DIR"),
            Dependencies::standalone_from(
                workspace_manifest,
                matches!(target, Target::Standalone { .. }),
            )?,
        ),
    };
    let context = CodeContext {
        crate_name: &client_name,
        regenerate_command: &command,
        spec_file: spec_name,
        wrapped_by_ext: matches!(target, Target::Workspace { .. }),
    };
    let code = rust_code::generate(&normalized, &context, settings)
        .map_err(|e| format!("{spec_name}: {e}"))?;
    // What the crate was generated from is what progenitor read, not the
    // normalization's output: the fallbacks may have left out operations
    // and made schemas untyped since.
    let normalized = code.document.clone();
    let marker = context::generated_marker(&context);
    let losses = Losses {
        spec_file: spec_name,
        crate_name: &client_name,
        marker: &marker,
        report: &report,
        code: &code,
        overlay: overlay_outcome.as_ref(),
    };
    let report_text = losses.render();
    let skipped = losses.skipped().cloned().collect();
    let title = normalized
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API")
        .to_owned();
    let description = format!("Async client for {title}, generated from its OpenAPI spec.");

    let started = Instant::now();
    let normalized_text =
        serde_json::to_string_pretty(&normalized).map_err(|e| e.to_string())? + "\n";
    trace::phase("normalized.json", started);
    let normalized_path = client_dir.join("openapi/normalized.json");
    let mut files = vec![
        OutputFile {
            path: client_dir.join("Cargo.toml"),
            contents: manifest::client(
                &marker,
                &client_name,
                &description,
                // The members of one workspace depend on the same crates
                // with the same features, so that cargo resolves the same
                // features for any of them as for all (and never rebuilds
                // one for a `--package` of its own).
                // (futures has no version of its own in the workspace, and
                // only a crate that uses it can name it.)
                match target {
                    Target::Member { .. } => CratesUsed {
                        futures: code.crates_used.futures,
                        ..CratesUsed::all()
                    },
                    Target::Workspace { .. } | Target::Standalone { .. } => code.crates_used,
                },
                &deps,
            )?,
        },
        OutputFile {
            path: client_dir.join("README.md"),
            contents: crate_docs::readme(&client_name, &description, &context),
        },
        OutputFile {
            path: client_dir.join("openapi/openapi.yaml"),
            contents: spec_text.to_owned(),
        },
        OutputFile {
            path: normalized_path.clone(),
            contents: normalized_text,
        },
    ];
    if let Some(source) = overlay {
        files.push(OutputFile {
            path: client_dir.join("openapi").join(overlay::OVERLAY_FILE),
            contents: source.text.to_owned(),
        });
    }
    files.extend([
        OutputFile {
            path: client_dir.join("openapi/report.md"),
            contents: report_text,
        },
        OutputFile {
            path: client_dir.join("src/lib.rs"),
            contents: code.client_lib.clone(),
        },
        OutputFile {
            path: client_dir.join("src/call.rs"),
            contents: code.client_call.clone(),
        },
    ]);
    let mut owned_dirs = vec![];
    if let Target::Workspace { root } = target {
        let mock_dir = root.join("crates").join(HTTPMOCK_CRATE);
        let mock_summary = format!("Typed httpmock helpers for {CLIENT_CRATE}.");
        files.extend([
            OutputFile {
                path: mock_dir.join("Cargo.toml"),
                contents: manifest::httpmock(&marker, HTTPMOCK_CRATE, CLIENT_CRATE, &deps)?,
            },
            OutputFile {
                path: mock_dir.join("README.md"),
                contents: crate_docs::readme(HTTPMOCK_CRATE, &mock_summary, &context),
            },
            OutputFile {
                path: mock_dir.join("src/lib.rs"),
                contents: code.httpmock_lib.clone(),
            },
        ]);
        owned_dirs = vec![client_dir, mock_dir];
    }
    Ok(Plan {
        files,
        owned_dirs,
        report,
        skipped,
        normalized,
        normalized_path,
        code,
        overlay: overlay_outcome,
    })
}

/// What `cargo xtask codegen` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub spec: PathBuf,
    pub target: Target,
    pub check: bool,
    /// After writing the workspace crates, judge the change (the build
    /// check and cargo-semver-checks) and record it in CHANGELOG.md.
    pub semver: bool,
    /// Where that judgment's cargo runs build: the workspace's own target
    /// dir when `None`.
    pub target_dir: Option<PathBuf>,
}

/// Runs one generation and prints what it did on stdout. `Ok(false)` means
/// `--check` found drift.
pub fn run(options: &Options) -> Result<bool, String> {
    run_to(options, &mut std::io::stdout())
}

/// [`run`], printing to `out`, with the overlay beside the spec (see
/// [`overlay::beside`]) if there is one.
pub fn run_to(options: &Options, out: &mut dyn Write) -> Result<bool, String> {
    run_overlaid_to(options, None, out)
}

/// [`run`] with the overlay at `overlay` (which must exist), or the one
/// beside the spec when `None`.
pub fn run_overlaid(options: &Options, overlay: Option<&Path>) -> Result<bool, String> {
    run_overlaid_to(options, overlay, &mut std::io::stdout())
}

fn run_overlaid_to(
    options: &Options,
    overlay_path: Option<&Path>,
    out: &mut dyn Write,
) -> Result<bool, String> {
    let spec_text = spec_text::read(&options.spec)?;
    let spec_name = options
        .spec
        .file_name()
        .map_or_else(|| "spec".into(), |n| n.to_string_lossy().into_owned());
    let overlay_path = match overlay_path {
        Some(path) => Some(path.to_path_buf()),
        None => Some(overlay::beside(&options.spec)).filter(|path| path.exists()),
    };
    let overlay_text = overlay_path.as_deref().map(spec_text::read).transpose()?;
    let overlay_name = overlay_path
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let overlay = overlay_text.as_deref().map(|text| overlay::Source {
        file_name: &overlay_name,
        text,
    });
    let overlay_name_and_text = overlay_text
        .as_deref()
        .map(|text| (overlay_name.as_str(), text));
    let root = match &options.target {
        Target::Workspace { root } => root.clone(),
        Target::Standalone { .. } | Target::Member { .. } => workspace_root(),
    };
    let workspace_manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    let settings = Settings::default();
    let plan = plan_overlaid(
        &spec_text,
        overlay,
        &spec_name,
        &options.target,
        &workspace_manifest,
        settings,
    )?;

    // The baseline is the last commit's generated crates; without git, the
    // files on disk (which a first run has already overwritten).
    let committed = match &options.target {
        Target::Workspace { root } => Some(Committed::at(root, "HEAD")),
        Target::Standalone { .. } | Target::Member { .. } => None,
    };
    let on_disk = || {
        std::fs::read_to_string(&plan.normalized_path)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
    };
    let (previous, baseline) = match &committed {
        Some(Ok(committed)) => (committed.normalized(), committed.rev.clone()),
        Some(Err(why)) => (on_disk(), format!("the files on disk (git: {why})")),
        None => (on_disk(), "the crate on disk".to_owned()),
    };
    let changes = Changes::between(previous.as_ref(), &plan.normalized, &baseline);
    print_summary(out, &spec_name, &plan, &changes);

    let drift = freshness::compare(&plan.files, &plan.owned_dirs);
    if options.check {
        if drift.is_empty() {
            let _ = writeln!(out, "codegen --check: generated code is up to date");
            return Ok(true);
        }
        eprintln!("{}", freshness::describe(&drift, &root));
        eprintln!("{}", stale_hint(options));
        return Ok(false);
    }
    freshness::apply(&drift).map_err(|e| format!("writing generated files failed: {e}"))?;
    if let Target::Standalone { dir, .. } = &options.target {
        seed_lockfile(&root, dir);
    }
    let _ = writeln!(
        out,
        "codegen: {} file(s) written, {} removed",
        count(&drift, false),
        count(&drift, true)
    );
    if let (Target::Workspace { root }, true, Some(committed)) =
        (&options.target, options.semver, &committed)
    {
        // Called with the committed spec: regenerated with the committed
        // copy of the overlay, so that only a generator change can make it
        // differ from the committed crates.
        let committed_overlay = committed.as_ref().ok().and_then(|committed| {
            let copy = PathBuf::from("crates")
                .join(CLIENT_CRATE)
                .join("openapi")
                .join(overlay::OVERLAY_FILE);
            committed.files.get(&copy).cloned()
        });
        let regenerate = |text: &str| {
            let overlay = committed_overlay.as_deref().map(|text| overlay::Source {
                file_name: overlay::OVERLAY_FILE,
                text,
            });
            plan_overlaid(
                text,
                overlay,
                &spec_name,
                &options.target,
                &workspace_manifest,
                settings,
            )
            .map(|plan| plan.files)
        };
        let regeneration = Regeneration {
            root,
            spec_file: &spec_name,
            spec_text: &spec_text,
            overlay: overlay_name_and_text,
            files: &plan.files,
            changes: &changes,
            regenerate: &regenerate,
            target_dir: options.target_dir.as_deref(),
        };
        regeneration::judge_and_record(
            &regeneration,
            committed.as_ref().map_err(String::as_str),
            out,
        )?;
    }
    Ok(true)
}

fn count(drift: &[Drift], stale: bool) -> usize {
    drift
        .iter()
        .filter(|d| matches!(d, Drift::Stale { .. }) == stale)
        .count()
}

/// The exact command that brings the checked output up to date.
fn stale_hint(options: &Options) -> String {
    match &options.target {
        Target::Workspace { .. } => {
            "generated code is stale: run `cargo xtask codegen` and commit the result".to_owned()
        }
        Target::Standalone { dir, .. } | Target::Member { dir, .. } => format!(
            "generated crate is stale: run `cargo xtask codegen --spec {} --out {}`",
            options.spec.display(),
            dir.display()
        ),
    }
}

/// A standalone crate starts from the workspace's lock file, so it builds
/// with the versions the SDK is tested with (cargo prunes what it does not
/// need). An existing lock file is left alone.
pub fn seed_lockfile(root: &Path, dir: &Path) {
    let target = dir.join("Cargo.lock");
    if !target.exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), target);
    }
}

fn print_summary(out: &mut dyn Write, spec_name: &str, plan: &Plan, changes: &Changes) {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "codegen: {spec_name}: {} operation(s), {} type(s)",
        plan.code.operation_count, plan.code.type_count
    );
    if let Some(overlay) = &plan.overlay {
        overlay_summary(&mut text, overlay);
    }
    let _ = write!(text, "  {changes}");
    work_summary(&mut text, plan);
    loss_summary(&mut text, plan);
    let _ = out.write_all(text.as_bytes());
}

fn overlay_summary(text: &mut String, overlay: &overlay::Outcome) {
    let _ = writeln!(
        text,
        "  overlay: {} (\"{}\", version {}): {} action(s) applied before the normalization",
        overlay.file_name,
        overlay.title,
        overlay.version,
        overlay.actions.len()
    );
    for (number, action) in overlay.actions.iter().enumerate() {
        let _ = writeln!(
            text,
            "    {}. {} `{}` ({} node(s)): {}",
            number + 1,
            action.kind,
            action.target,
            action.nodes,
            action.description.lines().next().unwrap_or_default()
        );
    }
}

/// What every normalization pass and every rewrite changed, by count, and
/// what the union naming and opening did.
fn work_summary(text: &mut String, plan: &Plan) {
    let table = |rows: &mut dyn Iterator<Item = (&str, usize)>| {
        let rows: Vec<String> = rows.map(|(name, n)| format!("{name} {n}")).collect();
        rows.join(", ")
    };
    let passes = table(&mut plan.report.counts().into_iter());
    let _ = writeln!(text, "  normalization: {passes}");
    for (target, what) in [
        (RewriteTarget::Client, "the client"),
        (RewriteTarget::Httpmock, "the httpmock helpers"),
    ] {
        let rewrites = plan.code.rewrites.iter().filter(|r| r.target == target);
        let rewrites = table(&mut rewrites.map(|r| (r.name, r.count)));
        let _ = writeln!(text, "  rewrites of {what}: {rewrites}");
    }
    for named in plan.report.union_naming() {
        let _ = writeln!(
            text,
            "  union variants: {} (at `{}`)",
            named.message, named.pointer
        );
    }
    if !plan.code.open_unions.is_empty() {
        let _ = writeln!(
            text,
            "  open unions: {} ({})",
            plan.code.open_unions.len(),
            plan.code.open_unions.join(", ")
        );
    }
}

/// The warnings: what the generated crate does not carry of the spec.
fn loss_summary(text: &mut String, plan: &Plan) {
    for warning in plan.report.warnings() {
        let _ = writeln!(
            text,
            "  warning: {} (at `{}`, pass {})",
            warning.message, warning.pointer, warning.pass
        );
    }
    for skipped in &plan.skipped {
        let _ = writeln!(
            text,
            "  warning: skipped operation `{}` (at `{}`): {}",
            skipped.operation_id, skipped.pointer, skipped.reason
        );
    }
    for untyped in &plan.code.untyped {
        let what = if untyped.kept_type {
            "schema generated without its defaults"
        } else {
            "schema generated as an untyped JSON value"
        };
        let _ = writeln!(
            text,
            "  warning: {what} (at `{}`): {}",
            untyped.pointer,
            untyped.reason.lines().next().unwrap_or_default()
        );
    }
    for (name, why) in &plan.code.closed_unions {
        let _ = writeln!(
            text,
            "  warning: union `{name}` could not be opened ({why}); a kind the spec does not \
             name will fail to decode"
        );
    }
    for name in &plan.code.closed_enums {
        let _ = writeln!(
            text,
            "  warning: enum `{name}` could not be opened; unknown values will fail to decode"
        );
    }
    if let Some(reason) = &plan.code.builders_missing {
        let _ = writeln!(
            text,
            "  warning: the types have no builders (progenitor's builder-style run failed: {}); \
             structs are built with `new` or deserialized",
            reason.lines().next().unwrap_or_default()
        );
    }
}
