//! Showing an answer to people: Moveworks' link markup rewritten for
//! CommonMark or for a terminal, and citations that repeat shown once.
//!
//! Answer text and citation titles write links as `<url|label>` (for
//! example `**<https://host/path|Plan Enrollment>**`), which a CommonMark
//! renderer or a terminal shows raw. [`text`] rewrites them:
//!
//! | markup | [`Style::Commonmark`] | [`Style::Plain`] |
//! |---|---|---|
//! | `<https://host/a|Label>` | `[Label](https://host/a)` | `Label (https://host/a)` |
//! | `<https://host/a>` | `<https://host/a>` (already a CommonMark link) | `https://host/a` |
//! | `<mailto:it@example.com|IT>` | `[IT](mailto:it@example.com)` | `IT (mailto:it@example.com)` |
//! | `<b>`, `<@U123>`, `<x|y>` | unchanged | unchanged |
//!
//! Only `<scheme://...>` and `<mailto:...>` are links; anything else
//! between angle brackets (HTML, mentions) is left as it is. The label and
//! URL are escaped as CommonMark needs (`[`, `]` and `\` in the label;
//! `(`, `)`, `\` and spaces in the URL). The raw text stays available
//! ([`MessageExt::text`](crate::MessageExt::text)).
//!
//! ```
//! use moveworks_ext::render::{self, Style};
//!
//! let text = "See **<https://kb.example/sp?id=42|401(k) Plan Enrollment>**.";
//! assert_eq!(
//!     render::text(text, Style::Commonmark),
//!     "See **[401(k) Plan Enrollment](https://kb.example/sp?id=42)**."
//! );
//! assert_eq!(
//!     render::text(text, Style::Plain),
//!     "See **401(k) Plan Enrollment (https://kb.example/sp?id=42)**."
//! );
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use moveworks_api::types::{Citation, Content, Message, Response};

use super::actions::{ActionExt, ActionKind};
use super::answer::{ContentExt, ResponseExt};

/// What [`text`] writes links as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Style {
    /// CommonMark: `[label](url)`.
    Commonmark,
    /// Plain text for a terminal: `label (url)`.
    Plain,
}

/// `text` with its `<url|label>` and `<url>` links written in `style`
/// (see the [module docs](self)); borrowed when it has none.
pub fn text(text: &str, style: Style) -> Cow<'_, str> {
    rewrite(text, |out, link| write_link(out, link, style))
}

/// A link of the markup.
struct Link<'a> {
    url: &'a str,
    label: Option<&'a str>,
}

