//! A loopback WebSocket channel that answers like the real one, for tests
//! of device-change streams and calls over the socket.
//!
//! It is a real WebSocket on `127.0.0.1` (tokio-tungstenite's server
//! side): it answers subscriptions (`ActivePush`) with the devices it is
//! told to accept, heartbeats with success, and other `YunApi` calls with
//! the replies it is given; a test pushes changes, sends broken frames,
//! drops or closes connections, refuses new ones, and reads every frame the
//! client sent.
//!
//! ```no_run
//! # async fn demo() {
//! use iot_explorer_runtime::test_util::{TestChange, TestChannel};
//! let channel = TestChannel::start().await;
//! channel.accept_only(["PRODUCT/dev01"]);
//! // build a client with .channel_url(channel.url()), subscribe, then:
//! channel.push(&TestChange::property("PRODUCT/dev01", serde_json::json!({"params": {"on": 1}})));
//! let subscriptions = channel.frames_where(|f| f.is_subscription());
//! # }
//! ```
//!
//! Its waits ([`wait_for_frames`](TestChannel::wait_for_frames) and the
//! like) are woken by what happens on the sockets, not by timers, so they
//! work under paused Tokio time; a real-time limit of 10 s turns a wait
//! that can never end into a panic rather than a hung test.

mod conn;
mod frames;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc, oneshot, watch};

use crate::CommonParams;
use crate::channel::ChannelInfo;

pub use frames::{ChannelReply, ConnectionInfo, RecordedFrame, TestChange};

/// Frames kept for [`TestChannel::frames`]; older ones are dropped.
const MAX_RECORDED: usize = 10_000;
/// Real time a wait may take before it panics.
const WAIT_LIMIT: Duration = Duration::from_secs(10);
/// The path of [`TestChannel::url`], as on the real service.
const PATH: &str = "/ws/explorer";

/// What a test can tell one open connection to do.
enum ToClient {
    Text(String),
    Drop,
    Close,
}

struct State {
    names: CommonParams,
    heartbeat_action: String,
    accept_only: Option<Vec<String>>,
    queued: HashMap<String, VecDeque<ChannelReply>>,
    persistent: HashMap<String, ChannelReply>,
    frames: VecDeque<RecordedFrame>,
    connections: Vec<ConnectionInfo>,
    live: Vec<(usize, mpsc::UnboundedSender<ToClient>)>,
    refuse: usize,
    refused: usize,
}

impl State {
    fn take_reply(&mut self, action: &str) -> Option<ChannelReply> {
        if let Some(reply) = self.queued.get_mut(action).and_then(VecDeque::pop_front) {
            return Some(reply);
        }
        self.persistent.get(action).cloned()
    }
}

struct Inner {
    state: Mutex<State>,
    /// Woken on every change a test could be waiting for.
    changed: Notify,
}

impl Inner {
    /// A panicking test must not poison the channel for the rest of it.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The loopback channel; it stops, closing every connection, when
/// dropped.
pub struct TestChannel {
    addr: SocketAddr,
    inner: Arc<Inner>,
    shutdown: watch::Sender<bool>,
}

impl TestChannel {
    /// Starts a channel on `127.0.0.1` (a free port) on the current Tokio
    /// runtime, for clients that use the documented parameter names and
    /// heartbeat.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime.
    pub async fn start() -> TestChannel {
        Self::start_with(CommonParams::DEFAULT, &ChannelInfo::DEFAULT).await
    }

