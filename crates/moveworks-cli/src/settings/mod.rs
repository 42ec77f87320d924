//! The settings of a run, each from its flag, else its environment
//! variable, else the profile, else the SDK's default; and where each
//! came from, to name it when it is wrong.
//!
//! The credential is chosen as a whole, from the first of those layers
//! that has one, so that a token in the environment is not mixed with a
//! secret file of the profile. Secrets never come from a flag's value
//! (flags show in `ps`): only from the environment, a file, stdin, or a
//! token command's output.

mod config_file;
mod key;
mod profile;
mod secret;
mod source;

use std::path::PathBuf;

use moveworks_ext::{BasePath, Host, env};

pub use secret::read as read_secret;
pub use source::{Setting, Source};

use self::key::Key;
use self::profile::Profile;
use crate::args::Global;
use crate::failure::Failure;
use crate::token_command;

/// Selects the profile when --profile does not.
pub const PROFILE_ENV: &str = "MOVEWORKS_PROFILE";

/// The token command when --token-command does not name one. The CLI's
/// own: the SDK runs no programs.
pub const TOKEN_COMMAND_ENV: &str = "MOVEWORKS_TOKEN_COMMAND";

/// A secret, not read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// The value of an environment variable.
    Env(&'static str),
    /// The contents of a file.
    File(PathBuf, Source),
    /// All of stdin, for this flag (`--token-file -`).
    Stdin(&'static str),
}

/// How the client gets its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Token(Secret),
    ClientCredentials {
        id: Setting,
        secret: Secret,
    },
    /// A program that prints the token: its words, and where its command
    /// line came from.
    Command {
        words: Vec<String>,
        source: Source,
    },
}

/// The settings of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub assistant_name: Setting,
    /// Where the API is: a base URL, or a named host and base path (each
    /// optional), never both.
    pub base_url: Option<Setting>,
    pub host: Option<Host>,
    pub base_path: Option<BasePath>,
    pub token_url: Option<Setting>,
    pub credential: Credential,
}

/// The settings of this run, from `global`, the environment and the
/// config file.
pub fn resolve(global: &Global) -> Result<Settings, Failure> {
    resolve_with(global, |var| std::env::var(var).ok())
}

