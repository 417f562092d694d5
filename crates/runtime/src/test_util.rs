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

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use crate::Redacted;

/// Connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 64;
/// Largest request head (request line and headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Requests kept for [`TestServer::requests`]; older ones are dropped.
const MAX_RECORDED: usize = 10_000;
/// How long a connection may take to deliver its request.
const READ_LIMIT: Duration = Duration::from_secs(30);
/// The path prefix of [`TestServer::base_url`], as on the real service.
const BASE_PATH: &str = "/api/exploreropen";

/// What the server sends back for one request.
#[derive(Clone, Debug)]
pub struct Reply {
    body: ReplyBody,
    status: u16,
    delay: Option<Duration>,
    headers: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
enum ReplyBody {
    Success(Value),
    Error {
        code: String,
        message: String,
    },
    SdkSuccess(Value),
    SdkError {
        code: i64,
        msg: String,
        error: Option<(String, String)>,
    },
    Raw {
        bytes: Vec<u8>,
        content_type: String,
    },
    Drop,
}

impl Reply {
    fn new(body: ReplyBody) -> Self {
        Reply {
            body,
            status: 200,
            delay: None,
            headers: Vec::new(),
        }
    }

    /// `{"Response": payload}` with `RequestId` set to the request's; a
    /// `RequestId` already in `payload` is replaced, so a documented example
    /// can be used as it is.
    pub fn success(payload: Value) -> Self {
        Self::new(ReplyBody::Success(payload))
    }

    /// `{"Response": {"Error": {"Code": code, "Message": message}, "RequestId": ..}}`,
    /// with status 200 as the real service sends it.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ReplyBody::Error {
            code: code.into(),
            message: message.into(),
        })
    }

    /// The SDK envelope: `{"code": 0, "msg": "ok", "data": payload}` with
    /// `data.RequestId` set to the request's.
    pub fn sdk_success(payload: Value) -> Self {
        Self::new(ReplyBody::SdkSuccess(payload))
    }

    /// The SDK envelope for a failure with `data.Error`:
    /// `{"code": code, "msg": msg, "data": {"Error": {"Code", "Message"}, "RequestId"}}`.
    pub fn sdk_error(
        code: i64,
        msg: impl Into<String>,
        error_code: impl Into<String>,
        error_message: impl Into<String>,
    ) -> Self {
        Self::new(ReplyBody::SdkError {
            code,
            msg: msg.into(),
            error: Some((error_code.into(), error_message.into())),
        })
    }

    /// The SDK envelope for a failure without `data.Error`:
    /// `{"code": code, "msg": msg, "data": {"RequestId"}}`.
    pub fn sdk_code(code: i64, msg: impl Into<String>) -> Self {
        Self::new(ReplyBody::SdkError {
            code,
            msg: msg.into(),
            error: None,
        })
    }

    /// `value` as the body, exactly, with the given status.
    pub fn json(status: u16, value: &Value) -> Self {
        Self::raw(status, value.to_string()).with_header("content-type", "application/json")
    }

    /// `body` as it is, with the given status and `text/plain`
    /// (change it with [`with_header`](Self::with_header)).
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            ..Self::new(ReplyBody::Raw {
                bytes: body.into(),
                content_type: "text/plain; charset=utf-8".into(),
            })
        }
    }

    /// Read the whole request, record it, then close the connection
    /// without replying: a failure after the request was sent.
    pub fn drop_connection() -> Self {
        Self::new(ReplyBody::Drop)
    }

    /// Send this status instead (the envelopes default to 200).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Wait this long before replying (or dropping the connection). The
    /// wait ends early when the server stops.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Add a response header; a `content-type` here replaces the default.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        if let ReplyBody::Raw { content_type, .. } = &mut self.body
            && name.eq_ignore_ascii_case("content-type")
        {
            *content_type = value.into();
            return self;
        }
        self.headers.push((name, value.into()));
        self
    }
}

/// One request as the server received it.
#[non_exhaustive]
#[derive(Clone)]
pub struct RecordedRequest {
    /// `POST`, normally.
    pub method: String,
    /// Request target, e.g. `/api/exploreropen/tokenapi`.
    pub path: String,
    /// Headers in arrival order, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl RecordedRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's top-level object, when the body is one.
    pub fn params(&self) -> Option<&Map<String, Value>> {
        self.json.as_ref()?.as_object()
    }

