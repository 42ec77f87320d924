//! Sending requests: a call's attempts (`run`), each with the token and the
//! auth headers, the time limits and the response size limit, and whether
//! to go again (policy, `Retry-After`, the retry budget, which operations
//! may be sent twice). Imports the `config`, `auth` and `error` layers.

mod attempt;
pub(crate) mod headers;
mod idempotency;
mod identity;
mod retry_after;
mod retry_budget;
mod retry_policy;
mod run;
mod settings;
mod token;

pub(crate) use identity::Identity;
pub use retry_budget::RetryBudget;
pub use retry_policy::RetryPolicy;
pub(crate) use settings::{RequestSettings, Shared};
