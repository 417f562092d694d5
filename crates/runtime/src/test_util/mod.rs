//! A loopback HTTP server that answers like the IoT Explorer API, for tests
//! of this crate and of the generated crate.
//!
//! It is real HTTP/1.1 over TCP on `127.0.0.1`, so tests exercise the same
//! transport, envelope and error paths as production. Replies are set per
//! action; every request is recorded for assertions.
//!
//! ```no_run
//! # async fn demo() {
//! use iot_explorer_runtime::test_util::{Reply, TestServer};
//! let server = TestServer::start().await;
//! server.respond("AppGetDeviceOTAInfo", Reply::success(serde_json::json!({"FirmwareURL": "u"})));
//! // point a client at server.base_url(), call, then:
//! let seen = server.requests_for("AppGetDeviceOTAInfo");
//! # }
//! ```
//!
//! The server is hand-written on Tokio rather than built on hyper's server:
//! it needs to misbehave on purpose (drop a connection after reading a
//! request, stall, send bytes that are not JSON), which a compliant server
//! makes awkward, and it adds no dependency. It serves one request per
//! connection and says so with `connection: close`.
//!
//! [`TestChannel`] is the WebSocket channel's counterpart, on a port of its
//! own.

mod http;
mod reply;
mod ws;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use crate::CommonParams;

pub use reply::{RecordedRequest, Reply};
pub use ws::{ChannelReply, ClockHold, ConnectionInfo, RecordedFrame, TestChange, TestChannel};

/// Connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 64;
/// Requests kept for [`TestServer::requests`]; older ones are dropped.
const MAX_RECORDED: usize = 10_000;
/// How long a connection may take to deliver its request.
const READ_LIMIT: Duration = Duration::from_secs(30);
/// The path prefix of [`TestServer::base_url`], as on the real service.
const BASE_PATH: &str = "/api/exploreropen";

#[derive(Default)]
struct State {
    queued: HashMap<String, VecDeque<Reply>>,
    persistent: HashMap<String, Reply>,
    defaults: HashMap<String, Reply>,
    requests: VecDeque<RecordedRequest>,
}

/// The loopback server; it stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on `127.0.0.1` (a free port) on the current Tokio
    /// runtime, for clients that use the documented parameter names
    /// ([`CommonParams::DEFAULT`]).
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime.
    pub async fn start() -> TestServer {
        Self::start_with_params(CommonParams::DEFAULT).await
    }

    /// [`start`](Self::start) for clients of a service whose common
    /// parameters have other names: the server reads the action and the
    /// request id, and [`RecordedRequest`] hides the access token and checks
    /// the signature, under these names.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime.
    pub async fn start_with_params(params: CommonParams) -> TestServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("TestServer: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("TestServer: local address");
        let state = Arc::new(Mutex::new(State::default()));
        let (shutdown, rx) = watch::channel(false);
        tokio::spawn(accept_loop(listener, Arc::clone(&state), params, rx));
        TestServer {
            addr,
            state,
            shutdown,
            thread: None,
        }
    }

    /// Starts a server on a thread of its own with its own runtime, for
    /// tests without an async runtime (such as tests of the blocking
    /// client). Dropping it stops the thread.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound or the thread cannot start.
    pub fn start_blocking() -> TestServer {
        Self::start_blocking_with_params(CommonParams::DEFAULT)
    }

    /// [`start_blocking`](Self::start_blocking) with other parameter names;
    /// see [`start_with_params`](Self::start_with_params).
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound or the thread cannot start.
    pub fn start_blocking_with_params(params: CommonParams) -> TestServer {
        let state = Arc::new(Mutex::new(State::default()));
        let (shutdown, rx) = watch::channel(false);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("iot-explorer-test-server".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = addr_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    match TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await {
                        Ok(listener) => {
                            let _ = addr_tx.send(listener.local_addr());
                            accept_loop(listener, thread_state, params, rx).await;
                        }
                        Err(e) => {
                            let _ = addr_tx.send(Err(e));
                        }
                    }
                });
            })
            .expect("TestServer: spawn server thread");
        let addr = addr_rx
            .recv()
            .expect("TestServer: server thread ended early")
            .expect("TestServer: bind 127.0.0.1:0");
        TestServer {
            addr,
            state,
            shutdown,
            thread: Some(thread),
        }
    }

    /// Base URL to give a client: `http://127.0.0.1:PORT/api/exploreropen`.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answer every later request for `action` with `reply` (after any
    /// replies queued with [`respond_sequence`](Self::respond_sequence)).
    pub fn respond(&self, action: &str, reply: Reply) {
        self.lock().persistent.insert(action.to_owned(), reply);
    }

    /// Answer the next requests for `action` with `replies`, one each, in
    /// order; after them the server falls back to [`respond`](Self::respond)
    /// and then to [`set_default`](Self::set_default).
    pub fn respond_sequence(&self, action: &str, replies: impl IntoIterator<Item = Reply>) {
        self.lock()
            .queued
            .entry(action.to_owned())
            .or_default()
            .extend(replies);
    }

    /// The reply for `action` when the test set nothing else; the generated
    /// crate registers each action's documented example here.
    pub fn set_default(&self, action: &str, reply: Reply) {
        self.lock().defaults.insert(action.to_owned(), reply);
    }

    /// Every request received so far (at most the last 10 000), oldest
    /// first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.iter().cloned().collect()
    }

    /// The requests received so far whose `Action` is `action`.
    pub fn requests_for(&self, action: &str) -> Vec<RecordedRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.action() == Some(action))
            .cloned()
            .collect()
    }

    /// Forget the requests received so far.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .field("own_thread", &self.thread.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A panicking test thread must not poison the server for the rest of the
