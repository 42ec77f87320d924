//! Access tokens and where they come from.
//!
//! A [`TokenProvider`] hands out the token each request carries. The SDK
//! ships a static one ([`StaticToken`]), a caching one for any source of
//! expiring tokens ([`CachingTokenProvider`]), and the OAuth 2.0
//! client-credentials source ([`ClientCredentials`]). Tokens are secrets:
//! no `Debug`, `Display`, error or log line of this crate shows one.
//!
//! Imports only the `config` layer.

mod access_token;
mod auth_error;
mod client_credentials;
pub(crate) mod error_body;
#[cfg(feature = "token-exchange")]
mod exchange;
#[cfg(feature = "token-exchange")]
mod jwt_bearer;
mod static_token;
mod token_cache;
mod token_endpoint;
#[cfg(feature = "token-exchange")]
mod token_exchange;
mod token_provider;
mod user_tokens;

pub use access_token::AccessToken;
pub use auth_error::{AuthError, AuthErrorKind};
pub use client_credentials::ClientCredentials;
#[cfg(feature = "token-exchange")]
#[cfg_attr(docsrs, doc(cfg(feature = "token-exchange")))]
pub use jwt_bearer::{JwtAlgorithm, JwtBearer};
pub use static_token::StaticToken;
pub use token_cache::{CachingTokenProvider, TokenSource};
#[cfg(feature = "token-exchange")]
#[cfg_attr(docsrs, doc(cfg(feature = "token-exchange")))]
pub use token_exchange::TokenExchange;
pub use token_provider::{BoxFuture, TokenProvider};
pub(crate) use user_tokens::UserTokens;
pub use user_tokens::{DEFAULT_MAX_USERS, UserTokenProvider, user_token_fn};
