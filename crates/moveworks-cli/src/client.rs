//! The SDK client, built from the settings of this run and the limits of
//! the global flags.

use moveworks_ext::auth::CachingTokenProvider;
use moveworks_ext::defaults::DEFAULT_STREAM_IDLE_TIMEOUT;
use moveworks_ext::{Client, ConfigError, RetryPolicy, WaitPolicy};
use secrecy::ExposeSecret;

use crate::args::Global;
use crate::failure::Failure;
use crate::settings::{self, Credential, Settings, Source};
use crate::token_command::TokenCommand;

pub async fn client(global: &Global) -> Result<Client, Failure> {
    let settings = settings::resolve(global)?;
    let mut builder = Client::builder()
        .assistant_name(&settings.assistant_name.value)
        .user_agent(format!("moveworks-cli/{}", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &settings.base_url {
        builder = builder.base_url(&url.value);
    }
    if let Some(host) = settings.host {
        builder = builder.host(host);
    }
    if let Some(path) = settings.base_path {
        builder = builder.base_path(path);
    }
    if let Some(url) = &settings.token_url {
        builder = builder.token_url(&url.value);
    }
    builder = match &settings.credential {
        Credential::Token(secret) => {
            let token = settings::read_secret(secret, "token").await?;
            builder.bearer_token(token.expose_secret())
        }
        Credential::ClientCredentials { id, secret } => {
            let secret = settings::read_secret(secret, "client secret").await?;
            builder.client_credentials(&id.value, secret.expose_secret())
        }
        Credential::Command { words, source } => builder.token_provider(CachingTokenProvider::new(
            TokenCommand::new(words.clone(), source.clone()),
        )),
    };
    if let Some(timeout) = global.timeout {
        builder = builder
            .total_timeout(timeout)
            .wait_policy(WaitPolicy::default().total(timeout))
            .stream_idle_timeout(timeout.min(DEFAULT_STREAM_IDLE_TIMEOUT));
    }
    if let Some(retries) = global.retries {
        builder = builder.retry_policy(RetryPolicy::default().max_retries(retries));
    }
    builder
        .build()
        .map_err(|error| configuration(error, &settings))
}

/// A configuration error, naming where the setting at fault came from.
fn configuration(error: ConfigError, settings: &Settings) -> Failure {
    let source: Option<&Source> = match error.setting() {
        "base URL" => settings.base_url.as_ref().map(|s| &s.source),
        "token URL" => settings.token_url.as_ref().map(|s| &s.source),
        "assistant name" => Some(&settings.assistant_name.source),
        "client id" => match &settings.credential {
            Credential::ClientCredentials { id, .. } => Some(&id.source),
            Credential::Token(_) | Credential::Command { .. } => None,
        },
        _ => None,
    };
    Failure::Usage(match source {
        Some(source) => format!("{error} (from {source})"),
        None => error.to_string(),
    })
}
