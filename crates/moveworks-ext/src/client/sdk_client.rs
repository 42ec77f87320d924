//! The client: calling any operation of the generated client with the
//! SDK's auth, retries and errors.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use moveworks_api::Call;

use super::call_options::CallOptions;
use super::flow_settings::FlowSettings;
use super::metadata::{CallMetadata, WithMetadata};
use crate::auth::StaticToken;
use crate::config::{ConfigError, WaitPolicy};
use crate::error::Error;
use crate::transport::{Identity, RequestSettings, Shared};

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
    /// Whose bearer these calls send ([`Client::for_user`]).
    pub(super) identity: Identity,
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
        let done = self
            .shared
            .run(&self.settings, &self.identity, operation)
            .await?;
        Ok(done.value.into_inner())
    }

    /// Like [`Client::call`], and also says how the call went: status,
    /// response headers (rate-limit headers, for one), request id and
    /// attempts, for logging successful calls as well.
    pub async fn call_with_metadata<'a, T, E>(
        &'a self,
        operation: impl Fn(&'a moveworks_api::Client) -> Call<'a, T, E>,
    ) -> Result<WithMetadata<T>, Error> {
        let done = self
            .shared
            .run(&self.settings, &self.identity, operation)
            .await?;
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

/// # One client, many users
///
/// Every request runs on behalf of one user: the answer reflects that
/// user's identity, permissions and history. An application that serves
/// many users builds one client and makes a cheap handle per user; every
/// handle shares the client's connections, timeouts, retry policy and
/// retry budget, and sends only its own user's bearer.
///
/// - [`ClientBuilder::user_tokens`](crate::ClientBuilder::user_tokens)
///   gives the client a [`UserTokenProvider`](crate::auth::UserTokenProvider):
///   the application's own exchange, or one of the grants of the
///   `token-exchange` feature. [`Client::for_user`] names only the user
///   key (an employee id, an email: your choice); tokens are cached by
///   that key, one fetch at a time per user, refreshed ahead of expiry,
///   refreshed once on a 401 for that user only, and the cache holds at
///   most [`max_users`](crate::ClientBuilder::max_users) users (10,000 by
///   default), dropping the least recently used first.
/// - [`Client::for_user_with_token`] binds a handle to a bearer the
///   application already holds for that user (some tenants are given a
///   key to send as the bearer).
///
/// A handle is a `Client`: conversations, streaming, waiting, lists,
/// feedback, [`Client::with_options`] and [`Client::call`] all act for its
/// user, and its clones and option variants keep that user. Each call
/// resolves its handle's identity once and asks only that user's token
/// source for every attempt, so no retry, refresh or eviction can send
/// one user's token on another's request.
///
/// The retry budget stays client-wide, for the dependency it protects is
/// shared: it limits retries only, never first attempts, and every
/// success refills it, so one user whose calls keep failing can cost
/// other users some retries while the failures last, never a call.
impl Client {
    /// A handle that acts for `user`, with tokens from the client's
    /// per-user provider ([`ClientBuilder::user_tokens`](crate::ClientBuilder::user_tokens)),
    /// cached under that key and shared by every handle for it. Cheap: no
    /// new connections, no token fetched until a call needs one.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client, employee_id: &str) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_ext::NewConversation;
    ///
    /// let user = client.for_user(employee_id)?;
    /// let conversation = user.start_conversation(NewConversation::new()).await?;
    /// let answer = conversation.ask("Where is my laptop order?").await?;
    /// # let _ = answer;
    /// # Ok(())
    /// # }
    /// ```
    pub fn for_user(&self, user: &str) -> Result<Client, ConfigError> {
        if self.shared.users.is_none() {
            return Err(ConfigError::missing("user token provider"));
        }
        Ok(self.acting_for(Identity::User(user_key(user)?)))
    }

    /// A handle that acts for `user` with a bearer the application holds
    /// for that user. A 401 is returned as it is: the client has no way
    /// to refresh the application's token.
    pub fn for_user_with_token(
        &self,
        user: &str,
        token: impl Into<String>,
    ) -> Result<Client, ConfigError> {
        let token =
            StaticToken::new(token).map_err(|e| ConfigError::invalid("token", e.to_string()))?;
        Ok(self.acting_for(Identity::Bearer(user_key(user)?, Arc::new(token))))
    }

    /// The user this handle acts for; `None` for the client's own
    /// credential.
    pub fn user(&self) -> Option<&str> {
        self.identity.user()
    }

    fn acting_for(&self, identity: Identity) -> Client {
        Client {
            identity,
            ..self.clone()
        }
    }
}

/// A user key as the cache holds it; an empty one names nobody.
fn user_key(user: &str) -> Result<Arc<str>, ConfigError> {
    if user.is_empty() {
        return Err(ConfigError::invalid("user", "the user key is empty"));
    }
    Ok(user.into())
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("assistant_name", &self.shared.assistant_name)
            .field("credential", &self.credential_kind)
            .field("acting_for", &self.identity)
            .field("timeouts", &self.settings.timeouts)
            .field("retry", &self.settings.retry)
            .finish_non_exhaustive()
    }
}
