//! The TLS backend of the HTTP client the SDK builds, chosen by cargo
//! feature: `rustls-ring` wins over `rustls-aws-lc`, which wins over the
//! default `native-tls` (so enabling a rustls feature without turning the
//! defaults off still gives rustls). The ring provider is given to this
//! client only, never installed process-wide, so it cannot clash with an
//! application that installs its own rustls provider.

use super::config_error::ConfigError;

/// A `reqwest::ClientBuilder` using the selected TLS backend.
pub(crate) fn client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    let builder = reqwest::Client::builder();
    #[cfg(feature = "rustls-ring")]
    return Ok(builder.tls_backend_preconfigured(ring_config()?));
    #[cfg(all(feature = "rustls-aws-lc", not(feature = "rustls-ring")))]
    return Ok(builder.tls_backend_rustls());
    #[cfg(all(
        feature = "native-tls",
        not(any(feature = "rustls-ring", feature = "rustls-aws-lc"))
    ))]
    return Ok(builder.tls_backend_native());
    // No TLS feature: plain http only (loopback servers in tests).
    #[allow(unreachable_code)]
    Ok(builder)
}

#[cfg(feature = "rustls-ring")]
fn ring_config() -> Result<rustls::ClientConfig, ConfigError> {
    use std::sync::Arc;

    use rustls_platform_verifier::BuilderVerifierExt;

    let tls_error = |e: rustls::Error| ConfigError::invalid("TLS", e.to_string());
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(tls_error)?
    .with_platform_verifier()
    .map_err(tls_error)?
    .with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
}
