//! The two exchange grants against a token endpoint on loopback: the exact
//! form each sends, the JWT assertion checked by an independent verifier
//! (OpenSSL, not the signing crate), an OAuth refusal kept typed, and flat
//! and wrapped answers.
#![cfg(feature = "token-exchange")]

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use moveworks_ext::auth::{
    AccessToken, AuthErrorKind, JwtAlgorithm, JwtBearer, TokenExchange, UserTokenProvider,
    user_token_fn,
};
use moveworks_testkit::{ScriptedServer, Step};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Verifier;

const RSA_PRIVATE: &str = include_str!("data/rsa-private.pem");
const RSA_PUBLIC: &str = include_str!("data/rsa-public.pem");
const EC_PRIVATE: &str = include_str!("data/ec-private.pem");
const EC_PUBLIC: &str = include_str!("data/ec-public.pem");

const FLAT: &str = r#"{"access_token": "mw-bearer", "expires_in": 3600, "token_type": "Bearer"}"#;
const WRAPPED: &str = r#"{"data": {"access_token": "mw-wrapped", "expires_in": "60"}}"#;

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn subject_tokens() -> impl UserTokenProvider {
    user_token_fn(|user: String| async move { AccessToken::new(format!("idp-{user}"), None) })
}

#[tokio::test]
async fn token_exchange_sends_exactly_the_rfc_8693_form() {
    let server = ScriptedServer::start(vec![Step::json(200, FLAT)]).await;
    let exchange = TokenExchange::new(&format!("{}/token", server.base_url), subject_tokens())
        .unwrap()
        .audience("moveworks")
        .scope("conversations")
        .param("tenant", "acme")
        .client_secret_basic("app", "app-secret");
    let token = exchange.fetch("emp-42").await.unwrap();
    assert_eq!(token.secret(), "mw-bearer");
    assert!(token.expires_at().is_some());

    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/token")
    );
    let sent = form(&request.body);
    let expected: HashMap<String, String> = [
        (
            "grant_type",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ),
        ("subject_token", "idp-emp-42"),
        (
            "subject_token_type",
            "urn:ietf:params:oauth:token-type:access_token",
        ),
        ("audience", "moveworks"),
        ("scope", "conversations"),
        ("tenant", "acme"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(
        sent, expected,
        "no other parameter, no client secret in the form"
    );
    let basic = request.header("authorization").unwrap();
    assert_eq!(
        basic,
        format!("Basic {}", STANDARD.encode("app:app-secret"))
    );
}

#[tokio::test]
async fn client_secret_post_puts_the_secret_in_the_form_and_wrapped_answers_are_read() {
    let server = ScriptedServer::start(vec![Step::json(200, WRAPPED)]).await;
    let exchange = TokenExchange::new(&format!("{}/token", server.base_url), subject_tokens())
        .unwrap()
        .subject_token_type("urn:ietf:params:oauth:token-type:id_token")
        .client_secret_post("app", "app-secret");
    let token = exchange.fetch("emp-7").await.unwrap();
    assert_eq!(token.secret(), "mw-wrapped");
    let request = &server.received()[0];
    let sent = form(&request.body);
    assert_eq!(sent["client_id"], "app");
    assert_eq!(sent["client_secret"], "app-secret");
    assert_eq!(
        sent["subject_token_type"],
        "urn:ietf:params:oauth:token-type:id_token"
    );
    assert!(request.header("authorization").is_none());
}

#[tokio::test]
async fn an_oauth_refusal_is_kept_typed_without_the_secrets() {
    let refusal = r#"{"error": "invalid_grant", "error_description": "subject token expired"}"#;
    let server = ScriptedServer::start(vec![Step::json(400, refusal)]).await;
    let exchange = TokenExchange::new(&format!("{}/token", server.base_url), subject_tokens())
        .unwrap()
        .client_secret_post("app", "app-secret");
    let error = exchange.fetch("emp-1").await.unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::Rejected);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.oauth_error(), Some("invalid_grant"));
    assert_eq!(
        error.oauth_error_description(),
        Some("subject token expired")
    );
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{exchange:?}"),
    ] {
        assert!(
            !shown.contains("app-secret") && !shown.contains("idp-emp-1"),
            "{shown}"
        );
    }
}

