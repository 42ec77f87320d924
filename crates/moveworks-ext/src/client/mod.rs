//! The client: [`Client`], its builder, per-call options, what a call says
//! about itself, calling any operation dynamically, and the input checks
//! every call makes. Imports the `config`, `auth`, `error` and `transport`
//! layers.
//!
//! The input checks are here rather than with the resources because
//! calling an operation dynamically checks path ids too.

mod builder;
mod call_options;
mod flow_settings;
pub mod input;
mod metadata;
mod operation_call;
mod sdk_client;

pub use builder::ClientBuilder;
pub use call_options::CallOptions;
pub use metadata::{CallMetadata, WithMetadata};
pub use operation_call::{OperationAnswer, OperationCall};
pub use sdk_client::Client;
