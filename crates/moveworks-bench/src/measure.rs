//! Running calls and summarizing their latencies.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::clients::Caller;

/// Throughput and latency of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub requests_per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// User plus system CPU time of this (the client's) process per call.
    pub cpu_per_call: Duration,
}

impl Summary {
    fn of(mut latencies: Vec<Duration>, wall: Duration, cpu: Duration) -> Summary {
        latencies.sort_unstable();
        let at = |q: f64| {
            latencies
                .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        Summary {
            requests_per_second: latencies.len() as f64 / wall.as_secs_f64(),
            p50: at(0.50),
            p99: at(0.99),
            cpu_per_call: cpu / latencies.len().max(1) as u32,
        }
    }

    /// The median of each figure over several runs.
    pub fn median(runs: &[Summary]) -> Summary {
        let median = |mut values: Vec<f64>| {
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or_default()
        };
        Summary {
            requests_per_second: median(runs.iter().map(|r| r.requests_per_second).collect()),
            p50: Duration::from_secs_f64(median(
                runs.iter().map(|r| r.p50.as_secs_f64()).collect(),
            )),
            p99: Duration::from_secs_f64(median(
                runs.iter().map(|r| r.p99.as_secs_f64()).collect(),
            )),
            cpu_per_call: Duration::from_secs_f64(median(
                runs.iter().map(|r| r.cpu_per_call.as_secs_f64()).collect(),
            )),
        }
    }
}

/// User plus system CPU time this process has used so far, from
/// `getrusage` (microsecond resolution; `/proc`'s ticks are 10 ms).
pub fn cpu_time() -> Duration {
    rusage_cpu(libc::RUSAGE_SELF)
}

/// Like [`cpu_time`], for the calling thread only.
pub fn thread_cpu_time() -> Duration {
    rusage_cpu(libc::RUSAGE_THREAD)
}

fn rusage_cpu(who: libc::c_int) -> Duration {
    // SAFETY: `getrusage` only writes the `rusage` it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        if libc::getrusage(who, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// `calls` calls one after the other.
pub async fn sequential(caller: &Caller, calls: usize) -> Result<Summary, String> {
    let mut latencies = Vec::with_capacity(calls);
    let cpu = cpu_time();
    let started = Instant::now();
    for _ in 0..calls {
        let begun = Instant::now();
        caller.call().await?;
        latencies.push(begun.elapsed());
    }
    let wall = started.elapsed();
    Ok(Summary::of(latencies, wall, cpu_time().saturating_sub(cpu)))
}

/// `calls` calls with `in_flight` at a time.
pub async fn concurrent(
    caller: &Caller,
    calls: usize,
    in_flight: usize,
) -> Result<Summary, String> {
    let gate = Arc::new(Semaphore::new(in_flight));
    let mut tasks = tokio::task::JoinSet::new();
    let mut latencies = Vec::with_capacity(calls);
    let cpu = cpu_time();
    let started = Instant::now();
    for _ in 0..calls {
        let permit = gate
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| e.to_string())?;
        let caller = caller.clone();
        tasks.spawn(async move {
            let begun = Instant::now();
            let result = caller.call().await;
            drop(permit);
            result.map(|_| begun.elapsed())
        });
        // Reap finished calls as we go: a finished task holds memory until
        // it is joined, which would swamp the memory figures.
        while let Some(joined) = tasks.try_join_next() {
            latencies.push(joined.map_err(|e| e.to_string())??);
        }
    }
    while let Some(joined) = tasks.join_next().await {
        latencies.push(joined.map_err(|e| e.to_string())??);
    }
    let wall = started.elapsed();
    Ok(Summary::of(latencies, wall, cpu_time().saturating_sub(cpu)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_medians() {
        let latencies: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let summary = Summary::of(latencies, Duration::from_secs(1), Duration::from_millis(20));
        assert_eq!(summary.requests_per_second, 100.0);
        assert_eq!(summary.p50, Duration::from_millis(51));
        assert_eq!(summary.p99, Duration::from_millis(99));
        assert_eq!(summary.cpu_per_call, Duration::from_micros(200));
        let runs = [1.0, 5.0, 3.0].map(|rps| Summary {
            requests_per_second: rps,
            ..summary
        });
        assert_eq!(Summary::median(&runs).requests_per_second, 3.0);
    }
}
