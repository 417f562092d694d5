//! The action list and one action: what a method calls on the server
//! (wire name, sub-command, endpoint, credentials, reply shape, paging)
//! and its documented errors; its fields are compared in `fields`.

use super::fields::{FieldKind, Owner, field_list_changes, inputs_order_changes};
use super::{Out, bare, same_ignoring_case};
use crate::render::code;
use crate::{ChangeKind, Impact};
use apidoc::ir::{Action, Auth, FixedParam};
use std::collections::{BTreeMap, BTreeSet};

/// How an action is named on the wire, for sentences.
fn wire(a: &Action) -> String {
    match &a.sub_command {
        Some(p) => format!("{} with {}", code(&a.name), code(&fixed(p))),
        None => code(&a.name),
    }
}

fn fixed(p: &FixedParam) -> String {
    format!("{}={}", p.name, p.value)
}

pub(super) fn action_list_changes(old: &[Action], new: &[Action], out: &mut Out) {
    let old: BTreeMap<&str, &Action> = old.iter().map(|a| (a.method.as_str(), a)).collect();
    let new: BTreeMap<&str, &Action> = new.iter().map(|a| (a.method.as_str(), a)).collect();
    for (method, o) in &old {
        match new.get(method) {
            Some(n) => action_changes(o, n, out),
            None => out.push(
                ChangeKind::ActionRemoved,
                Impact::Breaking,
                &o.type_name,
                format!(
                    "action {} removed: `Client::{method}`, `{t}Request` and `{t}Response` no longer exist",
                    wire(o),
                    t = o.type_name
                ),
            ),
        }
    }
    for (method, n) in &new {
        if !old.contains_key(method) {
            out.push(
                ChangeKind::ActionAdded,
                Impact::Compatible,
                &n.type_name,
                format!(
                    "new action {}: `Client::{method}` with `{t}Request` and `{t}Response`",
                    wire(n),
                    t = n.type_name
                ),
            );
        }
    }
}

fn auth_label(a: Auth) -> &'static str {
    match a {
        Auth::AccessToken => "the access token",
        Auth::Signed => "an app key and secret (signed)",
    }
}

/// Two actions with the same method.
fn action_changes(o: &Action, n: &Action, out: &mut Out) {
    let Action {
        name,
        sub_command,
        method: _, // the key
        type_name,
        endpoint,
        auth,
        doc,
        source: _,        // where the page is, not what the crate does
        other_sources: _, // likewise
        inputs,
        outputs,
        errors,
        examples: _, // test data; changes with every doc edit
        data_wrapper,
        group,
        pagination,
    } = n;
    let subject = type_name.as_str();
    if o.group != *group {
        // Dependents that turned default features off and enabled only the
        // old group lose the method.
        let name = |g: &Option<String>| {
            g.as_deref()
                .map_or("no group (always compiled)".to_string(), code)
        };
        out.push(
            ChangeKind::GroupChanged,
            Impact::Breaking,
            subject,
            format!(
                "moved from {} to {}: crates that enable only some features may lose the method",
                name(&o.group),
                name(group)
            ),
        );
    }

    if o.name != *name {
        // The method is derived from the name, so the same method with
        // another name is usually a case fix (`OTA` -> `Ota`): the Rust API
        // is untouched and the docs now say how the server spells it. A
        // name that differs beyond case (possible when a sub-command picks
        // the method) is another server operation behind the same method.
        if same_ignoring_case(&o.name, name) {
            out.push(
                ChangeKind::ActionWireRenamed,
                Impact::Compatible,
                subject,
                format!(
                    "wire action name changed by case from {} to {}; the method is unchanged, calls now send {}",
                    code(&o.name),
                    code(name),
                    code(name)
                ),
            );
        } else {
            out.push(
                ChangeKind::ActionWireRenamed,
                Impact::Breaking,
                subject,
                format!(
                    "wire action name changed from {} to {}: `Client::{}` now calls a different server operation",
                    code(&o.name),
                    code(name),
                    n.method
                ),
            );
        }
    }
    if o.type_name != *type_name {
        out.push(
            ChangeKind::ActionTypesRenamed,
            Impact::Breaking,
            subject,
            format!(
                "`{o}Request` and `{o}Response` renamed to `{n}Request` and `{n}Response`",
                o = o.type_name,
                n = type_name
            ),
        );
    }
    sub_command_changes(o.sub_command.as_ref(), sub_command.as_ref(), subject, out);
    if o.endpoint != *endpoint {
        out.push(
            ChangeKind::EndpointChanged,
            Impact::Breaking,
            subject,
            format!(
                "endpoint changed from {} to {}: calls go to another URL",
                code(&o.endpoint),
                code(endpoint)
            ),
        );
    }
    if o.auth != *auth {
        // A client configured for the old credentials fails before sending.
        out.push(
            ChangeKind::AuthChanged,
            Impact::Breaking,
            subject,
            format!(
                "authentication changed from {} to {}: clients without those credentials now fail",
                auth_label(o.auth),
                auth_label(*auth)
            ),
        );
    }
    if o.data_wrapper != *data_wrapper {
        // Same Rust types, but the response is decoded from another place:
        // against the old wire shape every field would come back `None`.
        let detail = if *data_wrapper {
            "replies are now read from a `Data` object: the expected wire shape of the response changed"
        } else {
            "replies are no longer read from a `Data` object: the expected wire shape of the response changed"
        };
        out.push(
            ChangeKind::ReplyWrappingChanged,
            Impact::Breaking,
            subject,
            detail,
        );
    }
    if o.pagination != *pagination {
        let walker = format!("`Client::{}_pages`", bare(&n.method));
        let (impact, detail) = match (&o.pagination, pagination) {
            (None, Some(_)) => (
                Impact::Compatible,
                format!("its replies page: new walker {walker}"),
            ),
            (Some(_), None) => (
                Impact::Breaking,
                format!("no longer paginated: {walker} no longer exists"),
            ),
            // Another items field changes what `collect_items` returns;
            // another kind of paging, what the walker sends.
            _ => (
                Impact::Breaking,
                format!("pages differently: {walker} walks other fields"),
            ),
        };
        out.push(ChangeKind::PaginationChanged, impact, subject, detail);
    }
    if o.doc != *doc {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            subject,
            "description changed",
        );
    }
    error_list_changes(&o.errors, errors, subject, out);

    let input = Owner {
        role: FieldKind::Input,
        prefix: format!("{type_name} input"),
        type_name,
    };
    let pairs = field_list_changes(&input, &o.inputs, inputs, out);
    inputs_order_changes(&o.inputs, inputs, pairs, type_name, out);
    let output = Owner {
        role: FieldKind::Output,
        prefix: format!("{type_name} output"),
        type_name,
    };
    field_list_changes(&output, &o.outputs, outputs, out);
}

