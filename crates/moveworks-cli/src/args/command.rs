//! The subcommands and their arguments.

use std::time::Duration;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask the assistant one question and print the answer, its citations,
    /// its actions (numbered; a button's line says how to press it) and the
    /// ids that feedback needs.
    Ask {
        /// The question, or - to read it from stdin.
        question: String,
        /// Continue this conversation instead of starting one.
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
        /// Wait for the whole answer instead of streaming it as it forms.
        #[arg(long)]
        no_stream: bool,
    },
    /// Read questions line by line from stdin, all in one conversation.
    ///
    /// After each answer its actions are listed, numbered: `/N` on a line
    /// of its own presses button N. A failed answer is reported and the
    /// next question read; EOF
    /// (Ctrl-D) or Ctrl-C ends the session, with the conversation id to
    /// continue it. The exit code is that of the last failed answer, 0
    /// when every question was answered.
    Chat {
        /// Continue this conversation instead of starting one.
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
    },
    /// Press a button of an answer (a callback action) by its callback id,
    /// as `ask` lists it, and print the answer that follows.
    Press {
        /// The conversation of the answer.
        conversation: String,
        /// The button's callback id.
        callback_id: String,
        /// Wait for the whole answer instead of streaming it as it forms.
        #[arg(long)]
        no_stream: bool,
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
        #[arg(long, value_name = "EVENT_ID|TIME", conflicts_with = "follow")]
        until: Option<String>,
        /// At most this many events.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print new events as they come, until Ctrl-C (or --limit): from
        /// the newest event now, or after the event id --since names.
        #[arg(long)]
        follow: bool,
        /// With --follow, poll every this many seconds (at least 1; event
        /// polls share the rate limit of list reads) [default: 6].
        #[arg(long, value_name = "SECONDS", requires = "follow", value_parser = crate::args::seconds)]
        every: Option<Duration>,
    },
    /// Call any operation of the API by its operationId.
    ///
    /// A JSON answer is printed as JSON; any other body (a Server-Sent
    /// Events stream, text) is written as its bytes arrive, untouched.
    Api(ApiArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("rating")
        .required(true)
        .args(["helpful", "unhelpful", "callback_id"])
))]
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
    /// Send this callback id (from the message's feedback options) instead
    /// of looking one up; the rating is the one it stands for.
    #[arg(long, value_name = "ID")]
    pub callback_id: Option<String>,
    /// A comment (up to 1000 characters).
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
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
