//! Walking a cursor list (conversations, a conversation's messages,
//! events) page by page, as a [`Stream`] that fetches only as the caller
//! pulls.
//!
//! One generic piece serves every list: a [`Paginator`] is told how to
//! fetch one page (the same filters on every page, the cursor and page size
//! varying), and walks as its docs say.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

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
    /// The page size, as the generated client takes it.
    pub(crate) limit: Option<i64>,
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
#[derive(Clone)]
#[must_use = "a paginator fetches nothing until its pages or items are polled"]
pub struct Paginator<T> {
    operation: &'static str,
    fetch: Fetch<T>,
    page_size: Option<u32>,
    max_pages: usize,
    start: Option<String>,
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
        if let Err(error) = self.check() {
            return Pages(stream::once(async { Err(error) }).boxed());
        }
        let walk = Walk {
            next: Some(self.start.clone()),
            paginator: self,
            seen: HashSet::new(),
            fetched: 0,
        };
        Pages(stream::try_unfold(walk, Walk::step).boxed())
    }

    /// The walk as items, one page fetched at a time.
    pub fn items(self) -> Items<T> {
        let items = self
            .pages()
            .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok)));
        Items(items.try_flatten().boxed())
    }

    /// Every item of the list, in order (bounded by the page cap).
    pub async fn all(self) -> Result<Vec<T>, Error> {
        self.items().try_collect().await
    }

    /// Refuses a page size the API does not serve and an empty cursor.
    fn check(&self) -> Result<(), Error> {
        match (self.page_size, &self.start) {
            (Some(size), _) if !(1..=MAX_PAGE_SIZE).contains(&size) => Err(Error::invalid_input(
                "page_size",
                format!("{size} is not between 1 and {MAX_PAGE_SIZE}"),
            )),
            (_, Some(cursor)) if cursor.is_empty() => {
                Err(Error::invalid_input("cursor", "it is empty"))
            }
            _ => Ok(()),
        }
    }
}

/// A walk between two pages.
struct Walk<T> {
    paginator: Paginator<T>,
    /// The cursor of the next page (`Some(None)` for the first page);
    /// `None` once the list ended.
    next: Option<Option<String>>,
    /// The cursors fetched.
    seen: HashSet<String>,
    fetched: usize,
}

impl<T> Walk<T> {
    /// Fetches the next page, unless the list ended or the walk must stop.
    async fn step(mut self) -> Result<Option<(Page<T>, Self)>, Error> {
        let Some(cursor) = self.next.take() else {
            return Ok(None);
        };
        // A repeated cursor is named; at the page cap, the one to resume from.
        let repeated = cursor
            .as_ref()
            .is_some_and(|c| !self.seen.insert(c.clone()));
        if repeated || self.fetched >= self.paginator.max_pages {
            let (operation, cursor) = (self.paginator.operation, cursor.unwrap_or_default());
            return Err(Error::pagination(operation, self.fetched, cursor, repeated));
        }
        let query = PageQuery {
            cursor: cursor.clone(),
            limit: self.paginator.page_size.map(i64::from),
        };
        let (items, next_cursor) = (self.paginator.fetch)(query).await?;
        self.fetched += 1;
        let next_cursor = next_cursor.filter(|cursor| !cursor.is_empty());
        self.next = next_cursor.clone().map(Some);
        let page = Page {
            items,
            cursor,
            next_cursor,
            number: self.fetched,
        };
        Ok(Some((page, self)))
    }
}

/// The pages of a walk; see [`Paginator::pages`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T>(BoxStream<'static, Result<Page<T>, Error>>);

/// The items of a walk; see [`Paginator::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<T>(BoxStream<'static, Result<T, Error>>);

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_next_unpin(cx)
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
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
