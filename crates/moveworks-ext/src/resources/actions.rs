//! What a user can do with an answer: its actions (buttons, links, forms),
//! read through one view whatever their type, and pressed through the
//! calls that send text.

use moveworks_api::types::Action;

use super::answer::sealed::Sealed;
use super::user_input::Input;

/// What an action does; see [`ActionExt::kind`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ActionKind<'a> {
    /// A button (`CALLBACK_ACTION`): pressing it sends its callback id as
    /// the next input ([`ActionExt::press`]).
    #[non_exhaustive]
    Callback {
        /// The id to send back.
        callback_id: &'a str,
    },
    /// A link (`URL_ACTION`) to open.
    #[non_exhaustive]
    Url {
        /// Where it leads.
        url: &'a str,
    },
    /// A form (`MODAL_ACTION`), opened by the modal endpoints of `/rest/v1`.
    #[non_exhaustive]
    Modal {
        /// The form's id.
        modal_id: &'a str,
    },
    /// A type of action this client does not know, with its JSON.
    #[non_exhaustive]
    Unknown {
        /// Its `type`, when it has one.
        action_type: Option<&'a str>,
        /// The action as the API sent it.
        raw: &'a serde_json::Value,
    },
}

impl ActionKind<'_> {
    /// The action's type as the API names it: `CALLBACK_ACTION`,
    /// `URL_ACTION`, `MODAL_ACTION`, or an unknown action's `type`.
    pub fn type_name(&self) -> Option<&str> {
        match self {
            ActionKind::Callback { .. } => Some("CALLBACK_ACTION"),
            ActionKind::Url { .. } => Some("URL_ACTION"),
            ActionKind::Modal { .. } => Some("MODAL_ACTION"),
            ActionKind::Unknown { action_type, .. } => *action_type,
        }
    }
}

/// The JSON of an action of a variant this crate does not know yet.
static NO_JSON: serde_json::Value = serde_json::Value::Null;

/// A typed view of an [`Action`], whatever its type; bring it into scope
/// with `use moveworks_ext::ActionExt;`. Sealed: only this crate
/// implements it.
///
/// ```no_run
/// # async fn run(conversation: moveworks_ext::ConversationHandle) -> Result<(), moveworks_ext::Error> {
/// use moveworks_ext::{ActionExt, ActionKind, ResponseExt};
///
/// let answer = conversation.ask("My laptop will not start").await?;
/// for action in answer.actions() {
///     match action.kind() {
///         ActionKind::Url { url, .. } => println!("{}: {url}", action.label().unwrap_or("link")),
///         _ => println!("{}", action.label().unwrap_or("(no label)")),
///     }
/// }
/// if let Some(button) = answer.actions().into_iter().find_map(|a| a.press()) {
///     let next = conversation.ask(button).await?;
///     # let _ = next;
/// }
/// # Ok(())
/// # }
/// ```
pub trait ActionExt: Sealed {
    /// Its label (the button's or link's text); an action of an unknown
    /// type has one when its JSON has a string `label`.
    fn label(&self) -> Option<&str>;
    /// What it does, with the id or URL it carries.
    fn kind(&self) -> ActionKind<'_>;
    /// The input that presses it, for a button: pass it to
    /// [`ConversationHandle::ask`](crate::ConversationHandle::ask) (or
    /// `create_response`, `create_response_stream`). `None` for links,
    /// forms and actions of an unknown type.
    fn press(&self) -> Option<Input>;
}

impl ActionExt for Action {
    fn label(&self) -> Option<&str> {
        match self {
            Action::CallbackAction { label, .. }
            | Action::UrlAction { label, .. }
            | Action::ModalAction { label, .. } => Some(label),
            Action::Unknown(raw) => raw.get("label").and_then(serde_json::Value::as_str),
            // A variant a later regeneration adds and this crate does not know yet.
            _ => None,
        }
    }

    fn kind(&self) -> ActionKind<'_> {
        match self {
            Action::CallbackAction {
                callback_action, ..
            } => ActionKind::Callback {
                callback_id: &callback_action.callback_id,
            },
            Action::UrlAction { url_action, .. } => ActionKind::Url {
                url: &url_action.url,
            },
            Action::ModalAction { modal_action, .. } => ActionKind::Modal {
                modal_id: &modal_action.modal_id,
            },
            Action::Unknown(raw) => ActionKind::Unknown {
                action_type: raw.get("type").and_then(serde_json::Value::as_str),
                raw,
            },
            _ => ActionKind::Unknown {
                action_type: None,
                raw: &NO_JSON,
            },
        }
    }

    fn press(&self) -> Option<Input> {
        match self.kind() {
            ActionKind::Callback { callback_id } => Some(Input::callback(callback_id)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn action(value: serde_json::Value) -> Action {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn every_kind_with_its_label_and_id() {
        let button = action(json!({
            "type": "CALLBACK_ACTION", "label": "File ticket",
            "callback_action": {"callback_id": "cb_1"}
        }));
        assert_eq!(button.label(), Some("File ticket"));
        assert_eq!(
            button.kind(),
            ActionKind::Callback {
                callback_id: "cb_1"
            }
        );
        assert_eq!(button.press(), Some(Input::callback("cb_1")));
        assert_eq!(button.kind().type_name(), Some("CALLBACK_ACTION"));

        let link = action(json!({
            "type": "URL_ACTION", "label": "Open", "url_action": {"url": "https://x.example/a"}
        }));
        assert_eq!(
            link.kind(),
            ActionKind::Url {
                url: "https://x.example/a"
            }
        );
        assert_eq!(link.press(), None);

        let form = action(json!({
            "type": "MODAL_ACTION", "label": "Edit", "modal_action": {"modal_id": "modal_1"}
        }));
        assert_eq!(
            form.kind(),
            ActionKind::Modal {
                modal_id: "modal_1"
            }
        );
        assert_eq!(form.kind().type_name(), Some("MODAL_ACTION"));
        assert_eq!(form.press(), None);

        let raw = json!({"type": "CHAT_ACTION", "label": "Ask", "chat_action": {"text": "hi"}});
        let unknown = action(raw.clone());
        assert_eq!(unknown.label(), Some("Ask"));
        assert_eq!(
            unknown.kind(),
            ActionKind::Unknown {
                action_type: Some("CHAT_ACTION"),
                raw: &raw
            }
        );
        assert_eq!(unknown.press(), None);
        // Kept as sent, and written back unchanged.
        assert_eq!(serde_json::to_value(&unknown).unwrap(), raw);

        let bare = action(json!({"label": 7}));
        assert_eq!(bare.label(), None);
        assert_eq!(bare.kind().type_name(), None);
    }
}
