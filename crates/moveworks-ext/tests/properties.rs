//! Ids, for arbitrary strings: either the client refuses the id before
//! sending, or the path that reaches the server decodes back to exactly the
//! operation's template filled with that id (no path escape, no query or
//! fragment injection). Checked through the feedback helper and through the
//! generic `call`, against a real loopback server.

mod support;

use std::sync::OnceLock;

use proptest::prelude::*;
use support::{ClientFor, SUBMITTED, ScriptedServer, Step};

/// One runtime, server and client for all cases (building a client loads
/// the system's root certificates, which would dominate the run).
struct Fixture {
    runtime: tokio::runtime::Runtime,
    server: ScriptedServer,
    client: moveworks_ext::Client,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(ScriptedServer::start(vec![Step::json(200, SUBMITTED)]));
        let client = server.client().build().unwrap();
        Fixture {
            runtime,
            server,
            client,
        }
    })
}

/// Percent-decodes a path segment (the server's view of it).
fn decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn ids() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything at all.
        ".*",
        // Path-significant characters, densely.
        "[./?#%&=;: \\\\]{0,6}",
        // Ids that look real with something appended.
        "conv_[a-zA-Z0-9]{4}[/?#%. ]{0,3}[a-z]{0,3}",
        Just(String::new()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        // Found by this test: `\` is `/` to URL parsers, so this was once
        // sent as `/conversations/:/responses/...`.
        Just(":\\.".to_owned()),
        Just("a\\..\\b".to_owned()),
    ]
}

proptest! {
    // A fixed budget; a failure is saved beside this file
    // (tests/properties.proptest-regressions) and replayed first.
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn an_id_is_refused_or_reaches_the_server_unchanged(id in ids(), through_call in any::<bool>()) {
        let Fixture { runtime, server, client } = fixture();
        let before = server.count();
        runtime.block_on(async {
            let result = if through_call {
                let body = moveworks_api::types::SubmitFeedbackRequest::new("cb");
                client.call(|api| api.submit_feedback(&id, "resp_1", "msg_1", &body)).await.map(|_| ())
            } else {
                client
                    .submit_feedback(moveworks_ext::Feedback::with_callback_id(
                        moveworks_ext::MessageRef::new(id.as_str(), "resp_1", "msg_1"),
                        "cb",
                    ))
                    .await
                    .map(|_| ())
            };
            match result {
                Err(error) if error.kind() == moveworks_ext::ErrorKind::InvalidInput => {
                    prop_assert_eq!(server.count(), before, "a refused id must send nothing");
                }
                Err(other) => prop_assert!(false, "id {:?}: unexpected error {}", id, other),
                Ok(()) => {
                    let received = server.received();
                    prop_assert_eq!(received.len(), before + 1);
                    let path = &received[before].path;
                    prop_assert!(!path.contains('?') && !path.contains('#'), "query or fragment injected: {}", path);
                    let segments: Vec<&str> = path.split('/').collect();
                    prop_assert_eq!(segments.len(), 8, "path {} has another shape", path);
                    prop_assert_eq!(&segments[..2], &["", "conversations"]);
                    let decoded = decode(segments[2]);
                    prop_assert_eq!(decoded.as_deref(), Some(id.as_str()), "path {}", path);
                    prop_assert_eq!(&segments[3..], &["responses", "resp_1", "messages", "msg_1", "feedback"]);
                }
            }
            Ok(())
        })?;
    }
}
