//! Credentials: which ones a call needs, the signed form of a pre-login
//! body, and keeping secrets out of error messages.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::body::{Body, BodyError};
use crate::client::Shared;
use crate::error::ErrorData;
use crate::{Auth, CommonParams, Operation, Redacted};

/// The credentials of one call, borrowed from the client.
pub(crate) enum Creds<'a> {
    Token(&'a str),
    Signed { key: &'a str, secret: &'a str },
}

/// The credentials `op` needs, or why the client cannot make the call;
/// checked before anything is sent.
pub(crate) fn credentials<'a>(
    shared: &'a Shared,
    op: &Operation,
    token: Option<&'a str>,
) -> Result<Creds<'a>, String> {
    match op.auth {
        Auth::AccessToken => token.map(Creds::Token).ok_or_else(|| {
            "no access token; set one with ClientBuilder::access_token or Client::with_access_token".into()
        }),
        Auth::Signed => match (shared.settings.app_key.as_deref(), shared.settings.app_secret.as_deref()) {
            (Some(key), Some(secret)) => Ok(Creds::Signed { key, secret }),
            (None, None) => Err("no app key and no app secret; set them with ClientBuilder::app_key and ClientBuilder::app_secret".into()),
            (None, Some(_)) => Err("no app key; set one with ClientBuilder::app_key".into()),
            (Some(_), None) => Err("no app secret; set one with ClientBuilder::app_secret".into()),
        },
    }
}

/// The shortest value [`scrub`] replaces.
const MIN_SCRUBBED_CHARS: usize = 4;

/// Servers sometimes quote the parameters they reject; keep credentials and
/// the request's sensitive values out of messages that end up in logs.
///
/// Values shorter than [`MIN_SCRUBBED_CHARS`] are left alone: replacing
/// every `86` or `1` in a message would hide more than it protects.
pub(crate) fn scrub<'a>(e: &mut ErrorData, secrets: impl IntoIterator<Item = &'a str>) {
    let Some(message) = e.message.as_mut() else {
        return;
    };
    let mut secrets: Vec<&str> = secrets
        .into_iter()
        .filter(|s| s.chars().count() >= MIN_SCRUBBED_CHARS && message.contains(*s))
        .collect();
    // Longest first, so that a secret holding another is replaced whole.
    secrets.sort_unstable_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets {
        if message.contains(secret) {
            *message = message.replace(secret, Redacted::TEXT);
        }
    }
}

/// The finished body of a signed attempt: `body` with the app key,
/// timestamp and nonce, and the signature over all of them.
pub(crate) fn signed(
    mut body: Body,
    names: &CommonParams,
    key: &str,
    secret: &str,
) -> Result<Vec<u8>, BodyError> {
    // Fresh per attempt: the server rejects stale timestamps and may reject
    // a nonce it has seen.
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    body.push_str(names.app_key, key)?;
    body.push_u64(names.timestamp, timestamp)?;
    body.push_u64(names.nonce, u64::from(fastrand::u32(1..=i32::MAX as u32)))?;
    let text = crate::signing::canonical(body.pairs(), names.signature);
    body.push_str(names.signature, &crate::signing::hmac_base64(secret, &text))?;
    Ok(body.into_bytes())
}
