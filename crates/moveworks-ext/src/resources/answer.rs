//! Reading the assistant's answer out of the generated types: its text,
//! whatever format it came in, its citations and its actions.
//!
//! These are extension traits on the generated [`Message`], [`Response`]
//! and [`Content`]; bring them into scope with
//! `use moveworks_ext::{MessageExt, ResponseExt};`. They are sealed: only
//! this crate implements them, so methods can be added without breaking
//! anyone.

use moveworks_api::types::{
    Action, ActorType, Citation, Content, Message, OutputItem, Response, ResponseStatus,
};

/// How a text is formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextFormat {
    /// Plain text.
    Plain,
    /// CommonMark.
    Commonmark,
    /// Markdown that is not guaranteed to be CommonMark.
    Markdown,
    /// Not text: a button the user pressed (`CALLBACK_ACTION_CONTENT`),
    /// or a content kind this crate does not know. Its text reads as empty;
    /// [`render::message`](crate::render::message) shows it.
    Other,
}

/// Only this crate implements the extension traits (these and
/// [`ActionExt`](crate::ActionExt)).
pub(super) mod sealed {
    pub trait Sealed {}

    impl Sealed for moveworks_api::types::Action {}
    impl Sealed for moveworks_api::types::Content {}
    impl Sealed for moveworks_api::types::Message {}
    impl Sealed for moveworks_api::types::Response {}
}

/// The text of message content, whatever its format.
pub trait ContentExt: sealed::Sealed {
    /// The text.
    fn text(&self) -> &str;
    /// How the text is formatted.
    fn text_format(&self) -> TextFormat;
}

impl ContentExt for Content {
    fn text(&self) -> &str {
        match self {
            Content::PlainText { plain_text, .. } => &plain_text.text,
            Content::CommonmarkText {
                commonmark_text, ..
            } => &commonmark_text.text,
            Content::MarkdownText { markdown_text, .. } => &markdown_text.text,
            // A content kind added to the spec after this crate was written.
            _ => "",
        }
    }

    fn text_format(&self) -> TextFormat {
        match self {
            Content::PlainText { .. } => TextFormat::Plain,
            Content::CommonmarkText { .. } => TextFormat::Commonmark,
            Content::MarkdownText { .. } => TextFormat::Markdown,
            _ => TextFormat::Other,
        }
    }
}

/// Helpers on a [`Message`].
pub trait MessageExt: sealed::Sealed {
    /// The message's text, whatever its format.
    fn text(&self) -> &str;
    /// How the text is formatted.
    fn text_format(&self) -> TextFormat;
    /// The sources the message cites (empty when none).
    fn citations(&self) -> &[Citation];
    /// What the user can do with the message: buttons, links, forms, in
    /// order (empty when none); read them with
    /// [`ActionExt`](crate::ActionExt).
    fn actions(&self) -> &[Action];
    /// Whether the assistant wrote the message.
    fn is_from_assistant(&self) -> bool;
    /// Who wrote the message, when a person did: a live agent's
    /// `sender_info.display_name` (`LIVE_AGENT` messages).
    fn sender_name(&self) -> Option<&str>;
    /// Whether the message can be rated (it offers a helpful or unhelpful
    /// callback id); see [`Feedback::for_message`](crate::Feedback::for_message).
    fn is_rateable(&self) -> bool;
}

impl MessageExt for Message {
    fn text(&self) -> &str {
        self.content.text()
    }

    fn text_format(&self) -> TextFormat {
        self.content.text_format()
    }

    fn citations(&self) -> &[Citation] {
        self.citations.as_deref().unwrap_or_default()
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }

    fn is_from_assistant(&self) -> bool {
        self.actor == ActorType::Assistant
    }

    fn sender_name(&self) -> Option<&str> {
        self.sender_info.as_ref()?.display_name.as_deref()
    }

    fn is_rateable(&self) -> bool {
        self.feedback
            .as_ref()
            .is_some_and(|f| f.helpful.is_some() || f.unhelpful.is_some())
    }
}

