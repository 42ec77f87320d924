//! Caching expiring tokens: fetch once, share, refresh ahead of expiry.
//!
//! Many requests needing a token at the same moment cause one fetch
//! (single flight): the first takes the refresh lock and fetches, the
//! others wait for it and use its token. A token close to expiry is
//! refreshed by one request while the others keep using it; if that
//! refresh fails, the still-valid token keeps being used.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use super::access_token::AccessToken;
use super::auth_error::AuthError;
use super::token_provider::{BoxFuture, TokenProvider};

/// Fetches a new token each time it is asked, such as an OAuth token
/// endpoint. Wrap one in a [`CachingTokenProvider`] to use it.
pub trait TokenSource: Send + Sync + 'static {
    /// A freshly issued token.
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>>;
}

/// How long before expiry a token is refreshed: a minute, or half its
/// lifetime when it lives less than two minutes.
const REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// Tokens that expire without one are re-fetched after this long.
const UNKNOWN_LIFETIME: Duration = Duration::from_secs(300);

/// A [`TokenProvider`] that caches the tokens of a [`TokenSource`].
pub struct CachingTokenProvider<S> {
    source: S,
    cached: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    token: Arc<AccessToken>,
    refresh_at: Instant,
}

impl Cached {
    fn new(token: AccessToken) -> Self {
        let now = Instant::now();
        let lifetime = token
            .expires_at()
            .map_or(UNKNOWN_LIFETIME, |at| at.saturating_duration_since(now));
        let ahead = REFRESH_AHEAD.min(lifetime / 2);
        Self {
            refresh_at: now + (lifetime - ahead),
            token: Arc::new(token),
        }
    }

    fn is_fresh(&self) -> bool {
        Instant::now() < self.refresh_at && !self.token.is_expired()
    }
}

