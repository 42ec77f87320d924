//! Profiles: the tables of a TOML config file, each a set of settings.
//!
//! ```toml
//! [default]
//! assistant_name = "acme-assistant"
//! client_id = "my-client"
//! client_secret_file = "~/.config/moveworks/secret"
//!
//! [staging]
//! base_url = "https://staging.example.com/rest/v1"
//! assistant_name = "acme-staging"
//! token_file = "staging-token"    # relative to this file's folder
//! ```
//!
//! A profile holds paths to secret files, never a secret: a key that
//! names one is refused. Every mistake is one line naming the file and the
//! line, and never quotes a value (it might be a secret put in the wrong
//! place).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::key::{Key, names_a_secret};
use super::source::{Setting, Source};
use crate::failure::Failure;

/// One profile of a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    file: PathBuf,
    /// Each setting's value and line.
    values: Vec<(Key, String, usize)>,
}

impl Profile {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The setting `key`, if the profile has it. Paths are made absolute:
    /// `~/` is the home folder, and a relative path is relative to the
    /// config file's folder, wherever the command runs.
    pub fn get(&self, key: Key) -> Option<Setting> {
        let (_, value, line) = self.values.iter().find(|(k, _, _)| *k == key)?;
        let value = if key.is_path() {
            self.path(value).to_string_lossy().into_owned()
        } else {
            value.clone()
        };
        Some(Setting {
            value,
            source: Source::Profile {
                key: key.name(),
                profile: self.name.clone(),
                file: self.file.clone(),
                line: *line,
            },
        })
    }

    fn path(&self, value: &str) -> PathBuf {
        if let Some(rest) = value.strip_prefix("~/")
            && let Some(dirs) = directories::BaseDirs::new()
        {
            return dirs.home_dir().join(rest);
        }
        let folder = self.file.parent().unwrap_or(Path::new(""));
        folder.join(value)
    }
}

/// Every profile of the config file at `file`, whose text is `text`.
pub fn parse(file: &Path, text: &str) -> Result<BTreeMap<String, Profile>, Failure> {
    let line = line_of(text);
    let at = |offset: usize, what: String| {
        Failure::Usage(format!("{}:{}: {what}", file.display(), line(offset)))
    };
    let document = DeTable::parse(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        at(offset, error.message().replace('\n', " "))
    })?;
    let mut problems: Vec<(usize, String)> = Vec::new();
    let mut profiles = BTreeMap::new();
    for (name, value) in document.get_ref() {
        let offset = name.span().start;
        let DeValue::Table(table) = value.get_ref() else {
            problems.push((
                offset,
                format!(
                    "`{}` is not a profile: the file holds tables of settings, `[NAME]`",
                    name.get_ref()
                ),
            ));
            continue;
        };
        let name = name.get_ref().to_string();
        let values = settings(&name, table, &mut problems, &line);
        profiles.insert(
            name.clone(),
            Profile {
                name,
                file: file.to_owned(),
                values,
            },
        );
    }
    match problems.into_iter().min_by_key(|(offset, _)| *offset) {
        Some((offset, what)) => Err(at(offset, what)),
        None => Ok(profiles),
    }
}

fn line_of(text: &str) -> impl Fn(usize) -> usize + '_ {
    |offset| text[..offset.min(text.len())].matches('\n').count() + 1
}

fn settings(
    profile: &str,
    table: &DeTable<'_>,
    problems: &mut Vec<(usize, String)>,
    line: &impl Fn(usize) -> usize,
) -> Vec<(Key, String, usize)> {
    let mut values = Vec::new();
    for (name, value) in table {
        let offset = name.span().start;
        let name = name.get_ref().as_ref();
        let Some(key) = Key::from_name(name) else {
            problems.push((offset, unknown(profile, name)));
            continue;
        };
        match text_value(value) {
            Some(text) if !text.is_empty() => values.push((key, text.to_owned(), line(offset))),
            Some(_) => problems.push((offset, format!("`{name}` of profile `{profile}` is empty"))),
            None => problems.push((
                offset,
                format!("`{name}` of profile `{profile}` must be a string"),
            )),
        }
    }
    values
}

fn text_value<'a>(value: &'a Spanned<DeValue<'_>>) -> Option<&'a str> {
    match value.get_ref() {
        DeValue::String(text) => Some(text.as_ref()),
        _ => None,
    }
}

fn unknown(profile: &str, name: &str) -> String {
    if names_a_secret(name) {
        return format!(
            "profile `{profile}` holds `{name}`, but a profile never holds a secret: \
             put it in a file and name the file with token_file or client_secret_file, \
             or name a program that prints it with token_command"
        );
    }
    let known: Vec<&str> = Key::ALL.iter().map(|key| key.name()).collect();
    format!(
        "profile `{profile}` has no setting `{name}` (the settings are {})",
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse(Path::new("/home/u/.config/moveworks/config.toml"), text) {
            Err(Failure::Usage(message)) => message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn profiles_hold_settings_with_their_lines() {
        let profiles = parse(
            Path::new("/etc/mw/config.toml"),
            "[default]\nassistant_name = \"acme\"\n\n[work]\nbase_url = \"https://x\"\ntoken_file = \"tok\"\n",
        )
        .unwrap();
        assert_eq!(profiles.len(), 2);
        let work = &profiles["work"];
        let token = work.get(Key::TokenFile).unwrap();
        assert_eq!(token.value, "/etc/mw/tok");
        assert_eq!(
            token.source.to_string(),
            "token_file of profile `work` (/etc/mw/config.toml:6)"
        );
        assert_eq!(work.get(Key::AssistantName), None);
        assert_eq!(
            profiles["default"].get(Key::AssistantName).unwrap().value,
            "acme"
        );
    }

    #[test]
    fn mistakes_name_the_file_and_line_and_never_a_value() {
        let file = "/home/u/.config/moveworks/config.toml";
        let syntax = error("[default]\nassistant_name = \"a\"\nbase_url = \n");
        assert!(syntax.starts_with(&format!("{file}:3: ")), "{syntax}");
        let secret = error("[work]\nclient_secret = \"s3cr3t-value\"\n");
        assert!(secret.starts_with(&format!("{file}:2: ")), "{secret}");
        assert!(secret.contains("never holds a secret"), "{secret}");
        assert!(!secret.contains("s3cr3t-value"), "{secret}");
        let top = error("token = \"s3cr3t-value\"\n[work]\n");
        assert!(top.starts_with(&format!("{file}:1: ")), "{top}");
        assert!(!top.contains("s3cr3t-value"), "{top}");
        let typo = error("[work]\nbase_url = \"https://x\"\nasistant_name = \"a\"\n");
        assert!(typo.starts_with(&format!("{file}:3: ")), "{typo}");
        assert!(typo.contains("`asistant_name`"), "{typo}");
        let number = error("[work]\n\nclient_id = 42\n");
        assert!(number.starts_with(&format!("{file}:3: ")), "{number}");
        assert!(number.contains("must be a string"), "{number}");
        for message in [syntax, secret, top, typo, number] {
            assert_eq!(message.lines().count(), 1, "{message}");
        }
    }
}
