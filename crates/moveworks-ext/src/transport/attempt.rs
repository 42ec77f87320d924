//! One attempt: send the request, wait for the answer's headers and read
//! its body, each within the attempt's time limit and the body within the
//! size limit, on the SDK's own timer, so that the limits hold whatever
//! `reqwest::Client` the user passes. A streamed answer's body is left to
//! its reader (only its headers are bounded here).

use std::time::Instant;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use http_body_util::BodyExt;
use reqwest::{Request, Response, ResponseBuilderExt};

use crate::error::CallStep;

/// How an attempt ended without an answer to judge.
pub(super) enum Failure {
    /// The HTTP client failed in this step.
    Http(reqwest::Error, CallStep),
    /// The attempt's time limit passed in this step.
    Deadline(CallStep),
}

/// An answer: whole (its body read within the limit), streamed (its body
/// unread), or over the limit (its body dropped).
pub(super) enum Answer {
    Whole(Response, Bytes),
    Streamed(Response),
    /// Over this limit.
    TooLarge(Response, usize),
}

impl Answer {
    pub(super) fn response(&self) -> &Response {
        match self {
            Answer::Whole(response, _)
            | Answer::Streamed(response)
            | Answer::TooLarge(response, _) => response,
        }
    }
}

/// Sends `request` and reads its answer, all before `until`.
pub(super) async fn send(
    http: &reqwest::Client,
    request: Request,
    until: Instant,
    streaming: bool,
    limit: usize,
) -> Result<Answer, Failure> {
    let until = tokio::time::Instant::from_std(until);
    let response = match tokio::time::timeout_at(until, http.execute(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) if error.is_connect() => {
            return Err(Failure::Http(error, CallStep::Connect));
        }
        Ok(Err(error)) => return Err(Failure::Http(error, CallStep::Headers)),
        Err(_) => return Err(Failure::Deadline(CallStep::Headers)),
    };
    if streaming && response.status().is_success() {
        return Ok(Answer::Streamed(response));
    }
    match tokio::time::timeout_at(until, read(response, limit)).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(error)) => Err(Failure::Http(error, CallStep::Body)),
        Err(_) => Err(Failure::Deadline(CallStep::Body)),
    }
}

/// Reads the body whole, unless it is over `limit`: then it is dropped
/// unread (what was announced over it is not even started).
async fn read(response: Response, limit: usize) -> reqwest::Result<Answer> {
    let announced = response.content_length();
    let url = response.url().clone();
    let mut response = http::Response::from(response);
    if announced.is_some_and(|length| length > limit as u64) {
        return Ok(too_large(response, url, limit));
    }
    let mut collected = Collected::Empty;
    while let Some(frame) = response.body_mut().frame().await {
        if let Ok(data) = frame?.into_data()
            && !collected.push(data, limit, announced)
        {
            return Ok(too_large(response, url, limit));
        }
    }
    let bytes = collected.into_bytes();
    // The body is whole now: no longer chunked.
    response.headers_mut().remove(TRANSFER_ENCODING);
    *response.body_mut() = reqwest::Body::from(bytes.clone());
    Ok(Answer::Whole(with_url(response, url), bytes))
}

/// What has arrived of a body: one chunk is kept as it came (no copy).
enum Collected {
    Empty,
    One(Bytes),
    Many(Vec<u8>),
}

impl Collected {
    /// Adds `data`; `false` when that would go over `limit`.
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

    fn into_bytes(self) -> Bytes {
        match self {
            Collected::Empty => Bytes::new(),
            Collected::One(bytes) => bytes,
            Collected::Many(bytes) => Bytes::from(bytes),
        }
    }
}

/// A reqwest response again; reqwest reads the URL from an extension only
/// its builder extension can set.
fn with_url(mut response: http::Response<reqwest::Body>, url: reqwest::Url) -> Response {
    if let Some(carrier) = http::Response::builder().url(url).extensions_mut() {
        response.extensions_mut().extend(std::mem::take(carrier));
    }
    Response::from(response)
}

fn too_large(
    mut response: http::Response<reqwest::Body>,
    url: reqwest::Url,
    limit: usize,
) -> Answer {
    tracing::warn!(
        limit,
        status = response.status().as_u16(),
        "response body over the size limit"
    );
    response.headers_mut().remove(CONTENT_LENGTH);
    *response.body_mut() = reqwest::Body::from(Bytes::new());
    Answer::TooLarge(with_url(response, url), limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_collected_whole_and_within_the_limit() {
        let mut one = Collected::Empty;
        assert!(one.push(Bytes::from_static(b"{}"), 10, Some(2)));
        assert!(matches!(one, Collected::One(_)));
        assert_eq!(one.into_bytes(), &b"{}"[..]);

        let mut many = Collected::Empty;
        for chunk in [&b"abc"[..], b"def", b"gh"] {
            assert!(many.push(Bytes::from_static(chunk), 8, None));
        }
        assert_eq!(many.into_bytes(), &b"abcdefgh"[..]);

        let mut over = Collected::Empty;
        assert!(over.push(Bytes::from_static(b"abcd"), 6, None));
        assert!(!over.push(Bytes::from_static(b"efg"), 6, None));
        assert!(Collected::Empty.into_bytes().is_empty());
    }

    #[test]
    fn a_second_chunk_reserves_what_was_announced_or_what_arrived_not_more() {
        // The size limit bounds memory: the copy made at the second chunk
        // reserves the announced length, or without one what has arrived
        // (here a second chunk longer than the first).
        let mut announced = Collected::Empty;
        assert!(announced.push(Bytes::from_static(b"ab"), 100, Some(60)));
        assert!(announced.push(Bytes::from_static(b"cdefgh"), 100, Some(60)));
        let mut chunked = Collected::Empty;
        assert!(chunked.push(Bytes::from(vec![b'a'; 30]), 1000, None));
        assert!(chunked.push(Bytes::from(vec![b'b'; 40]), 1000, None));
        for (collected, len, reserved) in [(announced, 8, 60), (chunked, 70, 70)] {
            let Collected::Many(bytes) = collected else {
                panic!("two chunks are copied into one buffer");
            };
            assert_eq!(bytes.len(), len);
            assert!(
                (reserved..2 * reserved).contains(&bytes.capacity()),
                "{} reserved for {reserved}",
                bytes.capacity()
            );
        }
    }
}
