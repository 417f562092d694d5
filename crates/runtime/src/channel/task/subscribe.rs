//! Subscribing on a new connection: the token, the `ActivePush` frame and
//! its reply, and the one resend after the server refuses the token.

use std::collections::{BTreeMap, HashMap};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::{Conn, Ctx, on_push};
use crate::channel::connect::{Read, Ws, read, transport};
use crate::channel::frame::{self, ACTIVE_PUSH, Incoming};
use crate::channel::{WireEnum, handle};
use crate::envelope::{self, Detail, Outcome};
use crate::error::{ErrorData, ErrorKind};
use crate::{Error, ErrorCodeType};

/// Gets a token, opens a connection and subscribes on it. A subscription
/// refused for its token (a session's only) is sent once more on the same
/// connection with a token fetched again; a second refusal is the error.
pub(super) async fn subscribe<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    seen: &mut BTreeMap<String, i64>,
) -> Result<Conn, Box<ErrorData>> {
    // Before the socket: a failed login needs no connection.
    let mut token = ctx.tokens.get(ACTIVE_PUSH, false).await?;
    let mut ws = ctx.opener.open().await?;
    let mut resent = false;
    loop {
        match subscribe_on(ctx, seen, &mut ws, &token).await {
            Ok(accepted) => {
                return Ok(Conn {
                    ws,
                    token,
                    subscribed_at: Instant::now(),
                    accepted,
                    pending: HashMap::new(),
                });
            }
            Err(e) if !resent && ctx.tokens.refused(ACTIVE_PUSH, &token, &e) => {
                token = ctx.tokens.get(ACTIVE_PUSH, true).await?;
                resent = true;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Sends one subscription with `token` and waits for its reply; the devices
/// it accepted. Changes that arrive before the reply are delivered as
/// usual.
async fn subscribe_on<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    ctx: &Ctx<C, K, S>,
    seen: &mut BTreeMap<String, i64>,
    ws: &mut Ws,
    token: &str,
) -> Result<Vec<String>, Box<ErrorData>> {
    let req_id = uuid::Uuid::new_v4().to_string();
    let finish = |e: Box<ErrorData>| handle::finish(e, ACTIVE_PUSH, &req_id, &ctx.tokens, []);
    let text = frame::subscribe(&ctx.names, &req_id, token, &ctx.requested);
    ws.send(Message::text(text))
        .await
        .map_err(|e| finish(transport("could not send the subscription", &e)))?;
    let deadline = Instant::now() + ctx.reply_timeout;
    loop {
        let Ok(message) = tokio::time::timeout_at(deadline, ws.next()).await else {
            let mut e = ErrorData::new(ErrorKind::Timeout, "no reply to the subscription");
            e.timeout = Some(ctx.reply_timeout);
            return Err(finish(e));
        };
        let text = match read(message) {
            Read::Text(text) => text,
            Read::Bad(e) => {
                ctx.out.push(Err(Error::from_data(e)));
                continue;
            }
            Read::Skip => continue,
            Read::Closed(e) => return Err(finish(e)),
        };
        match frame::parse(&text) {
            Ok(Incoming::Reply(reply)) if reply.req_id == req_id => {
                if let Some(code) = reply.error {
                    return Err(finish(ErrorData::api(Some(code), reply.error_message)));
                }
                if let Some(data) = reply.data
                    && let Ok(Outcome::ApiError {
                        code,
                        message,
                        request_id,
                    }) = envelope::parse(data.get(), Detail::Outcome)
                {
                    let mut e = ErrorData::api(code, message);
                    e.request_id = request_id;
                    return Err(finish(e));
                }
                return frame::accepted_devices(reply.data).map_err(|bad| {
                    let mut e = ErrorData::new(ErrorKind::Decode, bad.what);
                    e.path = bad.path.map(str::to_owned);
                    finish(e)
                });
            }
            other => on_push(ctx, seen, other, &text),
        }
    }
}
