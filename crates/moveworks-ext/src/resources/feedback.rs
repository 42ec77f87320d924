//! Rating assistant messages: the message to rate, the callback id picked
//! from its `feedback` object by rating, and a comment, all checked before
//! anything is sent.

use moveworks_api::types::{
    Message, MessageFeedback, SubmitFeedbackRequest, SubmitFeedbackResponse,
};

use crate::client::Client;
use crate::client::input::check_id;
use crate::error::Error;

/// The longest comment Moveworks accepts, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// A rating of an assistant message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rating {
    /// The answer helped.
    Helpful,
    /// The answer did not help.
    Unhelpful,
}

impl Rating {
    /// The callback id that submits this rating, if the message's
    /// feedback object offers it.
    pub fn callback_id(self, options: &MessageFeedback) -> Option<&str> {
        let option = match self {
            Rating::Helpful => options.helpful.as_ref(),
            Rating::Unhelpful => options.unhelpful.as_ref(),
        };
        option.map(|o| o.callback_id.as_str())
    }
}

/// Which message feedback is about: its conversation, response and
/// message ids, as one value so that they cannot be swapped.
///
/// ```
/// use moveworks_ext::MessageRef;
///
/// let message = MessageRef::new("conv_1", "resp_1", "msg_1");
/// assert_eq!(message.message_id(), "msg_1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageRef {
    conversation_id: String,
    response_id: String,
    message_id: String,
}

impl MessageRef {
    /// The message `message_id` of response `response_id` of conversation
    /// `conversation_id`, in the order of the API's path.
    pub fn new(
        conversation_id: impl Into<String>,
        response_id: impl Into<String>,
        message_id: impl Into<String>,
    ) -> Self {
        Self {
            conversation_id: conversation_id.into(),
            response_id: response_id.into(),
            message_id: message_id.into(),
        }
    }

    /// The conversation.
    pub fn conversation_id(&self) -> &str {
        &self.conversation_id
    }

    /// The response.
    pub fn response_id(&self) -> &str {
        &self.response_id
    }

    /// The message.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    fn check(&self) -> Result<(), Error> {
        check_id("conversation_id", &self.conversation_id)?;
        check_id("response_id", &self.response_id)?;
        check_id("message_id", &self.message_id)
    }
}

impl From<&Message> for MessageRef {
    fn from(message: &Message) -> Self {
        Self::new(
            &message.conversation_id,
            &message.response_id,
            &message.message_id,
        )
    }
}

/// Feedback to submit with [`Client::submit_feedback`]: the message, the
/// callback id of a rating, and an optional comment.
///
/// ```
/// use moveworks_ext::{Feedback, Rating};
/// use moveworks_ext::types::Message;
///
/// // An assistant message, as the API sends it, with its feedback options.
/// let message: Message = serde_json::from_value(serde_json::json!({
///     "message_id": "msg_1", "conversation_id": "conv_1", "response_id": "resp_1",
///     "actor": "ASSISTANT", "created_at": "2026-01-01T00:00:00Z",
///     "content": {"type": "PLAIN_TEXT", "plain_text": {"text": "Open the reset page."}},
///     "feedback": {"helpful": {"callback_id": "cb-up"}, "unhelpful": {"callback_id": "cb-down"}}
/// }))?;
/// let feedback = Feedback::for_message(&message, Rating::Unhelpful)?.comment("The link is dead.");
/// assert_eq!(feedback.rating(), Some(Rating::Unhelpful));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Feedback {
    message: MessageRef,
    callback_id: String,
    rating: Option<Rating>,
    comment: Option<String>,
}

impl Feedback {
    /// Rates `message`, with the callback id its feedback object offers
    /// for `rating`; an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the message cannot be
    /// rated that way (the user's own messages and messages that are not
    /// final carry no feedback object).
    pub fn for_message(message: &Message, rating: Rating) -> Result<Self, Error> {
        let Some(options) = &message.feedback else {
            let id = &message.message_id;
            let reason = format!(
                "message {id} offers no rating (only final assistant messages can be rated)"
            );
            return Err(Error::invalid_input("message", reason));
        };
        let callback_id = rating.callback_id(options).ok_or_else(|| {
            Error::invalid_input("rating", format!("the message offers no {rating:?} rating"))
        })?;
        Ok(Self {
            rating: Some(rating),
            ..Self::with_callback_id(message, callback_id)
        })
    }

    /// Feedback on `message` with a callback id taken from its `feedback`
    /// object earlier, passed back exactly as received. Which rating it
    /// stands for is then unknown here ([`Feedback::rating`] is `None`).
    pub fn with_callback_id(
        message: impl Into<MessageRef>,
        callback_id: impl Into<String>,
    ) -> Self {
        Self {
            message: message.into(),
            callback_id: callback_id.into(),
            rating: None,
            comment: None,
        }
    }

    /// A free-text comment, up to [`MAX_COMMENT_CHARS`] characters.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The message rated.
    pub fn message(&self) -> &MessageRef {
        &self.message
    }

