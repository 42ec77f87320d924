//! BENCHMARKS.md: the figures, the targets, and whether each was met.
//!
//! The report is made of named blocks. Written into an existing file, each
//! block measured in this run replaces the text between its markers,
//! `<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->`, and the rest
//! of the file (what people wrote around the figures) is left as it is.

use std::fmt::Write as _;
use std::time::Duration;

use super::build_cost::Build;
use super::client_bench::{Calls, Client, Counted, Report, Round, Users};
use super::codegen_report::{self, Codegen};
use super::machine::Machine;
use super::target::{NOT_MEASURED, Target};

/// Everything one `cargo xtask bench` run measured.
pub struct Results {
    pub machine: Machine,
    pub smoke: bool,
    pub codegen: Codegen,
    /// The `moveworks-bench run` report.
    pub clients: Report,
    pub builds: Option<Vec<Build>>,
}

/// One named part of the report.
pub struct Block {
    pub name: &'static str,
    /// What it holds, for the error that says where its markers go.
    pub what: &'static str,
    /// The heading before its markers, in a new file.
    pub heading: Option<&'static str>,
    pub text: String,
    /// Whether this run measured it; a block not measured leaves the
    /// file's text as it is.
    pub measured: bool,
    /// Whether it holds only some of its rows (the targets of a run that
    /// measured only some figures): the file's other rows stay.
    pub partial: bool,
}

fn us(value: f64) -> String {
    if value >= 1000.0 {
        format!("{:.2} ms", value / 1000.0)
    } else {
        format!("{value:.0} µs")
    }
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / 1024.0 / 1024.0)
}

/// The median instructions per call, NaN when not counted.
fn instructions(client: Option<&Client>) -> f64 {
    client
        .and_then(|c| c.instructions_per_call)
        .map_or(f64::NAN, |spread| spread.median)
}

/// `figure` of `client` over that of raw reqwest; NaN when either is missing.
fn ratio(client: Option<&Client>, raw: Option<&Client>, figure: impl Fn(&Client) -> f64) -> f64 {
    match (client, raw) {
        (Some(client), Some(raw)) => figure(client) / figure(raw),
        _ => f64::NAN,
    }
}

/// The lowest and highest ratio of `client`'s `figure` to raw reqwest's in
/// the same round.
fn round_ratio_range(client: &Client, raw: &Client, figure: fn(&Round) -> f64) -> (f64, f64) {
    client
        .rounds
        .iter()
        .zip(&raw.rounds)
        .map(|(c, r)| figure(c) / figure(r))
        .fold((f64::NAN, f64::NAN), |(low, high), ratio| {
            (low.min(ratio), high.max(ratio))
        })
}

/// The report's blocks, in the order a new file holds them.
pub fn render(results: &Results) -> Vec<Block> {
    let report = &results.clients;
    let mut targets = Vec::new();
    let mut blocks = vec![Block {
        name: "machine",
        what: "the line that says when and on what machine it was measured",
        heading: None,
        text: machine_line(results),
        measured: true,
        partial: false,
    }];
    let clients = [
        cpu_section(report, &mut targets),
        throughput_section(report),
        round_swing_table(report),
        memory_section(report, &mut targets),
    ];
    blocks.push(Block {
        name: "clients",
        what: "the CPU cost, throughput and latency, and memory sections",
        heading: None,
        text: clients.concat(),
        measured: true,
        partial: false,
    });
    blocks.push(users_block(&report.users, None, &mut targets));
    blocks.push(Block {
        name: "decode",
        what: "the table under `## Decoding a page of messages`",
        heading: Some("## Decoding a page of messages"),
        text: decode_table(report),
        measured: true,
        partial: false,
    });
    blocks.extend(codegen_blocks(&results.codegen, &mut targets));
    blocks.push(build_cost_block(results.builds.as_deref(), &mut targets));
    blocks.push(Block {
        name: "targets",
        what: "the table under `## Targets`",
        heading: Some("## Targets"),
        text: targets_table(&targets),
        measured: true,
        partial: false,
    });
    blocks
}

/// `cargo xtask bench --users`: the per-user block, measured on `machine`,
/// and its targets, to go among the file's other rows.
pub fn render_users(machine: &Machine, smoke: bool, users: &Users) -> Vec<Block> {
    let mut targets = Vec::new();
    let mut measured_by = String::new();
    if smoke {
        measured_by.push_str("**Smoke run: these figures mean nothing.** ");
    }
    let _ = write!(
        measured_by,
        "Measured by `cargo xtask bench --users` on {}.",
        machine.summary()
    );
    let users = users_block(users, Some(&measured_by), &mut targets);
    vec![
        users,
        Block {
            name: "targets",
            what: "the table under `## Targets`",
            heading: Some("## Targets"),
            text: targets_table(&targets),
            measured: true,
            partial: true,
        },
    ]
}

