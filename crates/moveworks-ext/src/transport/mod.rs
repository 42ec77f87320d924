//! Sending requests: the middleware every call goes through, with its auth
//! headers, retries (policy, decisions, `Retry-After`, which operations may
//! be sent twice), time limits, response size limit and the record of the
//! call. Imports the `config`, `auth` and `error` layers.

mod body;
pub(crate) mod call_record;
pub(crate) mod headers;
mod idempotency;
mod middleware;
mod retry_after;
mod retry_budget;
mod retry_decision;
mod retry_policy;
mod send;
mod settings;
mod token;

pub(crate) use middleware::SdkMiddleware;
pub use retry_budget::RetryBudget;
pub use retry_policy::RetryPolicy;
pub(crate) use settings::{RequestSettings, Shared};
