//! Run by `real_specs.rs` against crates it generates (`v1` from the
//! assistant/v1 spec, `tagged` from a spec whose unions typify makes tagged
//! enums): what the API sends and the spec does not name decodes as the
//! union's `Unknown`, keeps its JSON and is written back unchanged.

use serde_json::{Value, json};

/// Decodes `text`, and writes it back.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> (T, String) {
    let decoded: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let written = serde_json::to_string(&decoded).unwrap();
    (decoded, written)
}

#[test]
fn content_of_a_kind_the_spec_does_not_name_is_kept_byte_for_byte() {
    // Compact, with keys in the order serde_json writes them.
    let fancy = r#"{"fancy_content":{"parts":[1,2.5,null,{"deep":true}],"text":"✨"},"type":"FANCY_CONTENT"}"#;
    let (content, written) = round_trip::<v1::types::Content>(fancy);
    match &content {
        v1::types::Content::Unknown(raw) => assert_eq!(raw["type"], "FANCY_CONTENT"),
        other => panic!("decoded as {other:?}"),
    }
    assert_eq!(written, fancy);
}

#[test]
fn a_button_press_is_a_documented_content_kind() {
    let pressed =
        json!({"type": "CALLBACK_ACTION_CONTENT", "callback_action": {"callback_id": "cb_1"}});
    let (content, written) = round_trip::<v1::types::Content>(&pressed.to_string());
    assert!(
        matches!(content, v1::types::Content::CallbackActionContent { .. }),
        "{content:?}"
    );
    assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), pressed);
}

#[test]
fn a_page_with_unknown_kinds_decodes_whole() {
    let page = json!({"messages": [
        {"message_id": "msg_1", "conversation_id": "conv_1", "response_id": "resp_1",
         "actor": "USER", "created_at": "2026-09-24T22:28:38Z",
         "content": {"type": "CALLBACK_ACTION_CONTENT", "callback_action": {"callback_id": "cb_1"}}},
        {"message_id": "msg_2", "conversation_id": "conv_1", "response_id": "resp_1",
         "actor": "ASSISTANT", "created_at": "2026-09-24T22:28:39Z",
         "content": {"type": "FANCY_CONTENT", "fancy": {"x": 1}},
         "actions": [
            {"type": "MODAL_ACTION", "label": "Edit", "modal_action": {"modal_id": "m_1"}},
            {"type": "CALLBACK_ACTION", "label": "File ticket", "callback_action": {"callback_id": "cb_2"}}
         ]}
    ]});
    let (decoded, written) =
        round_trip::<v1::types::ListConversationMessagesResponse>(&page.to_string());
    assert_eq!(decoded.messages.len(), 2);
    assert!(matches!(
        decoded.messages[1].actions[0],
        v1::types::Action::Unknown(_)
    ));
    assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), page);
}

#[test]
fn recorded_messages_keep_every_action_and_citation() {
    let dir = std::path::PathBuf::from(std::env::var("MOVEWORKS_PAYLOADS_DIR").unwrap());
    for file in ["smart_handoff_message.json", "portal_form_message.json"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let recorded: Value = serde_json::from_str(&text).unwrap();
        let (_, written) = round_trip::<v1::types::Message>(&text);
        let written: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(written["actions"], recorded["actions"], "{file}");
        let ids = |message: &Value| -> Vec<Value> {
            message["citations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c["citation_id"].clone())
                .collect()
        };
        assert_eq!(ids(&written), ids(&recorded), "{file}");
    }
}

#[test]
fn internally_tagged_unions_keep_an_undocumented_tag() {
    let triangle = r#"{"a":1,"b":[2,3],"kind":"triangle"}"#;
    let (shape, written) = round_trip::<tagged::types::Shape>(triangle);
    assert!(
        matches!(shape, tagged::types::Shape::Unknown(_)),
        "{shape:?}"
    );
    assert_eq!(written, triangle);

    let (shape, written) = round_trip::<tagged::types::Shape>(r#"{"kind":"circle","radius":1.5}"#);
    assert!(
        matches!(shape, tagged::types::Shape::Circle { .. }),
        "{shape:?}"
    );
    assert_eq!(written, r#"{"kind":"circle","radius":1.5}"#);

    // A documented tag with the wrong shape is still an error.
    let error = serde_json::from_str::<tagged::types::Shape>(r#"{"kind":"circle"}"#).unwrap_err();
    assert!(error.to_string().contains("radius"), "{error}");
}

#[test]
fn adjacently_tagged_unions_keep_an_undocumented_tag() {
    let list = r#"{"c":[1,2],"t":"list"}"#;
    let (wrapped, written) = round_trip::<tagged::types::Wrapped>(list);
    assert!(
        matches!(wrapped, tagged::types::Wrapped::Unknown(_)),
        "{wrapped:?}"
    );
    assert_eq!(written, list);
    let (wrapped, _) = round_trip::<tagged::types::Wrapped>(r#"{"t":"num","c":2.0}"#);
    assert!(
        matches!(wrapped, tagged::types::Wrapped::Num(_)),
        "{wrapped:?}"
    );
}

#[test]
fn a_response_of_unknown_kinds_decodes_whole() {
    let drawing = json!({
        "shapes": [{"kind": "square", "side": 2.0}, {"kind": "hexagon", "side": 1.0}],
        "choice": {"pick": "first"},
        "wrapped": {"t": "list", "c": []}
    });
    let (decoded, written) = round_trip::<tagged::types::Drawing>(&drawing.to_string());
    assert!(matches!(
        decoded.shapes[1],
        tagged::types::Shape::Unknown(_)
    ));
    assert!(matches!(
        decoded.choice,
        Some(tagged::types::Choice::Unknown(_))
    ));
    assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), drawing);
}
