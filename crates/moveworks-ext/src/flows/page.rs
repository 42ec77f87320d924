//! One page of a list.

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub(super) items: Vec<T>,
    pub(super) cursor: Option<String>,
    pub(super) next_cursor: Option<String>,
    pub(super) number: usize,
}

impl<T> Page<T> {
    /// The page's items, in the API's order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The page's items, owned.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The cursor this page was fetched with (`None` for the first page).
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// The cursor of the next page; `None` on the last page. Keep it to
    /// resume the walk later with [`Paginator::resume_from`](crate::Paginator::resume_from).
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    /// The page's position in this walk, from 1.
    pub fn number(&self) -> usize {
        self.number
    }
}
