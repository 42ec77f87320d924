//! `moveworks-bench users [--smoke]`: what acting for many users on one
//! client costs, with tokens from a per-user provider
//! ([`moveworks_ext::ClientBuilder::user_tokens`]), which `run` reports too,
//! as `users`.
//!
//! - Making a handle: [`moveworks_ext::Client::for_user`] made and dropped,
//!   counted by callgrind inside [`counted_handles`] alone (`moveworks-bench
//!   count-handles WARMUP HANDLES` in a child): instructions and heap
//!   allocations per handle.
//! - A call through a handle whose user's token is cached, against the same
//!   call of the plain client (its own bearer), both run as the client
//!   benchmark runs a call (`count ext-user ...` and `count ext ...`), so
//!   the difference is the per-user lookup. Both are counted from entering
//!   to leaving the counted function, which counts allocations too (see
//!   [`callgrind::run_counted`]); the client benchmark's `--toggle-collect`
//!   counts a few instructions per call fewer, so compare these two with
//!   each other.
//! - The per-user cache holding `USERS` users, each with a token of
//!   `TOKEN_BYTES`: in a fresh child (`moveworks-bench cache-memory URL
//!   USERS TOKEN_BYTES`), the heap in use (glibc's `mallinfo2`) and the
//!   resident memory before and after `USERS` handles, one per user, each
//!   made one call (which fetched that user's token into the cache).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use moveworks_ext::Client;
use moveworks_ext::auth::{AccessToken, DEFAULT_MAX_USERS, user_token_fn};
use moveworks_testkit::{Failures, LoadServer, resources};
use serde_json::{Value, json};

use crate::callgrind::{self, Counting, PerCall};
use crate::clients::{self, Caller, Kind};

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Handles made before the counted ones.
    pub handle_warmup: usize,
    /// Handles counted.
    pub handles: usize,
    /// Users in the cache whose memory is measured.
    pub users: usize,
    /// The length of each user's token.
    pub token_bytes: usize,
    /// Whether to count the plain client's call too (a smoke run counts
    /// the handle's only: each count pays valgrind's start-up).
    pub count_plain_call: bool,
}

impl Plan {
    pub fn full() -> Plan {
        Plan {
            handle_warmup: 1_000,
            handles: 10_000,
            users: 10_000,
            token_bytes: 1_024,
            count_plain_call: true,
        }
    }

    pub fn smoke() -> Plan {
        Plan {
            handle_warmup: 10,
            handles: 100,
            users: 200,
            token_bytes: 1_024,
            count_plain_call: false,
        }
    }
}

/// `moveworks-bench users [--smoke]`: the per-user figures alone, against
/// a server of their own.
pub fn run(args: &[String]) -> Result<String, String> {
    let smoke = args.iter().any(|a| a == "--smoke");
    let (plan, counting) = if smoke {
        (Plan::smoke(), crate::Plan::smoke().counting)
    } else {
        (Plan::full(), crate::Plan::full().counting)
    };
    let server = LoadServer::start_dedicated(Failures::none(), 1);
    Ok(report(&server.base_url, plan, counting)?.to_string())
}

/// The per-user figures; instructions and allocations only where valgrind
/// is installed (null otherwise), counted as `counting` says.
pub fn report(base_url: &str, plan: Plan, counting: Counting) -> Result<Value, String> {
    let valgrind = callgrind::valgrind_version();
    if valgrind.is_none() {
        eprintln!("moveworks-bench: valgrind not found; per-user instructions not counted");
    }
    let runs = counting.runs.max(1);
    let counted = |count: &dyn Fn() -> Result<PerCall, String>| -> Result<Value, String> {
        if valgrind.is_none() {
            return Ok(Value::Null);
        }
        let counts = (0..runs).map(|_| count()).collect::<Result<Vec<_>, _>>()?;
        Ok(json!({
            "instructions": callgrind::spread_json(counts.iter().map(|c| c.instructions).collect()),
            "allocations": callgrind::median(counts.iter().map(|c| c.allocations).collect()),
        }))
    };
    let handles = counted(&|| count_handles_in_child(plan))?;
    let user_call = counted(&|| callgrind::profile_in_child(Kind::ExtUser, base_url, counting))?;
    let plain_call = if plan.count_plain_call {
        counted(&|| callgrind::profile_in_child(Kind::Ext, base_url, counting))?
    } else {
        Value::Null
    };
    let cache = cache_memory_in_child(base_url, plan)?;
    Ok(json!({
        "valgrind": valgrind,
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "runs": runs,
        "handles": {
            "warmup": plan.handle_warmup,
            "made": plan.handles,
            "per_handle": handles,
        },
        "calls": {
            "warmup": counting.warmup,
            "calls": counting.calls,
            "plain": plain_call,
            "user": user_call,
        },
        "cache": cache,
    }))
}

/// A user key as an application might choose it.
fn user_key(n: usize) -> String {
    format!("employee-{n:06}@example.com")
}

/// A client that issues tokens per user (and has no credential of its
/// own), every token `token_bytes` long and that user's own, keeping at
/// most `max_users`; and how many tokens it fetched.
fn per_user_client(
    base_url: &str,
    token_bytes: usize,
    max_users: usize,
) -> Result<(Client, Arc<AtomicUsize>), String> {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let provider = user_token_fn(move |user: String| {
        counter.fetch_add(1, Ordering::Relaxed);
        async move { AccessToken::new(token_for(&user, token_bytes), None) }
    });
    let client = clients::ext_builder(base_url)
        .user_tokens(provider)
        .max_users(max_users)
        .build()
        .map_err(|e| e.to_string())?;
    Ok((client, fetches))
}