/// The cost of acting for many users on one client: making a handle, a
/// call through one, and the token cache; with its targets.
fn users_block(users: &Users, measured_by: Option<&str>, targets: &mut Vec<Target>) -> Block {
    let (handles, calls, cache) = (&users.handles, &users.calls, &users.cache);
    let token = if cache.token_bytes % 1024 == 0 {
        format!("{} KiB", cache.token_bytes / 1024)
    } else {
        format!("{} bytes", cache.token_bytes)
    };
    let mut out = "## Per-user handles\n\n".to_owned();
    if let Some(line) = measured_by {
        let _ = writeln!(out, "{line}\n");
    }
    let _ = writeln!(
        out,
        "One client acting for many users: tokens from a per-user provider (`ClientBuilder::user_tokens`), cached per \
         user key, and a handle per user (`Client::for_user`). Instructions and heap allocations (calls to `malloc` and its \
         kin) are counted by callgrind from entering to leaving the measured loop (`--zero-before`, `--dump-after`), the \
         median of {runs} counts (— where valgrind is not installed); build profile: {}. The CPU table's `--toggle-collect` \
         counts a few instructions per call fewer: compare the calls below with each other.\n\n\
         - **Making a handle**: `client.for_user(key)` made and dropped, each for another user (keys like \
         `employee-000001@example.com`), over {} handles after {} warm-up ones.\n\
         - **A call through a handle**: the submit-feedback call of the CPU table by a handle whose user's token is cached, \
         and by the plain client with its own bearer token, both under the subscriber at INFO, over {} sequential calls \
         after {} warm-up calls: the difference is the per-user lookup.\n\
         - **The cache**: {users_filled} handles, one per user, each made one call, which fetched that user's {token} token \
         into the cache (one fetch per user), in a fresh process after warm-up calls; the heap in use (glibc's `mallinfo2`) \
         and the resident memory of that process before and after.\n\n\
         | per-user handles | instructions | lowest–highest | heap allocations |\n\
         |---|---:|---:|---:|",
        users.profile,
        handles.made,
        handles.warmup,
        calls.calls,
        calls.warmup,
        runs = users.runs,
        users_filled = cache.users,
    );
    let row = |what: &str, counted: Option<Counted>| match counted {
        Some(c) => format!(
            "| {what} | {:.0} | {:.0}–{:.0} | {:.1} |\n",
            c.instructions.median, c.instructions.min, c.instructions.max, c.allocations
        ),
        None => format!("| {what} | — | — | — |\n"),
    };
    out.push_str(&row(
        "making a handle (`for_user`), per handle",
        handles.per_handle,
    ));
    out.push_str(&row("a call by the plain client", calls.plain));
    out.push_str(&row(
        "a call by a handle, its user's token cached",
        calls.user,
    ));
    if let (Some(plain), Some(user)) = (calls.plain, calls.user) {
        let extra = user.instructions.median - plain.instructions.median;
        let _ = writeln!(
            out,
            "| the per-user lookup: handle minus plain client, per call | {extra:+.0} ({:+.2}%) | | {:+.1} |",
            extra / plain.instructions.median * 100.0,
            user.allocations - plain.allocations
        );
    }
    let growth = |before: Option<f64>, after: Option<f64>| before.zip(after).map(|(b, a)| a - b);
    let heap = growth(cache.heap_bytes_before, cache.heap_bytes_after);
    let rss = growth(cache.rss_bytes_before, cache.rss_bytes_after);
    let figure = |bytes: Option<f64>| bytes.map_or_else(|| "—".to_owned(), mib);
    let per_user = |bytes: Option<f64>| {
        bytes.map_or_else(
            || "—".to_owned(),
            |b| format!("{:.0} bytes", b / cache.users.max(1) as f64),
        )
    };
    let _ = writeln!(
        out,
        "\n| per-user cache, {} users with {token} tokens | heap in use | resident memory |\n\
         |---|---:|---:|\n\
         | before | {} | {} |\n\
         | after | {} | {} |\n\
         | growth | **{}** | **{}** |\n\
         | growth per user | {} | {} |",
        cache.users,
        figure(cache.heap_bytes_before),
        figure(cache.rss_bytes_before),
        figure(cache.heap_bytes_after),
        figure(cache.rss_bytes_after),
        figure(heap),
        figure(rss),
        per_user(heap),
        per_user(rss),
    );
    let per_handle = handles.per_handle.map(|c| c.instructions.median);
    targets.push(Target {
        what: "making a per-user handle (`for_user`) under 2,000 instructions".into(),
        measured: match (per_handle, &users.valgrind) {
            (Some(n), _) => format!("{n:.0}"),
            (None, None) => "not counted (no valgrind)".into(),
            (None, Some(_)) => "not counted in this run".into(),
        },
        met: per_handle.map(|n| n < 2_000.0),
    });
    // Judged on the larger of the two growths: what the process pays.
    let larger = match (heap, rss) {
        (Some(h), Some(r)) => Some(h.max(r)),
        (h, r) => h.or(r),
    };
    targets.push(Target {
        what: format!(
            "per-user cache of {} users with {token} tokens under 16 MiB (heap or resident growth, the larger)",
            cache.users
        ),
        measured: larger.map_or_else(|| "not measured (no `/proc`, not glibc)".into(), mib),
        met: larger.map(|bytes| bytes < 16.0 * 1024.0 * 1024.0),
    });
    Block {
        name: "users",
        what: "the per-user handles section",
        heading: None,
        text: out,
        measured: true,
        partial: false,
    }
}

fn machine_line(results: &Results) -> String {
    let m = &results.machine;
    let mut out = String::new();
    if results.smoke {
        let _ = writeln!(
            out,
            "**Smoke run: a handful of calls to prove the harness works. These figures mean nothing.**\n"
        );
    }
    let build = if results.builds.is_some() {
        " --build"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "Measured by `cargo xtask bench{build}` on {}: {}, {} cores, {} RAM, {}; {}.",
        m.date, m.cpu, m.cores, m.memory, m.os, m.rustc
    );
    out
}

