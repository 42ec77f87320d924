//! A whole conversation: ask the assistant, wait for the answer, print it
//! with its citations, and rate it.
//!
//! ```sh
//! cargo run -p moveworks-ext --example conversation -- "How do I reset my password?" \
//!     [--conversation ID] [--rate helpful|unhelpful|none]
//! ```
//!
//! Configuration comes from the environment (`Client::from_env`):
//! `MOVEWORKS_ASSISTANT_NAME` plus `MOVEWORKS_API_TOKEN`, or
//! `MOVEWORKS_CLIENT_ID` and `MOVEWORKS_CLIENT_SECRET`. With no credentials
//! set, the example runs against an embedded mock of the whole API on
//! loopback, which answers `IN_PROGRESS` a few times before the answer is
//! complete, so the wait is real.

use std::process::ExitCode;

use moveworks_ext::{Client, Error, MessageExt, Rating, ResponseExt, env};
use moveworks_testkit::MockApi;

const USAGE: &str =
    "usage: conversation QUESTION [--conversation ID] [--rate helpful|unhelpful|none]";

struct Args {
    question: String,
    conversation: Option<String>,
    rating: Option<Rating>,
}

fn parse_args() -> Result<Args, String> {
    let mut question = None;
    let mut conversation = None;
    let mut rating = Some(Rating::Helpful);
    let mut items = std::env::args().skip(1);
    while let Some(arg) = items.next() {
        let mut value = |flag: &str| {
            items
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--conversation" => conversation = Some(value("--conversation")?),
            "--rate" => {
                rating = match value("--rate")?.as_str() {
                    "helpful" => Some(Rating::Helpful),
                    "unhelpful" => Some(Rating::Unhelpful),
                    "none" => None,
                    other => {
                        return Err(format!(
                            "--rate takes helpful, unhelpful or none, not `{other}`\n{USAGE}"
                        ));
                    }
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown argument `{flag}`\n{USAGE}"));
            }
            text if question.is_none() => question = Some(text.to_owned()),
            _ => return Err(format!("only one question, please\n{USAGE}")),
        }
    }
    Ok(Args {
        question: question.ok_or_else(|| format!("a question is required\n{USAGE}"))?,
        conversation,
        rating,
    })
}

fn has_credentials() -> bool {
    [env::API_TOKEN, env::CLIENT_ID, env::CLIENT_SECRET]
        .iter()
        .any(|var| std::env::var_os(var).is_some())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    // Kept alive for the whole run.
    let mut mock = None;
    let client = if has_credentials() {
        Client::from_env()
    } else {
        let api = MockApi::start("mock-token", "example-assistant").await;
        println!(
            "No Moveworks credentials in the environment ({} or {} + {}): using an embedded mock of the API at {}\n",
            env::API_TOKEN,
            env::CLIENT_ID,
            env::CLIENT_SECRET,
            api.base_url()
        );
        let client = Client::builder()
            .base_url(api.base_url())
            .assistant_name("example-assistant")
            .bearer_token("mock-token")
            .build();
        mock = Some(api);
        client
    };
    let client = match client {
        Ok(client) => client,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = converse(&client, args).await;
    drop(mock);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(id) = error.request_id() {
                eprintln!("request id (for Moveworks support): {id}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn converse(client: &Client, args: Args) -> Result<(), Error> {
    let conversation_id = match args.conversation {
        Some(id) => id,
        None => {
            let conversation = client.create_conversation(None).await?;
            println!("conversation {}", conversation.conversation_id);
            conversation.conversation_id
        }
    };
    println!("> {}\n", args.question);
    let answer = client.ask(&conversation_id, &args.question).await?;
    println!("{}\n", answer.text());
    for (n, citation) in answer.citations().iter().enumerate() {
        let title = citation
            .display
            .as_ref()
            .and_then(|d| d.title.as_ref())
            .map(|t| moveworks_ext::ContentExt::text(t).to_owned())
            .unwrap_or_else(|| "source".to_owned());
        println!(
            "[{}] {title} {}",
            n + 1,
            citation.url.as_deref().unwrap_or_default()
        );
    }
    println!("\nresponse {}", answer.response_id);

    let Some(rating) = args.rating else {
        return Ok(());
    };
    let messages = answer.messages();
    let Some(message) = messages.iter().rev().find(|m| m.is_rateable()) else {
        println!("the answer offers no rating");
        return Ok(());
    };
    let submitted = client.rate_message(message, rating).await?;
    println!(
        "rated message {} {rating:?}: {}",
        message.message_id, submitted.status
    );
    Ok(())
}
