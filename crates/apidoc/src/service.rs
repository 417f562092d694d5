//! `service.toml`: what the docs do not say in tables.

use crate::ir::{Auth, CommonParameters};
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
    /// The names of the parameters the client fills in itself, by role;
    /// a role left out keeps its IoT Explorer name.
    #[serde(default)]
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