/// The claims of a JWT, after OpenSSL verified its signature with the
/// public key (the signing crate takes no part).
fn verified_claims(jwt: &str, public_pem: &str, algorithm: JwtAlgorithm) -> serde_json::Value {
    let mut parts = jwt.split('.');
    let (header, claims, signature) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    assert!(parts.next().is_none());
    let key = PKey::public_key_from_pem(public_pem.as_bytes()).unwrap();
    let mut signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    if algorithm == JwtAlgorithm::Es256 {
        // JWS carries ECDSA as r || s; OpenSSL verifies DER.
        let (r, s) = signature.split_at(32);
        let r = openssl::bn::BigNum::from_slice(r).unwrap();
        let s = openssl::bn::BigNum::from_slice(s).unwrap();
        signature = openssl::ecdsa::EcdsaSig::from_private_components(r, s)
            .unwrap()
            .to_der()
            .unwrap();
    }
    let verifies = |signed: &str| {
        let mut verifier = Verifier::new(MessageDigest::sha256(), &key).unwrap();
        verifier.update(signed.as_bytes()).unwrap();
        verifier.verify(&signature).unwrap_or(false)
    };
    assert!(
        verifies(&format!("{header}.{claims}")),
        "the signature does not verify"
    );
    assert!(
        !verifies(&format!("{header}.{claims}x")),
        "the verifier tells a changed JWT"
    );
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    let expected_alg = match algorithm {
        JwtAlgorithm::Es256 => "ES256",
        _ => "RS256",
    };
    assert_eq!(header["alg"], expected_alg);
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    claims["kid"] = header["kid"].clone();
    claims
}

async fn two_assertions(algorithm: JwtAlgorithm, private_pem: &str, public_pem: &str) {
    let server = ScriptedServer::start(vec![Step::json(200, FLAT), Step::json(200, WRAPPED)]).await;
    let grant = JwtBearer::new(
        &format!("{}/token", server.base_url),
        "acme-backend",
        "https://auth.example.com",
        private_pem,
        algorithm,
    )
    .unwrap()
    .key_id("key-2026")
    .lifetime(std::time::Duration::from_secs(120))
    .claim("tenant", "acme")
    .claim("sub", "ignored: the grant's own")
    .scope("conversations")
    .client_secret_post("app", "app-secret");
    assert_eq!(grant.fetch("emp-42").await.unwrap().secret(), "mw-bearer");
    assert_eq!(grant.fetch("emp-42").await.unwrap().secret(), "mw-wrapped");

    let mut jtis = Vec::new();
    for request in server.received() {
        let sent = form(&request.body);
        assert_eq!(
            sent["grant_type"],
            "urn:ietf:params:oauth:grant-type:jwt-bearer"
        );
        assert_eq!(sent["scope"], "conversations");
        assert_eq!(sent["client_id"], "app");
        assert_eq!(sent.len(), 5, "{sent:?}");
        let claims = verified_claims(&sent["assertion"], public_pem, algorithm);
        assert_eq!(claims["iss"], "acme-backend");
        assert_eq!(claims["sub"], "emp-42");
        assert_eq!(claims["aud"], "https://auth.example.com");
        assert_eq!(claims["tenant"], "acme");
        assert_eq!(claims["kid"], "key-2026");
        let (iat, exp) = (
            claims["iat"].as_u64().unwrap(),
            claims["exp"].as_u64().unwrap(),
        );
        assert_eq!(exp - iat, 120);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(now.abs_diff(iat) < 60, "iat is now: {iat} vs {now}");
        jtis.push(claims["jti"].as_str().unwrap().to_owned());
    }
    assert_eq!(jtis.len(), 2);
    assert_ne!(jtis[0], jtis[1], "a fresh jti for each assertion");
}

#[tokio::test]
async fn an_rs256_assertion_verifies_with_the_public_key() {
    two_assertions(JwtAlgorithm::Rs256, RSA_PRIVATE, RSA_PUBLIC).await;
}

#[tokio::test]
async fn an_es256_assertion_verifies_with_the_public_key() {
    two_assertions(JwtAlgorithm::Es256, EC_PRIVATE, EC_PUBLIC).await;
}

#[test]
fn a_key_of_another_algorithm_or_no_key_is_refused_without_quoting_it() {
    for (pem, algorithm) in [
        (EC_PRIVATE, JwtAlgorithm::Rs256),
        ("not a key", JwtAlgorithm::Es256),
    ] {
        let error = JwtBearer::new("https://auth.example.com/token", "i", "a", pem, algorithm)
            .expect_err("refused");
        assert_eq!(error.setting(), "private key");
        assert!(!error.to_string().contains("BEGIN"), "{error}");
    }
    let grant = JwtBearer::new(
        "https://auth.example.com/token",
        "i",
        "a",
        EC_PRIVATE,
        JwtAlgorithm::Es256,
    )
    .unwrap();
    assert!(!format!("{grant:?}").contains("BEGIN"));
}

#[tokio::test]
async fn an_insecure_token_url_is_refused() {
    let error =
        TokenExchange::new("http://auth.example.com/token", subject_tokens()).expect_err("refused");
    assert_eq!(error.setting(), "token URL");
}