/// Instructions and CPU time per call, and the instruction targets.
fn cpu_section(report: &Report, targets: &mut Vec<Target>) -> String {
    let (plan, counting) = (&report.plan, &report.counting);
    let only_some = if counting.clients < report.clients.len() {
        format!(
            " (only the first {} client(s) in this run)",
            counting.clients
        )
    } else {
        String::new()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## CPU cost per call\n\n\
         What each client costs the process that makes the calls, the figure that holds still on a small machine shared by \
         client, server and everything else. The server (a minimal hyper server answering the spec's 200 body to \
         submit-feedback) runs in another process and is not counted.\n\n\
         - **Instructions per call**: counted by `valgrind --tool=callgrind` in the client's process over {} sequential calls \
         after {} warm-up calls, on a single-threaded tokio runtime, collecting only while the counted calls run (start-up, \
         client construction and connecting are left out); the median of {} counts, with the lowest and highest{only_some}.\n\
         - **CPU per call**: user plus system CPU time (`getrusage`) of the client's process over the {} sequential calls and \
         the {} calls with {} in flight of each throughput round below (multi-threaded runtime); the median over rounds.\n",
        counting.calls,
        counting.warmup,
        counting.runs,
        plan.sequential_calls,
        plan.concurrent_calls,
        plan.in_flight,
    );
    if counting.valgrind.is_none() {
        let _ = writeln!(
            out,
            "**Instructions per call not counted: valgrind was not found on this machine.** Install it (for example \
             `apt-get install valgrind`) and run `cargo xtask bench` again; CPU time per call is measured regardless.\n"
        );
    }
    let _ = writeln!(
        out,
        "| client | instructions/call | ratio | lowest–highest | CPU/call, sequential | ratio | CPU/call, {} in flight | ratio |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|",
        plan.in_flight
    );
    let raw = report.clients.first();
    for client in &report.clients {
        out.push_str(&cpu_row(client, raw));
    }
    instruction_targets(report, targets);
    out
}

fn cpu_row(client: &Client, raw: Option<&Client>) -> String {
    let cpu = |calls: fn(&Client) -> Calls| {
        format!(
            "{:.1} µs | {:.3}×",
            calls(client).cpu_us_per_call,
            ratio(Some(client), raw, |c| calls(c).cpu_us_per_call)
        )
    };
    let counted = match client.instructions_per_call {
        Some(spread) => format!(
            "{:.0} | {:.3}× | {:.0}–{:.0}",
            spread.median,
            instructions(Some(client)) / instructions(raw),
            spread.min,
            spread.max
        ),
        None => "— | — | —".to_owned(),
    };
    format!(
        "| {} | {counted} | {} | {} |\n",
        client.client,
        cpu(|c| c.sequential),
        cpu(|c| c.concurrent)
    )
}

/// The targets are about moveworks-ext as a service runs it: under a
/// tracing subscriber at INFO; and with its request spans recorded.
fn instruction_targets(report: &Report, targets: &mut Vec<Target>) {
    let raw = report.clients.first();
    let client = |id: &str| report.clients.iter().find(|c| c.id == id);
    for (id, limit, what) in [
        (
            "ext",
            1.10,
            "moveworks-ext (INFO subscriber, auth, retries)",
        ),
        (
            "ext-debug",
            1.30,
            "moveworks-ext with DEBUG request spans recorded",
        ),
    ] {
        let ratio = instructions(client(id)) / instructions(raw);
        targets.push(Target {
            what: format!("{what}: instructions per call ≤ {limit:.2}× raw reqwest"),
            measured: if report.counting.valgrind.is_none() {
                "not counted (no valgrind)".into()
            } else if ratio.is_nan() {
                "not counted in this run".into()
            } else {
                format!("{ratio:.3}×")
            },
            met: (!ratio.is_nan()).then_some(ratio <= limit),
        });
    }
}

fn throughput_section(report: &Report) -> String {
    let plan = &report.plan;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## Throughput and latency\n\n\
         Secondary figures: wall-clock throughput and latency. Client and server share the machine's cores (with whatever \
         else runs on it), so these swing from run to run far more than the ratios between clients; the table after this one \
         shows how far the moveworks-ext/raw reqwest ratio moved between the rounds of this very run. \
         Each round runs every client {} calls one after the other, then {} calls with {} in flight; the {} rounds interleave \
         the clients (rotating which goes first) and the figures are the medians over rounds. Every measurement runs in a fresh \
         child process, so clients share no allocator, connection-pool or tracing state. Raw reqwest is a hand-built request \
         with the same headers, body and `reqwest::Client` settings, decoding the same response type. moveworks-ext runs with \
         auth, retries and tracing, under a `tracing_subscriber::fmt` subscriber (writing to a sink) at INFO, as a service \
         would; its per-request span is DEBUG, so the second moveworks-ext row, with `moveworks_ext=debug` (the README's way \
         to turn it on; other crates stay at INFO), shows what recording a span per request costs. (A subscriber at DEBUG \
         for every crate also formats hyper-util's own DEBUG events, two per call on a pooled connection, which are \
         not the SDK's cost.) Build profile: {}.\n",
        plan.sequential_calls, plan.concurrent_calls, plan.in_flight, plan.rounds, plan.profile
    );
    let _ = writeln!(
        out,
        "| client | sequential req/s | ratio | p50 | p99 | {} in flight req/s | ratio | p50 | p99 |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|",
        plan.in_flight
    );
    let raw = report.clients.first();
    for client in &report.clients {
        let calls = |calls: fn(&Client) -> Calls| {
            let c = calls(client);
            let ratio = ratio(Some(client), raw, |c| calls(c).requests_per_second);
            format!(
                "{:.0} | {ratio:.3} | {} | {}",
                c.requests_per_second,
                us(c.p50_us),
                us(c.p99_us)
            )
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            client.client,
            calls(|c| c.sequential),
            calls(|c| c.concurrent)
        );
    }
    out
}

/// How far each client's ratio to raw reqwest moved between rounds.
fn round_swing_table(report: &Report) -> String {
    let mut out = String::new();
    let Some((raw, others)) = report.clients.split_first() else {
        return out;
    };
    let _ = writeln!(
        out,
        "\nHow much one round differs from the next: the lowest and highest ratio to raw reqwest (of the same round) over \
         the {rounds} rounds.\n\n\
         | client | sequential req/s ratio | {in_flight} in flight req/s ratio | CPU/call ratio, sequential | CPU/call ratio, {in_flight} in flight |\n\
         |---|---:|---:|---:|---:|",
        rounds = report.plan.rounds,
        in_flight = report.plan.in_flight,
    );
    for client in others.iter().filter(|c| c.id != raw.id) {
        let range = |figure: fn(&Round) -> f64| {
            let (low, high) = round_ratio_range(client, raw, figure);
            format!("{low:.3}–{high:.3}")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            client.client,
            range(|r| r.sequential.requests_per_second),
            range(|r| r.concurrent.requests_per_second),
            range(|r| r.sequential.cpu_us_per_call),
            range(|r| r.concurrent.cpu_us_per_call),
        );
    }
    out
}

