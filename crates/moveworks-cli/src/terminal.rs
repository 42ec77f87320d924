//! What the terminal on stderr can show.
//!
//! Nothing here writes colour: clap is built without its `color` feature
//! and the CLI's own text has none. Colour, if it is ever added, is
//! decided here and must honour NO_COLOR (a test runs the binary on a
//! pseudo-terminal with NO_COLOR set and finds no escape byte).

use std::io::IsTerminal;

/// Whether stderr is a terminal that understands cursor movement, so a
/// spinner can redraw its line: not a pipe or a file, and `TERM` is not
/// `dumb` (Emacs shells, some CI logs). On Unix an unset `TERM` counts as
/// dumb too; Windows consoles do not set it.
pub fn stderr_can_redraw() -> bool {
    std::io::stderr().is_terminal() && term_can_redraw(std::env::var_os("TERM").as_deref())
}

fn term_can_redraw(term: Option<&std::ffi::OsStr>) -> bool {
    match term {
        Some(term) => term != "dumb" && !term.is_empty(),
        None => cfg!(windows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumb_terminals_get_no_redraws() {
        assert!(term_can_redraw(Some("xterm-256color".as_ref())));
        assert!(!term_can_redraw(Some("dumb".as_ref())));
        assert!(!term_can_redraw(Some("".as_ref())));
        assert_eq!(term_can_redraw(None), cfg!(windows));
    }
}
