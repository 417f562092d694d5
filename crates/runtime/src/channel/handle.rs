//! Calls over the open socket (`YunApi`): [`ChannelHandle`], and what a
//! reply frame means, for calls and heartbeats alike.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, oneshot};

use super::frame;
use super::tokens::Tokens;
use crate::body::{Body, Reserved};
use crate::client::Shared;
use crate::envelope::Detail;
use crate::error::{ErrorData, ErrorKind};
use crate::payload::{self, Payload, Reply};
use crate::{Auth, Error, ErrorCodeType, Operation};

/// What a handle asks the connection task to do.
pub(crate) enum Command {
    /// Send a `YunApi` frame of `action` with `params` and hand back the
    /// reply whose `reqId` is `request_id`. The task writes the token in,
    /// so that the frame carries the token of the connection it goes out on
    /// even if the connection changed while the call was queued.
    Call {
        request_id: String,
        action: &'static str,
        params: String,
        /// `None`: the connection's token. A resend after a refusal brings
        /// the new token, which the connection does not have.
        token: Option<Arc<str>>,
        reply: oneshot::Sender<Result<Replied, Box<ErrorData>>>,
    },
}

/// A call's reply, and the token its frame carried: the one a refusal is
/// about.
pub(crate) struct Replied {
    pub(crate) token: Arc<str>,
    pub(crate) reply: ReplyText,
}

/// A reply frame's members, owned, for the caller to read.
#[derive(Debug)]
pub(crate) struct ReplyText {
    pub(crate) error: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) data: Option<String>,
}

impl From<frame::Reply<'_>> for ReplyText {
    fn from(r: frame::Reply<'_>) -> Self {
        ReplyText {
            error: r.error,
            error_message: r.error_message,
            data: r.data.map(|d| d.get().to_owned()),
        }
    }
}

/// Calls token actions over the socket of a
/// [`DeviceChanges`](super::DeviceChanges) stream, with the same requests,
/// responses and errors as [`Client::call`](crate::Client::call). Cheap to
/// clone.
///
/// A call is one `YunApi` frame and its reply, bounded by the client's
/// timeout and not retried, except once after a refused token (see
/// [`call`](Self::call)). While the stream is reconnecting, and once it
/// is dropped, calls fail at once with [`ErrorKind::Transport`].
pub struct ChannelHandle<C> {
    pub(crate) commands: mpsc::Sender<Command>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) tokens: Arc<Tokens>,
    pub(crate) _code: PhantomData<fn() -> C>,
}

impl<C> Clone for ChannelHandle<C> {
    fn clone(&self) -> Self {
        ChannelHandle {
            commands: self.commands.clone(),
            shared: Arc::clone(&self.shared),
            tokens: Arc::clone(&self.tokens),
            _code: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ChannelHandle<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelHandle")
            .field("service", &self.shared.service.name)
            .field("open", &!self.commands.is_closed())
            .finish_non_exhaustive()
    }
}

impl<C> ChannelHandle<C> {
    /// Whether the stream's task has ended (the stream was dropped): calls
    /// then fail at once.
    pub fn is_closed(&self) -> bool {
        self.commands.is_closed()
    }

    /// Waits until the stream's task has ended.
    pub async fn closed(&self) {
        self.commands.closed().await;
    }
}

impl<C: ErrorCodeType> ChannelHandle<C> {
    /// Calls the action of a generated request over the socket: [`call`](Self::call)
    /// with the request's own operation, decoded into its own response.
    pub async fn send<R: crate::Request>(&self, request: &R) -> Result<R::Response, Error<C>> {
        self.call(R::OPERATION, request).await
    }

    /// Calls `op` with `request` over the socket and decodes the reply
    /// into `Resp`: `request` goes in `ActionParams`, beside the action,
    /// a fresh request id and the access token.
    ///
    /// The token is the one the stream's current connection subscribed
    /// with: the client's fixed token, or the one its session gave that
    /// connection. For a client with a session, a call the server answers
    /// with one of the invalid-token codes
    /// ([`GeneratedClient::INVALID_TOKEN_CODES`](crate::GeneratedClient::INVALID_TOKEN_CODES))
    /// is sent once more, as a new request (new request id), with a token
    /// fetched again (a wait bounded by the client's timeout, as for an
    /// HTTP call); a second refusal, or any refusal with a fixed token, is
    /// the call's error.
    ///
    /// Only [`Auth::AccessToken`] actions can be called this way; a signed
    /// one is an [`ErrorKind::InvalidRequest`] error.
    pub async fn call<Req, Resp>(
        &self,
        op: &'static Operation,
        request: &Req,
    ) -> Result<Resp, Error<C>>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        let (params, sensitive) =
            action_params(&self.shared, op, request).map_err(Error::from_data)?;
        let (mut request_id, mut outcome) = self.attempt(op, &params, None).await;
        if let Err((e, Some(token))) = &outcome
            && self.tokens.refused(op.action, token, e)
        {
            let token = self.tokens.get(op.action, true).await;
            let token = token.map_err(Error::from_data)?;
            (request_id, outcome) = self.attempt(op, &params, Some(token)).await;
        }
        match outcome {
            Ok(payload) => crate::decode::decode(op.action, &request_id, payload.json())
                .map_err(Error::from_data),
            Err((e, _)) => {
                let secrets = sensitive.iter().map(String::as_str);
                let e = finish(e, op.action, &request_id, &self.tokens, secrets);
                Err(Error::from_data(e))
            }
        }
    }

