//! Actions documented by more than one page.
//!
//! The published docs have several pages for some actions (three for
//! `AppCreateProductResource`), with tables that mostly agree. The rule:
//! the page that documents the most rows (inputs, outputs and error codes)
//! is used, the first in path order on a tie (`X.md` before `X.2.md`); what only another page
//! documents is merged into it (a field, optional when it is an input; an
//! error code; the examples), and every page merged in, and every row on
//! it that disagrees with the page used, is reported where it is.

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
        pages.sort_by_key(|p| page_order(&db.get(p.file).path));
        let rows = |d: &Draft| d.inputs.len() + d.outputs.len() + d.errors.len();
        // The first of the pages with the most rows.
        let best = (0..pages.len())
            .rev()
            .max_by_key(|&i| rows(&pages[i]))
            .unwrap_or(0);
        let mut primary = pages.remove(best);
        let count = pages.len() + 1;
        for other in pages {
            diags.push(
                Diagnostic::warning(
                    "duplicate-action",
                    format!(
                        "`{}` is documented by {count} pages; `{}` is used, as the one with the most rows, and what only this page documents is merged into it",
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

/// Path order, except that a page numbered `X.<n>.md` (how `import` names
/// an action's later pages) comes after `X.md` and in the order of `n`.
fn page_order(path: &str) -> (String, u64) {
    let numbered = path.strip_suffix(".md").and_then(|stem| {
        let (base, n) = stem.rsplit_once('.')?;
        let n: u64 = n.parse().ok()?;
        Some((format!("{base}.md"), n))
    });
    numbered.unwrap_or_else(|| (path.to_string(), 1))
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
