//! Reading an answer's body inside its attempt, within the size limit.

use bytes::Bytes;
use http::HeaderMap;
use http::header::{ACCEPT, CONTENT_LENGTH, TRANSFER_ENCODING};
use http_body_util::BodyExt;
use reqwest::{Response, ResponseBuilderExt};

use super::call_record::note;

/// An attempt's answer, before its body is read.
pub(super) enum Answer {
    /// An event stream: read by the caller, as it comes.
    Streamed(Response),
    /// Read whole inside the attempt.
    Whole {
        response: http::Response<reqwest::Body>,
        // Converting back to a reqwest response loses the URL unless it is
        // carried over explicitly (and reqwest then parses a placeholder).
        url: reqwest::Url,
        announced: Option<u64>,
    },
}

impl Answer {
    /// Only a request that asked for an event stream gets its answer
    /// unread: an event stream sent to any other request is read whole,
    /// within the size limit, like any other body.
    pub(super) fn new(response: Response, streaming: bool) -> Answer {
        if streaming {
            return Answer::Streamed(response);
        }
        Answer::Whole {
            announced: response.content_length(),
            url: response.url().clone(),
            response: http::Response::from(response),
        }
    }

    /// The reqwest response; with `too_large`, its body replaced by an
    /// empty one because it was over that limit.
    fn into_response(self, too_large: Option<usize>) -> Response {
        match (self, too_large) {
            (Answer::Streamed(response), _) => response,
            (Answer::Whole { response, url, .. }, None) => with_url(response, url),
            (Answer::Whole { response, url, .. }, Some(limit)) => {
                self::too_large(response, url, limit)
            }
        }
    }
}

/// Reads the body inside the attempt, so that a connection that fails or
/// stalls mid-body is retried like any other transport failure, and
/// enforces the size limit: an over-limit body is replaced by an empty one
/// and the call record says why, so the call fails instead of exhausting
/// memory. Streamed responses pass through untouched.
///
/// The answer is worked on in place, through references: this future is
/// part of every call's, and a value moved out of an async fn's argument
/// and kept across an await is stored twice.
pub(super) async fn buffered(mut answer: Answer, limit: usize) -> reqwest::Result<Response> {
    let Answer::Whole {
        response,
        announced,
        ..
    } = &mut answer
    else {
        return Ok(answer.into_response(None));
    };
    let announced = *announced;
    if announced.is_some_and(|length| length > limit as u64) {
        return Ok(answer.into_response(Some(limit)));
    }
    let mut collected = Collected::Empty;
    while let Some(frame) = response.body_mut().frame().await {
        if let Ok(data) = frame?.into_data()
            && !collected.push(data, limit, announced)
        {
            return Ok(answer.into_response(Some(limit)));
        }
    }
    *response.body_mut() = collected.into_body();
    Ok(answer.into_response(None))
}

/// A body read frame by frame. Most answers arrive in one frame, which is
/// kept as it came (a reference count), not copied.
enum Collected {
    Empty,
    One(Bytes),
    Many(Vec<u8>),
}

impl Collected {
    /// Adds `data`; false if the body would then exceed `limit`.
    fn push(&mut self, data: Bytes, limit: usize, announced: Option<u64>) -> bool {
        let held = match self {
            Collected::Empty => 0,
            Collected::One(first) => first.len(),
            Collected::Many(bytes) => bytes.len(),
        };
        if held + data.len() > limit {
            return false;
        }
        match std::mem::replace(self, Collected::Empty) {
            Collected::Empty => *self = Collected::One(data),
            Collected::One(first) => {
                let capacity = announced.map_or(0, |n| n as usize).max(held + data.len());
                let mut bytes = Vec::with_capacity(capacity);
                bytes.extend_from_slice(&first);
                bytes.extend_from_slice(&data);
                *self = Collected::Many(bytes);
            }
            Collected::Many(mut bytes) => {
                bytes.extend_from_slice(&data);
                *self = Collected::Many(bytes);
            }
        }
        true
    }

    fn into_body(self) -> reqwest::Body {
        match self {
            Collected::Empty => reqwest::Body::from(Bytes::new()),
            Collected::One(bytes) => reqwest::Body::from(bytes),
            Collected::Many(bytes) => reqwest::Body::from(bytes),
        }
    }
}

/// `response` (its body now complete) as a reqwest response again, with
/// its `url`.
fn with_url(mut response: http::Response<reqwest::Body>, url: reqwest::Url) -> Response {
    // The body is whole now: no longer chunked.
    response.headers_mut().remove(TRANSFER_ENCODING);
    // reqwest reads the URL from an extension only its builder extension
    // can set.
    if let Some(carrier) = http::Response::builder().url(url).extensions_mut() {
        response.extensions_mut().extend(std::mem::take(carrier));
    }
    Response::from(response)
}

fn too_large(
    mut response: http::Response<reqwest::Body>,
    url: reqwest::Url,
    limit: usize,
) -> Response {
    note(|facts| facts.too_large = Some(limit));
    tracing::warn!(
        limit,
        status = response.status().as_u16(),
        "response body over the size limit"
    );
    response.headers_mut().remove(CONTENT_LENGTH);
    *response.body_mut() = reqwest::Body::from(Bytes::new());
    with_url(response, url)
}

/// Whether a request asks for an event stream.
pub(super) fn wants_event_stream(headers: &HeaderMap) -> bool {
    const EVENT_STREAM: &[u8] = b"text/event-stream";
    // A byte search, not `str::contains`: its searcher's set-up is most of
    // the cost of answering no for `application/json`, on every request.
    headers.get(ACCEPT).is_some_and(|v| {
        v.as_bytes()
            .windows(EVENT_STREAM.len())
            .any(|w| w == EVENT_STREAM)
    })
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[tokio::test]
    async fn bodies_are_collected_whole_and_within_the_limit() {
        let body = |collected: Collected| async move {
            collected.into_body().collect().await.unwrap().to_bytes()
        };
        let mut one = Collected::Empty;
        assert!(one.push(Bytes::from_static(b"{}"), 10, Some(2)));
        assert!(matches!(one, Collected::One(_)));
        assert_eq!(body(one).await, &b"{}"[..]);

        let mut many = Collected::Empty;
        for chunk in [&b"abc"[..], b"def", b"gh"] {
            assert!(many.push(Bytes::from_static(chunk), 8, None));
        }
        assert_eq!(body(many).await, &b"abcdefgh"[..]);

        let mut over = Collected::Empty;
        assert!(over.push(Bytes::from_static(b"abcd"), 6, None));
        assert!(!over.push(Bytes::from_static(b"efg"), 6, None));
        assert!(body(Collected::Empty).await.is_empty());
    }

    #[test]
    fn event_stream_detection() {
        let mut headers = HeaderMap::new();
        assert!(!wants_event_stream(&headers));
        headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        assert!(wants_event_stream(&headers));
    }
}