    /// One frame of `op` and what its reply says, with its request id; a
    /// failure comes with the token the frame carried if a reply came (only
    /// a reply can refuse a token).
    async fn attempt(
        &self,
        op: &'static Operation,
        params: &str,
        token: Option<Arc<str>>,
    ) -> (String, Attempt) {
        let closed = || {
            let mut e = ErrorData::new(ErrorKind::Transport, "the channel is closed");
            e.maybe_sent = false;
            (e, None)
        };
        let request_id = uuid::Uuid::new_v4().to_string();
        let (reply, rx) = oneshot::channel();
        let command = Command::Call {
            request_id: request_id.clone(),
            action: op.action,
            params: params.to_owned(),
            token,
            reply,
        };
        let outcome = match self.commands.send(command).await {
            Err(_) => Err(closed()),
            Ok(()) => match rx.await {
                Err(_) => Err(closed()),
                Ok(Err(e)) => Err((e, None)),
                Ok(Ok(Replied { token, reply })) => {
                    outcome(op.data_wrapper, reply).map_err(|e| (e, Some(token)))
                }
            },
        };
        (request_id, outcome)
    }
}

/// What one frame of a call gave: the payload, or the error and the token
/// the frame carried (`None` if no reply came).
type Attempt = Result<Payload, (Box<ErrorData>, Option<Arc<str>>)>;

/// The request's members with the operation's fixed parameters, as JSON
/// text, and the values of its sensitive ones (for scrubbing).
fn action_params<Req: Serialize + ?Sized>(
    shared: &Shared,
    op: &'static Operation,
    request: &Req,
) -> Result<(String, Vec<String>), Box<ErrorData>> {
    let invalid =
        |msg: String| ErrorData::new(ErrorKind::InvalidRequest, msg).with_action(op.action);
    if op.auth != Auth::AccessToken {
        return Err(invalid(format!(
            "{} is a signed (pre-login) action; the channel carries access-token calls only",
            op.action
        )));
    }
    let reserved = Reserved {
        names: &shared.service.common_params,
        auth: op.auth,
    };
    let mut body = Body::from_request(request, reserved).map_err(|e| invalid(e.0))?;
    body.add_fixed(op).map_err(|e| invalid(e.0))?;
    let sensitive = body.values_of(op.sensitive);
    // serde_json writes UTF-8; the fallback is not reached.
    let text = String::from_utf8(body.into_bytes())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((text, sensitive))
}

/// What a reply says: the payload of a success, or the error. A frame
/// `error` and a `Response.Error` in `data` are both API errors, as the two
/// HTTP envelopes are.
pub(crate) fn outcome(data_wrapper: bool, reply: ReplyText) -> Result<Payload, Box<ErrorData>> {
    if let Some(code) = reply.error {
        return Err(ErrorData::api(Some(code), reply.error_message));
    }
    let Some(data) = reply.data else {
        let mut e = ErrorData::new(ErrorKind::Decode, "the reply frame has no `data`");
        e.path = Some("data".into());
        return Err(e);
    };
    let located = match payload::read(&data, data_wrapper, Detail::Outcome) {
        Reply::Api(e) => return Err(e),
        Reply::Success { payload, .. } => payload?,
        Reply::Malformed(malformed) => {
            let mut e = ErrorData::new(ErrorKind::Decode, malformed.what);
            e.path = Some(match malformed.path {
                Some(p) => format!("data.{p}"),
                None => "data".into(),
            });
            return Err(e);
        }
    };
    Ok(located.into_payload(data))
}

/// An error as a call reports it: its action and request id, and no
/// secret in its message.
pub(crate) fn finish<'a>(
    mut e: Box<ErrorData>,
    action: &'static str,
    request_id: &str,
    tokens: &Tokens,
    sensitive: impl IntoIterator<Item = &'a str>,
) -> Box<ErrorData> {
    e.action = Some(action);
    if e.request_id.is_none() {
        e.request_id = Some(request_id.to_owned());
    }
    tokens.scrub(&mut e, sensitive);
    e
}