    /// [`start`](Self::start) for a service whose common parameters or
    /// heartbeat action have other names.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime.
    pub async fn start_with(names: CommonParams, channel: &ChannelInfo) -> TestChannel {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("TestChannel: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("TestChannel: local address");
        let inner = Arc::new(Inner {
            state: Mutex::new(State {
                names,
                heartbeat_action: channel.heartbeat_action.to_owned(),
                accept_only: None,
                queued: HashMap::new(),
                persistent: HashMap::new(),
                frames: VecDeque::new(),
                connections: Vec::new(),
                live: Vec::new(),
                refuse: 0,
                refused: 0,
            }),
            changed: Notify::new(),
        });
        let (shutdown, rx) = watch::channel(false);
        tokio::spawn(accept_loop(listener, Arc::clone(&inner), rx));
        TestChannel {
            addr,
            inner,
            shutdown,
        }
    }

    /// The URL to give a client: `ws://127.0.0.1:PORT/ws/explorer`.
    pub fn url(&self) -> String {
        format!("ws://{}{PATH}", self.addr)
    }

    /// The address the channel listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Subscriptions accept only the requested devices among `devices`;
    /// the others are left out of `deviceIds`, as for devices not bound to
    /// the user.
    pub fn accept_only(&self, devices: impl IntoIterator<Item = impl Into<String>>) {
        self.lock().accept_only = Some(devices.into_iter().map(Into::into).collect());
    }

    /// Subscriptions accept every requested device (the default).
    pub fn accept_all(&self) {
        self.lock().accept_only = None;
    }

    /// Answer every later frame for `action` with `reply`: a `YunApi` call
    /// of that action (the heartbeat's included), or `ActivePush` for
    /// subscriptions. Replies queued with [`respond_once`](Self::respond_once)
    /// go first.
    pub fn respond(&self, action: &str, reply: impl Into<ChannelReply>) {
        self.lock()
            .persistent
            .insert(action.to_owned(), reply.into());
    }

    /// Answer the next frame for `action` with `reply`, once.
    pub fn respond_once(&self, action: &str, reply: impl Into<ChannelReply>) {
        self.lock()
            .queued
            .entry(action.to_owned())
            .or_default()
            .push_back(reply.into());
    }

    /// Go back to the documented answers for `action`.
    pub fn clear_replies(&self, action: &str) {
        let mut st = self.lock();
        st.queued.remove(action);
        st.persistent.remove(action);
    }

    /// Pushes `change` to every open connection; returns how many.
    pub fn push(&self, change: &TestChange) -> usize {
        self.push_raw(change.frame())
    }

    /// Sends `text` as a text frame to every open connection, exactly as
    /// given (broken JSON included); returns how many.
    pub fn push_raw(&self, text: impl Into<String>) -> usize {
        let text = text.into();
        self.to_all(|| ToClient::Text(text.clone()))
    }

    /// Drops every open connection without a close frame, as a failing
    /// network does; returns how many.
    pub fn drop_connections(&self) -> usize {
        self.to_all(|| ToClient::Drop)
    }

    /// Sends a close frame on every open connection; returns how many.
    pub fn close_connections(&self) -> usize {
        self.to_all(|| ToClient::Close)
    }

    /// Refuse the next `n` handshakes with HTTP 503.
    pub fn refuse_connections(&self, n: usize) {
        self.lock().refuse = n;
    }

    /// Handshakes refused so far.
    pub fn refused(&self) -> usize {
        self.lock().refused
    }

    /// Every connection accepted so far, oldest first.
    pub fn connections(&self) -> Vec<ConnectionInfo> {
        self.lock().connections.clone()
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.lock().live.len()
    }

    /// Every frame the client sent (at most the last 10 000), oldest first.
    pub fn frames(&self) -> Vec<RecordedFrame> {
        self.lock().frames.iter().cloned().collect()
    }

    /// The frames for which `keep` holds.
    pub fn frames_where(&self, keep: impl Fn(&RecordedFrame) -> bool) -> Vec<RecordedFrame> {
        self.lock()
            .frames
            .iter()
            .filter(|f| keep(f))
            .cloned()
            .collect()
    }

    /// The heartbeats received so far.
    pub fn heartbeats(&self) -> Vec<RecordedFrame> {
        let action = self.lock().heartbeat_action.clone();
        self.frames_where(|f| f.is_call_of(&action))
    }

    /// Waits until at least `n` frames for which `keep` holds have
    /// arrived, and returns them.
    ///
    /// # Panics
    ///
    /// After 10 s of real time.
    pub async fn wait_for_frames(
        &self,
        n: usize,
        keep: impl Fn(&RecordedFrame) -> bool,
    ) -> Vec<RecordedFrame> {
        self.wait(&format!("{n} frame(s)"), |st| {
            let found: Vec<_> = st.frames.iter().filter(|f| keep(f)).cloned().collect();
            (found.len() >= n).then_some(found)
        })
        .await
    }

    /// Waits until `n` connections have been accepted in all.
    ///
    /// # Panics
    ///
    /// After 10 s of real time.
    pub async fn wait_for_connections(&self, n: usize) {
        self.wait(&format!("{n} connection(s)"), |st| {
            (st.connections.len() >= n).then_some(())
        })
        .await;
    }

    /// Waits until no connection is open.
    ///
    /// # Panics
    ///
    /// After 10 s of real time.
    pub async fn wait_for_no_connection(&self) {
        self.wait("every connection to end", |st| {
            st.live.is_empty().then_some(())
        })
        .await;
    }

    /// Waits until `n` handshakes have been refused in all.
    ///
    /// # Panics
    ///
    /// After 10 s of real time.
    pub async fn wait_for_refused(&self, n: usize) {
        self.wait(&format!("{n} refused handshake(s)"), |st| {
            (st.refused >= n).then_some(())
        })
        .await;
    }

    async fn wait<T>(&self, what: &str, mut done: impl FnMut(&State) -> Option<T>) -> T {
        let mut limit = RealTimeLimit::new(WAIT_LIMIT);
        loop {
            let changed = self.inner.changed.notified();
            tokio::pin!(changed);
            // Registered before the check, so a change in between is seen.
            changed.as_mut().enable();
            if let Some(out) = done(&self.lock()) {
                return out;
            }
            tokio::select! {
                _ = changed => {}
                _ = &mut limit.fired => panic!("TestChannel: waited {WAIT_LIMIT:?} of real time for {what}"),
            }
        }
    }

    fn to_all(&self, command: impl Fn() -> ToClient) -> usize {
        let st = self.lock();
        st.live
            .iter()
            .filter(|(_, tx)| tx.send(command()).is_ok())
            .count()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock()
    }
}

impl fmt::Debug for TestChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestChannel")
            .field("addr", &self.addr)
            .field("open_connections", &self.open_connections())
            .finish_non_exhaustive()
    }
}

