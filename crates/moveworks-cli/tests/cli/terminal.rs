//! What a terminal shows, seen through a pseudo-terminal on stderr: the
//! spinner only where it can redraw (not with TERM=dumb), no colour, and
//! Ctrl-C clears the spinner's line and exits 130.

use std::process::{Child, Stdio};

use crate::pty::{self, Screen};
use crate::support::*;

const ESC: u8 = 0x1b;

/// Starts `moveworks` with stderr on a pseudo-terminal.
fn on_terminal(moveworks: Moveworks) -> (Child, Screen) {
    let (terminal, screen) = pty::open();
    let mut command = moveworks.command();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(terminal));
    let child = command.spawn().unwrap();
    // The command holds the terminal's child end until it is dropped.
    drop(command);
    (child, screen)
}

async fn finished(child: Child, screen: Screen) -> (i32, String, Vec<u8>) {
    tokio::task::spawn_blocking(move || {
        let output = child.wait_with_output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            screen.finish(),
        )
    })
    .await
    .unwrap()
}

/// `ask --no-stream` waits a couple of seconds on the mock (it answers
/// IN_PROGRESS a few times): long enough for the spinner to turn.
fn slow_ask(api: &MockApi, term: &str) -> Moveworks {
    Moveworks::new(&["ask", "How do I reset my password?", "--no-stream"])
        .against(&api.base_url())
        .env("TERM", term)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_spinner_turns_on_a_terminal_and_clears_its_line() {
    let api = mock().await;
    let (child, screen) = on_terminal(slow_ask(&api, "xterm-256color"));
    let (code, stdout, screen) = finished(child, screen).await;
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&screen));
    assert!(stdout.starts_with(ANSWER));
    let text = String::from_utf8_lossy(&screen);
    assert!(text.contains("\r| thinking"), "{text:?}");
    assert!(text.ends_with("\r\x1b[2K"), "{text:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dumb_terminal_gets_no_escape_byte() {
    let api = mock().await;
    for term in ["dumb", ""] {
        let (child, screen) = on_terminal(slow_ask(&api, term));
        let (code, stdout, screen) = finished(child, screen).await;
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&screen));
        assert!(stdout.starts_with(ANSWER));
        assert!(!screen.contains(&ESC), "TERM={term}: {screen:?}");
        assert!(
            !String::from_utf8_lossy(&screen).contains("thinking"),
            "TERM={term}: {screen:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_colour_on_a_terminal_with_no_color() {
    // Errors and help on a terminal that would take colour.
    for args in [
        &["conversations", "list", "--colour"][..],
        &["ask", "--help"],
    ] {
        let moveworks = Moveworks::new(args)
            .env("TERM", "xterm-256color")
            .env("NO_COLOR", "1");
        let (terminal, screen) = pty::open();
        let mut command = moveworks.command();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::from(terminal.try_clone().unwrap()))
            .stderr(Stdio::from(terminal));
        let child = command.spawn().unwrap();
        drop(command);
        let (_, _, screen) = finished(child, screen).await;
        assert!(!screen.is_empty(), "{args:?} printed nothing");
        assert!(!screen.contains(&ESC), "{args:?}: {screen:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_clears_the_spinner_and_exits_130() {
    let api = mock().await;
    let (child, screen) = on_terminal(slow_ask(&api, "xterm-256color"));
    let screen = tokio::task::spawn_blocking(move || {
        screen.wait_for("thinking");
        screen
    })
    .await
    .unwrap();
    // SAFETY: kill only sends a signal to the child started above.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let (code, stdout, screen) = finished(child, screen).await;
    let text = String::from_utf8_lossy(&screen);
    assert_eq!(code, 130, "{text:?}");
    assert_eq!(stdout, "");
    // The last thing on the terminal erases the spinner's line.
    assert!(text.ends_with("\r\x1b[2K"), "{text:?}");
}
