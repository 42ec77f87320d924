//! A scripted HTTP/1.1 server on loopback: answers the n-th request with
//! the n-th step of a script (the last step repeats), records every request,
//! and can misbehave on purpose. httpmock covers fixed answers; sequences
//! (429 then 200) and faults need this. Written on raw TCP so that it can
//! send what no well-behaved HTTP library would.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Step {
    /// A complete response.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then close the connection without answering.
    Close,
    /// Read the request, then reset the connection (RST) without answering.
    Reset,
    /// Send the status line and headers, then reset the connection.
    ResetAfterHeaders,
    /// Send the status line and headers (announcing `announced` bytes), then
    /// `sent` of them, then close.
    CloseMidBody { announced: usize, sent: usize },
    /// Wait this long before answering at all.
    Stall(Duration),
    /// Send the headers, then one byte of body every `interval`.
    Trickle { interval: Duration, bytes: usize },
    /// Send 200 `text/event-stream` headers, then the body in chunked
    /// transfer encoding, one HTTP chunk per piece of `chunks` (each
    /// flushed, `pause` before each), then end as `end` says. While it
    /// sends, the server watches for the client closing the connection
    /// (see [`ScriptedServer::closed_by_client`]).
    Sse {
        chunks: Vec<Vec<u8>>,
        pause: Duration,
        end: SseEnd,
    },
}

/// How a [`Step::Sse`] body ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SseEnd {
    /// The final empty chunk: a complete body.
    Finish,
    /// Close the connection without the final chunk: a cut body.
    Cut,
    /// Send nothing more and keep the connection open until the client
    /// closes it.
    Hold,
}

impl Step {
    pub fn json(status: u16, body: &str) -> Self {
        Step::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Step::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// An SSE body sent whole in one piece, then finished.
    pub fn sse(body: impl Into<Vec<u8>>) -> Self {
        Step::Sse {
            chunks: vec![body.into()],
            pause: Duration::ZERO,
            end: SseEnd::Finish,
        }
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Step::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }
}

/// A loopback port held closed: bound but not listening, so connecting to
/// it is refused, and no other socket can take it (it is bound without
/// `SO_REUSEADDR`), until [`open`](ClosedPort::open) starts a server on it.
pub struct ClosedPort {
    socket: TcpSocket,
    addr: SocketAddr,
}

impl ClosedPort {
    pub fn new() -> Self {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        Self { socket, addr }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts listening, answering with `script`. Within a tokio runtime.
    pub fn open(self, script: Vec<Step>) -> ScriptedServer {
        ScriptedServer::serve(self.socket.listen(1024).unwrap(), script)
    }
}

impl Default for ClosedPort {
    fn default() -> Self {
        Self::new()
    }
}

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: std::time::Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct ScriptedServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
    closed: Arc<Mutex<Vec<usize>>>,
}

impl ScriptedServer {
    pub async fn start(script: Vec<Step>) -> Self {
        Self::serve(TcpListener::bind("127.0.0.1:0").await.unwrap(), script)
    }

    fn serve(listener: TcpListener, script: Vec<Step>) -> Self {
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let closes = closed.clone();
        tokio::spawn(async move {
            let script = Arc::new(script);
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (script, log, closes) = (script.clone(), log.clone(), closes.clone());
                tokio::spawn(serve(stream, script, log, closes));
            }
        });
        Self {
            base_url,
            received,
            closed,
        }
    }

