//! Following events on a paused clock against a real loopback server:
//! when each poll is sent, the `starting_after` it sends, what it yields,
//! and how it ends.

mod support;

use std::time::Duration;

use moveworks_ext::{Client, ErrorKind, EventQuery, EventStream, RetryPolicy};
use moveworks_testkit::mock_api::examples;
use serde_json::{Value, json};
use support::{ScriptedServer, Step, client_for, error_body};
use tokio::time::Instant;

fn event(id: &str) -> Value {
    json!({
        "event_id": id,
        "conversation_id": "conv_1",
        "event_payload": {"type": "MESSAGE_EVENT", "message": examples::assistant_message()}
    })
}

/// A list-events page of `ids`, with `next` as its cursor.
fn page(ids: &[&str], next: Option<&str>) -> Step {
    let events: Vec<Value> = ids.iter().map(|id| event(id)).collect();
    let body = json!({"events": events, "metadata": {"next_cursor": next}});
    Step::json(200, &body.to_string())
}

/// A client for `server` whose retries wait 0.1 s (jittered), so that a
/// retried poll keeps to whole seconds.
fn client(server: &ScriptedServer) -> Client {
    client_for(&server.base_url)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(100)))
        .build()
        .unwrap()
}

/// Each request's path and its query parameters.
fn requests(server: &ScriptedServer) -> Vec<(String, Vec<(String, String)>)> {
    server
        .received()
        .into_iter()
        .map(|request| {
            let (path, query) = request.path.split_once('?').unwrap_or((&request.path, ""));
            let params = query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (name.to_owned(), value.to_owned())
                })
                .collect();
            (path.to_owned(), params)
        })
        .collect()
}

/// The `starting_after` of each request (`None` when not sent).
fn starting_after(server: &ScriptedServer) -> Vec<Option<String>> {
    requests(server)
        .into_iter()
        .map(|(_, params)| {
            params
                .into_iter()
                .find(|(name, _)| name == "starting_after")
                .map(|(_, value)| value)
        })
        .collect()
}

/// The next `n` events' ids, each with the time it came, from `start`.
async fn next_ids(stream: &mut EventStream, n: usize, start: Instant) -> Vec<(String, u64)> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let event = stream.next_event().await.unwrap().unwrap();
        ids.push((event.event_id, start.elapsed().as_secs()));
    }
    ids
}

fn at(ids: &[(&str, u64)]) -> Vec<(String, u64)> {
    ids.iter().map(|(id, s)| ((*id).to_owned(), *s)).collect()
}

#[tokio::test(start_paused = true)]
async fn from_a_checkpoint_every_six_seconds_resuming_after_the_last_event() {
    let server = ScriptedServer::start(vec![
        page(&["evt_1", "evt_2"], None),
        page(&[], None),
        page(&["evt_3"], Some("c1")),
        page(&["evt_4"], None),
        page(&["evt_5"], None),
    ])
    .await;
    let start = Instant::now();
    let mut events =
        client(&server).follow_events(EventQuery::all_conversations().starting_after("evt_0"));
    assert_eq!(
        server.count(),
        0,
        "nothing is sent before the stream is polled"
    );
    let ids = next_ids(&mut events, 5, start).await;
    assert_eq!(
        ids,
        at(&[
            ("evt_1", 0),
            ("evt_2", 0),
            ("evt_3", 12),
            ("evt_4", 12),
            ("evt_5", 18)
        ])
    );
    assert_eq!(events.checkpoint(), Some("evt_5"));
    assert_eq!(events.polls(), 4);
    assert_eq!(
        starting_after(&server),
        [
            Some("evt_0"),
            Some("evt_2"),
            Some("evt_2"),
            Some("evt_2"),
            Some("evt_4")
        ]
        .map(|id| id.map(str::to_owned))
    );
    let requests = requests(&server);
    assert!(
        requests
            .iter()
            .all(|(path, params)| path == "/conversations/-/events"
                && params.contains(&("limit".into(), "100".into()))),
        "{requests:?}"
    );
    // The second page of the third poll follows its cursor.
    assert!(requests[3].1.contains(&("cursor".into(), "c1".into())));

    // Dropped: no poll after it, however long.
    drop(events);
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(server.count(), 5);
}

#[tokio::test(start_paused = true)]
async fn without_a_checkpoint_from_the_newest_event_at_the_first_poll() {
    let server = ScriptedServer::start(vec![
        page(&["evt_1", "evt_2"], Some("c1")),
        page(&["evt_3"], None),
        page(&["evt_4"], None),
    ])
    .await;
    let start = Instant::now();
    let client = client(&server);
    let mut events = client
        .continue_conversation("conv_1")
        .unwrap()
        .follow_events();
    assert_eq!(next_ids(&mut events, 1, start).await, at(&[("evt_4", 6)]));
    assert_eq!(
        starting_after(&server),
        [None, None, Some("evt_3".to_owned())]
    );
    let requests = requests(&server);
    assert!(
        requests
            .iter()
            .all(|(path, _)| path == "/conversations/conv_1/events")
    );
    assert!(requests[1].1.contains(&("cursor".into(), "c1".into())));
}

#[tokio::test(start_paused = true)]
async fn an_empty_first_poll_yields_everything_that_comes_after_it() {
    let server =
        ScriptedServer::start(vec![page(&[], None), page(&["evt_1", "evt_2"], None)]).await;
    let start = Instant::now();
    let mut events = client(&server)
        .follow_events(EventQuery::all_conversations())
        .every(Duration::from_secs(1));
    assert_eq!(events.checkpoint(), None);
    assert_eq!(
        next_ids(&mut events, 2, start).await,
        at(&[("evt_1", 1), ("evt_2", 1)])
    );
    assert_eq!(starting_after(&server), [None, None]);
}

#[tokio::test(start_paused = true)]
async fn an_interval_under_a_second_or_an_end_is_refused_before_sending() {
    let server = ScriptedServer::start(vec![page(&["evt_1"], None)]).await;
    let client = client(&server);
    let refused = [
        (
            client
                .follow_events(EventQuery::all_conversations())
                .every(Duration::from_millis(999)),
            "every",
        ),
        (
            client.follow_events(EventQuery::conversation("conv_1").ending_at("evt_9")),
            "ending_at",
        ),
    ];
    for (mut events, field) in refused {
        match events.next_event().await {
            Some(Err(error)) if error.kind() == ErrorKind::InvalidInput => {
                assert_eq!(error.field(), Some(field))
            }
            other => panic!("{other:?}"),
        }
        assert!(events.next_event().await.is_none());
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn the_retry_policy_applies_and_any_other_error_ends_the_stream() {
    let server = ScriptedServer::start(vec![
        page(&["evt_1"], None),
        Step::json(503, &error_body("UNAVAILABLE", "busy")),
        page(&["evt_2"], None),
        Step::json(404, &error_body("NOT_FOUND", "no such conversation")),
    ])
    .await;
    let start = Instant::now();
    let mut events =
        client(&server).follow_events(EventQuery::conversation("conv_1").starting_after("evt_0"));
    assert_eq!(
        next_ids(&mut events, 2, start).await,
        at(&[("evt_1", 0), ("evt_2", 6)])
    );
    let error = events.next_event().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
    assert_eq!(start.elapsed().as_secs(), 12);
    assert!(events.next_event().await.is_none());
    assert_eq!(events.checkpoint(), Some("evt_2"));
    assert_eq!(server.count(), 4);
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(server.count(), 4, "an ended stream polls no more");
}
