//! Walking a cursor list (conversations, a conversation's messages,
//! events) page by page, as a [`Stream`] that fetches only as the caller
//! pulls.
//!
//! One generic piece serves every list: a [`Paginator`] is told how to
//! fetch one page (the same filters on every page, the cursor and page size
//! varying), and walks as its docs say.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::page::Page;
use crate::error::Error;

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Pages a walk fetches at most, unless [`Paginator::max_pages`] says
/// otherwise: 100,000 items at the largest page size.
pub const DEFAULT_MAX_PAGES: usize = 1000;

/// What one page request asks for; the filters live in the fetch closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageQuery {
    pub(crate) cursor: Option<String>,
    pub(crate) limit: Option<u32>,
}

/// One page's items and the cursor of the next page, as the API sent them.
pub(crate) type RawPage<T> = (Vec<T>, Option<String>);

type FetchFuture<T> = Pin<Box<dyn Future<Output = Result<RawPage<T>, Error>> + Send>>;
type Fetch<T> = Arc<dyn Fn(PageQuery) -> FetchFuture<T> + Send + Sync>;

/// A list to walk: set the page size, the page cap or a cursor to resume
/// from, then take [`pages`](Paginator::pages), [`items`](Paginator::items)
/// or [`all`](Paginator::all).
///
/// - Nothing is fetched until the stream is polled, one page at a time,
///   with nothing spawned and at most one page held; dropping the stream
///   stops the walk.
/// - The walk ends when a page has no `next_cursor` (null, absent or
///   empty); an empty page that has one is followed.
/// - A cursor seen before in the same walk is an error naming the page,
///   never a loop and never a quiet stop; so is reaching the page cap
///   ([`Paginator::max_pages`]) while the list goes on, and the error
///   carries the cursor to resume from.
/// - Every page is an ordinary call (auth, retries, typed errors); an
///   error is yielded, then the stream ends.
///
/// ```no_run
/// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
/// use futures_util::TryStreamExt;
/// use moveworks_ext::ConversationQuery;
///
/// let mut conversations = client.list_conversations(ConversationQuery::new()).page_size(100).items();
/// while let Some(conversation) = conversations.try_next().await? {
///     println!("{} {:?}", conversation.conversation_id, conversation.title);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paginator fetches nothing until its pages or items are polled"]
pub struct Paginator<T> {
    operation: &'static str,
    fetch: Fetch<T>,
    page_size: Option<u32>,
    max_pages: usize,
    start: Option<String>,
}

impl<T> Clone for Paginator<T> {
    fn clone(&self) -> Self {
        Self {
            operation: self.operation,
            fetch: self.fetch.clone(),
            page_size: self.page_size,
            max_pages: self.max_pages,
            start: self.start.clone(),
        }
    }
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Paginator<T> {
    pub(crate) fn new<F, Fut>(operation: &'static str, fetch: F) -> Self
    where
        F: Fn(PageQuery) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<RawPage<T>, Error>> + Send + 'static,
    {
        Self {
            operation,
            fetch: Arc::new(move |query| Box::pin(fetch(query))),
            page_size: None,
            max_pages: DEFAULT_MAX_PAGES,
            start: None,
        }
    }

    /// Items per page, 1 to 100 (the API's default is 20). A size outside
    /// that range fails the walk before anything is sent.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The most pages this walk fetches (default [`DEFAULT_MAX_PAGES`]). A
    /// list that goes on past it ends in an [`ErrorKind::Pagination`](crate::ErrorKind::Pagination) error,
    /// with the cursor to resume from.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// Starts from a cursor kept from an earlier walk
    /// ([`Page::next_cursor`]) instead of the first page.
    pub fn resume_from(mut self, cursor: impl Into<String>) -> Self {
        self.start = Some(cursor.into());
        self
    }

    /// The walk as whole pages, each with its cursors.
    pub fn pages(self) -> Pages<T> {
        let invalid = match self.page_size {
            Some(size) if !(1..=MAX_PAGE_SIZE).contains(&size) => Some(Error::invalid_input(
                "page_size",
                format!("{size} is not between 1 and {MAX_PAGE_SIZE}"),
            )),
            _ => match &self.start {
                Some(cursor) if cursor.is_empty() => {
                    Some(Error::invalid_input("cursor", "it is empty"))
                }
                _ => None,
            },
        };
        let seen = self.start.iter().cloned().collect();
        Pages {
            operation: self.operation,
            fetch: self.fetch,
            limit: self.page_size,
            max_pages: self.max_pages,
            cursor: self.start,
            seen,
            fetched: 0,
            in_flight: None,
            pending: invalid,
            done: false,
        }
    }

    /// The walk as items, one page fetched at a time.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self.pages(),
            buffer: VecDeque::new(),
        }
    }