fn memory_section(report: &Report, targets: &mut Vec<Target>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## Memory\n\n\
         Peak resident memory (`VmHWM`) of the measuring process, whose largest phase is the {} calls with {} in flight; the \
         server runs in the parent process and is not counted. Medians over rounds.\n\n\
         | client | RSS before the client | peak RSS | peak vs raw reqwest |\n\
         |---|---:|---:|---:|",
        report.plan.concurrent_calls, report.plan.in_flight
    );
    let raw = report.clients.first();
    let peak = |c: &Client| c.memory.peak_rss_bytes;
    for client in &report.clients {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3}× |",
            client.client,
            mib(client.memory.baseline_rss_bytes),
            mib(client.memory.peak_rss_bytes),
            ratio(Some(client), raw, peak),
        );
    }
    let ext = report.clients.iter().find(|c| c.id == "ext");
    let memory = ratio(ext, raw, peak);
    targets.push(Target {
        what: "moveworks-ext peak RSS ≤ 1.2× raw reqwest (64 in flight)".into(),
        measured: format!("{memory:.3}×"),
        met: Some(memory <= 1.2),
    });
    out
}

/// The row of decoding a page of messages into the generated types.
fn decode_table(report: &Report) -> String {
    let page = &report.decode_page;
    let instructions = page
        .instructions_per_page
        .map_or_else(|| "—".to_owned(), |n| format!("{n:.0}"));
    format!(
        "One `list_conversation_messages` page decoded by serde_json into the generated \
         `ListConversationMessagesResponse`, in memory (no HTTP): {} messages, half the user's \
         (plain text), half the assistant's (Markdown with `<url|label>` links, a callback, a modal \
         and a URL action, three citations with their references, feedback options). Instructions \
         per page are counted by callgrind around the decoding alone, after warm-up decodes (— where \
         valgrind is not installed); CPU per page is the decoding thread's CPU time over {} pages.\n\n\
         | page | JSON | instructions/page | CPU/page |\n\
         |---|---:|---:|---:|\n\
         | {} messages with content, actions and citations | {:.1} KiB | {instructions} | {:.1} µs |\n",
        page.messages,
        page.iterations,
        page.messages,
        page.bytes as f64 / 1024.0,
        page.cpu_ns_per_page / 1000.0,
    )
}

fn codegen_blocks(codegen: &Codegen, targets: &mut Vec<Target>) -> [Block; 2] {
    let (section, corpus_step, codegen_targets) = codegen_report::render(codegen);
    targets.extend(codegen_targets);
    [
        Block {
            name: "codegen",
            what: "the code generation section",
            heading: None,
            text: section,
            measured: true,
            partial: false,
        },
        Block {
            name: "corpus-step",
            what: "the text under `### The corpus step of CI`",
            heading: Some("### The corpus step of CI"),
            text: corpus_step,
            measured: codegen.corpus_step.is_some(),
            partial: false,
        },
    ]
}

fn build_cost_block(builds: Option<&[Build]>, targets: &mut Vec<Target>) -> Block {
    let what = "cold debug build of moveworks-ext under 50 s".to_owned();
    let mut out = String::new();
    match builds {
        Some(builds) => {
            let _ = writeln!(
                out,
                "Cold `cargo build` (debug) in an empty target directory, crates already downloaded.\n\n\
                 | build | wall time | crates compiled |\n|---|---:|---:|"
            );
            for build in builds {
                let _ = writeln!(
                    out,
                    "| {} | {:.1} s | {} |",
                    build.label,
                    build.wall.as_secs_f64(),
                    build.crates
                );
            }
            if let Some(ext) = builds.first() {
                targets.push(Target {
                    what,
                    measured: format!("{:.1} s", ext.wall.as_secs_f64()),
                    met: Some(ext.wall < Duration::from_secs(50)),
                });
            }
        }
        None => {
            let _ = writeln!(
                out,
                "Not measured in this run: it takes minutes; run `cargo xtask bench --build`."
            );
            targets.push(Target {
                what,
                measured: NOT_MEASURED.into(),
                met: None,
            });
        }
    }
    Block {
        name: "build-cost",
        what: "the text under `## Build cost`",
        heading: Some("## Build cost"),
        text: out,
        measured: builds.is_some(),
        partial: false,
    }
}

/// The table under `## Targets`.
pub fn targets_table(targets: &[Target]) -> String {
    let mut out = "| target | measured | met |\n|---|---:|:---:|\n".to_owned();
    for target in targets {
        let met = match target.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let _ = writeln!(out, "| {} | {} | {met} |", target.what, target.measured);
    }
    out
}

/// The whole report, as a new file holds it: with each block's markers, or
/// without (to print).
pub fn document(blocks: &[Block], markers: bool) -> String {
    let mut out = "# Benchmarks\n".to_owned();
    for block in blocks {
        out.push('\n');
        if let Some(heading) = block.heading {
            let _ = writeln!(out, "{heading}\n");
        }
        let text = block.text.trim_matches('\n');
        if markers {
            let _ = writeln!(out, "{}\n{text}\n{}", begin(block.name), end(block.name));
        } else {
            let _ = writeln!(out, "{text}");
        }
    }
    out
}

fn begin(name: &str) -> String {
    format!("<!-- bench:begin {name} -->")
}

fn end(name: &str) -> String {
    format!("<!-- bench:end {name} -->")
}

