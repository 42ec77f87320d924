//! Which layer each setting comes from.

use std::path::PathBuf;

use clap::Parser;

use super::*;
use crate::args::Cli;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("moveworks-settings-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn global(args: &[&str]) -> Global {
    let mut all = vec!["moveworks"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["api", "--list"]);
    Cli::parse_from(all).global
}

fn settings(args: &[&str], env: &[(&str, &str)]) -> Result<Settings, Failure> {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    resolve_with(&global(args), |var| {
        env.iter().find(|(k, _)| k == var).map(|(_, v)| v.clone())
    })
}

fn usage(result: Result<Settings, Failure>) -> String {
    match result {
        Err(Failure::Usage(message)) => message,
        other => panic!("{other:?}"),
    }
}

const PROFILES: &str = "\
[default]
assistant_name = \"from-default\"
token_file = \"default-token\"

[work]
assistant_name = \"from-work\"
base_url = \"https://work.example.com/rest/v1beta1\"
client_id = \"work-client\"
client_secret_file = \"~/work-secret\"
";

#[test]
fn flags_beat_the_environment_which_beats_the_profile() {
    let dir = Dir::new("layers");
    let config = dir.file("config.toml", PROFILES);
    let config = config.to_str().unwrap();
    let work = ["--config", config, "--profile", "work"];

    let from_profile = settings(&work, &[]).unwrap();
    assert_eq!(from_profile.assistant_name.value, "from-work");
    assert_eq!(
        from_profile.assistant_name.source.to_string(),
        format!("assistant_name of profile `work` ({config}:6)")
    );
    assert_eq!(
        from_profile.base_url.unwrap().value,
        "https://work.example.com/rest/v1beta1"
    );
    assert_eq!(from_profile.token_url, None);

    let env = [(env::ASSISTANT_NAME, "from-env")];
    let from_env = settings(&work, &env).unwrap();
    assert_eq!(from_env.assistant_name.value, "from-env");
    assert_eq!(
        from_env.assistant_name.source,
        Source::Env(env::ASSISTANT_NAME)
    );

    let mut flagged = work.to_vec();
    flagged.extend(["--assistant-name", "from-flag"]);
    let from_flag = settings(&flagged, &env).unwrap();
    assert_eq!(from_flag.assistant_name.value, "from-flag");
    assert_eq!(
        from_flag.assistant_name.source,
        Source::Flag("--assistant-name")
    );
}

#[test]
fn the_default_profile_is_used_unless_one_is_named() {
    let dir = Dir::new("default");
    let config = dir.file("config.toml", PROFILES);
    let config = config.to_str().unwrap();
    let chosen = settings(&["--config", config], &[]).unwrap();
    assert_eq!(chosen.assistant_name.value, "from-default");
    // A relative path is relative to the config file's folder.
    assert_eq!(
        chosen.credential,
        Credential::Token(Secret::File(
            dir.0.join("default-token"),
            Source::Profile {
                key: "token_file",
                profile: "default".into(),
                file: PathBuf::from(config),
                line: 3
            }
        ))
    );
    let by_env = settings(&["--config", config], &[(PROFILE_ENV, "work")]).unwrap();
    assert_eq!(by_env.assistant_name.value, "from-work");
    // The flag beats the environment here too.
    let by_flag = settings(
        &["--config", config, "--profile", "default"],
        &[(PROFILE_ENV, "work")],
    )
    .unwrap();
    assert_eq!(by_flag.assistant_name.value, "from-default");
}

