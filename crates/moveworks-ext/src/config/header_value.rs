//! Header values from configuration.

use http::HeaderValue;

use super::config_error::ConfigError;

/// A header value from configuration: no control characters (a CR or LF
/// would otherwise let a value inject headers), not empty.
pub(crate) fn header_value(
    setting: &'static str,
    value: &str,
    sensitive: bool,
) -> Result<HeaderValue, ConfigError> {
    if value.trim().is_empty() {
        return Err(ConfigError::invalid(setting, "it is empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(ConfigError::invalid(
            setting,
            "it contains a control character (such as a line break)",
        ));
    }
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| ConfigError::invalid(setting, "it is not a valid HTTP header value"))?;
    header.set_sensitive(sensitive);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_refuse_line_breaks() {
        assert!(header_value("assistant name", "acme\r\nX-Evil: 1", false).is_err());
        assert!(header_value("assistant name", "   ", false).is_err());
        assert!(header_value("assistant name", "acme-assistant", false).is_ok());
        assert!(header_value("token", "abc", true).unwrap().is_sensitive());
    }
}
