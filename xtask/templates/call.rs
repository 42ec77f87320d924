//! What a generated method returns: a [`Call`], the operation's request,
//! built and checked but not sent, with the decoder of its answers.
//!
//! Awaiting a call sends it once with the client's `reqwest::Client` and
//! decodes the answer. A runtime that authenticates, retries or classifies
//! answers (as `moveworks-ext` does) takes it apart instead
//! ([`Call::into_parts`]), sends the request itself as often as it decides,
//! and decodes the answer it keeps, with the response in hand until then.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use progenitor_client::{Error, ResponseValue};

/// Static facts about one operation of the API, from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The spec's `operationId`, e.g. `submit-feedback`.
    pub id: &'static str,
    /// The name of the generated method, e.g. `submit_feedback`.
    pub name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, relative to the base URL.
    pub path: &'static str,
    /// The media type sent as `Accept` when the spec fixes it (for
    /// example `text/event-stream`), so callers never pass it.
    pub accept: Option<&'static str>,
    /// The spec's one-line summary.
    pub summary: Option<&'static str>,
    /// The parameters the generated method takes (path and query; the
    /// auth headers are the client's).
    pub parameters: &'static [Parameter],
    /// The media type of the request body, when the operation has one.
    pub body: Option<&'static str>,
}

/// A parameter of an [`Operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Parameter {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Whether the operation needs it.
    pub required: bool,
}

/// Where a [`Parameter`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterLocation {
    /// A `{name}` segment of the path template.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

impl Operation {
    /// The operation whose generated method is `name`.
    pub fn by_name(name: &str) -> Option<&'static Operation> {
        crate::OPERATIONS.iter().find(|op| op.name == name)
    }

    /// The operation whose spec `operationId` is `id`.
    pub fn by_id(id: &str) -> Option<&'static Operation> {
        crate::OPERATIONS.iter().find(|op| op.id == id)
    }
}

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Decodes an answer of one operation: the generated method's `match` on
/// the status, as a plain function so that a [`Call`] can be taken apart
/// and each answer decoded after the caller has looked at it.
pub type Decoder<T, E> =
    fn(reqwest::Response) -> BoxFuture<'static, Result<ResponseValue<T>, Error<E>>>;

/// One call of an operation, not yet sent: the request and how to decode
/// the answer. Await it to send it once; or take it apart with
/// [`Call::into_parts`] to send it your own way.
#[must_use = "a call is sent only when awaited, or sent from its parts"]
pub struct Call<'a, T, E> {
    /// What awaiting the call sends with.
    http: &'a reqwest::Client,
    operation: &'static Operation,
    /// Building can fail (a header value, a body that does not serialize,
    /// a path that escaped its template), before anything is sent.
    request: Result<reqwest::Request, Error<E>>,
    decoder: Decoder<T, E>,
}

impl<'a, T, E> Call<'a, T, E> {
    /// A call of `operation` through `client`: `request` as built (or why
    /// it could not be), its answers decoded by `decoder`.
    ///
    /// The request gets the operation's fixed `Accept`, when the spec has
    /// one, and is checked against its path template ([`check_path`]): one
    /// whose path escaped it becomes [`Error::InvalidRequest`], so nothing
    /// is sent to another endpoint. The generated methods build their calls
    /// here; so can a caller that builds a request by hand.
    pub fn new(
        client: &'a crate::Client,
        operation: &'static Operation,
        request: Result<reqwest::Request, Error<E>>,
        decoder: Decoder<T, E>,
    ) -> Self {
        let request = request.and_then(|mut request| {
            check_path(&client.baseurl, request.url(), operation).map_err(Error::InvalidRequest)?;
            if let Some(accept) = operation.accept {
                request.headers_mut().insert(
                    reqwest::header::ACCEPT,
                    reqwest::header::HeaderValue::from_static(accept),
                );
            }
            Ok(request)
        });
        Call {
            http: &client.client,
            operation,
            request,
            decoder,
        }
    }

    /// The operation this is a call of.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The request to send and the decoder of its answers, or why the
    /// request could not be built.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a request that escaped its path
    /// template; what building the request failed with otherwise.
    pub fn into_parts(self) -> Result<(reqwest::Request, Decoder<T, E>), Error<E>> {
        Ok((self.request?, self.decoder))
    }
}

