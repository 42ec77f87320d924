//! A front for [`MockApi`](crate::MockApi) that serves the stream
//! operation the way a real stream arrives: in small chunks split
//! anywhere (mid-line, mid-`data:`), with pauses between them. Every other
//! request is passed to the mock unchanged, one per connection.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A front for [`MockApi`](crate::MockApi) that streams in small chunks
/// split anywhere, with pauses, and passes every other request to the mock.
pub struct StreamFront {
    base_url: String,
}

/// How the front streams.
#[derive(Debug, Clone)]
pub struct StreamPlan {
    /// The Server-Sent Events body.
    pub body: String,
    /// The size of each chunk, in bytes.
    pub chunk: usize,
    /// The pause before each chunk.
    pub pause: Duration,
    /// The `Authorization` header a stream request must carry (others
    /// get a 401).
    pub authorization: String,
}

impl StreamFront {
    /// Starts a front on loopback for the mock at `backend` (a base URL
    /// such as `http://127.0.0.1:1234`).
    pub async fn start(backend: &str, plan: StreamPlan) -> std::io::Result<StreamFront> {
        let backend = backend
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            while let Ok((connection, _)) = listener.accept().await {
                tokio::spawn(serve(connection, backend.clone(), plan.clone()));
            }
        });
        Ok(StreamFront { base_url })
    }

    /// The base URL to point a client at.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

async fn serve(mut client: TcpStream, backend: String, plan: StreamPlan) -> std::io::Result<()> {
    let Some((head, body)) = read_request(&mut client).await? else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&head).into_owned();
    let request_line = text.lines().next().unwrap_or_default();
    if request_line.starts_with("POST ") && request_line.contains("/responses/stream ") {
        let authorized = text.lines().any(|line| {
            line.split_once(':').is_some_and(|(name, value)| {
                name.eq_ignore_ascii_case("authorization") && value.trim() == plan.authorization
            })
        });
        if !authorized {
            let body = crate::error_body("UNAUTHORIZED", "bad token");
            let answer = format!(
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(answer.as_bytes()).await?;
            return client.shutdown().await;
        }
        return stream(&mut client, &plan).await;
    }
    // One request per connection: the mock is asked to close after its
    // answer, so the client does not send a second request here.
    let mut forwarded = head[..head.len() - 2].to_vec();
    forwarded.extend_from_slice(b"connection: close\r\n\r\n");
    forwarded.extend_from_slice(&body);
    let mut upstream = TcpStream::connect(&backend).await?;
    upstream.write_all(&forwarded).await?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer).await?;
    client.write_all(&answer).await?;
    client.shutdown().await
}

async fn stream(client: &mut TcpStream, plan: &StreamPlan) -> std::io::Result<()> {
    client
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        .await?;
    for piece in plan.body.as_bytes().chunks(plan.chunk.max(1)) {
        tokio::time::sleep(plan.pause).await;
        let mut framed = format!("{:x}\r\n", piece.len()).into_bytes();
        framed.extend_from_slice(piece);
        framed.extend_from_slice(b"\r\n");
        client.write_all(&framed).await?;
        client.flush().await?;
    }
    client.write_all(b"0\r\n\r\n").await?;
    client.shutdown().await
}

/// The head (up to and including the blank line) and the body of one
/// request, or `None` if the client closed first.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Option<(Vec<u8>, Vec<u8>)>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = buffer[..head_end].to_vec();
    let length: usize = String::from_utf8_lossy(&head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some((head, body)))
}