/// test, so a poisoned lock is used as it is.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<Mutex<State>>,
    params: CommonParams,
    mut shutdown: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        // Waits while MAX_CONNECTIONS are open; those end on their own
        // (read limit, reply) or at shutdown, so this cannot wait forever.
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let accepted = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => return,
            conn = listener.accept() => conn,
        };
        let Ok((stream, _peer)) = accepted else {
            // Accept errors (e.g. too many open files) are transient; back
            // off briefly instead of spinning.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let state = Arc::clone(&state);
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = shutdown.wait_for(|stop| *stop) => {}
                _ = serve(stream, state, params) => {}
            }
            drop(permit);
        });
    }
}

/// One connection: read the request, record it, answer it.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>, params: CommonParams) {
    let parsed = match tokio::time::timeout(READ_LIMIT, http::read_request(&mut stream)).await {
        Ok(Ok(Some(p))) => p,
        Ok(Ok(None)) | Err(_) => return,
        Ok(Err(problem)) => {
            let reply = Reply::error("TestServer.BadRequest", problem).with_status(400);
            let _ = send(&mut stream, &reply, None).await;
            return;
        }
    };
    let json: Option<Value> = serde_json::from_slice(&parsed.body).ok();
    let request = RecordedRequest {
        method: parsed.method,
        path: parsed.path,
        headers: parsed.headers,
        body: parsed.body,
        json,
        names: params,
    };
    let action = request.action().map(str::to_owned);
    let request_id = request
        .param(params.request_id)
        .and_then(Value::as_str)
        .map(str::to_owned);
    let reply = {
        let mut st = lock(&state);
        if st.requests.len() == MAX_RECORDED {
            st.requests.pop_front();
        }
        st.requests.push_back(request);
        match &action {
            Some(action) => pick(&mut st, action),
            None => Reply::error(
                "TestServer.BadRequest",
                "the body is not a JSON object with an `Action`",
            )
            .with_status(400),
        }
    };
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let _ = send(&mut stream, &reply, request_id.as_deref()).await;
}

/// The reply for `action`: queued first, then persistent, then the default.
fn pick(st: &mut State, action: &str) -> Reply {
    if let Some(reply) = st.queued.get_mut(action).and_then(VecDeque::pop_front) {
        return reply;
    }
    if let Some(reply) = st
        .persistent
        .get(action)
        .or_else(|| st.defaults.get(action))
    {
        return reply.clone();
    }
    Reply::error(
        "TestServer.NoReply",
        format!("no reply registered for {action}; use TestServer::respond"),
    )
}

/// Writes `reply` (or, for [`Reply::drop_connection`], nothing).
async fn send(
    stream: &mut TcpStream,
    reply: &Reply,
    request_id: Option<&str>,
) -> std::io::Result<()> {
    match reply.render(request_id) {
        Some((body, content_type)) => {
            http::write_response(stream, reply.status, content_type, &reply.headers, &body).await
        }
        None => Ok(()),
    }
}