    /// Every item of the list, in order (bounded by the page cap).
    pub async fn all(self) -> Result<Vec<T>, Error> {
        let mut pages = self.pages();
        let mut all = Vec::new();
        while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
            all.extend(page?.into_items());
        }
        Ok(all)
    }
}

/// The pages of a walk; see [`Paginator::pages`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    operation: &'static str,
    fetch: Fetch<T>,
    limit: Option<u32>,
    max_pages: usize,
    /// The cursor of the next request.
    cursor: Option<String>,
    seen: HashSet<String>,
    fetched: usize,
    in_flight: Option<FetchFuture<T>>,
    /// An error to yield before anything else, after which the walk ends.
    pending: Option<Error>,
    done: bool,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("fetched", &self.fetched)
            .field("cursor", &self.cursor)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(error) = this.pending.take() {
            this.done = true;
            return Poll::Ready(Some(Err(error)));
        }
        if this.done {
            return Poll::Ready(None);
        }
        let future = match &mut this.in_flight {
            Some(future) => future,
            None => {
                if this.fetched >= this.max_pages {
                    this.done = true;
                    let cursor = this.cursor.clone().unwrap_or_default();
                    let error = Error::pagination(this.operation, this.fetched, cursor, false);
                    return Poll::Ready(Some(Err(error)));
                }
                this.in_flight.insert((this.fetch)(PageQuery {
                    cursor: this.cursor.clone(),
                    limit: this.limit,
                }))
            }
        };
        let (items, next_cursor) = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(error)) => {
                this.in_flight = None;
                this.done = true;
                return Poll::Ready(Some(Err(error)));
            }
            Poll::Ready(Ok(page)) => page,
        };
        this.in_flight = None;
        this.fetched += 1;
        let next_cursor = next_cursor.filter(|cursor| !cursor.is_empty());
        match &next_cursor {
            None => this.done = true,
            Some(cursor) if !this.seen.insert(cursor.clone()) => {
                // The page itself is yielded (nothing is dropped), then the
                // walk ends with the error.
                let error = Error::pagination(this.operation, this.fetched, cursor.clone(), true);
                this.pending = Some(error);
            }
            Some(_) => {}
        }
        let page = Page::new(
            items,
            std::mem::replace(&mut this.cursor, next_cursor.clone()),
            next_cursor,
            this.fetched,
        );
        Poll::Ready(Some(Ok(page)))
    }
}

/// The items of a walk; see [`Paginator::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
}

