//! Stdin, which one input at most may read: `ask -`, `--body -`,
//! `--token-file -`, `--client-secret-file -` or `chat`. A second one is a
//! usage error, found before anything is sent.
//!
//! Reads happen off the runtime's thread, so that Ctrl-C is heard while a
//! read waits for the user; such a read cannot be cancelled, and the
//! runtime is shut down without waiting for it.

use std::io::{BufRead, Read};
use std::sync::Mutex;

use tokio::sync::mpsc;

use crate::failure::Failure;

static READER: Mutex<Option<&'static str>> = Mutex::new(None);

/// Reserves stdin for `user` (as the user would write it: `ask -`).
pub fn claim(user: &'static str) -> Result<(), Failure> {
    let mut reader = READER.lock().unwrap_or_else(|e| e.into_inner());
    match *reader {
        Some(first) if first != user => Err(Failure::Usage(format!(
            "{first} and {user} both read stdin; give one of them a file"
        ))),
        _ => {
            *reader = Some(user);
            Ok(())
        }
    }
}

/// All of stdin, for `user`.
pub async fn read_all(user: &'static str) -> Result<Vec<u8>, Failure> {
    claim(user)?;
    let read = tokio::task::spawn_blocking(|| {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    });
    match read.await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => Err(Failure::Other(format!("cannot read stdin: {error}"))),
        Err(error) => Err(Failure::Other(format!("cannot read stdin: {error}"))),
    }
}

/// A line of stdin, or why it could not be read.
pub type Line = Result<String, String>;

/// Stdin line by line, for `user`, read on a thread of its own; the
/// channel closes at EOF or after a read error.
pub fn lines(user: &'static str) -> Result<mpsc::Receiver<Line>, Failure> {
    claim(user)?;
    let (sender, receiver) = mpsc::channel(1);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut number = 0;
        loop {
            let mut raw = Vec::new();
            number += 1;
            let line = match stdin.read_until(b'\n', &mut raw) {
                Ok(0) => return,
                Ok(_) => String::from_utf8(raw)
                    .map_err(|_| format!("line {number} of stdin is not UTF-8; skipped")),
                Err(error) => {
                    let _ = sender.blocking_send(Err(format!("cannot read stdin: {error}")));
                    return;
                }
            };
            if sender.blocking_send(line).is_err() {
                return;
            }
        }
    });
    Ok(receiver)
}