    /// For each [`Step::Sse`] answer the client closed before the server
    /// was done: how many of its chunks had been sent.
    pub fn closed_by_client(&self) -> Vec<usize> {
        self.closed.lock().unwrap().clone()
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

async fn serve(
    mut stream: TcpStream,
    script: Arc<Vec<Step>>,
    log: Arc<Mutex<Vec<Received>>>,
    closed: Arc<Mutex<Vec<usize>>>,
) {
    // One request per connection keeps the script order unambiguous.
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(request);
        log.len() - 1
    };
    let step = script.get(index).or_else(|| script.last()).cloned();
    let Some(step) = step else { return };
    if let Step::Sse { chunks, pause, end } = step {
        if let Some(sent) = answer_sse(&mut stream, chunks, pause, end).await {
            closed.lock().unwrap().push(sent);
        }
        return;
    }
    let _ = answer(&mut stream, step).await;
}

/// Sends an SSE body; returns the chunks sent if the client closed the
/// connection first.
async fn answer_sse(
    stream: &mut TcpStream,
    chunks: Vec<Vec<u8>>,
    pause: Duration,
    end: SseEnd,
) -> Option<usize> {
    let (mut reader, mut writer) = stream.split();
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let send = async {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\nx-moveworks-root-uuid: sse-request-1\r\n\r\n";
        writer.write_all(head.as_bytes()).await?;
        writer.flush().await?;
        for chunk in &chunks {
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            if chunk.is_empty() {
                continue;
            }
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(chunk);
            framed.extend_from_slice(b"\r\n");
            writer.write_all(&framed).await?;
            writer.flush().await?;
            sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        match end {
            SseEnd::Finish => {
                writer.write_all(b"0\r\n\r\n").await?;
                writer.flush().await?;
                writer.shutdown().await
            }
            SseEnd::Cut => writer.shutdown().await,
            SseEnd::Hold => std::future::pending().await,
        }
    };
    // The request was read whole, so anything the client does now is
    // closing: EOF or an error.
    let watch = async {
        let mut buffer = [0u8; 64];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        outcome = send => match outcome {
            Ok(()) => None,
            // A write failed: the client went away.
            Err(_) => Some(sent.load(std::sync::atomic::Ordering::Relaxed)),
        },
        () = watch => Some(sent.load(std::sync::atomic::Ordering::Relaxed)),
    }
}

async fn answer(stream: &mut TcpStream, step: Step) -> std::io::Result<()> {
    match step {
        // Answered by `answer_sse`.
        Step::Sse { .. } => return Ok(()),
        Step::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Step::Close => {}
        Step::Reset => {
            stream.set_zero_linger()?;
            return Ok(());
        }
        Step::ResetAfterHeaders => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
            stream.write_all(head.as_bytes()).await?;
            stream.flush().await?;
            stream.set_zero_linger()?;
            return Ok(());
        }
        Step::CloseMidBody { announced, sent } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&vec![b' '; sent]).await?;
        }
        Step::Stall(wait) => {
            tokio::time::sleep(wait).await;
            let body = br#"{"status": "SUBMITTED"}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body).await?;
        }
        Step::Trickle { interval, bytes } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {bytes}\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            for _ in 0..bytes {
                tokio::time::sleep(interval).await;
                stream.write_all(b" ").await?;
            }
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body,
        at: std::time::Instant::now(),
    })
}

/// The spec's error body.
pub fn error_body(code: &str, message: &str) -> String {
    format!(r#"{{"error": {{"code": "{code}", "message": "{message}"}}}}"#)
}

/// The spec's 200 body of submit-feedback.
pub const SUBMITTED: &str = r#"{"status": "SUBMITTED"}"#;

/// The submit-feedback path for ids `conv_1`, `resp_1`, `msg_1`.
pub const FEEDBACK_PATH: &str = "/conversations/conv_1/responses/resp_1/messages/msg_1/feedback";

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;

    use super::*;

    #[tokio::test]
    async fn a_closed_port_refuses_keeps_others_off_and_opens() {
        let port = ClosedPort::new();
        let refused = TcpStream::connect(port.addr()).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
        // Neither a plain bind nor tokio's (with SO_REUSEADDR) takes it.
        let taken = std::net::TcpListener::bind(port.addr()).unwrap_err();
        assert_eq!(taken.kind(), ErrorKind::AddrInUse);
        assert!(TcpListener::bind(port.addr()).await.is_err());

        let addr = port.addr();
        let server = port.open(vec![Step::json(200, SUBMITTED)]);
        assert_eq!(server.base_url, format!("http://{addr}"));
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert_eq!(server.count(), 1);
    }
}
