//! `moveworks`: the Moveworks Conversations API from a terminal. See
//! `moveworks --help`.

mod args;
mod commands;
mod config;
mod failure;
mod output;
mod spinner;

use std::process::ExitCode;

use clap::Parser;

use crate::failure::Failure;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with success; usage errors are
            // clap's message (naming the flag) with exit code 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                failure::USAGE
            } else {
                0
            });
        }
    };
    if let Err(failure) = logging() {
        return failure.report();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Failure::Other(error.to_string()).report(),
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
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
