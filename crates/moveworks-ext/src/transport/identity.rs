//! Whose bearer a call sends: the client's own credential, or one user's.
//!
//! A handle carries its identity as a value (never in a task-local), and
//! each call resolves it to a token provider once, at its start: the
//! client's, the user's entry of the per-user cache, or the bearer the
//! application handed over. The call then asks only that provider, for
//! every attempt and for the refresh after a 401, so a token can only go
//! to requests made for the user it was issued to.

use std::fmt;
use std::sync::Arc;

use super::settings::Shared;
use crate::auth::TokenProvider;
use crate::config::ConfigError;
use crate::error::Error;

/// Who a client's calls act for.
#[derive(Clone)]
pub(crate) enum Identity {
    /// The client's own credential (none when it only issues tokens per
    /// user).
    Client,
    /// A user: tokens from the client's per-user provider, cached by key.
    User(Arc<str>),
    /// A user whose bearer the application holds.
    Bearer(Arc<str>, Arc<dyn TokenProvider>),
}

impl Identity {
    /// The user key, when the calls act for a user.
    pub(crate) fn user(&self) -> Option<&str> {
        match self {
            Identity::Client => None,
            Identity::User(user) | Identity::Bearer(user, _) => Some(user),
        }
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Client => f.write_str("Client"),
            Identity::User(user) => f.debug_tuple("User").field(user).finish(),
            // The bearer is a secret: only whose it is.
            Identity::Bearer(user, _) => f.debug_tuple("Bearer").field(user).finish(),
        }
    }
}

impl Shared {
    /// The provider of `identity`'s tokens; a client without a credential
    /// of its own acts only for users.
    pub(super) fn provider_for(
        &self,
        identity: &Identity,
    ) -> Result<Arc<dyn TokenProvider>, Error> {
        match identity {
            Identity::Client => self.provider.clone().ok_or_else(|| {
                let reason = "the client has only a per-user token provider: call for_user first";
                ConfigError::invalid("credential", reason).into()
            }),
            Identity::User(user) => match &self.users {
                Some(users) => Ok(users.entry(user)),
                None => Err(ConfigError::missing("user token provider").into()),
            },
            Identity::Bearer(_, token) => Ok(token.clone()),
        }
    }
}
