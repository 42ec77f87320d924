//! `moveworks`: the Moveworks Conversations API from a terminal. See
//! `moveworks --help`.

mod args;
mod client;
mod commands;
mod exit_code;
mod failure;
mod interrupt;
mod output;
mod report;
mod settings;
mod spinner;
mod stdin;
mod terminal;
mod token_command;

use std::process::ExitCode;

use clap::Parser;

use crate::exit_code::Exit;
use crate::failure::Failure;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return exit(report::command_line(&error)),
    };
    let out = Output {
        json: cli.global.json,
        quiet: cli.global.quiet,
    };
    if let Err(failure) = logging() {
        return exit(report::failure(&failure, out.json));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return exit(report::failure(
                &Failure::Other(error.to_string()),
                out.json,
            ));
        }
    };
    let outcome = runtime.block_on(async {
        interrupt::listen().await;
        commands::run(cli, out).await
    });
    // A read of stdin may still wait for the user: do not wait for it.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => exit(Exit::Success),
        Err(failure) => exit(report::failure(&failure, out.json)),
    }
}

fn exit(exit: Exit) -> ExitCode {
    ExitCode::from(exit.code())
}

/// Logs on stderr when RUST_LOG asks for them (`target=level` pairs, as
/// tracing-subscriber's `Targets` reads them). The SDK never logs a token.
fn logging() -> Result<(), Failure> {
    let Ok(filter) = std::env::var("RUST_LOG") else {
        return Ok(());
    };
    let targets: tracing_subscriber::filter::Targets = filter
        .parse()
        .map_err(|e| Failure::Usage(format!("RUST_LOG `{filter}` is not a log filter: {e}")))?;
    use tracing_subscriber::prelude::*;
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(targets)
        .init();
    Ok(())
}