impl<S> CachingTokenProvider<S> {
    fn current(&self) -> Option<Cached> {
        self.cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<S: TokenSource> CachingTokenProvider<S> {
    /// Caches the tokens `source` issues.
    pub fn new(source: S) -> Self {
        Self {
            source,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    async fn refreshed(&self) -> Result<Arc<AccessToken>, AuthError> {
        let _flight = self.refresh.lock().await;
        // Whoever held the lock before may have refreshed already.
        let current = self.current();
        if let Some(cached) = current.as_ref().filter(|c| c.is_fresh()) {
            return Ok(cached.token.clone());
        }
        match self.source.fetch().await {
            Ok(token) => {
                let cached = Cached::new(token);
                let token = cached.token.clone();
                *self.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(cached);
                Ok(token)
            }
            // A failed early refresh is not a failed call: the old token
            // still works.
            Err(error) => match current.filter(|c| !c.token.is_expired()) {
                Some(cached) => {
                    tracing::warn!(%error, "token refresh failed; using the current token until it expires");
                    Ok(cached.token)
                }
                None => Err(error),
            },
        }
    }
}

impl<S: TokenSource> TokenProvider for CachingTokenProvider<S> {
    fn ready_token(&self) -> Option<Arc<AccessToken>> {
        self.current()
            .filter(Cached::is_fresh)
            .map(|cached| cached.token)
    }

    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
        Box::pin(async move {
            match self.current() {
                Some(cached) if cached.is_fresh() => Ok(cached.token),
                // Due for refresh but valid: only one caller refreshes; while
                // it does, the others go on with the current token.
                Some(cached) if !cached.token.is_expired() && self.refresh.try_lock().is_err() => {
                    Ok(cached.token)
                }
                _ => self.refreshed().await,
            }
        })
    }

    fn invalidate(&self, token: &AccessToken) {
        let mut cached = self.cached.write().unwrap_or_else(PoisonError::into_inner);
        if cached
            .as_ref()
            .is_some_and(|c| std::ptr::eq(Arc::as_ptr(&c.token), token))
        {
            *cached = None;
        }
    }

    fn can_refresh(&self) -> bool {
        true
    }
}

impl<S: fmt::Debug> fmt::Debug for CachingTokenProvider<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expires_at = self.current().and_then(|c| c.token.expires_at());
        f.debug_struct("CachingTokenProvider")
            .field("source", &self.source)
            .field("cached_token_expires_at", &expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::auth::auth_error::AuthErrorKind;

    #[derive(Debug, Default)]
    struct Counting {
        fetches: AtomicUsize,
        lifetime_secs: u64,
    }

    impl TokenSource for Counting {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst);
                // Give concurrent callers time to pile up on the lock.
                tokio::time::sleep(Duration::from_millis(20)).await;
                AccessToken::new(
                    format!("token-{n}"),
                    Some(Duration::from_secs(self.lifetime_secs)),
                )
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_callers_share_one_fetch() {
        let provider = Arc::new(CachingTokenProvider::new(Counting {
            lifetime_secs: 3600,
            ..Default::default()
        }));
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let provider = provider.clone();
                tokio::spawn(async move { provider.token().await.unwrap().secret().to_owned() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), "token-0");
        }
        assert_eq!(provider.source.fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_ready_token_is_only_a_fresh_cached_one() {
        let provider = CachingTokenProvider::new(Counting {
            lifetime_secs: 3600,
            ..Default::default()
        });
        assert!(provider.ready_token().is_none(), "nothing fetched yet");
        let first = provider.token().await.unwrap();
        assert_eq!(provider.ready_token().unwrap().secret(), first.secret());
        provider.invalidate(&first);
        assert!(provider.ready_token().is_none(), "invalidated");
        // Due for refresh (a 1 s token, after half its lifetime): not
        // ready, so the request goes through token(), which refreshes it.
        let short = CachingTokenProvider::new(Counting {
            lifetime_secs: 1,
            ..Default::default()
        });
        short.token().await.unwrap();
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(short.ready_token().is_none(), "due for refresh");
        assert_eq!(short.source.fetches.load(Ordering::SeqCst), 1);
        assert_eq!(provider.source.fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidating_the_cached_token_fetches_a_new_one_once() {
        let provider = CachingTokenProvider::new(Counting {
            lifetime_secs: 3600,
            ..Default::default()
        });
        let first = provider.token().await.unwrap();
        provider.invalidate(&first);
        provider.invalidate(&first);
        assert_eq!(provider.token().await.unwrap().secret(), "token-1");
        // Invalidating a token that is no longer cached changes nothing.
        provider.invalidate(&first);
        assert_eq!(provider.token().await.unwrap().secret(), "token-1");
        assert_eq!(provider.source.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn short_lived_tokens_are_refreshed_ahead_of_expiry() {
        // Lifetime 2 s: refreshed after 1 s (half its lifetime), not on every call.
        let provider = CachingTokenProvider::new(Counting {
            lifetime_secs: 2,
            ..Default::default()
        });
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(provider.token().await.unwrap().secret(), "token-1");
    }

    /// Issues one token of `lifetime_secs`, then fails.
    #[derive(Debug)]
    struct OnceThenDown {
        fetches: AtomicUsize,
        lifetime_secs: u64,
    }

    impl TokenSource for OnceThenDown {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
            Box::pin(async move {
                if self.fetches.fetch_add(1, Ordering::SeqCst) > 0 {
                    return Err(AuthError::new(
                        AuthErrorKind::Unreachable,
                        "token endpoint down",
                    ));
                }
                AccessToken::new("token-0", Some(Duration::from_secs(self.lifetime_secs)))
            })
        }
    }

    #[tokio::test]
    async fn a_failed_early_refresh_keeps_the_valid_token_and_a_failed_late_one_is_an_error() {
        // Lifetime 2 s: due for refresh after 1 s, expired after 2 s.
        let provider = CachingTokenProvider::new(OnceThenDown {
            fetches: AtomicUsize::new(0),
            lifetime_secs: 2,
        });
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        assert_eq!(provider.source.fetches.load(Ordering::SeqCst), 2);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let error = provider.token().await.unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::Unreachable);
    }

    #[test]
    fn a_cache_can_refresh_so_a_401_gets_a_new_token() {
        let provider = CachingTokenProvider::new(Counting::default());
        assert!(provider.can_refresh());
    }

    /// Issues `token-N`, valid 2 s; every fetch after the first takes 400 ms.
    #[derive(Debug, Default)]
    struct SlowRefresh {
        fetches: AtomicUsize,
    }

    impl TokenSource for SlowRefresh {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst);
                if n > 0 {
                    tokio::time::sleep(Duration::from_millis(400)).await;
                }
                AccessToken::new(format!("token-{n}"), Some(Duration::from_secs(2)))
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn while_one_caller_refreshes_a_valid_token_others_go_on_with_it() {
        let provider = Arc::new(CachingTokenProvider::new(SlowRefresh::default()));
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        // Due for refresh (after half its lifetime), still valid.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let refreshing = {
            let provider = provider.clone();
            tokio::spawn(async move { provider.token().await.unwrap().secret().to_owned() })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        let other = provider.token().await.unwrap();
        assert_eq!(
            other.secret(),
            "token-0",
            "not made to wait for the refresh"
        );
        assert!(
            started.elapsed() < Duration::from_millis(250),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(refreshing.await.unwrap(), "token-1");
    }
}