/// `text` with each link of the markup replaced by what `write` writes.
fn rewrite<'t>(text: &'t str, mut write: impl FnMut(&mut String, Link<'_>)) -> Cow<'t, str> {
    let mut out = String::new();
    // What of `text` is already in `out`. A link holds no `<`, so the next
    // `<` after one is past its end.
    let mut copied = 0;
    for (open, _) in text.match_indices('<') {
        let inner_start = open + 1;
        let Some(close) = text[inner_start..]
            .find(['>', '<', '\n'])
            .map(|at| inner_start + at)
            .filter(|&at| text.as_bytes()[at] == b'>')
        else {
            continue;
        };
        let inner = &text[inner_start..close];
        let (url, label) = match inner.split_once('|') {
            Some((url, label)) => (url, Some(label).filter(|label| !label.trim().is_empty())),
            None => (inner, None),
        };
        if is_url(url) {
            out.push_str(&text[copied..open]);
            write(&mut out, Link { url, label });
            copied = close + 1;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// `scheme://rest` or `mailto:rest`, with no space or control character.
fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if scheme.eq_ignore_ascii_case("mailto") {
        return !rest.is_empty();
    }
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && rest.strip_prefix("//").is_some_and(|rest| !rest.is_empty())
}

fn write_link(out: &mut String, link: Link<'_>, style: Style) {
    match (style, link.label) {
        (Style::Commonmark, Some(label)) => {
            out.push('[');
            escape_label(out, label);
            out.push_str("](");
            escape_destination(out, link.url);
            out.push(')');
        }
        // `<scheme:...>` with no space is a CommonMark autolink already.
        (Style::Commonmark, None) => {
            let _ = write!(out, "<{}>", link.url);
        }
        (Style::Plain, Some(label)) if label != link.url => {
            let _ = write!(out, "{label} ({})", link.url);
        }
        (Style::Plain, _) => out.push_str(link.url),
    }
}

/// Link text: brackets and backslashes would end or change the link.
fn escape_label(out: &mut String, label: &str) {
    for c in label.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A link destination: unbalanced parentheses and backslashes would end or
/// change it, and it may hold no space (URLs of the markup hold none; this
/// keeps the output a link whatever comes).
fn escape_destination(out: &mut String, url: &str) {
    for c in url.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' ' => out.push_str("%20"),
            _ => out.push(c),
        }
    }
}

/// A citation's title, rendered in `style`; `None` when it has none. In
/// [`Style::Plain`], a link to the citation's own URL shows its label
/// only, since the URL is shown beside the title.
pub fn citation_title(citation: &Citation, style: Style) -> Option<Cow<'_, str>> {
    let title = citation.display.as_ref()?.title.as_ref()?.text();
    let own = citation.url.as_deref();
    Some(match style {
        Style::Plain => rewrite(title, |out, link| match link.label {
            Some(label) if Some(link.url) == own => out.push_str(label),
            _ => write_link(out, link, style),
        }),
        Style::Commonmark => text(title, style),
    })
}

/// The labels of buttons (`CALLBACK_ACTION`s) by callback id, learned from
/// the messages that offered them, so that a later press of one reads as
/// `pressed File ticket` rather than as its opaque id.
#[derive(Debug, Clone, Default)]
pub struct ActionLabels {
    labels: HashMap<String, String>,
}

impl ActionLabels {
    /// None known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Learns the labels of `message`'s buttons.
    pub fn learn(&mut self, message: &Message) {
        for action in &message.actions {
            if let (ActionKind::Callback { callback_id }, Some(label)) =
                (action.kind(), action.label())
            {
                self.labels.insert(callback_id.to_owned(), label.to_owned());
            }
        }
    }

    /// The label of the button with this callback id, if a message learned
    /// offered it.
    pub fn label(&self, callback_id: &str) -> Option<&str> {
        self.labels.get(callback_id).map(String::as_str)
    }
}

/// What `message` says, for people, in `style`: its text with links
/// rendered; a button press (`CALLBACK_ACTION_CONTENT`) as `pressed
/// <label>`, the label from `labels` when known, else the callback id;
/// content of a type this client does not know as `[<type> content]`.
pub fn message<'m>(message: &'m Message, labels: &ActionLabels, style: Style) -> Cow<'m, str> {
    match &message.content {
        Content::CallbackActionContent {
            callback_action, ..
        } => {
            let id = &callback_action.callback_id;
            Cow::Owned(format!("pressed {}", labels.label(id).unwrap_or(id)))
        }
        Content::Unknown(raw) => Cow::Owned(format!(
            "[{} content]",
            raw.get("type")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("unknown")
        )),
        content => text(content.text(), style),
    }
}

/// The citations of one or more messages with repeats shown once: a
/// citation with the same title and URL as an earlier one is left out,
/// and the `content_references` that pointed at it point at the one kept.
///
/// ```
/// # fn show(message: &moveworks_ext::types::Message) {
/// use moveworks_ext::render::{self, Citations, Style};
///
/// let citations = Citations::of(message);
/// for (n, citation) in citations.list().iter().enumerate() {
///     let title = render::citation_title(citation, Style::Plain).unwrap_or_default();
///     println!("[{}] {title} {}", n + 1, citation.url.as_deref().unwrap_or_default());
/// }
/// for reference in citations.references() {
///     println!("[{}] at {}", reference.citation + 1, reference.offset);
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Citations<'a> {
    list: Vec<&'a Citation>,
    references: Vec<Reference>,
}

/// Where a message's text refers to a citation, as [`Citations`] keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Reference {
    /// The message, by its position among those given to
    /// [`Citations::of_messages`] (0 for [`Citations::of`]).
    pub message: usize,
    /// Zero-based character position in the message's text.
    pub offset: i64,
    /// The citation, by its position in [`Citations::list`].
    pub citation: usize,
}

