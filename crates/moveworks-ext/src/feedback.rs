//! Rating assistant messages: pick the callback id from the message's
//! generated `feedback` object by rating, check ids and the comment before
//! anything is sent.

use moveworks_api::types::{
    Message, MessageFeedback, SubmitFeedbackRequest, SubmitFeedbackResponse,
};

use crate::client::Client;
use crate::error::Error;
use crate::ids::check_id;

/// The longest comment Moveworks accepts, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// A rating of an assistant message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Feedback to submit: a rating's callback id and an optional comment.
///
/// ```
/// use moveworks_ext::{Feedback, Rating};
/// use moveworks_ext::types::MessageFeedback;
///
/// // The `feedback` object of an assistant message, as the API sends it.
/// let options: MessageFeedback = serde_json::from_str(
///     r#"{"helpful": {"callback_id": "cb-up"}, "unhelpful": {"callback_id": "cb-down"}}"#,
/// )?;
/// let feedback = Feedback::rate(&options, Rating::Unhelpful)?.comment("The link is dead.");
/// # let _ = feedback;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Feedback {
    callback_id: String,
    comment: Option<String>,
}

impl Feedback {
    /// Feedback with a callback id taken from a message's `feedback`
    /// object, passed back exactly as received.
    pub fn with_callback_id(callback_id: impl Into<String>) -> Self {
        Self {
            callback_id: callback_id.into(),
            comment: None,
        }
    }

    /// The callback id of `rating` from a message's feedback object; an
    /// [`Error::InvalidInput`] when the message does not offer that rating.
    pub fn rate(options: &MessageFeedback, rating: Rating) -> Result<Self, Error> {
        rating
            .callback_id(options)
            .map(Self::with_callback_id)
            .ok_or_else(|| {
                Error::invalid_input("rating", format!("the message offers no {rating:?} rating"))
            })
    }

    /// Rates `message`; an [`Error::InvalidInput`] when the message cannot
    /// be rated (the user's own messages and messages that are not final
    /// carry no feedback object).
    pub fn for_message(message: &Message, rating: Rating) -> Result<Self, Error> {
        let options = message.feedback.as_ref().ok_or_else(|| {
            Error::invalid_input(
                "message",
                format!(
                    "message {} offers no rating (only final assistant messages can be rated)",
                    message.message_id
                ),
            )
        })?;
        Self::rate(options, rating)
    }

    /// A free-text comment, up to [`MAX_COMMENT_CHARS`] characters.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    fn into_request(self) -> Result<SubmitFeedbackRequest, Error> {
        if self.callback_id.is_empty() {
            return Err(Error::invalid_input("callback_id", "it is empty"));
        }
        if let Some(comment) = &self.comment {
            let chars = comment.chars().count();
            if chars > MAX_COMMENT_CHARS {
                return Err(Error::invalid_input(
                    "comment",
                    format!(
                        "it has {chars} characters; Moveworks accepts at most {MAX_COMMENT_CHARS}"
                    ),
                ));
            }
        }
        let mut request = SubmitFeedbackRequest::new(self.callback_id);
        request.additional_feedback = self.comment;
        Ok(request)
    }
}

impl Client {
    /// Submits feedback on an assistant message. Ids that would change the
    /// request path and over-long comments are refused before sending.
    pub async fn submit_feedback(
        &self,
        conversation_id: &str,
        response_id: &str,
        message_id: &str,
        feedback: Feedback,
    ) -> Result<SubmitFeedbackResponse, Error> {
        check_id("conversation_id", conversation_id)?;
        check_id("response_id", response_id)?;
        check_id("message_id", message_id)?;
        let body = feedback.into_request()?;
        self.call(|api| api.submit_feedback(conversation_id, response_id, message_id, &body))
            .await
    }

    /// Rates a message helpful or unhelpful.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client, conversation_id: &str) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::{Rating, ResponseExt};
    ///
    /// let answer = client.ask(conversation_id, "Where is the VPN guide?").await?;
    /// if let Some(message) = answer.messages().last() {
    ///     client.rate_message(message, Rating::Helpful).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn rate_message(
        &self,
        message: &Message,
        rating: Rating,
    ) -> Result<SubmitFeedbackResponse, Error> {
        let feedback = Feedback::for_message(message, rating)?;
        self.submit_message_feedback(message, feedback).await
    }

    /// Submits feedback (a rating with a comment, say) on a message.
    pub async fn submit_message_feedback(
        &self,
        message: &Message,
        feedback: Feedback,
    ) -> Result<SubmitFeedbackResponse, Error> {
        self.submit_feedback(
            &message.conversation_id,
            &message.response_id,
            &message.message_id,
            feedback,
        )
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

    #[test]
    fn picks_the_callback_id_of_the_rating_verbatim() {
        let rated = message(serde_json::json!(
            {"helpful": {"callback_id": " eyJ+/= "}, "unhelpful": {"callback_id": "down"}}
        ));
        let request = Feedback::for_message(&rated, Rating::Helpful)
            .unwrap()
            .into_request()
            .unwrap();
        assert_eq!(request.callback_id, " eyJ+/= ");
        assert_eq!(
            Feedback::for_message(&rated, Rating::Unhelpful)
                .unwrap()
                .callback_id,
            "down"
        );
        let only_helpful = message(serde_json::json!({"helpful": {"callback_id": "up"}}));
        assert!(matches!(
            Feedback::for_message(&only_helpful, Rating::Unhelpful),
            Err(Error::InvalidInput {
                field: "rating",
                ..
            })
        ));
    }

    #[test]
    fn a_message_without_feedback_cannot_be_rated() {
        let error =
            Feedback::for_message(&message(serde_json::Value::Null), Rating::Helpful).unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidInput {
                field: "message",
                ..
            }
        ));
        assert!(error.to_string().contains("msg_1"), "{error}");
    }

    #[test]
    fn comments_are_limited_in_characters_not_bytes() {
        let at_limit = "é".repeat(MAX_COMMENT_CHARS);
        assert!(
            Feedback::with_callback_id("cb")
                .comment(at_limit)
                .into_request()
                .is_ok()
        );
        let over = "a".repeat(MAX_COMMENT_CHARS + 1);
        let err = Feedback::with_callback_id("cb")
            .comment(over)
            .into_request()
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "comment",
                ..
            }
        ));
        assert!(err.to_string().contains("1001 characters"));
    }
}
