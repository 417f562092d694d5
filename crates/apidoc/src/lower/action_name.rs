//! The action's name: from the `本接口（X）` sentence, the Action row or the
//! request example, cross-checked against each other and the file name.

use crate::diagnostic::Diagnostic;
use crate::ir::FixedParam;
use crate::naming;
use crate::page::Block;
use crate::source::{FileId, SourceDb, Span};

/// Where a page names its action.
pub(super) struct Candidates {
    /// The `本接口（X）` sentence.
    pub(super) sentence: Option<(String, Span)>,
    /// The Action row's `本接口取值：X`.
    pub(super) row: Option<(String, Span)>,
    /// The request example's `"Action": "X"`.
    pub(super) example: Option<(String, Span)>,
}

/// The sentence wins (the action name comes from `本接口（X）`), then the
/// Action row, then the example. A sentence that names the sub-command is
/// not a candidate. Every disagreement is a warning.
pub(super) fn pick(
    db: &SourceDb,
    file: FileId,
    found: Candidates,
    sub: Option<&(FixedParam, Span)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let sentence = found
        .sentence
        .filter(|(s, _)| sub.is_none_or(|(p, _)| *s != p.value));
    let mut candidates: Vec<(&str, String, Span)> = Vec::new();
    for (what, c) in [
        ("the `本接口（…）` sentence", sentence),
        ("the Action row", found.row),
        ("the request example", found.example),
    ] {
        if let Some((v, span)) = c {
            candidates.push((what, v, span));
        }
    }
    let path = &db.get(file).path;
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .split(['.', '_'])
        .next()
        .unwrap_or("")
        .to_string();
    let Some((what, chosen, span)) = candidates.first().cloned() else {
        diags.push(
            Diagnostic::error("action-name", "cannot tell the action's name: expected `本接口（ActionName）`, an Action row with `本接口取值：ActionName`, or `\"Action\": \"ActionName\"` in the request example")
                .at(Span::new(file, 0..0)),
        );
        return None;
    };
    if !naming::is_api_identifier(&chosen) {
        diags.push(
            Diagnostic::error(
                "action-name",
                format!("`{chosen}` (from {what}) is not an action name: expected an ASCII letter, then letters, digits and `_`"),
            )
            .at(span),
        );
        return None;
    }
    let others: Vec<_> = candidates
        .iter()
        .skip(1)
        .filter(|(_, v, _)| *v != chosen)
        .collect();
    // Published file names are Chinese titles and seeds are hashes: only a
    // file name that looks like an action name is a witness.
    let stem_is_name = stem.starts_with(|c: char| c.is_ascii_alphabetic());
    let stem_differs = sub.is_none()
        && stem_is_name
        && stem != chosen
        && candidates.iter().all(|(_, v, _)| *v != stem);
    if !others.is_empty() || stem_differs {
        let mut d = Diagnostic::warning(
            "action-name-mismatch",
            format!("sources disagree on the action name; using `{chosen}` from {what}"),
        )
        .at(span)
        .label(format!("`{chosen}` taken from here"));
        for (w, v, s) in others {
            d = d.related(s.clone(), format!("{w} says `{v}`"));
        }
        if stem_differs {
            d = d.note_line(format!("the file name says `{stem}`"));
        }
        diags.push(d.note_line(
            "if the chosen name is wrong, fix it with an `[[action]]` rename in overrides.toml",
        ));
    }
    Some(chosen)
}

/// The `"Action": "X"` of the first example that has one, found in the
/// raw text so that broken JSON still counts.
pub(super) fn example_action(
    file: FileId,
    text: &str,
    blocks: &[&Block],
) -> Option<(String, Span)> {
    blocks.iter().find_map(|b| {
        let Block::Code(c) = b else { return None };
        let body = &text[c.content.clone()];
        let i = body.find("\"Action\"")?;
        let rest = &body[i + 8..];
        let rest_trim = rest
            .trim_start()
            .strip_prefix(':')?
            .trim_start()
            .strip_prefix('"')?;
        let end = rest_trim.find('"')?;
        let start = c.content.start + i + 8 + (rest.len() - rest_trim.len());
        Some((
            rest_trim[..end].to_string(),
            Span::new(file, start..start + end),
        ))
    })
}

