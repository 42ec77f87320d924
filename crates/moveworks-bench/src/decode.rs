//! `moveworks-bench decode [ITERATIONS]`: the cost of decoding one page of
//! list-conversation-messages: 50 messages, half the user's (plain text),
//! half the assistant's (Markdown with `<url|label>` links, a callback, a
//! modal and a URL action, three citations with their references, feedback
//! options), about 65 KB of JSON, into the generated
//! `ListConversationMessagesResponse`.
//!
//! Reported: CPU time per page over `ITERATIONS` decodes (default 2,000),
//! and, where valgrind is installed, instructions per page counted by
//! callgrind around [`counted_decode`] alone (`moveworks-bench
//! count-decode WARMUP ITERATIONS` in a child), the figure that holds
//! still from run to run. Only the generated types and serde_json are
//! involved: it measures what the generated unions cost.

use std::process::Command;
use std::time::Instant;

use moveworks_api::types::ListConversationMessagesResponse;
use serde_json::{Value, json};

/// Messages on the page.
pub const MESSAGES: usize = 50;

/// The page's JSON.
pub fn page() -> String {
    let messages: Vec<Value> = (0..MESSAGES)
        .map(|n| if n % 2 == 0 { assistant(n) } else { user(n) })
        .collect();
    json!({"messages": messages, "metadata": {"next_cursor": "cursor_page_2"}}).to_string()
}

fn user(n: usize) -> Value {
    json!({
        "message_id": format!("msg_user{n:04}abcdefghijklmno"),
        "conversation_id": "conv_32bt7BMLhLyVzTUjfi35N",
        "response_id": format!("resp_{n:04}abcdefghijklmnop"),
        "actor": "USER",
        "content": {"type": "PLAIN_TEXT", "plain_text": {"text": "My laptop does not start since this morning; can you file a ticket?"}},
        "created_at": "2026-09-24T22:28:30.167584Z"
    })
}

fn assistant(n: usize) -> Value {
    let citation = |k: usize, title: &str| {
        let url = format!("https://example.service-now.com/sp?id=sc_cat_item&sys_id=item_{n}_{k}");
        json!({
            "citation_id": format!("cite_{n:04}_{k}"),
            "url": url,
            "display": {
                "title": {"type": "MARKDOWN_TEXT", "markdown_text": {"text": format!("**<{url}|{title}>**")}},
                "body": {"type": "MARKDOWN_TEXT", "markdown_text": {"text": "Enroll in or modify your plan, or ask a question about it.\n"}}
            }
        })
    };
    json!({
        "message_id": format!("msg_asst{n:04}abcdefghijklmno"),
        "conversation_id": "conv_32bt7BMLhLyVzTUjfi35N",
        "response_id": format!("resp_{n:04}abcdefghijklmnop"),
        "actor": "ASSISTANT",
        "content": {"type": "MARKDOWN_TEXT", "markdown_text": {"text":
            "I understand you'd like to file a ticket for your laptop issue. Please review the provided \
             available option to proceed.\n\n**Issue description**: the laptop does not start. See \
             **<https://example.service-now.com/kb?id=KB0012|Laptop troubleshooting>** first."}},
        "actions": [
            {"type": "CALLBACK_ACTION", "label": "File ticket", "callback_action": {"callback_id": format!("callback_{n:04}_file")}},
            {"type": "MODAL_ACTION", "label": "Edit/Add details", "modal_action": {"modal_id": format!("modal_{n:04}_edit")}},
            {"type": "URL_ACTION", "label": "Other help options", "url_action": {"url": "https://app.moveworks.ai/?t=help"}}
        ],
        "citations": [citation(0, "Laptop troubleshooting"), citation(1, "File an IT ticket"), citation(2, "Hardware policy")],
        "content_references": [
            {"citation_id": format!("cite_{n:04}_0"), "offset": 180},
            {"citation_id": format!("cite_{n:04}_1"), "offset": 180},
            {"citation_id": format!("cite_{n:04}_2"), "offset": 212}
        ],
        "feedback": {
            "helpful": {"callback_id": format!("callback_{n:04}_helpful")},
            "unhelpful": {"callback_id": format!("callback_{n:04}_unhelpful")}
        },
        "created_at": "2026-09-24T22:28:38.167584Z"
    })
}