/// `user`'s token: the key, then letters up to `bytes` in all.
fn token_for(user: &str, bytes: usize) -> String {
    let mut token = format!("{user}.");
    let letters = (b'a'..=b'z').map(char::from).cycle();
    token.extend(letters.take(bytes.saturating_sub(token.len())));
    token
}

/// Runs `moveworks-bench count-handles` under callgrind.
fn count_handles_in_child(plan: Plan) -> Result<PerCall, String> {
    let args = [
        "count-handles",
        &plan.handle_warmup.to_string(),
        &plan.handles.to_string(),
    ];
    callgrind::run_counted(
        &args,
        "moveworks_bench::users::counted_handles",
        "of making handles",
        "handles",
        plan.handles,
    )
}

/// In the child, under valgrind: handles made for warm-up, then the
/// counted ones, each for another user.
pub fn count_handles_in_this_process(args: &[String]) -> Result<String, String> {
    let [warmup, handles] = args else {
        return Err("count-handles WARMUP HANDLES".to_owned());
    };
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    let (warmup, handles) = (number(warmup)?, number(handles)?);
    // No call is made: the address is never connected to.
    let (client, _) = per_user_client("http://127.0.0.1:9", 64, DEFAULT_MAX_USERS)?;
    let keys: Vec<String> = (0..warmup.max(handles)).map(user_key).collect();
    make_handles(&client, &keys[..warmup])?;
    counted_handles(&client, &keys[..handles])?;
    Ok(format!("{handles} handles counted"))
}

/// The handles callgrind counts; not inlined, so that callgrind finds it.
#[inline(never)]
fn counted_handles(client: &Client, keys: &[String]) -> Result<(), String> {
    make_handles(client, keys)
}

/// A handle for each key, each dropped before the next is made.
fn make_handles(client: &Client, keys: &[String]) -> Result<(), String> {
    for key in keys {
        let handle = client.for_user(key).map_err(|e| e.to_string())?;
        std::hint::black_box(&handle);
    }
    Ok(())
}

/// Runs `moveworks-bench cache-memory` in a fresh process.
fn cache_memory_in_child(base_url: &str, plan: Plan) -> Result<Value, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = std::process::Command::new(exe)
        .args([
            "cache-memory",
            base_url,
            &plan.users.to_string(),
            &plan.token_bytes.to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot start the cache measurement: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "measuring the per-user cache failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cache measurement output: {e}"))
}

/// Calls made by a handle whose bearer the application holds, before the
/// measured ones: they open the connection and settle the allocator and
/// the subscriber, and leave the cache empty.
const WARMUP_CALLS: usize = 200;

/// In a fresh process: the heap in use and the resident memory before and
/// after `USERS` users, one call each, fill the cache.
pub fn cache_memory_in_this_process(args: &[String]) -> Result<String, String> {
    let [base_url, users, token_bytes] = args else {
        return Err("cache-memory URL USERS TOKEN_BYTES".to_owned());
    };
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    let (users, token_bytes) = (number(users)?, number(token_bytes)?);
    crate::install_tracing(false);
    let runtime = crate::current_thread_runtime()?;
    // The default bound, or room for every user: none is dropped.
    let (client, fetches) = per_user_client(base_url, token_bytes, users.max(DEFAULT_MAX_USERS))?;
    let keys: Vec<String> = (0..users).map(user_key).collect();
    let warmup = client
        .for_user_with_token("warm-up", token_for("warm-up", token_bytes))
        .map_err(|e| e.to_string())?;
    let warmup = Caller::ext(warmup);
    runtime.block_on(async {
        for _ in 0..WARMUP_CALLS {
            warmup.call().await?;
        }
        Ok::<_, String>(())
    })?;
    let (heap_before, rss_before) = (heap_in_use(), resources::resident_bytes());
    runtime.block_on(async {
        for key in &keys {
            let handle = client.for_user(key).map_err(|e| e.to_string())?;
            Caller::ext(handle).call().await?;
        }
        Ok::<_, String>(())
    })?;
    let (heap_after, rss_after) = (heap_in_use(), resources::resident_bytes());
    let fetched = fetches.load(Ordering::Relaxed);
    if fetched != users {
        return Err(format!("{fetched} tokens fetched for {users} users"));
    }
    Ok(json!({
        "users": users,
        "token_bytes": token_bytes,
        "heap_bytes_before": heap_before,
        "heap_bytes_after": heap_after,
        "rss_bytes_before": rss_before,
        "rss_bytes_after": rss_after,
    })
    .to_string())
}

/// Bytes the allocator has handed out and not had back (glibc's
/// `mallinfo2`: in-use chunks of every arena, and mmapped ones).
fn heap_in_use() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallinfo2` only reads the allocator's statistics.
        let info = unsafe { libc::mallinfo2() };
        Some((info.uordblks + info.hblkhd) as u64)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_has_a_token_of_its_own_of_the_length_asked() {
        let (a, b) = (
            token_for(&user_key(1), 1_024),
            token_for(&user_key(2), 1_024),
        );
        assert_eq!((a.len(), b.len()), (1_024, 1_024));
        assert_ne!(a, b);
        assert!(AccessToken::new(a, None).is_ok());
    }
}
