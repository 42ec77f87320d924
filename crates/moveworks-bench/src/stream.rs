//! `moveworks-bench stream [EVENTS] [ROUNDS]`: response streaming.
//!
//! - Throughput: events per second through moveworks-ext's
//!   `ResponseStream` against raw reqwest with the same SSE parser
//!   (sse-stream) and the same decoding (each event's data into the
//!   generated struct its name calls for), on an `EVENTS`-event stream
//!   (default 10,000) served on loopback. The two take turns for `ROUNDS`
//!   rounds (default 15); the medians are reported. Everything (server
//!   included) runs on one thread, so that besides wall-clock rates the
//!   process's CPU time gives events per CPU-second (all rounds together:
//!   the kernel counts CPU time in 10 ms ticks), which a busy machine
//!   disturbs far less.
//! - Memory: resident memory, sampled while a slow consumer reads a
//!   200,000-event stream (about 80 MB) through moveworks-ext. Nothing reads
//!   ahead of the consumer, so it should stay flat.
//!
//! The server writes events as it goes (100 per HTTP chunk), so it holds no
//! body in memory either.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::{Duration, Instant};

use moveworks_api::types::{ResponseCompletedData, ResponseCreatedData, ResponseOutputDeltaData};
use moveworks_ext::{Client, RetryPolicy};
use moveworks_testkit::{resources, sse};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde_json::{Value, json};
use sse_stream::SseByteStream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const EVENTS_PER_CHUNK: usize = 100;
const SLOW_EVENTS: usize = 200_000;

