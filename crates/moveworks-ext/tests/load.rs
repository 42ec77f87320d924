//! 10,000 calls, 256 in flight, against a loopback server that answers 5%
//! of requests with 429 (`Retry-After: 0`) or 503. Every call succeeds or
//! fails with a typed error within its budget; none is lost (the server's
//! counts and the client's agree); file descriptors do not grow; memory is
//! stable between the first and the last thousand calls. Bounded in count
//! and time, loopback only.

mod support;

use std::sync::Arc;
use std::time::Duration;

use moveworks_ext::{CallOptions, Client, ErrorKind, RetryPolicy};
use support::{Counts, Failures, LoadServer, client_for, resources};
use tokio::sync::Semaphore;

const CALLS: usize = 10_000;
const IN_FLIGHT: usize = 256;
const BATCH: usize = 1_000;

#[derive(Default)]
struct Tally {
    ok: u64,
    failed: u64,
    attempts: u64,
    budget_spent: u64,
}

async fn batch(client: &Client, gate: &Arc<Semaphore>, calls: usize) -> Tally {
    let body = moveworks_api::types::SubmitFeedbackRequest::new("cb");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let permit = gate.clone().acquire_owned().await.expect("semaphore open");
        let (client, body) = (client.clone(), body.clone());
        tasks.spawn(async move {
            let result = client
                .call_with_metadata(|api| api.submit_feedback("conv_1", "resp_1", "msg_1", &body))
                .await;
            drop(permit);
            result
        });
    }
    let mut tally = Tally::default();
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("no call panics") {
            Ok(answer) => {
                tally.ok += 1;
                tally.attempts += u64::from(answer.metadata.attempts());
            }
            Err(error) => {
                assert_eq!(
                    error.kind(),
                    ErrorKind::Api,
                    "only exhausted retries may fail here: {error:?}"
                );
                tally.failed += 1;
                tally.attempts += u64::from(error.attempts());
                tally.budget_spent += u64::from(error.retry_budget_spent());
            }
        }
    }
    tally
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_lose_nothing_and_leak_nothing() {
    let server = LoadServer::start_dedicated(Failures::two_in(40), 1);
    // Feedback is taken as idempotent here, so that the 503s are retried
    // too, from the client's default retry budget.
    let client = client_for(&server.base_url)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(Duration::from_secs(10))
        .total_timeout(Duration::from_secs(30))
        .build()
        .unwrap()
        .with_options(CallOptions::new().idempotent(true));
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));

    let run = async {
        let mut total = Tally::default();
        let mut fds = Vec::new();
        let mut rss = Vec::new();
        for _ in 0..CALLS / BATCH {
            let tally = batch(&client, &gate, BATCH).await;
            total.ok += tally.ok;
            total.failed += tally.failed;
            total.attempts += tally.attempts;
            total.budget_spent += tally.budget_spent;
            fds.push(resources::open_fds().unwrap_or(0));
            rss.push(resources::resident_bytes().unwrap_or(0));
        }
        (total, fds, rss)
    };
    let (total, fds, rss) = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the load test finishes");

    let counts = &server.counts;
    assert_eq!(total.ok + total.failed, CALLS as u64, "every call returned");
    assert_eq!(
        total.ok,
        Counts::get(&counts.ok),
        "each success is exactly one 200 the server sent"
    );
    assert_eq!(
        total.attempts,
        Counts::get(&counts.requests),
        "client and server agree on every request"
    );
    let failures = Counts::get(&counts.rate_limited) + Counts::get(&counts.unavailable);
    assert!(
        failures >= (CALLS as u64) / 25,
        "the server failed ~5% of requests ({failures})"
    );
    // Successes refill the retry budget faster than 5% of failures drain
    // it: no retry was refused for want of it.
    assert_eq!(total.budget_spent, 0, "no call lost to the retry budget");

    // The connection pools (client and server, one process) settle within
    // the first batches; a leak of one descriptor per call would add
    // thousands.
    let settled = fds[..fds.len() / 2].iter().copied().max().unwrap_or(0);
    let last_fds = *fds.last().unwrap();
    assert!(
        last_fds <= settled + 64,
        "file descriptors grew from {settled} to {last_fds}: {fds:?}"
    );
    let (first_rss, last_rss) = (rss[0] as f64, *rss.last().unwrap() as f64);
    assert!(
        last_rss <= first_rss * 1.25 + 4.0 * 1024.0 * 1024.0,
        "RSS grew from {first_rss} to {last_rss}: {rss:?}"
    );
    println!(
        "load: {} ok, {} failed, {} requests ({} 429, {} 503), {} connections; fds {fds:?}; RSS MiB {:?}",
        total.ok,
        total.failed,
        total.attempts,
        Counts::get(&counts.rate_limited),
        Counts::get(&counts.unavailable),
        Counts::get(&counts.connections),
        rss.iter().map(|b| b / (1024 * 1024)).collect::<Vec<_>>()
    );
}
