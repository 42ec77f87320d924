//! The client: [`Client`], its builder, per-call options, what a call says
//! about itself, and the input checks every call makes. Imports the
//! `config`, `auth`, `error` and `transport` layers.

mod builder;
mod call_options;
mod flow_settings;
pub mod input;
mod metadata;
mod sdk_client;

pub use builder::ClientBuilder;
pub use call_options::CallOptions;
pub use metadata::{CallMetadata, WithMetadata};
pub use sdk_client::Client;
