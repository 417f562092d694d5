//! The task behind a [`DeviceChanges`] stream: one connection at a time,
//! subscribed, heartbeating and carrying calls; reconnecting with backoff
//! when it is lost; closing when the stream is dropped.

mod subscribe;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;

use self::subscribe::subscribe;
use super::connect::{Opener, Read, Ws, read, transport};
use super::frame::{self, ACTIVE_PUSH, BadFrame, Incoming};
use super::handle::{self, ChannelHandle, Command, Replied, ReplyText};
use super::options::{ChannelOptions, validate_url};
use super::queue::{self, CloseOnDrop, DeviceChanges};
use super::tokens::Tokens;
use super::{ChannelEvent, ChannelInfo, DeviceChange, Disconnected, Reconnected, WireEnum, decode};
use crate::client::Shared;
use crate::error::{ErrorData, ErrorKind};
use crate::{CommonParams, Error, ErrorCodeType};

/// Calls waiting for the task to take them; more wait in `send`.
const COMMAND_QUEUE: usize = 64;
/// The longest a close handshake may take when the stream is dropped.
const CLOSE_LIMIT: Duration = Duration::from_secs(5);

/// What the task needs for every connection it opens.
struct Ctx<C, K, S> {
    opener: Opener,
    names: CommonParams,
    heartbeat_action: &'static str,
    /// Where each connection's token comes from, and every token sent.
    tokens: Arc<Tokens>,
    requested: Vec<String>,
    options: ChannelOptions,
    /// Limit on every reply: the subscription's, heartbeats', calls'.
    reply_timeout: Duration,
    out: Arc<queue::Shared<C, K, S>>,
}

/// An open, subscribed connection.
struct Conn {
    ws: Ws,
    /// The token the subscription was made with; heartbeats and calls on
    /// this connection carry it.
    token: Arc<str>,
    /// When the subscription's reply arrived.
    subscribed_at: Instant,
    accepted: Vec<String>,
    pending: HashMap<String, Pending>,
}

/// A frame sent and not yet answered.
enum Pending {
    Heartbeat {
        deadline: Instant,
    },
    Call {
        deadline: Instant,
        /// What the frame carried, for the caller to tell a refusal of it.
        token: Arc<str>,
        reply: oneshot::Sender<Result<Replied, Box<ErrorData>>>,
    },
}

impl Pending {
    fn deadline(&self) -> Instant {
        match self {
            Pending::Heartbeat { deadline } | Pending::Call { deadline, .. } => *deadline,
        }
    }
}

/// How a connection ended.
enum End {
    /// The stream was dropped.
    Stop,
    /// Lost; reconnect.
    Lost(Box<ErrorData>),
}

/// Opens and subscribes the first connection, and spawns the task.
pub(crate) async fn open<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    shared: &Arc<Shared>,
    token: Option<&str>,
    channel: &'static ChannelInfo,
    devices: Vec<String>,
) -> Result<DeviceChanges<C, K, S>, Box<ErrorData>> {
    let fail = |kind, msg: String| Err(ErrorData::new(kind, msg).with_action(ACTIVE_PUSH));
    if tokio::runtime::Handle::try_current().is_err() {
        return fail(
            ErrorKind::InvalidConfig,
            "Client::device_changes must run inside a Tokio runtime".into(),
        );
    }
    let tokens = Tokens::new(shared, token).map_err(|e| e.with_action(ACTIVE_PUSH))?;
    let mut requested: Vec<String> = Vec::with_capacity(devices.len());
    for d in devices {
        if !requested.contains(&d) {
            requested.push(d);
        }
    }
    if requested.is_empty() {
        return fail(
            ErrorKind::InvalidRequest,
            "a subscription needs at least one device id".into(),
        );
    }
    let settings = &shared.settings.channel;
    let url = settings.url.as_deref().unwrap_or(channel.url);
    let url = match validate_url(url) {
        Ok(url) => url,
        Err(msg) => return fail(ErrorKind::InvalidConfig, msg),
    };
    let opener = match Opener::new(
        url,
        shared.user_agent.clone(),
        shared.settings.connect_timeout,
    ) {
        Ok(o) => o,
        Err(msg) => return fail(ErrorKind::InvalidConfig, msg),
    };
    let ctx = Ctx {
        opener,
        names: shared.service.common_params,
        heartbeat_action: channel.heartbeat_action,
        tokens: Arc::new(tokens),
        requested,
        options: settings.options,
        reply_timeout: shared.settings.timeout,
        out: Arc::new(queue::Shared::new(settings.options.buffer())),
    };
    let mut seen = BTreeMap::new();
    let conn = subscribe(&ctx, &mut seen).await?;
    ctx.out.set_subscription(
        conn.accepted.clone(),
        rejected(&ctx.requested, &conn.accepted),
    );
    tracing::debug!(url = %ctx.opener.url, accepted = conn.accepted.len(), "channel subscribed");
    let (commands, commands_rx) = mpsc::channel(COMMAND_QUEUE);
    let (stop, stop_rx) = oneshot::channel();
    let handle = ChannelHandle {
        commands,
        shared: Arc::clone(shared),
        tokens: Arc::clone(&ctx.tokens),
        _code: PhantomData,
    };
    let stream_shared = Arc::clone(&ctx.out);
    let url = ctx.opener.url.to_string();
    let requested = ctx.requested.clone();
    let task = tokio::spawn(run(ctx, seen, conn, commands_rx, stop_rx));
    Ok(DeviceChanges {
        shared: stream_shared,
        handle,
        url,
        requested,
        stop: Some(stop),
        task: Some(task),
    })
}

