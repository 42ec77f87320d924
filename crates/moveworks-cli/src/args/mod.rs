//! The command line, as clap parses it.

mod command;
mod global;

pub use command::{ApiArgs, Command, ConversationsCommand, FeedbackArgs};
pub use global::{Global, seconds};

use clap::Parser;

use crate::exit_code;

/// The Moveworks Conversations API from a terminal.
#[derive(Debug, Parser)]
#[command(
    name = "moveworks",
    version,
    about,
    after_help = format!("{}\n\n{SETTINGS}", exit_code::HELP)
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// How settings are found, as `moveworks --help` shows it.
const SETTINGS: &str = "\
Settings: each comes from its flag, else its environment variable, else the
profile, else the default. Environment: MOVEWORKS_ASSISTANT_NAME,
MOVEWORKS_API_TOKEN or MOVEWORKS_CLIENT_ID + MOVEWORKS_CLIENT_SECRET or
MOVEWORKS_TOKEN_COMMAND, MOVEWORKS_BASE_URL or MOVEWORKS_HOST +
MOVEWORKS_BASE_PATH, MOVEWORKS_TOKEN_URL, MOVEWORKS_PROFILE. A base URL
and a host or base path are two ways to say where the API is: the higher
layer's replaces the other's. A profile is a table of the config file
(TOML) holding base_url or host and base_path, assistant_name, token_url,
client_id, and token_file or client_secret_file (paths, never a secret) or
token_command. Secrets are never taken from flag values, which other users
can see in the process list: use the environment, --token-file,
--client-secret-file or --token-command, whose program prints the token
and runs once per token lifetime (and again after a 401), with stdin
empty, stderr shown, and no shell. RUST_LOG (e.g.
`moveworks_ext=debug`) turns on logs on stderr; they never contain a
token.";
