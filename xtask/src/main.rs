//! `cargo xtask <command>`; see `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::codegen::{self, Options, Target};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--no-semver] [--spec PATH [--overlay PATH]] [--out DIR [--name NAME]]
      Regenerate crates/moveworks-api and crates/moveworks-api-httpmock from
      openapi.yaml with the OpenAPI Overlay 1.0 document beside it
      (openapi.overlay.yaml) applied, if there is one, and say what changed
      against the last commit. When the generated crates changed: whether a
      new spec, a generator change or both did it; whether every workspace
      crate still builds against the new client (cargo check); the semver
      verdict of cargo-semver-checks (as `semver` gives it; none,
      documentation only, when only docs changed); all recorded in one
      changelog fragment, .changelog/codegen-HASH.md (never in CHANGELOG.md
      itself).
      --no-semver skips that judgment.
      --check compares instead of writing and fails when the committed
      output is stale. --spec reads another spec, DIR/NAME.yaml, with
      DIR/NAME.overlay.yaml if there is one (--overlay names another);
      --out writes one standalone, buildable client crate into DIR (named
      after DIR unless --name is given) instead of touching the workspace.
  semver [--baseline REV | --from-base] [--require-changelog]
      The semver verdict on moveworks-api and moveworks-ext against REV
      (default HEAD): breaking, minor or none, the version to release, and
      each breaking item. --from-base judges against the commit recorded in
      .ci/semver-base (the last release; CI), failing when this clone does
      not have it. --require-changelog fails a breaking verdict that neither
      CHANGELOG.md's [Unreleased] section nor a fragment in .changelog/
      records. Needs the pinned cargo-semver-checks; prints how to install
      it when missing.
  semver install
      Install the pinned cargo-semver-checks unless it is already there.
  changelog [--release VERSION]
      Print the [Unreleased] notes of CHANGELOG.md with the fragments of
      .changelog/ under Changed. --release VERSION moves them into
      CHANGELOG.md under `## [VERSION] - DATE`, deletes the fragments and
      records HEAD as the semver base (.ci/semver-base).
  corpus [--out DIR] [--no-check | --doctest] [--also DIR]... [NAME...]
      Generate a crate from every OpenAPI spec of the public test corpus and
      `cargo check` them all with one target dir. The corpus is read from
      ../shared/specs/corpus beside the workspace, or from
      $MOVEWORKS_CORPUS_DIR. NAME keeps only specs whose name contains it.
      --doctest builds each crate and runs its doctests instead of checking
      it (slower: a full build). --also DIR adds the specs of DIR (CI adds
      xtask/tests/specs). The crates are built as one workspace in DIR.
  bench [--smoke] [--build] [--corpus] [--codegen] [--users] [--output FILE]
      Measure client overhead (raw reqwest vs the generated client vs
      moveworks-ext): instructions per call under callgrind (skipped, with
      a note, where valgrind is not installed), CPU time per call,
      throughput, latency and memory; and codegen time. Updates the figures
      of BENCHMARKS.md between its `<!-- bench:begin/end NAME -->` markers
      (what it did not measure, and all text outside them, stay as they
      are); a file without them is an error.
      Works with any target dir (CARGO_TARGET_DIR, build.target-dir).
      --build adds cold-build times (minutes); --corpus times the corpus step
      of CI from an empty target dir (minutes); --codegen measures code
      generation only and prints its section (written only to --output).
      --users measures per-user handles only (for_user, a call through one,
      the token cache's memory) and updates their section and target rows.
      --smoke runs a few iterations only (CI) and writes nothing unless
      --output is given.
  help
      Print this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let worker = std::thread::Builder::new()
        .name("xtask".to_owned())
        .stack_size(codegen::STACK_BYTES)
        .spawn(move || command(&args));
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("error: the xtask panicked (a bug in the xtask; please report it)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot start the xtask thread: {e}");
            ExitCode::FAILURE
        }
    }
}

