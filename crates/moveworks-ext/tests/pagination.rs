//! Auto-pagination over real HTTP: every page resends the filters, empty
//! pages with a cursor are followed, a repeated cursor is an error, bad
//! page sizes send nothing, and dropping the stream stops the walk.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use httpmock::MockServer;
use moveworks_api_httpmock::MockServerExt;
use moveworks_ext::{Client, ConversationQuery, ErrorKind, EventQuery};
use moveworks_testkit::mock_api::examples::{self, typed};
use serde_json::{Value, json};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .assistant_name("acme")
        .bearer_token("t")
        .build()
        .unwrap()
}

fn conversations(ids: &[&str], next: Option<&str>) -> Value {
    json!({
        "conversations": ids.iter().map(|id| examples::conversation(id, None)).collect::<Vec<_>>(),
        "metadata": {"next_cursor": next}
    })
}

/// Archived conversations in three pages, the middle one empty; each page
/// only answers when `archived=true` and `limit=2` are sent again.
fn three_pages(server: &MockServer, last_next: Value) -> [httpmock::Mock<'_>; 3] {
    let page = |cursor: Option<&'static str>, body: Value| {
        server.list_conversations(move |when, then| {
            when.archived(true).limit(2).cursor(cursor);
            then.ok(&typed(body));
        })
    };
    [
        page(None, conversations(&["c1", "c2"], Some("p2"))),
        page(Some("p2"), conversations(&[], Some("p3"))),
        page(
            Some("p3"),
            json!({"conversations": [examples::conversation("c3", None)], "metadata": {"next_cursor": last_next}}),
        ),
    ]
}

#[tokio::test]
async fn three_pages_with_an_empty_middle_resend_the_filters() {
    for end in [Value::Null, json!("")] {
        let server = MockServer::start_async().await;
        let mocks = three_pages(&server, end);
        let ids: Vec<String> = client(&server)
            .list_conversations(ConversationQuery::new().archived(true))
            .page_size(2)
            .items()
            .map_ok(|c| c.conversation_id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["c1", "c2", "c3"]);
        for mock in &mocks {
            assert_eq!(mock.calls(), 1);
        }
    }
}

#[tokio::test]
async fn a_missing_metadata_ends_the_walk() {
    let server = MockServer::start_async().await;
    let mock = server.list_conversations(|_, then| {
        then.ok(&typed(
            json!({"conversations": [examples::conversation("c1", None)]}),
        ));
    });
    let all = client(&server)
        .list_conversations(ConversationQuery::new())
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(mock.calls(), 1);
}

#[tokio::test]
async fn pages_carry_cursors_so_a_walk_can_resume() {
    let server = MockServer::start_async().await;
    let _mocks = three_pages(&server, Value::Null);
    let client = client(&server);
    let first = client
        .list_conversations(ConversationQuery::new().archived(true))
        .page_size(2)
        .pages()
        .next()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.number(), 1);
    assert_eq!(first.next_cursor(), Some("p2"));
    let rest: Vec<String> = client
        .list_conversations(ConversationQuery::new().archived(true))
        .page_size(2)
        .resume_from(first.next_cursor().unwrap())
        .items()
        .map_ok(|c| c.conversation_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest, ["c3"]);
}

#[tokio::test]
async fn event_filters_are_sent_on_every_page() {
    let server = MockServer::start_async().await;
    let page = |cursor: Option<&'static str>, next: Option<&str>| {
        let body = json!({"events": [examples::event()], "metadata": {"next_cursor": next}});
        server.list_events(move |when, then| {
            when.conversation_id("-")
                .starting_after("evt_10")
                .ending_at("evt_99")
                .cursor(cursor);
            then.ok(&typed(body));
        })
    };
    let mocks = [page(None, Some("e2")), page(Some("e2"), None)];
    let events = client(&server)
        .list_events(
            EventQuery::all_conversations()
                .starting_after("evt_10")
                .ending_at("evt_99"),
        )
        .all()
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(mocks[0].calls() + mocks[1].calls(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_naming_the_page() {
    let server = MockServer::start_async().await;
    let first = server.list_conversation_messages(|when, then| {
        when.conversation_id("conv_1").cursor(None);
        then.ok(&typed(
            json!({"messages": [], "metadata": {"next_cursor": "same"}}),
        ));
    });
    let again = server.list_conversation_messages(|when, then| {
        when.conversation_id("conv_1").cursor("same");
        then.ok(&typed(
            json!({"messages": [], "metadata": {"next_cursor": "same"}}),
        ));
    });
    let error = client(&server)
        .list_conversation_messages("conv_1")
        .all()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pagination, "{error:?}");
    assert_eq!(error.resume_cursor(), None, "resuming would repeat it too");
    assert!(
        error
            .to_string()
            .contains("page 2 points to cursor `same`, which this walk has already followed"),
        "{error}"
    );
    assert_eq!((first.calls(), again.calls()), (1, 1));
}

#[tokio::test]
async fn page_sizes_outside_1_to_100_send_nothing() {
    let server = MockServer::start_async().await;
    let any = server.list_conversations(|_, then| {
        then.ok(&typed(conversations(&["c1"], None)));
    });
    for size in [0, 101] {
        let error = client(&server)
            .list_conversations(ConversationQuery::new())
            .page_size(size)
            .all()
            .await
            .unwrap_err();
        assert!(
            error.kind() == ErrorKind::InvalidInput && error.field() == Some("page_size"),
            "{error}"
        );
    }
    assert_eq!(any.calls(), 0);
    for size in [1, 100] {
        client(&server)
            .list_conversations(ConversationQuery::new())
            .page_size(size)
            .all()
            .await
            .unwrap();
    }
    assert_eq!(any.calls(), 2);
}

#[tokio::test]
async fn dropping_the_stream_mid_walk_sends_no_further_request() {
    let server = MockServer::start_async().await;
    let mocks = three_pages(&server, Value::Null);
    let mut items = client(&server)
        .list_conversations(ConversationQuery::new().archived(true))
        .page_size(2)
        .items();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.conversation_id, "c1");
    drop(items);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        [mocks[0].calls(), mocks[1].calls(), mocks[2].calls()],
        [1, 0, 0]
    );
}

#[tokio::test]
async fn an_error_page_is_yielded_then_the_stream_ends() {
    let server = MockServer::start_async().await;
    server.list_conversations(|when, then| {
        when.cursor(None);
        then.ok(&typed(conversations(&["c1"], Some("p2"))));
    });
    let failing = server.list_conversations(|when, then| {
        when.cursor("p2");
        then.bad_request(&typed(
            json!({"error": {"code": "INVALID_CURSOR", "message": "expired"}}),
        ));
    });
    let out: Vec<_> = client(&server)
        .list_conversations(ConversationQuery::new())
        .items()
        .collect()
        .await;
    assert_eq!(out.len(), 2);
    let error = out[1].as_ref().unwrap_err();
    assert_eq!(error.code(), Some(&moveworks_ext::ErrorCode::InvalidCursor));
    assert_eq!(failing.calls(), 1, "a 400 is not retried");
}
