//! One connection of the test channel: the handshake (or a refusal), the
//! frames both ways, and the documented answers.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use super::frames::{ChannelReply, ConnectionInfo, RecordedFrame, ReplyKind};
use super::{Inner, MAX_RECORDED, State, ToClient};
use crate::test_util::{Reply, http};

/// What the channel does about one frame from the client.
enum Answer {
    Send {
        text: String,
        delay: Option<Duration>,
    },
    Drop,
}

pub(super) async fn serve(
    mut stream: TcpStream,
    inner: Arc<Inner>,
    mut shutdown: watch::Receiver<bool>,
) {
    let refuse = {
        let mut st = inner.lock();
        let refuse = st.refuse > 0;
        if refuse {
            st.refuse -= 1;
            st.refused += 1;
        }
        refuse
    };
    if refuse {
        let _ = http::read_request(&mut stream).await;
        let _ = http::write_response(&mut stream, 503, "text/plain", &[], b"refused").await;
        inner.changed.notify_waiters();
        return;
    }
    let mut handshake = None;
    #[expect(
        clippy::result_large_err,
        reason = "the signature is tungstenite's handshake `Callback`"
    )]
    let callback = |request: &Request, response: Response| {
        let headers = request
            .headers()
            .iter()
            .map(|(n, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (n.as_str().to_ascii_lowercase(), value)
            })
            .collect();
        handshake = Some((request.uri().to_string(), headers));
        Ok(response)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let (path, headers) = handshake.unwrap_or_default();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut st = inner.lock();
        let id = st.connections.len();
        st.connections.push(ConnectionInfo {
            path,
            headers,
            open: true,
            closed_by_client: false,
        });
        st.live.push((id, tx));
        id
    };
    inner.changed.notify_waiters();
    let mut closed_by_client = false;
    // The guard `wait_for` gives back must not live across the awaits below.
    let stopped = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            () = &mut stopped => break,
            command = rx.recv() => match command {
                Some(ToClient::Text(text)) => {
                    if ws.send(Message::text(text)).await.is_err() {
                        break;
                    }
                }
                Some(ToClient::Close) => {
                    let _ = ws.close(None).await;
                }
                // Dropped without a close frame, as a failing network does.
                Some(ToClient::Drop) | None => break,
            },
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => match on_frame(&inner, id, text.as_str()) {
                    Some(Answer::Send { text, delay }) => {
                        if let Some(delay) = delay {
                            tokio::time::sleep(delay).await;
                        }
                        if ws.send(Message::text(text)).await.is_err() {
                            break;
                        }
                    }
                    Some(Answer::Drop) => break,
                    None => {}
                },
                // tungstenite answers the close frame itself; the stream
                // ends after that.
                Some(Ok(Message::Close(_))) => closed_by_client = true,
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
        }
    }
    {
        let mut st = inner.lock();
        if let Some(c) = st.connections.get_mut(id) {
            c.open = false;
            c.closed_by_client = closed_by_client;
        }
        st.live.retain(|(i, _)| *i != id);
    }
    inner.changed.notify_waiters();
}

/// Records a frame and works out the answer.
fn on_frame(inner: &Inner, connection: usize, text: &str) -> Option<Answer> {
    let json: Option<Value> = serde_json::from_str(text).ok();
    let answer = {
        let mut st = inner.lock();
        if st.frames.len() == MAX_RECORDED {
            st.frames.pop_front();
        }
        let names = st.names;
        st.frames.push_back(RecordedFrame {
            connection,
            at: tokio::time::Instant::now(),
            text: text.to_owned(),
            json: json.clone(),
            names,
        });
        json.as_ref().and_then(|frame| answer(&mut st, frame))
    };
    inner.changed.notify_waiters();
    answer
}

fn answer(st: &mut State, frame: &Value) -> Option<Answer> {
    let req_id = frame.get("reqId").cloned().unwrap_or(Value::Null);
    let params = frame.get("params");
    match frame.get("action").and_then(Value::as_str) {
        Some("ActivePush") => {
            let requested: Vec<String> = params
                .and_then(|p| p.get("DeviceIds"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let reply = match st.take_reply("ActivePush") {
                Some(reply) => reply,
                None => {
                    let accepted = match &st.accept_only {
                        Some(only) => requested.into_iter().filter(|d| only.contains(d)).collect(),
                        None => requested,
                    };
                    ChannelReply::accept(accepted)
                }
            };
            render(reply, &req_id, None)
        }
        Some("YunApi") => {
            let action = params
                .and_then(|p| p.get(st.names.action))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let request_id = params
                .and_then(|p| p.get(st.names.request_id))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let reply = match st.take_reply(&action) {
                Some(reply) => reply,
                None if action == st.heartbeat_action => Reply::success(json!({})).into(),
                None => Reply::error(
                    "TestServer.NoReply",
                    format!("no reply registered for {action}; use TestChannel::respond"),
                )
                .into(),
            };
            render(reply, &req_id, request_id.as_deref())
        }
        _ => None,
    }
}

/// The reply frame: `{"error", "error_message", "data", "reqId"}`.
fn render(reply: ChannelReply, req_id: &Value, request_id: Option<&str>) -> Option<Answer> {
    let frame = |error: &str, message: &str, data: &str| {
        format!(
            "{{\"error\":{},\"error_message\":{},\"data\":{data},\"reqId\":{req_id}}}",
            Value::from(error),
            Value::from(message),
        )
    };
    match reply.kind {
        ReplyKind::Silence => None,
        ReplyKind::Accept(devices) => Some(Answer::Send {
            text: frame("", "", &json!({"deviceIds": devices}).to_string()),
            delay: None,
        }),
        ReplyKind::FrameError { code, message } => Some(Answer::Send {
            text: frame(&code, &message, "{}"),
            delay: None,
        }),
        ReplyKind::Envelope(reply) => match reply.render(request_id) {
            Some((body, _content_type)) => Some(Answer::Send {
                text: frame("", "", &String::from_utf8_lossy(&body)),
                delay: reply.delay,
            }),
            None => Some(Answer::Drop),
        },
    }
}