impl<'a, T: 'a, E: Send + 'a> IntoFuture for Call<'a, T, E> {
    type Output = Result<ResponseValue<T>, Error<E>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    /// Sends the request once with the client's `reqwest::Client` and
    /// decodes the answer.
    fn into_future(self) -> Self::IntoFuture {
        let http = self.http;
        match self.into_parts() {
            // The future holds what `execute` returns, not the request
            // too: a smaller allocation, on every call.
            Ok((request, decode)) => {
                let sending = http.execute(request);
                Box::pin(async move { decode(sending.await?).await })
            }
            Err(error) => Box::pin(async move { Err(error) }),
        }
    }
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .field("url", &self.request.as_ref().ok().map(|r| r.url().as_str()))
            .finish_non_exhaustive()
    }
}

/// Checks that `url`'s path is what the generated method builds from
/// `base_url` and `operation`'s template, with each `{parameter}` filling
/// exactly one non-empty segment.
///
/// The generated methods percent-encode path parameters (see
/// [`encode_path`]), but the URL parser still resolves `.` and `..`
/// segments (even percent-encoded), and an empty parameter leaves an empty
/// segment: `conversations/../x` would be sent as `x`. Such requests are
/// refused before anything is sent. The check is textual (no URL parsing)
/// because it runs on every request.
pub fn check_path(base_url: &str, url: &reqwest::Url, operation: &Operation) -> Result<(), String> {
    let path = url.path().as_bytes();
    let template = operation.path.as_bytes();
    if is_filled_template(base_path(base_url.as_bytes()), path, template) {
        return Ok(());
    }
    let refuse = || {
        format!(
            "refusing to send `{}`: its path `{}` does not match `{}` (a path parameter is empty, `.` or `..`)",
            operation.id,
            url.path(),
            operation.path,
        )
    };
    // The generated method requests `{base_url}{template}`: the base URL's
    // path segments, then the template's. Walking back from the end, each
    // template segment (after each of its slashes) must match the path's
    // segment at the same place; what is left must be the base URL's path,
    // with as many slashes: a resolved dot segment changes that count, so
    // the count alone catches every escape, and the segment checks catch
    // anything else that moved. Byte loops, not `rsplit`: on segments this
    // short, `memrchr`'s set-up costs more than the whole check.
    let (mut path_end, mut template_end) = (path.len(), template.len());
    while let Some(template_slash) = last_slash(&template[..template_end]) {
        let Some(path_slash) = last_slash(&path[..path_end]) else {
            return Err(refuse());
        };
        if !segment_matches(
            &template[template_slash + 1..template_end],
            &path[path_slash + 1..path_end],
        ) {
            return Err(refuse());
        }
        (path_end, template_end) = (path_slash, template_slash);
    }
    let slashes = |text: &[u8]| text.iter().filter(|&&b| b == b'/').count();
    if slashes(&path[..path_end]) != slashes(base_path(base_url.as_bytes())) {
        return Err(refuse());
    }
    Ok(())
}

/// The common case, in one forward pass: `path` is `base` (the base URL's
/// path as written), then `template` with each `{parameter}` segment filled
/// by a non-empty segment. Whatever this does not accept (a base path the
/// URL parser rewrote, a parameter sharing its segment with a literal, a
/// path that is not what was asked for) goes through the full check, so it
/// only decides how fast a good path is accepted, never what is refused.
fn is_filled_template(base: &[u8], path: &[u8], mut template: &[u8]) -> bool {
    let Some(mut rest) = path.strip_prefix(base) else {
        return false;
    };
    while let Some(open) = template.iter().position(|&b| b == b'{') {
        let (literal, parameter) = template.split_at(open);
        let Some(filled) = rest.strip_prefix(literal) else {
            return false;
        };
        let Some(close) = parameter.iter().position(|&b| b == b'}') else {
            return false;
        };
        template = &parameter[close + 1..];
        let whole_segment = literal.ends_with(b"/") && template.first().is_none_or(|&b| b == b'/');
        let length = filled
            .iter()
            .position(|&b| b == b'/')
            .unwrap_or(filled.len());
        if !whole_segment || length == 0 {
            return false;
        }
        rest = &filled[length..];
    }
    rest == template
}

/// The index of the last `/` of `text`.
fn last_slash(text: &[u8]) -> Option<usize> {
    text.iter().rposition(|&b| b == b'/')
}

/// A template segment against the actual one: a parameter (`{id}`, or
/// `{id}.json`) fills it with something, a literal is there as written.
fn segment_matches(template: &[u8], actual: &[u8]) -> bool {
    if template.iter().any(|&b| b == b'{') {
        template_segment_matches(template, actual)
    } else {
        // Literals the URL parser would percent-encode are not compared.
        template == actual
            || !template
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    }
}