pub fn run(args: &[String]) -> Result<String, String> {
    let events = crate::count_arg(args, 0, 10_000, "EVENTS")?;
    let rounds = crate::count_arg(args, 1, 15, "ROUNDS")?;
    let runtime = crate::current_thread_runtime()?;
    runtime.block_on(async move {
        let base_url = serve().await?;
        let client = Client::builder()
            .base_url(&base_url)
            .assistant_name("bench")
            .bearer_token("bench-token")
            .retry_policy(RetryPolicy::none())
            .build()
            .map_err(|e| e.to_string())?;
        let raw = reqwest::Client::new();

        // Memory first, before the throughput runs raise the high-water mark.
        let memory = slow_consumer(&client).await?;

        let (mut ext_runs, mut raw_runs) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            for turn in 0..2 {
                let ext_turn = (round + turn) % 2 == 0;
                let wall = Instant::now();
                let cpu = resources::cpu_time().unwrap_or_default();
                if ext_turn {
                    through_ext(&client, events).await?;
                } else {
                    through_raw(&raw, &base_url, events).await?;
                }
                let cpu = resources::cpu_time().unwrap_or_default().saturating_sub(cpu);
                let rates = (
                    events as f64 / wall.elapsed().as_secs_f64(),
                    cpu.as_secs_f64(),
                );
                if ext_turn {
                    ext_runs.push(rates);
                } else {
                    raw_runs.push(rates);
                }
            }
        }
        let wall = |runs: &[(f64, f64)]| median(runs.iter().map(|r| r.0).collect()).round();
        let cpu = |runs: &[(f64, f64)]| {
            (runs.len() as f64 * events as f64 / runs.iter().map(|r| r.1).sum::<f64>()).round()
        };
        let ratio = |ext: f64, raw: f64| (ext / raw * 1000.0).round() / 1000.0;
        Ok(json!({
            "events": events,
            "rounds": rounds,
            "events_per_second": {"moveworks_ext": wall(&ext_runs), "raw_reqwest_sse_stream": wall(&raw_runs)},
            "events_per_cpu_second": {"moveworks_ext": cpu(&ext_runs), "raw_reqwest_sse_stream": cpu(&raw_runs)},
            "ratio_wall": ratio(wall(&ext_runs), wall(&raw_runs)),
            "ratio_cpu": ratio(cpu(&ext_runs), cpu(&raw_runs)),
            "slow_consumer": memory,
        })
        .to_string())
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The path carries the event count: `/conversations/n<EVENTS>/responses/stream`.
fn conversation(events: usize) -> String {
    format!("n{events}")
}

async fn through_ext(client: &Client, events: usize) -> Result<(), String> {
    let mut stream = client
        .create_response_stream(&conversation(events), "bench")
        .await
        .map_err(|e| e.to_string())?;
    let mut seen = 0;
    while let Some(event) = stream.next_event().await {
        event.map_err(|e| e.to_string())?;
        seen += 1;
    }
    check(seen, events)
}

async fn through_raw(http: &reqwest::Client, base_url: &str, events: usize) -> Result<(), String> {
    let response = http
        .post(format!(
            "{base_url}/conversations/{}/responses/stream",
            conversation(events)
        ))
        .header(ACCEPT, "text/event-stream")
        .header(AUTHORIZATION, "Bearer bench-token")
        .header("assistant-name", "bench")
        .json(&json!({"input": {"text": "bench"}}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let mut parser = SseByteStream::new(response.bytes_stream());
    let mut seen = 0;
    while let Some(block) =
        poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut parser), cx)).await
    {
        let block = block.map_err(|e| e.to_string())?;
        let data = block.data.unwrap_or_default();
        let decoded = match block.event.as_deref() {
            Some("RESPONSE_CREATED") => {
                serde_json::from_str::<ResponseCreatedData>(&data).map(drop)
            }
            Some("RESPONSE_OUTPUT_DELTA") => {
                serde_json::from_str::<ResponseOutputDeltaData>(&data).map(drop)
            }
            Some("RESPONSE_COMPLETED") => {
                serde_json::from_str::<ResponseCompletedData>(&data).map(drop)
            }
            _ => Ok(()),
        };
        decoded.map_err(|e| e.to_string())?;
        seen += 1;
    }
    check(seen, events)
}

fn check(seen: usize, events: usize) -> Result<(), String> {
    if seen == events {
        Ok(())
    } else {
        Err(format!("read {seen} events of {events}"))
    }
}

/// Reads a long stream, pausing 1 ms every 200 events, and samples the
/// resident memory every 10,000 events.
async fn slow_consumer(client: &Client) -> Result<Value, String> {
    let mut stream = client
        .create_response_stream(&conversation(SLOW_EVENTS), "bench")
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut seen = 0;
    while let Some(event) = stream.next_event().await {
        event.map_err(|e| e.to_string())?;
        seen += 1;
        if seen % 200 == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        if seen % 10_000 == 0 {
            samples.push(resources::resident_bytes().unwrap_or(0));
        }
    }
    check(seen, SLOW_EVENTS)?;
    let mib = |bytes: u64| (bytes as f64 / 1048576.0 * 10.0).round() / 10.0;
    let after_warmup = &samples[1.min(samples.len())..];
    Ok(json!({
        "events": seen,
        "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        "rss_mib_first_sample": samples.first().copied().map(mib),
        "rss_mib_min_after_first": after_warmup.iter().copied().min().map(mib),
        "rss_mib_max_after_first": after_warmup.iter().copied().max().map(mib),
        "rss_mib_last": samples.last().copied().map(mib),
        "peak_rss_mib": resources::peak_resident_bytes().map(mib),
    }))
}

/// A loopback server answering every request with a stream of as many
/// events as the path says, generated as it is written.
async fn serve() -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base_url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            tokio::spawn(answer(connection));
        }
    });
    Ok(base_url)
}

async fn answer(mut connection: TcpStream) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = connection.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let events: usize = text
        .split_once("/conversations/n")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    connection
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        .await?;
    let message = sse::message("msg_1", "Open Settings, then choose Reset.");
    let mut chunk = String::new();
    for n in 0..events {
        let sequence = n as i64 + 1;
        chunk.push_str(&if n == 0 {
            sse::snapshot("RESPONSE_CREATED", sequence, "CREATED", &[])
        } else if n + 1 == events {
            sse::snapshot("RESPONSE_COMPLETED", sequence, "COMPLETED", &[])
        } else {
            sse::delta(sequence, &message)
        });
        if (n + 1) % EVENTS_PER_CHUNK == 0 || n + 1 == events {
            connection
                .write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
                .await?;
            chunk.clear();
        }
    }
    connection.write_all(b"0\r\n\r\n").await?;
    connection.shutdown().await
}