#[test]
fn the_credential_comes_whole_from_one_layer() {
    let dir = Dir::new("credential");
    let config = dir.file("config.toml", PROFILES);
    let config = config.to_str().unwrap();
    let work = ["--config", config, "--profile", "work"];
    // The profile's client credentials, the secret's path from the home folder.
    let Credential::ClientCredentials { id, secret } = settings(&work, &[]).unwrap().credential
    else {
        panic!("client credentials expected")
    };
    assert_eq!(id.value, "work-client");
    let Secret::File(path, _) = secret else {
        panic!("a file expected")
    };
    assert!(
        path.ends_with("work-secret") && path.is_absolute(),
        "{path:?}"
    );
    // A token in the environment replaces them whole.
    let token = settings(&work, &[(env::API_TOKEN, "t")]).unwrap();
    assert_eq!(
        token.credential,
        Credential::Token(Secret::Env(env::API_TOKEN))
    );
    // And --token-file replaces that; `-` is stdin.
    let mut flagged = work.to_vec();
    flagged.extend(["--token-file", "-"]);
    let stdin = settings(&flagged, &[(env::API_TOKEN, "t")]).unwrap();
    assert_eq!(
        stdin.credential,
        Credential::Token(Secret::Stdin("--token-file -"))
    );
    // A secret in the environment takes the client id of a lower layer.
    let mixed = settings(&work, &[(env::CLIENT_SECRET, "s")]).unwrap();
    assert_eq!(
        mixed.credential,
        Credential::ClientCredentials {
            id: Setting {
                value: "work-client".into(),
                source: Source::Profile {
                    key: "client_id",
                    profile: "work".into(),
                    file: PathBuf::from(config),
                    line: 8
                }
            },
            secret: Secret::Env(env::CLIENT_SECRET)
        }
    );
}

#[test]
fn what_is_missing_or_contradictory_is_named() {
    let message = usage(settings(&["--config", "/nonexistent/moveworks.toml"], &[]));
    assert_eq!(
        message,
        "--config /nonexistent/moveworks.toml: no such file"
    );
    let dir = Dir::new("missing");
    let empty = dir.file("empty.toml", "");
    let empty = empty.to_str().unwrap();
    let message = usage(settings(&["--config", empty], &[]));
    assert!(message.contains(env::ASSISTANT_NAME), "{message}");
    let name = [(env::ASSISTANT_NAME, "a")];
    let message = usage(settings(&["--config", empty], &name));
    assert!(message.starts_with("no credential"), "{message}");
    let message = usage(settings(
        &["--config", empty],
        &[(env::ASSISTANT_NAME, "a"), (env::CLIENT_ID, "c")],
    ));
    assert!(message.contains("no client secret"), "{message}");
    let message = usage(settings(
        &["--config", empty, "--client-secret-file", "s"],
        &name,
    ));
    assert!(
        message.starts_with("--client-secret-file needs a client id"),
        "{message}"
    );
    let message = usage(settings(
        &["--config", empty],
        &[
            (env::ASSISTANT_NAME, "a"),
            (env::API_TOKEN, "t"),
            (env::CLIENT_ID, "c"),
        ],
    ));
    assert!(message.contains("not both"), "{message}");
    let message = usage(settings(&["--config", empty, "--profile", "x"], &name));
    assert_eq!(
        message,
        format!("no profile `x` (--profile) in {empty}; it has none")
    );
    let dir = Dir::new("missing");
    let config = dir.file("config.toml", PROFILES);
    let message = usage(settings(
        &["--config", config.to_str().unwrap()],
        &[(PROFILE_ENV, "home")],
    ));
    assert!(
        message.starts_with("no profile `home` (environment variable MOVEWORKS_PROFILE) in ")
            && message.ends_with("; it has `default`, `work`"),
        "{message}"
    );
    let both = dir.file(
        "both.toml",
        "[default]\ntoken_file = \"t\"\nclient_secret_file = \"s\"\n",
    );
    let message = usage(settings(&["--config", both.to_str().unwrap()], &name));
    assert!(message.contains("not both"), "{message}");
}