/// Decodes `page` `iterations` times; the messages decoded.
fn decode(page: &[u8], iterations: usize) -> Result<usize, String> {
    let mut decoded = 0;
    for _ in 0..iterations {
        let list: ListConversationMessagesResponse =
            serde_json::from_slice(std::hint::black_box(page)).map_err(|e| e.to_string())?;
        decoded += std::hint::black_box(list).messages.len();
    }
    Ok(decoded)
}

/// `moveworks-bench decode [ITERATIONS]`, and the `decode_page` part of
/// `moveworks-bench run`.
pub fn run(args: &[String]) -> Result<String, String> {
    let iterations = crate::count_arg(args, 0, 2_000, "ITERATIONS")?;
    Ok(report(iterations, 200, 1_000)?.to_string())
}

/// CPU time per page over `iterations` decodes; instructions per page over
/// `counted` decodes under callgrind when valgrind is installed.
pub fn report(iterations: usize, warmup: usize, counted: usize) -> Result<Value, String> {
    let page = page();
    let decoded = decode(page.as_bytes(), warmup)?;
    if decoded != warmup * MESSAGES {
        return Err(format!(
            "{decoded} messages decoded instead of {}",
            warmup * MESSAGES
        ));
    }
    let (cpu, wall) = (crate::measure::thread_cpu_time(), Instant::now());
    decode(page.as_bytes(), iterations)?;
    let (cpu, wall) = (
        crate::measure::thread_cpu_time().saturating_sub(cpu),
        wall.elapsed(),
    );
    let instructions = match crate::callgrind::valgrind_version() {
        Some(_) => json!(count_in_child(warmup, counted)?),
        None => Value::Null,
    };
    Ok(json!({
        "messages": MESSAGES,
        "bytes": page.len(),
        "iterations": iterations,
        "cpu_ns_per_page": cpu.as_secs_f64() * 1e9 / iterations as f64,
        "wall_ns_per_page": wall.as_secs_f64() * 1e9 / iterations as f64,
        "instructions_per_page": instructions,
    }))
}

/// Runs `moveworks-bench count-decode` under callgrind; instructions per
/// page decoded.
fn count_in_child(warmup: usize, counted: usize) -> Result<f64, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out_file = std::env::temp_dir().join(format!(
        "moveworks-bench-callgrind-{}-decode.out",
        std::process::id()
    ));
    let output = Command::new(crate::callgrind::valgrind())
        .arg("--tool=callgrind")
        .arg("--toggle-collect=*counted_decode*")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(&exe)
        .args(["count-decode", &warmup.to_string(), &counted.to_string()])
        .output()
        .map_err(|e| format!("cannot start valgrind: {e}"))?;
    let profile = std::fs::read_to_string(&out_file);
    let _ = std::fs::remove_file(&out_file);
    if !output.status.success() {
        return Err(format!(
            "counting the instructions of decoding failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let profile = profile.map_err(|e| format!("{}: {e}", out_file.display()))?;
    match crate::callgrind::total_instructions(&profile) {
        Some(0) | None => Err(format!(
            "callgrind counted nothing in {}: the toggle function was not found",
            out_file.display()
        )),
        Some(total) => Ok(total as f64 / counted as f64),
    }
}

/// In the child, under valgrind: warm up, then the counted decodes.
pub fn count_in_this_process(args: &[String]) -> Result<String, String> {
    let [warmup, counted] = args else {
        return Err("count-decode WARMUP ITERATIONS".to_owned());
    };
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    let (warmup, counted) = (number(warmup)?, number(counted)?);
    let page = page();
    decode(page.as_bytes(), warmup)?;
    counted_decode(page.as_bytes(), counted)?;
    Ok(format!("{counted} pages decoded"))
}

/// The decodes callgrind counts; not inlined, so that the toggle pattern
/// finds it.
#[inline(never)]
fn counted_decode(page: &[u8], iterations: usize) -> Result<usize, String> {
    decode(page, iterations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_decodes_whole() {
        let page = page();
        assert!(page.len() > 50_000, "{}", page.len());
        assert_eq!(decode(page.as_bytes(), 2).unwrap(), 2 * MESSAGES);
        let list: ListConversationMessagesResponse = serde_json::from_str(&page).unwrap();
        // Written back, nothing is lost: the actions and citations included.
        let written = serde_json::to_value(&list).unwrap();
        let original: Value = serde_json::from_str(&page).unwrap();
        assert_eq!(written["messages"], original["messages"]);
    }
}
