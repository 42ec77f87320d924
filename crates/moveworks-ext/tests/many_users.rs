//! One client acting for many users (issue #27): every request carries the
//! token of the user it is for, whatever the concurrency, the 401s (with
//! revoked tokens), the 503s, the cache's evictions and the handles made
//! from handles; one user's stuck or failing token provider touches no
//! other user; and no Debug shows a token.
//!
//! The server is [`IdentityServer`]: tokens `tok.<user>.<n>`, requests
//! naming their user by conversation id `conv-<user>` (or a new
//! conversation's title), mismatches counted, tokens it answers 401
//! revoked for good.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moveworks_ext::auth::{AccessToken, AuthError, AuthErrorKind, user_token_fn};
use moveworks_ext::{
    CallOptions, CallStep, Client, ClientBuilder, ConversationQuery, ConversationUpdate, Error,
    ErrorKind, Feedback, MessageRef, NewConversation, RetryPolicy, WaitPolicy,
};
use moveworks_testkit::identity_server::{Faults, conversation_id, token};
use support::IdentityServer;
use tokio::sync::{Notify, Semaphore};

/// Users and calls of the load test.
const USERS: usize = 1_000;
const CALLS_PER_USER: usize = 10;
const IN_FLIGHT: usize = 64;
const SEED: u64 = 27;

fn user_name(n: usize) -> String {
    format!("u{n:04}")
}

/// What the test's token provider did, per user.
#[derive(Default)]
struct Fetches {
    users: Mutex<HashMap<String, UserFetches>>,
    /// Told when a fetch for `stuck` begins.
    stuck: Notify,
}

#[derive(Default, Clone, Copy, Debug)]
struct UserFetches {
    /// Fetches begun; the n-th hands out `tok.<user>.<secret prefix><n>`.
    count: u64,
    in_flight: u32,
    max_in_flight: u32,
    /// Fetches begun while the user's previous token was not revoked.
    needless: u64,
}

impl Fetches {
    fn of(&self, user: &str) -> UserFetches {
        self.users
            .lock()
            .unwrap()
            .get(user)
            .copied()
            .unwrap_or_default()
    }

    fn total(&self) -> u64 {
        self.users.lock().unwrap().values().map(|f| f.count).sum()
    }
}

/// Ends a fetch, also when its future is dropped (a timed-out call).
struct InFetch(Arc<Fetches>, String);

impl Drop for InFetch {
    fn drop(&mut self) {
        if let Some(user) = self.0.users.lock().unwrap().get_mut(&self.1) {
            user.in_flight -= 1;
        }
    }
}

/// The part of every token before its number, so that a Debug line can be
/// searched for it.
const SECRET: &str = "s3cr3t-";

/// A provider that hands out `tok.<user>.s3cr3t-<n>`, after a token
/// endpoint's latency (so that fetches that would overlap do), counting
/// fetches per user, how many overlap, and those made while the previous
/// token was still good. It hangs for `stuck` and fails for `broken`.
fn provider(
    server: &Arc<IdentityServer>,
    fetches: &Arc<Fetches>,
) -> impl moveworks_ext::auth::UserTokenProvider {
    let (server, fetches) = (server.clone(), fetches.clone());
    user_token_fn(move |user: String| {
        let (server, fetches) = (server.clone(), fetches.clone());
        async move {
            let n = {
                let mut users = fetches.users.lock().unwrap();
                let entry = users.entry(user.clone()).or_default();
                if entry.count > 0
                    && !server.is_revoked(&token(&user, format!("{SECRET}{}", entry.count)))
                {
                    entry.needless += 1;
                }
                entry.count += 1;
                entry.in_flight += 1;
                entry.max_in_flight = entry.max_in_flight.max(entry.in_flight);
                entry.count
            };
            let _in_fetch = InFetch(fetches.clone(), user.clone());
            match user.as_str() {
                "stuck" => {
                    fetches.stuck.notify_one();
                    std::future::pending::<()>().await;
                }
                "broken" => {
                    return Err(AuthError::new(
                        AuthErrorKind::Provider,
                        "the vault has no token for this user",
                    ));
                }
                _ => tokio::time::sleep(Duration::from_millis(2)).await,
            }
            AccessToken::new(token(&user, format!("{SECRET}{n}")), None)
        }
    })
}

