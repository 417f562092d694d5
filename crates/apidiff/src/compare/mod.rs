//! The comparison: old IR and new IR -> classified changes.
//!
//! IR structs are destructured without `..` on the new side, so that a
//! field added to the IR fails to compile here until someone decides how a
//! change to it affects callers.

mod actions;
mod channel;
mod error_codes;
mod fields;
mod matching;
mod service;
mod session;
mod structs;

use crate::{Change, ChangeKind, Impact, Report};
use actions::action_list_changes;
use apidoc::ir::Api;
use error_codes::error_code_changes;
use service::service_changes;
use session::session_changes;
use structs::struct_list_changes;

/// Every change from `old` to `new` that users of the generated crate can
/// notice, classified and sorted.
///
/// Matching: actions by `method` (the Rust name callers use), fields by
/// wire name with a case-insensitive fallback for case-only renames that
/// keep the Rust name, structures by Rust name, error codes by code (with
/// the same case fallback).
///
/// Not compared, on purpose:
/// - an action's `examples`: they are test data from the docs, change with
///   every doc edit (masked ids, timestamps) and do not reach the API;
/// - an action's `source`: the page path says where the docs live, not
///   what the crate does;
/// - the crate `version`: it is what the report's bump computes;
/// - the service's `common_parameters`: they reach the API only by being
///   left out of the inputs, which are compared field by field.
pub fn diff(old: &Api, new: &Api) -> Report {
    let Api {
        service,
        actions,
        structs,
        error_codes,
        session,
        channel,
    } = new;
    let mut out = Out::default();
    service_changes(&old.service, service, &mut out);
    action_list_changes(&old.actions, actions, &mut out);
    struct_list_changes(&old.structs, structs, &mut out);
    error_code_changes(&old.error_codes, error_codes, &mut out);
    session_changes(old.session.as_ref(), session.as_ref(), &mut out);
    channel::changes(old.channel.as_ref(), channel.as_ref(), &mut out);
    Report::from_changes(out.0)
}

/// Collects changes; keeps call sites to one line each.
#[derive(Default)]
pub(crate) struct Out(Vec<Change>);

impl Out {
    pub(crate) fn push(
        &mut self,
        kind: ChangeKind,
        impact: Impact,
        subject: &str,
        detail: impl Into<String>,
    ) {
        self.0.push(Change {
            kind,
            impact,
            subject: subject.to_string(),
            detail: detail.into(),
        });
    }
}

/// Case-insensitive equality for the case-only rename checks.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// The Rust name without `r#`, as it appears in `with_*` setters.
fn bare(rust_name: &str) -> &str {
    rust_name.trim_start_matches("r#")
}
