//! What the user sends the assistant: text, or the callback id of a
//! button they pressed.

use moveworks_api::types::UserInput;

use crate::client::input::{check_not_blank, check_text};
use crate::error::Error;

/// What the user sends with [`Client::create_response`](crate::Client::create_response),
/// [`Client::create_response_stream`](crate::Client::create_response_stream)
/// and [`Client::ask`](crate::Client::ask): text, or a press of a button
/// (a `CALLBACK_ACTION`) of an earlier answer.
///
/// Text converts into it, so those calls take a `&str` or a `String` as
/// they are; a button's input comes from
/// [`ActionExt::press`](crate::ActionExt::press), or from its callback id.
/// Blank text and a blank callback id are refused before anything is sent.
///
/// ```
/// use moveworks_ext::Input;
///
/// let question = Input::text("How do I reset my password?");
/// let press = Input::callback("callback_3fJk2");
/// assert_eq!(question.as_text(), Some("How do I reset my password?"));
/// assert_eq!(press.callback_id(), Some("callback_3fJk2"));
/// assert_eq!(Input::from("Hi"), Input::text("Hi"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Input(Kind);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Kind {
    Text(String),
    Callback(String),
}

impl Input {
    /// The user's text (not empty or only whitespace).
    pub fn text(text: impl Into<String>) -> Self {
        Self(Kind::Text(text.into()))
    }

    /// A press of the button with this callback id
    /// (`callback_action.callback_id` of an action), sent as
    /// `input.callback_id`.
    pub fn callback(callback_id: impl Into<String>) -> Self {
        Self(Kind::Callback(callback_id.into()))
    }

    /// The text, for text input.
    pub fn as_text(&self) -> Option<&str> {
        match &self.0 {
            Kind::Text(text) => Some(text),
            Kind::Callback(_) => None,
        }
    }

    /// The callback id, for a button press.
    pub fn callback_id(&self) -> Option<&str> {
        match &self.0 {
            Kind::Callback(id) => Some(id),
            Kind::Text(_) => None,
        }
    }

    /// The request's `input`, or why it cannot be sent.
    pub(crate) fn into_request(self) -> Result<UserInput, Error> {
        match self.0 {
            Kind::Text(text) => {
                check_text(&text)?;
                Ok(UserInput::Text(text))
            }
            Kind::Callback(id) => {
                check_not_blank("callback_id", &id)?;
                Ok(UserInput::CallbackId(id))
            }
        }
    }
}

impl From<&str> for Input {
    fn from(text: &str) -> Self {
        Input::text(text)
    }
}

impl From<&String> for Input {
    fn from(text: &String) -> Self {
        Input::text(text.as_str())
    }
}

impl From<String> for Input {
    fn from(text: String) -> Self {
        Input::text(text)
    }
}

impl From<&Input> for Input {
    fn from(input: &Input) -> Self {
        input.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(input: Input) -> Option<&'static str> {
        match input.into_request() {
            Err(error) => error.field(),
            _ => None,
        }
    }

    #[test]
    fn text_and_presses_become_the_request_input() {
        let body = |input: Input| serde_json::to_value(input.into_request().unwrap()).unwrap();
        assert_eq!(body("Hi".into()), serde_json::json!({"text": "Hi"}));
        assert_eq!(
            body(Input::callback("cb_1")),
            serde_json::json!({"callback_id": "cb_1"})
        );
        for blank in ["", " ", "\n\t"] {
            assert_eq!(refused(Input::text(blank)), Some("text"));
            assert_eq!(refused(Input::callback(blank)), Some("callback_id"));
        }
    }
}