/// The requested devices not in `accepted`, in request order.
fn rejected(requested: &[String], accepted: &[String]) -> Vec<String> {
    requested
        .iter()
        .filter(|d| !accepted.contains(d))
        .cloned()
        .collect()
}

async fn run<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: Ctx<C, K, S>,
    mut seen: BTreeMap<String, i64>,
    mut conn: Conn,
    mut commands: mpsc::Receiver<Command>,
    mut stop: oneshot::Receiver<()>,
) {
    let _close = CloseOnDrop(Arc::clone(&ctx.out));
    loop {
        match serve(&ctx, &mut conn, &mut seen, &mut commands, &mut stop).await {
            End::Stop => {
                close(conn).await;
                tracing::debug!("channel closed");
                return;
            }
            End::Lost(error) => {
                fail_pending(&mut conn, "the channel connection was lost");
                // Not kept through the backoff: after a refused heartbeat
                // the server still holds it, and nothing would read it.
                drop(conn);
                match reconnect(&ctx, &mut seen, &mut commands, &mut stop, error).await {
                    Some(new) => conn = new,
                    None => return,
                }
            }
        }
    }
}

/// One connection, until it is lost or the stream is dropped.
async fn serve<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    conn: &mut Conn,
    seen: &mut BTreeMap<String, i64>,
    commands: &mut mpsc::Receiver<Command>,
    stop: &mut oneshot::Receiver<()>,
) -> End {
    let period = ctx.options.heartbeat_interval();
    // From the subscription, not from when the task first runs: that can
    // be later, and the server counts from the subscription.
    let mut heartbeat = tokio::time::interval_at(conn.subscribed_at + period, period);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let next_deadline = conn.pending.values().map(Pending::deadline).min();
        let reply_timer = async move {
            match next_deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        // In this order: a stream being dropped wins, and a heartbeat that
        // is due goes out before anything else is handled.
        tokio::select! {
            biased;
            _ = &mut *stop => return End::Stop,
            _ = heartbeat.tick() => {
                if let Err(e) = send_heartbeat(ctx, conn).await {
                    return End::Lost(e);
                }
            }
            () = reply_timer => {
                if let Some(lost) = expire(ctx, conn) {
                    return End::Lost(lost);
                }
            }
            command = commands.recv() => match command {
                Some(Command::Call { request_id, action, params, token, reply }) => {
                    let token = token.unwrap_or_else(|| Arc::clone(&conn.token));
                    let frame = frame::yun_api(&ctx.names, &request_id, action, &token, &params);
                    if let Err(e) = conn.ws.send(Message::text(frame)).await {
                        let _ = reply.send(Err(transport("could not send the call", &e)));
                        return End::Lost(transport("the channel connection was lost", &e));
                    }
                    let deadline = Instant::now() + ctx.reply_timeout;
                    conn.pending.insert(request_id, Pending::Call { deadline, token, reply });
                }
                // Every handle is gone, so the stream is too.
                None => return End::Stop,
            },
            message = conn.ws.next() => match read(message) {
                Read::Text(text) => {
                    if let Some(lost) = handle_text(ctx, conn, seen, &text) {
                        return End::Lost(lost);
                    }
                }
                Read::Bad(e) => ctx.out.push(Err(Error::from_data(scrubbed(ctx, e)))),
                Read::Skip => {}
                Read::Closed(e) => return End::Lost(e),
            },
        }
    }
}

