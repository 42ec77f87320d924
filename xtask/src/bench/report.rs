//! BENCHMARKS.md: the figures, the targets, and whether each was met.
//!
//! The report is made of named blocks. Written into an existing file, each
//! block measured in this run replaces the text between its markers,
//! `<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->`, and the rest
//! of the file (what people wrote around the figures) is left as it is.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::Value;

use super::build_cost::Build;
use super::codegen_report::{self, Codegen};
use super::machine::Machine;

/// Everything one `cargo xtask bench` run measured.
pub struct Results {
    pub machine: Machine,
    pub smoke: bool,
    pub codegen: Codegen,
    /// The `moveworks-bench run` report.
    pub clients: Value,
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
}

/// What a target not measured in this run says; the file's row for it is
/// kept.
pub const NOT_MEASURED: &str = "not measured in this run";

/// A target and whether it was met.
struct Target {
    what: String,
    measured: String,
    /// `None`: not measured in this run.
    met: Option<bool>,
}

fn number(value: &Value, path: &str) -> f64 {
    value
        .pointer(path)
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
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

/// The lowest and highest ratio of `client`'s figure at `path` to raw
/// reqwest's in the same round.
fn round_ratio_range(client: &Value, raw: &Value, path: &str) -> (f64, f64) {
    let rounds = |c: &Value| c["rounds"].as_array().cloned().unwrap_or_default();
    rounds(client)
        .iter()
        .zip(rounds(raw).iter())
        .map(|(c, r)| number(c, path) / number(r, path))
        .fold((f64::NAN, f64::NAN), |(low, high), ratio| {
            (low.min(ratio), high.max(ratio))
        })
}

pub fn render(results: &Results) -> Vec<Block> {
    let m = &results.machine;
    let clients = results
        .clients
        .get("clients")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let plan = results.clients.get("plan").cloned().unwrap_or(Value::Null);
    let raw = clients.first().cloned().unwrap_or(Value::Null);
    // The targets are about moveworks-ext as a service runs it: under a
    // tracing subscriber at INFO.
    let ext = clients
        .iter()
        .find(|c| c["id"] == "ext")
        .cloned()
        .unwrap_or(Value::Null);
    let mut blocks = Vec::new();
    let mut out = String::new();
    if results.smoke {
        let _ = writeln!(
            out,
            "**Smoke run: a handful of calls to prove the harness works. These figures mean nothing.**\n"
        );
    }
    let _ = writeln!(
        out,
        "Measured by `cargo xtask bench{}` on {}: {}, {} cores, {} RAM, {}; {}.\n",
        if results.builds.is_some() {
            " --build"
        } else {
            ""
        },
        m.date,
        m.cpu,
        m.cores,
        m.memory,
        m.os,
        m.rustc
    );
    blocks.push(Block {
        name: "machine",
        what: "the line that says when and on what machine it was measured",
        heading: None,
        text: std::mem::take(&mut out),
        measured: true,
    });

    let mut targets = Vec::new();
    let ratio = |path: &str| number(&ext, path) / number(&raw, path);
    let counting = results
        .clients
        .get("counting")
        .cloned()
        .unwrap_or(Value::Null);
    let counted = counting["valgrind"].is_string();

    let _ = writeln!(out, "## CPU cost per call\n");
    let _ = writeln!(
        out,
        "What each client costs the process that makes the calls, the figure that holds still on a small machine shared by \
         client, server and everything else. The server (a minimal hyper server answering the spec's 200 body to \
         submit-feedback) runs in another process and is not counted.\n\n\
         - **Instructions per call**: counted by `valgrind --tool=callgrind` in the client's process over {} sequential calls \
         after {} warm-up calls, on a single-threaded tokio runtime, collecting only while the counted calls run (start-up, \
         client construction and connecting are left out); the median of {} counts, with the lowest and highest{}.\n\
         - **CPU per call**: user plus system CPU time (`getrusage`) of the client's process over the {} sequential calls and \
         the {} calls with {} in flight of each throughput round below (multi-threaded runtime); the median over rounds.\n",
        counting["calls"],
        counting["warmup"],
        counting["runs"],
        if counting["clients"]
            .as_u64()
            .is_some_and(|n| n < clients.len() as u64)
        {
            format!(
                " (only the first {} client(s) in this run)",
                counting["clients"]
            )
        } else {
            String::new()
        },
        plan["sequential_calls"],
        plan["concurrent_calls"],
        plan["in_flight"],
    );
    if !counted {
        let _ = writeln!(
            out,
            "**Instructions per call not counted: valgrind was not found on this machine.** Install it (for example \
             `apt-get install valgrind`) and run `cargo xtask bench` again; CPU time per call is measured regardless.\n"
        );
    }
    let _ = writeln!(
        out,
        "| client | instructions/call | ratio | lowest–highest | CPU/call, sequential | ratio | CPU/call, {} in flight | ratio |",
        plan["in_flight"]
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for client in &clients {
        let row_ratio = |path: &str| number(client, path) / number(&raw, path);
        let (instructions, instructions_ratio, spread) =
            if client["instructions_per_call"].is_object() {
                (
                    format!("{:.0}", number(client, "/instructions_per_call/median")),
                    format!("{:.3}×", row_ratio("/instructions_per_call/median")),
                    format!(
                        "{:.0}–{:.0}",
                        number(client, "/instructions_per_call/min"),
                        number(client, "/instructions_per_call/max")
                    ),
                )
            } else {
                ("—".into(), "—".into(), "—".into())
            };
        let _ = writeln!(
            out,
            "| {} | {instructions} | {instructions_ratio} | {spread} | {:.1} µs | {:.3}× | {:.1} µs | {:.3}× |",
            client["client"].as_str().unwrap_or("?"),
            number(client, "/sequential/cpu_us_per_call"),
            row_ratio("/sequential/cpu_us_per_call"),
            number(client, "/concurrent/cpu_us_per_call"),
            row_ratio("/concurrent/cpu_us_per_call"),
        );
    }
    let ext_debug = clients
        .iter()
        .find(|c| c["id"] == "ext-debug")
        .cloned()
        .unwrap_or(Value::Null);
    for (client, limit, what) in [
        (&ext, 1.10, "moveworks-ext (INFO subscriber, auth, retries)"),
        (
            &ext_debug,
            1.30,
            "moveworks-ext with DEBUG request spans recorded",
        ),
    ] {
        let instructions = number(client, "/instructions_per_call/median")
            / number(&raw, "/instructions_per_call/median");
        targets.push(Target {
            what: format!("{what}: instructions per call ≤ {limit:.2}× raw reqwest"),
            measured: if !counted {
                "not counted (no valgrind)".into()
            } else if instructions.is_nan() {
                "not counted in this run".into()
            } else {
                format!("{instructions:.3}×")
            },
            met: (!instructions.is_nan()).then_some(instructions <= limit),
        });
    }

    let _ = writeln!(out, "\n## Throughput and latency\n");
    let _ = writeln!(
        out,
        "Secondary figures: wall-clock throughput and latency. Client and server share the machine's cores (with whatever \
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
        plan["sequential_calls"],
        plan["concurrent_calls"],
        plan["in_flight"],
        plan["rounds"],
        plan["profile"].as_str().unwrap_or("?")
    );
    let _ = writeln!(
        out,
        "| client | sequential req/s | ratio | p50 | p99 | {} in flight req/s | ratio | p50 | p99 |",
        plan["in_flight"]
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for client in &clients {
        let row_ratio = |path: &str| number(client, path) / number(&raw, path);
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.3} | {} | {} | {:.0} | {:.3} | {} | {} |",
            client["client"].as_str().unwrap_or("?"),
            number(client, "/sequential/requests_per_second"),
            row_ratio("/sequential/requests_per_second"),
            us(number(client, "/sequential/p50_us")),
            us(number(client, "/sequential/p99_us")),
            number(client, "/concurrent/requests_per_second"),
            row_ratio("/concurrent/requests_per_second"),
            us(number(client, "/concurrent/p50_us")),
            us(number(client, "/concurrent/p99_us")),
        );
    }
    let _ = writeln!(
        out,
        "\nHow much one round differs from the next: the lowest and highest ratio to raw reqwest (of the same round) over \
         the {} rounds.\n",
        plan["rounds"]
    );
    let _ = writeln!(
        out,
        "| client | sequential req/s ratio | {0} in flight req/s ratio | CPU/call ratio, sequential | CPU/call ratio, {0} in flight |",
        plan["in_flight"]
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for client in clients.iter().filter(|c| c["id"] != raw["id"]) {
        let range = |path: &str| {
            let (low, high) = round_ratio_range(client, &raw, path);
            format!("{low:.3}–{high:.3}")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            client["client"].as_str().unwrap_or("?"),
            range("/sequential/requests_per_second"),
            range("/concurrent/requests_per_second"),
            range("/sequential/cpu_us_per_call"),
            range("/concurrent/cpu_us_per_call"),
        );
    }

    let _ = writeln!(out, "\n## Memory\n");
    let _ = writeln!(
        out,
        "Peak resident memory (`VmHWM`) of the measuring process, whose largest phase is the {} calls with {} in flight; the \
         server runs in the parent process and is not counted. Medians over rounds.\n",
        plan["concurrent_calls"], plan["in_flight"]
    );
    let _ = writeln!(
        out,
        "| client | RSS before the client | peak RSS | peak vs raw reqwest |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for client in &clients {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3}× |",
            client["client"].as_str().unwrap_or("?"),
            mib(number(client, "/memory/baseline_rss_bytes")),
            mib(number(client, "/memory/peak_rss_bytes")),
            number(client, "/memory/peak_rss_bytes") / number(&raw, "/memory/peak_rss_bytes"),
        );
    }
    let memory = ratio("/memory/peak_rss_bytes");
    targets.push(Target {
        what: "moveworks-ext peak RSS ≤ 1.2× raw reqwest (64 in flight)".into(),
        measured: format!("{memory:.3}×"),
        met: Some(memory <= 1.2),
    });

    blocks.push(Block {
        name: "clients",
        what: "the CPU cost, throughput and latency, and memory sections",
        heading: None,
        text: std::mem::take(&mut out),
        measured: true,
    });

    let (section, corpus_step, codegen_targets) = codegen_report::render(&results.codegen);
    blocks.push(Block {
        name: "codegen",
        what: "the code generation section",
        heading: None,
        text: section,
        measured: true,
    });
    blocks.push(Block {
        name: "corpus-step",
        what: "the text under `### The corpus step of CI`",
        heading: Some("### The corpus step of CI"),
        text: corpus_step,
        measured: results.codegen.corpus_step.is_some(),
    });
    targets.extend(
        codegen_targets
            .into_iter()
            .map(|(what, measured, met)| Target {
                what,
                measured,
                met,
            }),
    );

    match &results.builds {
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
                    what: "cold debug build of moveworks-ext under 50 s".into(),
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
                what: "cold debug build of moveworks-ext under 50 s".into(),
                measured: NOT_MEASURED.into(),
                met: None,
            });
        }
    }
    blocks.push(Block {
        name: "build-cost",
        what: "the text under `## Build cost`",
        heading: Some("## Build cost"),
        text: std::mem::take(&mut out),
        measured: results.builds.is_some(),
    });

    let _ = writeln!(out, "| target | measured | met |\n|---|---:|:---:|");
    for target in &targets {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            target.what,
            target.measured,
            match target.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            }
        );
    }
    blocks.push(Block {
        name: "targets",
        what: "the table under `## Targets`",
        heading: Some("## Targets"),
        text: out,
        measured: true,
    });
    blocks
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
            text = keep_unmeasured_rows(&text, &out[start..stop]);
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

#[cfg(test)]
mod tests {
    use serde_json::json;

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

    fn results(ext_instructions: f64, valgrind: Option<&str>) -> Results {
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
            clients: json!({
                "plan": {"rounds": 2, "sequential_calls": 10, "concurrent_calls": 20, "in_flight": 64},
                "counting": {"valgrind": valgrind, "warmup": 1, "calls": 5, "runs": 1},
                "clients": clients,
            }),
            builds: None,
        }
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

    /// BENCHMARKS.md as people keep it: figures between markers, their own
    /// text around them, and the figures of slow runs kept by hand.
    const KEPT: &str = "# Benchmarks\n\nWhy these figures matter, by hand.\n\n\
        <!-- bench:begin machine -->\nMeasured long ago.\n<!-- bench:end machine -->\n\n\
        <!-- bench:begin clients -->\n## CPU cost per call\n\nold\n<!-- bench:end clients -->\n\n\
        A note on the clients, by hand.\n\n\
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
            "<!-- bench:end clients -->\n\nA note on the clients, by hand.\n\n<!-- bench:begin codegen -->\n## Code generation\n\nMedian",
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
