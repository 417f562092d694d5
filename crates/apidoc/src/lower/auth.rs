//! Endpoint and auth mode from every signal a page gives, not one line.
//!
//! A page says how it is called in up to four places: the endpoint line
//! (`接口请求域名：…/appapi`), the common-parameter rows of its input table
//! (`AccessToken` for a token call, `AppKey` for a signed one), and its
//! request example's URL (`POST …/tokenapi`) and body. Pages get this
//! wrong: the automation pages name `…/appapi` in the endpoint line while
//! the table, the URL and the body all say token call. The signals vote;
//! a tie goes to the endpoint line; any disagreement is a warning with
//! every signal shown, and an `endpoint` override settles it.

use super::action_page::Draft;
use crate::diagnostic::Diagnostic;
use crate::ir::Auth;
use crate::service::{ServiceConfig, Transport};
use crate::source::Span;

/// What a page says about how it is called.
#[derive(Debug, Clone, Default)]
pub(super) struct Evidence {
    /// The endpoint line, as written.
    pub(super) line: Option<(String, Span)>,
    /// The input table's access-token row.
    pub(super) token_row: Option<Span>,
    /// The input table's app-key row.
    pub(super) signed_row: Option<Span>,
    /// The request example's URL.
    pub(super) example_url: Option<(String, Span)>,
    /// The request example's access-token member.
    pub(super) token_key: Option<Span>,
    /// The request example's app-key member.
    pub(super) signed_key: Option<Span>,
}

/// How a draft is called, once decided.
pub(super) struct Decided {
    /// The HTTP endpoint segment.
    pub(super) endpoint: String,
    pub(super) auth: Auth,
}

/// One signal: what it says, and where.
struct Claim {
    auth: Auth,
    what: String,
    span: Span,
}

fn mode(auth: Auth) -> &'static str {
    match auth {
        Auth::AccessToken => "a token call",
        Auth::Signed => "a signed call",
    }
}

