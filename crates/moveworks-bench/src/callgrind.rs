//! Instructions per call, counted by callgrind in the client's process
//! alone (the server runs in the parent).
//!
//! Unlike throughput on a machine whose cores the client and the server
//! share with everything else, an instruction count barely moves from one
//! run to the next, so it shows small overheads that throughput hides.
//! Only the calls themselves are counted: collection is switched on and off
//! around [`counted_section`] (`--toggle-collect`), so process start-up,
//! client construction and the warm-up calls (which open the connection)
//! are left out. The runtime is single-threaded, so every instruction of a
//! call (the client's code, hyper's connection task, the I/O and timer
//! drivers) runs on the thread inside that function.

use std::process::Command;

use crate::clients::{Caller, Kind};

/// How many calls to count.
#[derive(Debug, Clone, Copy)]
pub struct Counting {
    pub warmup: usize,
    pub calls: usize,
    /// Counts per client; the report quotes the median.
    pub runs: usize,
    /// How many clients to count, in `Kind::ALL` order (raw reqwest first).
    pub clients: usize,
}

/// `valgrind --version`, or `None` when valgrind cannot be run.
pub fn valgrind_version() -> Option<String> {
    let output = Command::new(valgrind()).arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `$VALGRIND`, or `valgrind` from `PATH`.
pub(crate) fn valgrind() -> String {
    std::env::var("VALGRIND").unwrap_or_else(|_| "valgrind".to_owned())
}

/// Runs `moveworks-bench count ...` under callgrind and returns the
/// instructions executed per call.
pub fn count_in_child(kind: Kind, base_url: &str, counting: Counting) -> Result<f64, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out_file = std::env::temp_dir().join(format!(
        "moveworks-bench-callgrind-{}-{}.out",
        std::process::id(),
        kind.id()
    ));
    let output = Command::new(valgrind())
        .arg("--tool=callgrind")
        .arg("--toggle-collect=*counted_section*")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(&exe)
        .args([
            "count",
            kind.id(),
            base_url,
            &counting.warmup.to_string(),
            &counting.calls.to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot start valgrind: {e}"))?;
    let profile = std::fs::read_to_string(&out_file);
    let _ = std::fs::remove_file(&out_file);
    if !output.status.success() {
        return Err(format!(
            "counting instructions of {} failed: {}",
            kind.name(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let profile = profile.map_err(|e| format!("{}: {e}", out_file.display()))?;
    let total = total_instructions(&profile)
        .ok_or_else(|| format!("no instruction total in {}", out_file.display()))?;
    if total == 0 {
        return Err(format!(
            "callgrind counted nothing for {}: the toggle function was not found",
            kind.name()
        ));
    }
    Ok(total as f64 / counting.calls as f64)
}

/// The `summary:` (or `totals:`) line of a callgrind profile: the first
/// event, instructions, is the one collected by default.
pub(crate) fn total_instructions(profile: &str) -> Option<u64> {
    profile
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// In the child, under valgrind: warm up, then the counted calls.
pub fn count_in_this_process(args: &[String]) -> Result<String, String> {
    let [kind, base_url, warmup, calls] = args else {
        return Err("count CLIENT URL WARMUP CALLS".to_owned());
    };
    let kind = Kind::parse(kind).ok_or_else(|| format!("unknown client `{kind}`"))?;
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    let (warmup, calls) = (number(warmup)?, number(calls)?);
    let runtime = crate::current_thread_runtime()?;
    let caller = crate::caller_for(kind, base_url);
    runtime.block_on(calls_in_sequence(&caller, warmup))?;
    counted_section(&runtime, &caller, calls)?;
    Ok(format!("{calls} calls counted"))
}

/// The calls callgrind counts. Not inlined, and named so that no function
/// it calls matches the toggle pattern (a second match would switch
/// collection off again).
#[inline(never)]
fn counted_section(
    runtime: &tokio::runtime::Runtime,
    caller: &Caller,
    calls: usize,
) -> Result<(), String> {
    runtime.block_on(calls_in_sequence(caller, calls))
}

async fn calls_in_sequence(caller: &Caller, calls: usize) -> Result<(), String> {
    for _ in 0..calls {
        caller.call().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_instruction_total() {
        let profile =
            "version: 1\ncmd: x\nevents: Ir\nfn=(1) main\n3 10\nsummary: 123456\ntotals: 123456\n";
        assert_eq!(total_instructions(profile), Some(123_456));
        assert_eq!(total_instructions("events: Ir\ntotals: 42 7\n"), Some(42));
        assert_eq!(total_instructions("events: Ir\n"), None);
    }
}
