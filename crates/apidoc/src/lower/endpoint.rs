//! The endpoint line (`接口请求域名：iot.cloud.tencent.com/api/exploreropen/tokenapi`)
//! and the auth mode `service.toml` gives its last path segment.

use crate::diagnostic::Diagnostic;
use crate::ir::Auth;
use crate::service::ServiceConfig;
use crate::source::{FileId, Span};

/// The endpoint segment and auth mode of a page, from its endpoint line
/// (the default endpoint when it names none).
pub(super) fn resolve(
    service: &ServiceConfig,
    file: FileId,
    line: Option<(String, Span)>,
    diags: &mut Vec<Diagnostic>,
) -> (String, Auth) {
    let default = service.default_endpoint.clone();
    let known: Vec<_> = service.endpoints.keys().cloned().collect();
    let found = line.as_ref().and_then(|(l, _)| segment(l));
    let segment = match (&line, found) {
        (_, Some(seg)) => seg,
        (Some((_, span)), None) => {
            diags.push(
                Diagnostic::warning(
                    "endpoint",
                    format!(
                        "endpoint line names no URL path; using the default endpoint `{default}`"
                    ),
                )
                .at(span.clone())
                .label("expected something like `iot.cloud.tencent.com/api/exploreropen/tokenapi`"),
            );
            default.clone()
        }
        (None, None) => {
            diags.push(
                Diagnostic::warning(
                    "endpoint",
                    format!("no `接口请求域名` line; using the default endpoint `{default}`"),
                )
                .at(Span::new(file, 0..0)),
            );
            default.clone()
        }
    };
    match service.endpoints.get(&segment) {
        Some(e) => (segment, e.auth),
        None => {
            let mut d = Diagnostic::error(
                "endpoint",
                format!(
                    "unknown endpoint `{segment}`: expected one of {}",
                    known.join(", ")
                ),
            )
            .note_line("declare it under [endpoints] in service.toml with its auth mode");
            if let Some((_, span)) = line {
                d = d.at(span);
            }
            diags.push(d);
            (segment, Auth::AccessToken)
        }
    }
}

/// The last path segment of an endpoint line
/// (`接口请求域名： \`iot.cloud.tencent.com/api/exploreropen/tokenapi\`。`).
fn segment(line: &str) -> Option<String> {
    let rest = line.split_once(['：', ':']).map_or(line, |(_, r)| r);
    let url: String = rest
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
            assert_eq!(segment(l).as_deref(), Some("tokenapi"), "{l}");
        }
        assert_eq!(segment("接口请求域名： 接口请求域名替换"), None);
    }
}
