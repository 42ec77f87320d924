//! The record of the call in progress: a task-local [`CallFacts`] that the
//! transport fills in as the call goes and the client reads when it ends.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::time::Instant;

use crate::error::CallFacts;

tokio::task_local! {
    // A `RefCell`, not a lock: a task-local is only touched by the task
    // polling the call, one poll at a time. Boxed: the value is moved into
    // its thread-local slot and back on every poll of the call.
    static CURRENT: Box<RefCell<CallFacts>>;
}

/// Runs `future` with a fresh record, and returns both.
pub(crate) async fn recorded<F: Future>(future: F) -> (F::Output, CallFacts) {
    let record = Box::new(RefCell::new(CallFacts::default()));
    let mut scoped = pin!(CURRENT.scope(record, future));
    let output = scoped.as_mut().await;
    let facts = scoped
        .as_mut()
        .take_value()
        .map(|record| record.into_inner())
        .unwrap_or_default();
    (output, facts)
}

/// When the current call started, if it recorded that (it does when it
/// waited for a token before it could be sent).
pub(crate) fn started() -> Option<Instant> {
    CURRENT
        .try_with(|facts| facts.borrow().started)
        .ok()
        .flatten()
}

/// Updates the current call's facts; does nothing outside `recorded`.
pub(crate) fn note(update: impl FnOnce(&mut CallFacts)) {
    let _ = CURRENT.try_with(|facts| update(&mut facts.borrow_mut()));
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
        let ((), nested_outer) = recorded(async {
            note(|facts| facts.attempts = 1);
            let ((), inner) = recorded(async { note(|facts| facts.attempts = 7) }).await;
            assert_eq!(inner.attempts, 7);
        })
        .await;
        assert_eq!(
            nested_outer.attempts, 1,
            "an inner call keeps its own record"
        );
    }
}
