//! Every error the crate raises: the one [`Error`] of a call and the kinds
//! it holds, the API's error bodies, and how a failed call is classified.
//!
//! Imports only the `config` and `auth` layers (whose own errors,
//! [`ConfigError`](crate::ConfigError) and [`AuthError`](crate::AuthError),
//! live with them because those layers raise them).

mod api_error;
mod api_error_body;
mod call_facts;
mod classify;
mod decode_error;
mod display;
mod error_code;
mod invalid_input;
mod pagination_error;
mod sdk_error;
mod stream_error;
mod timeout_error;
mod transport_error;

pub use api_error::ApiError;
pub use decode_error::{DecodeError, DecodeErrorKind};
pub use error_code::ErrorCode;
pub use invalid_input::InvalidInputError;
pub use pagination_error::PaginationError;
pub use sdk_error::{Error, WaitTimeoutError};
pub use stream_error::{StreamError, StreamErrorKind};
pub use timeout_error::{CallStep, TimeoutError};
pub use transport_error::TransportError;

pub(crate) use call_facts::CallFacts;
pub(crate) use classify::from_generated;
pub(crate) use transport_error::is_transient;
