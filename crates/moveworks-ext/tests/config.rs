//! Configuration: what is refused, and that every refusal names the setting
//! or environment variable without echoing a secret.

use std::collections::HashMap;

use moveworks_ext::{Client, ClientBuilder, ConfigError, Host, env};

fn from_vars(vars: &[(&str, &str)]) -> Result<Client, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    ClientBuilder::from_env_with(|name| vars.get(name).cloned())?.build()
}

#[test]
fn from_env_accepts_a_token_or_client_credentials() {
    let client = from_vars(&[(env::ASSISTANT_NAME, "acme"), (env::API_TOKEN, "t")]).unwrap();
    assert_eq!(client.base_url(), moveworks_ext::defaults::DEFAULT_BASE_URL);
    let client = from_vars(&[
        (env::ASSISTANT_NAME, "acme"),
        (env::CLIENT_ID, "id"),
        (env::CLIENT_SECRET, "secret"),
        (env::BASE_URL, "https://api.jp.moveworks.com/rest/v1beta1/"),
    ])
    .unwrap();
    assert_eq!(
        client.base_url(),
        "https://api.jp.moveworks.com/rest/v1beta1"
    );
}

#[test]
fn from_env_names_the_missing_or_malformed_variable() {
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![(env::API_TOKEN, "t")], env::ASSISTANT_NAME),
        (vec![(env::ASSISTANT_NAME, "acme")], env::API_TOKEN),
        (
            vec![(env::ASSISTANT_NAME, "acme"), (env::CLIENT_ID, "id")],
            env::CLIENT_SECRET,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::CLIENT_SECRET, "s3cret"),
            ],
            env::CLIENT_ID,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::CLIENT_ID, "id"),
            ],
            env::API_TOKEN,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::BASE_URL, "not a url"),
            ],
            env::BASE_URL,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::BASE_URL, "http://api.moveworks.ai"),
            ],
            env::BASE_URL,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::CLIENT_ID, "i"),
                (env::CLIENT_SECRET, "s"),
                (env::TOKEN_URL, "http://evil.example/t"),
            ],
            env::TOKEN_URL,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t0k3n\r\nX-Evil: 1"),
            ],
            env::API_TOKEN,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::HOST, "mars"),
            ],
            env::HOST,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::BASE_PATH, "v2"),
            ],
            env::BASE_PATH,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::BASE_URL, "https://api.moveworks.ai/rest/v1"),
                (env::BASE_PATH, "rest/v1"),
            ],
            env::BASE_PATH,
        ),
        (
            vec![
                (env::ASSISTANT_NAME, "acme"),
                (env::API_TOKEN, "t"),
                (env::BASE_URL, "https://api.moveworks.ai/rest/v1"),
                (env::HOST, "uk"),
            ],
            env::HOST,
        ),
    ];
    for (vars, var) in cases {
        let error = from_vars(&vars).unwrap_err();
        let text = error.to_string();
        assert!(text.contains(var), "{vars:?}: `{text}` should name {var}");
        assert!(
            !text.contains("t0k3n") && !text.contains("s3cret"),
            "{text}"
        );
    }
}

#[test]
fn http_to_another_machine_is_refused() {
    let error = Client::builder()
        .assistant_name("a")
        .bearer_token("t")
        .base_url("http://api.moveworks.ai")
        .build()
        .unwrap_err();
    assert_eq!(error.setting(), "base URL");
    assert!(!error.is_missing());
    assert!(
        error.to_string().starts_with(
            "refusing base URL `http://api.moveworks.ai/`: tokens are only sent over https"
        ),
        "{error}"
    );
    Client::builder()
        .assistant_name("a")
        .bearer_token("t")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
}

#[test]
fn user_info_and_fragments_in_the_base_url_are_refused() {
    for url in [
        "https://user:pw@api.moveworks.ai",
        "https://api.moveworks.ai/rest#frag",
    ] {
        let error = Client::builder()
            .assistant_name("a")
            .bearer_token("t")
            .base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(error.setting(), "base URL", "{url}: {error}");
        assert!(
            error.to_string().starts_with("invalid base URL: "),
            "{url}: {error}"
        );
        assert!(!error.to_string().contains("pw"), "{error}");
    }
}

#[test]
fn line_breaks_in_the_assistant_name_or_token_are_refused() {
    let error = Client::builder()
        .assistant_name("acme\r\nX-Injected: 1")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert_eq!(error.setting(), "assistant name", "{error}");
    assert!(
        error.to_string().starts_with("invalid assistant name: "),
        "{error}"
    );
    let error = Client::builder()
        .assistant_name("acme")
        .bearer_token("t\nX-Injected: 1")
        .build()
        .unwrap_err();
    assert_eq!(error.setting(), "token", "{error}");
    assert!(error.to_string().starts_with("invalid token: "), "{error}");
    assert!(!error.to_string().contains("Injected"));
}

#[test]
fn missing_settings_are_named() {
    let error = Client::builder().bearer_token("t").build().unwrap_err();
    assert_eq!(error.to_string(), "no assistant name configured");
    assert_eq!(error.setting(), "assistant name");
    assert!(error.is_missing());
    let error = Client::builder().assistant_name("a").build().unwrap_err();
    assert!(error.to_string().starts_with("no credential"), "{error}");
}

#[test]
fn from_env_picks_a_named_host_and_base_path() {
    let vars = |extra: &[(&'static str, &'static str)]| {
        let mut vars = vec![(env::ASSISTANT_NAME, "acme"), (env::API_TOKEN, "t")];
        vars.extend_from_slice(extra);
        from_vars(&vars).unwrap().base_url().to_owned()
    };
    assert_eq!(vars(&[]), "https://api.moveworks.ai/rest/v1");
    assert_eq!(
        vars(&[(env::HOST, "uk"), (env::BASE_PATH, "/rest/v1beta1")]),
        "https://api.uk.moveworks.com/rest/v1beta1"
    );
    assert_eq!(
        vars(&[(env::HOST, "api.moveworksgov.ai")]),
        "https://api.moveworksgov.ai/rest/v1"
    );
    assert_eq!(
        vars(&[(env::BASE_PATH, "assistant/v1")]),
        "https://api.moveworks.ai/assistant/v1"
    );
}

#[test]
fn a_base_url_with_a_host_or_base_path_is_refused() {
    let error = Client::builder()
        .assistant_name("a")
        .bearer_token("t")
        .base_url("https://api.moveworks.ai/rest/v1")
        .host(Host::Eu)
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid base URL: set either a base URL or a host and base path, not both"
    );
}

#[test]
fn servers_of_the_spec_are_selectable() {
    let server = &moveworks_api::SERVERS[0];
    let client = Client::builder()
        .assistant_name("a")
        .bearer_token("t")
        .server(server)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.url);
}

#[test]
fn a_bound_of_no_users_is_refused() {
    let provider = moveworks_ext::auth::user_token_fn(|user: String| async move {
        moveworks_ext::auth::AccessToken::new(format!("token-of-{user}"), None)
    });
    let error = Client::builder()
        .assistant_name("a")
        .user_tokens(provider)
        .max_users(0)
        .build()
        .expect_err("0 users");
    assert_eq!(error.setting(), "max users");
    assert!(!error.is_missing());
}