impl<'a> Citations<'a> {
    /// One message's citations.
    pub fn of(message: &'a Message) -> Self {
        Self::of_messages([message])
    }

    /// The citations of a response's assistant messages
    /// ([`ResponseExt::messages`]), repeats across them shown once.
    pub fn of_response(response: &'a Response) -> Self {
        Self::of_messages(response.messages())
    }

    /// The citations of `messages`, in order, repeats across them shown
    /// once.
    pub fn of_messages(messages: impl IntoIterator<Item = &'a Message>) -> Self {
        let mut list: Vec<&'a Citation> = Vec::new();
        let mut kept: HashMap<(Option<&'a str>, Option<&'a str>), usize> = HashMap::new();
        let mut references = Vec::new();
        for (index, message) in messages.into_iter().enumerate() {
            // This message's citation ids, to their kept position.
            let mut ids: HashMap<&str, usize> = HashMap::new();
            for citation in message.citations.as_deref().unwrap_or_default() {
                let title = citation
                    .display
                    .as_ref()
                    .and_then(|d| d.title.as_ref())
                    .map(|t| t.text());
                let position = *kept
                    .entry((title, citation.url.as_deref()))
                    .or_insert_with(|| {
                        list.push(citation);
                        list.len() - 1
                    });
                if let Some(id) = &citation.citation_id {
                    ids.entry(id).or_insert(position);
                }
            }
            for reference in message.content_references.as_deref().unwrap_or_default() {
                // A reference to no citation of the message points nowhere.
                let Some(&citation) = ids.get(reference.citation_id.as_str()) else {
                    continue;
                };
                let reference = Reference {
                    message: index,
                    offset: reference.offset,
                    citation,
                };
                if !references.contains(&reference) {
                    references.push(reference);
                }
            }
        }
        Self { list, references }
    }

    /// The citations kept, in the order they first appear.
    pub fn list(&self) -> &[&'a Citation] {
        &self.list
    }

    /// The references, each to a citation kept, in the messages' order
    /// (a reference repeated by the merge is kept once).
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn both(markup: &str) -> (String, String) {
        (
            text(markup, Style::Commonmark).into_owned(),
            text(markup, Style::Plain).into_owned(),
        )
    }

    #[test]
    fn links_in_both_styles() {
        let cases = [
            (
                "**<https://h.example/sp?id=1&x=2|401(k) Plan>**",
                "**[401(k) Plan](https://h.example/sp?id=1&x=2)**",
                "**401(k) Plan (https://h.example/sp?id=1&x=2)**",
            ),
            (
                "see <https://h.example/a> now",
                "see <https://h.example/a> now",
                "see https://h.example/a now",
            ),
            (
                "<mailto:it@example.com|IT desk>",
                "[IT desk](mailto:it@example.com)",
                "IT desk (mailto:it@example.com)",
            ),
            (
                "<https://a.example|A> and <http://b.example/x|B>.",
                "[A](https://a.example) and [B](http://b.example/x).",
                "A (https://a.example) and B (http://b.example/x).",
            ),
            // An empty label is no label; a label that is the URL is shown once.
            (
                "<https://a.example|>",
                "<https://a.example>",
                "https://a.example",
            ),
            (
                "<https://a.example|https://a.example>",
                "[https://a.example](https://a.example)",
                "https://a.example",
            ),
        ];
        for (markup, commonmark, plain) in cases {
            assert_eq!(both(markup), (commonmark.into(), plain.into()), "{markup}");
        }
    }

    #[test]
    fn labels_and_urls_are_escaped_for_commonmark() {
        assert_eq!(
            text(
                r"<https://h.example/a_(b)\c|see [1] \ here>",
                Style::Commonmark
            ),
            r"[see \[1\] \\ here](https://h.example/a_\(b\)\\c)"
        );
        assert_eq!(
            text("<https://h.example/a|x]y>", Style::Plain),
            "x]y (https://h.example/a)"
        );
    }

