//! Authentication: OAuth client credentials against a mock token endpoint,
//! single-flight refresh, the 401 refresh-and-retry, and secrets kept out of
//! every Debug, error and log line.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use httpmock::Method::POST;
use httpmock::MockServer;
use moveworks_ext::auth::{
    AccessToken, AuthError, BoxFuture, CachingTokenProvider, TokenProvider, TokenSource,
};
use moveworks_ext::{Client, ErrorKind};
use serde_json::json;
use support::{ClientFor, SUBMITTED, ScriptedServer, Step, error_body, oauth_builder, submit};

const CLIENT_SECRET: &str = "client-s3cret-value";

fn oauth_client(api: &MockServer, token_endpoint: &MockServer) -> Client {
    oauth_builder(
        &api.base_url(),
        &token_endpoint.url("/oauth/v1/token"),
        CLIENT_SECRET,
    )
    .build()
    .unwrap()
}

#[tokio::test]
async fn client_credentials_fetch_a_token_once_and_send_it() {
    let (api, tokens) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    let token_mock = tokens
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/v1/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", "client-id-1")
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            // The spec's wrapped shape.
            then.status(200).json_body(json!({"data": {"access_token": "oauth-token-1", "expires_in": 3600, "token_type": "Bearer"}}));
        })
        .await;
    let api_mock = api
        .mock_async(|when, then| {
            when.method(POST)
                .header("authorization", "Bearer oauth-token-1")
                .header("assistant-name", "acme-assistant");
            then.status(200).json_body(json!({"status": "SUBMITTED"}));
        })
        .await;
    let client = oauth_client(&api, &tokens);

    for _ in 0..3 {
        submit(&client).await.unwrap();
    }

    assert_eq!(token_mock.calls_async().await, 1);
    assert_eq!(api_mock.calls_async().await, 3);
}

#[tokio::test]
async fn a_hundred_concurrent_calls_with_an_expired_token_fetch_one_token() {
    let (api, tokens) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    // The docs' flat shape, with a one-second lifetime.
    let token_mock = tokens
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/v1/token");
            then.status(200)
                .json_body(
                    json!({"access_token": "short-lived", "expires_in": 1, "token_type": "Bearer"}),
                )
                .delay(Duration::from_millis(50));
        })
        .await;
    api.mock_async(|when, then| {
        when.method(POST)
            .header("authorization", "Bearer short-lived");
        then.status(200).json_body(json!({"status": "SUBMITTED"}));
    })
    .await;
    let client = oauth_client(&api, &tokens);
    submit(&client).await.unwrap();
    assert_eq!(token_mock.calls_async().await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { submit(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }

    assert_eq!(
        token_mock.calls_async().await,
        2,
        "one fetch for the expired token, however many callers"
    );
}

/// Issues `token-0`, `token-1`, ... and counts.
#[derive(Debug, Default)]
struct Numbered {
    fetches: AtomicUsize,
}

impl TokenSource for Numbered {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst);
        Box::pin(
            async move { AccessToken::new(format!("token-{n}"), Some(Duration::from_secs(3600))) },
        )
    }
}

#[derive(Debug, Clone)]
struct Shared(Arc<CachingTokenProvider<Numbered>>);

impl TokenProvider for Shared {
    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
        self.0.token()
    }
    fn invalidate(&self, token: &AccessToken) {
        self.0.invalidate(token)
    }
    fn can_refresh(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries_once() {
    let server = ScriptedServer::start(vec![
        Step::json(401, &error_body("UNAUTHORIZED", "token expired")),
        Step::json(200, SUBMITTED),
    ])
    .await;
    let provider = Shared(Arc::new(CachingTokenProvider::new(Numbered::default())));
    let client = server
        .client()
        .token_provider(provider.clone())
        .build()
        .unwrap();

    submit(&client).await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("authorization"), Some("Bearer token-0"));
    assert_eq!(received[1].header("authorization"), Some("Bearer token-1"));
    assert_eq!(
        provider.0.as_ref().token().await.unwrap().secret(),
        "token-1"
    );
}

