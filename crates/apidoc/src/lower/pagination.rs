//! Which actions page, found by a rule over their tables:
//!
//! - offset paging: integer `Offset` and `Limit` inputs, and one array
//!   output (an integer or text `Total` is the count when there is one);
//! - cursor paging: a text `Context` input and output, and one array
//!   output (`Limit` sets the page size, `Listover` is kept but never
//!   trusted alone: the docs disagree on what it means).
//!
//! The largest page size is read from the `Limit` row's description
//! (`最大值为 50`, `最多为50条`, `最大不超过100`). `overrides.toml` excludes
//! an action (`paginated = false`) or declares one the rule misses
//! (`[[pagination]]`); either is stale once the rule agrees.

use crate::diagnostic::Diagnostic;
use crate::ir::{Action, Field, Pagination, Type};
use crate::overrides::PaginationOverride;
use crate::source::Span;

/// What `overrides.toml` says about an action's paging.
#[derive(Debug, Clone)]
pub(super) enum Declared {
    /// `paginated = false`.
    Not(Span),
    /// A `[[pagination]]` entry.
    Is(Box<PaginationOverride>, Span),
}

/// The action's paging: the rule's, unless an override says otherwise.
pub(super) fn decide(
    name: &str,
    inputs: &[Field],
    outputs: &[Field],
    declared: Option<&Declared>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pagination> {
    let found = rule(inputs, outputs);
    match declared {
        None => found,
        Some(Declared::Not(span)) => {
            if found.is_none() {
                diags.push(stale(
                    span,
                    format!(
                        "the tables of `{name}` do not page: `paginated = false` changes nothing"
                    ),
                ));
            }
            None
        }
        Some(Declared::Is(p, span)) => {
            let declared = from_override(p, inputs, outputs, span, diags)?;
            if found.as_ref() == Some(&declared) {
                diags.push(stale(
                    span,
                    format!("the rule over the tables already finds this paging for `{name}`"),
                ));
            }
            Some(declared)
        }
    }
}

fn stale(span: &Span, message: String) -> Diagnostic {
    Diagnostic::error("stale-override", message)
        .at(span.clone())
        .note_line("remove it: the pages no longer need this correction")
}

fn field<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.api_name == name)
}

fn integer(f: &Field) -> bool {
    matches!(f.ty, Type::I64 | Type::U64)
}

/// The one array among the outputs, if there is exactly one.
fn the_array(outputs: &[Field]) -> Option<&Field> {
    let mut lists = outputs.iter().filter(|f| matches!(f.ty, Type::List(_)));
    let one = lists.next()?;
    lists.next().is_none().then_some(one)
}

fn rule(inputs: &[Field], outputs: &[Field]) -> Option<Pagination> {
    let items = the_array(outputs)?.api_name.clone();
    let limit = field(inputs, "Limit").filter(|f| integer(f));
    if let (Some(offset), Some(limit)) = (field(inputs, "Offset").filter(|f| integer(f)), limit) {
        let total = field(outputs, "Total")
            .filter(|f| integer(f) || f.ty == Type::String)
            .map(|f| f.api_name.clone());
        return Some(Pagination::Offset {
            offset: offset.api_name.clone(),
            limit: limit.api_name.clone(),
            items,
            total,
            max_limit: max_limit(&limit.doc),
        });
    }
    let cursor = field(inputs, "Context").filter(|f| f.ty == Type::String)?;
    let next = field(outputs, "Context").filter(|f| f.ty == Type::String)?;
    Some(Pagination::Cursor {
        cursor: cursor.api_name.clone(),
        next: next.api_name.clone(),
        items,
        limit: limit.map(|f| f.api_name.clone()),
        max_limit: limit.and_then(|f| max_limit(&f.doc)),
        done: field(outputs, "Listover").map(|f| f.api_name.clone()),
    })
}

/// `最大值为 50`, `最多为50条`, `最大返回50条`, `最大不超过100` -> the number.
pub(super) fn max_limit(doc: &str) -> Option<u64> {
    for (i, _) in doc.match_indices(['最']) {
        let rest = &doc[i + '最'.len_utf8()..];
        if !(rest.starts_with('大') || rest.starts_with('多')) {
            continue;
        }
        // The number must follow within a few characters (`值为 `, `返回`).
        let digits: String = rest
            .chars()
            .skip(1)
            .take(8)
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<u64>() {
            return Some(n);
        }
    }
    None
}