async fn send_heartbeat<C, K, S>(
    ctx: &Ctx<C, K, S>,
    conn: &mut Conn,
) -> Result<(), Box<ErrorData>> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let params = frame::heartbeat_params(&conn.accepted);
    let text = frame::yun_api(
        &ctx.names,
        &request_id,
        ctx.heartbeat_action,
        &conn.token,
        &params,
    );
    conn.ws
        .send(Message::text(text))
        .await
        .map_err(|e| transport("could not send the heartbeat", &e))?;
    let deadline = Instant::now() + ctx.reply_timeout;
    conn.pending
        .insert(request_id, Pending::Heartbeat { deadline });
    Ok(())
}

/// Fails the calls whose reply is overdue; an overdue heartbeat means the
/// connection is gone, whatever the socket says.
fn expire<C, K, S>(ctx: &Ctx<C, K, S>, conn: &mut Conn) -> Option<Box<ErrorData>> {
    let now = Instant::now();
    let overdue: Vec<String> = conn
        .pending
        .iter()
        .filter(|(_, p)| p.deadline() <= now)
        .map(|(id, _)| id.clone())
        .collect();
    let mut lost = None;
    for id in overdue {
        let mut e = ErrorData::new(ErrorKind::Timeout, "no reply on the channel");
        e.timeout = Some(ctx.reply_timeout);
        e.request_id = Some(id.clone());
        match conn.pending.remove(&id) {
            Some(Pending::Call { reply, .. }) => {
                let _ = reply.send(Err(e));
            }
            Some(Pending::Heartbeat { .. }) => lost = Some(e.with_action(ctx.heartbeat_action)),
            None => {}
        }
    }
    lost
}

/// One text frame from the server on an open connection; `Some` when it
/// ends the connection.
fn handle_text<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    conn: &mut Conn,
    seen: &mut BTreeMap<String, i64>,
    text: &str,
) -> Option<Box<ErrorData>> {
    if let Some(change) = decode::quick::<K, S>(text) {
        deliver(ctx, seen, change);
        return None;
    }
    match frame::parse(text) {
        Ok(Incoming::Reply(reply)) => match conn.pending.remove(&reply.req_id) {
            Some(Pending::Call {
                reply: tx, token, ..
            }) => {
                let reply = ReplyText::from(reply);
                let _ = tx.send(Ok(Replied { token, reply }));
            }
            Some(Pending::Heartbeat { .. }) => {
                let id = reply.req_id.clone();
                if let Err(e) = handle::outcome(false, ReplyText::from(reply)) {
                    let refused = ctx.tokens.refused(ctx.heartbeat_action, &conn.token, &e);
                    let e = handle::finish(e, ctx.heartbeat_action, &id, &ctx.tokens, []);
                    // The subscription stands on the same token, so it is
                    // as good as lost; a new connection gets a new token.
                    if refused {
                        return Some(e);
                    }
                    ctx.out.push(Err(Error::from_data(e)));
                }
            }
            // A reply that came after its call timed out.
            None => tracing::debug!(req_id = %reply.req_id, "channel reply to nothing pending"),
        },
        other => on_push(ctx, seen, other, text),
    }
    None
}

/// A frame that is not a reply to something pending: a change goes to the
/// consumer, a broken frame becomes an error item, the rest is ignored.
fn on_push<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    seen: &mut BTreeMap<String, i64>,
    frame: Result<Incoming<'_>, BadFrame>,
    text: &str,
) {
    let item = match frame {
        Ok(Incoming::Change { params }) => {
            return deliver(ctx, seen, decode::change::<K, S>(params, text));
        }
        Ok(Incoming::Reply(reply)) => {
            tracing::debug!(req_id = %reply.req_id, "channel reply to nothing pending");
            return;
        }
        Ok(Incoming::Other { action }) => {
            tracing::debug!(action = action.as_deref(), "channel frame ignored");
            return;
        }
        Err(bad) => Err(Error::from_data(scrubbed(
            ctx,
            decode::bad_frame(bad, text),
        ))),
    };
    ctx.out.push(item);
}