/// [`resolve`], with the environment read through `env`.
pub fn resolve_with(
    global: &Global,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Settings, Failure> {
    let env = |var: &str| env(var).filter(|value| !value.is_empty());
    let explicit = match (&global.profile, env(PROFILE_ENV)) {
        (Some(name), _) => Some((name.clone(), Source::Flag("--profile"))),
        (None, Some(name)) => Some((name, Source::Env(PROFILE_ENV))),
        (None, None) => None,
    };
    let profile = config_file::select(
        explicit
            .as_ref()
            .map(|(name, source)| (name.as_str(), source.clone())),
        global.config.as_deref(),
    )?;
    let layered = |flag: &'static str, value: &Option<String>, var: &'static str, key: Key| {
        value
            .clone()
            .map(|value| Setting {
                value,
                source: Source::Flag(flag),
            })
            .or_else(|| {
                env(var).map(|value| Setting {
                    value,
                    source: Source::Env(var),
                })
            })
            .or_else(|| profile.as_ref()?.get(key))
    };
    let assistant_name = layered(
        "--assistant-name",
        &global.assistant_name,
        env::ASSISTANT_NAME,
        Key::AssistantName,
    )
    .ok_or_else(|| {
        Failure::Usage(format!(
            "no assistant name: set {}, --assistant-name, or assistant_name in a profile",
            env::ASSISTANT_NAME
        ))
    })?;
    let client_id = layered(
        "--client-id",
        &global.client_id,
        env::CLIENT_ID,
        Key::ClientId,
    );
    let credential = match flag_credential(global, &client_id)? {
        Some(credential) => credential,
        None => match env_credential(&env, &client_id)? {
            Some(credential) => credential,
            None => profile_credential(profile.as_ref(), &client_id)?
                .ok_or_else(|| no_credential(client_id.as_ref()))?,
        },
    };
    let (base_url, host, base_path) = location(
        layered("--base-url", &global.base_url, env::BASE_URL, Key::BaseUrl),
        layered("--host", &global.host, env::HOST, Key::Host),
        layered(
            "--base-path",
            &global.base_path,
            env::BASE_PATH,
            Key::BasePath,
        ),
    )?;
    Ok(Settings {
        assistant_name,
        base_url,
        host,
        base_path,
        token_url: layered(
            "--token-url",
            &global.token_url,
            env::TOKEN_URL,
            Key::TokenUrl,
        ),
        credential,
    })
}

/// Where the API is. A base URL and a host or base path are two ways of
/// saying it: the one from the higher layer (flag, environment, profile)
/// replaces the other, and the same layer saying both is an error.
#[allow(clippy::type_complexity)]
fn location(
    base_url: Option<Setting>,
    host: Option<Setting>,
    base_path: Option<Setting>,
) -> Result<(Option<Setting>, Option<Host>, Option<BasePath>), Failure> {
    let named = [&host, &base_path]
        .into_iter()
        .flatten()
        .min_by_key(|setting| setting.source.rank());
    let (host, base_path) = match (&base_url, named) {
        (Some(url), Some(named)) if url.source.rank() == named.source.rank() => {
            return Err(Failure::Usage(format!(
                "{} and {}: set a base URL or a host and base path, not both",
                url.source, named.source
            )));
        }
        (Some(url), Some(named)) if url.source.rank() < named.source.rank() => (None, None),
        (Some(_), Some(_)) => return Ok((None, parsed(host)?, parsed(base_path)?)),
        _ => (host, base_path),
    };
    Ok((base_url, parsed(host)?, parsed(base_path)?))
}

/// A named value, or a usage error naming where it came from.
fn parsed<T: std::str::FromStr<Err = moveworks_ext::ConfigError>>(
    setting: Option<Setting>,
) -> Result<Option<T>, Failure> {
    setting
        .map(|setting| {
            setting
                .value
                .parse()
                .map_err(|error| Failure::Usage(format!("{error} (from {})", setting.source)))
        })
        .transpose()
}

fn flag_credential(
    global: &Global,
    client_id: &Option<Setting>,
) -> Result<Option<Credential>, Failure> {
    let from_flag = |path: &PathBuf, flag: &'static str, stdin: &'static str| {
        if path.as_os_str() == "-" {
            Secret::Stdin(stdin)
        } else {
            Secret::File(path.clone(), Source::Flag(flag))
        }
    };
    if let Some(line) = &global.token_command {
        return command(Setting {
            value: line.clone(),
            source: Source::Flag("--token-command"),
        })
        .map(Some);
    }
    if let Some(path) = &global.token_file {
        let secret = from_flag(path, "--token-file", "--token-file -");
        return Ok(Some(Credential::Token(secret)));
    }
    let Some(path) = &global.client_secret_file else {
        return Ok(None);
    };
    let secret = from_flag(path, "--client-secret-file", "--client-secret-file -");
    client_credentials(client_id, secret, "--client-secret-file").map(Some)
}

fn env_credential(
    env: &impl Fn(&str) -> Option<String>,
    client_id: &Option<Setting>,
) -> Result<Option<Credential>, Failure> {
    let token = env(env::API_TOKEN).is_some();
    let line = env(TOKEN_COMMAND_ENV);
    let secret = env(env::CLIENT_SECRET).is_some();
    let client = format!("{} and {}", env::CLIENT_ID, env::CLIENT_SECRET);
    let set: Vec<&str> = [
        (token, env::API_TOKEN),
        (line.is_some(), TOKEN_COMMAND_ENV),
        (secret || env(env::CLIENT_ID).is_some(), client.as_str()),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect();
    if let [first, second, ..] = set[..] {
        return Err(Failure::Usage(format!(
            "set either {first} or {second}, not both"
        )));
    }
    if token {
        return Ok(Some(Credential::Token(Secret::Env(env::API_TOKEN))));
    }
    if let Some(value) = line {
        let source = Source::Env(TOKEN_COMMAND_ENV);
        return command(Setting { value, source }).map(Some);
    }
    if secret {
        let secret = Secret::Env(env::CLIENT_SECRET);
        return client_credentials(client_id, secret, env::CLIENT_SECRET).map(Some);
    }
    Ok(None)
}

fn profile_credential(
    profile: Option<&Profile>,
    client_id: &Option<Setting>,
) -> Result<Option<Credential>, Failure> {
    let Some(profile) = profile else {
        return Ok(None);
    };
    let file = |setting: Setting| Secret::File(PathBuf::from(setting.value), setting.source);
    let mut set = [Key::TokenFile, Key::ClientSecretFile, Key::TokenCommand]
        .into_iter()
        .filter_map(|key| Some((key, profile.get(key)?)));
    let Some((key, setting)) = set.next() else {
        return Ok(None);
    };
    if let Some((_, other)) = set.next() {
        return Err(Failure::Usage(format!(
            "{} and {}: a profile has one credential, not both",
            other.source,
            key.name()
        )));
    }
    match key {
        Key::TokenFile => Ok(Some(Credential::Token(file(setting)))),
        Key::ClientSecretFile => {
            let needed_by = format!("client_secret_file of profile `{}`", profile.name());
            client_credentials(client_id, file(setting), &needed_by).map(Some)
        }
        // token_command
        _ => command(setting).map(Some),
    }
}

/// A token command, split into its words as a shell would.
fn command(line: Setting) -> Result<Credential, Failure> {
    match token_command::split(&line.value) {
        Ok(words) => Ok(Credential::Command {
            words,
            source: line.source,
        }),
        Err(error) => Err(Failure::Usage(format!(
            "the token command (from {}) {error}",
            line.source
        ))),
    }
}

fn client_credentials(
    client_id: &Option<Setting>,
    secret: Secret,
    needed_by: &str,
) -> Result<Credential, Failure> {
    match client_id {
        Some(id) => Ok(Credential::ClientCredentials {
            id: id.clone(),
            secret,
        }),
        None => Err(Failure::Usage(format!(
            "{needed_by} needs a client id: --client-id, {} or client_id in a profile",
            env::CLIENT_ID
        ))),
    }
}

fn no_credential(client_id: Option<&Setting>) -> Failure {
    Failure::Usage(match client_id {
        Some(id) => format!(
            "a client id is set ({}) but no client secret: set {}, --client-secret-file, \
             or client_secret_file in a profile",
            id.source,
            env::CLIENT_SECRET
        ),
        None => format!(
            "no credential: set {} (or --token-file), {} and {} (or --client-secret-file), \
             or {TOKEN_COMMAND_ENV} (or --token-command), or give a profile token_file, \
             client_secret_file or token_command",
            env::API_TOKEN,
            env::CLIENT_ID,
            env::CLIENT_SECRET
        ),
    })
}

#[cfg(test)]
mod tests;
