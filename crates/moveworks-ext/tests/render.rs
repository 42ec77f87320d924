//! Messages as `/rest/v1` sends them, shown to people: the two messages
//! Moveworks' demo application records (read where they lie, in
//! `../shared/specs/moveworks/payloads`), and the shapes the docs describe
//! (a live agent's reply, a button press, a content type nobody knows),
//! decoded, written back unchanged, and rendered.

mod support;

use std::path::PathBuf;

use moveworks_ext::render::{self, ActionLabels, Citations, Style};
use moveworks_ext::types::{ActorType, Message};
use moveworks_ext::{ActionExt, ActionKind, ContentExt, Input, MessageExt, TextFormat};
use serde_json::{Value, json};
use support::{ScriptedServer, Step, client_for};

/// `specs/moveworks/payloads` of the shared folder: `$MOVEWORKS_SHARED_DIR`,
/// else `../shared` beside the workspace. Missing, the test fails: the
/// payloads are what it tests.
fn payload(name: &str) -> Value {
    let below = |shared: PathBuf| shared.join("specs/moveworks/payloads");
    let from_env = std::env::var_os("MOVEWORKS_SHARED_DIR").map(|dir| below(dir.into()));
    let beside = below(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = from_env
        .iter()
        .chain([&beside])
        .find(|dir| dir.join(name).is_file())
        .unwrap_or_else(|| {
            let env = match &from_env {
                Some(dir) => format!("in {} (from MOVEWORKS_SHARED_DIR)", dir.display()),
                None => "in $MOVEWORKS_SHARED_DIR/specs/moveworks/payloads (not set)".to_owned(),
            };
            panic!(
                "the recorded payload {name} is missing: looked {env} and in {} (../shared \
                 beside the workspace)",
                beside.display()
            )
        });
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Decodes `json` and checks that writing it back changes nothing.
fn message(json: Value) -> Message {
    let message: Message = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&message).unwrap(),
        json,
        "written back"
    );
    message
}

#[test]
fn a_recorded_answer_with_a_button_a_form_and_a_link() {
    let message = message(payload("smart_handoff_message.json"));
    let actions: Vec<_> = message
        .actions()
        .iter()
        .map(|a| match a.kind() {
            ActionKind::Callback { callback_id, .. } => (a.label(), "button", callback_id),
            ActionKind::Modal { modal_id, .. } => (a.label(), "form", modal_id),
            ActionKind::Url { url, .. } => (a.label(), "link", url),
            _ => (a.label(), "unknown", ""),
        })
        .collect();
    assert_eq!(
        actions,
        [
            (Some("File ticket"), "button", "callback_fixture"),
            (Some("Edit/Add details"), "form", "modal_fixture"),
            (
                Some("Other help options"),
                "link",
                "https://app.moveworks.ai/?t=fixture"
            ),
        ]
    );
    assert_eq!(
        message.actions()[0].press(),
        Some(Input::callback("callback_fixture"))
    );
    assert_eq!(message.text_format(), TextFormat::Markdown);
    assert!(
        message
            .text()
            .starts_with("I understand you’d like to file a ticket")
    );
    // No link in it: rendered, it is the text itself.
    assert_eq!(render::text(message.text(), Style::Plain), message.text());
    assert!(message.is_rateable() && message.is_from_assistant());
}

