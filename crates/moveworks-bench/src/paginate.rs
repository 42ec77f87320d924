//! `moveworks-bench paginate [PAGES] [ROUNDS]`: auto-pagination.
//!
//! Items per second walking `PAGES` pages (default 200) of 100
//! conversations through moveworks-ext's `conversations().items()`, against
//! a raw reqwest cursor loop that decodes the same generated types. The
//! server runs on a thread of its own; the client on this one, so that the
//! CPU time of this thread (`getrusage(RUSAGE_THREAD)`) is the client's
//! alone. The two take turns for `ROUNDS` rounds (default 7); medians are
//! reported.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use moveworks_api::types::ListConversationsResponse;
use moveworks_ext::{Client, ConversationQuery, RetryPolicy};
use moveworks_testkit::PageServer;
use reqwest::header::{ACCEPT, AUTHORIZATION};

pub fn run(args: &[String]) -> Result<String, String> {
    let pages = crate::count_arg(args, 0, 200, "PAGES")?;
    let rounds = crate::count_arg(args, 1, 7, "ROUNDS")?;
    let server = PageServer::start(pages, 100);
    let runtime = crate::current_thread_runtime()?;
    runtime.block_on(async move {
        let client = Client::builder()
            .base_url(&server.base_url)
            .assistant_name("bench")
            .bearer_token("bench-token")
            .retry_policy(RetryPolicy::none())
            .build()
            .map_err(|e| e.to_string())?;
        let raw = reqwest::Client::new();
        let (mut ext_rates, mut raw_rates, mut ext_cpu, mut raw_cpu) = (vec![], vec![], vec![], vec![]);
        // One warm-up walk each: connections and allocator.
        walk_ext(&client, pages).await?;
        walk_raw(&raw, &server.base_url, pages).await?;
        for _ in 0..rounds {
            let (wall, cpu) = timed(walk_ext(&client, pages)).await?;
            ext_rates.push(server.items as f64 / wall.as_secs_f64());
            ext_cpu.push(cpu.as_secs_f64() * 1e9 / server.items as f64);
            let (wall, cpu) = timed(walk_raw(&raw, &server.base_url, pages)).await?;
            raw_rates.push(server.items as f64 / wall.as_secs_f64());
            raw_cpu.push(cpu.as_secs_f64() * 1e9 / server.items as f64);
        }
        let (ext, raw) = (median(&mut ext_rates), median(&mut raw_rates));
        let (ext_ns, raw_ns) = (median(&mut ext_cpu), median(&mut raw_cpu));
        Ok(format!(
            "{{\"pages\": {pages}, \"items\": {}, \"rounds\": {rounds}, \
             \"ext_items_per_s\": {ext:.0}, \"raw_items_per_s\": {raw:.0}, \"ratio\": {:.3}, \
             \"ext_cpu_ns_per_item\": {ext_ns:.0}, \"raw_cpu_ns_per_item\": {raw_ns:.0}, \"cpu_ratio\": {:.3}}}",
            server.items,
            ext / raw,
            ext_ns / raw_ns,
        ))
    })
}

async fn walk_ext(client: &Client, pages: usize) -> Result<usize, String> {
    let items = client
        .list_conversations(ConversationQuery::new())
        .page_size(100)
        .max_pages(pages)
        .items()
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await
        .map_err(|e| e.to_string())?;
    Ok(items)
}

/// What a careful hand-written loop does: same headers, same decoding, a
/// cursor followed until it is absent.
async fn walk_raw(client: &reqwest::Client, base_url: &str, pages: usize) -> Result<usize, String> {
    let mut cursor: Option<String> = None;
    let mut items = 0;
    for _ in 0..pages {
        let mut request = client
            .get(format!("{base_url}/conversations"))
            .header(AUTHORIZATION, "Bearer bench-token")
            .header("assistant-name", "bench")
            .header(ACCEPT, "application/json")
            .query(&[("limit", "100")]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let bytes = request
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        let page: ListConversationsResponse =
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        items += page.conversations.len();
        cursor = page.metadata.and_then(|m| m.next_cursor);
        if cursor.is_none() {
            break;
        }
    }
    Ok(items)
}

async fn timed<F: std::future::Future<Output = Result<usize, String>>>(
    walk: F,
) -> Result<(Duration, Duration), String> {
    let (cpu, wall) = (crate::measure::thread_cpu_time(), Instant::now());
    walk.await?;
    Ok((
        wall.elapsed(),
        crate::measure::thread_cpu_time().saturating_sub(cpu),
    ))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
