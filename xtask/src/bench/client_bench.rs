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

impl Report {
    /// `json` as the report it must be, or an error naming the field that
    /// is not.
    pub fn parse(json: &[u8]) -> Result<Report, String> {
        let mut reader = serde_json::Deserializer::from_slice(json);
        serde_path_to_error::deserialize(&mut reader).map_err(|e| {
            format!(
                "moveworks-bench printed a report the xtask cannot read, at `{}`: {}",
                e.path(),
                e.inner()
            )
        })
    }
}

/// Builds the benchmark (release, or dev for a smoke run) and returns its
/// report.
pub fn run(root: &Path, smoke: bool) -> Result<Report, String> {
    let profile = if smoke { "dev" } else { "release" };
    let binary = build_executable(
        root,
        &["--quiet", "--profile", profile, "-p", "moveworks-bench"],
        &[],
        "moveworks-bench",
    )?;
    eprintln!("bench: running {}", binary.display());
    let mut command = Command::new(&binary);
    command.arg("run");
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
    Report::parse(&output.stdout)
}
