//! A whole conversation: ask the assistant, print the answer as it
//! streams in (or, with `--poll`, wait for it), with its citations, and
//! rate it.
//!
//! ```sh
//! cargo run -p moveworks-ext --example conversation -- "How do I reset my password?" \
//!     [--conversation ID] [--rate helpful|unhelpful|none] [--poll]
//! ```
//!
//! If the stream breaks off, the example does not ask again (that would
//! send the question twice): it waits for the response by polling
//! (`ConversationHandle::wait_for_streamed_response`).
//!
//! Configuration comes from the environment (`Client::from_env`):
//! `MOVEWORKS_ASSISTANT_NAME` plus `MOVEWORKS_API_TOKEN`, or
//! `MOVEWORKS_CLIENT_ID` and `MOVEWORKS_CLIENT_SECRET`. With no credentials
//! set, the example runs against an embedded mock of the whole API on
//! loopback. Its stream arrives in small chunks split mid-line, with a
//! keep-alive comment, and polling sees `IN_PROGRESS` a few times before
//! the answer is complete, so both are real.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use moveworks_ext::types::Response;
use moveworks_ext::{
    Client, ConversationHandle, Error, Feedback, MessageExt, NewConversation, Rating, ResponseExt,
    StreamEvent, env,
};
use moveworks_testkit::{MockApi, StreamFront, StreamPlan, mock_api::examples};

const USAGE: &str =
    "usage: conversation QUESTION [--conversation ID] [--rate helpful|unhelpful|none] [--poll]";

struct Args {
    question: String,
    conversation: Option<String>,
    rating: Option<Rating>,
    poll: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut question = None;
    let mut conversation = None;
    let mut rating = Some(Rating::Helpful);
    let mut poll = false;
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
            "--poll" => poll = true,
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
        poll,
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
    let mut front = None;
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
        // The stream arrives in 40-byte pieces, 20 ms apart.
        let plan = StreamPlan {
            body: examples::event_stream(),
            chunk: 40,
            pause: Duration::from_millis(20),
            authorization: "Bearer mock-token".to_owned(),
        };
        let streaming = match StreamFront::start(&api.base_url(), plan).await {
            Ok(streaming) => streaming,
            Err(error) => {
                eprintln!("could not start the mock: {error}");
                return ExitCode::FAILURE;
            }
        };
        let client = Client::builder()
            .base_url(streaming.base_url())
            .assistant_name("example-assistant")
            .bearer_token("mock-token")
            .build();
        mock = Some(api);
        front = Some(streaming);
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
    drop((front, mock));
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(id) = error.request_id() {
                eprintln!("request id (for Moveworks support): {id}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Failure when the assistant could not answer (the stream said so, and
/// no call failed).
async fn converse(client: &Client, args: Args) -> Result<ExitCode, Error> {
    let conversation = match args.conversation {
        Some(id) => client.continue_conversation(id)?,
        None => {
            let conversation = client.start_conversation(NewConversation::new()).await?;
            println!("conversation {}", conversation.id());
            conversation
        }
    };
    println!("> {}\n", args.question);
    let answer = if args.poll {
        let answer = conversation.ask(&args.question).await?;
        println!("{}\n", answer.text());
        answer
    } else {
        match stream_answer(&conversation, &args.question).await? {
            Some(answer) => answer,
            None => return Ok(ExitCode::FAILURE),
        }
    };
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
        return Ok(ExitCode::SUCCESS);
    };
    let messages = answer.messages();
    let Some(message) = messages.iter().rev().find(|m| m.is_rateable()) else {
        println!("the answer offers no rating");
        return Ok(ExitCode::SUCCESS);
    };
    let feedback = Feedback::for_message(message, rating)?;
    let submitted = conversation.submit_feedback(feedback).await?;
    println!(
        "rated message {} {rating:?}: {}",
        message.message_id, submitted.status
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints the answer as it arrives and returns the completed response, or
/// `None` if the assistant could not answer (said on stderr).
async fn stream_answer(
    conversation: &ConversationHandle,
    question: &str,
) -> Result<Option<Response>, Error> {
    let mut stream = conversation.create_response_stream(question).await?;
    let mut answer = None;
    while let Some(item) = stream.next_event().await {
        match item {
            Ok(event) => {
                print!("{}", stream.take_new_text());
                let _ = std::io::stdout().flush();
                match event {
                    StreamEvent::Completed(done) => answer = Some(done.response),
                    StreamEvent::Failed(failed) => {
                        let id = failed.response.response_id;
                        eprintln!("\nthe assistant could not answer: response {id} is FAILED");
                        return Ok(None);
                    }
                    _ => {}
                }
            }
            // Cut, stalled or an ERROR event. Asking again would send the
            // question twice; the response may still finish: wait for it.
            Err(error) => {
                eprintln!("\n(the stream broke off: {error}; waiting for the response instead)");
                let finished = conversation.wait_for_streamed_response(error).await?;
                println!("{}", finished.text());
                answer = Some(finished);
            }
        }
    }
    println!("\n");
    match answer {
        Some(answer) => Ok(Some(answer)),
        // Not reached: a stream ends with its final event or an error, both
        // handled above. `completed` would say the stream is incomplete.
        None => stream.completed().await.map(Some),
    }
}
