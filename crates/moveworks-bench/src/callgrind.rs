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

/// What callgrind counted per call (or per whatever was repeated).
#[derive(Debug, Clone, Copy)]
pub struct PerCall {
    pub instructions: f64,
    /// Heap allocations: calls to `malloc` and its kin (a `realloc` moves
    /// or grows an allocation, and is not counted).
    pub allocations: f64,
}

/// Like [`count_in_child`], with the heap allocations too, both counted
/// by [`run_counted`].
pub fn profile_in_child(kind: Kind, base_url: &str, counting: Counting) -> Result<PerCall, String> {
    let args = [
        "count",
        kind.id(),
        base_url,
        &counting.warmup.to_string(),
        &counting.calls.to_string(),
    ];
    let what = format!("of {}", kind.name());
    run_counted(
        &args,
        "moveworks_bench::callgrind::counted_section",
        &what,
        kind.id(),
        counting.calls,
    )
}

/// Runs this binary with `args` under callgrind and counts what
/// `function` (its full path: callgrind takes no pattern here) does, from
/// entering it to leaving it, divided by `repeats`.
///
/// Not `--toggle-collect`: callgrind counts calls (the allocations are
/// calls to `malloc`) even while it does not collect, so start-up and the
/// warm-up would be counted. Its costs are zeroed on entering the function
/// and written out on leaving it instead (`--zero-before`,
/// `--dump-after`), to a dump of their own.
pub(crate) fn run_counted(
    args: &[&str],
    function: &str,
    what: &str,
    file_tag: &str,
    repeats: usize,
) -> Result<PerCall, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out_file = std::env::temp_dir().join(format!(
        "moveworks-bench-callgrind-{}-{file_tag}.out",
        std::process::id(),
    ));
    // The dump made on leaving the function is the first one.
    let dump = out_file.with_extension("out.1");
    let output = Command::new(valgrind())
        .arg("--tool=callgrind")
        .arg(format!("--zero-before={function}"))
        .arg(format!("--dump-after={function}"))
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(&exe)
        .args(args)
        .output()
        .map_err(|e| format!("cannot start valgrind: {e}"))?;
    let profile = std::fs::read_to_string(&dump);
    let _ = std::fs::remove_file(&out_file);
    let _ = std::fs::remove_file(&dump);
    if !output.status.success() {
        return Err(format!(
            "counting instructions {what} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let profile = profile.map_err(|e| {
        format!(
            "no dump of `{function}` ({}: {e}): callgrind did not find the function",
            dump.display()
        )
    })?;
    let total = total_instructions(&profile)
        .ok_or_else(|| format!("no instruction total in {}", dump.display()))?;
    let repeats = repeats.max(1) as f64;
    Ok(PerCall {
        instructions: total as f64 / repeats,
        allocations: allocations(&profile) as f64 / repeats,
    })
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

/// The median of `runs`, with the lowest and highest, or null when there
/// are none.
pub(crate) fn spread_json(mut runs: Vec<f64>) -> serde_json::Value {
    runs.sort_by(f64::total_cmp);
    match (runs.first(), runs.last()) {
        (Some(min), Some(max)) => serde_json::json!({
            "median": runs[runs.len() / 2],
            "min": min,
            "max": max,
        }),
        _ => serde_json::Value::Null,
    }
}

/// The median of `values` (NaN when there are none).
pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The allocator's entry points that make a new allocation.
const ALLOCATING: [&str; 5] = [
    "malloc",
    "calloc",
    "posix_memalign",
    "aligned_alloc",
    "memalign",
];

/// Calls to [`ALLOCATING`] functions in a callgrind profile: a `calls=`
/// line counts calls to the function its `cfn=` line names. Names are
/// compressed: `(id) name` the first time, `(id)` after.
pub(crate) fn allocations(profile: &str) -> u64 {
    let mut names = std::collections::HashMap::new();
    let mut callee_allocates = false;
    let mut count = 0;
    for line in profile.lines() {
        let named = line
            .strip_prefix("cfn=")
            .map(|rest| (true, rest))
            .or_else(|| line.strip_prefix("fn=").map(|rest| (false, rest)));
        if let Some((is_callee, rest)) = named {
            let (id, name) = rest.split_once(' ').unwrap_or((rest, ""));
            if !name.is_empty() {
                names.insert(id.to_owned(), name.to_owned());
            }
            if is_callee {
                let name = names.get(id).map_or(name, String::as_str);
                callee_allocates = ALLOCATING.contains(&name);
            }
        } else if let Some(rest) = line.strip_prefix("calls=") {
            if callee_allocates {
                count += rest
                    .split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
            }
            // A `cfn=` line names the callee of the next `calls=` only.
            callee_allocates = false;
        }
    }
    count
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

    #[test]
    fn counts_the_calls_that_allocate() {
        // As callgrind writes it: names compressed after their first use,
        // one `cfn=` before each `calls=`.
        let profile = "events: Ir\n\
            fn=(1) counted_section\n\
            cfn=(2) malloc\ncalls=3 0\n5 40\n\
            cfn=(3) realloc\ncalls=2 0\n6 30\n\
            cfn=(4) free\ncalls=3 0\n7 20\n\
            fn=(5) hyper::x\n\
            cfn=(2)\ncalls=4 0\n8 40\n\
            cfn=(6) calloc\ncalls=1 0\n9 10\n\
            fn=(2)\n10 100\n\
            summary: 240\n";
        assert_eq!(allocations(profile), 8);
        assert_eq!(allocations("events: Ir\nsummary: 1\n"), 0);
    }
}
