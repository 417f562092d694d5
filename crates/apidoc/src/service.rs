//! `service.toml`: what the docs do not say in tables.
//!
//! Every key is optional and takes the IoT Explorer value when left out,
//! so a folder of published pages without this file still generates.
//! Every value that is present is checked here, before anything is built
//! from it: a value the generated crate could not use (a crate name that
//! is not an identifier, a version that is not semver, a base URL that is
//! not http(s)) is an error at its place.

use crate::diagnostic::Diagnostic;
use crate::ir::{Auth, CommonParameters};
use crate::naming;
use crate::source::{FileId, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

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

/// The file as written: every value optional and spanned, for checking.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    crate_name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    default_base_url: Option<Spanned<String>>,
    default_endpoint: Option<Spanned<String>>,
    endpoints: Option<BTreeMap<Spanned<String>, Spanned<RawEndpoint>>>,
    common_parameters: Option<Spanned<RawCommon>>,
    groups: Option<BTreeMap<Spanned<String>, Spanned<RawGroup>>>,
    session: Option<Spanned<RawSession>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSession {
    login: Spanned<String>,
    token: Spanned<String>,
    expires_at: Option<Spanned<String>>,
    invalid_token_codes: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    logins: BTreeMap<Spanned<String>, Spanned<RawLogin>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogin {
    args: Vec<Spanned<String>>,
    #[serde(default)]
    set: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawEndpoint {
    /// `tokenapi = "access-token"`: an HTTP endpoint.
    Auth(AuthName),
    /// `explorer = { transport = "websocket", url = "wss://…" }`.
    Table(RawEndpointTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpointTable {
    auth: Option<AuthName>,
    transport: Option<Transport>,
    url: Option<String>,
    // Not `Spanned`: spans do not survive the untagged enum around it.
    heartbeat: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCommon {
    action: Option<Spanned<String>>,
    request_id: Option<Spanned<String>>,
    access_token: Option<Spanned<String>>,
    app_key: Option<Spanned<String>>,
    timestamp: Option<Spanned<String>>,
    nonce: Option<Spanned<String>>,
    signature: Option<Spanned<String>>,
}

/// A group's value: a category's folder name, or a list of actions.
/// Hand-written because `#[serde(untagged)]` buffers its input, which
/// loses the spans of the list's items.
enum RawGroup {
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
enum AuthName {
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

struct Checker {
    file: FileId,
    diags: Vec<Diagnostic>,
}

impl Checker {
    fn error(&mut self, span: Range<usize>, message: String) {
        self.error_of("service-toml", span, message);
    }

    fn error_of(&mut self, kind: &'static str, span: Range<usize>, message: String) {
        self.diags
            .push(Diagnostic::error(kind, message).at(Span::new(self.file, span)));
    }

    /// Sets `slot` to the value if `check` accepts it; otherwise reports
    /// why at the value and keeps the default.
    fn set(
        &mut self,
        slot: &mut String,
        value: Spanned<String>,
        check: impl FnOnce(&str) -> Result<(), String>,
    ) {
        let span = value.span();
        let value = value.into_inner();
        match check(&value) {
            Ok(()) => *slot = value,
            Err(why) => self.error(span, format!("`{value}`: {why}")),
        }
    }

    fn endpoints(
        &mut self,
        raw: BTreeMap<Spanned<String>, Spanned<RawEndpoint>>,
    ) -> BTreeMap<String, Endpoint> {
        let mut out = BTreeMap::new();
        for (name, value) in raw {
            let span = value.span();
            if let Err(why) = check_segment(name.get_ref()) {
                self.error(name.span(), format!("endpoint `{}`: {why}", name.get_ref()));
                continue;
            }
            let endpoint = match value.into_inner() {
                RawEndpoint::Auth(a) => Endpoint {
                    auth: a.into(),
                    transport: Transport::Http,
                    url: None,
                    heartbeat: None,
                },
                RawEndpoint::Table(t) => {
                    let transport = t.transport.unwrap_or(Transport::Http);
                    let url = match (transport, t.url) {
                        (Transport::Websocket, Some(url)) => {
                            match check_url(&url, &["ws", "wss"]) {
                                Ok(()) => Some(url),
                                Err(why) => {
                                    self.error(
                                        span,
                                        format!("endpoint `{}`: `{url}`: {why}", name.get_ref()),
                                    );
                                    continue;
                                }
                            }
                        }
                        (Transport::Websocket, None) => {
                            self.error(
                                span,
                                format!(
                                    "endpoint `{}` is a WebSocket: it needs `url = \"wss://…\"`",
                                    name.get_ref()
                                ),
                            );
                            continue;
                        }
                        (Transport::Http, Some(_)) => {
                            self.error(span, format!("endpoint `{}`: an HTTP endpoint is under `default-base-url` and takes no `url`", name.get_ref()));
                            continue;
                        }
                        (Transport::Http, None) => None,
                    };
                    let heartbeat = match (transport, t.heartbeat) {
                        (Transport::Websocket, Some(h)) => {
                            if !crate::naming::is_api_identifier(&h) {
                                self.error(
                                    span,
                                    format!("endpoint `{}`: heartbeat `{h}`: an action is a name of letters, digits and `_`", name.get_ref()),
                                );
                                continue;
                            }
                            Some((h, span.clone()))
                        }
                        (Transport::Http, Some(_)) => {
                            self.error(
                                span,
                                format!(
                                    "endpoint `{}`: only a WebSocket has a heartbeat",
                                    name.get_ref()
                                ),
                            );
                            continue;
                        }
                        (_, None) => None,
                    };
                    Endpoint {
                        auth: t.auth.map_or(Auth::AccessToken, Auth::from),
                        transport,
                        url,
                        heartbeat,
                    }
                }
            };
            out.insert(name.into_inner(), endpoint);
        }
        out
    }

    fn common(&mut self, raw: Spanned<RawCommon>) -> CommonParameters {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut c = CommonParameters::default();
        for (slot, value) in [
            (&mut c.action, raw.action),
            (&mut c.request_id, raw.request_id),
            (&mut c.access_token, raw.access_token),
            (&mut c.app_key, raw.app_key),
            (&mut c.timestamp, raw.timestamp),
            (&mut c.nonce, raw.nonce),
            (&mut c.signature, raw.signature),
        ] {
            if let Some(v) = value {
                self.set(slot, v, check_parameter_name);
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for name in c.all() {
            if !seen.insert(name) {
                self.error(
                    span.clone(),
                    format!("`{name}` names two common parameters: each needs its own name"),
                );
            }
        }
        c
    }

    fn session(&mut self, raw: Spanned<RawSession>) -> Option<Session> {
        let span = raw.span();
        let raw = raw.into_inner();
        let before = self.diags.len();
        let name = |this: &mut Self, v: &Spanned<String>, what: &str| {
            if !naming::is_api_identifier(v.get_ref()) {
                this.error(v.span(), format!("`{}` is not {what}", v.get_ref()));
            }
        };
        name(self, &raw.login, "an action name");
        for path in std::iter::once(&raw.token).chain(&raw.expires_at) {
            for part in path.get_ref().split('.') {
                if !naming::is_api_identifier(part) {
                    self.error(
                        path.span(),
                        format!(
                            "`{}` is not a path of field names such as `Data.Token`",
                            path.get_ref()
                        ),
                    );
                    break;
                }
            }
        }
        let mut logins = Vec::new();
        for (form, value) in raw.logins {
            let value = value.into_inner();
            let valid = naming::is_api_identifier(form.get_ref())
                && form
                    .get_ref()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid || naming::is_keyword(form.get_ref()) {
                self.error(
                    form.span(),
                    format!(
                        "`{}` cannot name a constructor: use lower-case letters, digits and `_`",
                        form.get_ref()
                    ),
                );
                continue;
            }
            for arg in value.args.iter().chain(value.set.keys()) {
                name(self, arg, "a parameter name");
            }
            logins.push(LoginForm {
                name: form,
                args: value.args,
                set: value.set.into_iter().collect(),
            });
        }
        let invalid_token_codes = raw.invalid_token_codes.unwrap_or_else(|| {
            vec![Spanned::new(
                0..0,
                "InvalidParameterValue.InvalidAccessToken".to_string(),
            )]
        });
        (self.diags.len() == before).then_some(Session {
            login: raw.login,
            token: raw.token,
            expires_at: raw.expires_at,
            invalid_token_codes,
            logins,
            span,
        })
    }

    fn groups(&mut self, raw: BTreeMap<Spanned<String>, Spanned<RawGroup>>) -> Vec<Group> {
        let mut out = Vec::new();
        for (name, value) in raw {
            let feature = name.get_ref();
            let valid = !feature.is_empty()
                && feature.starts_with(|c: char| c.is_ascii_alphanumeric())
                && feature
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid || naming::RESERVED_FEATURES.contains(&feature.as_str()) {
                self.error_of(
                    "groups",
                    name.span(),
                    format!(
                        "`{feature}` cannot be a group name: use letters, digits, `-` and `_`, and none of {}",
                        naming::RESERVED_FEATURES.join(", ")
                    ),
                );
                continue;
            }
            let span = value.span();
            let members = match value.into_inner() {
                RawGroup::Category(c) if c.trim().is_empty() || c.contains(['/', '\\']) => {
                    self.error_of(
                        "groups",
                        span,
                        format!("group `{feature}`: `{c}` is not a folder name"),
                    );
                    continue;
                }
                RawGroup::Category(c) => GroupMembers::Category(Spanned::new(span, c)),
                RawGroup::Actions(a) => GroupMembers::Actions(a),
            };
            out.push(Group { name, members });
        }
        out
    }
}

/// A cargo package name that is also a Rust crate identifier once `-`
/// becomes `_` (the generated doctests name the crate).
fn check_crate_name(s: &str) -> Result<(), String> {
    let ident = s.replace('-', "_");
    if s.is_empty() || s.len() > 64 {
        return Err("a crate name has 1 to 64 characters".into());
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("a crate name starts with a letter".into());
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err("a crate name has only ASCII letters, digits, `-` and `_`".into());
    }
    if naming::is_keyword(&ident) {
        return Err(format!("`{ident}` is a Rust keyword"));
    }
    Ok(())
}

/// A semantic version, as cargo requires: `MAJOR.MINOR.PATCH`, numbers
/// without leading zeros, and an optional `-pre` and `+build`.
fn check_version(s: &str) -> Result<(), String> {
    let expected = || "expected a semantic version such as `0.1.0`".to_string();
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let number = |p: &str| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'))
            && p.parse::<u64>().is_ok()
    };
    if parts.len() != 3 || !parts.iter().all(|p| number(p)) {
        return Err(expected());
    }
    let idents = |x: &str| {
        x.split('.')
            .all(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    if pre.is_some_and(|p| !idents(p)) || build.is_some_and(|b| !idents(b)) {
        return Err(expected());
    }
    Ok(())
}

/// An absolute URL with one of `schemes`, a host, and no user info,
/// query, fragment or whitespace.
fn check_url(s: &str, schemes: &[&str]) -> Result<(), String> {
    let want = schemes
        .iter()
        .map(|s| format!("`{s}://`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(format!("expected a URL starting with {want}"));
    };
    if !schemes.contains(&scheme) {
        return Err(format!("expected a URL starting with {want}"));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a URL has no spaces".into());
    }
    if s.contains(['?', '#']) {
        return Err("the URL must not have a query or fragment".into());
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return Err("the URL must not contain a user name or password".into());
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            authority
        }
    });
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err("the URL has no valid host".into());
    }
    Ok(())
}

fn check_segment(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err("an endpoint is a URL path segment: letters, digits, `-` and `_`".into())
    }
}

fn check_parameter_name(s: &str) -> Result<(), String> {
    let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err("a parameter name has letters, digits and `_`, and starts with a letter".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let (_, diags) = ServiceConfig::parse(FileId(0), text);
        diags.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn defaults_and_partial_tables() {
        let (c, d) = ServiceConfig::parse(FileId(0), "");
        assert!(d.is_empty());
        assert_eq!(
            c,
            ServiceConfig {
                file: Some(FileId(0)),
                ..ServiceConfig::default()
            }
        );
        // A table with only some keys: the others keep their defaults.
        let (c, d) = ServiceConfig::parse(FileId(0), "[common-parameters]\nnonce = \"N\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.common_parameters.nonce, "N");
        assert_eq!(c.common_parameters.access_token, "AccessToken");
        let (c, _) = ServiceConfig::parse(FileId(0), "[endpoints]\ntokenapi = \"access-token\"\n");
        assert_eq!(c.endpoints.len(), 1);
    }

    #[test]
    fn unusable_values_are_errors() {
        for (text, want) in [
            ("crate-name = \"\"", "1 to 64"),
            ("crate-name = \"my crate\"", "only ASCII"),
            ("crate-name = \"123abc\"", "starts with a letter"),
            ("crate-name = \"../../evil\"", "starts with a letter"),
            ("crate-name = \"self\"", "keyword"),
            ("version = \"banana\"", "semantic version"),
            ("version = \"1.02.3\"", "semantic version"),
            ("default-base-url = \"not a url\"", "expected a URL"),
            ("default-base-url = \"ftp://x\"", "expected a URL"),
            ("default-base-url = \"https://u:p@x\"", "user name"),
            ("default-endpoint = \"nope\"", "not declared"),
            ("default-endpoint = \"explorer\"", "not an HTTP endpoint"),
            ("[endpoints]\n\"a/b\" = \"signed\"", "path segment"),
            (
                "[endpoints]\nws = { transport = \"websocket\" }",
                "needs `url",
            ),
            (
                "[endpoints]\ntokenapi = \"access-token\"\nws = { transport = \"websocket\", url = \"http://x\" }",
                "expected a URL",
            ),
            (
                "[common-parameters]\nnonce = \"Action\"",
                "two common parameters",
            ),
            ("[common-parameters]\nnonce = \"a b\"", "parameter name"),
            ("[groups]\ndefault = []", "cannot be a group name"),
            ("[groups]\nx = \"a/b\"", "not a folder name"),
            ("bogus = 1", "unknown field"),
        ] {
            let errs = errors(text);
            assert!(errs.iter().any(|e| e.contains(want)), "{text}: {errs:?}");
        }
        assert!(errors("version = \"1.0.0-rc.1+build.5\"").is_empty());
        assert!(errors("crate-name = \"iot_explorer-2\"").is_empty());
        assert!(errors("default-base-url = \"http://127.0.0.1:8080/api\"").is_empty());
    }
}