/// Finds `本接口（X）` / `本接口(X)` and returns X with its byte range in `line`.
pub(super) fn find_sentence_name(line: &str) -> Option<(String, std::ops::Range<usize>)> {
    let i = line.find("本接口")? + "本接口".len();
    let rest = &line[i..];
    let open = rest.trim_start();
    let skipped = rest.len() - open.len();
    let inner = open.strip_prefix('（').or_else(|| open.strip_prefix('('))?;
    let start = i + skipped + (open.len() - inner.len());
    let end = inner.find(['）', ')'])?;
    let raw = &inner[..end];
    let name = raw.trim();
    let lead = raw.len() - raw.trim_start().len();
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| (name.to_string(), start + lead..start + lead + name.len()))
}

/// The value an Action row's description gives: `公共参数，本接口取值：X`,
/// `本接口取值X`, or just `X`. The value is read as written, up to white
/// space or the first non-ASCII character (`。`, Chinese text), less
/// stray trailing ASCII punctuation (`X.`), so that a value that is not an
/// identifier (`../../evil`) is a candidate the caller reports, not a
/// row silently read as naming nothing.
pub(super) fn action_value(doc: &str) -> Option<String> {
    let after = doc.rsplit_once("取值").map_or(doc, |(_, v)| v);
    let v: String = after
        .trim_start_matches([':', '：', ' '])
        .chars()
        .take_while(|c| c.is_ascii() && !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    let v = v.trim_end_matches(['.', ',', ';', ':']);
    (!v.is_empty()).then(|| v.to_string())
}

/// `本接口取值：song_url` in a non-common row makes it a constant; the
/// value is read as [`action_value`] reads it.
pub(super) fn fixed_value(doc: &str) -> Option<String> {
    if !doc.contains("本接口取值") {
        return None;
    }
    action_value(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_with_either_parentheses() {
        assert_eq!(
            find_sentence_name("本接口（AppGetProducts）获取").map(|x| x.0),
            Some("AppGetProducts".into())
        );
        assert_eq!(
            find_sentence_name("本接口(song_url)用于").map(|x| x.0),
            Some("song_url".into())
        );
        assert_eq!(
            find_sentence_name("本接口 （ X ）").map(|x| x.0),
            Some("X".into())
        );
        assert_eq!(find_sentence_name("本接口用于"), None);
        let line = "本接口（AppX）";
        let (_, r) = find_sentence_name(line).unwrap();
        assert_eq!(&line[r], "AppX");
    }

    #[test]
    fn action_row_values() {
        assert_eq!(
            action_value("公共参数，本接口取值：AppGetProducts").as_deref(),
            Some("AppGetProducts")
        );
        assert_eq!(
            action_value("公共参数，本接口取值AppDeleteTimer").as_deref(),
            Some("AppDeleteTimer")
        );
        assert_eq!(
            action_value("AppBindUserShareDevice。").as_deref(),
            Some("AppBindUserShareDevice")
        );
        assert_eq!(
            action_value("子命令，本接口取值：song_url").as_deref(),
            Some("song_url")
        );
        assert_eq!(fixed_value("产品 ID"), None);
        // Read as written: what is not an identifier is for the caller to report.
        assert_eq!(action_value("../../evil").as_deref(), Some("../../evil"));
        assert_eq!(
            action_value("公共参数，本接口取值：App-X 说明").as_deref(),
            Some("App-X")
        );
        assert_eq!(action_value("AppX.").as_deref(), Some("AppX"));
        assert_eq!(action_value("公共参数"), None);
    }
}