/// `file` (named `path` in errors) with the text between the markers of
/// each block measured in this run replaced by the block; the rest stays
/// as it is. A target row not measured in this run keeps the file's row.
///
/// # Errors
///
/// When a measured block's markers are missing, out of order or repeated:
/// saying where to put them.
pub fn splice(file: &str, path: &str, blocks: &[Block]) -> Result<String, String> {
    let mut out = file.to_owned();
    for block in blocks.iter().filter(|b| b.measured) {
        let (begin, end) = (begin(block.name), end(block.name));
        let found = (
            out.match_indices(&begin).count(),
            out.match_indices(&end).count(),
        );
        let (start, stop) = match (found, out.find(&begin), out.find(&end)) {
            ((1, 1), Some(start), Some(stop)) if start < stop => (start + begin.len(), stop),
            _ => {
                return Err(format!(
                    "{path} needs the markers `{begin}` and `{end}`, once each, on lines of their \
                     own around {}: `cargo xtask bench` writes its figures only between its \
                     markers and leaves the rest of the file alone",
                    block.what
                ));
            }
        };
        let mut text = block.text.trim_matches('\n').to_owned();
        if block.name == "targets" {
            text = if block.partial {
                merge_rows(&text, &out[start..stop])
            } else {
                keep_unmeasured_rows(&text, &out[start..stop])
            };
        }
        out.replace_range(start..stop, &format!("\n{text}\n"));
    }
    Ok(out)
}

