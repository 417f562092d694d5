//! Turning the raw tables into the configuration: each value that is
//! unusable is reported at its place and the default kept, so that one
//! bad key never hides the others.

use super::raw::{RawCommon, RawEndpoint, RawGroup, RawSession};
use super::values::{check_parameter_name, check_segment, check_url};
use super::{Endpoint, Group, GroupMembers, LoginForm, Session, Transport};
use crate::diagnostic::Diagnostic;
use crate::ir::{Auth, CommonParameters};
use crate::naming;
use crate::source::{FileId, Span};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

pub(super) struct Checker {
    pub(super) file: FileId,
    pub(super) diags: Vec<Diagnostic>,
}

impl Checker {
    pub(super) fn error(&mut self, span: Range<usize>, message: String) {
        self.error_of("service-toml", span, message);
    }

    fn error_of(&mut self, kind: &'static str, span: Range<usize>, message: String) {
        self.diags
            .push(Diagnostic::error(kind, message).at(Span::new(self.file, span)));
    }

    /// Sets `slot` to the value if `check` accepts it; otherwise reports
    /// why at the value and keeps the default.
    pub(super) fn set(
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

    pub(super) fn endpoints(
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

    pub(super) fn common(&mut self, raw: Spanned<RawCommon>) -> CommonParameters {
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

    pub(super) fn session(&mut self, raw: Spanned<RawSession>) -> Option<Session> {
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

    pub(super) fn groups(
        &mut self,
        raw: BTreeMap<Spanned<String>, Spanned<RawGroup>>,
    ) -> Vec<Group> {
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
