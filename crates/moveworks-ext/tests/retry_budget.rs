//! The retry budget shared by a client and its clones: during an outage
//! (every answer 503), 256 callers making 10,000 calls send about one
//! request a call once the budget is spent, instead of three; each call
//! the budget stopped says so. Counted at the server.

mod support;

use std::sync::Arc;
use std::time::Duration;

use moveworks_ext::{Client, ErrorKind, RetryBudget, RetryPolicy};
use support::{Counts, Failures, LoadServer, client_for};
use tokio::sync::Semaphore;

const CALLS: usize = 10_000;
const IN_FLIGHT: usize = 256;

#[derive(Debug, Default)]
struct Outcome {
    failed: u64,
    budget_spent: u64,
    budget_spent_single_attempt: u64,
}

/// `CALLS` GETs (get-conversation), `IN_FLIGHT` at a time, each through a
/// clone of `client`.
async fn outage_calls(client: &Client) -> Outcome {
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CALLS {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let client = client.clone();
        tasks.spawn(async move {
            let result = client.get_conversation("conv_1").await;
            drop(permit);
            result
        });
    }
    let mut outcome = Outcome::default();
    while let Some(joined) = tasks.join_next().await {
        let error = joined.unwrap().expect_err("every answer is a 503");
        assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
        assert!(
            error.is_retryable(),
            "a GET in an outage is worth trying later"
        );
        outcome.failed += 1;
        if error.retry_budget_spent() {
            outcome.budget_spent += 1;
            if error.attempts() == 1 {
                outcome.budget_spent_single_attempt += 1;
            }
            assert!(
                error.to_string().contains("retry budget is spent"),
                "{error}"
            );
        }
    }
    outcome
}

fn client(base_url: &str, budget: RetryBudget) -> Client {
    client_for(base_url)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .retry_budget(budget)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_costs_about_one_request_a_call_once_the_budget_is_spent() {
    let server = LoadServer::start_dedicated(Failures::outage(), 1);
    let budgeted = client(&server.base_url, RetryBudget::default());

    let outcome = tokio::time::timeout(Duration::from_secs(120), outage_calls(&budgeted))
        .await
        .expect("the outage run finishes");

    let requests = Counts::get(&server.counts.requests);
    let ratio = requests as f64 / CALLS as f64;
    println!(
        "outage with the default budget: {CALLS} calls, {requests} requests ({ratio:.3} a call), \
         {} stopped by the budget",
        outcome.budget_spent
    );
    assert_eq!(outcome.failed, CALLS as u64);
    // 500 tokens pay for 100 retries; the rest are not made.
    assert!(requests <= CALLS as u64 + 100, "{requests} requests");
    assert!(ratio <= 1.1, "{ratio}");
    // Once it is spent, a call returns its first error at once.
    assert!(
        outcome.budget_spent_single_attempt >= (CALLS as u64) * 9 / 10,
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_budget_every_call_retries_in_an_outage() {
    let server = LoadServer::start_dedicated(Failures::outage(), 1);
    let unlimited = client(&server.base_url, RetryBudget::unlimited());

    let outcome = tokio::time::timeout(Duration::from_secs(180), outage_calls(&unlimited))
        .await
        .expect("the outage run finishes");

    let requests = Counts::get(&server.counts.requests);
    let ratio = requests as f64 / CALLS as f64;
    println!("outage without a budget: {CALLS} calls, {requests} requests ({ratio:.3} a call)");
    assert_eq!(outcome.budget_spent, 0);
    assert_eq!(requests, 3 * CALLS as u64, "two retries each");
}

#[tokio::test]
async fn clones_and_per_call_clients_share_one_budget() {
    let server = LoadServer::start(Failures::outage()).await;
    let original = client(&server.base_url, RetryBudget::default().capacity(10));
    let clone = original.clone();
    let per_call = original.with_options(moveworks_ext::CallOptions::new().max_retries(5));

    // 10 tokens: two retries in all, whichever client makes them.
    let first = per_call.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(first.attempts(), 3, "two retries, then the budget is spent");
    assert!(first.retry_budget_spent());
    let second = clone.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(second.attempts(), 1);
    assert!(second.retry_budget_spent());
    let third = original.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(third.attempts(), 1);
    assert_eq!(Counts::get(&server.counts.requests), 5);
}

#[tokio::test]
async fn a_success_after_retries_returns_what_its_retries_took() {
    use support::{ClientFor, ScriptedServer, Step};
    // 5 tokens: one retry. The first call spends it on a 503 and then
    // succeeds, which gives it back; the second call can retry too.
    let conversation = moveworks_testkit::mock_api::examples::conversation("conv_1", None);
    let ok = Step::json(200, &conversation.to_string());
    let unavailable = Step::json(503, "{}");
    let server =
        ScriptedServer::start(vec![unavailable.clone(), ok.clone(), unavailable, ok]).await;
    let client = server
        .client()
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .retry_budget(RetryBudget::default().capacity(5).success_refund(0))
        .build()
        .unwrap();

    client.get_conversation("conv_1").await.unwrap();
    client.get_conversation("conv_1").await.unwrap();

    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn a_retry_after_a_cut_connection_costs_less_than_after_a_timeout() {
    use support::{ClientFor, ScriptedServer, Step};
    let conversation = moveworks_testkit::mock_api::examples::conversation("conv_1", None);
    let ok = Step::json(200, &conversation.to_string());
    let budget = RetryBudget::default().capacity(10).success_refund(0);
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(1));

    // Two cut connections: 5 tokens each, both retries paid for.
    let server = ScriptedServer::start(vec![Step::Reset, Step::Reset, ok]).await;
    let client = server
        .client()
        .retry_policy(policy.clone())
        .retry_budget(budget.clone())
        .build()
        .unwrap();
    client.get_conversation("conv_1").await.unwrap();
    assert_eq!(server.count(), 3);

    // Two stalls past the attempt timeout: 10 tokens for the first retry,
    // none left for the second.
    let stall = Step::Stall(Duration::from_secs(30));
    let server = ScriptedServer::start(vec![stall.clone(), stall]).await;
    let client = server
        .client()
        .retry_policy(policy)
        .retry_budget(budget)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client.get_conversation("conv_1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_eq!(server.count(), 2);
    assert!(error.retry_budget_spent());
}