/// A decoded change (or why it could not be) to the consumer, its `Seq`
/// noted for the gap report.
fn deliver<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    seen: &mut BTreeMap<String, i64>,
    change: Result<DeviceChange<K, S>, Box<ErrorData>>,
) {
    let item = match change {
        Ok(change) => {
            if let (Some(device), Some(seq)) = (&change.device_id, change.seq) {
                match seen.get_mut(device) {
                    Some(last) => *last = seq,
                    None => {
                        seen.insert(device.clone(), seq);
                    }
                }
            }
            Ok(ChannelEvent::Change(change))
        }
        Err(e) => Err(Error::from_data(scrubbed(ctx, e))),
    };
    ctx.out.push(item);
}

/// `e` without the access token in its message: a broken frame is quoted,
/// and a server may echo what it was sent.
fn scrubbed<C, K, S>(ctx: &Ctx<C, K, S>, mut e: Box<ErrorData>) -> Box<ErrorData> {
    ctx.tokens.scrub(&mut e, []);
    e
}

/// Waits out the backoff and opens a new connection, as often as it takes;
/// `None` once the stream is dropped.
async fn reconnect<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    seen: &mut BTreeMap<String, i64>,
    commands: &mut mpsc::Receiver<Command>,
    stop: &mut oneshot::Receiver<()>,
    mut error: Box<ErrorData>,
) -> Option<Conn> {
    let lost_at = Instant::now();
    let last_seq = seen.clone();
    let mut attempt: u32 = 1;
    loop {
        let retry_in = ctx.options.backoff(attempt);
        tracing::debug!(attempt, ?retry_in, kind = %error.kind, "channel down; reconnecting");
        ctx.out.push(Ok(ChannelEvent::Disconnected(Disconnected {
            error: Error::from_data(error),
            attempt,
            retry_in,
        })));
        refuse_calls(commands, stop, tokio::time::sleep(retry_in)).await?;
        match refuse_calls(commands, stop, subscribe(ctx, seen)).await? {
            Ok(conn) => {
                let rejected = rejected(&ctx.requested, &conn.accepted);
                ctx.out
                    .set_subscription(conn.accepted.clone(), rejected.clone());
                ctx.out.push(Ok(ChannelEvent::Reconnected(Reconnected {
                    attempts: attempt,
                    disconnected_for: lost_at.elapsed(),
                    last_seq,
                    accepted: conn.accepted.clone(),
                    rejected,
                })));
                tracing::debug!(attempts = attempt, "channel reconnected");
                return Some(conn);
            }
            Err(e) => {
                error = e;
                attempt = attempt.saturating_add(1);
            }
        }
    }
}

/// Runs `work` while there is no connection, failing calls at once;
/// `None` if the stream is dropped first.
async fn refuse_calls<F: Future>(
    commands: &mut mpsc::Receiver<Command>,
    stop: &mut oneshot::Receiver<()>,
    work: F,
) -> Option<F::Output> {
    tokio::pin!(work);
    loop {
        tokio::select! {
            biased;
            _ = &mut *stop => return None,
            out = &mut work => return Some(out),
            command = commands.recv() => match command {
                Some(Command::Call { reply, .. }) => {
                    let mut e = ErrorData::new(ErrorKind::Transport, "the channel is reconnecting");
                    e.maybe_sent = false;
                    let _ = reply.send(Err(e));
                }
                None => return None,
            },
        }
    }
}

/// Sends a close frame and waits, briefly, for the server's.
async fn close(mut conn: Conn) {
    fail_pending(&mut conn, "the channel was closed");
    let handshake = async {
        if conn.ws.close(None).await.is_ok() {
            while let Some(Ok(_)) = conn.ws.next().await {}
        }
    };
    let _ = tokio::time::timeout(CLOSE_LIMIT, handshake).await;
}

/// Fails every call still waiting on this connection.
fn fail_pending(conn: &mut Conn, why: &str) {
    for (_, pending) in conn.pending.drain() {
        if let Pending::Call { reply, .. } = pending {
            let _ = reply.send(Err(ErrorData::new(ErrorKind::Transport, why)));
        }
    }
}
