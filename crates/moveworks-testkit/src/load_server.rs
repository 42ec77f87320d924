//! A keep-alive HTTP/1.1 server (hyper) answering the submit-feedback 200
//! body, for load tests and benchmarks. It can fail a fixed share of
//! requests with 429 (`Retry-After: 0`) or 503, deterministically, and
//! counts what it answered so callers can check that nothing was lost.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::scripted::SUBMITTED;

/// Which requests fail. Out of every `period` requests (by arrival order),
/// one gets 429 and one gets 503; `None` answers everything with 200. In
/// an `outage`, every request gets 503.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub period: Option<u64>,
    pub outage: bool,
}

impl Failures {
    /// No failures.
    pub fn none() -> Self {
        Self::default()
    }

    /// 2 in `period` requests fail (`period` 40 is 5%).
    pub fn two_in(period: u64) -> Self {
        Self {
            period: Some(period.max(2)),
            outage: false,
        }
    }

    /// Every request fails with 503.
    pub fn outage() -> Self {
        Self {
            period: None,
            outage: true,
        }
    }
}

/// What the server answered.
#[derive(Debug, Default)]
pub struct Counts {
    pub requests: AtomicU64,
    pub ok: AtomicU64,
    pub rate_limited: AtomicU64,
    pub unavailable: AtomicU64,
    pub connections: AtomicU64,
}

impl Counts {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::SeqCst)
    }
}

pub struct LoadServer {
    pub base_url: String,
    pub counts: Arc<Counts>,
    _runtime: Option<std::thread::JoinHandle<()>>,
}

impl LoadServer {
    /// Starts the server on the current Tokio runtime.
    pub async fn start(failures: Failures) -> LoadServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let counts = Arc::new(Counts::default());
        tokio::spawn(accept(listener, failures, counts.clone()));
        LoadServer {
            base_url,
            counts,
            _runtime: None,
        }
    }

    /// Starts the server on a runtime of its own with `threads` workers, so
    /// that it does not compete with the client's runtime for scheduling.
    pub fn start_dedicated(failures: Failures, threads: usize) -> LoadServer {
        let (sender, receiver) = std::sync::mpsc::channel();
        let handle = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(threads.max(1))
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind a loopback port");
                let base_url = format!("http://{}", listener.local_addr().expect("local address"));
                let counts = Arc::new(Counts::default());
                let _ = sender.send((base_url, counts.clone()));
                accept(listener, failures, counts).await;
            });
        });
        let (base_url, counts) = receiver.recv().expect("server started");
        LoadServer {
            base_url,
            counts,
            _runtime: Some(handle),
        }
    }
}

async fn accept(listener: TcpListener, failures: Failures, counts: Arc<Counts>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        counts.connections.fetch_add(1, Ordering::SeqCst);
        let counts = counts.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(request, failures, counts.clone()));
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    request: Request<Incoming>,
    failures: Failures,
    counts: Arc<Counts>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // The body is not needed; dropping it lets hyper discard it.
    drop(request);
    let n = counts.requests.fetch_add(1, Ordering::SeqCst);
    let (status, body, retry_after) = match failures.period {
        _ if failures.outage => {
            counts.unavailable.fetch_add(1, Ordering::SeqCst);
            (
                503,
                r#"{"error": {"code": "UNAVAILABLE", "message": "down"}}"#,
                None,
            )
        }
        Some(period) if n % period == period / 4 => {
            counts.rate_limited.fetch_add(1, Ordering::SeqCst);
            (
                429,
                r#"{"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "slow down"}}"#,
                Some("0"),
            )
        }
        Some(period) if n % period == 3 * period / 4 => {
            counts.unavailable.fetch_add(1, Ordering::SeqCst);
            (
                503,
                r#"{"error": {"code": "UNAVAILABLE", "message": "try again"}}"#,
                None,
            )
        }
        _ => {
            counts.ok.fetch_add(1, Ordering::SeqCst);
            (200, SUBMITTED, None)
        }
    };
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if let Some(wait) = retry_after {
        response = response.header("retry-after", wait);
    }
    Ok(response
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .expect("a static, valid response"))
}
