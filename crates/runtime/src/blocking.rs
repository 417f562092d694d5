//! The blocking client's machinery: a private runtime and a connection
//! pool of its own, so that a caller without an async runtime can wait for
//! a call.

use std::sync::{Arc, OnceLock};

use crate::Operation;
use crate::body::Body;
use crate::builder::http_client;
use crate::client::Shared;
use crate::error::{ErrorData, ErrorKind};
use crate::payload::Payload;

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// The crate's private runtime. One worker thread keeps pooled
/// connections and timers serviced between and during blocking calls;
/// the calling thread only waits.
fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("iot-explorer-blocking")
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the blocking runtime: {e}"))?;
    // If another thread won the race, the spare runtime is dropped here,
    // outside any async context, which is allowed.
    Ok(RUNTIME.get_or_init(|| rt))
}

fn http(shared: &Shared) -> Result<reqwest::Client, String> {
    if let Some(c) = shared.blocking_http.get() {
        return Ok(c.clone());
    }
    let c = http_client(shared.settings.connect_timeout, &shared.user_agent)
        .map_err(|e| format!("could not set up the HTTP client: {e}"))?;
    Ok(shared.blocking_http.get_or_init(|| c).clone())
}

pub(crate) fn run(
    shared: &Arc<Shared>,
    op: &'static Operation,
    token: Option<&str>,
    body: Body,
) -> Result<(Payload, String), Box<ErrorData>> {
    let config_error =
        |msg: String| ErrorData::new(ErrorKind::InvalidConfig, msg).with_action(op.action);
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(config_error(
            "call_blocking was called inside an async runtime, where it would block the runtime's thread; use `call(..).await` there".into(),
        ));
    }
    let rt = runtime().map_err(config_error)?;
    let http = http(shared).map_err(config_error)?;
    rt.block_on(crate::session::send(shared, &http, op, token, body))
}
