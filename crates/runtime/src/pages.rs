//! Page walkers: every page of a list action, one ordinary call per page.
//!
//! The generated crate describes how an action pages with a few small
//! functions (set the offset or the cursor on a request, find the items,
//! the total and the next cursor in a response): an [`OffsetPaging`] or a
//! [`CursorPaging`], passed to [`Client::pages`]. The walk itself, and when
//! it stops, is here, so that every paginated action stops by the same rules
//! (`pages/stop.rs`).

mod stop;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ErrorData, ErrorKind};
use crate::{Client, Error, ErrorCodeType, Operation};
use stop::{Position, Walker};

/// Where a response keeps its items; the generated accessor is
/// `|r| &mut r.family_list`.
pub type ItemsOf<Resp, Item> = fn(&mut Resp) -> &mut Option<Vec<Item>>;

/// How an action pages with `Offset` and `Limit`, and optionally says how
/// many items there are in all (`Total`).
///
/// The walk keeps the caller's `Limit` (lowered to the
/// [maximum page size](Self::with_max_page_size), if one is given; a limit
/// of 0 or less counts as none) and starts at the caller's `Offset` (none:
/// 0). Without a limit it sends the maximum page size, or else nothing, and
/// leaves the page size to the server. Each next page starts after the items
/// received so far. The walk stops at the first of:
///
/// - an empty page;
/// - with a total: when the items so far reach it (a short page alone does
///   not stop it then: a server that caps pages below the limit sends short
///   pages in the middle);
/// - without a total: a page shorter than the limit sent, or, with no
///   limit sent, shorter than the longest page so far.
pub struct OffsetPaging<Req, Resp, Item> {
    pub(crate) offset: fn(&Req) -> Option<i64>,
    pub(crate) set_offset: fn(&mut Req, i64),
    pub(crate) limit: fn(&Req) -> Option<i64>,
    pub(crate) set_limit: fn(&mut Req, i64),
    pub(crate) items: ItemsOf<Resp, Item>,
    pub(crate) total: Option<fn(&Resp) -> Option<i64>>,
    pub(crate) max_page_size: Option<i64>,
}

impl<Req, Resp, Item> OffsetPaging<Req, Resp, Item> {
    /// Paging with the request's offset and limit (read and written by the
    /// four functions) and the response's items; no total, no maximum page
    /// size.
    pub const fn new(
        offset: fn(&Req) -> Option<i64>,
        set_offset: fn(&mut Req, i64),
        limit: fn(&Req) -> Option<i64>,
        set_limit: fn(&mut Req, i64),
        items: ItemsOf<Resp, Item>,
    ) -> Self {
        OffsetPaging {
            offset,
            set_offset,
            limit,
            set_limit,
            items,
            total: None,
            max_page_size: None,
        }
    }

    /// The response's count of all items (`Total`), which ends the walk when
    /// the items so far reach it.
    pub const fn with_total(mut self, total: fn(&Resp) -> Option<i64>) -> Self {
        self.total = Some(total);
        self
    }

    /// The largest `Limit` the docs allow (`最多为50条`): a larger limit is
    /// lowered to it, and it is the limit sent when the caller sets none.
    pub const fn with_max_page_size(mut self, max: i64) -> Self {
        self.max_page_size = Some(max);
        self
    }
}

/// How an action pages with a cursor: the request takes the cursor of the
/// reply before (`Context`), and the reply carries the next one.
///
/// The walk starts with the caller's request (and so the caller's cursor,
/// if any) and stops at an empty page, or when the next cursor is missing,
/// empty, or the one just sent. A cursor that comes back after later ones
/// is an [`ErrorKind::Pagination`] error. The reply's `Listover` is not
/// read: the docs give it opposite meanings on different pages, and the
/// cursor and the items say the same thing reliably, at the cost of at
/// most one more call.
pub struct CursorPaging<Req, Resp, Item> {
    pub(crate) set_cursor: fn(&mut Req, String),
    pub(crate) next_cursor: fn(&Resp) -> Option<&str>,
    pub(crate) items: ItemsOf<Resp, Item>,
}

impl<Req, Resp, Item> CursorPaging<Req, Resp, Item> {
    /// Paging that sets the cursor with `set_cursor`, finds the next one
    /// with `next_cursor` and the items with `items`.
    pub const fn new(
        set_cursor: fn(&mut Req, String),
        next_cursor: fn(&Resp) -> Option<&str>,
        items: ItemsOf<Resp, Item>,
    ) -> Self {
        CursorPaging {
            set_cursor,
            next_cursor,
            items,
        }
    }
}

/// How an action pages: what [`Client::pages`] takes.
pub enum Paging<Req, Resp, Item> {
    /// With `Offset` and `Limit`.
    Offset(OffsetPaging<Req, Resp, Item>),
    /// With a cursor.
    Cursor(CursorPaging<Req, Resp, Item>),
}

