//! `service.toml`: what the docs do not say in tables.

use crate::ir::Auth;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The parsed `service.toml`, defaults filled in.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServiceConfig {
    /// Cargo package name of the generated crate.
    #[serde(default = "defaults::crate_name")]
    pub crate_name: String,
    /// Version of the generated crate.
    #[serde(default = "defaults::version")]
    pub version: String,
    /// Description of the generated crate.
    #[serde(default = "defaults::description")]
    pub description: String,
    /// Base URL a client uses unless told otherwise.
    #[serde(default = "defaults::base_url")]
    pub default_base_url: String,
    /// Endpoint for pages that name none.
    #[serde(default = "defaults::endpoint")]
    pub default_endpoint: String,
    /// Last path segment of an endpoint -> how its calls authenticate.
    #[serde(default = "defaults::endpoints")]
    pub endpoints: BTreeMap<String, AuthName>,
    /// Parameters the client fills in itself, by auth mode; `all` applies to every call.
    #[serde(default = "defaults::common")]
    pub common_parameters: CommonParameters,
    /// Cargo feature name -> the actions it turns on (by wire name). A
    /// downstream crate that enables one group compiles only that group;
    /// actions in no group are always compiled.
    #[serde(default)]
    pub groups: BTreeMap<toml::Spanned<String>, Vec<toml::Spanned<String>>>,
    /// The file it was read from, so that problems found later (a stale
    /// group entry) can point into it.
    #[serde(skip)]
    pub file: Option<crate::source::FileId>,
}

/// Auth mode names as written in `service.toml`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AuthName {
    /// `access-token`.
    AccessToken,
    /// `signed`.
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

/// Common parameters, lifted out of every request.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommonParameters {
    /// Sent with every call (`Action`, `RequestId`).
    pub all: Vec<String>,
    /// Sent with access-token calls.
    pub access_token: Vec<String>,
    /// Sent with signed calls.
    pub signed: Vec<String>,
}

impl CommonParameters {
    /// Whether a documented parameter is one the client supplies. Any auth
    /// mode's parameters count: a page that lists `AppKey` on a token
    /// endpoint still must not make the caller pass it.
    pub fn contains(&self, name: &str) -> bool {
        self.all
            .iter()
            .chain(&self.access_token)
            .chain(&self.signed)
            .any(|p| p.eq_ignore_ascii_case(name))
    }
}

mod defaults {
    use super::*;
    pub fn crate_name() -> String {
        "iot-explorer".into()
    }
    pub fn version() -> String {
        "0.1.0".into()
    }
    pub fn description() -> String {
        "Typed client for the Tencent Cloud IoT Explorer application API (generated)".into()
    }
    pub fn base_url() -> String {
        "https://iot.cloud.tencent.com/api/exploreropen".into()
    }
    pub fn endpoint() -> String {
        "tokenapi".into()
    }
    pub fn endpoints() -> BTreeMap<String, AuthName> {
        BTreeMap::from([
            ("tokenapi".into(), AuthName::AccessToken),
            ("appapi".into(), AuthName::Signed),
        ])
    }
    pub fn common() -> CommonParameters {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
        CommonParameters {
            all: v(&["Action", "RequestId"]),
            access_token: v(&["AccessToken"]),
            signed: v(&["AppKey", "Signature", "Timestamp", "Nonce"]),
        }
    }
}

impl Default for ServiceConfig {
    fn default() -> Self {
        toml::from_str("").expect("defaults deserialize")
    }
}

impl ServiceConfig {
    /// Parses `service.toml`; the error carries the byte span toml reports.
    pub fn parse(text: &str) -> Result<ServiceConfig, (String, Option<std::ops::Range<usize>>)> {
        toml::from_str(text).map_err(|e| (e.message().to_string(), e.span()))
    }
}
