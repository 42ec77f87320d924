//! `ask`: one question, from the command line or stdin (`ask -`).

use std::time::Duration;

use moveworks_ext::Client;

use super::answer::{self, Pressing};
use crate::failure::Failure;
use crate::output::Output;
use crate::stdin;

pub async fn run(
    client: &Client,
    out: &Output,
    question: String,
    conversation: Option<String>,
    no_stream: bool,
    deadline: Option<Duration>,
) -> Result<(), Failure> {
    let question = if question == "-" {
        String::from_utf8(stdin::read_all("ask -").await?)
            .map_err(|_| Failure::Usage("the question on stdin is not UTF-8".into()))?
    } else {
        question
    };
    let question = question.trim();
    // Before a conversation is created for it.
    moveworks_ext::input::check_text(question)?;
    let conversation = answer::conversation(client, conversation).await?;
    let answer = answer::get(&conversation, out, question.into(), !no_stream, deadline).await?;
    answer::print(out, &answer, Pressing::Command)
}
