//! A keep-alive server of list-conversations pages, for pagination
//! benchmarks: `GET /conversations?cursor=pN` answers page N of a fixed
//! number of pages, each with the same number of conversations, its
//! `next_cursor` pointing to page N+1 (null on the last). Pages are
//! rendered once, up front, so that serving costs the client's side of
//! the measurement as little as possible.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

use crate::own_thread;

/// The server; it runs on a thread of its own until the process ends.
pub struct PageServer {
    pub base_url: String,
    /// Items in all pages together.
    pub items: usize,
}

impl PageServer {
    /// Serves `pages` pages of `per_page` conversations.
    pub fn start(pages: usize, per_page: usize) -> PageServer {
        let rendered: Arc<Vec<Bytes>> =
            Arc::new((0..pages).map(|n| render(n, pages, per_page)).collect());
        let base_url = own_thread::serve(rendered, answer);
        PageServer {
            base_url,
            items: pages * per_page,
        }
    }
}

fn render(page: usize, pages: usize, per_page: usize) -> Bytes {
    let conversations: Vec<serde_json::Value> = (0..per_page)
        .map(|i| {
            serde_json::json!({
                "conversation_id": format!("conv_{page:04}x{i:03}abcdefghijklmnop"),
                "title": format!("Conversation {i} of page {page}"),
                "archived": false,
                "created_at": "2026-05-01T09:00:00Z",
                "updated_at": "2026-05-01T09:00:05Z"
            })
        })
        .collect();
    let next = (page + 1 < pages).then(|| format!("p{}", page + 1));
    let body =
        serde_json::json!({"conversations": conversations, "metadata": {"next_cursor": next}});
    Bytes::from(body.to_string())
}

async fn answer(
    request: Request<Incoming>,
    pages: Arc<Vec<Bytes>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let page = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("cursor=p"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let response = match pages.get(page) {
        Some(body) => Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Full::new(body.clone())),
        None => Response::builder()
            .status(400)
            .body(Full::new(Bytes::from_static(
                br#"{"error": {"code": "INVALID_CURSOR", "message": "no such page"}}"#,
            ))),
    };
    Ok(response.expect("a valid response"))
}
