//! The client: calling any operation of the generated client with the
//! SDK's auth, retries and errors.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moveworks_api::{Hooks, ResponseValue};
use serde::Serialize;

use super::call_options::CallOptions;
use super::flow_settings::FlowSettings;
use super::metadata::{CallMetadata, WithMetadata};
use crate::config::WaitPolicy;
use crate::error::{CallFacts, Error, from_generated};
use crate::transport::call_record::recorded;
use crate::transport::{SdkMiddleware, Shared};

/// A Moveworks API client: the generated [`moveworks_api::Client`] with
/// authentication, retries, timeouts, typed errors and tracing.
///
/// Cheap to clone (clones share connections and the token cache); build one
/// and reuse it.
///
/// ```no_run
/// # async fn run() -> Result<(), moveworks_ext::Error> {
/// use moveworks_ext::{Client, NewConversation};
///
/// let client = Client::from_env()?;
/// let conversation = client.start_conversation(NewConversation::new()).await?;
/// let answer = conversation.ask("How do I reset my password?").await?;
/// # let _ = answer;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    /// Holds the base URL and the `reqwest::Client` too.
    pub(super) api: moveworks_api::Client,
    pub(super) middleware: Arc<SdkMiddleware>,
    pub(super) flows: FlowSettings,
    pub(super) credential_kind: &'static str,
}

impl Client {
    /// The generated client, configured with this client's auth, retries,
    /// timeouts and tracing. Its methods return the generated error type;
    /// [`Client::call`] gives the SDK's [`Error`] instead.
    pub fn api(&self) -> &moveworks_api::Client {
        &self.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        moveworks_api::ClientInfo::baseurl(&self.api)
    }

    /// How [`Client::wait_for_response`] and [`Client::ask`] poll.
    pub fn wait_policy(&self) -> &WaitPolicy {
        &self.flows.wait
    }

    /// The largest response body accepted (see
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    pub fn max_response_bytes(&self) -> usize {
        self.shared().max_response_bytes
    }

    /// The longest wait between two events of a response stream (see
    /// [`ClientBuilder::stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout)).
    pub fn stream_idle_timeout(&self) -> Duration {
        match self.shared().read_timeout {
            Some(read) => self.flows.stream_idle.min(read),
            None => self.flows.stream_idle,
        }
    }

    pub(crate) fn middleware(&self) -> &Arc<SdkMiddleware> {
        &self.middleware
    }

    fn shared(&self) -> &Shared {
        self.middleware.shared()
    }

    /// Calls any operation of the generated client and returns its decoded
    /// result, or the SDK's [`Error`] with the status, API error code,
    /// request id and attempt count.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_api::types::SubmitFeedbackRequest;
    ///
    /// let body = SubmitFeedbackRequest::new("cb");
    /// let answer = client.call(|api| api.submit_feedback("conv_1", "resp_1", "msg_1", &body)).await?;
    /// # let _ = answer;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn call<'a, T, E, F, Fut>(&'a self, operation: F) -> Result<T, Error>
    where
        F: FnOnce(&'a moveworks_api::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: Serialize,
    {
        let (value, _) = self.recorded_call(operation).await?;
        Ok(value.into_inner())
    }

    /// Like [`Client::call`], and also says how the call went: status,
    /// response headers (rate-limit headers, for one), request id and
    /// attempts, for logging successful calls as well.
    pub async fn call_with_metadata<'a, T, E, F, Fut>(
        &'a self,
        operation: F,
    ) -> Result<WithMetadata<T>, Error>
    where
        F: FnOnce(&'a moveworks_api::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: Serialize,
    {
        let (value, facts) = self.recorded_call(operation).await?;
        // Cloned only here: `call` pays nothing for the headers.
        let metadata = CallMetadata::new(value.status(), value.headers().clone(), facts.attempts);
        Ok(WithMetadata::new(value.into_inner(), metadata))
    }

    async fn recorded_call<'a, T, E, F, Fut>(
        &'a self,
        operation: F,
    ) -> Result<(ResponseValue<T>, CallFacts), Error>
    where
        F: FnOnce(&'a moveworks_api::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: Serialize,
    {
        match recorded(operation(&self.api)).await {
            (Ok(value), facts) => Ok((value, facts)),
            (Err(error), facts) => Err(from_generated(error, facts).await),
        }
    }

    /// A client for calls with other options (timeouts, retries, extra
    /// headers, waiting and streaming). It shares connections and the token
    /// cache with `self` and costs a few small allocations to make.
    ///
    /// ```
    /// # fn demo(client: &moveworks_ext::Client) -> Result<(), moveworks_ext::ConfigError> {
    /// use std::time::Duration;
    /// use moveworks_ext::CallOptions;
    ///
    /// let quick = client.with_options(
    ///     CallOptions::new().total_timeout(Duration::from_secs(5)).max_retries(0).header("x-trace-id", "abc123")?,
    /// );
    /// # let _ = quick;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let mut settings = self.middleware.settings().clone();
        let mut flows = self.flows.clone();
        options.apply(&mut settings, &mut flows);
        let middleware = Arc::new(SdkMiddleware::new(
            self.middleware.shared().clone(),
            settings,
        ));
        Client {
            api: generated_client(self.base_url(), self.http(), &middleware),
            middleware,
            flows,
            credential_kind: self.credential_kind,
        }
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        moveworks_api::ClientInfo::client(&self.api)
    }
}

/// The generated client for `base_url`, sending through `middleware`.
pub(super) fn generated_client(
    base_url: &str,
    http: &reqwest::Client,
    middleware: &Arc<SdkMiddleware>,
) -> moveworks_api::Client {
    let hooks = Hooks::from_arc(middleware.clone());
    moveworks_api::Client::new_with_client(base_url, http.clone(), hooks)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = self.middleware.settings();
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("assistant_name", &self.shared().assistant_name)
            .field("credential", &self.credential_kind)
            .field("timeouts", &settings.timeouts)
            .field("retry", &settings.retry)
            .finish_non_exhaustive()
    }
}
