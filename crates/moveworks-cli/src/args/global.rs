//! The flags every command takes: where the settings come from, the
//! limits of each call, and the form of the output.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// Settings every command takes. Each setting comes from its flag, else
/// its environment variable, else the profile, else the default.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The profile (a table of the config file) to take settings from
    /// [default: MOVEWORKS_PROFILE, else `default` if the file has it].
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The config file [default: moveworks/config.toml in the platform's
    /// config directory, e.g. ~/.config on Linux].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The API base URL [default: MOVEWORKS_BASE_URL, else from the host
    /// and base path].
    #[arg(long, global = true, value_name = "URL", conflicts_with_all = ["host", "base_path"])]
    pub base_url: Option<String>,
    /// The Moveworks host: us, us-prod3, us-prod4, eu, uk, jp,
    /// am-eu-central, am-ca-central, am-ap-southeast, gov, or its host name
    /// [default: MOVEWORKS_HOST, else us (api.moveworks.ai)].
    #[arg(long, global = true, value_name = "NAME")]
    pub host: Option<String>,
    /// The base path: rest/v1, assistant/v1 (deprecated) or rest/v1beta1
    /// (beta, deprecated) [default: MOVEWORKS_BASE_PATH, else rest/v1].
    #[arg(long, global = true, value_name = "PATH")]
    pub base_path: Option<String>,
    /// The assistant name sent as Assistant-Name [default: MOVEWORKS_ASSISTANT_NAME].
    #[arg(long, global = true, value_name = "NAME")]
    pub assistant_name: Option<String>,
    /// The OAuth token endpoint [default: MOVEWORKS_TOKEN_URL, else the
    /// host's].
    #[arg(long, global = true, value_name = "URL")]
    pub token_url: Option<String>,
    /// The OAuth client id [default: MOVEWORKS_CLIENT_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read the bearer token from this file (- for stdin) instead of
    /// MOVEWORKS_API_TOKEN.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        conflicts_with = "client_secret_file"
    )]
    pub token_file: Option<PathBuf>,
    /// Read the OAuth client secret from this file (- for stdin) instead of
    /// MOVEWORKS_CLIENT_SECRET.
    #[arg(long, global = true, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,
    /// Run this program for the bearer token: split into words as a shell
    /// would, run without one, it prints the token or JSON with
    /// access_token and expires_in or expires_at [default:
    /// MOVEWORKS_TOKEN_COMMAND].
    #[arg(
        long,
        global = true,
        value_name = "COMMAND",
        conflicts_with_all = ["token_file", "client_secret_file"]
    )]
    pub token_command: Option<String>,
    /// The most one call may take, retries included, and the most an
    /// answer may take to stream or be waited for [default: 60 for a call,
    /// 120 for an answer].
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    pub timeout: Option<Duration>,
    /// Retries of a failed call that is safe to send again [default: 2].
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,
    /// Machine-readable output: one JSON document, or one per line for
    /// lists; a failure is one JSON object on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only the answer: no citations, actions, ids, hints, notes or
    /// spinner.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

pub fn seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if seconds.is_nan() || seconds <= 0.0 {
        return Err(format!("`{text}` is not a positive number of seconds"));
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("`{text}` seconds is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(seconds("30"), Ok(Duration::from_secs(30)));
        for bad in ["0", "-1", "abc", "NaN", "inf", "1e30"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}
