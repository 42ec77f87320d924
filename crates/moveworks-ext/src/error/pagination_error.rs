//! Why a list walk stopped before the end of the list.

use std::fmt;

/// Why a walk stopped before the end of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// Page `page` pointed to a cursor already followed in this walk: the
    /// API would send the same pages again, forever.
    #[non_exhaustive]
    RepeatedCursor {
        /// The list operation.
        operation: &'static str,
        /// The page (from 1) whose `next_cursor` repeated.
        page: usize,
        /// The repeated cursor.
        cursor: String,
    },
    /// The walk fetched its cap of pages and the list goes on.
    #[non_exhaustive]
    PageLimit {
        /// The list operation.
        operation: &'static str,
        /// Pages fetched.
        pages: usize,
        /// Where the list goes on: resume from it, or raise the cap.
        next_cursor: String,
    },
}

impl std::error::Error for PaginationError {}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::RepeatedCursor {
                operation,
                page,
                cursor,
            } => write!(
                f,
                "{operation}: page {page} points to cursor `{cursor}`, which this walk has already followed"
            ),
            PaginationError::PageLimit {
                operation,
                pages,
                next_cursor,
            } => write!(
                f,
                "{operation}: stopped at the limit of {pages} pages with more to come (resume from cursor `{next_cursor}`, or raise max_pages)"
            ),
        }
    }
}