    /// The rating the callback id stands for, when it was picked by rating.
    pub fn rating(&self) -> Option<Rating> {
        self.rating
    }

    fn into_request(self) -> Result<(MessageRef, SubmitFeedbackRequest), Error> {
        self.message.check()?;
        if self.callback_id.is_empty() {
            return Err(Error::invalid_input("callback_id", "it is empty"));
        }
        let chars = self
            .comment
            .as_deref()
            .map_or(0, |comment| comment.chars().count());
        if chars > MAX_COMMENT_CHARS {
            let reason =
                format!("it has {chars} characters; Moveworks accepts at most {MAX_COMMENT_CHARS}");
            return Err(Error::invalid_input("comment", reason));
        }
        let mut request = SubmitFeedbackRequest::new(self.callback_id);
        request.additional_feedback = self.comment;
        Ok((self.message, request))
    }
}

impl Client {
    /// Submits feedback on an assistant message (`submit-feedback`). Ids
    /// that would change the request path and over-long comments are
    /// refused before sending.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client, conversation_id: &str) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::{Feedback, Rating, ResponseExt};
    ///
    /// let answer = client.ask(conversation_id, "Where is the VPN guide?").await?;
    /// if let Some(message) = answer.messages().last() {
    ///     client.submit_feedback(Feedback::for_message(message, Rating::Helpful)?).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn submit_feedback(
        &self,
        feedback: Feedback,
    ) -> Result<SubmitFeedbackResponse, Error> {
        let (message, body) = feedback.into_request()?;
        self.call(|api| {
            api.submit_feedback(
                &message.conversation_id,
                &message.response_id,
                &message.message_id,
                &body,
            )
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(feedback: serde_json::Value) -> Message {
        serde_json::from_value(serde_json::json!({
            "message_id": "msg_1", "conversation_id": "conv_1", "response_id": "resp_1",
            "actor": "ASSISTANT", "created_at": "2026-01-01T00:00:00Z",
            "content": {"type": "PLAIN_TEXT", "plain_text": {"text": "hi"}},
            "feedback": feedback
        }))
        .unwrap()
    }

    fn refused_field<T: std::fmt::Debug>(result: Result<T, Error>) -> &'static str {
        match result {
            Err(error) => error.field().unwrap_or_default(),
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn picks_the_callback_id_of_the_rating_verbatim() {
        let rated = message(serde_json::json!(
            {"helpful": {"callback_id": " eyJ+/= "}, "unhelpful": {"callback_id": "down"}}
        ));
        let (target, request) = Feedback::for_message(&rated, Rating::Helpful)
            .unwrap()
            .into_request()
            .unwrap();
        assert_eq!(request.callback_id, " eyJ+/= ");
        assert_eq!(target, MessageRef::new("conv_1", "resp_1", "msg_1"));
        let unhelpful = Feedback::for_message(&rated, Rating::Unhelpful).unwrap();
        assert_eq!(unhelpful.callback_id, "down");
        assert_eq!(unhelpful.rating(), Some(Rating::Unhelpful));
        let only_helpful = message(serde_json::json!({"helpful": {"callback_id": "up"}}));
        assert_eq!(
            refused_field(Feedback::for_message(&only_helpful, Rating::Unhelpful)),
            "rating"
        );
    }

    #[test]
    fn a_message_without_feedback_cannot_be_rated() {
        let error =
            Feedback::for_message(&message(serde_json::Value::Null), Rating::Helpful).unwrap_err();
        assert!(error.to_string().contains("msg_1"), "{error}");
        assert_eq!(refused_field::<()>(Err(error)), "message");
    }

    #[test]
    fn a_callback_id_alone_says_no_rating() {
        let feedback = Feedback::with_callback_id(MessageRef::new("c", "r", "m"), "cb");
        assert_eq!(feedback.rating(), None);
        assert_eq!(feedback.message().response_id(), "r");
    }

    #[test]
    fn ids_and_callback_ids_are_checked() {
        for (target, callback, field) in [
            (MessageRef::new("", "r", "m"), "cb", "conversation_id"),
            (MessageRef::new("c", "..", "m"), "cb", "response_id"),
            (MessageRef::new("c", "r", "a/b"), "cb", "message_id"),
            (MessageRef::new("c", "r", "m"), "", "callback_id"),
        ] {
            let request = Feedback::with_callback_id(target, callback).into_request();
            assert_eq!(refused_field(request), field);
        }
    }

    #[test]
    fn comments_are_limited_in_characters_not_bytes() {
        let target = || MessageRef::new("c", "r", "m");
        let at_limit = "é".repeat(MAX_COMMENT_CHARS);
        assert!(
            Feedback::with_callback_id(target(), "cb")
                .comment(at_limit)
                .into_request()
                .is_ok()
        );
        let over = "a".repeat(MAX_COMMENT_CHARS + 1);
        let err = Feedback::with_callback_id(target(), "cb")
            .comment(over)
            .into_request()
            .unwrap_err();
        assert!(err.to_string().contains("1001 characters"));
        assert_eq!(refused_field::<()>(Err(err)), "comment");
    }
}
