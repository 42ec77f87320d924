//! What happened during one call, for the error it may end in.
//!
//! The generated client's error type loses some facts (an error body that
//! does not decode loses its status; no error says how many attempts were
//! made; a failed token fetch arrives as a string). `Client::call` runs the
//! generated method inside a task-local record that the middleware fills
//! in, and builds the SDK's [`Error`](crate::Error) from both.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderValue;

use crate::error::Error;

tokio::task_local! {
    static CURRENT: Arc<CallRecord>;
}

/// Facts about the call in progress.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    inner: Mutex<Facts>,
}

#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Requests sent.
    pub(crate) attempts: u32,
    /// Status, request id and wait of the last answer.
    pub(crate) status: Option<StatusCode>,
    pub(crate) request_id: Option<HeaderValue>,
    pub(crate) retry_after: Option<Duration>,
    /// A typed failure from before or around sending (token, input).
    pub(crate) failure: Option<Error>,
    /// The body of the last answer was over this limit.
    pub(crate) too_large: Option<usize>,
    /// A request that is not idempotent failed after it was sent: the API
    /// may have done the work.
    pub(crate) maybe_processed: bool,
}

impl Facts {
    /// The request id of the last answer, if it had a readable one.
    pub(crate) fn request_id(&self) -> Option<String> {
        self.request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

impl CallRecord {
    /// Takes the facts out, leaving defaults.
    pub(crate) fn take(&self) -> Facts {
        std::mem::take(&mut *self.inner.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Runs `future` with a fresh record, and returns both.
pub(crate) async fn recorded<F: Future>(future: F) -> (F::Output, Facts) {
    let record = Arc::new(CallRecord::default());
    let output = CURRENT.scope(record.clone(), future).await;
    (output, record.take())
}

/// Updates the current call's facts; does nothing outside `recorded`.
pub(crate) fn note(update: impl FnOnce(&mut Facts)) {
    let _ = CURRENT.try_with(|record| {
        update(&mut record.inner.lock().unwrap_or_else(PoisonError::into_inner))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn notes_reach_the_enclosing_call_only() {
        note(|facts| facts.attempts = 99);
        let ((), facts) = recorded(async {
            note(|facts| facts.attempts += 1);
            note(|facts| facts.attempts += 1);
        })
        .await;
        assert_eq!(facts.attempts, 2);
    }
}