/// Decides the endpoint and auth mode of an HTTP draft; `None` (with an
/// error) when nothing tells.
pub(super) fn decide(
    service: &ServiceConfig,
    d: &Draft,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decided> {
    let ev = &d.evidence;
    let http = |seg: &str| {
        service
            .endpoints
            .get(seg)
            .filter(|e| e.transport == Transport::Http)
            .map(|e| e.auth)
    };
    let line_segment = ev
        .line
        .as_ref()
        .and_then(|(l, span)| line_segment(l).map(|s| (s, span.clone())));

    let mut claims: Vec<Claim> = Vec::new();
    if let Some((seg, span)) = &line_segment
        && let Some(auth) = http(seg)
    {
        claims.push(Claim {
            auth,
            what: format!("the endpoint line names `{seg}`"),
            span: span.clone(),
        });
    }
    let url_segment = ev
        .example_url
        .as_ref()
        .and_then(|(u, span)| url_segment(u).map(|s| (s, span.clone())));
    if let Some((seg, span)) = &url_segment
        && let Some(auth) = http(seg)
    {
        claims.push(Claim {
            auth,
            what: format!("the request example posts to `…/{seg}`"),
            span: span.clone(),
        });
    }
    let common = &service.common_parameters;
    // A table or example that shows both kinds of credentials says nothing.
    for (token, signed, whose) in [
        (&ev.token_row, &ev.signed_row, "the input table has"),
        (&ev.token_key, &ev.signed_key, "the request example sends"),
    ] {
        match (token, signed) {
            (Some(span), None) => claims.push(Claim {
                auth: Auth::AccessToken,
                what: format!("{whose} `{}`", common.access_token),
                span: span.clone(),
            }),
            (None, Some(span)) => claims.push(Claim {
                auth: Auth::Signed,
                what: format!("{whose} `{}`", common.app_key),
                span: span.clone(),
            }),
            _ => {}
        }
    }

    if let Some((seg, span)) = &d.endpoint_override {
        let Some(auth) = http(seg) else {
            diags.push(
                Diagnostic::error(
                    "overrides",
                    format!(
                        "`{seg}` is not an HTTP endpoint declared under [endpoints] in service.toml"
                    ),
                )
                .at(span.clone()),
            );
            return None;
        };
        let agrees = line_segment.as_ref().is_some_and(|(s, _)| s == seg)
            && claims.iter().all(|c| c.auth == auth);
        if agrees {
            diags.push(
                Diagnostic::error(
                    "stale-override",
                    format!("the page already says `{seg}`, and nothing on it disagrees: this override changes nothing"),
                )
                .at(span.clone())
                .note_line("remove it: the pages no longer need this correction"),
            );
        }
        return Some(Decided {
            endpoint: seg.clone(),
            auth,
        });
    }

    let count = |a: Auth| claims.iter().filter(|c| c.auth == a).count();
    let (tokens, signed) = (count(Auth::AccessToken), count(Auth::Signed));
    let line_auth = line_segment.as_ref().and_then(|(s, _)| http(s));
    let chosen = match tokens.cmp(&signed) {
        std::cmp::Ordering::Greater => Some(Auth::AccessToken),
        std::cmp::Ordering::Less => Some(Auth::Signed),
        std::cmp::Ordering::Equal => line_auth.or(claims.first().map(|c| c.auth)),
    };

    let default = &service.default_endpoint;
    let Some(auth) = chosen else {
        // No signal at all: the default endpoint, or an unknown one.
        return match (&ev.line, &line_segment) {
            (_, Some((seg, span))) => {
                diags.push(
                    Diagnostic::error(
                        "endpoint",
                        format!(
                            "unknown endpoint `{seg}`: expected one of {}",
                            service.endpoints.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .at(span.clone())
                    .note_line("declare it under [endpoints] in service.toml with its auth mode; or document the page's `AccessToken` or `AppKey` row, which tells the auth mode"),
                );
                None
            }
            (Some((_, span)), None) => {
                diags.push(
                    Diagnostic::warning(
                        "endpoint",
                        format!("endpoint line names no URL path; using the default endpoint `{default}`"),
                    )
                    .at(span.clone())
                    .label("expected something like `iot.cloud.tencent.com/api/exploreropen/tokenapi`"),
                );
                Some(default_decided(service))
            }
            (None, _) => {
                diags.push(
                    Diagnostic::warning(
                        "endpoint",
                        format!("no `接口请求域名` line; using the default endpoint `{default}`"),
                    )
                    .at(Span::new(d.file, 0..0)),
                );
                Some(default_decided(service))
            }
        };
    };

    // The endpoint: the line's when it agrees (or is unknown and the other
    // signals tell its mode), else the example's, else the first declared
    // endpoint of that mode.
    let of_mode = |seg: &str| http(seg) == Some(auth);
    let endpoint = match (&line_segment, &url_segment) {
        (Some((seg, _)), _) if of_mode(seg) => seg.clone(),
        (Some((seg, span)), _) if http(seg).is_none() => {
            diags.push(
                Diagnostic::warning(
                    "endpoint",
                    format!(
                        "unknown endpoint `{seg}`: not declared under [endpoints]; the page says it is {}, so it is generated as one",
                        mode(auth)
                    ),
                )
                .at(span.clone())
                .note_line(format!(
                    "declare it under [endpoints] in service.toml: `{seg} = \"{}\"`",
                    match auth {
                        Auth::AccessToken => "access-token",
                        Auth::Signed => "signed",
                    }
                )),
            );
            seg.clone()
        }
        (_, Some((seg, _))) if of_mode(seg) => seg.clone(),
        _ if of_mode(default) => default.clone(),
        _ => service
            .endpoints
            .iter()
            .find(|(_, e)| e.transport == Transport::Http && e.auth == auth)
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| default.clone()),
    };

    let dissent: Vec<&Claim> = claims.iter().filter(|c| c.auth != auth).collect();
    if !dissent.is_empty() {
        let agree: Vec<&Claim> = claims.iter().filter(|c| c.auth == auth).collect();
        let list = |cs: &[&Claim]| {
            cs.iter()
                .map(|c| c.what.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let primary = dissent[0];
        let mut diag = Diagnostic::warning(
            "auth-disagreement",
            format!(
                "the page disagrees about how it is called: {} ({}), but {} ({}); generated as {} to `{endpoint}`",
                list(&dissent),
                mode(primary.auth),
                list(&agree),
                mode(auth),
                mode(auth),
            ),
        )
        .at(primary.span.clone())
        .label(format!("says {}", mode(primary.auth)));
        for c in dissent.iter().skip(1) {
            diag = diag.related(c.span.clone(), format!("says {}", mode(c.auth)));
        }
        for c in &agree {
            diag = diag.related(c.span.clone(), format!("says {}", mode(c.auth)));
        }
        diags.push(diag.note_line(format!(
            "if that is wrong, settle it with `endpoint = \"…\"` in an [[action]] entry for `{}` in overrides.toml",
            d.name
        )));
    } else if line_segment.is_none() {
        let (what, span) = match &ev.line {
            Some((_, span)) => ("the endpoint line names no URL path", span.clone()),
            None => ("no `接口请求域名` line", Span::new(d.file, 0..0)),
        };
        diags.push(
            Diagnostic::warning(
                "endpoint",
                format!(
                    "{what}; the page says it is {}, so it goes to `{endpoint}`",
                    mode(auth)
                ),
            )
            .at(span),
        );
    }
    Some(Decided { endpoint, auth })
}

fn default_decided(service: &ServiceConfig) -> Decided {
    let seg = service.default_endpoint.clone();
    let auth = service
        .endpoints
        .get(&seg)
        .map_or(Auth::AccessToken, |e| e.auth);
    Decided {
        endpoint: seg,
        auth,
    }
}

/// The last path segment of an endpoint line
/// (`接口请求域名： \`iot.cloud.tencent.com/api/exploreropen/tokenapi\`。`).
pub(super) fn line_segment(line: &str) -> Option<String> {
    let rest = line.split_once(['：', ':']).map_or(line, |(_, r)| r);
    url_segment(rest)
}

/// The last path segment of a URL, trailing punctuation and markup removed.
fn url_segment(url: &str) -> Option<String> {
    let url: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`' && *c != '。')
        .collect();
    let url = url.trim_end_matches(['/', '.', '。']);
    let (_, seg) = url.rsplit_once('/')?;
    let ok = !seg.is_empty()
        && seg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| seg.to_string())
}

/// Takes the common parameters out of a draft's inputs: those of the
/// call's own auth mode, matched exactly. A row named like a parameter of
/// the other mode is a business field (a token page's `Signature` is a
/// device's), unless the page calls it a common parameter (公共参数): then
/// it is one the client does not send, and that is reported.
pub(super) fn lift_common(
    service: &ServiceConfig,
    auth: Auth,
    d: &mut Draft,
    diags: &mut Vec<Diagnostic>,
) {
    let common = &service.common_parameters;
    let own = common.of(auth);
    d.inputs.retain(|f| {
        let name = f.api_name.as_str();
        if own.contains(&name) {
            return false;
        }
        if common.all().contains(&name) && f.doc.contains("公共参数") {
            let (mode, other) = match auth {
                Auth::AccessToken => ("a token call", "signed calls"),
                Auth::Signed => ("a signed call", "token calls"),
            };
            diags.push(
                Diagnostic::warning(
                    "common-parameter",
                    format!("`{name}` is documented as a common parameter of {other}, but this is {mode}: the client does not send it"),
                )
                .at(f.name_span.clone()),
            );
            return false;
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_lines_in_all_forms() {
        for l in [
            "接口请求域名：`iot.cloud.tencent.com/api/exploreropen/tokenapi`。",
            "接口请求域名： iot.cloud.tencent.com/api/exploreropen/tokenapi",
            "接口请求域名：` iot.cloud.tencent.com/api/exploreropen/tokenapi`。",
            "接口请求域名：  `iot.cloud.tencent.com/api/exploreropen/tokenapi`",
            "接口请求域名: https://iot.cloud.tencent.com/api/exploreropen/tokenapi/",
        ] {
            assert_eq!(line_segment(l).as_deref(), Some("tokenapi"), "{l}");
        }
        assert_eq!(line_segment("接口请求域名： 接口请求域名替换"), None);
        assert_eq!(
            url_segment("https://iot.cloud.tencent.com/api/exploreropen/appapi").as_deref(),
            Some("appapi")
        );
    }
}
