//! `press`: a button of an earlier answer, by its callback id.

use std::time::Duration;

use moveworks_ext::{Client, Input};

use super::answer::{self, Pressing};
use crate::failure::Failure;
use crate::output::Output;

pub async fn run(
    client: &Client,
    out: &Output,
    conversation: &str,
    callback_id: String,
    no_stream: bool,
    deadline: Option<Duration>,
) -> Result<(), Failure> {
    let conversation = client.continue_conversation(conversation)?;
    let press = Input::callback(callback_id);
    let answer = answer::get(&conversation, out, press, !no_stream, deadline).await?;
    answer::print(out, &answer, Pressing::Command)
}
