//! `service.toml`: what the docs do not say in tables.
//!
//! Every key is optional and takes the IoT Explorer value when left out,
//! so a folder of published pages without this file still generates.
//! Every value that is present is checked here, before anything is built
//! from it: a value the generated crate could not use (a crate name that
//! is not an identifier, a version that is not semver, a base URL that is
//! not http(s)) is an error at its place.

mod checker;
mod raw;
#[cfg(test)]
mod tests;
mod values;

use crate::diagnostic::Diagnostic;
use crate::ir::{Auth, CommonParameters};
use crate::source::FileId;
use checker::Checker;
use raw::Raw;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use values::{check_crate_name, check_url, check_version};

/// The parsed `service.toml`, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConfig {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Version of the generated crate.
    pub version: String,
    /// Description of the generated crate.
    pub description: String,
    /// Base URL a client uses unless told otherwise.
    pub default_base_url: String,
    /// Endpoint for pages that name none.
    pub default_endpoint: String,
    /// Last path segment of an endpoint -> how calls to it go.
    pub endpoints: BTreeMap<String, Endpoint>,
    /// The names of the parameters the client fills in itself, by role.
    pub common_parameters: CommonParameters,
    /// Cargo features, one per group of actions. A downstream crate that
    /// enables one group compiles only that group; actions in no group
    /// are always compiled.
    pub groups: Vec<Group>,
    /// How the client logs in by itself, if it can.
    pub session: Option<Session>,
    /// The file it was read from, so that problems found later (a stale
    /// group entry) can point into it.
    pub file: Option<FileId>,
}

/// How calls to one endpoint are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Credentials its calls carry.
    pub auth: Auth,
    /// HTTP POST, or a WebSocket channel.
    pub transport: Transport,
    /// Where a WebSocket channel is (`wss://…`); HTTP endpoints are under
    /// the base URL.
    pub url: Option<String>,
    /// The action a WebSocket channel's heartbeat calls, when
    /// `service.toml` settles it (the pages' keep-alive page says it
    /// otherwise), with where its endpoint is written.
    pub heartbeat: Option<(String, std::ops::Range<usize>)>,
}

/// The transport of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    /// One HTTP POST per call (the interface pages' `…/tokenapi`, `…/appapi`).
    Http,
    /// A long-lived WebSocket (the `长连接通信` pages' `wss://…/ws/explorer`).
    Websocket,
}

/// `[session]`: the action that logs in, where its reply has the token,
/// and the ways to call it (`Login::email(..)`). Checked against the
/// action's tables when the IR is built.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The login action, by wire name.
    pub login: Spanned<String>,
    /// Where the token is in its reply: wire names joined by `.`.
    pub token: Spanned<String>,
    /// Where the token's expiry (Unix seconds) is, if the reply has one.
    pub expires_at: Option<Spanned<String>>,
    /// The error codes that say a token is no longer valid.
    pub invalid_token_codes: Vec<Spanned<String>>,
    /// One constructor of `Login` each.
    pub logins: Vec<LoginForm>,
    /// Where the table is.
    pub span: Range<usize>,
}

/// `[session.logins.<name>]`: `Login::<name>(args..)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginForm {
    /// The constructor's name.
    pub name: Spanned<String>,
    /// The login action's inputs it takes, in parameter order.
    pub args: Vec<Spanned<String>>,
    /// Inputs it sets to constant text (`Type = "email"`).
    pub set: Vec<(Spanned<String>, Spanned<String>)>,
}

/// One `[groups]` entry: a cargo feature and what it turns on.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The feature name, where it is written.
    pub name: Spanned<String>,
    /// What it holds.
    pub members: GroupMembers,
}

/// What a group holds.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupMembers {
    /// Every action whose page is in a folder of this name (a category
    /// of the published docs, such as `用户管理`).
    Category(Spanned<String>),
    /// These actions, by wire name.
    Actions(Vec<Spanned<String>>),
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            crate_name: "iot-explorer".into(),
            version: "0.1.0".into(),
            description:
                "Typed client for the Tencent Cloud IoT Explorer application API (generated)".into(),
            default_base_url: "https://iot.cloud.tencent.com/api/exploreropen".into(),
            default_endpoint: "tokenapi".into(),
            endpoints: default_endpoints(),
            common_parameters: CommonParameters::default(),
            groups: Vec::new(),
            session: None,
            file: None,
        }
    }
}

fn default_endpoints() -> BTreeMap<String, Endpoint> {
    let http = |auth| Endpoint {
        auth,
        transport: Transport::Http,
        url: None,
        heartbeat: None,
    };
    BTreeMap::from([
        ("tokenapi".into(), http(Auth::AccessToken)),
        ("appapi".into(), http(Auth::Signed)),
        (
            "explorer".into(),
            Endpoint {
                auth: Auth::AccessToken,
                transport: Transport::Websocket,
                url: Some("wss://iot.cloud.tencent.com/ws/explorer".into()),
                heartbeat: None,
            },
        ),
    ])
}

impl ServiceConfig {
    /// Reads `service.toml`. Whatever the text, the result is a usable
    /// configuration: an unusable value keeps its default and is reported
    /// at its place.
    pub fn parse(file: FileId, text: &str) -> (ServiceConfig, Vec<Diagnostic>) {
        let mut c = Checker {
            file,
            diags: Vec::new(),
        };
        let raw: Raw = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                c.error(
                    e.span().unwrap_or(0..0),
                    format!("invalid service.toml: {}", e.message()),
                );
                return (
                    ServiceConfig {
                        file: Some(file),
                        ..ServiceConfig::default()
                    },
                    c.diags,
                );
            }
        };
        let mut config = ServiceConfig {
            file: Some(file),
            ..ServiceConfig::default()
        };
        if let Some(v) = raw.crate_name {
            c.set(&mut config.crate_name, v, check_crate_name);
        }
        if let Some(v) = raw.version {
            c.set(&mut config.version, v, check_version);
        }
        if let Some(v) = raw.description {
            c.set(&mut config.description, v, |s| {
                if s.chars().any(|ch| ch.is_control() && ch != '\t') {
                    Err("the description must be one line of text".into())
                } else {
                    Ok(())
                }
            });
        }
        if let Some(v) = raw.default_base_url {
            c.set(&mut config.default_base_url, v, |s| {
                check_url(s, &["http", "https"])
            });
        }
        if let Some(endpoints) = raw.endpoints {
            config.endpoints = c.endpoints(endpoints);
        }
        match raw.default_endpoint {
            Some(v) => {
                let endpoints = &config.endpoints;
                c.set(&mut config.default_endpoint, v, |s| {
                    match endpoints.get(s) {
                        Some(e) if e.transport == Transport::Http => Ok(()),
                        Some(_) => Err(format!("`{s}` is not an HTTP endpoint")),
                        None => Err(format!("`{s}` is not declared under [endpoints]")),
                    }
                });
            }
            None if !config.endpoints.contains_key(&config.default_endpoint) => {
                c.error(
                    0..0,
                    format!(
                        "[endpoints] does not declare `{}`, the default endpoint: declare it, or set `default-endpoint`",
                        config.default_endpoint
                    ),
                );
            }
            None => {}
        }
        if let Some(common) = raw.common_parameters {
            config.common_parameters = c.common(common);
        }
        if let Some(groups) = raw.groups {
            config.groups = c.groups(groups);
        }
        if let Some(session) = raw.session {
            config.session = c.session(session);
        }
        (config, c.diags)
    }
}