    /// One top-level body parameter.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params()?.get(name)
    }

    /// The `Action` parameter.
    pub fn action(&self) -> Option<&str> {
        self.param("Action")?.as_str()
    }

    /// Whether the body's `Signature` is the one [`crate::sign`] computes
    /// over the other parameters with `secret`, as the server would check.
    pub fn signature_is_valid(&self, secret: &str) -> bool {
        let Some(params) = self.params() else {
            return false;
        };
        match params.get("Signature").and_then(Value::as_str) {
            Some(sig) => crate::sign(secret, params) == sig,
            None => false,
        }
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Test logs get pasted into issues; keep the token out of them.
        let json = self.json.as_ref().map(|v| {
            let mut v = v.clone();
            if let Some(token) = v.get_mut("AccessToken") {
                *token = Value::String(Redacted::TEXT.into());
            }
            v
        });
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("json", &json)
            .finish()
    }
}

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
    /// runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime.
    pub async fn start() -> TestServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("TestServer: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("TestServer: local address");
        let state = Arc::new(Mutex::new(State::default()));
        let (shutdown, rx) = watch::channel(false);
        tokio::spawn(accept_loop(listener, Arc::clone(&state), rx));
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
                            accept_loop(listener, thread_state, rx).await;
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
                _ = serve(stream, state) => {}
            }
            drop(permit);
        });
    }
}

struct Parsed {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let parsed = match tokio::time::timeout(READ_LIMIT, read_request(&mut stream)).await {
        Ok(Ok(Some(p))) => p,
        Ok(Ok(None)) | Err(_) => return,
        Ok(Err(problem)) => {
            let reply = Reply::error("TestServer.BadRequest", problem).with_status(400);
            let _ = write_reply(&mut stream, &reply, None).await;
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
    };
    let action = request.action().map(str::to_owned);
    let request_id = request
        .param("RequestId")
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
    let _ = write_reply(&mut stream, &reply, request_id.as_deref()).await;
}

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

/// Reads one request; `Ok(None)` when the peer closed before sending
/// anything, `Err` with a message for a request the server refuses.
async fn read_request(stream: &mut TcpStream) -> Result<Option<Parsed>, String> {
    let mut buf = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err("request head too large".into());
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err("connection closed mid-request".into())
            };
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| "request head is not UTF-8".to_owned())?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("bad request line: {request_line}"));
    };
    let (method, path) = (method.to_owned(), path.to_owned());
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("bad header line: {line}"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && !v.eq_ignore_ascii_case("identity"))
    {
        return Err("chunked request bodies are not supported; send content-length".into());
    }
    let length = match headers.iter().find(|(n, _)| n == "content-length") {
        Some((_, v)) => v
            .parse::<usize>()
            .map_err(|_| format!("bad content-length: {v}"))?,
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return Err(format!("request body larger than {MAX_BODY_BYTES} bytes"));
    }
    let mut body = buf.split_off(head_end + 4);
    if body.len() > length {
        return Err("more bytes than content-length (pipelining is not supported)".into());
    }
    let already = body.len();
    body.resize(length, 0);
    stream
        .read_exact(&mut body[already..])
        .await
        .map_err(|e| format!("reading the body: {e}"))?;
    Ok(Some(Parsed {
        method,
        path,
        headers,
        body,
    }))
}

fn with_request_id(payload: &Value, request_id: Option<&str>) -> Value {
    let mut payload = payload.clone();
    if let Value::Object(map) = &mut payload {
        map.insert(
            "RequestId".into(),
            Value::String(request_id.unwrap_or("test-request-id").to_owned()),
        );
    }
    payload
}

async fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    request_id: Option<&str>,
) -> std::io::Result<()> {
    let rid = Value::String(request_id.unwrap_or("test-request-id").to_owned());
    let (body, content_type) = match &reply.body {
        ReplyBody::Drop => return Ok(()),
        ReplyBody::Raw {
            bytes,
            content_type,
        } => (bytes.clone(), content_type.as_str()),
        ReplyBody::Success(payload) => (
            json!({"Response": with_request_id(payload, request_id)})
                .to_string()
                .into_bytes(),
            "application/json",
        ),
        ReplyBody::Error { code, message } => (
            json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}})
                .to_string()
                .into_bytes(),
            "application/json",
        ),
        ReplyBody::SdkSuccess(payload) => (
            json!({"code": 0, "msg": "ok", "data": with_request_id(payload, request_id)})
                .to_string()
                .into_bytes(),
            "application/json",
        ),
        ReplyBody::SdkError { code, msg, error } => {
            let data = match error {
                Some((c, m)) => json!({"Error": {"Code": c, "Message": m}, "RequestId": rid}),
                None => json!({"RequestId": rid}),
            };
            (
                json!({"code": code, "msg": msg, "data": data})
                    .to_string()
                    .into_bytes(),
                "application/json",
            )
        }
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reason(reply.status),
        body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
