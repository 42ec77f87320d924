//! The API's error codes.

use std::fmt;

/// An API error code. Codes Moveworks documents are variants; any other is
/// kept as [`ErrorCode::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `INVALID_REQUEST`: the request is malformed or refers to something
    /// that does not accept it.
    InvalidRequest,
    /// `INVALID_INPUT`: a field of the request (a title, the input text) is
    /// missing or not acceptable.
    InvalidInput,
    /// `INVALID_CURSOR`: a pagination cursor the API does not recognise.
    InvalidCursor,
    /// `UNAUTHORIZED`: the token is missing, invalid or expired.
    Unauthorized,
    /// `FORBIDDEN`: the token may not do this.
    Forbidden,
    /// `NOT_FOUND`: the conversation, response or message does not exist.
    NotFound,
    /// `RATE_LIMIT_EXCEEDED`: too many requests.
    RateLimitExceeded,
    /// `INTERNAL_ERROR`: the API failed.
    InternalError,
    /// A code this version of the SDK does not know, verbatim.
    Unknown(String),
}

impl ErrorCode {
    /// Parses a code as sent by the API.
    pub fn parse(code: &str) -> Self {
        match code {
            "INVALID_REQUEST" => Self::InvalidRequest,
            "INVALID_INPUT" => Self::InvalidInput,
            "INVALID_CURSOR" => Self::InvalidCursor,
            "UNAUTHORIZED" => Self::Unauthorized,
            "FORBIDDEN" => Self::Forbidden,
            "NOT_FOUND" => Self::NotFound,
            "RATE_LIMIT_EXCEEDED" => Self::RateLimitExceeded,
            "INTERNAL_ERROR" => Self::InternalError,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// The code as sent by the API.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::InvalidInput => "INVALID_INPUT",
            Self::InvalidCursor => "INVALID_CURSOR",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::RateLimitExceeded => "RATE_LIMIT_EXCEEDED",
            Self::InternalError => "INTERNAL_ERROR",
            Self::Unknown(code) => code,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_unknown_ones() {
        for code in [
            "INVALID_REQUEST",
            "INVALID_INPUT",
            "INVALID_CURSOR",
            "UNAUTHORIZED",
            "FORBIDDEN",
            "NOT_FOUND",
            "RATE_LIMIT_EXCEEDED",
            "INTERNAL_ERROR",
            "QUOTA",
        ] {
            assert_eq!(ErrorCode::parse(code).as_str(), code);
        }
        assert_eq!(
            ErrorCode::parse("QUOTA"),
            ErrorCode::Unknown("QUOTA".into())
        );
    }
}
