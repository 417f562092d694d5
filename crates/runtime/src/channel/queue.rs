//! The bounded buffer between the connection task and the consumer, and
//! [`DeviceChanges`], the stream that reads it.
//!
//! The buffer drops its oldest item when full, as `tokio::sync::broadcast`
//! does, rather than pushing back on the task: a task that stopped reading
//! the socket would stop heartbeating too, and the server would drop the
//! subscription for a consumer that is merely slow.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use tokio::sync::oneshot;

use super::{ChannelEvent, ChannelHandle};
use crate::Error;

/// One item of the stream.
pub(crate) type Item<C, K, S> = Result<ChannelEvent<C, K, S>, Error<C>>;

/// What the task and the stream share.
pub(crate) struct Shared<C, K, S> {
    state: Mutex<State<C, K, S>>,
}

struct State<C, K, S> {
    items: VecDeque<Item<C, K, S>>,
    capacity: usize,
    /// Items dropped since the consumer last heard of it.
    missed: u64,
    waker: Option<Waker>,
    /// The task is gone: once the buffer is empty, the stream ends.
    closed: bool,
    accepted: Vec<String>,
    rejected: Vec<String>,
}

impl<C, K, S> Shared<C, K, S> {
    pub(crate) fn new(capacity: usize) -> Self {
        Shared {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity.min(64)),
                capacity: capacity.max(1),
                missed: 0,
                waker: None,
                closed: false,
                accepted: Vec::new(),
                rejected: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<C, K, S>> {
        // Every update leaves the state whole, so a poisoned lock is still
        // a valid one.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an item, dropping the oldest if the buffer is full.
    pub(crate) fn push(&self, item: Item<C, K, S>) {
        let waker = {
            let mut st = self.lock();
            if st.items.len() >= st.capacity {
                st.items.pop_front();
                st.missed += 1;
            }
            st.items.push_back(item);
            st.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Records the outcome of a subscription.
    pub(crate) fn set_subscription(&self, accepted: Vec<String>, rejected: Vec<String>) {
        let mut st = self.lock();
        st.accepted = accepted;
        st.rejected = rejected;
    }

    /// The task is gone; the stream ends after what is buffered.
    pub(crate) fn close(&self) {
        let waker = {
            let mut st = self.lock();
            st.closed = true;
            st.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    fn poll_pop(&self, cx: &mut Context<'_>) -> Poll<Option<Item<C, K, S>>> {
        let mut st = self.lock();
        if st.missed > 0 {
            let missed = std::mem::take(&mut st.missed);
            return Poll::Ready(Some(Ok(ChannelEvent::Lagged { missed })));
        }
        if let Some(item) = st.items.pop_front() {
            return Poll::Ready(Some(item));
        }
        if st.closed {
            return Poll::Ready(None);
        }
        if !st.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            st.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Marks the buffer closed when the task ends, however it ends (shutdown,
/// a panic, the runtime going away), so that the consumer is not left
/// waiting.
pub(crate) struct CloseOnDrop<C, K, S>(pub(crate) Arc<Shared<C, K, S>>);

impl<C, K, S> Drop for CloseOnDrop<C, K, S> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// The live changes of a set of devices: a [`Stream`](futures_core::Stream)
/// of [`ChannelEvent`]s, from [`Client::device_changes`](crate::Client::device_changes).
///
/// A task behind it owns the socket: it heartbeats, reconnects after a drop ([`ChannelEvent::Disconnected`], then
/// [`ChannelEvent::Reconnected`]) and holds what arrives in a bounded
/// buffer ([`ChannelEvent::Lagged`] when it overflows). Errors that do not
/// end the connection (a heartbeat the server refused, a frame that cannot
/// be read) are `Err` items; the stream goes on after them, and never ends
/// on its own.
///
/// Every connection subscribes with the client's fixed token or, for a
/// client with a session, with the token the session gives it then (a new
/// one once the last has expired), so a reconnect hours later does not use
/// the token the stream started with. For a session, a heartbeat refused
/// with an invalid-token code is not an `Err` item: the session forgets
/// the token and the stream reconnects ([`ChannelEvent::Disconnected`]
/// with the refusal as its error) with a new one.
///
/// Dropping the stream ends the task: it sends a close frame and stops.
/// [`close`](Self::close) does the same and waits for it.
pub struct DeviceChanges<C, K = String, S = String> {
    pub(crate) shared: Arc<Shared<C, K, S>>,
    pub(crate) handle: ChannelHandle<C>,
    pub(crate) url: String,
    pub(crate) requested: Vec<String>,
    /// Dropping it tells the task to stop.
    pub(crate) stop: Option<oneshot::Sender<()>>,
    pub(crate) task: Option<tokio::task::JoinHandle<()>>,
}

impl<C, K, S> DeviceChanges<C, K, S> {
    /// The next item; `None` only once the task has ended (it does not end
    /// on its own while the stream is alive). The same as
    /// `StreamExt::next`.
    pub async fn next(&mut self) -> Option<Result<ChannelEvent<C, K, S>, Error<C>>> {
        std::future::poll_fn(|cx| self.shared.poll_pop(cx)).await
    }

    /// The devices the latest subscription accepted.
    pub fn accepted(&self) -> Vec<String> {
        self.shared.lock().accepted.clone()
    }

    /// The requested devices the latest subscription did not accept:
    /// devices not bound to the user, as the docs put it. Changes of these
    /// never arrive.
    pub fn rejected(&self) -> Vec<String> {
        self.shared.lock().rejected.clone()
    }

    /// The devices this stream subscribed to, as requested.
    pub fn requested(&self) -> &[String] {
        &self.requested
    }

    /// Items waiting in the buffer.
    pub fn buffered(&self) -> usize {
        self.shared.lock().items.len()
    }

    /// A handle for calls of token actions over this stream's socket; see
    /// [`ChannelHandle::call`].
    pub fn handle(&self) -> ChannelHandle<C> {
        self.handle.clone()
    }

    /// Ends the task, as dropping the stream does, and waits until it has
    /// sent its close frame and stopped.
    pub async fn close(mut self) {
        self.stop.take();
        if let Some(task) = self.task.take() {
            // The task does not panic by design; if it did, it is gone
            // either way.
            let _ = task.await;
        }
    }
}

impl<C, K, S> futures_core::Stream for DeviceChanges<C, K, S> {
    type Item = Result<ChannelEvent<C, K, S>, Error<C>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.shared.poll_pop(cx)
    }
}

impl<C, K, S> fmt::Debug for DeviceChanges<C, K, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.shared.lock();
        f.debug_struct("DeviceChanges")
            .field("url", &self.url)
            .field("requested", &self.requested)
            .field("rejected", &st.rejected)
            .field("buffered", &st.items.len())
            .finish_non_exhaustive()
    }
}
