//! Calling any operation of the generated `OPERATIONS` table by its spec
//! entry, with parameters as text and a JSON body: for tools (the
//! `moveworks api` command) that must reach an operation a regeneration
//! adds without new code. The request goes through the same path check,
//! auth, retries, size limit, tracing and errors as every typed call.

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use moveworks_api::middleware::{Middleware, check_path, encode_path};
use moveworks_api::{Operation, ParameterLocation};

use super::input::check_id;
use super::sdk_client::Client;
use crate::error::{
    CallStep, DecodeError, DecodeErrorKind, Error, TimeoutError, TransportError, from_generated,
};
use crate::transport::call_record::recorded;
use crate::transport::headers::request_id;

/// The arguments of an [`Client::call_operation`].
///
/// ```
/// use moveworks_ext::OperationCall;
///
/// let call = OperationCall::new()
///     .param("conversation_id", "conv_1")
///     .body(serde_json::json!({"input": {"text": "Hello"}}));
/// # let _ = call;
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct OperationCall {
    params: Vec<(String, String)>,
    body: Option<serde_json::Value>,
}

impl OperationCall {
    /// No arguments yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A parameter, by its name in the spec.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The JSON request body.
    pub fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// A successful answer of [`Client::call_operation`], body not yet read
/// (a Server-Sent Events body can be read as it arrives).
#[derive(Debug)]
pub struct OperationAnswer {
    response: reqwest::Response,
    attempts: u32,
    /// The client's response size limit, for [`OperationAnswer::bytes`].
    limit: usize,
    /// The longest wait for a piece of the body.
    idle: std::time::Duration,
}

impl OperationAnswer {
    /// The status (a success).
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// Requests sent, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The request id of the answer (its `x-trace-id` or
    /// `x-moveworks-root-uuid`).
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.response.headers()).and_then(|v| v.to_str().ok())
    }

    /// The `Content-Type` of the answer.
    pub fn content_type(&self) -> Option<&str> {
        self.response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The next piece of the body, `None` at its end. A piece that takes
    /// longer than the client's stream idle timeout to come is a
    /// [`CallStep::Body`] timeout, whatever HTTP client the SDK was given.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        let body_timeout = |source| {
            Error::Timeout(TimeoutError::new(
                source,
                Some(CallStep::Body),
                self.attempts,
            ))
        };
        match tokio::time::timeout(self.idle, self.response.chunk()).await {
            Ok(Ok(chunk)) => Ok(chunk),
            Ok(Err(source)) if source.is_timeout() => Err(body_timeout(Some(source))),
            Ok(Err(source)) => Err(Error::Transport(TransportError::new(source, self.attempts))),
            Err(_) => Err(body_timeout(None)),
        }
    }

    /// The whole body, held to the client's response size limit (a
    /// streamed answer too): a longer one is a
    /// [`DecodeErrorKind::TooLarge`](crate::DecodeErrorKind::TooLarge)
    /// error. Read a stream with [`OperationAnswer::chunk`] instead.
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if body.len() + chunk.len() > self.limit {
                return Err(Error::Decode(DecodeError {
                    status: self.status(),
                    request_id: self.request_id().map(str::to_owned),
                    attempts: self.attempts,
                    kind: DecodeErrorKind::TooLarge { limit: self.limit },
                }));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

impl Client {
    /// Calls `operation` with text parameters and an optional JSON body.
    /// Unknown or missing parameters, bad path ids, and a body the
    /// operation does not take are refused before anything is sent.
    pub async fn call_operation(
        &self,
        operation: &'static Operation,
        call: OperationCall,
    ) -> Result<OperationAnswer, Error> {
        let request = self.build_request(operation, call)?;
        let middleware = self.middleware();
        let http = self.http();
        let (result, facts) = recorded(async {
            let mut request = request;
            middleware
                .prepare(&mut request, operation)
                .await
                .map_err(|e| progenitor_client::Error::<()>::Custom(e.to_string()))?;
            let response = middleware
                .send(http, request, operation)
                .await
                .map_err(progenitor_client::Error::<()>::CommunicationError)?;
            if response.status().is_success() {
                Ok(response)
            } else {
                Err(progenitor_client::Error::<()>::UnexpectedResponse(response))
            }
        })
        .await;
        match result {
            Ok(response) => Ok(OperationAnswer {
                response,
                attempts: facts.attempts,
                limit: self.max_response_bytes(),
                idle: self.stream_idle_timeout(),
            }),
            Err(error) => Err(from_generated(error, facts).await),
        }
    }

    fn build_request(
        &self,
        operation: &'static Operation,
        call: OperationCall,
    ) -> Result<reqwest::Request, Error> {
        for (name, _) in &call.params {
            if !operation.parameters.iter().any(|p| p.name == name) {
                let known: Vec<&str> = operation.parameters.iter().map(|p| p.name).collect();
                return Err(Error::invalid_input(
                    "parameter",
                    format!(
                        "`{name}` is not a parameter of {} (it takes: {})",
                        operation.id,
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            }
        }
        let value = |name: &str| {
            call.params
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
                    return Err(Error::invalid_input(
                        "parameter",
                        format!("{} needs `{}`", operation.id, parameter.name),
                    ));
                }
                continue;
            };
            match parameter.location {
                ParameterLocation::Path => {
                    check_id("path parameter", text)?;
                    path = path.replace(&format!("{{{}}}", parameter.name), &encode_path(text));
                }
                ParameterLocation::Query => query.push((parameter.name, text)),
                ParameterLocation::Header => {
                    let name = HeaderName::from_bytes(parameter.name.as_bytes()).map_err(|_| {
                        Error::invalid_input(
                            "parameter",
                            format!("`{}` is not a header name", parameter.name),
                        )
                    })?;
                    let value = HeaderValue::from_str(text).map_err(|_| {
                        Error::invalid_input(
                            "parameter",
                            format!("`{}` has characters a header cannot carry", parameter.name),
                        )
                    })?;
                    headers.push((name, value));
                }
            }
        }
        let base = self.base_url();
        let mut url = reqwest::Url::parse(&format!("{base}{path}"))
            .map_err(|e| Error::invalid_input("path", e.to_string()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        check_path(base, &url, operation).map_err(|reason| Error::invalid_input("path", reason))?;
        let method = reqwest::Method::from_bytes(operation.method.as_bytes())
            .map_err(|e| Error::invalid_input("method", e.to_string()))?;
        let mut builder = self.http().request(method, url).header(
            ACCEPT,
            HeaderValue::from_static(operation.accept.unwrap_or("application/json")),
        );
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        match (call.body, operation.body) {
            (Some(body), Some(_)) => builder = builder.json(&body),
            (Some(_), None) => {
                return Err(Error::invalid_input(
                    "body",
                    format!("{} takes no request body", operation.id),
                ));
            }
            (None, _) => {}
        }
        builder
            .build()
            .map_err(|e| Error::invalid_input("request", e.to_string()))
    }
}