/// `table` with each row not measured in this run replaced by the row of
/// the same target in `old`, when it has one.
fn keep_unmeasured_rows(table: &str, old: &str) -> String {
    let first_cell = |row: &str| row.split(" | ").next().map(str::to_owned);
    table
        .lines()
        .map(|row| {
            let kept = row
                .contains(&format!("| {NOT_MEASURED} |"))
                .then(|| old.lines().find(|o| first_cell(o) == first_cell(row)))
                .flatten();
            kept.unwrap_or(row)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `old` (a table) with each row of `table` in place of the row of the
/// same first cell, and the rows it does not have appended.
fn merge_rows(table: &str, old: &str) -> String {
    let old = old.trim_matches('\n');
    if old.is_empty() {
        return table.to_owned();
    }
    let first_cell = |row: &str| row.split(" | ").next().map(str::to_owned);
    // Past the header and its rule.
    let rows: Vec<&str> = table.lines().skip(2).collect();
    let mut out: Vec<&str> = old
        .lines()
        .map(|line| {
            let same = rows.iter().find(|row| first_cell(row) == first_cell(line));
            same.copied().unwrap_or(line)
        })
        .collect();
    for row in rows {
        if !old.lines().any(|line| first_cell(line) == first_cell(row)) {
            out.push(row);
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// A client whose figures are `scale` times raw reqwest's; its rounds
    /// at `round_scales` times.
    fn client(id: &str, instructions: f64, scale: f64, round_scales: &[f64]) -> Value {
        let mode = |scale: f64| json!({"requests_per_second": 100.0 / scale, "p50_us": 100.0, "p99_us": 10.0 * scale, "cpu_us_per_call": 50.0 * scale});
        let rounds: Vec<Value> = round_scales
            .iter()
            .map(|&s| json!({"sequential": mode(s), "concurrent": mode(s)}))
            .collect();
        json!({
            "id": id,
            "client": id,
            "sequential": mode(scale),
            "concurrent": mode(scale),
            "instructions_per_call": {"median": instructions, "min": instructions - 10.0, "max": instructions + 10.0},
            "rounds": rounds,
            "memory": {"baseline_rss_bytes": 1.0, "peak_rss_bytes": 100.0 * scale},
        })
    }

    /// What `moveworks-bench run` prints, with raw reqwest's figures and
    /// `ext`'s instructions per call as given.
    fn report_json(ext_instructions: f64, valgrind: Option<&str>) -> Value {
        let mut clients = vec![
            client("raw", 100_000.0, 1.0, &[1.0, 1.0]),
            client("ext", ext_instructions, 1.1, &[0.8, 1.25]),
            client("ext-debug", 140_000.0, 1.5, &[1.5, 1.5]),
        ];
        if valgrind.is_none() {
            for client in &mut clients {
                client["instructions_per_call"] = Value::Null;
            }
        }
        let instructions_per_page = valgrind.map(|_| 2_345_678.4);
        let counted = |instructions: f64, allocations: f64| {
            valgrind.map(|_| json!({
                "instructions": {"median": instructions, "min": instructions - 2.0, "max": instructions + 3.0},
                "allocations": allocations,
            }))
        };
        let mib = 1024.0 * 1024.0;
        let users = json!({
            "valgrind": valgrind, "profile": "release", "runs": 3,
            "handles": {"warmup": 1000, "made": 10000, "per_handle": counted(1_234.0, 1.0)},
            "calls": {"warmup": 1, "calls": 5, "plain": counted(105_000.0, 74.0), "user": counted(105_500.0, 74.5)},
            "cache": {"users": 10000, "token_bytes": 1024, "heap_bytes_before": 2.0 * mib, "heap_bytes_after": 15.0 * mib,
                "rss_bytes_before": 20.0 * mib, "rss_bytes_after": 34.5 * mib},
        });
        json!({
            "plan": {"rounds": 2, "sequential_calls": 10, "concurrent_calls": 20, "in_flight": 64, "profile": "release"},
            "counting": {"valgrind": valgrind, "warmup": 1, "calls": 5, "runs": 1, "clients": 3},
            "requests_served": 1234,
            "decode_page": {"messages": 50, "bytes": 66_560, "iterations": 2000, "cpu_ns_per_page": 412_345.6,
                "wall_ns_per_page": 420_000.0, "instructions_per_page": instructions_per_page},
            "users": users,
            "clients": clients,
        })
    }

    fn results_of(report: &Value) -> Results {
        Results {
            machine: Machine {
                cores: 2,
                cpu: "cpu".into(),
                memory: "1 GiB".into(),
                os: "os".into(),
                rustc: "rustc".into(),
                date: "2026-01-01".into(),
            },
            smoke: false,
            codegen: Codegen {
                timings: Vec::new(),
                corpus_step: None,
            },
            clients: Report::parse(report.to_string().as_bytes()).unwrap(),
            builds: None,
        }
    }

    fn results(ext_instructions: f64, valgrind: Option<&str>) -> Results {
        results_of(&report_json(ext_instructions, valgrind))
    }

    #[test]
    fn instruction_targets_are_judged_against_raw_reqwest() {
        let report = document(&render(&results(105_000.0, Some("valgrind-3.22.0"))), false);
        assert!(
            report.contains("| ext | 105000 | 1.050× | 104990–105010 | 55.0 µs | 1.100× |"),
            "{report}"
        );
        assert!(
            report.contains("| moveworks-ext (INFO subscriber, auth, retries): instructions per call ≤ 1.10× raw reqwest | 1.050× | yes |"),
            "{report}"
        );
        assert!(
            report.contains("| moveworks-ext with DEBUG request spans recorded: instructions per call ≤ 1.30× raw reqwest | 1.400× | **no** |"),
            "{report}"
        );
        assert!(
            report.contains(
                "| moveworks-ext peak RSS ≤ 1.2× raw reqwest (64 in flight) | 1.100× | yes |"
            ),
            "{report}"
        );
        // The CPU section leads; throughput comes after it.
        assert!(report.find("## CPU cost per call") < report.find("## Throughput and latency"));
        assert!(report.contains("run `cargo xtask bench --build`"));
    }

    #[test]
    fn the_swing_between_rounds_is_shown() {
        let report = document(&render(&results(105_000.0, Some("valgrind"))), false);
        assert!(
            report.contains("| ext | 0.800–1.250 | 0.800–1.250 | 0.800–1.250 | 0.800–1.250 |"),
            "{report}"
        );
    }

    #[test]
    fn without_valgrind_the_report_says_so() {
        let report = document(&render(&results(105_000.0, None)), false);
        assert!(
            report.contains("valgrind was not found on this machine"),
            "{report}"
        );
        assert!(report.contains("| ext | — | — | — | 55.0 µs |"), "{report}");
        assert!(
            report.contains(
                "instructions per call ≤ 1.10× raw reqwest | not counted (no valgrind) | — |"
            ),
            "{report}"
        );
    }

    #[test]
    fn decoding_a_page_is_a_row_of_its_own() {
        let blocks = render(&results(105_000.0, Some("valgrind")));
        let decode = blocks.iter().find(|b| b.name == "decode").unwrap();
        assert!(
            decode.text.contains(
                "| 50 messages with content, actions and citations | 65.0 KiB | 2345678 | 412.3 µs |"
            ),
            "{}",
            decode.text
        );
        assert!(decode.text.contains("over 2000 pages"), "{}", decode.text);
        let report = document(&blocks, false);
        assert!(
            report.find("## Memory") < report.find("## Decoding a page of messages")
                && report.find("## Decoding a page of messages")
                    < report.find("## Code generation"),
            "{report}"
        );
    }

    #[test]
    fn without_valgrind_a_page_has_no_instruction_count() {
        let blocks = render(&results(105_000.0, None));
        let decode = blocks.iter().find(|b| b.name == "decode").unwrap();
        assert!(
            decode.text.contains("| 65.0 KiB | — | 412.3 µs |"),
            "{}",
            decode.text
        );
    }

    #[test]
    fn a_report_of_another_shape_names_the_field() {
        let mut report = report_json(105_000.0, Some("valgrind"));
        report["clients"][1]["memory"]
            .as_object_mut()
            .unwrap()
            .remove("peak_rss_bytes");
        let error = Report::parse(report.to_string().as_bytes()).unwrap_err();
        assert!(
            error.contains("at `clients[1].memory`: missing field `peak_rss_bytes`"),
            "{error}"
        );
        report["decode_page"] = json!({"messages": 50});
        let error = Report::parse(report.to_string().as_bytes()).unwrap_err();
        assert!(error.contains("decode_page"), "{error}");
        assert!(Report::parse(b"moveworks-bench: usage").is_err());
    }

    #[test]
    fn per_user_handles_have_their_section_and_targets() {
        let blocks = render(&results(105_000.0, Some("valgrind")));
        let users = blocks.iter().find(|b| b.name == "users").unwrap();
        for row in [
            "## Per-user handles\n\n",
            "over 10000 handles after 1000 warm-up ones",
            "| making a handle (`for_user`), per handle | 1234 | 1232–1237 | 1.0 |",
            "| a call by the plain client | 105000 | 104998–105003 | 74.0 |",
            "| a call by a handle, its user's token cached | 105500 | 105498–105503 | 74.5 |",
            "| the per-user lookup: handle minus plain client, per call | +500 (+0.48%) | | +0.5 |",
            "| per-user cache, 10000 users with 1 KiB tokens | heap in use | resident memory |",
            "| before | 2.0 MiB | 20.0 MiB |",
            "| growth | **13.0 MiB** | **14.5 MiB** |",
            "| growth per user | 1363 bytes | 1520 bytes |",
        ] {
            assert!(
                users.text.contains(row),
                "{row:?} is not in:\n{}",
                users.text
            );
        }
        let report = document(&blocks, false);
        for target in [
            "| making a per-user handle (`for_user`) under 2,000 instructions | 1234 | yes |",
            "| per-user cache of 10000 users with 1 KiB tokens under 16 MiB (heap or resident growth, the larger) | 14.5 MiB | yes |",
        ] {
            assert!(report.contains(target), "{target:?} is not in:\n{report}");
        }
        assert!(
            report.find("## Memory") < report.find("## Per-user handles")
                && report.find("## Per-user handles")
                    < report.find("## Decoding a page of messages"),
            "{report}"
        );
    }

    #[test]
    fn without_valgrind_per_user_handles_have_memory_only() {
        let report = document(&render(&results(105_000.0, None)), false);
        assert!(
            report.contains("| making a handle (`for_user`), per handle | — | — | — |"),
            "{report}"
        );
        assert!(!report.contains("| the per-user lookup:"), "{report}");
        assert!(
            report.contains("under 2,000 instructions | not counted (no valgrind) | — |"),
            "{report}"
        );
        assert!(
            report.contains("| growth | **13.0 MiB** | **14.5 MiB** |"),
            "{report}"
        );
    }

    #[test]
    fn a_per_user_run_changes_only_its_section_and_its_targets() {
        let users = results(105_000.0, Some("valgrind")).clients.users;
        let machine = results(105_000.0, None).machine;
        let blocks = render_users(&machine, false, &users);
        let file = KEPT.replace(
            "| a target no longer measured | 1 s | yes |\n",
            "| a target no longer measured | 1 s | yes |\n\
             | making a per-user handle (`for_user`) under 2,000 instructions | 2500 | **no** |\n",
        );
        let out = splice(&file, "BENCHMARKS.md", &blocks).unwrap();
        assert!(
            out.contains(
                "<!-- bench:begin users -->\n## Per-user handles\n\n\
                 Measured by `cargo xtask bench --users` on 2026-01-01: cpu, 2 cores, 1 GiB RAM, os; rustc.\n\n\
                 One client"
            ),
            "{out}"
        );
        // The rest of the file, every other target row included, as it was.
        for kept in [
            "<!-- bench:begin machine -->\nMeasured long ago.\n<!-- bench:end machine -->",
            "## CPU cost per call\n\nold\n<!-- bench:end clients -->",
            "<!-- bench:begin decode -->\nold\n<!-- bench:end decode -->",
            "| the corpus step of `.ci/run` from an empty target dir under 12 min | 7.8 min | yes |\n\
             | cold debug build of moveworks-ext under 50 s | 209.5 s (last `--build` run) | **no** |\n\
             | a target no longer measured | 1 s | yes |\n\
             | making a per-user handle (`for_user`) under 2,000 instructions | 1234 | yes |\n\
             | per-user cache of 10000 users with 1 KiB tokens under 16 MiB (heap or resident growth, the larger) | 14.5 MiB | yes |\n\
             <!-- bench:end targets -->",
        ] {
            assert!(out.contains(kept), "{kept:?} is gone:\n{out}");
        }
        assert!(!out.contains("| 2500 | **no** |"), "{out}");
        // Nothing more to change.
        assert_eq!(splice(&out, "BENCHMARKS.md", &blocks).unwrap(), out);
    }

    /// What `moveworks-bench run --smoke` printed (valgrind installed,
    /// so it counted the first client only, and of the per-user figures,
    /// a handle and the handle's call).
    const SMOKE_RUN: &str = include_str!("fixtures/smoke-run.json");

    #[test]
    fn renders_what_the_bench_printed() {
        let report: Value = serde_json::from_str(SMOKE_RUN).unwrap();
        let blocks = render(&results_of(&report));
        let text = document(&blocks, false);
        for row in [
            "after 2 warm-up calls, on a single-threaded tokio runtime",
            "the median of 1 counts, with the lowest and highest (only the first 1 client(s) in this run).",
            "| raw reqwest | 634273 | 1.000× | 634273–634273 | 526.5 µs | 1.000× | 501.1 µs | 1.000× |",
            "| moveworks-api (generated) | — | — | — | 546.0 µs | 1.037× | 441.3 µs | 0.881× |",
            "| raw reqwest | 1500 | 1.000 | 650 µs | 854 µs | 1586 | 1.000 | 30.91 ms | 53.92 ms |",
            "| moveworks-ext (tracing subscriber at INFO) | 0.661–0.661 | 0.849–0.849 | 1.617–1.617 | 1.089–1.089 |",
            "| raw reqwest | 7.4 MiB | 18.9 MiB | 1.000× |",
            "Build profile: debug.",
            "| making a handle (`for_user`), per handle | 1839 | 1839–1839 | 1.0 |",
            "| a call by the plain client | — | — | — |",
            "| a call by a handle, its user's token cached | 674396 | 674396–674396 | 61.2 |",
            "| per-user cache, 200 users with 1 KiB tokens | heap in use | resident memory |",
            "| growth | **0.3 MiB** | **0.1 MiB** |",
            "| 50 messages with content, actions and citations | 63.6 KiB | 14238712 | 2935.2 µs |",
            "| moveworks-ext (INFO subscriber, auth, retries): instructions per call ≤ 1.10× raw reqwest | not counted in this run | — |",
            "| moveworks-ext peak RSS ≤ 1.2× raw reqwest (64 in flight) | 0.987× | yes |",
            "| making a per-user handle (`for_user`) under 2,000 instructions | 1839 | yes |",
        ] {
            assert!(text.contains(row), "{row:?} is not in:\n{text}");
        }
    }

    /// BENCHMARKS.md as people keep it: figures between markers, their own
    /// text around them, and the figures of slow runs kept by hand.
    const KEPT: &str = "# Benchmarks\n\nWhy these figures matter, by hand.\n\n\
        <!-- bench:begin machine -->\nMeasured long ago.\n<!-- bench:end machine -->\n\n\
        <!-- bench:begin clients -->\n## CPU cost per call\n\nold\n<!-- bench:end clients -->\n\n\
        A note on the clients, by hand.\n\n\
        <!-- bench:begin users -->\n## Per-user handles\n\nold\n<!-- bench:end users -->\n\n\
        What the per-user rows mean, by hand.\n\n\
        ## Decoding a page of messages\n\n<!-- bench:begin decode -->\nold\n<!-- bench:end decode -->\n\n\
        Before and after, by hand.\n\n\
        <!-- bench:begin codegen -->\n## Code generation\n\nold\n<!-- bench:end codegen -->\n\n\
        ### The corpus step of CI\n\n<!-- bench:begin corpus-step -->\n\
        469 s, as .ci/run timed it.\n<!-- bench:end corpus-step -->\n\n\
        ## Build cost\n\n<!-- bench:begin build-cost -->\nThe figures of 2026-11-26.\n\
        <!-- bench:end build-cost -->\n\n\
        ## Targets\n\n<!-- bench:begin targets -->\n| target | measured | met |\n|---|---:|:---:|\n\
        | the corpus step of `.ci/run` from an empty target dir under 12 min | 7.8 min | yes |\n\
        | cold debug build of moveworks-ext under 50 s | 209.5 s (last `--build` run) | **no** |\n\
        | a target no longer measured | 1 s | yes |\n\
        <!-- bench:end targets -->\n\n## Over time\n\nBy hand, at the end.\n";

    #[test]
    fn only_the_text_between_markers_of_what_was_measured_changes() {
        let blocks = render(&results(105_000.0, Some("valgrind")));
        let out = splice(KEPT, "BENCHMARKS.md", &blocks).unwrap();
        for kept in [
            "# Benchmarks\n\nWhy these figures matter, by hand.\n\n<!-- bench:begin machine -->\nMeasured by",
            "<!-- bench:end clients -->\n\nA note on the clients, by hand.\n\n<!-- bench:begin users -->\n## Per-user handles\n\nOne client",
            "<!-- bench:end users -->\n\nWhat the per-user rows mean, by hand.\n\n## Decoding a page of messages\n\n<!-- bench:begin decode -->\nOne `list_conversation_messages` page",
            "<!-- bench:end decode -->\n\nBefore and after, by hand.\n\n<!-- bench:begin codegen -->\n## Code generation\n\nMedian",
            // Not measured in this run: as the file had them.
            "<!-- bench:begin corpus-step -->\n469 s, as .ci/run timed it.\n<!-- bench:end corpus-step -->",
            "<!-- bench:begin build-cost -->\nThe figures of 2026-11-26.\n<!-- bench:end build-cost -->",
            "| the corpus step of `.ci/run` from an empty target dir under 12 min | 7.8 min | yes |\n",
            "| cold debug build of moveworks-ext under 50 s | 209.5 s (last `--build` run) | **no** |\n",
            "<!-- bench:end targets -->\n\n## Over time\n\nBy hand, at the end.\n",
        ] {
            assert!(out.contains(kept), "{kept:?} is gone:\n{out}");
        }
        assert!(!out.contains("Measured long ago."), "{out}");
        assert!(!out.contains("\nold\n"), "{out}");
        assert!(out.contains("| ext | 105000 | 1.050× |"), "{out}");
        assert!(
            out.contains(
                "| moveworks-ext peak RSS ≤ 1.2× raw reqwest (64 in flight) | 1.100× | yes |"
            ),
            "{out}"
        );
        // The table is the run's: a target it does not have is gone.
        assert!(!out.contains("a target no longer measured"), "{out}");
        assert!(!out.contains(NOT_MEASURED), "{out}");
        // Nothing more to change.
        assert_eq!(splice(&out, "BENCHMARKS.md", &blocks).unwrap(), out);
    }

    #[test]
    fn a_new_file_gets_every_block_with_its_markers() {
        let blocks = render(&results(105_000.0, Some("valgrind")));
        let new = document(&blocks, true);
        for block in &blocks {
            assert!(new.contains(&begin(block.name)), "{new}");
        }
        assert!(new.contains("## Build cost\n\n<!-- bench:begin build-cost -->\nNot measured"));
        assert_eq!(
            document(&blocks, false),
            new.lines()
                .filter(|l| !l.starts_with("<!-- bench:"))
                .map(|l| format!("{l}\n"))
                .collect::<String>()
        );
        // Measured later, its blocks go where the markers are.
        let mut measured = render(&results(105_000.0, Some("valgrind")));
        for block in &mut measured {
            block.measured = true;
        }
        assert_eq!(splice(&new, "B.md", &measured).unwrap(), new);
    }

    #[test]
    fn benchmarks_md_has_the_markers_of_every_block() {
        let path = crate::layout::workspace_root().join("BENCHMARKS.md");
        let file = std::fs::read_to_string(path).unwrap();
        let mut blocks = render(&results(105_000.0, Some("valgrind")));
        for block in &mut blocks {
            block.measured = true;
        }
        splice(&file, "BENCHMARKS.md", &blocks).unwrap();
    }

    #[test]
    fn missing_markers_are_an_error_saying_where_they_go() {
        let blocks = render(&results(105_000.0, Some("valgrind")));
        let without = KEPT.replace("<!-- bench:end clients -->\n", "");
        let error = splice(&without, "BENCHMARKS.md", &blocks).unwrap_err();
        assert!(
            error.contains(
                "BENCHMARKS.md needs the markers `<!-- bench:begin clients -->` and \
                 `<!-- bench:end clients -->`, once each, on lines of their own around the CPU \
                 cost, throughput and latency, and memory sections"
            ),
            "{error}"
        );
        let error = splice("# Benchmarks\n\nBy hand.\n", "B.md", &blocks).unwrap_err();
        assert!(error.contains("`<!-- bench:begin machine -->`"), "{error}");
        let twice = KEPT.replace(
            "## Over time",
            "<!-- bench:begin targets -->\n<!-- bench:end targets -->\n## Over time",
        );
        assert!(splice(&twice, "B.md", &blocks).is_err());
    }
}
