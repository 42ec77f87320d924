//! `feedback`: rate a message, looking its callback id up.

use moveworks_ext::{Client, Feedback, MessageRef, Rating};

use crate::args::FeedbackArgs;
use crate::failure::Failure;
use crate::output::Output;

pub async fn run(client: &Client, out: &Output, args: FeedbackArgs) -> Result<(), Failure> {
    let target = MessageRef::new(&args.conversation, &args.response, &args.message);
    let mut feedback = match args.callback_id {
        // The callback id decides the rating; which one it is for is not
        // known here.
        Some(callback_id) => Feedback::with_callback_id(target, callback_id),
        None => {
            let rating = if args.helpful {
                Rating::Helpful
            } else {
                Rating::Unhelpful
            };
            let messages = client
                .list_response_messages(&args.conversation, &args.response)
                .all()
                .await?;
            // The lookup was sent: what follows is no usage error.
            let message = messages
                .iter()
                .find(|m| m.message_id == args.message)
                .ok_or_else(|| {
                    Failure::Other(format!(
                        "response {} has no message {}",
                        args.response, args.message
                    ))
                })?;
            Feedback::for_message(message, rating).map_err(|e| Failure::Other(e.to_string()))?
        }
    };
    if let Some(comment) = args.comment {
        feedback = feedback.comment(comment);
    }
    let rating = feedback.rating().map(name);
    let answer = client.submit_feedback(feedback).await?;
    let mut document = serde_json::to_value(&answer).map_err(|e| Failure::Other(e.to_string()))?;
    if let Some(fields) = document.as_object_mut() {
        fields.insert("message_id".into(), args.message.clone().into());
        fields.insert("rating".into(), rating.into());
    }
    out.one(&document, || match rating {
        Some(rating) => format!("rated message {} {rating}: {}", args.message, answer.status),
        None => format!(
            "rating sent for message {}: {}",
            args.message, answer.status
        ),
    })
}

fn name(rating: Rating) -> &'static str {
    match rating {
        Rating::Helpful => "helpful",
        Rating::Unhelpful => "unhelpful",
        _ => "rated",
    }
}
