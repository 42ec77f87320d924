//! Client benchmarks for `cargo xtask bench` (which builds and runs this
//! binary, adds codegen and build figures, and writes BENCHMARKS.md).
//!
//! `moveworks-bench run [--smoke]` starts one loopback server and, round
//! after round, measures raw reqwest, the generated client and
//! moveworks-ext (under a tracing subscriber at INFO, and with
//! `moveworks_ext=debug`, where it records a span per request), each in a fresh
//! child process (`moveworks-bench measure ...`): one process per
//! measurement keeps the clients from sharing allocator, tracing or
//! connection-pool state, and gives each its own peak RSS. The clients take
//! turns (the order rotates every round), so machine noise hits all of
//! them alike, and the report quotes the median of each figure over the
//! rounds, as JSON.
//!
//! `moveworks-bench stream [EVENTS] [ROUNDS]` measures response streaming
//! (see `stream.rs`); `moveworks-bench paginate [PAGES] [ROUNDS]`
//! auto-pagination (see `paginate.rs`); `moveworks-bench decode
//! [ITERATIONS]` decoding a page of 50 messages with content, actions and
//! citations (see `decode.rs`), which `run` reports too, as `decode_page`;
//! `moveworks-bench users [--smoke]` per-user handles and their token cache
//! (see `users.rs`), which `run` reports too, as `users`.
//!
//! Each measurement also reports the CPU time (user plus system, from
//! `getrusage`) its process used per call: the client's cost alone, since
//! the server runs in this, the parent, process. Then, where valgrind is
//! installed, each client's instructions per call are counted under
//! callgrind (`moveworks-bench count ...`, see [`callgrind`]): the figure
//! that holds still from run to run on a small shared machine.
//!
//! `moveworks-bench loop CLIENT CALLS [sequential]` runs one client against
//! an in-process server and nothing else: a steady load for profilers.
//! `moveworks-bench count CLIENT URL WARMUP CALLS` is what callgrind runs;
//! with `valgrind --tool=callgrind --toggle-collect='*counted_section*'` and
//! `callgrind_annotate` it gives a per-function profile of the calls.

mod callgrind;
mod clients;
mod decode;
mod measure;
mod paginate;
mod stream;
mod users;

use std::process::{Command, ExitCode};

use callgrind::Counting;
use clients::{Caller, Kind};
use measure::Summary;
use moveworks_testkit::{Failures, LoadServer, resources};
use serde_json::{Value, json};

/// How much to measure.
#[derive(Debug, Clone, Copy)]
struct Plan {
    rounds: usize,
    sequential_calls: usize,
    concurrent_calls: usize,
    in_flight: usize,
    counting: Counting,
    /// Pages decoded for the CPU time of `decode_page`.
    decode_iterations: usize,
    users: users::Plan,
}

impl Plan {
    fn full() -> Plan {
        Plan {
            rounds: 7,
            sequential_calls: 3_000,
            concurrent_calls: 30_000,
            in_flight: 64,
            counting: Counting {
                warmup: 200,
                calls: 1_000,
                runs: 3,
                clients: Kind::ALL.len(),
            },
            decode_iterations: 2_000,
            users: users::Plan::full(),
        }
    }

