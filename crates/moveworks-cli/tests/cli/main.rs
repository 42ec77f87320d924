//! The real `moveworks` binary against loopback servers: the mock of the
//! whole API, scripted servers for failures, a pseudo-terminal for what a
//! terminal shows. One test binary, so that the suite links once.

mod chat;
mod commands;
mod exit_codes;
mod help;
mod interactive;
mod json_errors;
mod pipes;
mod profiles;
#[cfg(unix)]
mod pty;
mod support;
#[cfg(unix)]
mod terminal;
mod token_command;