fn command(args: &[String]) -> ExitCode {
    let command = args.first().map(String::as_str);
    if !matches!(command, None | Some("help" | "--help" | "-h"))
        && let Err(why) = xtask::layout::checked_workspace_root()
    {
        eprintln!("error: {why}");
        return ExitCode::FAILURE;
    }
    let result = match command {
        Some("codegen") => parse_codegen(&args[1..])
            .map(|(options, overlay)| codegen::run_overlaid(&options, overlay.as_deref())),
        Some("bench") => {
            parse_bench(&args[1..]).map(|options| xtask::bench::run(&options).map(|()| true))
        }
        Some("corpus") => {
            parse_corpus(&args[1..]).map(|options| xtask::corpus::run(&options).map(|()| true))
        }
        Some("semver") => parse_semver(&args[1..]).map(|command| match command {
            SemverCommand::Install => xtask::semver::tool::install().map(|()| true),
            SemverCommand::Judge {
                baseline,
                require_changelog,
            } => {
                let root = codegen::workspace_root();
                baseline
                    .map_or_else(|| xtask::semver::base::resolve(&root), Ok)
                    .and_then(|rev| {
                        xtask::semver_command::run(
                            &root,
                            &rev,
                            require_changelog,
                            None,
                            &mut std::io::stdout(),
                        )
                    })
            }
        }),
        Some("changelog") => parse_changelog(&args[1..]).map(|version| {
            xtask::changelog::release::run(
                &codegen::workspace_root(),
                version.as_deref(),
                &mut std::io::stdout(),
            )
            .map(|()| true)
        }),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command `{other}`")),
        None => Err("no command given".to_owned()),
    };
    match result {
        Err(usage) => usage_error(&usage),
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::FAILURE,
        Ok(Err(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// The options, and the overlay named by `--overlay`.
fn parse_codegen(args: &[String]) -> Result<(Options, Option<PathBuf>), String> {
    let root = codegen::workspace_root();
    let mut spec = root.join("openapi.yaml");
    let mut out: Option<PathBuf> = None;
    let mut name: Option<String> = None;
    let mut overlay: Option<PathBuf> = None;
    let mut spec_given = false;
    let mut check = false;
    let mut semver = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--check" => check = true,
            "--no-semver" => semver = false,
            "--spec" => {
                spec = PathBuf::from(value("--spec")?);
                spec_given = true;
            }
            "--overlay" => overlay = Some(PathBuf::from(value("--overlay")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            other => return Err(format!("unknown codegen argument `{other}`")),
        }
    }
    if overlay.is_some() && !spec_given {
        return Err(
            "--overlay only applies with --spec (the workspace's overlay is openapi.overlay.yaml)"
                .to_owned(),
        );
    }
    let target = match out {
        None if name.is_some() => return Err("--name only applies with --out".to_owned()),
        None => Target::Workspace { root },
        Some(dir) => {
            let name = match name {
                Some(name) => name,
                None => crate_name_from(&dir)?,
            };
            Target::Standalone { dir, name }
        }
    };
    Ok((
        Options {
            spec,
            target,
            check,
            semver,
            target_dir: None,
        },
        overlay,
    ))
}

enum SemverCommand {
    Install,
    Judge {
        /// `None`: the recorded semver base.
        baseline: Option<String>,
        require_changelog: bool,
    },
}

fn parse_semver(args: &[String]) -> Result<SemverCommand, String> {
    if args.first().map(String::as_str) == Some("install") {
        return match args.get(1) {
            None => Ok(SemverCommand::Install),
            Some(extra) => Err(format!("unknown semver install argument `{extra}`")),
        };
    }
    let mut baseline = None;
    let mut from_base = false;
    let mut require_changelog = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--baseline" => baseline = Some(args.next().ok_or("--baseline needs a value")?.clone()),
            "--from-base" => from_base = true,
            "--require-changelog" => require_changelog = true,
            other => return Err(format!("unknown semver argument `{other}`")),
        }
    }
    let baseline = match (baseline, from_base) {
        (Some(_), true) => return Err("--baseline and --from-base exclude each other".to_owned()),
        (None, true) => None,
        (baseline, false) => Some(baseline.unwrap_or_else(|| "HEAD".to_owned())),
    };
    Ok(SemverCommand::Judge {
        baseline,
        require_changelog,
    })
}

fn parse_changelog(args: &[String]) -> Result<Option<String>, String> {
    match args {
        [] => Ok(None),
        [flag, version] if flag == "--release" => Ok(Some(version.clone())),
        [flag] if flag == "--release" => Err("--release needs a version".to_owned()),
        [other, ..] => Err(format!("unknown changelog argument `{other}`")),
    }
}

fn parse_bench(args: &[String]) -> Result<xtask::bench::Options, String> {
    let mut options = xtask::bench::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => options.smoke = true,
            "--build" => options.build = true,
            "--corpus" => options.corpus = true,
            "--codegen" => options.codegen_only = true,
            "--users" => options.users_only = true,
            "--output" => {
                options.output = Some(PathBuf::from(args.next().ok_or("--output needs a value")?))
            }
            other => return Err(format!("unknown bench argument `{other}`")),
        }
    }
    Ok(options)
}

fn parse_corpus(args: &[String]) -> Result<xtask::corpus::Options, String> {
    let mut options = xtask::corpus::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => options.out = Some(PathBuf::from(args.next().ok_or("--out needs a value")?)),
            "--no-check" => options.no_check = true,
            "--also" => options
                .also
                .push(PathBuf::from(args.next().ok_or("--also needs a value")?)),
            "--doctest" => options.doctest = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown corpus argument `{flag}`"));
            }
            name => options.only.push(name.to_owned()),
        }
    }
    Ok(options)
}

/// A valid cargo package name from the output directory's name.
fn crate_name_from(dir: &std::path::Path) -> Result<String, String> {
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            format!(
                "cannot derive a crate name from `{}`; pass --name",
                dir.display()
            )
        })?;
    let name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => Ok(name),
        _ => Err(format!("`{base}` does not make a crate name; pass --name")),
    }
}
