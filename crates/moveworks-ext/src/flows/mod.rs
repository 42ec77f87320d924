//! Generic pieces built on calls, with no `impl Client`: walking cursor
//! lists, polling until a final state, and reading Server-Sent Events
//! within bounds. Imports the `config` and `error` layers.

mod page;
mod paginator;
pub(crate) mod polling;
pub(crate) mod sse;

pub use page::Page;
pub use paginator::{DEFAULT_MAX_PAGES, Items, MAX_PAGE_SIZE, Pages, Paginator};