impl Drop for TestChannel {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    inner: Arc<Inner>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => return,
            conn = listener.accept() => conn,
        };
        match accepted {
            Ok((stream, _peer)) => {
                tokio::spawn(conn::serve(stream, Arc::clone(&inner), shutdown.clone()));
            }
            // Transient (e.g. too many open files); let other tasks run
            // rather than spin.
            Err(_) => tokio::task::yield_now().await,
        }
    }
}

/// Fires after `limit` of real time, whatever Tokio's clock does; the
/// thread behind it ends as soon as the limit is dropped.
struct RealTimeLimit {
    fired: oneshot::Receiver<()>,
    _done: std::sync::mpsc::Sender<()>,
}

impl RealTimeLimit {
    fn new(limit: Duration) -> Self {
        let (fire, fired) = oneshot::channel();
        let (done, wait) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                let _ = fire.send(());
            }
        });
        RealTimeLimit { fired, _done: done }
    }
}

/// Holds Tokio's paused clock still: while the hold lives, time moves only
/// by `tokio::time::advance`, never on its own.
///
/// A paused clock jumps to the next timer whenever the runtime is idle,
/// and a runtime waiting on a loopback socket looks idle: a reply timeout
/// could fire before the reply that is already on its way. A pending
/// blocking task stops those jumps on a current-thread runtime (Tokio's
/// `test-util` rule), so the hold is one that waits for its own drop.
///
/// Use it in `#[tokio::test(start_paused = true)]` tests that drive a
/// client against [`TestChannel`] with `advance`.
#[must_use = "the clock moves on its own again once the hold is dropped"]
pub struct ClockHold {
    _release: std::sync::mpsc::Sender<()>,
}

impl ClockHold {
    /// Holds the clock of the current runtime.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn new() -> Self {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        tokio::task::spawn_blocking(move || {
            let _ = wait.recv();
        });
        ClockHold { _release: release }
    }
}

impl Default for ClockHold {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ClockHold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClockHold")
    }
}
