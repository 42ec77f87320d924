//! BENCHMARKS.md: the figures, the targets, and whether each was met.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::Value;

use super::build_cost::Build;
use super::machine::Machine;

/// Everything one `cargo xtask bench` run measured.
pub struct Results {
    pub machine: Machine,
    pub smoke: bool,
    /// (spec, median wall time, target)
    pub codegen: Vec<(String, Duration, Duration)>,
    /// The `moveworks-bench run` report.
    pub clients: Value,
    pub builds: Option<Vec<Build>>,
}

/// A target and whether it was met.
struct Target {
    what: String,
    measured: String,
    met: bool,
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

pub fn render(results: &Results) -> String {
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
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
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

    let mut targets = Vec::new();
    let ratio = |path: &str| number(&ext, path) / number(&raw, path);
    for mode in ["sequential", "concurrent"] {
        let label = if mode == "sequential" {
            "sequential"
        } else {
            "64 in flight"
        };
        let throughput = ratio(&format!("/{mode}/requests_per_second"));
        targets.push(Target {
            what: format!("moveworks-ext throughput ≥ 0.95× raw reqwest ({label})"),
            measured: format!("{throughput:.3}×"),
            met: throughput >= 0.95,
        });
        let p99 = ratio(&format!("/{mode}/p99_us"));
        targets.push(Target {
            what: format!("moveworks-ext p99 within 10% of raw reqwest ({label})"),
            measured: format!("{p99:.3}×"),
            met: p99 <= 1.10,
        });
    }

    let _ = writeln!(out, "## Client overhead\n");
    let _ = writeln!(
        out,
        "Submit-feedback calls against a minimal hyper server on loopback (its own runtime and thread, answering the spec's \
         200 body). Each round runs every client {} calls one after the other, then {} calls with {} in flight; the {} rounds \
         interleave the clients (rotating which goes first) and the figures are the medians over rounds, so machine noise hits \
         all clients alike. Every measurement runs in a fresh child process, so clients share no allocator, connection-pool or \
         tracing state. Raw reqwest is a hand-built request with the same headers, body and `reqwest::Client` settings, \
         decoding the same response type. moveworks-ext runs with auth, retries and tracing, under a `tracing_subscriber::fmt` \
         subscriber (writing to a sink) at INFO, as a service would; its per-request span is DEBUG, so the second moveworks-ext \
         row, at DEBUG, shows what recording a span per request costs. Build profile: {}.\n",
        plan["sequential_calls"],
        plan["concurrent_calls"],
        plan["in_flight"],
        plan["rounds"],
        plan["profile"].as_str().unwrap_or("?")
    );
    let _ = writeln!(
        out,
        "| client | sequential req/s | ratio | p50 | p99 | 64 in flight req/s | ratio | p50 | p99 |"
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
        met: memory <= 1.2,
    });

    let _ = writeln!(out, "\n## Code generation\n");
    let _ = writeln!(
        out,
        "Median wall time of generating a crate in memory (YAML parsing, normalization, progenitor, rewrites, rustfmt) with the \
         xtask already built (its `dev` profile, as `cargo xtask codegen` runs it).\n"
    );
    let _ = writeln!(out, "| spec | median wall time |");
    let _ = writeln!(out, "|---|---:|");
    for (spec, wall, target) in &results.codegen {
        let _ = writeln!(out, "| `{spec}` | {:.3} s |", wall.as_secs_f64());
        targets.push(Target {
            what: format!("codegen of `{spec}` under {} s", target.as_secs_f64()),
            measured: format!("{:.3} s", wall.as_secs_f64()),
            met: wall < target,
        });
    }

    let _ = writeln!(out, "\n## Build cost\n");
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
                    met: ext.wall < Duration::from_secs(50),
                });
            }
        }
        None => {
            let _ = writeln!(
                out,
                "Not measured in this run: it takes minutes; run `cargo xtask bench --build`."
            );
        }
    }

    let _ = writeln!(
        out,
        "\n## Targets\n\n| target | measured | met |\n|---|---:|:---:|"
    );
    for target in &targets {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            target.what,
            target.measured,
            if target.met { "yes" } else { "**no**" }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn client(id: &str, rps: f64, p99: f64, peak: f64) -> Value {
        let mode = json!({"requests_per_second": rps, "p50_us": 100.0, "p99_us": p99});
        json!({"id": id, "client": id, "sequential": mode, "concurrent": mode, "memory": {"baseline_rss_bytes": 1.0, "peak_rss_bytes": peak}})
    }

    fn results(ext_rps: f64) -> Results {
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
            codegen: vec![(
                "openapi.yaml".into(),
                Duration::from_millis(100),
                Duration::from_millis(500),
            )],
            clients: json!({"plan": {"rounds": 1}, "clients": [client("raw", 100.0, 10.0, 100.0), client("ext", ext_rps, 10.5, 110.0)]}),
            builds: None,
        }
    }

    #[test]
    fn targets_are_judged_against_raw_reqwest() {
        let met = render(&results(96.0));
        assert!(
            met.contains(
                "| moveworks-ext throughput ≥ 0.95× raw reqwest (sequential) | 0.960× | yes |"
            ),
            "{met}"
        );
        assert!(
            met.contains(
                "| moveworks-ext peak RSS ≤ 1.2× raw reqwest (64 in flight) | 1.100× | yes |"
            ),
            "{met}"
        );
        let missed = render(&results(90.0));
        assert!(
            missed.contains(
                "| moveworks-ext throughput ≥ 0.95× raw reqwest (sequential) | 0.900× | **no** |"
            ),
            "{missed}"
        );
        assert!(missed.contains("run `cargo xtask bench --build`"));
    }
}