/// The sub-command is a constant parameter that selects what the server
/// does, so it is treated like the endpoint: any change is a change of
/// behaviour, except a case-only respelling, which is handled like a
/// case-only wire rename (the docs now say how the server spells it).
fn sub_command_changes(
    o: Option<&FixedParam>,
    n: Option<&FixedParam>,
    subject: &str,
    out: &mut Out,
) {
    let (impact, detail) = match (o, n) {
        (None, None) => return,
        (Some(o), Some(n)) if o == n => return,
        (None, Some(n)) => (
            Impact::Breaking,
            format!("calls now also send the sub-command {}", code(&fixed(n))),
        ),
        (Some(o), None) => (
            Impact::Breaking,
            format!("calls no longer send the sub-command {}", code(&fixed(o))),
        ),
        (Some(o), Some(n)) if same_ignoring_case(&fixed(o), &fixed(n)) => (
            Impact::Compatible,
            format!(
                "sub-command respelled by case from {} to {}; the Rust API is unchanged, calls now send {}",
                code(&fixed(o)),
                code(&fixed(n)),
                code(&fixed(n))
            ),
        ),
        (Some(o), Some(n)) => (
            Impact::Breaking,
            format!(
                "sub-command changed from {} to {}: the method now selects another server operation",
                code(&fixed(o)),
                code(&fixed(n))
            ),
        ),
    };
    out.push(ChangeKind::SubCommandChanged, impact, subject, detail);
}

/// The per-action error list only feeds the method's docs; the
/// `ErrorCode` enum is compared separately.
fn error_list_changes(old: &[String], new: &[String], type_name: &str, out: &mut Out) {
    if old == new {
        return;
    }
    let (o, n): (BTreeSet<&String>, BTreeSet<&String>) =
        (old.iter().collect(), new.iter().collect());
    let list = |set: Vec<&&String>| set.iter().map(|c| code(c)).collect::<Vec<_>>().join(", ");
    let added: Vec<_> = n.difference(&o).collect();
    let removed: Vec<_> = o.difference(&n).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("now documents {}", list(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer documents {}", list(removed)));
    }
    if parts.is_empty() {
        parts.push("documented error codes reordered".to_string());
    }
    out.push(
        ChangeKind::ErrorListChanged,
        Impact::Documentation,
        &format!("{type_name} errors"),
        parts.join("; "),
    );
}
