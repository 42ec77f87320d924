//! Building and running the `moveworks-bench` binary, which measures the
//! clients (see `crates/moveworks-bench`), and the report it prints.
//!
//! The types below mirror the JSON of `moveworks-bench run`: the xtask
//! shares its shape, not its code, so that it does not build the bench
//! crate to read it. A report of another shape is an error naming the
//! field, which `cargo xtask bench --smoke` in CI turns up.

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use super::cargo_build::build_executable;

/// What `moveworks-bench run` prints.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    pub plan: Plan,
    pub counting: Counting,
    pub decode_page: DecodePage,
    pub users: Users,
    /// Raw reqwest first: every ratio is to it.
    pub clients: Vec<Client>,
}

/// How much each round measured.
#[derive(Debug, Clone, Deserialize)]
pub struct Plan {
    pub rounds: usize,
    pub sequential_calls: usize,
    pub concurrent_calls: usize,
    pub in_flight: usize,
    /// The bench binary's build profile: `release`, or `debug` for a smoke run.
    pub profile: String,
}

/// How instructions were counted under callgrind.
#[derive(Debug, Clone, Deserialize)]
pub struct Counting {
    /// `valgrind --version`; `None` where valgrind is not installed and
    /// nothing was counted.
    pub valgrind: Option<String>,
    pub warmup: usize,
    pub calls: usize,
    pub runs: usize,
    /// How many clients were counted, the first ones of `clients`.
    pub clients: usize,
}

/// One client's figures: medians over the rounds, and each round.
#[derive(Debug, Clone, Deserialize)]
pub struct Client {
    pub id: String,
    /// Its name in the report's tables.
    pub client: String,
    pub sequential: Calls,
    pub concurrent: Calls,
    /// `None` when not counted (no valgrind, or not among the counted clients).
    pub instructions_per_call: Option<Spread>,
    pub rounds: Vec<Round>,
    pub memory: Memory,
}

/// Calls made one after another, or many in flight.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Calls {
    pub requests_per_second: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub cpu_us_per_call: f64,
}

/// The median of a few counts, with the lowest and highest.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Round {
    pub sequential: Calls,
    pub concurrent: Calls,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Memory {
    pub baseline_rss_bytes: f64,
    pub peak_rss_bytes: f64,
}

/// Decoding one page of list-conversation-messages into the generated types.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DecodePage {
    pub messages: usize,
    pub bytes: usize,
    /// Pages decoded for the CPU and wall time.
    pub iterations: usize,
    pub cpu_ns_per_page: f64,
    /// `None` without valgrind.
    pub instructions_per_page: Option<f64>,
}

/// Per-user handles on one client and their token cache (`moveworks-bench
/// users`, or the `users` part of `run`).
#[derive(Debug, Clone, Deserialize)]
pub struct Users {
    /// `valgrind --version`; `None` where nothing was counted.
    pub valgrind: Option<String>,
    /// The bench binary's build profile.
    pub profile: String,
    /// Counts of each figure; the report quotes the median.
    pub runs: usize,
    pub handles: Handles,
    pub calls: UserCalls,
    pub cache: UserCache,
}

/// Making `for_user` handles, each for another user.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Handles {
    pub warmup: usize,
    /// Handles counted.
    pub made: usize,
    /// `None` without valgrind.
    pub per_handle: Option<Counted>,
}

/// Instructions and heap allocations per handle or call, from callgrind.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Counted {
    pub instructions: Spread,
    /// Median over the counts.
    pub allocations: f64,
}

/// The same call by the plain client and by a handle whose user's token is
/// cached.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct UserCalls {
    pub warmup: usize,
    pub calls: usize,
    /// `None` without valgrind, or in a smoke run.
    pub plain: Option<Counted>,
    /// `None` without valgrind.
    pub user: Option<Counted>,
}

/// The process's memory before and after the cache filled.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct UserCache {
    pub users: usize,
    pub token_bytes: usize,
    /// `None` where the allocator does not tell (not glibc).
    pub heap_bytes_before: Option<f64>,
    pub heap_bytes_after: Option<f64>,
    /// `None` where `/proc` does not tell.
    pub rss_bytes_before: Option<f64>,
    pub rss_bytes_after: Option<f64>,
}

impl Report {
    /// `json` as the report it must be, or an error naming the field that
    /// is not.
    pub fn parse(json: &[u8]) -> Result<Report, String> {
        parse(json)
    }
}

impl Users {
    /// `json` as `moveworks-bench users` prints it, or an error naming the
    /// field that is not.
    pub fn parse(json: &[u8]) -> Result<Users, String> {
        parse(json)
    }
}

fn parse<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, String> {
    let mut reader = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        format!(
            "moveworks-bench printed a report the xtask cannot read, at `{}`: {}",
            e.path(),
            e.inner()
        )
    })
}

/// Builds the benchmark (release, or dev for a smoke run) and returns its
/// report.
pub fn run(root: &Path, smoke: bool) -> Result<Report, String> {
    Report::parse(&run_bench(root, smoke, "run")?)
}

/// `--users`: the per-user figures alone.
pub fn run_users(root: &Path, smoke: bool) -> Result<Users, String> {
    Users::parse(&run_bench(root, smoke, "users")?)
}

/// Builds the benchmark and returns what `moveworks-bench COMMAND` printed.
fn run_bench(root: &Path, smoke: bool, subcommand: &str) -> Result<Vec<u8>, String> {
    let profile = if smoke { "dev" } else { "release" };
    let binary = build_executable(
        root,
        &["--quiet", "--profile", profile, "-p", "moveworks-bench"],
        &[],
        "moveworks-bench",
    )?;
    eprintln!("bench: running {}", binary.display());
    let mut command = Command::new(&binary);
    command.arg(subcommand);
    if smoke {
        command.arg("--smoke");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "moveworks-bench failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output.stdout)
}
