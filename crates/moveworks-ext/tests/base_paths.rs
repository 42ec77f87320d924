//! Where requests go: every base path on loopback, and the request id of
//! an answer from `x-trace-id` (`/rest/v1`) or `x-moveworks-root-uuid`
//! (the beta and `/assistant/v1`).

mod support;

use moveworks_ext::{BasePath, ConversationQuery};
use support::{ScriptedServer, Step, client_for, error_body};

fn conversation() -> String {
    moveworks_testkit::mock_api::examples::conversation("conv_1", Some("VPN")).to_string()
}

#[tokio::test]
async fn every_base_path_reaches_its_conversations() {
    for path in BasePath::ALL {
        let list = r#"{"conversations": [], "metadata": {"next_cursor": null}}"#;
        let server = ScriptedServer::start(vec![
            Step::json(200, &conversation()),
            Step::json(200, list),
        ])
        .await;
        let client = client_for(&path.at(&server.base_url)).build().unwrap();
        assert_eq!(
            client.base_url(),
            format!("{}{}", server.base_url, path.path())
        );
        client.get_conversation("conv_1").await.unwrap();
        client
            .list_conversations(ConversationQuery::new())
            .all()
            .await
            .unwrap();
        let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            [
                format!("{}/conversations/conv_1", path.path()),
                format!("{}/conversations", path.path()),
            ]
        );
    }
}

#[tokio::test]
async fn the_request_id_is_x_trace_id_or_x_moveworks_root_uuid() {
    for (header, value) in [
        ("x-trace-id", "trace-7"),
        ("x-moveworks-root-uuid", "root-7"),
    ] {
        let server = ScriptedServer::start(vec![
            Step::json(200, &conversation()).with_header(header, value),
            Step::json(404, &error_body("NOT_FOUND", "no such conversation"))
                .with_header(header, value),
        ])
        .await;
        let client = client_for(&server.base_url).build().unwrap();
        let answer = client
            .call_with_metadata(|api| api.get_conversation("conv_1"))
            .await
            .unwrap();
        assert_eq!(answer.metadata.request_id(), Some(value));
        let error = client.get_conversation("conv_2").await.unwrap_err();
        assert_eq!(error.request_id(), Some(value), "{error}");
        assert!(error.to_string().contains(value), "{error}");
    }
    // Both: `/rest/v1`'s own header is the one named.
    let server = ScriptedServer::start(vec![
        Step::json(200, &conversation())
            .with_header("x-moveworks-root-uuid", "root-8")
            .with_header("x-trace-id", "trace-8"),
    ])
    .await;
    let answer = client_for(&server.base_url)
        .build()
        .unwrap()
        .call_with_metadata(|api| api.get_conversation("conv_1"))
        .await
        .unwrap();
    assert_eq!(answer.metadata.request_id(), Some("trace-8"));
}
