//! One module per command.

mod api;
mod ask;
mod conversations;
mod events;
mod feedback;
mod messages;

use clap::CommandFactory;
use futures_util::{Stream, TryStreamExt};
use moveworks_ext::Error;

use crate::args::{Cli, Command, Shell};
use crate::config;
use crate::failure::Failure;
use crate::output::Output;

pub async fn run(cli: Cli) -> Result<(), Failure> {
    let out = Output {
        json: cli.global.json,
    };
    if let Command::Completions { shell } = cli.command {
        let shell = match shell {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
        };
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "moveworks",
            &mut std::io::stdout(),
        );
        return Ok(());
    }
    if let Command::Api(args) = &cli.command
        && args.list
    {
        return api::list(&out);
    }
    let client = config::client(&cli.global)?;
    match cli.command {
        Command::Ask {
            question,
            conversation,
            no_stream,
        } => ask::ask(&client, &out, &question, conversation, no_stream).await,
        Command::Chat { conversation } => ask::chat(&client, &out, conversation).await,
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
        } => events::run(&client, &out, conversation, since, until, limit).await,
        Command::Api(args) => api::call(&client, &out, args).await,
        Command::Completions { .. } => Ok(()),
    }
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
