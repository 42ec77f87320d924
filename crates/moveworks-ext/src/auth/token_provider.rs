//! What the client asks for a token.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::access_token::AccessToken;
use super::auth_error::AuthError;

/// A boxed future, as [`TokenProvider`] and [`TokenSource`](crate::auth::TokenSource) return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Supplies the token every request carries.
///
/// Implement it to plug in your own credential store; the future it
/// returns must be `Send`. A provider that can refresh says so through
/// [`can_refresh`](TokenProvider::can_refresh): the client then answers a
/// 401 by calling [`invalidate`](TokenProvider::invalidate) and retrying
/// the request once with a new token.
///
/// ```
/// use std::sync::Arc;
/// use moveworks_ext::auth::{AccessToken, AuthError, BoxFuture, TokenProvider};
///
/// /// Reads the token from a secret store on every call.
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
///         Box::pin(async { Ok(Arc::new(AccessToken::new("token-from-vault", None)?)) })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// A token to send now.
    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>>;

    /// A token that can be sent now without waiting, if the provider has
    /// one at hand (a static token, a cached one not yet due for refresh).
    /// The client asks this first, on every request, and awaits
    /// [`token`](TokenProvider::token) only when it returns `None` (the
    /// default); it must be cheap and must not block.
    fn ready_token(&self) -> Option<Arc<AccessToken>> {
        None
    }

    /// The API rejected `token` (401): stop handing it out.
    fn invalidate(&self, token: &AccessToken) {
        let _ = token;
    }

    /// Whether [`token`](TokenProvider::token) can return a different token
    /// after [`invalidate`](TokenProvider::invalidate).
    fn can_refresh(&self) -> bool {
        false
    }
}
