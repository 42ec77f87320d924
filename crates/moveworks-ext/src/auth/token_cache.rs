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

/// The lifetime assumed for a token that states none: it is refreshed a
/// minute before that, 4 minutes after it was fetched.
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

    use tokio::sync::Notify;

    use super::*;
    use crate::auth::auth_error::AuthErrorKind;

    const HOUR: Duration = Duration::from_secs(3600);

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

    /// Makes the cached token due for refresh, as reaching its refresh time
    /// would. The cache reads the system clock, which no test can move, so
    /// the tests below set the state that time would bring instead of
    /// sleeping; when a token falls due is tested on its own.
    fn make_due<S>(provider: &CachingTokenProvider<S>) {
        let mut cached = provider.cached.write().unwrap();
        cached.as_mut().expect("a cached token").refresh_at = Instant::now();
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

    #[test]
    fn a_refresh_falls_due_half_way_through_a_short_life_and_a_minute_before_a_long_one_ends() {
        // Under two minutes: when half of what it had left on arrival is
        // left. Exact but for the clock reads around it.
        let lifetime = Duration::from_secs(2);
        let before = Instant::now();
        let short = Cached::new(AccessToken::new("short", Some(lifetime)).unwrap());
        let after = Instant::now();
        assert!(short.refresh_at >= before + lifetime / 2);
        assert!(short.refresh_at <= after + lifetime / 2 + Duration::from_nanos(1));
        // Longer: a minute before it expires.
        let long = Cached::new(AccessToken::new("long", Some(HOUR)).unwrap());
        assert_eq!(
            long.token.expires_at().unwrap() - long.refresh_at,
            REFRESH_AHEAD
        );
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
        // Due for refresh, still valid: not ready, so the request goes
        // through token(), which refreshes it.
        let due = CachingTokenProvider::new(Counting {
            lifetime_secs: 3600,
            ..Default::default()
        });
        due.token().await.unwrap();
        make_due(&due);
        assert!(due.ready_token().is_none(), "due for refresh");
        assert_eq!(due.source.fetches.load(Ordering::SeqCst), 1);
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
    async fn a_token_due_for_refresh_is_refreshed_before_it_expires_and_not_before_it_is_due() {
        let provider = CachingTokenProvider::new(Counting {
            lifetime_secs: 3600,
            ..Default::default()
        });
        let first = provider.token().await.unwrap();
        assert_eq!(first.secret(), "token-0");
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        make_due(&provider);
        assert!(!first.is_expired());
        assert_eq!(provider.token().await.unwrap().secret(), "token-1");
        assert_eq!(provider.token().await.unwrap().secret(), "token-1");
        assert_eq!(provider.source.fetches.load(Ordering::SeqCst), 2);
    }

    /// Issues one token valid `lifetime`, then fails.
    #[derive(Debug)]
    struct OnceThenDown {
        fetches: AtomicUsize,
        lifetime: Duration,
    }

    impl OnceThenDown {
        fn new(lifetime: Duration) -> Self {
            Self {
                fetches: AtomicUsize::new(0),
                lifetime,
            }
        }
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
                AccessToken::new("token-0", Some(self.lifetime))
            })
        }
    }

    #[tokio::test]
    async fn a_failed_early_refresh_keeps_the_valid_token_and_a_failed_late_one_is_an_error() {
        let early = CachingTokenProvider::new(OnceThenDown::new(HOUR));
        assert_eq!(early.token().await.unwrap().secret(), "token-0");
        make_due(&early);
        assert_eq!(early.token().await.unwrap().secret(), "token-0");
        assert_eq!(early.source.fetches.load(Ordering::SeqCst), 2);
        // Late: the token has expired (here, as soon as it was issued).
        let late = CachingTokenProvider::new(OnceThenDown::new(Duration::ZERO));
        assert!(late.token().await.unwrap().is_expired());
        let error = late.token().await.unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::Unreachable);
        assert_eq!(late.source.fetches.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_cache_can_refresh_so_a_401_gets_a_new_token() {
        let provider = CachingTokenProvider::new(Counting::default());
        assert!(provider.can_refresh());
    }

    /// Issues `token-N`, valid an hour; every fetch after the first says it
    /// has begun, then waits until the test lets it finish.
    #[derive(Debug, Default)]
    struct HeldRefresh {
        fetches: AtomicUsize,
        begun: Notify,
        finish: Notify,
    }

    impl TokenSource for HeldRefresh {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst);
                if n > 0 {
                    self.begun.notify_one();
                    self.finish.notified().await;
                }
                AccessToken::new(format!("token-{n}"), Some(HOUR))
            })
        }
    }

    // On a paused clock: a caller made to wait for the refresh would leave
    // the runtime idle, and the timeout would fire at once.
    #[tokio::test(start_paused = true)]
    async fn while_one_caller_refreshes_a_valid_token_others_go_on_with_it() {
        let provider = Arc::new(CachingTokenProvider::new(HeldRefresh::default()));
        assert_eq!(provider.token().await.unwrap().secret(), "token-0");
        make_due(&provider);
        let refreshing = {
            let provider = provider.clone();
            tokio::spawn(async move { provider.token().await.unwrap().secret().to_owned() })
        };
        tokio::time::timeout(Duration::from_secs(60), provider.source.begun.notified())
            .await
            .expect("the refresh begins");

        let other = tokio::time::timeout(Duration::from_secs(60), provider.token())
            .await
            .expect("not made to wait for the refresh")
            .unwrap();

        assert_eq!(other.secret(), "token-0");
        assert!(!refreshing.is_finished());
        provider.source.finish.notify_one();
        assert_eq!(refreshing.await.unwrap(), "token-1");
        assert_eq!(provider.token().await.unwrap().secret(), "token-1");
    }
}
