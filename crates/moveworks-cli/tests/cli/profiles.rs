//! Profiles of the config file, end to end: which settings a request was
//! sent with, and one-line errors for a config file that is wrong.

use std::path::{Path, PathBuf};

use crate::support::*;

/// A home folder whose config directory holds `config` as
/// `moveworks/config.toml`.
fn home_with(name: &str, config: &str) -> (PathBuf, PathBuf) {
    let home = temp_dir(name);
    let folder = home.join(".config").join("moveworks");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("config.toml");
    std::fs::write(&file, config).unwrap();
    (home, file)
}

/// Where the last request went and with which assistant name and token.
fn last(server: &ScriptedServer) -> (String, String) {
    let request = server.received().pop().expect("no request");
    (
        request
            .header("assistant-name")
            .unwrap_or_default()
            .to_owned(),
        request
            .header("authorization")
            .unwrap_or_default()
            .to_owned(),
    )
}

fn get(home: &Path) -> Moveworks {
    Moveworks::new(&["conversations", "get", CONVERSATION_ID]).home(home)
}

#[tokio::test(flavor = "multi_thread")]
async fn flag_beats_environment_beats_profile() {
    let answer = || Step::json(200, &conversation_body());
    let (profile_api, env_api, flag_api) = (
        ScriptedServer::start(vec![answer()]).await,
        ScriptedServer::start(vec![answer()]).await,
        ScriptedServer::start(vec![answer()]).await,
    );
    let config = format!(
        "[default]\nbase_url = \"{}\"\nassistant_name = \"from-profile\"\ntoken_file = \"token\"\n\n\
         [other]\nassistant_name = \"from-other\"\ntoken_file = \"token\"\nbase_url = \"{}\"\n",
        profile_api.base_url, profile_api.base_url
    );
    let (home, file) = home_with("precedence", &config);
    // The token file is relative to the config file's folder.
    std::fs::write(file.with_file_name("token"), format!("{TOKEN}\n")).unwrap();

    let out = get(&home).run().await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        last(&profile_api),
        ("from-profile".to_owned(), format!("Bearer {TOKEN}"))
    );

    let out = get(&home).env("MOVEWORKS_PROFILE", "other").run().await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(last(&profile_api).0, "from-other");

    let env = |moveworks: Moveworks| {
        moveworks
            .env("MOVEWORKS_BASE_URL", &env_api.base_url)
            .env("MOVEWORKS_ASSISTANT_NAME", "from-env")
    };
    let out = env(get(&home)).run().await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(last(&env_api).0, "from-env");

    let flagged = Moveworks::new(&[
        "--base-url",
        &flag_api.base_url,
        "--assistant-name",
        "from-flag",
        "--profile",
        "default",
        "conversations",
        "get",
        CONVERSATION_ID,
    ])
    .home(&home)
    .env("MOVEWORKS_PROFILE", "other");
    let out = env(flagged).run().await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(last(&flag_api).0, "from-flag");
    assert_eq!(
        (profile_api.count(), env_api.count(), flag_api.count()),
        (2, 1, 1)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_config_file_is_one_line_naming_file_and_line() {
    let cases = [
        (
            "malformed",
            "[default]\nassistant_name = \"a\"\nbase_url = https://x\n",
            3,
            "",
            "",
        ),
        (
            "unknown-setting",
            "[default]\nassistant_name = \"a\"\n\nasistant = \"b\"\n",
            4,
            "no setting `asistant`",
            "",
        ),
        (
            "secret",
            "[default]\nassistant_name = \"a\"\nclient_secret = \"s3cr3t-77\"\n",
            3,
            "never holds a secret",
            "s3cr3t-77",
        ),
    ];
    for (name, config, line, says, never) in cases {
        let (home, file) = home_with(name, config);
        let out = get(&home).run().await;
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        let prefix = format!("error: {}:{line}: ", file.display());
        assert!(out.stderr.starts_with(&prefix), "{name}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{name}: {}", out.stderr);
        assert!(
            never.is_empty() || !out.stderr.contains(never),
            "{}",
            out.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_asked_for_must_exist() {
    let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
    // No config file: fine without --profile, an error with one.
    let out = get(&temp_dir("no-config"))
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let home = temp_dir("no-config-profile");
    let out = get(&home)
        .against(&server.base_url)
        .env("MOVEWORKS_PROFILE", "work")
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    let expected = format!(
        "error: profile `work` (environment variable MOVEWORKS_PROFILE): there is no config file at {}\n",
        home.join(".config/moveworks/config.toml").display()
    );
    assert_eq!(out.stderr, expected);

    let (home, file) = home_with("unknown-profile", "[default]\n[staging]\n");
    let out = Moveworks::new(&["--profile", "prod", "conversations", "list"])
        .home(&home)
        .against(&server.base_url)
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "error: no profile `prod` (--profile) in {}; it has `default`, `staging`\n",
            file.display()
        )
    );
    let out = Moveworks::new(&[
        "--config",
        "/nonexistent/config.toml",
        "conversations",
        "list",
    ])
    .against(&server.base_url)
    .run()
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(server.count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_or_base_path_that_names_none_is_a_usage_error() {
    let (home, file) = home_with(
        "bad-host",
        "[default]\nassistant_name = \"a\"\ntoken_file = \"t\"\nhost = \"mars\"\n",
    );
    let out = get(&home).run().await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: invalid host: `mars` is not one of `us`, ")
            && out.stderr.ends_with(&format!(
                "(from host of profile `default` ({}:4))\n",
                file.display()
            )),
        "{}",
        out.stderr
    );
    let out = get(&temp_dir("bad-base-path"))
        .env("MOVEWORKS_ASSISTANT_NAME", ASSISTANT)
        .env("MOVEWORKS_API_TOKEN", TOKEN)
        .env("MOVEWORKS_BASE_PATH", "v9")
        .run()
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: invalid base path: `v9` is not one of `rest/v1`, `assistant/v1`, `rest/v1beta1` \
         (from environment variable MOVEWORKS_BASE_PATH)\n"
    );
}