#[tokio::test]
async fn a_401_is_refreshed_and_retried_even_with_no_retries_left() {
    // The refresh is not a retry of the policy's: it is tried with no
    // retries at all, and a create-response (sent only where surely not
    // processed: a 401 was not processed) gets it too.
    let server = ScriptedServer::start(vec![
        Step::json(401, &error_body("UNAUTHORIZED", "token expired")),
        Step::json(
            202,
            &moveworks_testkit::mock_api::examples::response("CREATED").to_string(),
        ),
    ])
    .await;
    let provider = Shared(Arc::new(CachingTokenProvider::new(Numbered::default())));
    let client = server
        .client()
        .token_provider(provider)
        .retry_policy(moveworks_ext::RetryPolicy::none())
        .build()
        .unwrap();

    client.create_response("conv_1", "hello").await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].header("authorization"), Some("Bearer token-1"));
}

#[tokio::test]
async fn a_second_401_is_returned_not_retried_again() {
    let server =
        ScriptedServer::start(vec![Step::json(401, &error_body("UNAUTHORIZED", "no"))]).await;
    let provider = Shared(Arc::new(CachingTokenProvider::new(Numbered::default())));
    let client = server.client().token_provider(provider).build().unwrap();

    let error = submit(&client).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.code(), Some(&moveworks_ext::ErrorCode::Unauthorized));
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_static_token_401_is_not_retried() {
    let server =
        ScriptedServer::start(vec![Step::json(401, &error_body("UNAUTHORIZED", "no"))]).await;
    let error = submit(&server.client().build().unwrap()).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_refused_token_request_is_an_auth_error_and_sends_nothing() {
    let (api, tokens) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    tokens
        .mock_async(|when, then| {
            when.method(POST);
            then.status(401)
                .json_body(json!({"code": "invalid_client", "message": "unknown client"}));
        })
        .await;
    // Registered before the call, so that whatever the call sends is counted.
    let api_mock = api
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = oauth_client(&api, &tokens);

    let error = submit(&client).await.unwrap_err();

    // The call has returned: anything it sent has been answered, so counted.
    assert_eq!(api_mock.calls_async().await, 0, "nothing sent to the API");
    assert_eq!(error.kind(), ErrorKind::Auth, "{error:?}");
    let auth = error.as_auth().expect("the cause is the token failure");
    assert_eq!(auth.kind(), moveworks_ext::auth::AuthErrorKind::Rejected);
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(401));
    // The token endpoint's status is the call's.
    assert_eq!(error.status(), auth.status());
    assert!(error.to_string().contains("unknown client"), "{error}");
    assert!(!error.to_string().contains(CLIENT_SECRET));
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let server =
        ScriptedServer::start(vec![Step::json(401, &error_body("UNAUTHORIZED", "no"))]).await;
    let builder = server.client().bearer_token("static-s3cret-token");
    assert!(!format!("{builder:?}").contains("s3cret"));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("s3cret"));
    let error = submit(&client).await.unwrap_err();
    for text in [
        format!("{error:?}"),
        error.to_string(),
        format!("{error:#}"),
    ] {
        assert!(!text.contains("s3cret"), "{text}");
    }

    let tokens = MockServer::start_async().await;
    let oauth = oauth_client(&tokens, &tokens);
    assert!(!format!("{oauth:?}").contains(CLIENT_SECRET));
    let credentials = moveworks_ext::auth::ClientCredentials::new(
        reqwest::Client::new(),
        &tokens.url("/t"),
        "id",
        CLIENT_SECRET,
    )
    .unwrap();
    let provider = CachingTokenProvider::new(credentials);
    assert!(!format!("{provider:?}").contains(CLIENT_SECRET));
}
