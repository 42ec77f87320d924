//! The command line, as clap parses it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  any other failure (an answer that could not be read, for instance)
  2  usage or configuration error (a bad flag, a missing setting); nothing was sent
  3  the API answered with an error (status, code and request id on stderr),
     or the assistant could not answer (the response FAILED)
  4  transport error: the API could not be reached, a timeout, a cut connection

Configuration comes from the environment: MOVEWORKS_ASSISTANT_NAME, and
MOVEWORKS_API_TOKEN or MOVEWORKS_CLIENT_ID + MOVEWORKS_CLIENT_SECRET
(MOVEWORKS_BASE_URL and MOVEWORKS_TOKEN_URL optional). Secrets are never
taken from flag values, which other users can see in the process list: use
the environment or --token-file. RUST_LOG (e.g. `moveworks_ext=debug`)
turns on logs on stderr; they never contain a token.";

/// The Moveworks Conversations API from a terminal.
#[derive(Debug, Parser)]
#[command(name = "moveworks", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Settings every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The API base URL (default: MOVEWORKS_BASE_URL, else the US server).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The assistant name sent as Assistant-Name (default: MOVEWORKS_ASSISTANT_NAME).
    #[arg(long, global = true, value_name = "NAME")]
    pub assistant_name: Option<String>,
    /// Read the bearer token from this file instead of MOVEWORKS_API_TOKEN.
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Machine-readable output: one JSON document, or one per line for lists.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask the assistant one question and print the answer, its citations
    /// and the ids that feedback needs.
    Ask {
        /// The question.
        question: String,
        /// Continue this conversation instead of starting one.
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
        /// Wait for the whole answer instead of streaming it as it forms.
        #[arg(long)]
        no_stream: bool,
    },
    /// Read questions line by line from stdin, all in one conversation.
    Chat {
        /// Continue this conversation instead of starting one.
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
    },
    /// Rate an assistant message; the callback id is looked up for you.
    Feedback(FeedbackArgs),
    /// Conversations: list, get, create, update, archive.
    #[command(subcommand)]
    Conversations(ConversationsCommand),
    /// A conversation's messages, or one response's.
    Messages {
        /// The conversation.
        conversation: String,
        /// Only the messages of this response.
        #[arg(long, value_name = "ID")]
        response: Option<String>,
        /// At most this many messages.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Events (async responses, notifications), in one conversation or all.
    Events {
        /// One conversation (default: all).
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
        /// After this event id (exclusive), or from this RFC 3339 time.
        #[arg(long, value_name = "EVENT_ID|TIME")]
        since: Option<String>,
        /// Up to this event id (inclusive), or up to this RFC 3339 time.
        #[arg(long, value_name = "EVENT_ID|TIME")]
        until: Option<String>,
        /// At most this many events.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Call any operation of the API by its operationId.
    Api(ApiArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: Shell,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("rating").required(true).args(["helpful", "unhelpful"])))]
pub struct FeedbackArgs {
    /// The conversation.
    pub conversation: String,
    /// The response.
    pub response: String,
    /// The assistant message to rate.
    pub message: String,
    /// The answer helped.
    #[arg(long)]
    pub helpful: bool,
    /// The answer did not help.
    #[arg(long)]
    pub unhelpful: bool,
    /// A comment (up to 1000 characters).
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// Use this callback id instead of looking it up.
    #[arg(long, value_name = "ID")]
    pub callback_id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConversationsCommand {
    /// List conversations, most recently updated first.
    List {
        /// Archived conversations instead.
        #[arg(long)]
        archived: bool,
        /// At most this many conversations.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// One conversation.
    Get {
        /// The conversation.
        id: String,
    },
    /// Start a conversation.
    Create {
        /// Its title (default: the assistant names it).
        #[arg(long)]
        title: Option<String>,
    },
    /// Rename, archive or restore a conversation.
    Update {
        /// The conversation.
        id: String,
        /// A new title.
        #[arg(long)]
        title: Option<String>,
        /// Archive (true) or restore (false).
        #[arg(long, value_name = "BOOL")]
        archived: Option<bool>,
    },
    /// Archive a conversation.
    Archive {
        /// The conversation.
        id: String,
    },
}

#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct ApiArgs {
    /// The operationId, e.g. get-conversation (see --list).
    #[arg(required_unless_present = "list")]
    pub operation: Option<String>,
    /// A parameter, as NAME=VALUE (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// The JSON body: inline, @FILE, or - for stdin.
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub body: Option<String>,
    /// List the operations instead.
    #[arg(long, conflicts_with_all = ["operation", "params", "body"])]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}