/// A client of `server` whose tokens come from [`provider`].
fn builder(server: &Arc<IdentityServer>, fetches: &Arc<Fetches>) -> ClientBuilder {
    Client::builder()
        .base_url(&server.base_url)
        .assistant_name("acme-assistant")
        .user_tokens(provider(server, fetches))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(2)))
        // The server completes a response at once: no need to wait to poll.
        .wait_policy(WaitPolicy::default().first_poll(Duration::from_millis(1)))
}

fn start(faults: Faults) -> (Arc<IdentityServer>, Arc<Fetches>) {
    (
        Arc::new(IdentityServer::start(faults)),
        Arc::new(Fetches::default()),
    )
}

/// No request reached the server with another user's token; checked on
/// the server's own records as well as its counter.
fn assert_no_mismatch(server: &IdentityServer) {
    assert_eq!(
        server.mismatches(),
        0,
        "requests sent with another user's token"
    );
    for seen in server.seen() {
        assert!(seen.token_user.is_some(), "{seen:?}");
        if seen.for_user.is_some() {
            assert_eq!(seen.token_user, seen.for_user, "{seen:?}");
        }
    }
}

/// The `i`-th call of `user`, through its handle: GETs (a conversation,
/// its messages) and POSTs (create a conversation, ask, feedback), each
/// answer checked to be the user's own.
async fn call(handle: Client, user: String, i: usize) -> Result<(), Error> {
    let conversation = conversation_id(&user);
    match i % 5 {
        0 => {
            let got = handle.get_conversation(&conversation).await?;
            assert_eq!(got.title.as_deref(), Some(user.as_str()));
        }
        1 => {
            handle
                .list_conversation_messages(&conversation)
                .all()
                .await?;
        }
        2 => {
            let created = handle
                .start_conversation(NewConversation::new().title(user.clone()))
                .await?;
            assert_eq!(created.id(), conversation);
            assert_eq!(created.client().user(), Some(user.as_str()));
        }
        3 => {
            let answer = handle
                .continue_conversation(&conversation)?
                .ask("hello")
                .await?;
            assert_eq!(answer.conversation_id, conversation);
        }
        _ => {
            let message = MessageRef::new(&conversation, format!("resp-{user}"), "msg_1");
            handle
                .submit_feedback(Feedback::with_callback_id(message, "cb"))
                .await?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_users_with_401s_and_503s_never_get_each_others_tokens() {
    let started = Instant::now();
    let (server, fetches) = start(Faults::new(0.05, 0.05, SEED));
    let client = builder(&server, &fetches).build().unwrap();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    // Calls of one user in flight at once, to show that fetches could overlap.
    let calls_in_flight: Arc<Mutex<HashMap<String, (u32, u32)>>> = Arc::default();

    // User after user, so that each user's calls are in flight together.
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..USERS {
        let user = user_name(n);
        let handle = client.for_user(&user).unwrap();
        assert_eq!(handle.user(), Some(user.as_str()));
        for i in 0..CALLS_PER_USER {
            let permit = gate.clone().acquire_owned().await.unwrap();
            let (handle, user, calls_in_flight) =
                (handle.clone(), user.clone(), calls_in_flight.clone());
            tasks.spawn(async move {
                {
                    let mut calls = calls_in_flight.lock().unwrap();
                    let (now, max) = calls.entry(user.clone()).or_default();
                    *now += 1;
                    *max = (*max).max(*now);
                }
                let result = call(handle, user.clone(), i).await;
                calls_in_flight.lock().unwrap().get_mut(&user).unwrap().0 -= 1;
                drop(permit);
                (user, i, result)
            });
        }
    }
    let mut failed: HashMap<u16, usize> = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (user, i, result) = joined.expect("no call panics");
        let Err(error) = result else { continue };
        // Every failure is one of the server's faults, and says so.
        let status = error.status().map(|s| s.as_u16());
        assert_eq!(error.kind(), ErrorKind::Api, "{user} call {i}: {error}");
        assert!(
            matches!(status, Some(401 | 503)),
            "{user} call {i}: {error}"
        );
        let why = error.to_string();
        let code = if status == Some(401) {
            "UNAUTHORIZED"
        } else {
            "UNAVAILABLE"
        };
        assert!(
            why.contains(code),
            "{user} call {i} does not say why: {why}"
        );
        if status == Some(503) && matches!(i % 5, 2 | 4) {
            // A POST is not sent again after a 503, only after a 401 with
            // a fresh token (ask is left out: its polls' 503s are retried).
            assert!(error.may_have_been_processed(), "{error}");
            assert!(error.attempts() <= 2, "{error}");
        }
        *failed.entry(status.unwrap()).or_default() += 1;
    }
    let load = started.elapsed();

    // One fault-free call per user: each user's last revoked token, still
    // cached, is replaced, so that every revocation is followed by a fetch.
    server.set_faults(Faults::none());
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..USERS {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (handle, user) = (client.for_user(&user_name(n)).unwrap(), user_name(n));
        tasks.spawn(async move {
            let result = call(handle, user.clone(), 0).await;
            drop(permit);
            result.map_err(|error| format!("{user}: {error}"))
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined
            .expect("no call panics")
            .expect("fault-free calls succeed");
    }

    assert_no_mismatch(&server);
    let users = server.users();
    let (mut revocations, mut overlapping_users) = (0, 0);
    let calls_in_flight = calls_in_flight.lock().unwrap();
    for n in 0..USERS {
        let user = user_name(n);
        let counts = users.get(&user).copied().unwrap_or_default();
        let fetched = fetches.of(&user);
        assert!(
            counts.requests > CALLS_PER_USER as u64,
            "{user}: {counts:?}"
        );
        assert_eq!(
            fetched.count,
            1 + counts.revocations,
            "{user}: one fetch, and one per revoked token: {fetched:?} {counts:?}"
        );
        assert_eq!(
            fetched.needless, 0,
            "{user} refetched a good token: {fetched:?}"
        );
        assert!(
            fetched.max_in_flight <= 1,
            "{user}: fetches overlapped: {fetched:?}"
        );
        revocations += counts.revocations;
        overlapping_users += usize::from(calls_in_flight[&user].1 > 1);
    }
    // What the test is about happened: tokens were revoked under calls in
    // flight, and users had calls in flight together.
    assert!(revocations > 200, "{revocations} revocations");
    assert!(failed.values().sum::<usize>() > 0);
    assert!(
        overlapping_users > USERS / 2,
        "{overlapping_users} users with overlapping calls"
    );
    println!(
        "{USERS} users x {CALLS_PER_USER} calls in {load:?} ({} requests in all): \
         {revocations} tokens revoked, {} fetches, failed calls by status {failed:?}, \
         {overlapping_users} users with calls in flight together; {:?} in all",
        server.requests(),
        fetches.total(),
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_options_and_handles_of_handles_keep_their_own_user() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).build().unwrap();
    assert_eq!(client.user(), None);
    let ann = client.for_user("ann").unwrap();
    let handles = [
        ("ann", ann.clone()),
        (
            "ann",
            ann.with_options(CallOptions::new().total_timeout(Duration::from_secs(9))),
        ),
        ("bob", ann.for_user("bob").unwrap()),
        (
            "cy",
            ann.with_options(CallOptions::new().max_retries(0))
                .for_user("cy")
                .unwrap(),
        ),
        ("ann", ann.for_user("bob").unwrap().for_user("ann").unwrap()),
        (
            "ann",
            ann.continue_conversation("conv-ann")
                .unwrap()
                .client()
                .clone(),
        ),
        (
            "dee",
            client
                .for_user("bob")
                .unwrap()
                .clone()
                .for_user("dee")
                .unwrap(),
        ),
    ];
    for (user, handle) in &handles {
        assert_eq!(handle.user(), Some(*user), "{handle:?}");
    }
    assert_eq!(
        ann.user(),
        Some("ann"),
        "making handles from it leaves it as it was"
    );

    let mut tasks = tokio::task::JoinSet::new();
    for (user, handle) in handles.into_iter().chain(handles_again(&client)) {
        tasks.spawn(async move {
            let id = conversation_id(user);
            let got = handle.get_conversation(&id).await.unwrap();
            assert_eq!(got.title.as_deref(), Some(user));
            // The generated client's operations, through the same handle.
            let raw = handle.call(|api| api.get_conversation(&id)).await.unwrap();
            assert_eq!(raw.title.as_deref(), Some(user));
            let conversation = handle.continue_conversation(&id).unwrap();
            assert_eq!(conversation.client().user(), Some(user));
            assert_eq!(
                conversation.get().await.unwrap().title.as_deref(),
                Some(user)
            );
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.expect("every handle gets its own user's answers");
    }
    assert_no_mismatch(&server);
    // One cache for the client and every handle made from it.
    for user in ["ann", "bob", "cy", "dee"] {
        assert_eq!(fetches.of(user).count, 1, "{user}");
    }
}

#[tokio::test]
async fn every_operation_through_a_handle_acts_for_its_user() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).build().unwrap();
    let ann = client.for_user("ann").unwrap();
    // Bob's calls in between, so that a handle that fell back to the
    // last user's token would show.
    let bob = client.for_user("bob").unwrap();
    let id = conversation_id("ann");

    ann.list_conversations(ConversationQuery::new())
        .all()
        .await
        .unwrap();
    bob.get_conversation("conv-bob").await.unwrap();
    let conversation = ann
        .start_conversation(NewConversation::new().title("ann"))
        .await
        .unwrap();
    assert_eq!(conversation.id(), id);
    conversation.get().await.unwrap();
    conversation
        .update(ConversationUpdate::new().title("ann"))
        .await
        .unwrap();
    bob.get_conversation("conv-bob").await.unwrap();
    let created = conversation.create_response("hello").await.unwrap();
    conversation
        .wait_for_response(&created.response_id)
        .await
        .unwrap();
    let streamed = conversation
        .create_response_stream("hello")
        .await
        .unwrap()
        .completed()
        .await
        .unwrap();
    assert_eq!(streamed.conversation_id, id);
    conversation.list_messages().all().await.unwrap();
    conversation
        .list_response_messages(&created.response_id)
        .all()
        .await
        .unwrap();
    assert_eq!(conversation.list_events().all().await.unwrap().len(), 1);
    // The first poll finds the newest event; the next, a second later,
    // the one after it.
    let mut events = conversation.follow_events().every(Duration::from_secs(1));
    let event = events.next_event().await.expect("a new event").unwrap();
    assert_eq!(event.event_id, "evt-2");
    let message = MessageRef::new(&id, &created.response_id, "msg_1");
    conversation
        .submit_feedback(Feedback::with_callback_id(message, "cb"))
        .await
        .unwrap();
    ann.with_options(CallOptions::new().max_retries(0))
        .call(|api| api.get_conversation(&id))
        .await
        .unwrap();

    assert_no_mismatch(&server);
    let seen = server.seen();
    let anns = seen
        .iter()
        .filter(|s| s.token_user.as_deref() == Some("ann"));
    let bobs = seen
        .iter()
        .filter(|s| s.token_user.as_deref() == Some("bob"));
    assert_eq!(bobs.count(), 2);
    assert_eq!(anns.count(), seen.len() - 2);
    assert!(seen.len() >= 16, "{} requests", seen.len());
    assert!(seen.iter().all(|s| s.status < 300), "{seen:?}");
    assert_eq!((fetches.of("ann").count, fetches.of("bob").count), (1, 1));
}

/// Handles made afresh from the client, for the same users.
fn handles_again(client: &Client) -> Vec<(&'static str, Client)> {
    ["ann", "bob", "cy", "dee"]
        .into_iter()
        .map(|user| (user, client.for_user(user).unwrap()))
        .collect()
}

#[tokio::test]
async fn the_cache_keeps_the_last_max_users_and_fetches_again_for_the_evicted() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).max_users(100).build().unwrap();
    let get = |n: usize| {
        let handle = client.for_user(&user_name(n)).unwrap();
        async move {
            let user = user_name(n);
            let got = handle
                .get_conversation(&conversation_id(&user))
                .await
                .unwrap();
            assert_eq!(got.title.as_deref(), Some(user.as_str()));
        }
    };
    for n in 0..150 {
        get(n).await;
    }
    assert!((0..150).all(|n| fetches.of(&user_name(n)).count == 1));
    // The last 100 are still cached; then the first 50, evicted, fetch again.
    for n in (50..150).chain(0..50) {
        get(n).await;
    }
    for n in 0..150 {
        let expected = if n < 50 { 2 } else { 1 };
        assert_eq!(
            fetches.of(&user_name(n)).count,
            expected,
            "{}",
            user_name(n)
        );
    }
    assert_eq!(server.requests(), 300);
    assert_no_mismatch(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_users_over_a_bound_of_100_each_fetch_again_and_never_cross() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).max_users(100).build().unwrap();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    // Two rounds over every user: by a user's second call 900 others came
    // in after it, so a cache of 100 no longer holds it.
    for round in 1..=2 {
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..USERS {
            let permit = gate.clone().acquire_owned().await.unwrap();
            let handle = client.for_user(&user_name(n)).unwrap();
            tasks.spawn(async move {
                let user = user_name(n);
                let got = handle.get_conversation(&conversation_id(&user)).await;
                drop(permit);
                (user, got)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (user, got) = joined.expect("no call panics");
            let got = got.unwrap_or_else(|e| panic!("{user}, round {round}: {e}"));
            assert_eq!(got.title.as_deref(), Some(user.as_str()));
        }
    }
    for n in 0..USERS {
        assert_eq!(fetches.of(&user_name(n)).count, 2, "{}", user_name(n));
    }
    assert_eq!(server.requests(), 2 * USERS);
    assert_no_mismatch(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_provider_times_out_its_user_only() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches)
        .total_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    // Long enough for the others' 20 calls to end well within it.
    let deadline = Duration::from_secs(2);
    let stuck = client
        .for_user("stuck")
        .unwrap()
        .with_options(CallOptions::new().total_timeout(deadline));
    let began = Instant::now();
    let stuck_call = tokio::spawn(async move { stuck.get_conversation("conv-stuck").await });
    // The others run while the stuck fetch hangs.
    fetches.stuck.notified().await;
    let mut others = tokio::task::JoinSet::new();
    for n in 0..20 {
        let handle = client.for_user(&user_name(n)).unwrap();
        others.spawn(async move {
            handle
                .get_conversation(&conversation_id(&user_name(n)))
                .await
        });
    }
    while let Some(joined) = others.join_next().await {
        joined
            .unwrap()
            .expect("other users are not held up by the stuck one");
    }
    // Not by waiting for its deadline either.
    assert!(!stuck_call.is_finished(), "the stuck call ended first");
    let error = stuck_call
        .await
        .unwrap()
        .expect_err("the stuck fetch never ends");
    let took = began.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.step(), Some(CallStep::Token), "{error}");
    assert!(
        took >= deadline && took < deadline + Duration::from_secs(2),
        "{took:?}"
    );
    assert_eq!(
        server.user("stuck").requests,
        0,
        "nothing sent without a token"
    );
    assert_eq!(server.requests(), 20);
    assert_no_mismatch(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_provider_fails_its_user_only() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).build().unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..30 {
        let user = if n % 3 == 0 {
            "broken".to_owned()
        } else {
            user_name(n)
        };
        let handle = client.for_user(&user).unwrap();
        tasks.spawn(async move {
            let result = handle.get_conversation(&conversation_id(&user)).await;
            (user, result)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined.unwrap() {
            (user, Err(error)) if user == "broken" => {
                assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
                let cause = error.as_auth().expect("the provider's error is the cause");
                assert_eq!(cause.kind(), AuthErrorKind::Provider);
                assert!(
                    error.to_string().contains("the vault has no token"),
                    "{error}"
                );
            }
            (user, result) => {
                assert_ne!(user, "broken", "a failing provider cannot succeed");
                result.unwrap_or_else(|error| panic!("{user}: {error}"));
            }
        }
    }
    assert_eq!(server.user("broken").requests, 0);
    assert_eq!(server.requests(), 20);
    assert!(fetches.of("broken").count >= 1);
    assert_no_mismatch(&server);
}

#[tokio::test]
async fn an_app_held_token_is_sent_as_is_and_never_replaced_by_the_provider() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).build().unwrap();
    let held = token("ann", "s3cr3t-held");
    let ann = client.for_user_with_token("ann", held.clone()).unwrap();
    assert_eq!(ann.user(), Some("ann"));
    let got = ann.get_conversation("conv-ann").await.unwrap();
    assert_eq!(got.title.as_deref(), Some("ann"));

    // The server revokes the token at its next use: the 401 is the app's
    // to handle, the provider is not asked for another.
    server.set_faults(Faults::new(1.0, 0.0, SEED));
    let error = ann.get_conversation("conv-ann").await.expect_err("revoked");
    assert_eq!(error.kind(), ErrorKind::Api, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error}");
    let seen = server.seen();
    assert!(
        seen.iter()
            .all(|s| s.token.as_deref() == Some(held.as_str())),
        "{seen:?}"
    );
    assert_eq!(fetches.total(), 0, "the provider was never asked");
    assert_no_mismatch(&server);

    // A token a header cannot carry is refused, and not shown.
    let refused = client
        .for_user_with_token("ann", "s3cr3t-line\nbreak")
        .expect_err("a line break cannot be sent");
    assert!(
        !format!("{refused:?} {refused}").contains("s3cr3t"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn without_a_user_or_a_credential_a_call_is_a_config_error_and_sends_nothing() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).build().unwrap();
    let error = client
        .get_conversation("conv-ann")
        .await
        .expect_err("no user");
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert!(error.as_config().is_some(), "{error:?}");
    let error = client
        .call(|api| api.get_conversation("conv-ann"))
        .await
        .expect_err("no user");
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let error = client
        .start_conversation(NewConversation::new().title("ann"))
        .await
        .expect_err("no user");
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert_eq!(server.requests(), 0);
    assert_eq!(fetches.total(), 0);

    // No handle names nobody, nor a user of a client without a provider.
    assert!(client.for_user("").is_err());
    let plain = Client::builder()
        .base_url(&server.base_url)
        .assistant_name("acme-assistant")
        .bearer_token(token("svc", "s3cr3t-own"))
        .build()
        .unwrap();
    let error = plain.for_user("ann").expect_err("no user token provider");
    assert!(!error.to_string().is_empty());
}

#[tokio::test]
async fn the_clients_own_credential_and_the_users_tokens_never_cross() {
    let (server, fetches) = start(Faults::none());
    let own = token("svc", "s3cr3t-own");
    let client = builder(&server, &fetches)
        .bearer_token(own.clone())
        .build()
        .unwrap();
    let ann = client.for_user("ann").unwrap();
    for _ in 0..2 {
        client.get_conversation("conv-svc").await.unwrap();
        ann.get_conversation("conv-ann").await.unwrap();
    }
    // A 401 for Ann is refreshed from the provider, never answered with
    // the client's credential; the client's own 401 is not Ann's either.
    server.set_faults(Faults::new(1.0, 0.0, SEED));
    assert_eq!(
        ann.get_conversation("conv-ann")
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(401)
    );
    assert_eq!(
        client
            .get_conversation("conv-svc")
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(401)
    );
    assert_no_mismatch(&server);
    assert_eq!(fetches.of("ann").count, 2, "one fetch, one refresh");
    assert_eq!(
        fetches.of("svc").count,
        0,
        "the client's credential is not a user's"
    );
    let svc_tokens: Vec<_> = server
        .seen()
        .into_iter()
        .filter(|seen| seen.for_user.as_deref() == Some("svc"))
        .map(|seen| seen.token)
        .collect();
    assert!(!svc_tokens.is_empty());
    assert!(
        svc_tokens
            .iter()
            .all(|t| t.as_deref() == Some(own.as_str())),
        "{svc_tokens:?}"
    );
}

#[tokio::test]
async fn no_debug_line_shows_a_token() {
    let (server, fetches) = start(Faults::none());
    let client = builder(&server, &fetches).build().unwrap();
    let ann = client.for_user("ann").unwrap();
    let conversation = ann.continue_conversation("conv-ann").unwrap();
    conversation.get().await.unwrap(); // the token is now cached
    let held = client
        .for_user_with_token("bob", token("bob", "s3cr3t-held"))
        .unwrap();
    held.get_conversation("conv-bob").await.unwrap();

    // Every token is revoked at its use: the 401s after a refresh.
    server.set_faults(Faults::new(1.0, 0.0, SEED));
    let refreshed = ann.get_conversation("conv-ann").await.expect_err("401");
    let not_refreshed = held.get_conversation("conv-bob").await.expect_err("401");
    let no_user = client
        .get_conversation("conv-ann")
        .await
        .expect_err("no user");

    let lines = [
        format!("{client:?}"),
        format!("{ann:?}"),
        format!("{:?}", ann.with_options(CallOptions::new().max_retries(1))),
        format!("{conversation:?}"),
        format!("{held:?}"),
        format!("{refreshed:?} {refreshed}"),
        format!("{not_refreshed:?} {not_refreshed}"),
        format!("{no_user:?} {no_user}"),
    ];
    assert!(
        fetches.of("ann").count >= 2,
        "a token was refreshed and cached"
    );
    for line in lines {
        assert!(!line.contains(SECRET), "a token shows: {line}");
    }
}