fn from_override(
    p: &PaginationOverride,
    inputs: &[Field],
    outputs: &[Field],
    span: &Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pagination> {
    let mut problems = Vec::new();
    let mut need = |fields: &[Field],
                    name: &Option<String>,
                    what: &str,
                    ok: fn(&Field) -> bool|
     -> Option<String> {
        let name = name.as_ref()?;
        match field(fields, name) {
            Some(f) if ok(f) => Some(name.clone()),
            Some(_) => {
                problems.push(format!("`{name}` is not {what}"));
                None
            }
            None => {
                problems.push(format!("no field `{name}` to be {what}"));
                None
            }
        }
    };
    let items = need(outputs, &Some(p.items.clone()), "an output array", |f| {
        matches!(f.ty, Type::List(_))
    });
    let limit = need(inputs, &p.limit, "an integer input", integer);
    let out = match (&p.offset, &p.cursor) {
        (Some(_), None) => {
            let offset = need(inputs, &p.offset, "an integer input", integer);
            let total = need(outputs, &p.total, "an integer or text output", |f| {
                integer(f) || f.ty == Type::String
            });
            if p.limit.is_none() {
                problems.push("offset paging needs `limit`".into());
            }
            match (offset, limit, items) {
                (Some(offset), Some(limit), Some(items)) if problems.is_empty() => {
                    Some(Pagination::Offset {
                        offset,
                        limit,
                        items,
                        total,
                        max_limit: p.max_limit,
                    })
                }
                _ => None,
            }
        }
        (None, Some(_)) => {
            let cursor = need(inputs, &p.cursor, "a text input", |f| f.ty == Type::String);
            let next = need(
                outputs,
                &p.next.clone().or_else(|| p.cursor.clone()),
                "a text output",
                |f| f.ty == Type::String,
            );
            let done = need(outputs, &p.done, "an output", |_| true);
            match (cursor, next, items) {
                (Some(cursor), Some(next), Some(items)) if problems.is_empty() => {
                    Some(Pagination::Cursor {
                        cursor,
                        next,
                        items,
                        limit,
                        max_limit: p.max_limit,
                        done,
                    })
                }
                _ => None,
            }
        }
        _ => {
            problems.push("say either `offset` (with `limit`) or `cursor`".into());
            None
        }
    };
    if !problems.is_empty() {
        diags.push(
            Diagnostic::error(
                "overrides",
                format!(
                    "this [[pagination]] entry cannot be used: {}",
                    problems.join("; ")
                ),
            )
            .at(span.clone()),
        );
        return None;
    }
    out
}

/// Says which actions page (a note listing them), and refuses a walker
/// whose `_pages` method would take another action's method name.
pub(super) fn report(actions: &[Action], diags: &mut Vec<Diagnostic>) {
    for a in actions.iter().filter(|a| a.pagination.is_some()) {
        let walker = crate::naming::with_suffix(&a.method, "pages");
        if let Some(other) = actions.iter().find(|b| b.method == walker) {
            diags.push(
                Diagnostic::error(
                    "name-clash",
                    format!(
                        "the walker `{walker}` of `{}` would take the method name of `{}`",
                        a.name, other.name
                    ),
                )
                .note_line(format!(
                    "exclude `{}` from paging with `paginated = false` in overrides.toml",
                    a.name
                )),
            );
        }
    }
    let paginated: Vec<String> = actions
        .iter()
        .filter_map(|a| {
            let how = match a.pagination.as_ref()? {
                Pagination::Offset { .. } => "offset",
                Pagination::Cursor { .. } => "cursor",
            };
            Some(format!("{} ({how})", a.method))
        })
        .collect();
    if !paginated.is_empty() {
        diags.push(
            Diagnostic::note(
                "paginated",
                format!(
                    "{} action(s) page, so each also gets a `_pages` walker over every page",
                    paginated.len()
                ),
            )
            .note_line(paginated.join(", ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::max_limit;

    #[test]
    fn page_size_limits_as_the_docs_write_them() {
        for (doc, want) in [
            ("最大返回消息条数，默认值为0，最大值为 50", Some(50)),
            ("返回条数的限制量，最多为50条", Some(50)),
            ("所需要查询的总限制量，最大返回50条", Some(50)),
            ("最大返回条数，最大不超过100", Some(100)),
            ("单次拉取数量，默认为10，最大不超过100。", Some(100)),
            ("获取到的总消息条数，最大为50", Some(50)),
            ("单页数据量", None),
        ] {
            assert_eq!(max_limit(doc), want, "{doc}");
        }
    }
}