impl<Req, Resp, Item> Paging<Req, Resp, Item> {
    pub(crate) fn items(&self) -> ItemsOf<Resp, Item> {
        match self {
            Paging::Offset(p) => p.items,
            Paging::Cursor(p) => p.items,
        }
    }
}

impl<Req, Resp, Item> From<OffsetPaging<Req, Resp, Item>> for Paging<Req, Resp, Item> {
    fn from(p: OffsetPaging<Req, Resp, Item>) -> Self {
        Paging::Offset(p)
    }
}

impl<Req, Resp, Item> From<CursorPaging<Req, Resp, Item>> for Paging<Req, Resp, Item> {
    fn from(p: CursorPaging<Req, Resp, Item>) -> Self {
        Paging::Cursor(p)
    }
}

// By hand: derives would require the type parameters to be `Clone`, `Copy`
// and `Debug`, and the functions do not need them to.
impl<Req, Resp, Item> Clone for OffsetPaging<Req, Resp, Item> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Resp, Item> Copy for OffsetPaging<Req, Resp, Item> {}

impl<Req, Resp, Item> Clone for CursorPaging<Req, Resp, Item> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Resp, Item> Copy for CursorPaging<Req, Resp, Item> {}

impl<Req, Resp, Item> Clone for Paging<Req, Resp, Item> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Resp, Item> Copy for Paging<Req, Resp, Item> {}

impl<Req, Resp, Item> fmt::Debug for OffsetPaging<Req, Resp, Item> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OffsetPaging")
            .field("total", &self.total.is_some())
            .field("max_page_size", &self.max_page_size)
            .finish_non_exhaustive()
    }
}

impl<Req, Resp, Item> fmt::Debug for CursorPaging<Req, Resp, Item> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CursorPaging").finish_non_exhaustive()
    }
}

impl<Req, Resp, Item> fmt::Debug for Paging<Req, Resp, Item> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Paging::Offset(p) => fmt::Debug::fmt(p, f),
            Paging::Cursor(p) => fmt::Debug::fmt(p, f),
        }
    }
}

type PageFuture<Resp, C> = Pin<Box<dyn Future<Output = Result<Resp, Error<C>>> + Send>>;

/// Pages a walk fetches before it gives up with an
/// [`ErrorKind::Pagination`] error, unless told otherwise.
const DEFAULT_MAX_PAGES: usize = 1000;

/// Every page of a list action, in order: `next().await` or a
/// [`Stream`](futures_core::Stream) of responses; [`items`](Self::items)
/// and [`collect_items`](Self::collect_items) for the items alone.
///
/// Each page is an ordinary call with the client's retries, timeout,
/// tracing and token. A failed page is yielded as an error and ends the
/// walk; so does a walk that does not end (its page limit, 1000 by default,
/// or a page or cursor the server sent before), with an
/// [`ErrorKind::Pagination`] error. An empty page is yielded only when it is
/// the first.
pub struct Pages<Req, Resp, Item, C> {
    // Boxed so that the walker is `Unpin` whatever the types are, which the
    // `Stream` impl needs, and small to move.
    walk: Box<Walk<Req, Resp, Item, C>>,
}

struct Walk<Req, Resp, Item, C> {
    client: Client<C>,
    op: &'static Operation,
    request: Req,
    walker: Walker<Req, Resp, Item>,
    in_flight: Option<PageFuture<Resp, C>>,
}

impl<C: ErrorCodeType> Client<C> {
    /// A walk over every page of `op`, starting with `request`; the
    /// generated `*_pages` methods call this with the action's paging.
    pub fn pages<Req, Resp, Item>(
        &self,
        op: &'static Operation,
        mut request: Req,
        paging: impl Into<Paging<Req, Resp, Item>>,
    ) -> Pages<Req, Resp, Item, C>
    where
        Req: Serialize + Clone + Send + Sync + 'static,
        Resp: DeserializeOwned + Send + 'static,
        Item: Clone + PartialEq,
    {
        let walker = Walker::new(&mut request, paging.into(), DEFAULT_MAX_PAGES);
        Pages {
            walk: Box::new(Walk {
                client: self.clone(),
                op,
                request,
                walker,
                in_flight: None,
            }),
        }
    }
}

