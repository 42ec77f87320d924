//! `api`: any operation of the generated table, by its operationId, so an
//! operation a regeneration adds needs no new code here.

use moveworks_ext::Client;
use moveworks_ext::moveworks_api::{OPERATIONS, Operation};
use reqwest::header::CONTENT_TYPE;
use serde_json::json;

use super::api_request::OperationRequest;

use crate::args::ApiArgs;
use crate::failure::Failure;
use crate::output::Output;
use crate::stdin;

pub fn list(out: &Output) -> Result<(), Failure> {
    for operation in OPERATIONS {
        let parameters: Vec<String> = operation
            .parameters
            .iter()
            .map(|p| {
                if p.required {
                    p.name.to_owned()
                } else {
                    format!("[{}]", p.name)
                }
            })
            .collect();
        let document = json!({
            "operation_id": operation.id,
            "method": operation.method,
            "path": operation.path,
            "summary": operation.summary,
            "parameters": operation.parameters.iter().map(|p| json!({
                "name": p.name,
                "in": format!("{:?}", p.location).to_lowercase(),
                "required": p.required,
            })).collect::<Vec<_>>(),
            "body": operation.body,
        });
        out.one(&document, || {
            format!(
                "{:<28} {:<6} {:<70} {}{}",
                operation.id,
                operation.method,
                operation.path,
                operation.summary.unwrap_or_default(),
                if parameters.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", parameters.join(", "))
                }
            )
        })?;
    }
    Ok(())
}

fn operation(id: &str) -> Result<&'static Operation, Failure> {
    Operation::by_id(id)
        .or_else(|| Operation::by_name(id))
        .ok_or_else(|| Failure::Usage(format!("no operation `{id}` (see `moveworks api --list`)")))
}

async fn body(text: &str) -> Result<serde_json::Value, Failure> {
    let (source, raw) = match text {
        "-" => ("stdin", stdin::read_all("--body -").await?),
        _ if text.starts_with('@') => {
            let path = &text[1..];
            let raw = std::fs::read(path)
                .map_err(|e| Failure::Usage(format!("--body: cannot read {path}: {e}")))?;
            (path, raw)
        }
        _ => ("--body", text.as_bytes().to_vec()),
    };
    serde_json::from_slice(&raw)
        .map_err(|e| Failure::Usage(format!("--body: {source} is not JSON: {e}")))
}

pub async fn call(client: &Client, out: &Output, args: ApiArgs) -> Result<(), Failure> {
    let id = args.operation.unwrap_or_default();
    let operation = operation(&id)?;
    let params = args
        .params
        .iter()
        .map(|param| {
            param
                .split_once('=')
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .ok_or_else(|| Failure::Usage(format!("--param `{param}` is not NAME=VALUE")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let body = match &args.body {
        Some(text) => Some(body(text).await?),
        None => None,
    };
    let request = OperationRequest::new(client, operation, &params, body)?;
    let answer = request.send(client).await?;
    let content_type = answer
        .metadata
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = answer.into_value().into_inner();
    let idle = client.stream_idle_timeout();
    if !content_type.as_deref().is_some_and(is_json) {
        // A stream, text, anything: its bytes as they arrive. Decoding each
        // chunk on its own would break a character split between two.
        while let Some(chunk) = next_chunk(&mut body, idle).await? {
            out.bytes(&chunk)?;
        }
        return Ok(());
    }
    // A JSON answer was read whole, within the client's size limit.
    let mut bytes = Vec::new();
    while let Some(chunk) = next_chunk(&mut body, idle).await? {
        bytes.extend_from_slice(&chunk);
    }
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) if out.json => out.line(&value.to_string()),
        Ok(value) => out.line(&serde_json::to_string_pretty(&value).unwrap_or_default()),
        // Said to be JSON, but not: what came, untouched.
        Err(_) => out.bytes(&bytes),
    }
}

/// The next piece of a body, waiting at most `idle` for it (the stream idle
/// timeout), whatever HTTP client the SDK was given.
async fn next_chunk(
    body: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    idle: std::time::Duration,
) -> Result<Option<bytes::Bytes>, Failure> {
    match tokio::time::timeout(idle, futures_util::StreamExt::next(body)).await {
        Ok(Some(Ok(chunk))) => Ok(Some(chunk)),
        Ok(Some(Err(error))) => Err(Failure::Cut(format!(
            "the connection failed while the answer came: {}",
            error.without_url()
        ))),
        Ok(None) => Ok(None),
        Err(_) => Err(Failure::Deadline(format!(
            "no part of the answer came for {:.1}s",
            idle.as_secs_f64()
        ))),
    }
}

/// Whether a `Content-Type` is JSON: `application/json` or a `+json` type,
/// whatever its parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_content_types() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/problem+json",
        ] {
            assert!(super::is_json(json), "{json}");
        }
        for other in [
            "text/event-stream",
            "text/plain",
            "application/jsonl",
            "text/json+x",
        ] {
            assert!(!super::is_json(other), "{other}");
        }
    }
}