/// The path part of a base URL as written (empty when it has none).
fn base_path(base_url: &[u8]) -> &[u8] {
    let after_scheme = base_url
        .windows(3)
        .position(|w| w == b"://")
        .map_or(base_url, |i| &base_url[i + 3..]);
    let path = after_scheme
        .iter()
        .position(|&b| b == b'/')
        .map_or(&[][..], |start| &after_scheme[start..]);
    let end = path
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    &path[..end]
}

/// Percent-encodes a path parameter so that it stays one segment: control
/// characters, non-ASCII bytes, space and `"`, `#`, `<`, `>`, `?`, the
/// backquote, `{`, `}`, `/`, `%` and `\` are encoded. This is progenitor's
/// set plus `\`, which URL parsers read as `/` in http(s) URLs. (`.` and
/// `..` cannot be encoded away, since parsers decode `%2e` too; the path
/// check refuses them.)
pub fn encode_path(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for &byte in segment.as_bytes() {
        let encode = byte.is_ascii_control()
            || !byte.is_ascii()
            || matches!(
                byte,
                b' ' | b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'/' | b'%' | b'\\'
            );
        if encode {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        } else {
            out.push(char::from(byte));
        }
    }
    out
}

/// A template segment like `{id}` or `{id}.json` against an actual segment:
/// the literal prefix and suffix must be there and the parameter non-empty.
fn template_segment_matches(template: &[u8], actual: &[u8]) -> bool {
    let prefix = &template[..template.iter().position(|&b| b == b'{').unwrap_or(0)];
    let suffix = &template[template
        .iter()
        .rposition(|&b| b == b'}')
        .map_or(template.len(), |i| i + 1)..];
    actual.len() > prefix.len() + suffix.len()
        && actual.starts_with(prefix)
        && actual.ends_with(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(path: &'static str) -> Operation {
        Operation {
            id: "op",
            name: "op",
            method: "GET",
            path,
            accept: None,
            summary: None,
            parameters: &[],
            body: None,
        }
    }

    fn check(base_url: &str, path: &'static str, url: &str) -> Result<(), String> {
        check_path(
            base_url,
            &reqwest::Url::parse(url).unwrap(),
            &operation(path),
        )
    }

    #[test]
    fn filled_templates_are_accepted_by_the_fast_pass() {
        let base = b"/rest/v1beta1";
        let template = b"/conversations/{conversation_id}/responses/{response_id}";
        assert!(is_filled_template(
            base,
            b"/rest/v1beta1/conversations/conv_1/responses/resp%5C1",
            template
        ));
        assert!(is_filled_template(
            b"",
            b"/conversations",
            b"/conversations"
        ));
        for refused in [
            &b"/rest/v1beta1/conversations//responses/resp_1"[..],
            b"/rest/v1beta1/conversations/conv_1/responses/",
            b"/rest/v1beta1/conversations/conv_1/responses",
            b"/rest/v1beta1/responses/resp_1",
            b"/rest/v1/conversations/conv_1/responses/resp_1",
            b"/rest/v1beta1/conversations/conv_1/responses/resp_1/x",
        ] {
            assert!(
                !is_filled_template(base, refused, template),
                "{}",
                String::from_utf8_lossy(refused)
            );
        }
        // A parameter sharing its segment with a literal is left to the
        // full check.
        assert!(!is_filled_template(
            b"",
            b"/files/a.json",
            b"/files/{id}.json"
        ));
    }

    #[test]
    fn the_full_check_decides_what_the_fast_pass_leaves() {
        let base = "https://api.example.com/rest/v1beta1";
        let template = "/conversations/{conversation_id}/responses";
        let good = "https://api.example.com/rest/v1beta1/conversations/conv_1/responses";
        assert_eq!(check(base, template, good), Ok(()));
        for escaped in [
            "https://api.example.com/rest/v1beta1/conversations/../responses",
            "https://api.example.com/rest/v1beta1/conversations/./responses",
            "https://api.example.com/rest/v1beta1/conversations//responses",
        ] {
            let refused = check(base, template, escaped).unwrap_err();
            assert!(refused.starts_with("refusing to send `op`"), "{refused}");
        }
        assert_eq!(
            check("http://h", "/files/{id}.json", "http://h/files/a.json"),
            Ok(())
        );
        assert!(check("http://h", "/files/{id}.json", "http://h/files/.json").is_err());
        // A base path the URL parser encodes fails the fast pass only.
        assert_eq!(
            check("http://h/a b", "/x/{id}", "http://h/a%20b/x/1"),
            Ok(())
        );
    }
}
