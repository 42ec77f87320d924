//! Tokens per user: every request runs on behalf of one user, with that
//! user's bearer.
//!
//! A [`UserTokenProvider`] issues a token for a user key the application
//! chooses (an employee id, an email): its own exchange with the identity
//! provider, or one of the exchange grants of the `token-exchange` feature.
//! The client keeps the tokens in a bounded cache keyed by that user key:
//! one entry per user, shared by every handle for that key, each entry a
//! [`CachingTokenProvider`] of its own (one fetch at a time per user,
//! refreshed ahead of expiry, an expired token never served, a 401
//! invalidating that user's token only). The least recently used user is
//! dropped first when the cache is full; a call that holds an entry keeps
//! it until the call ends, and the user's next call fetches a new token.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use super::access_token::AccessToken;
use super::auth_error::AuthError;
use super::token_cache::{CachingTokenProvider, TokenSource};
use super::token_provider::BoxFuture;

/// Issues a token for one user, named by the key the application chooses.
///
/// Implement it for the exchange a Moveworks account team gives you, or
/// make one from an async function with [`user_token_fn`]. It is asked only
/// when the client has no fresh token for that user; the client never
/// shares one user's token with another.
pub trait UserTokenProvider: Send + Sync + 'static {
    /// A freshly issued token for `user`.
    fn fetch<'a>(&'a self, user: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>>;
}

/// A [`UserTokenProvider`] from an async function of the user key.
///
/// ```
/// use moveworks_ext::auth::{AccessToken, AuthError, user_token_fn};
///
/// let provider = user_token_fn(|user: String| async move {
///     // Ask your identity provider for a Moveworks bearer for `user`.
///     AccessToken::new(format!("token-for-{user}"), None)
/// });
/// # let _ = provider;
/// ```
pub fn user_token_fn<F, Fut>(fetch: F) -> impl UserTokenProvider
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, AuthError>> + Send + 'static,
{
    FnProvider(fetch)
}

struct FnProvider<F>(F);

impl<F, Fut> UserTokenProvider for FnProvider<F>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, AuthError>> + Send + 'static,
{
    fn fetch<'a>(&'a self, user: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin((self.0)(user.to_owned()))
    }
}

/// The default bound of the per-user cache.
pub const DEFAULT_MAX_USERS: usize = 10_000;

/// One user's tokens.
pub(crate) type UserEntry = CachingTokenProvider<UserSource>;

/// The source of one user's tokens: the provider, asked for that user.
pub(crate) struct UserSource {
    provider: Arc<dyn UserTokenProvider>,
    user: Arc<str>,
}

impl TokenSource for UserSource {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        self.provider.fetch(&self.user)
    }
}

impl fmt::Debug for UserSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSource")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// The per-user cache: at most `capacity` users, least recently used
/// dropped first.
pub(crate) struct UserTokens {
    provider: Arc<dyn UserTokenProvider>,
    capacity: usize,
    lru: Mutex<Lru>,
}

/// Entries by user, with when each was last used; `order` finds the least
/// recently used one in `O(log n)`.
#[derive(Default)]
struct Lru {
    entries: HashMap<Arc<str>, (Arc<UserEntry>, u64)>,
    order: BTreeMap<u64, Arc<str>>,
    clock: u64,
}

impl UserTokens {
    pub(crate) fn new(provider: Arc<dyn UserTokenProvider>, capacity: usize) -> Self {
        Self {
            provider,
            capacity: capacity.max(1),
            lru: Mutex::new(Lru::default()),
        }
    }