#[test]
fn a_host_and_base_path_or_a_base_url_from_the_highest_layer() {
    use moveworks_ext::{BasePath, Host};

    let dir = Dir::new("location");
    let config = dir.file(
        "config.toml",
        "[uk]\nassistant_name = \"a\"\ntoken_file = \"t\"\nhost = \"uk\"\n\n\
         [url]\nassistant_name = \"a\"\ntoken_file = \"t\"\nbase_url = \"https://x.example/rest/v1\"\n\n\
         [both]\nassistant_name = \"a\"\ntoken_file = \"t\"\nbase_url = \"https://x.example\"\nbase_path = \"rest/v1\"\n",
    );
    let config = config.to_str().unwrap();
    let run = |profile: &str, args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["--config", config, "--profile", profile];
        all.extend_from_slice(args);
        settings(&all, env)
    };
    let place = |s: Settings| (s.base_url.map(|u| u.value), s.host, s.base_path);

    // Each named value from its own layer.
    assert_eq!(
        place(run("uk", &["--base-path", "rest/v1beta1"], &[]).unwrap()),
        (None, Some(Host::Uk), Some(BasePath::RestV1Beta1))
    );
    assert_eq!(
        place(run("uk", &[], &[(env::HOST, "api.jp.moveworks.com")]).unwrap()),
        (None, Some(Host::Japan), None)
    );
    // A base URL of a higher layer replaces a host, and the other way round.
    assert_eq!(
        place(run("uk", &["--base-url", "https://y.example"], &[]).unwrap()),
        (Some("https://y.example".into()), None, None)
    );
    assert_eq!(
        place(run("url", &[], &[(env::BASE_PATH, "assistant/v1")]).unwrap()),
        (None, None, Some(BasePath::AssistantV1))
    );
    // One layer saying both is an error naming both.
    let message = usage(run("both", &[], &[]));
    assert!(
        message.starts_with("base_url of profile `both` (")
            && message.ends_with("set a base URL or a host and base path, not both"),
        "{message}"
    );
    let message = usage(run(
        "uk",
        &[],
        &[(env::BASE_URL, "https://y.example"), (env::HOST, "eu")],
    ));
    assert!(
        message.contains(
            "environment variable MOVEWORKS_BASE_URL and environment variable MOVEWORKS_HOST"
        ),
        "{message}"
    );
    // A name that is none is an error naming where it came from.
    let message = usage(run("uk", &["--host", "mars"], &[]));
    assert!(
        message.starts_with("invalid host: `mars` is not one of `us`")
            && message.ends_with("(from --host)"),
        "{message}"
    );
    let message = usage(run("uk", &[], &[(env::BASE_PATH, "v2")]));
    assert!(
        message.ends_with("(from environment variable MOVEWORKS_BASE_PATH)"),
        "{message}"
    );
}

#[test]
fn a_token_command_is_a_credential_of_each_layer_split_into_words() {
    let dir = Dir::new("command");
    let config = dir.file(
        "config.toml",
        "[default]\nassistant_name = \"a\"\ntoken_command = \"get-token --tenant 'acme corp'\"\n\n\
         [both]\nassistant_name = \"a\"\ntoken_file = \"t\"\ntoken_command = \"get-token\"\n\n\
         [open]\nassistant_name = \"a\"\ntoken_command = \"get-token \\\"acme\"\n",
    );
    let config = config.to_str().unwrap();
    let words = |settings: Settings| match settings.credential {
        Credential::Command { words, source } => (words, source.to_string()),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        words(settings(&["--config", config], &[]).unwrap()),
        (
            vec!["get-token".into(), "--tenant".into(), "acme corp".into()],
            format!("token_command of profile `default` ({config}:3)")
        )
    );
    // The environment's replaces the profile's, and the flag the environment's.
    let env = [(TOKEN_COMMAND_ENV, "from-env")];
    assert_eq!(
        words(settings(&["--config", config], &env).unwrap()).0,
        ["from-env"]
    );
    let flagged = ["--config", config, "--token-command", "from-flag \"x y\""];
    assert_eq!(
        words(settings(&flagged, &env).unwrap()),
        (
            vec!["from-flag".into(), "x y".into()],
            "--token-command".into()
        )
    );
    // A token of a higher layer replaces the command whole.
    let token = settings(&["--config", config], &[(env::API_TOKEN, "t")]).unwrap();
    assert_eq!(
        token.credential,
        Credential::Token(Secret::Env(env::API_TOKEN))
    );

    // Two credentials in one layer, or a line that cannot be split.
    let message = usage(settings(&["--config", config, "--profile", "both"], &[]));
    assert!(
        message.starts_with("token_command of profile `both` (")
            && message.ends_with("and token_file: a profile has one credential, not both"),
        "{message}"
    );
    let message = usage(settings(
        &["--config", config],
        &[(TOKEN_COMMAND_ENV, "x"), (env::API_TOKEN, "t")],
    ));
    assert_eq!(
        message,
        "set either MOVEWORKS_API_TOKEN or MOVEWORKS_TOKEN_COMMAND, not both"
    );
    let message = usage(settings(&["--config", config, "--profile", "open"], &[]));
    assert_eq!(
        message,
        format!(
            "the token command (from token_command of profile `open` ({config}:12)) \
             has a double quote at character 11 that is never closed"
        )
    );
    let message = usage(settings(
        &["--config", config, "--token-command", "get-token | jq"],
        &[],
    ));
    assert!(
        message.starts_with("the token command (from --token-command) has `|` at character 11"),
        "{message}"
    );
}
