//! A command line split into its program and arguments as a POSIX shell
//! splits words, with nothing expanded: the command then runs without a
//! shell, so that no secret it handles passes through one.
//!
//! Whitespace separates words; single quotes keep everything literal;
//! double quotes keep everything but `\"`, `\\`, `\$` and `` \` `` (the
//! backslash escapes) and a backslash before a line break (both dropped);
//! outside quotes a backslash escapes the next character. What a shell
//! would act on (a pipe, a redirection, `$`, a backquote, a `~` or `#`
//! starting a word) is refused rather than passed on as text, since no
//! shell is there to act on it.

/// Why a command line cannot be split. Positions count characters from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordsError {
    /// Nothing but whitespace.
    Empty,
    /// A quote opened at this position is never closed.
    Unbalanced { quote: char, at: usize },
    /// A character only a shell would act on, at this position.
    NeedsShell { what: char, at: usize },
}

impl std::fmt::Display for WordsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WordsError::Empty => f.write_str("is empty"),
            WordsError::Unbalanced { quote, at } => {
                let name = if *quote == '"' { "double" } else { "single" };
                write!(
                    f,
                    "has a {name} quote at character {at} that is never closed"
                )
            }
            WordsError::NeedsShell { what, at } => write!(
                f,
                "has `{what}` at character {at}, which only a shell acts on, and the command \
                 runs without one: quote it, or put what needs a shell in a script"
            ),
        }
    }
}

/// Characters that are a shell's operators or expansions anywhere outside
/// single quotes (`$` and the backquote also inside double ones).
const OPERATORS: &[char] = &['|', '&', ';', '<', '>', '(', ')'];
const EXPANSIONS: &[char] = &['$', '`'];
/// Special only at the start of a word: the home folder, a comment.
const WORD_START: &[char] = &['~', '#'];

/// The words of `line`.
pub fn split(line: &str) -> Result<Vec<String>, WordsError> {
    let mut words = Vec::new();
    // The word being read; `None` between words (an empty quoted word is
    // `Some("")`).
    let mut word: Option<String> = None;
    let mut chars = line.chars().zip(1..).peekable();
    while let Some((c, at)) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => words.extend(word.take()),
            '\\' => match chars.next() {
                // A line continuation: nothing.
                Some(('\n', _)) => {}
                Some((next, _)) => word.get_or_insert_default().push(next),
                // At the very end a shell keeps it.
                None => word.get_or_insert_default().push('\\'),
            },
            '\'' => {
                let word = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some(('\'', _)) => break,
                        Some((c, _)) => word.push(c),
                        None => return Err(WordsError::Unbalanced { quote: '\'', at }),
                    }
                }
            }
            '"' => {
                let word = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some(('"', _)) => break,
                        Some(('\\', _)) => match chars.peek() {
                            Some(('\n', _)) => {
                                chars.next();
                            }
                            Some((next @ ('"' | '\\' | '$' | '`'), _)) => {
                                word.push(*next);
                                chars.next();
                            }
                            _ => word.push('\\'),
                        },
                        Some((what, at)) if EXPANSIONS.contains(&what) => {
                            return Err(WordsError::NeedsShell { what, at });
                        }
                        Some((c, _)) => word.push(c),
                        None => return Err(WordsError::Unbalanced { quote: '"', at }),
                    }
                }
            }
            what if OPERATORS.contains(&what) || EXPANSIONS.contains(&what) => {
                return Err(WordsError::NeedsShell { what, at });
            }
            what if word.is_none() && WORD_START.contains(&what) => {
                return Err(WordsError::NeedsShell { what, at });
            }
            c => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    if words.is_empty() {
        return Err(WordsError::Empty);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split(line).unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    #[test]
    fn whitespace_separates_words() {
        assert_eq!(words("get-token"), ["get-token"]);
        assert_eq!(
            words("  get-token\t--tenant  acme\n"),
            ["get-token", "--tenant", "acme"]
        );
    }

    #[test]
    fn single_quotes_keep_everything_literal() {
        assert_eq!(
            words(r#"op read 'op://vault/a b/"x" \n $HOME'"#),
            ["op", "read", r#"op://vault/a b/"x" \n $HOME"#]
        );
        // An empty quoted word is a word; quotes join what touches them.
        assert_eq!(words("cmd '' a'b'c"), ["cmd", "", "abc"]);
    }

    #[test]
    fn double_quotes_keep_all_but_four_escapes() {
        assert_eq!(
            words(r#"cmd "a \"b\" \\ \$x \` \n 'q'""#),
            ["cmd", r#"a "b" \ $x ` \n 'q'"#]
        );
        assert_eq!(words("cmd \"a\\\nb\""), ["cmd", "ab"]);
        assert_eq!(words(r#"cmd """#), ["cmd", ""]);
    }

    #[test]
    fn a_backslash_outside_quotes_escapes_the_next_character() {
        assert_eq!(
            words(r"cmd a\ b \'c \$d \|e \\ \~f"),
            ["cmd", "a b", "'c", "$d", "|e", r"\", "~f"]
        );
        // A line continuation joins; a backslash at the end stays.
        assert_eq!(words("cmd a\\\nb c\\"), ["cmd", "ab", r"c\"]);
    }

    #[test]
    fn an_unbalanced_quote_says_which_and_where() {
        assert_eq!(
            split("cmd 'abc"),
            Err(WordsError::Unbalanced { quote: '\'', at: 5 })
        );
        assert_eq!(
            split(r#"cmd "a\""#),
            Err(WordsError::Unbalanced { quote: '"', at: 5 })
        );
        // Counted in characters, not bytes.
        assert_eq!(
            split("émettre 'x"),
            Err(WordsError::Unbalanced { quote: '\'', at: 9 })
        );
        assert_eq!(
            split("cmd 'abc").unwrap_err().to_string(),
            "has a single quote at character 5 that is never closed"
        );
    }

    #[test]
    fn what_only_a_shell_acts_on_is_refused() {
        for (line, what, at) in [
            ("get-token | jq -r .token", '|', 11),
            ("get-token > out", '>', 11),
            ("get-token; rm x", ';', 10),
            ("get-token &", '&', 11),
            ("get-token $TENANT", '$', 11),
            ("get-token \"$TENANT\"", '$', 12),
            ("get-token `id`", '`', 11),
            ("~/bin/get-token", '~', 1),
            ("get-token # comment", '#', 11),
        ] {
            assert_eq!(
                split(line),
                Err(WordsError::NeedsShell { what, at }),
                "{line}"
            );
        }
        // Inside a word, or quoted, they are text.
        assert_eq!(words("a~b c#d '$x|y'"), ["a~b", "c#d", "$x|y"]);
    }

    #[test]
    fn an_empty_line_is_refused() {
        assert_eq!(split(""), Err(WordsError::Empty));
        assert_eq!(split(" \t\n"), Err(WordsError::Empty));
        assert_eq!(split("''"), Ok(vec![String::new()]));
    }
}
