//! A retry budget shared by a client and its clones: a token bucket, as in
//! the AWS SDKs' standard retry mode. Each retry withdraws tokens; a call
//! that succeeds at once puts one back, and one that succeeds after
//! retries returns what its retries took. When the bucket cannot pay for a
//! retry, the call ends with its error at once: during an outage every
//! call sends one request instead of three, so a failing server is not
//! sent three times its load.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// How many retries a client may make while the API fails: a token bucket
/// shared by the client, its clones and its [`Client::with_options`](crate::Client::with_options)
/// clients. Each retry withdraws tokens; a call that succeeds at once puts
/// some back, and one that succeeds after retries returns what its retries
/// took. When the bucket cannot pay for a retry, the call ends with its
/// error at once, and [`Error::retry_budget_spent`](crate::Error::retry_budget_spent)
/// says so.
///
/// The default is the AWS SDKs' standard mode: 500 tokens, 5 a retry, 10 a
/// retry after a timeout, 1 back per call that succeeds at once. During an
/// outage that is 100 retries for the whole client, then none until calls
/// succeed again.
///
/// ```
/// use moveworks_ext::{Client, RetryBudget};
///
/// # fn build() -> Result<Client, moveworks_ext::ConfigError> {
/// let client = Client::builder()
///     .assistant_name("acme")
///     .bearer_token("token")
///     .retry_budget(RetryBudget::default().capacity(1000))
///     .build()?;
/// # Ok(client)
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryBudget {
    pub(crate) capacity: Option<u32>,
    pub(crate) retry_cost: u32,
    pub(crate) timeout_retry_cost: u32,
    pub(crate) success_refund: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            capacity: Some(500),
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryBudget {
    /// No budget: every call retries as its [`RetryPolicy`](crate::RetryPolicy)
    /// says, however many fail at once.
    pub fn unlimited() -> Self {
        Self {
            capacity: None,
            ..Self::default()
        }
    }

    /// Tokens in the bucket when it is full, and when the client starts
    /// (default 500).
    pub fn capacity(mut self, tokens: u32) -> Self {
        self.capacity = Some(tokens);
        self
    }

    /// Tokens a retry takes (default 5).
    pub fn retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// Tokens a retry after a timeout takes (default 10): a timeout costs
    /// the server more than an error answer.
    pub fn timeout_retry_cost(mut self, tokens: u32) -> Self {
        self.timeout_retry_cost = tokens;
        self
    }

    /// Tokens a call that succeeds without a retry puts back (default 1).
    pub fn success_refund(mut self, tokens: u32) -> Self {
        self.success_refund = tokens;
        self
    }

    /// The bucket this budget describes, or `None` when it is unlimited.
    pub(crate) fn bucket(&self) -> Option<TokenBucket> {
        let capacity = self.capacity?;
        Some(TokenBucket {
            tokens: Arc::new(AtomicU32::new(capacity)),
            capacity,
            budget: self.clone(),
        })
    }
}

/// The shared tokens of a [`RetryBudget`].
#[derive(Debug, Clone)]
pub(crate) struct TokenBucket {
    tokens: Arc<AtomicU32>,
    capacity: u32,
    budget: RetryBudget,
}

impl TokenBucket {
    /// Takes what a retry costs (`after_timeout`: a retry of a timeout);
    /// the tokens taken, or `None` when the bucket cannot pay.
    pub(crate) fn withdraw(&self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout {
            self.budget.timeout_retry_cost
        } else {
            self.budget.retry_cost
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded: it returns what its retries took (`leased`), or,
    /// without retries, puts back the success refund; never past capacity.
    pub(crate) fn succeeded(&self, leased: u32) {
        let back = if leased > 0 {
            leased
        } else {
            self.budget.success_refund
        };
        // A read first: when the bucket is full, as it is while the API is
        // healthy, a success costs no write to the shared counter.
        if back == 0 || self.tokens.load(Ordering::Relaxed) >= self.capacity {
            return;
        }
        let capacity = self.capacity;
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                (tokens < capacity).then(|| tokens.saturating_add(back).min(capacity))
            });
    }

    /// The tokens left.
    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_pays_for_a_hundred_retries_then_none() {
        let bucket = RetryBudget::default().bucket().unwrap();
        let paid = (0..1000)
            .filter(|_| bucket.withdraw(false).is_some())
            .count();
        assert_eq!(paid, 100);
        assert_eq!(bucket.tokens(), 0);
        assert_eq!(bucket.withdraw(false), None);
    }

    #[test]
    fn timeouts_cost_double() {
        let bucket = RetryBudget::default().capacity(25).bucket().unwrap();
        assert_eq!(bucket.withdraw(true), Some(10));
        assert_eq!(bucket.withdraw(true), Some(10));
        assert_eq!(
            bucket.withdraw(true),
            None,
            "5 left cannot pay for a timeout"
        );
        assert_eq!(bucket.withdraw(false), Some(5));
        assert_eq!(bucket.tokens(), 0);
    }

    #[test]
    fn successes_refill_up_to_capacity() {
        let bucket = RetryBudget::default().capacity(12).bucket().unwrap();
        assert_eq!(bucket.withdraw(false), Some(5));
        assert_eq!(bucket.withdraw(false), Some(5));
        bucket.succeeded(0);
        assert_eq!(bucket.tokens(), 3);
        bucket.succeeded(5);
        assert_eq!(
            bucket.tokens(),
            8,
            "a success after a retry returns its lease"
        );
        bucket.succeeded(5);
        bucket.succeeded(5);
        assert_eq!(bucket.tokens(), 12, "never past capacity");
        let none = RetryBudget::default()
            .success_refund(0)
            .capacity(10)
            .bucket()
            .unwrap();
        none.withdraw(false);
        none.succeeded(0);
        assert_eq!(none.tokens(), 5);
    }

    #[test]
    fn the_costs_can_be_set() {
        let bucket = RetryBudget::default()
            .capacity(20)
            .retry_cost(3)
            .timeout_retry_cost(7)
            .bucket()
            .unwrap();
        assert_eq!(bucket.withdraw(false), Some(3));
        assert_eq!(bucket.withdraw(true), Some(7));
        assert_eq!(bucket.tokens(), 10);
    }

    #[test]
    fn an_unlimited_budget_has_no_bucket() {
        assert!(RetryBudget::unlimited().bucket().is_none());
        assert!(RetryBudget::unlimited().capacity(3).bucket().is_some());
    }

    #[test]
    fn clones_share_the_tokens() {
        let bucket = RetryBudget::default().capacity(10).bucket().unwrap();
        let clone = bucket.clone();
        clone.withdraw(false);
        assert_eq!(bucket.tokens(), 5);
    }
}