#[test]
fn a_recorded_answer_with_linked_citation_titles_and_equal_action_labels() {
    let message = message(payload("portal_form_message.json"));
    let citations = Citations::of(&message);
    let titles: Vec<(String, String)> = citations
        .list()
        .iter()
        .map(|c| {
            (
                render::citation_title(c, Style::Plain)
                    .unwrap()
                    .into_owned(),
                render::citation_title(c, Style::Commonmark)
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect();
    let url =
        |item: &str| format!("https://example.service-now.com/sp?id=sc_cat_item&sys_id={item}");
    assert_eq!(
        titles,
        [
            ("401(k) Plan Enrollment", "plan_enrollment"),
            ("401(k) Plan Enrollment Inquiry", "enrollment_inquiry"),
            ("401(k) Retirement Plan Inquiry", "retirement_inquiry"),
        ]
        .map(|(label, item)| (
            format!("**{label}**"),
            format!("**[{label}]({})**", url(item))
        ))
    );
    // Elsewhere than beside its own URL, a title's link keeps its URL.
    let raw_title = message.citations()[0]
        .display
        .as_ref()
        .unwrap()
        .title
        .as_ref()
        .unwrap()
        .text();
    assert_eq!(
        render::text(raw_title, Style::Plain),
        format!("**401(k) Plan Enrollment ({})**", url("plan_enrollment"))
    );
    // Three references at one offset, to three citations: all kept.
    let references: Vec<(i64, usize)> = citations
        .references()
        .iter()
        .map(|r| (r.offset, r.citation))
        .collect();
    assert_eq!(references, [(237, 0), (237, 1), (237, 2)]);
    // Three links with the same label are three actions, never merged.
    let links: Vec<_> = message.actions().iter().map(|a| a.kind()).collect();
    assert_eq!(links.len(), 3);
    assert!(
        message
            .actions()
            .iter()
            .all(|a| a.label() == Some("Complete this request") && a.press().is_none())
    );
    assert_ne!(links[0], links[1]);
}

fn turn(actor: &str, content: Value) -> Value {
    json!({
        "message_id": "msg_turn", "conversation_id": "conv_fixture", "response_id": "resp_turn",
        "actor": actor, "content": content, "created_at": "2026-09-24T22:29:00Z"
    })
}

fn pressed() -> Value {
    turn(
        "USER",
        json!({"type": "CALLBACK_ACTION_CONTENT", "callback_action": {"callback_id": "callback_fixture"}}),
    )
}

fn live_agent() -> Value {
    let mut reply = turn(
        "LIVE_AGENT",
        json!({"type": "PLAIN_TEXT", "plain_text": {"text": "Hi, Jane from IT here. See <https://it.example/laptops|laptop loaners>."}}),
    );
    reply["sender_info"] =
        json!({"display_name": "Jane Doe", "avatar_url": "https://it.example/jane.png"});
    reply
}

fn unknown_content() -> Value {
    turn(
        "ASSISTANT",
        json!({"type": "FORM_CONTENT", "form_content": {"fields": [{"name": "serial"}]}}),
    )
}

#[test]
fn a_button_press_a_live_agent_and_an_unknown_content_type() {
    let handoff = message(payload("smart_handoff_message.json"));
    let press = message(pressed());
    let mut labels = ActionLabels::new();
    assert_eq!(
        render::message(&press, &labels, Style::Plain),
        "pressed callback_fixture"
    );
    labels.learn(&handoff);
    assert_eq!(labels.label("callback_fixture"), Some("File ticket"));
    assert_eq!(
        render::message(&press, &labels, Style::Plain),
        "pressed File ticket"
    );
    assert_eq!(press.text(), "");
    assert_eq!(press.text_format(), TextFormat::Other);

    let agent = message(live_agent());
    assert_eq!(agent.actor, ActorType::LiveAgent);
    assert!(!agent.is_from_assistant());
    assert_eq!(agent.sender_name(), Some("Jane Doe"));
    assert_eq!(
        render::message(&agent, &labels, Style::Commonmark),
        "Hi, Jane from IT here. See [laptop loaners](https://it.example/laptops)."
    );

    let unknown = message(unknown_content());
    assert_eq!(unknown.text(), "");
    assert_eq!(
        render::message(&unknown, &labels, Style::Plain),
        "[FORM_CONTENT content]"
    );
    assert_eq!(unknown.content.text_format(), TextFormat::Other);
}

#[tokio::test]
async fn a_page_with_every_kind_of_turn_decodes_whole() {
    let page = json!({
        "messages": [
            live_agent(), unknown_content(), pressed(),
            payload("smart_handoff_message.json"), payload("portal_form_message.json")
        ],
        "metadata": {"next_cursor": null}
    });
    let server = ScriptedServer::start(vec![Step::json(200, &page.to_string())]).await;
    let client = client_for(&server.base_url).build().unwrap();
    let messages = client
        .list_conversation_messages("conv_fixture")
        .all()
        .await
        .unwrap();
    assert_eq!(messages.len(), 5);
    assert_eq!(
        serde_json::to_value(&messages).unwrap(),
        page["messages"],
        "nothing dropped"
    );
    // Newest first: the labels of every message seen, then each turn read.
    let mut labels = ActionLabels::new();
    messages.iter().for_each(|m| labels.learn(m));
    let shown: Vec<String> = messages
        .iter()
        .take(3)
        .map(|m| render::message(m, &labels, Style::Plain).into_owned())
        .collect();
    assert_eq!(
        shown,
        [
            "Hi, Jane from IT here. See laptop loaners (https://it.example/laptops).",
            "[FORM_CONTENT content]",
            "pressed File ticket"
        ]
    );
}
