//! One module per command.

mod answer;
mod api;
mod api_request;
mod ask;
mod chat;
mod conversations;
mod events;
mod feedback;
mod messages;
mod press;

use clap::CommandFactory;
use futures_util::{Stream, TryStreamExt};
use moveworks_ext::Error;

use crate::args::{Cli, Command};
use crate::client;
use crate::failure::Failure;
use crate::interrupt;
use crate::output::Output;

pub async fn run(cli: Cli, out: Output) -> Result<(), Failure> {
    match &cli.command {
        Command::Completions { shell } => return completions(&out, *shell),
        Command::Api(args) if args.list => return api::list(&out),
        // It ends on Ctrl-C itself, with the conversation id.
        Command::Chat { .. } => return dispatch(cli, out).await,
        _ => {}
    }
    tokio::select! {
        outcome = dispatch(cli, out) => outcome,
        // Dropping the command clears its spinner.
        () = interrupt::pressed() => Err(Failure::Interrupted),
    }
}

async fn dispatch(cli: Cli, out: Output) -> Result<(), Failure> {
    let client = client::client(&cli.global).await?;
    let deadline = cli.global.timeout;
    match cli.command {
        Command::Ask {
            question,
            conversation,
            no_stream,
        } => ask::run(&client, &out, question, conversation, no_stream, deadline).await,
        Command::Chat { conversation } => chat::run(&client, &out, conversation, deadline).await,
        Command::Press {
            conversation,
            callback_id,
            no_stream,
        } => {
            press::run(
                &client,
                &out,
                &conversation,
                callback_id,
                no_stream,
                deadline,
            )
            .await
        }
        Command::Feedback(args) => feedback::run(&client, &out, args).await,
        Command::Conversations(command) => conversations::run(&client, &out, command).await,
        Command::Messages {
            conversation,
            response,
            limit,
        } => messages::run(&client, &out, &conversation, response, limit).await,
        Command::Events {
            conversation,
            since,
            until,
            limit,
            follow,
            every,
        } => {
            let query = events::Query {
                conversation,
                since,
                until,
                limit,
            };
            if follow {
                events::follow(&client, &out, query, every).await
            } else {
                events::run(&client, &out, query).await
            }
        }
        Command::Api(args) => api::call(&client, &out, args).await,
        Command::Completions { .. } => Ok(()),
    }
}

/// The script, written whole: clap_complete panics on a failed write, so
/// it writes to memory first and a closed stdout is handled like any.
fn completions(out: &Output, shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "moveworks", &mut script);
    out.bytes(&script)
}

/// Prints the items of `stream`, at most `limit`, pulling no more pages
/// than that needs.
async fn print_items<T, S>(
    out: &Output,
    stream: S,
    limit: Option<usize>,
    human: impl Fn(&T) -> String,
) -> Result<(), Failure>
where
    T: serde::Serialize,
    S: Stream<Item = Result<T, Error>> + Unpin,
{
    let mut stream = stream;
    let mut printed = 0;
    while limit.is_none_or(|limit| printed < limit) {
        let Some(item) = stream.try_next().await? else {
            break;
        };
        out.one(&item, || human(&item))?;
        printed += 1;
    }
    Ok(())
}

/// The page size that serves `limit` items in as few requests as possible.
fn page_size(limit: Option<usize>) -> u32 {
    limit.map_or(100, |limit| limit.clamp(1, 100) as u32)
}
