//! The raw `service.toml` types: the file as serde reads it, before any
//! value is checked, with the spans the diagnostics point at.

use super::Transport;
use crate::ir::Auth;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The file as written: every value optional and spanned, for checking.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct Raw {
    pub(super) crate_name: Option<Spanned<String>>,
    pub(super) version: Option<Spanned<String>>,
    pub(super) description: Option<Spanned<String>>,
    pub(super) default_base_url: Option<Spanned<String>>,
    pub(super) default_endpoint: Option<Spanned<String>>,
    pub(super) endpoints: Option<BTreeMap<Spanned<String>, Spanned<RawEndpoint>>>,
    pub(super) common_parameters: Option<Spanned<RawCommon>>,
    pub(super) groups: Option<BTreeMap<Spanned<String>, Spanned<RawGroup>>>,
    pub(super) session: Option<Spanned<RawSession>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawSession {
    pub(super) login: Spanned<String>,
    pub(super) token: Spanned<String>,
    pub(super) expires_at: Option<Spanned<String>>,
    pub(super) invalid_token_codes: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) logins: BTreeMap<Spanned<String>, Spanned<RawLogin>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLogin {
    pub(super) args: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) set: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawEndpoint {
    /// `tokenapi = "access-token"`: an HTTP endpoint.
    Auth(AuthName),
    /// `explorer = { transport = "websocket", url = "wss://…" }`.
    Table(RawEndpointTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEndpointTable {
    pub(super) auth: Option<AuthName>,
    pub(super) transport: Option<Transport>,
    pub(super) url: Option<String>,
    // Not `Spanned`: spans do not survive the untagged enum around it.
    pub(super) heartbeat: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawCommon {
    pub(super) action: Option<Spanned<String>>,
    pub(super) request_id: Option<Spanned<String>>,
    pub(super) access_token: Option<Spanned<String>>,
    pub(super) app_key: Option<Spanned<String>>,
    pub(super) timestamp: Option<Spanned<String>>,
    pub(super) nonce: Option<Spanned<String>>,
    pub(super) signature: Option<Spanned<String>>,
}

/// A group's value: a category's folder name, or a list of actions.
/// Hand-written because `#[serde(untagged)]` buffers its input, which
/// loses the spans of the list's items.
pub(super) enum RawGroup {
    Category(String),
    Actions(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawGroup {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawGroup;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a category's folder name or a list of action names")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawGroup, E> {
                Ok(RawGroup::Category(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawGroup, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<String>>()? {
                    out.push(item);
                }
                Ok(RawGroup::Actions(out))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Auth mode names as written in `service.toml`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum AuthName {
    AccessToken,
    Signed,
}

impl From<AuthName> for Auth {
    fn from(a: AuthName) -> Auth {
        match a {
            AuthName::AccessToken => Auth::AccessToken,
            AuthName::Signed => Auth::Signed,
        }
    }
}