    fn smoke() -> Plan {
        Plan {
            rounds: 1,
            sequential_calls: 20,
            concurrent_calls: 200,
            in_flight: 64,
            counting: Counting {
                warmup: 2,
                calls: 5,
                runs: 1,
                // Each count pays valgrind's start-up (seconds): one
                // client keeps the harness tested and the smoke run quick.
                clients: 1,
            },
            decode_iterations: 20,
            users: users::Plan::smoke(),
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(if args.iter().any(|a| a == "--smoke") { Plan::smoke() } else { Plan::full() }),
        Some("measure") => measure_in_this_process(&args[1..]),
        Some("loop") => profile_loop(&args[1..]),
        Some("count") => callgrind::count_in_this_process(&args[1..]),
        Some("serve") => serve(),
        Some("stream") => stream::run(&args[1..]),
        Some("paginate") => paginate::run(&args[1..]),
        Some("decode") => decode::run(&args[1..]),
        Some("count-decode") => decode::count_in_this_process(&args[1..]),
        Some("users") => users::run(&args[1..]),
        Some("count-handles") => users::count_handles_in_this_process(&args[1..]),
        Some("cache-memory") => users::cache_memory_in_this_process(&args[1..]),
        _ => Err("usage: moveworks-bench run [--smoke] | measure CLIENT URL SEQUENTIAL CONCURRENT IN_FLIGHT \
                  | loop CLIENT CALLS [sequential] | count CLIENT URL WARMUP CALLS | stream [EVENTS] [ROUNDS] | paginate [PAGES] [ROUNDS] \
                  | decode [ITERATIONS] | count-decode WARMUP ITERATIONS | users [--smoke] | count-handles WARMUP HANDLES \
                  | cache-memory URL USERS TOKEN_BYTES"
            .to_owned()),
    };
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("moveworks-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// moveworks-ext runs "with tracing enabled": a fmt subscriber (writing
/// to a sink) at INFO, as in a service; with `sdk_debug`, also at DEBUG for
/// `moveworks_ext` alone (`moveworks_ext=debug`, as the README says to turn
/// the request spans on). DEBUG for every crate would also format
/// hyper-util's own DEBUG events, two per call on a pooled connection,
/// which are not the SDK's cost.
fn install_tracing(sdk_debug: bool) {
    use tracing_subscriber::layer::SubscriberExt;

    let levels = tracing_subscriber::filter::Targets::new().with_default(tracing::Level::INFO);
    let levels = if sdk_debug {
        levels.with_target("moveworks_ext", tracing::Level::DEBUG)
    } else {
        levels
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_max_level(tracing::Level::DEBUG)
        .finish()
        .with(levels);
    let _ = tracing::subscriber::set_global_default(subscriber);
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// A runtime on this thread only, for the measures that count this
/// thread's CPU time or instructions.
fn current_thread_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

pub(crate) fn caller_for(kind: Kind, base_url: &str) -> Caller {
    match kind {
        Kind::Ext | Kind::ExtUser => install_tracing(false),
        Kind::ExtDebug => install_tracing(true),
        Kind::Raw | Kind::Generated => {}
    }
    Caller::new(kind, base_url)
}

/// One measurement in a child process.
#[derive(Debug, Clone, Copy)]
struct Measurement {
    sequential: Summary,
    concurrent: Summary,
    baseline_rss: f64,
    peak_rss: f64,
}

fn run(plan: Plan) -> Result<String, String> {
    let server = LoadServer::start_dedicated(Failures::none(), 1);
    let mut measurements: Vec<Vec<Measurement>> = vec![Vec::new(); Kind::ALL.len()];
    for round in 0..plan.rounds {
        // Rotate who goes first, so no client always runs on a fresh or tired machine.
        for offset in 0..Kind::ALL.len() {
            let index = (round + offset) % Kind::ALL.len();
            measurements[index].push(measure_in_child(Kind::ALL[index], &server.base_url, plan)?);
        }
    }
    let instructions = count_instructions(&server.base_url, plan.counting)?;
    let decode_page = decode::report(
        plan.decode_iterations,
        plan.counting.warmup,
        plan.counting.calls,
    )?;
    let users = users::report(&server.base_url, plan.users, plan.counting)?;
    let median = |values: Vec<f64>| {
        let mut values = values;
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let results: Vec<Value> = Kind::ALL
        .iter()
        .zip(&measurements)
        .enumerate()
        .map(|(index, (kind, runs))| {
            let sequential: Vec<Summary> = runs.iter().map(|m| m.sequential).collect();
            let concurrent: Vec<Summary> = runs.iter().map(|m| m.concurrent).collect();
            json!({
                "id": kind.id(),
                "client": kind.name(),
                "sequential": summary_json(Summary::median(&sequential)),
                "concurrent": summary_json(Summary::median(&concurrent)),
                "instructions_per_call": instructions.per_client.get(index),
                // Round by round, for how much the medians could swing.
                "rounds": runs.iter().map(|m| json!({
                    "sequential": summary_json(m.sequential),
                    "concurrent": summary_json(m.concurrent),
                })).collect::<Vec<_>>(),
                "memory": {
                    "baseline_rss_bytes": median(runs.iter().map(|m| m.baseline_rss).collect()),
                    "peak_rss_bytes": median(runs.iter().map(|m| m.peak_rss).collect()),
                },
            })
        })
        .collect();
    let served = server
        .counts
        .requests
        .load(std::sync::atomic::Ordering::SeqCst);
    Ok(json!({
        "plan": {
            "rounds": plan.rounds,
            "sequential_calls": plan.sequential_calls,
            "concurrent_calls": plan.concurrent_calls,
            "in_flight": plan.in_flight,
            "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        },
        "counting": {
            "valgrind": instructions.valgrind,
            "warmup": plan.counting.warmup,
            "calls": plan.counting.calls,
            "runs": plan.counting.runs,
            "clients": plan.counting.clients,
        },
        "requests_served": served,
        "decode_page": decode_page,
        "users": users,
        "clients": results,
    })
    .to_string())
}

fn summary_json(summary: Summary) -> Value {
    json!({
        "requests_per_second": summary.requests_per_second,
        "p50_us": summary.p50.as_secs_f64() * 1e6,
        "p99_us": summary.p99.as_secs_f64() * 1e6,
        "cpu_us_per_call": summary.cpu_per_call.as_secs_f64() * 1e6,
    })
}

fn measure_in_child(kind: Kind, base_url: &str, plan: Plan) -> Result<Measurement, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .args([
            "measure",
            kind.id(),
            base_url,
            &plan.sequential_calls.to_string(),
            &plan.concurrent_calls.to_string(),
            &plan.in_flight.to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot start a measurement: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "measuring {} failed: {}",
            kind.name(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("measurement output: {e}"))?;
    let summary = |key: &str| Summary {
        requests_per_second: report[key]["requests_per_second"]
            .as_f64()
            .unwrap_or(f64::NAN),
        p50: std::time::Duration::from_secs_f64(
            report[key]["p50_us"].as_f64().unwrap_or(0.0) / 1e6,
        ),
        p99: std::time::Duration::from_secs_f64(
            report[key]["p99_us"].as_f64().unwrap_or(0.0) / 1e6,
        ),
        cpu_per_call: std::time::Duration::from_secs_f64(
            report[key]["cpu_us_per_call"].as_f64().unwrap_or(0.0) / 1e6,
        ),
    };
    Ok(Measurement {
        sequential: summary("sequential"),
        concurrent: summary("concurrent"),
        baseline_rss: report["baseline_rss_bytes"].as_f64().unwrap_or(f64::NAN),
        peak_rss: report["peak_rss_bytes"].as_f64().unwrap_or(f64::NAN),
    })
}

/// Instructions per call of every client, from callgrind.
struct Instructions {
    /// `valgrind --version`, or `None` when it is not installed.
    valgrind: Option<String>,
    /// Per client, in `Kind::ALL` order: median, lowest and highest count
    /// per call over the runs, or null if not counted. Empty without
    /// valgrind.
    per_client: Vec<Value>,
}

fn count_instructions(base_url: &str, counting: Counting) -> Result<Instructions, String> {
    let Some(valgrind) = callgrind::valgrind_version() else {
        eprintln!("moveworks-bench: valgrind not found; instructions per call not counted");
        return Ok(Instructions {
            valgrind: None,
            per_client: Vec::new(),
        });
    };
    let mut counts: Vec<Vec<f64>> = vec![Vec::new(); Kind::ALL.len()];
    for run in 0..counting.runs.max(1) {
        for offset in 0..counting.clients.min(Kind::ALL.len()) {
            let index = (run + offset) % Kind::ALL.len();
            counts[index].push(callgrind::count_in_child(
                Kind::ALL[index],
                base_url,
                counting,
            )?);
        }
    }
    let per_client = counts.into_iter().map(callgrind::spread_json).collect();
    Ok(Instructions {
        valgrind: Some(valgrind),
        per_client,
    })
}

/// In a fresh process: warm up, then sequential calls, then concurrent
/// calls; the RSS before the client existed and the peak after.
fn measure_in_this_process(args: &[String]) -> Result<String, String> {
    let [kind, base_url, sequential, concurrent, in_flight] = args else {
        return Err("measure CLIENT URL SEQUENTIAL CONCURRENT IN_FLIGHT".to_owned());
    };
    let kind = Kind::parse(kind).ok_or_else(|| format!("unknown client `{kind}`"))?;
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    let (sequential, concurrent, in_flight) =
        (number(sequential)?, number(concurrent)?, number(in_flight)?);
    let runtime = runtime()?;
    let baseline = resources::resident_bytes().unwrap_or(0);
    let caller = caller_for(kind, base_url);
    let (sequential, concurrent) = runtime.block_on(async {
        measure::concurrent(&caller, in_flight * 4, in_flight).await?;
        let sequential = measure::sequential(&caller, sequential).await?;
        let concurrent = measure::concurrent(&caller, concurrent, in_flight).await?;
        Ok::<_, String>((sequential, concurrent))
    })?;
    let peak = resources::peak_resident_bytes().unwrap_or(0);
    Ok(json!({
        "sequential": summary_json(sequential),
        "concurrent": summary_json(concurrent),
        "baseline_rss_bytes": baseline,
        "peak_rss_bytes": peak,
    })
    .to_string())
}

/// Runs the load server until killed, printing its URL: for measuring or
/// profiling a client in another process.
fn serve() -> Result<String, String> {
    let server = LoadServer::start_dedicated(Failures::none(), 1);
    println!("{}", server.base_url);
    loop {
        std::thread::park();
    }
}

/// The count at `args[index]`, or `default` when it is not given.
fn count_arg(args: &[String], index: usize, default: usize, name: &str) -> Result<usize, String> {
    args.get(index)
        .map_or(Ok(default), |a| a.parse())
        .map_err(|_| format!("{name} must be a number"))
}

/// One client making `calls` calls (64 in flight, or one at a time)
/// against an in-process server, and nothing else: a steady load to attach
/// a profiler to.
fn profile_loop(args: &[String]) -> Result<String, String> {
    let (kind, calls, sequential) = match args {
        [kind, calls] => (kind, calls, false),
        [kind, calls, mode] if mode == "sequential" => (kind, calls, true),
        _ => return Err("loop CLIENT CALLS [sequential]".to_owned()),
    };
    let kind = Kind::parse(kind).ok_or_else(|| format!("unknown client `{kind}`"))?;
    let calls: usize = calls.parse().map_err(|_| "CALLS must be a number")?;
    let server = LoadServer::start_dedicated(Failures::none(), 1);
    let runtime = runtime()?;
    let caller = caller_for(kind, &server.base_url);
    runtime.block_on(measure::concurrent(&caller, 1_000, 64))?;
    let cpu_before = resources::cpu_time();
    let summary = if sequential {
        runtime.block_on(measure::sequential(&caller, calls))?
    } else {
        runtime.block_on(measure::concurrent(&caller, calls, 64))?
    };
    let cpu = resources::cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after - before)
        .unwrap_or_default();
    Ok(format!(
        "{} req/s, p50 {:?}, p99 {:?}, {:.1} µs CPU per call (client and server)",
        summary.requests_per_second as u64,
        summary.p50,
        summary.p99,
        cpu.as_secs_f64() * 1e6 / calls as f64
    ))
}