    /// `user`'s entry, made when there is none; the least recently used
    /// entry is dropped when that leaves more than the capacity.
    pub(crate) fn entry(&self, user: &str) -> Arc<UserEntry> {
        let mut lru = self.lru.lock().unwrap_or_else(PoisonError::into_inner);
        lru.clock += 1;
        let now = lru.clock;
        if let Some((entry, used)) = lru.entries.get_mut(user) {
            let (entry, before) = (entry.clone(), std::mem::replace(used, now));
            let key = lru.order.remove(&before).unwrap_or_else(|| user.into());
            lru.order.insert(now, key);
            return entry;
        }
        let key: Arc<str> = user.into();
        let entry = Arc::new(CachingTokenProvider::new(UserSource {
            provider: self.provider.clone(),
            user: key.clone(),
        }));
        lru.entries.insert(key.clone(), (entry.clone(), now));
        lru.order.insert(now, key);
        while lru.entries.len() > self.capacity {
            let Some((_, oldest)) = lru.order.pop_first() else {
                break;
            };
            lru.entries.remove(&oldest);
        }
        entry
    }

    /// Users held now.
    pub(crate) fn len(&self) -> usize {
        self.lru
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entries
            .len()
    }

    #[cfg(test)]
    fn capacity(&self) -> usize {
        self.capacity
    }
}

impl fmt::Debug for UserTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserTokens")
            .field("users", &self.len())
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::auth::TokenProvider;

    fn counting() -> (Arc<AtomicUsize>, Arc<dyn UserTokenProvider>) {
        let fetches = Arc::new(AtomicUsize::new(0));
        let counter = fetches.clone();
        let provider = user_token_fn(move |user: String| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { AccessToken::new(format!("{user}-{n}"), None) }
        });
        (fetches, Arc::new(provider))
    }

    #[tokio::test]
    async fn each_user_has_one_entry_and_its_own_token() {
        let (fetches, provider) = counting();
        let users = UserTokens::new(provider, 10);
        let alice = users.entry("alice").token().await.unwrap();
        let bob = users.entry("bob").token().await.unwrap();
        assert!(alice.secret().starts_with("alice-"));
        assert!(bob.secret().starts_with("bob-"));
        // Two handles with the same key share the entry: no second fetch.
        assert!(Arc::ptr_eq(&users.entry("alice"), &users.entry("alice")));
        let again = users.entry("alice").token().await.unwrap();
        assert_eq!(again.secret(), alice.secret());
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        assert_eq!(users.len(), 2);
    }

    #[tokio::test]
    async fn the_least_recently_used_user_is_dropped_first() {
        let (fetches, provider) = counting();
        let users = UserTokens::new(provider, 2);
        users.entry("a").token().await.unwrap();
        users.entry("b").token().await.unwrap();
        // Using `a` makes `b` the least recently used.
        users.entry("a").token().await.unwrap();
        users.entry("c").token().await.unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        // `a` is still cached; `b` was dropped and fetches anew.
        users.entry("a").token().await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        let b = users.entry("b").token().await.unwrap();
        assert_eq!(b.secret(), "b-3");
        assert_eq!(users.len(), 2);
    }

    #[tokio::test]
    async fn invalidating_one_user_leaves_the_others() {
        let (fetches, provider) = counting();
        let users = UserTokens::new(provider, 10);
        let alice = users.entry("alice").token().await.unwrap();
        let bob = users.entry("bob").token().await.unwrap();
        users.entry("alice").invalidate(&alice);
        assert_eq!(
            users.entry("alice").token().await.unwrap().secret(),
            "alice-2"
        );
        assert_eq!(
            users.entry("bob").token().await.unwrap().secret(),
            bob.secret()
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_thousand_users_never_make_more_than_the_bound() {
        let (fetches, provider) = counting();
        let users = UserTokens::new(provider, 100);
        for n in 0..1_000 {
            users.entry(&format!("user-{n}")).token().await.unwrap();
            assert!(users.len() <= 100, "{} entries after user {n}", users.len());
        }
        assert_eq!(users.len(), 100);
        // The last 100 are the ones held: none of them fetches again.
        for n in 900..1_000 {
            users.entry(&format!("user-{n}")).token().await.unwrap();
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1_000);
    }

    #[test]
    fn a_capacity_of_zero_holds_one() {
        let (_, provider) = counting();
        assert_eq!(UserTokens::new(provider, 0).capacity(), 1);
    }
}