// Items are moved in and out of the buffer, never pinned.
impl<T> Unpin for Items<T> {}
impl<T> Unpin for Pages<T> {}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffer = page.into_items().into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::error::ErrorKind;

    /// A fetch that serves `script` in order and records each query.
    fn scripted(script: Vec<RawPage<u32>>) -> (Paginator<u32>, Arc<Mutex<Vec<PageQuery>>>) {
        let queries = Arc::new(Mutex::new(Vec::new()));
        let seen = queries.clone();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let paginator = Paginator::new("list-things", move |query: PageQuery| {
            seen.lock().unwrap().push(query);
            let next = script.lock().unwrap().pop_front();
            async move { next.ok_or_else(|| Error::invalid_input("test", "script exhausted")) }
        });
        (paginator, queries)
    }

    fn page(items: &[u32], next: Option<&str>) -> RawPage<u32> {
        (items.to_vec(), next.map(str::to_owned))
    }

    async fn drain<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
        let mut out = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await
        {
            out.push(item);
        }
        out
    }

    #[tokio::test]
    async fn walks_until_the_cursor_ends_following_empty_pages() {
        for end in [None, Some("")] {
            let (paginator, queries) = scripted(vec![
                page(&[1, 2], Some("c2")),
                page(&[], Some("c3")),
                page(&[3], end),
            ]);
            let items: Vec<u32> = drain(paginator.page_size(2).items())
                .await
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(items, [1, 2, 3]);
            let queries = queries.lock().unwrap();
            let cursors: Vec<Option<&str>> = queries.iter().map(|q| q.cursor.as_deref()).collect();
            assert_eq!(cursors, [None, Some("c2"), Some("c3")]);
            assert!(queries.iter().all(|q| q.limit == Some(2)));
        }
    }

    #[tokio::test]
    async fn pages_carry_their_cursors_and_numbers() {
        let (paginator, _) = scripted(vec![page(&[1], Some("a")), page(&[2], None)]);
        let pages: Vec<Page<u32>> = drain(paginator.pages())
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(pages.len(), 2);
        assert_eq!(
            (pages[0].cursor(), pages[0].next_cursor(), pages[0].number()),
            (None, Some("a"), 1)
        );
        assert_eq!(
            (pages[1].cursor(), pages[1].next_cursor(), pages[1].number()),
            (Some("a"), None, 2)
        );
        assert_eq!(pages[1].items(), [2]);
        assert_eq!(pages[1].clone().into_items(), [2]);
    }

    #[tokio::test]
    async fn a_repeated_cursor_yields_the_page_then_an_error_naming_it() {
        let (paginator, queries) = scripted(vec![
            page(&[1], Some("a")),
            page(&[2], Some("b")),
            page(&[3], Some("a")),
            page(&[4], None),
        ]);
        let out = drain(paginator.items()).await;
        assert_eq!(out.len(), 4);
        assert_eq!(*out[2].as_ref().unwrap(), 3);
        let error = out[3].as_ref().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Pagination);
        assert_eq!(error.resume_cursor(), None, "resuming would repeat it");
        assert_eq!(
            error.to_string(),
            "list-things: page 3 points to cursor `a`, which this walk has already followed"
        );
        assert_eq!(queries.lock().unwrap().len(), 3, "no page after the repeat");
    }

    #[tokio::test]
    async fn a_resumed_walk_treats_its_start_as_seen() {
        let (paginator, queries) = scripted(vec![page(&[5], Some("start"))]);
        let out = drain(paginator.resume_from("start").items()).await;
        let error = out.last().unwrap().as_ref().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("list-things: page 1 points to cursor"),
            "{error}"
        );
        assert_eq!(queries.lock().unwrap()[0].cursor.as_deref(), Some("start"));
    }

    #[tokio::test]
    async fn the_page_cap_is_an_error_with_the_cursor_to_resume_from() {
        let (paginator, queries) = scripted(vec![page(&[1], Some("a")), page(&[2], Some("b"))]);
        let out = drain(paginator.clone().max_pages(2).items()).await;
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[2].as_ref().unwrap_err().to_string(),
            "list-things: stopped at the limit of 2 pages with more to come (resume from cursor `b`, or raise max_pages)"
        );
        assert_eq!(out[2].as_ref().unwrap_err().resume_cursor(), Some("b"));
        assert_eq!(queries.lock().unwrap().len(), 2);
        // A list that ends exactly at the cap is complete, not an error.
        let (paginator, _) = scripted(vec![page(&[1], Some("a")), page(&[2], None)]);
        assert_eq!(paginator.max_pages(2).all().await.unwrap(), [1, 2]);
    }

    #[tokio::test]
    async fn bad_page_sizes_and_cursors_fail_before_any_request() {
        for (size, start) in [(0, None), (101, None), (5, Some(""))] {
            let (mut paginator, queries) = scripted(vec![page(&[1], None)]);
            paginator = paginator.page_size(size);
            if let Some(start) = start {
                paginator = paginator.resume_from(start);
            }
            let out = drain(paginator.items()).await;
            assert_eq!(out.len(), 1, "{size}");
            assert_eq!(
                out[0].as_ref().unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{size}"
            );
            assert!(queries.lock().unwrap().is_empty());
        }
        for size in [1, 100] {
            let (paginator, _) = scripted(vec![page(&[1], None)]);
            assert_eq!(paginator.page_size(size).all().await.unwrap(), [1]);
        }
    }

    #[tokio::test]
    async fn an_error_ends_the_walk() {
        let (paginator, queries) = scripted(vec![page(&[1], Some("a"))]);
        let out = drain(paginator.items()).await;
        assert_eq!(out.len(), 2);
        assert!(out[1].is_err());
        assert_eq!(queries.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn nothing_is_fetched_until_polled() {
        let (paginator, queries) = scripted(vec![page(&[1], None)]);
        let items = paginator.items();
        assert!(queries.lock().unwrap().is_empty());
        drop(items);
        assert!(queries.lock().unwrap().is_empty());
    }
}
