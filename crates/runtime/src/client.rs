//! The runtime client: the generic entry points every generated method
//! calls, and what all clones of a client share.
//!
//! The generic surface ([`Client::call`]) only writes the request's members
//! as JSON text and decodes the payload text into the response type;
//! everything else runs in non-generic functions (`call.rs`), so a crate
//! with hundreds of actions compiles the transport once.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::body::{Body, Reserved};
use crate::builder::{Settings, debug_config, non_empty};
use crate::error::{ErrorData, ErrorKind};
use crate::{Error, Operation, ServiceInfo};

/// What every clone of a client shares.
pub(crate) struct Shared {
    pub(crate) service: &'static ServiceInfo,
    pub(crate) http: reqwest::Client,
    /// Validated, without a trailing `/`.
    pub(crate) base_url: String,
    pub(crate) settings: Settings,
    pub(crate) user_agent: String,
    /// The URL of each endpoint used so far, parsed once: parsing a URL
    /// (host normalisation included) costs more than the rest of the
    /// client's own work on a call.
    pub(crate) endpoint_urls: Mutex<Vec<(&'static str, reqwest::Url)>>,
    /// The cached token of a client built with a token provider.
    pub(crate) session: Option<crate::session::Session>,
    /// Blocking calls get their own connection pool: a pooled connection is
    /// driven by the runtime that opened it, and the caller's runtime may
    /// not be running while a blocking call waits on it.
    #[cfg(feature = "blocking")]
    pub(crate) blocking_http: std::sync::OnceLock<reqwest::Client>,
}

impl Shared {
    pub(crate) fn new(
        service: &'static ServiceInfo,
        http: reqwest::Client,
        base_url: String,
        settings: Settings,
        user_agent: String,
        session: Option<crate::session::Session>,
    ) -> Self {
        Shared {
            service,
            http,
            base_url,
            settings,
            user_agent,
            endpoint_urls: Mutex::new(Vec::new()),
            session,
            #[cfg(feature = "blocking")]
            blocking_http: std::sync::OnceLock::new(),
        }
    }
}

/// The runtime client under the generated `Client`: configuration,
/// credentials and a connection pool. Cloning is cheap and clones share
/// the pool.
pub struct Client<C> {
    shared: Arc<Shared>,
    // Kept outside `Shared` so that `with_access_token` does not rebuild
    // the pool.
    access_token: Option<Arc<str>>,
    _code: PhantomData<fn() -> C>,
}

impl<C> Clone for Client<C> {
    fn clone(&self) -> Self {
        Client {
            shared: Arc::clone(&self.shared),
            access_token: self.access_token.clone(),
            _code: PhantomData,
        }
    }
}

impl<C> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        debug_config(
            f,
            "Client",
            s.service.name,
            &s.base_url,
            self.access_token.is_some(),
            &s.settings,
        )
    }
}

impl<C> Client<C> {
    pub(crate) fn new(shared: Shared, access_token: Option<String>) -> Self {
        Client {
            shared: Arc::new(shared),
            access_token: non_empty(access_token).map(Arc::from),
            _code: PhantomData,
        }
    }
}

impl<C: crate::ErrorCodeType> Client<C> {
    /// Calls `op` with `request` and decodes the reply into `Resp`.
    ///
    /// `request` must serialize to a JSON object of the action's own
    /// parameters; the client adds the action, a request id, the
    /// credentials (under the names of the service's [`CommonParams`](crate::CommonParams))
    /// and `op.fixed_params`, and refuses a request that sets one of the
    /// common parameters the call writes. Top-level `null` values are not
    /// sent.
    ///
    /// A token call of a client built with a
    /// [`TokenProvider`](crate::TokenProvider) (or a login) and no fixed
    /// token takes the provider's token, logging in first when there is no
    /// fresh one, and is sent once more with a new token when the server
    /// refuses the first (see [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider)).
    pub async fn call<Req, Resp>(
        &self,
        op: &'static Operation,
        request: &Req,
    ) -> Result<Resp, Error<C>>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        let body = request_body(&self.shared, op, request).map_err(Error::from_data)?;
        let (payload, request_id) =
            crate::session::send(&self.shared, &self.shared.http, op, self.token(), body)
                .await
                .map_err(Error::from_data)?;
        crate::decode::decode(op.action, &request_id, payload.json()).map_err(Error::from_data)
    }

    /// [`call`](Self::call) for callers without an async runtime.
    ///
    /// The call runs on a small runtime private to this crate (one worker
    /// thread, started on first use and shared by all clients), with a
    /// connection pool of its own. Called from inside a Tokio runtime it
    /// returns an [`ErrorKind::InvalidConfig`] error instead of blocking the
    /// runtime's thread; use `call(..).await` there.
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub fn call_blocking<Req, Resp>(
        &self,
        op: &'static Operation,
        request: &Req,
    ) -> Result<Resp, Error<C>>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        let body = request_body(&self.shared, op, request).map_err(Error::from_data)?;
        let (payload, request_id) =
            crate::blocking::run(&self.shared, op, self.token(), body).map_err(Error::from_data)?;
        crate::decode::decode(op.action, &request_id, payload.json()).map_err(Error::from_data)
    }

    /// A client like this one that sends `token` as the access token, e.g.
    /// after a login call; it shares this client's connection pool and
    /// settings. An empty token counts as none.
    ///
    /// The fixed token takes the place of the client's token provider, if it
    /// has one: the new client neither logs in nor fetches another token
    /// when `token` is refused.
    pub fn with_access_token(&self, token: impl Into<String>) -> Self {
        Client {
            shared: Arc::clone(&self.shared),
            access_token: non_empty(Some(token.into())).map(Arc::from),
            _code: PhantomData,
        }
    }

    /// The base URL calls go to, without the endpoint segment.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    pub(crate) fn token(&self) -> Option<&str> {
        self.access_token.as_deref()
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }
}

/// The request's members, checked against the parameters the client adds
/// itself.
pub(crate) fn request_body<Req: Serialize + ?Sized>(
    shared: &Shared,
    op: &'static Operation,
    request: &Req,
) -> Result<Body, Box<ErrorData>> {
    let reserved = Reserved {
        names: &shared.service.common_params,
        auth: op.auth,
    };
    Body::from_request(request, reserved)
        .map_err(|e| ErrorData::new(ErrorKind::InvalidRequest, e.0).with_action(op.action))
}
