//! Secrets and trust: redirects never carry the token to another origin,
//! the token endpoint receives exactly the fields it defines, and no Debug
//! or Display of any public type shows a secret.

mod support;

use std::time::Duration;

use moveworks_ext::auth::{AccessToken, CachingTokenProvider, ClientCredentials, StaticToken};
use moveworks_ext::{CallOptions, Client, RetryPolicy};
use support::{ClientFor, SUBMITTED, ScriptedServer, Step, oauth_builder, submit};

const TOKEN: &str = "bearer-s3cret-token";
const CLIENT_SECRET: &str = "client-s3cret-value";

/// A server answering `status` with a redirect to another origin (same
/// address, another host name and port), and that other origin.
async fn redirect_to_another_origin(status: u16) -> (ScriptedServer, ScriptedServer) {
    let elsewhere = ScriptedServer::start(vec![Step::json(200, SUBMITTED)]).await;
    let location = format!(
        "{}/stolen",
        elsewhere.base_url.replace("127.0.0.1", "localhost")
    );
    let origin = ScriptedServer::start(vec![
        Step::json(status, "").with_header("location", &location),
    ])
    .await;
    (origin, elsewhere)
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    for status in [301, 302, 307, 308] {
        let (origin, elsewhere) = redirect_to_another_origin(status).await;
        let client = origin.client().bearer_token(TOKEN).build().unwrap();

        let error = submit(&client).await.unwrap_err();

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(elsewhere.count(), 0, "{status}: the redirect was followed");
    }
}

#[tokio::test]
async fn a_user_supplied_client_that_follows_redirects_drops_the_token_across_origins() {
    for status in [301, 302, 307, 308] {
        let (origin, elsewhere) = redirect_to_another_origin(status).await;
        let following = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .unwrap();
        let client = origin
            .client()
            .bearer_token(TOKEN)
            .http_client(following)
            .build()
            .unwrap();

        let _ = submit(&client).await;

        let followed = elsewhere.received();
        assert_eq!(
            followed.len(),
            1,
            "{status}: the client should have followed the redirect"
        );
        assert_eq!(
            followed[0].header("authorization"),
            None,
            "{status}: token sent to another origin"
        );
        assert_eq!(followed[0].header("assistant-name"), Some("acme-assistant"));
    }
}

#[tokio::test]
async fn the_token_endpoint_gets_exactly_its_fields() {
    let tokens = ScriptedServer::start(vec![Step::json(
        200,
        r#"{"access_token": "issued", "expires_in": 3600, "token_type": "Bearer"}"#,
    )])
    .await;
    let api = ScriptedServer::start(vec![Step::json(200, SUBMITTED)]).await;
    let client = oauth_builder(
        &api.base_url,
        &format!("{}/oauth/v1/token", tokens.base_url),
        CLIENT_SECRET,
    )
    .build()
    .unwrap();

    submit(&client).await.unwrap();

    let [request] = tokens.received().try_into().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/oauth/v1/token");
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.header("assistant-name"), None);
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let body = String::from_utf8(request.body).unwrap();
    let mut fields: Vec<&str> = body
        .split('&')
        .map(|pair| pair.split('=').next().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["client_id", "client_secret", "grant_type"]);
    assert!(body.contains("grant_type=client_credentials"));
    // The secret goes to the token endpoint only.
    let [api_request] = api.received().try_into().unwrap();
    assert!(!format!("{:?}", api_request.headers).contains("s3cret"));
    assert_eq!(api_request.header("authorization"), Some("Bearer issued"));
}

#[tokio::test]
async fn no_debug_or_display_shows_a_secret() {
    let tokens = ScriptedServer::start(vec![Step::json(
        500,
        r#"{"error": {"code": "INTERNAL_ERROR", "message": "down"}}"#,
    )])
    .await;
    let builder = oauth_builder(
        &tokens.base_url,
        &format!("{}/t", tokens.base_url),
        CLIENT_SECRET,
    );
    let mut texts = vec![format!("{builder:?}")];
    let oauth = builder.build().unwrap();
    texts.push(format!("{oauth:?}"));
    let auth_error = submit(&oauth).await.unwrap_err();
    texts.extend([
        format!("{auth_error:?}"),
        auth_error.to_string(),
        format!("{auth_error:#}"),
    ]);

    let static_client = Client::builder()
        .base_url(&tokens.base_url)
        .assistant_name("acme")
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    texts.push(format!("{static_client:?}"));
    // The generated client as `call` hands it out, and the error it ends with.
    let generated = std::sync::Mutex::new(String::new());
    let api_error = static_client
        .call(|api| {
            *generated.lock().unwrap() = format!("{api:?}");
            api.get_conversation("conv_1")
        })
        .await
        .unwrap_err();
    texts.push(generated.into_inner().unwrap());
    texts.extend([format!("{api_error:?}"), api_error.to_string()]);
    texts.push(format!(
        "{:?}",
        static_client.with_options(CallOptions::new().total_timeout(Duration::from_secs(1)))
    ));
    texts.push(format!("{:?}", StaticToken::new(TOKEN).unwrap()));
    texts.push(format!("{:?}", AccessToken::new(TOKEN, None).unwrap()));
    let credentials = ClientCredentials::new(
        reqwest::Client::new(),
        "https://api.moveworks.ai/oauth/v1/token",
        "id",
        CLIENT_SECRET,
    )
    .unwrap();
    texts.push(format!("{credentials:?}"));
    texts.push(format!("{:?}", CachingTokenProvider::new(credentials)));
    let bad_token = Client::builder()
        .assistant_name("acme")
        .bearer_token(format!("{TOKEN}\r\n"))
        .build()
        .unwrap_err();
    texts.extend([format!("{bad_token:?}"), bad_token.to_string()]);

    for text in texts {
        assert!(!text.contains("s3cret"), "secret shown: {text}");
    }
}
