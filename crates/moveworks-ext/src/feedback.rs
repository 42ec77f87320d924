//! Submitting feedback on an assistant message, the seed endpoint made
//! pleasant: pick the callback id from the message's `feedback` object by
//! rating, check ids and the comment before anything is sent.

use serde::{Deserialize, Serialize};

use moveworks_api::types::{SubmitFeedbackRequest, SubmitFeedbackResponse};

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

/// The `feedback` object of an assistant message: which ratings it
/// accepts, each with the opaque callback id that submits it.
///
/// ```
/// use moveworks_ext::{FeedbackOptions, Rating};
///
/// let options: FeedbackOptions = serde_json::from_str(
///     r#"{"helpful": {"callback_id": "cb-up"}, "unhelpful": {"callback_id": "cb-down"}}"#,
/// )?;
/// assert_eq!(options.callback_id(Rating::Unhelpful), Some("cb-down"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackOptions {
    /// The positive rating, if offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helpful: Option<FeedbackOption>,
    /// The negative rating, if offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhelpful: Option<FeedbackOption>,
}

/// One rating a message offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackOption {
    /// Opaque token that submits this rating; passed back exactly as received.
    pub callback_id: String,
}

impl FeedbackOptions {
    /// The callback id that submits `rating`, if the message offers it.
    pub fn callback_id(&self, rating: Rating) -> Option<&str> {
        let option = match rating {
            Rating::Helpful => self.helpful.as_ref(),
            Rating::Unhelpful => self.unhelpful.as_ref(),
        };
        option.map(|o| o.callback_id.as_str())
    }
}

/// Feedback to submit: a rating's callback id and an optional comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    callback_id: String,
    comment: Option<String>,
}

impl Feedback {
    /// Feedback for a callback id taken from a message's `feedback` object,
    /// sent exactly as given.
    pub fn with_callback_id(callback_id: impl Into<String>) -> Self {
        Self {
            callback_id: callback_id.into(),
            comment: None,
        }
    }

    /// Feedback rating a message `rating`, with the callback id the message
    /// offers for it. An error if the message does not offer that rating.
    pub fn rate(options: &FeedbackOptions, rating: Rating) -> Result<Self, Error> {
        options
            .callback_id(rating)
            .map(Self::with_callback_id)
            .ok_or_else(|| {
                Error::invalid_input("rating", format!("the message offers no {rating:?} rating"))
            })
    }

    /// Adds a free-text comment (at most [`MAX_COMMENT_CHARS`] characters).
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Checks the feedback and makes the request body.
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
        Ok(SubmitFeedbackRequest {
            callback_id: self.callback_id,
            additional_feedback: self.comment,
        })
    }
}

impl Client {
    /// Submits feedback on an assistant message.
    ///
    /// The ids and the feedback are checked first: an empty id, `.`, `..`,
    /// an id with `/`, or a comment over 1000 characters is an
    /// [`Error::InvalidInput`] and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client, options: moveworks_ext::FeedbackOptions)
    /// # -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::{Feedback, Rating};
    ///
    /// let feedback = Feedback::rate(&options, Rating::Helpful)?.comment("Exactly what I needed.");
    /// client.submit_feedback("conv_1", "resp_1", "msg_1", feedback).await?;
    /// # Ok(())
    /// # }
    /// ```
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_callback_id_of_the_rating_verbatim() {
        let options: FeedbackOptions = serde_json::from_str(
            r#"{"helpful": {"callback_id": " eyJ+/= "}, "unhelpful": {"callback_id": "down"}}"#,
        )
        .unwrap();
        let request = Feedback::rate(&options, Rating::Helpful)
            .unwrap()
            .into_request()
            .unwrap();
        assert_eq!(request.callback_id, " eyJ+/= ");
        assert_eq!(
            Feedback::rate(&options, Rating::Unhelpful)
                .unwrap()
                .callback_id,
            "down"
        );
        let only_helpful = FeedbackOptions {
            unhelpful: None,
            ..options
        };
        assert!(matches!(
            Feedback::rate(&only_helpful, Rating::Unhelpful),
            Err(Error::InvalidInput {
                field: "rating",
                ..
            })
        ));
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
