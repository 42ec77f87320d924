//! `feedback`: rate a message, looking its callback id up.

use moveworks_ext::{Client, Feedback, MessageRef, Rating};

use crate::args::FeedbackArgs;
use crate::failure::Failure;
use crate::output::Output;

pub async fn run(client: &Client, out: &Output, args: FeedbackArgs) -> Result<(), Failure> {
    let rating = if args.helpful {
        Rating::Helpful
    } else {
        Rating::Unhelpful
    };
    let target = MessageRef::new(&args.conversation, &args.response, &args.message);
    let mut feedback = match args.callback_id {
        Some(callback_id) => Feedback::with_callback_id(target, callback_id),
        None => {
            let messages = client
                .list_response_messages(&args.conversation, &args.response)
                .all()
                .await?;
            let message = messages
                .iter()
                .find(|m| m.message_id == args.message)
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "response {} has no message {}",
                        args.response, args.message
                    ))
                })?;
            Feedback::for_message(message, rating)?
        }
    };
    if let Some(comment) = args.comment {
        feedback = feedback.comment(comment);
    }
    let answer = client.submit_feedback(feedback).await?;
    out.one(&answer, || {
        format!(
            "rated message {} {rating:?}: {}",
            args.message, answer.status
        )
    })
}
