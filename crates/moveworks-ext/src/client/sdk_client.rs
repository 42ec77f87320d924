//! The client: calling any operation of the generated client with the
//! SDK's auth, retries and errors.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use moveworks_api::Call;

use super::call_options::CallOptions;
use super::flow_settings::FlowSettings;
use super::metadata::{CallMetadata, WithMetadata};
use crate::config::WaitPolicy;
use crate::error::Error;
use crate::transport::{RequestSettings, Shared};

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
    /// What every call shares: the generated client (base URL, connection
    /// pool), the credential, the retry budget.
    pub(super) shared: Arc<Shared>,
    /// What these calls may change ([`Client::with_options`]).
    pub(super) settings: Arc<RequestSettings>,
    pub(super) flows: FlowSettings,
    pub(super) credential_kind: &'static str,
}

impl Client {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        moveworks_api::ClientInfo::baseurl(&self.shared.api)
    }

    /// How [`Client::wait_for_response`] and [`Client::ask`] poll.
    pub fn wait_policy(&self) -> &WaitPolicy {
        &self.flows.wait
    }

    /// The largest response body accepted (see
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    pub fn max_response_bytes(&self) -> usize {
        self.shared.max_response_bytes
    }

    /// The longest wait between two events of a response stream (see
    /// [`ClientBuilder::stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout)).
    pub fn stream_idle_timeout(&self) -> Duration {
        let idle = self.flows.stream_idle;
        self.shared.read_timeout.map_or(idle, |read| idle.min(read))
    }

    /// Calls any operation of the generated client with the SDK's auth,
    /// retries, deadlines and errors, and returns its decoded result, or
    /// the SDK's [`Error`] with the status, API error code, request id and
    /// attempt count.
    ///
    /// `operation` is called once per attempt: it builds the request (the
    /// generated methods return a [`moveworks_api::Call`], the request and
    /// its decoder apart), and the SDK sends it.
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
    pub async fn call<'a, T, E>(
        &'a self,
        operation: impl Fn(&'a moveworks_api::Client) -> Call<'a, T, E>,
    ) -> Result<T, Error> {
        let done = self.shared.run(&self.settings, operation).await?;
        Ok(done.value.into_inner())
    }

    /// Like [`Client::call`], and also says how the call went: status,
    /// response headers (rate-limit headers, for one), request id and
    /// attempts, for logging successful calls as well.
    pub async fn call_with_metadata<'a, T, E>(
        &'a self,
        operation: impl Fn(&'a moveworks_api::Client) -> Call<'a, T, E>,
    ) -> Result<WithMetadata<T>, Error> {
        let done = self.shared.run(&self.settings, operation).await?;
        // Cloned only here: `call` pays nothing for the headers.
        let metadata = CallMetadata {
            status: done.value.status(),
            headers: done.value.headers().clone(),
            attempts: done.attempts,
        };
        let value = done.value.into_inner();
        Ok(WithMetadata { value, metadata })
    }

    /// A client for calls with other options (timeouts, retries, extra
    /// headers, waiting and streaming). It shares connections, the token
    /// cache and the retry budget with `self`, and costs one small
    /// allocation to make.
    ///
    /// ```
    /// # fn demo(client: &moveworks_ext::Client) -> Result<(), moveworks_ext::ConfigError> {
    /// use std::time::Duration;
    /// use moveworks_ext::CallOptions;
    ///
    /// let quick = client.with_options(
    ///     CallOptions::new().total_timeout(Duration::from_secs(5)).max_retries(0).header("x-request-tag", "abc123")?,
    /// );
    /// # let _ = quick;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let mut client = self.clone();
        let mut settings = RequestSettings::clone(&self.settings);
        options.apply(&mut settings, &mut client.flows);
        client.settings = Arc::new(settings);
        client
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("assistant_name", &self.shared.assistant_name)
            .field("credential", &self.credential_kind)
            .field("timeouts", &self.settings.timeouts)
            .field("retry", &self.settings.retry)
            .finish_non_exhaustive()
    }
}
