//! Ctrl-C. The first one is delivered to whoever waits for it (most
//! commands stop, so that what they show, a spinner, is cleared; `chat`
//! ends its session); a second one ends the process at once, in case what
//! the first one asked for hangs.

use std::sync::OnceLock;

use tokio::sync::watch;

use crate::exit_code::Exit;

static PRESSED: OnceLock<watch::Receiver<bool>> = OnceLock::new();

/// Starts listening. Call once, inside the runtime, before any command
/// runs: until then Ctrl-C kills the process as usual.
pub async fn listen() {
    let (pressed, receiver) = watch::channel(false);
    if PRESSED.set(receiver).is_err() {
        return;
    }
    tokio::spawn(async move {
        // If no handler can be installed Ctrl-C keeps its default effect
        // (the process ends), which is the next best thing.
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        let _ = pressed.send(true);
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(Exit::Interrupted.code().into());
        }
    });
    // Let the task run up to its first wait, which installs the handler.
    tokio::task::yield_now().await;
}

/// Resolves when Ctrl-C was pressed (at once if it already was); never
/// when nothing listens.
pub async fn pressed() {
    let Some(receiver) = PRESSED.get() else {
        return std::future::pending().await;
    };
    let mut receiver = receiver.clone();
    if receiver.wait_for(|pressed| *pressed).await.is_err() {
        std::future::pending::<()>().await;
    }
}