impl<Req, Resp, Item, C> Pages<Req, Resp, Item, C>
where
    Req: Serialize + Clone + Send + Sync + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq,
    C: ErrorCodeType,
{
    /// Give up with an [`ErrorKind::Pagination`] error after `max` pages
    /// (at least 1) instead of 1000, when the server has not signalled the
    /// end by then.
    pub fn with_max_pages(mut self, max: usize) -> Self {
        self.walk.walker.max_pages = max.max(1);
        self
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<Resp, Error<C>>> {
        std::future::poll_fn(|cx| self.walk.poll_page(cx)).await
    }

    /// The items of every page, one at a time.
    pub fn items(self) -> Items<Req, Resp, Item, C> {
        Items {
            inner: Box::new(ItemsInner {
                buffer: Vec::new().into_iter(),
                pages: self,
            }),
        }
    }

    /// The items of every page, in order; the first error ends the walk and
    /// is returned instead.
    pub async fn collect_items(mut self) -> Result<Vec<Item>, Error<C>> {
        let items = self.walk.walker.paging.items();
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            all.extend(items(&mut page?).take().unwrap_or_default());
        }
        Ok(all)
    }
}

impl<Req, Resp, Item, C> Walk<Req, Resp, Item, C>
where
    Req: Serialize + Clone + Send + Sync + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq,
    C: ErrorCodeType,
{
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Resp, Error<C>>>> {
        loop {
            if self.in_flight.is_none() {
                match std::mem::replace(&mut self.walker.position, Position::Done) {
                    Position::Done => return Poll::Ready(None),
                    Position::Failed(message) => {
                        return Poll::Ready(Some(Err(self.error(message))));
                    }
                    position => {
                        let request = self.walker.request_for(&self.request, &position);
                        self.walker.position = position;
                        let client = self.client.clone();
                        let op = self.op;
                        self.in_flight =
                            Some(Box::pin(async move { client.call(op, &request).await }));
                    }
                }
            }
            let Some(in_flight) = self.in_flight.as_mut() else {
                unreachable!("a page was just started");
            };
            let result = ready!(in_flight.as_mut().poll(cx));
            self.in_flight = None;
            let mut page = match result {
                Ok(page) => page,
                Err(e) => {
                    self.walker.position = Position::Done;
                    return Poll::Ready(Some(Err(e)));
                }
            };
            match self.walker.after_page(&mut page) {
                Ok(true) => return Poll::Ready(Some(Ok(page))),
                // A trailing empty page: nothing to show.
                Ok(false) => continue,
                Err(message) => {
                    self.walker.position = Position::Done;
                    return Poll::Ready(Some(Err(self.error(message))));
                }
            }
        }
    }

    fn error(&self, message: String) -> Error<C> {
        Error::from_data(ErrorData::new(ErrorKind::Pagination, message).with_action(self.op.action))
    }
}

impl<Req, Resp, Item, C> futures_core::Stream for Pages<Req, Resp, Item, C>
where
    Req: Serialize + Clone + Send + Sync + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq,
    C: ErrorCodeType,
{
    type Item = Result<Resp, Error<C>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().walk.poll_page(cx)
    }
}

impl<Req, Resp, Item, C> fmt::Debug for Pages<Req, Resp, Item, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = &self.walk;
        f.debug_struct("Pages")
            .field("action", &w.op.action)
            .field("paging", &w.walker.paging)
            .field("pages", &w.walker.pages)
            .field("max_pages", &w.walker.max_pages)
            .field("in_flight", &w.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

/// The items of every page of a list action, one at a time:
/// `next().await` or a [`Stream`](futures_core::Stream). Made by
/// [`Pages::items`]; errors and the end of the walk are those of [`Pages`].
pub struct Items<Req, Resp, Item, C> {
    // Boxed for `Unpin`, as in `Pages`.
    inner: Box<ItemsInner<Req, Resp, Item, C>>,
}

struct ItemsInner<Req, Resp, Item, C> {
    pages: Pages<Req, Resp, Item, C>,
    buffer: std::vec::IntoIter<Item>,
}

impl<Req, Resp, Item, C> Items<Req, Resp, Item, C>
where
    Req: Serialize + Clone + Send + Sync + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq,
    C: ErrorCodeType,
{
    /// The next item, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<Item, Error<C>>> {
        std::future::poll_fn(|cx| self.inner.poll_item(cx)).await
    }
}

impl<Req, Resp, Item, C> ItemsInner<Req, Resp, Item, C>
where
    Req: Serialize + Clone + Send + Sync + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq,
    C: ErrorCodeType,
{
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Item, Error<C>>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(self.pages.walk.poll_page(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(mut page)) => {
                    let items = self.pages.walk.walker.paging.items();
                    self.buffer = items(&mut page).take().unwrap_or_default().into_iter();
                }
            }
        }
    }
}

impl<Req, Resp, Item, C> futures_core::Stream for Items<Req, Resp, Item, C>
where
    Req: Serialize + Clone + Send + Sync + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq,
    C: ErrorCodeType,
{
    type Item = Result<Item, Error<C>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.poll_item(cx)
    }
}

impl<Req, Resp, Item, C> fmt::Debug for Items<Req, Resp, Item, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.inner.pages)
            .field("buffered", &self.inner.buffer.len())
            .finish()
    }
}
