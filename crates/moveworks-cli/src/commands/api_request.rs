//! The request of `moveworks api`: any operation of the generated table, by
//! its spec entry, with parameters as text and a JSON body, so that an
//! operation a regeneration adds needs no new code. The request is a
//! [`Call`] like any generated method's, so it goes through the same path
//! check, auth, retries, size limit and errors.

use bytes::Bytes;
use moveworks_ext::input::check_id;
use moveworks_ext::moveworks_api::call::{BoxFuture, encode_path};
use moveworks_ext::moveworks_api::{ByteStream, Call, Operation, ParameterLocation, ResponseValue};
use moveworks_ext::{Client, Error, WithMetadata};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue};

use crate::failure::Failure;

/// A request to an operation, built once and sent (cloned) per attempt.
pub struct OperationRequest {
    operation: &'static Operation,
    request: reqwest::Request,
}

impl OperationRequest {
    /// `operation` with `params` (name, text) and `body`. Unknown or
    /// missing parameters, ids that would change the path, and a body the
    /// operation does not take are refused before anything is sent.
    pub fn new(
        client: &Client,
        operation: &'static Operation,
        params: &[(String, String)],
        body: Option<serde_json::Value>,
    ) -> Result<Self, Failure> {
        check_names(operation, params)?;
        let value = |name: &str| {
            params
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let mut path = operation.path.to_owned();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for parameter in operation.parameters {
            let Some(text) = value(parameter.name) else {
                if parameter.required {
                    return Err(usage(format!(
                        "{} needs `{}`",
                        operation.id, parameter.name
                    )));
                }
                continue;
            };
            match parameter.location {
                ParameterLocation::Path => {
                    check_id("path parameter", text)?;
                    path = path.replace(&format!("{{{}}}", parameter.name), &encode_path(text));
                }
                ParameterLocation::Query => query.push((parameter.name, text)),
                ParameterLocation::Header => headers.push(header(parameter.name, text)?),
            }
        }
        let mut url = reqwest::Url::parse(&format!("{}{path}", client.base_url()))
            .map_err(|e| usage(format!("the path of {} is not a URL: {e}", operation.id)))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let method = reqwest::Method::from_bytes(operation.method.as_bytes())
            .map_err(|e| usage(format!("{}: {e}", operation.id)))?;
        let mut request = reqwest::Request::new(method, url);
        let accept = operation.accept.unwrap_or("application/json");
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static(accept));
        request.headers_mut().extend(headers);
        match (body, operation.body) {
            (Some(body), Some(_)) => {
                let json = serde_json::to_vec(&body).unwrap_or_default();
                let headers = request.headers_mut();
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                *request.body_mut() = Some(reqwest::Body::from(Bytes::from(json)));
            }
            (Some(_), None) => {
                return Err(usage(format!("{} takes no request body", operation.id)));
            }
            (None, _) => {}
        }
        Ok(Self { operation, request })
    }

    /// Sends it with `client`'s auth, retries and limits; the answer's body
    /// is left for the caller to read (a stream as it arrives).
    pub async fn send(&self, client: &Client) -> Result<WithMetadata<ByteStream>, Error> {
        client
            .call_with_metadata(|api| {
                let request = self.request.try_clone().ok_or_else(|| {
                    moveworks_ext::moveworks_api::Error::InvalidRequest(
                        "the request body cannot be sent twice".to_owned(),
                    )
                });
                Call::new(api, self.operation, request, raw)
            })
            .await
    }
}

/// The answer as it comes: the body unread.
fn raw(
    response: reqwest::Response,
) -> BoxFuture<'static, Result<ResponseValue<ByteStream>, moveworks_ext::moveworks_api::Error<()>>>
{
    Box::pin(async move { Ok(ResponseValue::stream(response)) })
}

fn check_names(operation: &Operation, params: &[(String, String)]) -> Result<(), Failure> {
    let known: Vec<&str> = operation.parameters.iter().map(|p| p.name).collect();
    match params
        .iter()
        .find(|(name, _)| !known.contains(&name.as_str()))
    {
        None => Ok(()),
        Some((name, _)) => Err(usage(format!(
            "`{name}` is not a parameter of {} (it takes: {})",
            operation.id,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))),
    }
}

fn header(name: &str, text: &str) -> Result<(Option<HeaderName>, HeaderValue), Failure> {
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| usage(format!("`{name}` is not a header name")))?;
    let value = HeaderValue::from_str(text)
        .map_err(|_| usage(format!("`{name}` has characters a header cannot carry")))?;
    Ok((Some(header), value))
}

fn usage(message: String) -> Failure {
    Failure::Usage(message)
}
