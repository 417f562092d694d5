//! Actions documented by more than one page.
//!
//! The published docs have several pages for some actions (three for
//! `AppCreateProductResource`), with tables that mostly agree. The rule:
//! the pages are ranked by content alone, most rows first (inputs, outputs
//! and error codes), then by their bytes; the first is used, and what only
//! another page documents is merged into it in rank order (a field,
//! optional when it is an input; an error code; the examples), and every
//! page merged in, and every row on it that disagrees with the page used,
//! is reported where it is.
//!
//! Never by path: a published folder names pages by their titles, and
//! `import` names them by this rank (`X.md`, `X.2.md`, `X.3.md`), so that
//! the same pages give the same action and the same file names whatever
//! they were called.

use super::action_page::Draft;
use super::table::RawField;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceDb, Span};
use std::collections::BTreeMap;

/// One draft per action and sub-command.
pub(super) fn duplicates(
    db: &SourceDb,
    drafts: Vec<Draft>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Draft> {
    let mut groups: BTreeMap<(String, Option<String>), Vec<Draft>> = BTreeMap::new();
    for d in drafts {
        let key = (
            d.page_name.clone(),
            d.sub_command.as_ref().map(|s| s.value.clone()),
        );
        groups.entry(key).or_default().push(d);
    }
    let mut out = Vec::new();
    for (_, mut pages) in groups {
        if pages.len() == 1 {
            out.extend(pages);
            continue;
        }
        pages.sort_by(|a, b| rank(db, a).cmp(&rank(db, b)));
        let mut primary = pages.remove(0);
        let count = pages.len() + 1;
        for other in pages {
            diags.push(
                Diagnostic::warning(
                    "duplicate-action",
                    format!(
                        "`{}` is documented by {count} pages; `{}` is used (pages rank by rows, most first, then by their bytes), and what only this page documents is merged into it",
                        primary.name,
                        db.get(primary.file).path
                    ),
                )
                .at(Span::new(other.file, 0..0))
                .related(Span::new(primary.file, 0..0), "the page used"),
            );
            merge(&mut primary, other, diags);
        }
        out.push(primary);
    }
    out
}

/// A page's place among the pages of its action (see the module docs):
/// more rows first, then the bytes of the page.
fn rank<'a>(db: &'a SourceDb, d: &Draft) -> (std::cmp::Reverse<usize>, &'a [u8]) {
    let rows = d.inputs.len() + d.outputs.len() + d.errors.len();
    (std::cmp::Reverse(rows), db.get(d.file).text.as_bytes())
}

fn merge(primary: &mut Draft, other: Draft, diags: &mut Vec<Diagnostic>) {
    merge_fields(
        &mut primary.inputs,
        other.inputs,
        true,
        &primary.name,
        diags,
    );
    merge_fields(
        &mut primary.outputs,
        other.outputs,
        false,
        &primary.name,
        diags,
    );
    for e in other.errors {
        if !primary.errors.iter().any(|p| p.code == e.code) {
            primary.errors.push(e);
        }
    }
    primary.examples.extend(other.examples);
    // Names are per kind and must stay unique: `request_1`, `request_2`.
    let mut counts = [0usize; 3];
    for f in &mut primary.examples {
        let k = f.kind;
        counts[k as usize] += 1;
        f.name = format!("{}_{}", k.label(), counts[k as usize]);
    }
    primary.merged.push(other.file);
    primary.merged.extend(other.merged);
}

fn merge_fields(
    into: &mut Vec<RawField>,
    from: Vec<RawField>,
    inputs: bool,
    action: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for mut f in from {
        match into.iter().find(|p| p.api_name == f.api_name) {
            Some(p) => {
                if p.ty.is_ok() && f.ty.is_ok() && p.ty != f.ty {
                    diags.push(
                        Diagnostic::warning(
                            "duplicate-action",
                            format!(
                                "this page gives `{}` another type than the page used for `{action}`; the page used is followed",
                                f.api_name
                            ),
                        )
                        .at(f.ty_span.clone())
                        .related(p.ty_span.clone(), "the type used"),
                    );
                }
            }
            None => {
                let what = if inputs && f.required {
                    "added as an optional input, since the page used does not require it"
                } else {
                    "added"
                };
                diags.push(
                    Diagnostic::warning(
                        "duplicate-action",
                        format!(
                            "`{}` is documented only by this page of `{action}`; {what}",
                            f.api_name
                        ),
                    )
                    .at(f.name_span.clone()),
                );
                f.required = false;
                into.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    fn page(path: &str, rows: &[&str]) -> crate::InputFile {
        let mut text = "## 1. 接口描述\n本接口（AppX）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n".to_string();
        for r in rows {
            text.push_str(&format!("|{r}|String|否|x|\n"));
        }
        crate::InputFile {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }

    /// The pages are ranked by content, whatever their paths: most rows,
    /// then bytes (`A|B` before `A|C`), so renaming them changes nothing.
    #[test]
    fn pages_are_ranked_by_rows_then_bytes_never_by_path() {
        let (ab, ac, a) = (
            ["A", "B"].as_slice(),
            ["A", "C"].as_slice(),
            ["A"].as_slice(),
        );
        for paths in [
            ["1.md", "2.md", "3.md"],
            ["3.md", "2.md", "1.md"],
            ["X.2.md", "X.md", "X.3.md"],
        ] {
            let files = vec![page(paths[0], a), page(paths[1], ac), page(paths[2], ab)];
            let api = crate::load(files, None).api;
            let action = &api.actions[0];
            assert_eq!(action.source, paths[2], "{paths:?}");
            assert_eq!(action.other_sources, [paths[1], paths[0]], "{paths:?}");
        }
    }
}