    #[test]
    fn anything_else_in_angle_brackets_is_left_alone() {
        for kept in [
            "<b>bold</b>",
            "<@U123> asked",
            "<!here>",
            "<x|y>",
            "<|label>",
            "a < b > c",
            "<https://a.example/\nb|c>",
            "<https://a.example b|c>",
            "<://x|y>",
            "<1http://x|y>",
            "<https://|y>",
            "<mailto:|y>",
            "unclosed <https://a.example|A",
            "",
            "é <ü>",
        ] {
            assert!(
                matches!(text(kept, Style::Plain), Cow::Borrowed(t) if t == kept),
                "{kept}"
            );
            assert!(
                matches!(text(kept, Style::Commonmark), Cow::Borrowed(t) if t == kept),
                "{kept}"
            );
        }
        // A link right after something left alone, and multibyte text around.
        assert_eq!(
            text("é <b> <https://a.example|Ä> ü", Style::Plain),
            "é <b> Ä (https://a.example) ü"
        );
        assert_eq!(
            text("<<https://a.example|A>>", Style::Plain),
            "<A (https://a.example)>"
        );
    }

    fn message(citations: serde_json::Value, references: serde_json::Value) -> Message {
        serde_json::from_value(json!({
            "message_id": "msg_1", "conversation_id": "conv_1", "response_id": "resp_1",
            "actor": "ASSISTANT",
            "content": {"type": "MARKDOWN_TEXT", "markdown_text": {"text": "See [1] and [2]."}},
            "citations": citations, "content_references": references,
            "created_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    fn cited(id: &str, title: &str, url: &str) -> serde_json::Value {
        json!({
            "citation_id": id, "url": url,
            "display": {"title": {"type": "MARKDOWN_TEXT", "markdown_text": {"text": title}}}
        })
    }

    #[test]
    fn repeated_citations_are_kept_once_and_references_remapped() {
        let message = message(
            json!([
                cited(
                    "cite_a",
                    "**<https://kb.example/1|Guide>**",
                    "https://kb.example/1"
                ),
                cited("cite_b", "Other", "https://kb.example/2"),
                cited(
                    "cite_c",
                    "**<https://kb.example/1|Guide>**",
                    "https://kb.example/1"
                ),
                // Same title, another URL: another source.
                cited("cite_d", "Other", "https://kb.example/3"),
            ]),
            json!([
                {"citation_id": "cite_a", "offset": 4},
                {"citation_id": "cite_c", "offset": 4},
                {"citation_id": "cite_b", "offset": 12},
                {"citation_id": "cite_c", "offset": 12},
                {"citation_id": "cite_d", "offset": 14},
                {"citation_id": "cite_missing", "offset": 15}
            ]),
        );
        let citations = Citations::of(&message);
        let ids: Vec<_> = citations
            .list()
            .iter()
            .map(|c| c.citation_id.as_deref().unwrap())
            .collect();
        assert_eq!(ids, ["cite_a", "cite_b", "cite_d"]);
        let references: Vec<(i64, usize)> = citations
            .references()
            .iter()
            .map(|r| (r.offset, r.citation))
            .collect();
        assert_eq!(references, [(4, 0), (12, 1), (12, 0), (14, 2)]);
        assert!(citations.references().iter().all(|r| r.message == 0));
        // Across messages: the second message's repeat points at the first's.
        let citations = Citations::of_messages([&message, &message]);
        assert_eq!(citations.list().len(), 3);
        assert_eq!(
            citations.references()[4],
            Reference {
                message: 1,
                offset: 4,
                citation: 0
            }
        );
        // Titles: a link to the citation's own URL is its label in plain text.
        let guide = citations.list()[0];
        assert_eq!(citation_title(guide, Style::Plain).unwrap(), "**Guide**");
        assert_eq!(
            citation_title(guide, Style::Commonmark).unwrap(),
            "**[Guide](https://kb.example/1)**"
        );
        let untitled: Citation =
            serde_json::from_value(json!({"url": "https://x.example"})).unwrap();
        assert!(citation_title(&untitled, Style::Plain).is_none());
    }
}