/// Helpers on a [`Response`].
///
/// Sealed: implementing it for another type does not compile.
///
/// ```compile_fail,E0277
/// struct Mine;
///
/// impl moveworks_ext::ResponseExt for Mine {
///     fn messages(&self) -> Vec<&moveworks_ext::types::Message> { Vec::new() }
///     fn text(&self) -> String { String::new() }
///     fn citations(&self) -> Vec<&moveworks_ext::types::Citation> { Vec::new() }
///     fn actions(&self) -> Vec<&moveworks_ext::types::Action> { Vec::new() }
///     fn is_finished(&self) -> bool { true }
/// }
/// ```
pub trait ResponseExt: sealed::Sealed {
    /// The messages among the outputs, in order (reasoning messages left
    /// out): the assistant's, or a live agent's.
    fn messages(&self) -> Vec<&Message>;
    /// The answer: the text of the assistant messages, separated by a
    /// blank line. Empty while the response has no message yet.
    fn text(&self) -> String;
    /// The citations of all its messages, in order (to show repeats once:
    /// [`render::Citations`](crate::render::Citations)).
    fn citations(&self) -> Vec<&Citation>;
    /// The actions of all its messages, in order: what the user can do
    /// next ([`ActionExt`](crate::ActionExt)).
    fn actions(&self) -> Vec<&Action>;
    /// Whether the response is `COMPLETED` or `FAILED`.
    fn is_finished(&self) -> bool;
}

impl ResponseExt for Response {
    fn messages(&self) -> Vec<&Message> {
        self.outputs
            .iter()
            .filter_map(|output| match output {
                OutputItem::Message { message, .. } => Some(message),
                // Reasoning, and output kinds the spec adds later.
                _ => None,
            })
            .collect()
    }

    fn text(&self) -> String {
        self.messages()
            .into_iter()
            .map(MessageExt::text)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn citations(&self) -> Vec<&Citation> {
        self.messages()
            .into_iter()
            .flat_map(MessageExt::citations)
            .collect()
    }

    fn actions(&self) -> Vec<&Action> {
        self.messages()
            .into_iter()
            .flat_map(MessageExt::actions)
            .collect()
    }

    fn is_finished(&self) -> bool {
        matches!(
            self.status,
            ResponseStatus::Completed | ResponseStatus::Failed
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(
        id: &str,
        content: serde_json::Value,
        citations: serde_json::Value,
    ) -> serde_json::Value {
        json!({
            "message_id": id, "conversation_id": "conv_1", "response_id": "resp_1",
            "actor": "ASSISTANT", "content": content, "citations": citations,
            "created_at": "2026-01-01T00:00:00Z"
        })
    }

    #[test]
    fn text_and_citations_of_every_content_format() {
        let response: Response = serde_json::from_value(json!({
            "response_id": "resp_1", "conversation_id": "conv_1", "status": "COMPLETED",
            "created_at": "2026-01-01T00:00:00Z",
            "outputs": [
                {"type": "REASONING_MESSAGE", "reasoning_message": {
                    "reasoning_message_id": "r1", "conversation_id": "conv_1", "response_id": "resp_1",
                    "content": {"type": "PLAIN_TEXT", "plain_text": {"text": "thinking"}},
                    "created_at": "2026-01-01T00:00:00Z"}},
                {"type": "MESSAGE", "message": message("m1",
                    json!({"type": "PLAIN_TEXT", "plain_text": {"text": "plain"}}), json!(null))},
                {"type": "MESSAGE", "message": message("m2",
                    json!({"type": "COMMONMARK_TEXT", "commonmark_text": {"text": "*cm*"}}),
                    json!([{"citation_id": "cite_1", "url": "https://kb.example/1"}]))},
                {"type": "MESSAGE", "message": message("m3",
                    json!({"type": "MARKDOWN_TEXT", "markdown_text": {"text": "**md**"}}),
                    json!([{"citation_id": "cite_2"}]))}
            ]
        }))
        .unwrap();
        assert_eq!(response.text(), "plain\n\n*cm*\n\n**md**");
        let formats: Vec<TextFormat> = response
            .messages()
            .iter()
            .map(|m| m.text_format())
            .collect();
        assert_eq!(
            formats,
            [
                TextFormat::Plain,
                TextFormat::Commonmark,
                TextFormat::Markdown
            ]
        );
        let ids: Vec<_> = response
            .citations()
            .iter()
            .map(|c| c.citation_id.as_deref())
            .collect();
        assert_eq!(ids, [Some("cite_1"), Some("cite_2")]);
        assert!(response.is_finished());
        assert!(response.messages()[0].is_from_assistant());
        assert!(!response.messages()[0].is_rateable());
    }

    #[test]
    fn unfinished_and_empty_responses() {
        let response: Response = serde_json::from_value(json!({
            "response_id": "resp_1", "conversation_id": "conv_1", "status": "IN_PROGRESS",
            "created_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert!(!response.is_finished());
        assert_eq!(response.text(), "");
        assert!(response.citations().is_empty());
        let mut failed = response.clone();
        failed.status = ResponseStatus::Failed;
        assert!(failed.is_finished());
        let mut unknown = response;
        unknown.status = ResponseStatus::Unknown("PAUSED".into());
        assert!(!unknown.is_finished());
    }
}
