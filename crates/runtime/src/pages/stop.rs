//! Where a walk is, and when it stops: the rules of [`OffsetPaging`] and
//! [`CursorPaging`], without the calls.
//!
//! None of these rules trusts one signal alone to go on: a page is requested
//! only while the server says there is more in a way it cannot keep saying
//! forever by mistake (a total not yet reached, a full page, a new cursor),
//! and the page limit and the repeated-page and repeated-cursor checks catch
//! a server that does anyway.

use std::collections::HashSet;

use super::{CursorPaging, OffsetPaging, Paging};

/// Which page is next (or in flight), or why there is none.
pub(crate) enum Position {
    /// The caller's request as it is.
    First,
    /// The caller's request at this offset.
    Offset(i64),
    /// The caller's request with this cursor.
    Cursor(String),
    /// The walk gave up; the message is yielded next.
    Failed(String),
    Done,
}

/// The state of one walk.
pub(crate) struct Walker<Req, Resp, Item> {
    pub(crate) paging: Paging<Req, Resp, Item>,
    pub(crate) position: Position,
    /// Pages received so far.
    pub(crate) pages: usize,
    pub(crate) max_pages: usize,
    /// Offset walks: the offset of the caller's request, and the limit sent.
    start_offset: i64,
    limit: Option<i64>,
    largest_page: usize,
    /// The items of the page before, to catch a server that ignores where a
    /// page starts and sends the same one again.
    previous: Option<Vec<Item>>,
    /// Cursor walks: every cursor sent so far.
    cursors: HashSet<String>,
}

impl<Req: Clone, Resp, Item: Clone + PartialEq> Walker<Req, Resp, Item> {
    /// A walk that starts with `request`, whose limit this settles (the
    /// caller's, lowered to the maximum page size; or the maximum).
    pub(crate) fn new(
        request: &mut Req,
        paging: Paging<Req, Resp, Item>,
        max_pages: usize,
    ) -> Self {
        let (start_offset, limit) = match &paging {
            Paging::Offset(p) => (
                (p.offset)(request).unwrap_or(0).max(0),
                settle_limit(p, request),
            ),
            Paging::Cursor(_) => (0, None),
        };
        Walker {
            paging,
            position: Position::First,
            pages: 0,
            max_pages,
            start_offset,
            limit,
            largest_page: 0,
            previous: None,
            cursors: HashSet::new(),
        }
    }

    /// The request for the page at `position`.
    pub(crate) fn request_for(&self, template: &Req, position: &Position) -> Req {
        let mut request = template.clone();
        match (&self.paging, position) {
            (Paging::Offset(p), Position::Offset(offset)) => (p.set_offset)(&mut request, *offset),
            (Paging::Cursor(p), Position::Cursor(cursor)) => {
                (p.set_cursor)(&mut request, cursor.clone());
            }
            _ => {}
        }
        request
    }

    /// Takes in the page just received and moves to the next one, or ends
    /// the walk. `Ok(false)`: the page is a trailing empty one, not worth
    /// yielding. `Err`: the page repeats the one before, and the walk ends
    /// with this message instead of it. A walk that must not go on after a
    /// good page (its page limit, a cursor seen before) yields the page and
    /// fails next ([`Position::Failed`]).
    pub(crate) fn after_page(&mut self, page: &mut Resp) -> Result<bool, String> {
        self.pages += 1;
        let items = self.paging.items();
        let count = {
            let items = items(page).as_deref().unwrap_or_default();
            if !items.is_empty() && self.previous.as_deref() == Some(items) {
                return Err(format!(
                    "page {} repeats page {}: the server does not move on to the next page",
                    self.pages,
                    self.pages - 1
                ));
            }
            items.len()
        };
        let sent = std::mem::replace(&mut self.position, Position::Done);
        if count == 0 {
            tracing::debug!(pages = self.pages, "the last page is empty");
            return Ok(self.pages == 1);
        }
        let next = match self.paging {
            Paging::Offset(p) => self.next_offset(&p, sent, count, page),
            Paging::Cursor(p) => self.next_cursor(&p, sent, page),
        };
        if let Some(next) = next {
            self.position = if self.pages >= self.max_pages && !matches!(next, Position::Failed(_))
            {
                Position::Failed(format!(
                    "stopped after {} pages, the walk's limit, before the server sent the last page",
                    self.pages
                ))
            } else {
                next
            };
            self.previous = Some(items(page).as_deref().unwrap_or_default().to_vec());
        }
        Ok(true)
    }

    fn next_offset(
        &mut self,
        p: &OffsetPaging<Req, Resp, Item>,
        sent: Position,
        count: usize,
        page: &Resp,
    ) -> Option<Position> {
        let offset = match sent {
            Position::Offset(offset) => offset,
            _ => self.start_offset,
        };
        let count_i64 = i64::try_from(count).unwrap_or(i64::MAX);
        let end = offset.checked_add(count_i64)?;
        let total = p.total.and_then(|total| total(page));
        let (last, why) = match (total, self.limit) {
            (Some(total), _) => (end >= total, "the items reach the total"),
            (None, Some(limit)) => (count_i64 < limit, "the page is shorter than the limit"),
            (None, None) => (
                count < self.largest_page,
                "the page is shorter than the ones before",
            ),
        };
        self.largest_page = self.largest_page.max(count);
        if last {
            tracing::debug!(pages = self.pages, end, "last page: {why}");
            return None;
        }
        Some(Position::Offset(end))
    }

    fn next_cursor(
        &mut self,
        p: &CursorPaging<Req, Resp, Item>,
        sent: Position,
        page: &Resp,
    ) -> Option<Position> {
        let sent = match sent {
            Position::Cursor(cursor) => Some(cursor),
            _ => None,
        };
        let Some(next) = (p.next_cursor)(page).filter(|c| !c.is_empty()) else {
            tracing::debug!(pages = self.pages, "last page: no next cursor");
            return None;
        };
        if sent.as_deref() == Some(next) {
            tracing::debug!(pages = self.pages, "last page: the cursor did not change");
            return None;
        }
        if self.cursors.contains(next) {
            // This page is new; the one the cursor points to is not.
            return Some(Position::Failed(format!(
                "the cursor after page {} was sent before: the server's cursors go round in a circle",
                self.pages
            )));
        }
        if let Some(sent) = sent {
            self.cursors.insert(sent);
        }
        Some(Position::Cursor(next.to_owned()))
    }
}

/// The limit a walk sends: the caller's (0 or less counts as none), lowered
/// to the maximum page size, or the maximum page size; set on `request`
/// when it differs from the caller's.
fn settle_limit<Req, Resp, Item>(
    p: &OffsetPaging<Req, Resp, Item>,
    request: &mut Req,
) -> Option<i64> {
    let caller = (p.limit)(request).filter(|l| *l > 0);
    let max = p.max_page_size.filter(|m| *m > 0);
    let limit = match (caller, max) {
        (Some(limit), Some(max)) => Some(limit.min(max)),
        (limit, max) => limit.or(max),
    };
    if let Some(limit) = limit
        && caller != Some(limit)
    {
        (p.set_limit)(request, limit);
    }
    limit
}
