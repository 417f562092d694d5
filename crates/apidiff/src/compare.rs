//! The comparison: old IR and new IR -> classified changes.
//!
//! IR structs are destructured without `..` on the new side, so that a
//! field added to the IR fails to compile here until someone decides how a
//! change to it affects callers.

use crate::render::code;
use crate::{Change, ChangeKind, Impact, Report};
use apidoc::ir::{Action, Api, Auth, ErrorCode, Field, FixedParam, Service, Session, Struct, Type};
use std::collections::{BTreeMap, BTreeSet};

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
    crate::channel::changes(old.channel.as_ref(), channel.as_ref(), &mut out);
    Report::from_changes(out.0)
}

/// `Login` and its constructors: a constructor removed or taking other
/// parameters breaks its callers; where the token is read from only
/// changes what the client does.
fn session_changes(old: Option<&Session>, new: Option<&Session>, out: &mut Out) {
    let subject = "Login";
    match (old, new) {
        (None, None) => {}
        (None, Some(_)) => out.push(
            ChangeKind::SessionChanged,
            Impact::Compatible,
            subject,
            "new: the client can log in by itself (`ClientBuilder::login(Login::..)`)",
        ),
        (Some(_), None) => out.push(
            ChangeKind::SessionChanged,
            Impact::Breaking,
            subject,
            "`Login` no longer exists: the client cannot log in by itself",
        ),
        (Some(o), Some(n)) => {
            let Session {
                login,
                token,
                expires_at,
                invalid_token_codes,
                logins,
            } = n;
            for f in &o.logins {
                match logins.iter().find(|x| x.name == f.name) {
                    None => out.push(
                        ChangeKind::SessionChanged,
                        Impact::Breaking,
                        subject,
                        format!("`Login::{}` removed", f.name),
                    ),
                    Some(x) if x.args != f.args => out.push(
                        ChangeKind::SessionChanged,
                        Impact::Breaking,
                        subject,
                        format!(
                            "`Login::{}` takes other parameters: ({}) instead of ({})",
                            f.name,
                            x.args.join(", "),
                            f.args.join(", ")
                        ),
                    ),
                    Some(x) if x.set != f.set => out.push(
                        ChangeKind::SessionChanged,
                        Impact::Compatible,
                        subject,
                        format!("`Login::{}` sends other constant inputs", f.name),
                    ),
                    Some(_) => {}
                }
            }
            for f in logins
                .iter()
                .filter(|x| !o.logins.iter().any(|f| f.name == x.name))
            {
                out.push(
                    ChangeKind::SessionChanged,
                    Impact::Compatible,
                    subject,
                    format!("new constructor `Login::{}`", f.name),
                );
            }
            if o.login != *login
                || o.token != *token
                || o.expires_at != *expires_at
                || o.invalid_token_codes != *invalid_token_codes
            {
                out.push(
                    ChangeKind::SessionChanged,
                    Impact::Compatible,
                    subject,
                    "the login action, where its reply has the token, or the codes that refuse a token changed",
                );
            }
        }
    }
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

fn service_changes(old: &Service, new: &Service, out: &mut Out) {
    // `version` is what the report's bump computes. `common_parameters`
    // only reaches the API through the inputs it removes, and those are
    // compared field by field (an input that becomes common is a removed
    // input).
    let Service {
        crate_name,
        version: _,
        description,
        default_base_url,
        common_parameters: _,
        groups,
    } = new;
    let subject = "crate";
    // A removed feature breaks every dependent that enables it by name; a
    // new one is on by default, so nobody notices.
    for g in &old.groups {
        if !groups.contains(g) {
            out.push(
                ChangeKind::FeatureChanged,
                Impact::Breaking,
                subject,
                format!(
                    "feature {} removed: dependents that enable it no longer build",
                    code(g)
                ),
            );
        }
    }
    for g in groups {
        if !old.groups.contains(g) {
            out.push(
                ChangeKind::FeatureChanged,
                Impact::Compatible,
                subject,
                format!("feature {} added (on by default)", code(g)),
            );
        }
    }
    if old.crate_name != *crate_name {
        out.push(
            ChangeKind::CrateRenamed,
            Impact::Breaking,
            subject,
            format!(
                "package renamed from {} to {}: dependents must change their `Cargo.toml` and paths",
                code(&old.crate_name),
                code(crate_name)
            ),
        );
    }
    if old.default_base_url != *default_base_url {
        // Clients built without `base_url(...)` now talk to another host.
        out.push(
            ChangeKind::BaseUrlChanged,
            Impact::Breaking,
            subject,
            format!(
                "default base URL changed from {} to {}: clients that do not set `base_url` call another server",
                code(&old.default_base_url),
                code(default_base_url)
            ),
        );
    }
    if old.description != *description {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            subject,
            "crate description changed",
        );
    }
}

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

fn action_list_changes(old: &[Action], new: &[Action], out: &mut Out) {
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

/// Where a list of fields lives; decides the impact of field changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    /// Request: required fields are `new` parameters, optional ones
    /// `Option` with a `with_*` setter.
    Input,
    /// Response: every field is `Option`.
    Output,
    /// Structure: `#[non_exhaustive]`, built with `new` and setters. One
    /// used in requests (`input`) takes its required fields in `new`, like
    /// a request; one only read from replies has every field `Option`.
    StructField {
        /// Used in some request.
        input: bool,
    },
}

impl FieldKind {
    /// Whether required fields are plain and taken by `new`.
    fn builds_required(self) -> bool {
        matches!(
            self,
            FieldKind::Input | FieldKind::StructField { input: true }
        )
    }
}

struct Owner<'a> {
    role: FieldKind,
    /// `AppGetProducts input`, ``structure `DeviceInfo` field``.
    prefix: String,
    /// Action type name or structure name, for sentences.
    type_name: &'a str,
}

impl Owner<'_> {
    /// The constructor callers use: `AppXRequest::new` or `Struct::new`.
    fn ctor(&self) -> String {
        match self.role {
            FieldKind::Input => format!("{}Request::new", self.type_name),
            _ => format!("{}::new", self.type_name),
        }
    }

    fn subject(&self, api_name: &str) -> String {
        format!("{} {}", self.prefix, code(api_name))
    }

    fn noun(&self) -> &'static str {
        match self.role {
            FieldKind::Input => "input",
            FieldKind::Output => "output",
            FieldKind::StructField { .. } => "field",
        }
    }
}

/// A type as callers write it.
fn rust_type(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::I64 => "i64".into(),
        Type::U64 => "u64".into(),
        Type::F64 => "f64".into(),
        Type::Bool => "bool".into(),
        Type::Json => "serde_json::Value".into(),
        Type::List(inner) => format!("Vec<{}>", rust_type(inner)),
        Type::Struct { name, boxed: true } => format!("Box<{name}>"),
        Type::Struct { name, boxed: false } => name.clone(),
    }
}

/// The Rust name without `r#`, as it appears in `with_*` setters.
fn bare(rust_name: &str) -> &str {
    rust_name.trim_start_matches("r#")
}

/// Pairs old and new items by wire name; then, among the rest, by wire
/// name ignoring case when the Rust name is the same (a case-only rename
/// the Rust API does not see). What stays unpaired was removed or added:
/// a respelling that changes the Rust name is a remove plus an add, which
/// is exactly what callers experience.
struct Matched {
    /// `(old index, new index)`.
    pairs: Vec<(usize, usize)>,
    removed: Vec<usize>,
    added: Vec<usize>,
}

fn match_items<T>(
    old: &[T],
    new: &[T],
    wire: impl Fn(&T) -> &str,
    rust: impl Fn(&T) -> &str,
) -> Matched {
    let mut used = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for (i, o) in old.iter().enumerate() {
        match (0..new.len()).find(|&j| !used[j] && wire(&new[j]) == wire(o)) {
            Some(j) => {
                used[j] = true;
                pairs.push((i, j));
            }
            None => unpaired.push(i),
        }
    }
    let mut removed = Vec::new();
    for i in unpaired {
        let o = &old[i];
        let fallback = |j: &usize| {
            !used[*j] && rust(&new[*j]) == rust(o) && same_ignoring_case(wire(&new[*j]), wire(o))
        };
        match (0..new.len()).find(fallback) {
            Some(j) => {
                used[j] = true;
                pairs.push((i, j));
            }
            None => removed.push(i),
        }
    }
    let added = (0..new.len()).filter(|&j| !used[j]).collect();
    Matched {
        pairs,
        removed,
        added,
    }
}

/// Returns the `(old, new)` index pairs of the fields on both sides.
fn field_list_changes(
    owner: &Owner,
    old: &[Field],
    new: &[Field],
    out: &mut Out,
) -> Vec<(usize, usize)> {
    let m = match_items(old, new, |f| &f.api_name, |f| &f.rust_name);
    for &(i, j) in &m.pairs {
        field_changes(owner, &old[i], &new[j], out);
    }
    for &i in &m.removed {
        let f = &old[i];
        let what = match (owner.role, f.required) {
            (r, true) if r.builds_required() => {
                format!(
                    "`{}` loses its `{}` parameter",
                    owner.ctor(),
                    bare(&f.rust_name)
                )
            }
            (r, false) if r.builds_required() => {
                format!(
                    "field `{}` and setter `with_{}` no longer exist",
                    f.rust_name,
                    bare(&f.rust_name)
                )
            }
            _ => format!("field `{}` no longer exists", f.rust_name),
        };
        out.push(
            ChangeKind::FieldRemoved,
            Impact::Breaking,
            &owner.subject(&f.api_name),
            format!("{} removed: {what}", owner.noun()),
        );
    }
    for &j in &m.added {
        let f = &new[j];
        let t = rust_type(&f.ty);
        let (impact, detail) = match (owner.role, f.required) {
            (r, true) if r.builds_required() => (
                Impact::Breaking,
                format!(
                    "new required {}: `{}` takes a new parameter `{}: {t}`",
                    owner.noun(),
                    owner.ctor(),
                    bare(&f.rust_name)
                ),
            ),
            (r, false) if r.builds_required() => (
                Impact::Compatible,
                format!(
                    "new optional {} `{}: Option<{t}>`, set with `with_{}`",
                    owner.noun(),
                    f.rust_name,
                    bare(&f.rust_name)
                ),
            ),
            // Responses and structures are all-`Option` and
            // `#[non_exhaustive]`: nobody can have listed every field.
            (FieldKind::Output, _) => (
                Impact::Compatible,
                format!("new output field `{}: Option<{t}>`", f.rust_name),
            ),
            (FieldKind::StructField { .. } | FieldKind::Input, _) => (
                Impact::Compatible,
                format!("new field `{}: Option<{t}>`", f.rust_name),
            ),
        };
        out.push(
            ChangeKind::FieldAdded,
            impact,
            &owner.subject(&f.api_name),
            detail,
        );
    }
    m.pairs
}

/// A field present on both sides.
fn field_changes(owner: &Owner, o: &Field, n: &Field, out: &mut Out) {
    let Field {
        api_name,
        rust_name,
        ty,
        required,
        doc,
        sensitive,
    } = n;
    let subject = owner.subject(api_name);
    let subject = subject.as_str();

    if o.api_name != *api_name {
        // Only a case-only respelling with the same Rust name gets here.
        let direction = match owner.role {
            FieldKind::Input => "requests now send",
            FieldKind::Output => "responses are now read from",
            FieldKind::StructField { .. } => "the structure is now (de)serialized as",
        };
        out.push(
            ChangeKind::FieldWireRenamed,
            Impact::Compatible,
            subject,
            format!(
                "wire name changed by case from {} to {}; the Rust field `{}` is unchanged, but {direction} {}",
                code(&o.api_name),
                code(api_name),
                rust_name,
                code(api_name)
            ),
        );
    }
    if o.rust_name != *rust_name {
        out.push(
            ChangeKind::FieldRustRenamed,
            Impact::Breaking,
            subject,
            format!(
                "Rust field renamed from `{}` to `{}` (same wire name)",
                o.rust_name, rust_name
            ),
        );
    }
    if o.ty != *ty {
        out.push(
            ChangeKind::FieldRetyped,
            Impact::Breaking,
            subject,
            format!(
                "type changed from `{}` to `{}`",
                rust_type(&o.ty),
                rust_type(ty)
            ),
        );
    }
    if o.required != *required {
        let kind = if *required {
            ChangeKind::FieldMadeRequired
        } else {
            ChangeKind::FieldMadeOptional
        };
        let t = rust_type(ty);
        let (impact, detail) = match (owner.role, *required) {
            (r, true) if r.builds_required() => (
                Impact::Breaking,
                format!(
                    "now required: `{}` takes `{}: {t}`, the field is no longer `Option` and `with_{}` is gone",
                    owner.ctor(),
                    bare(rust_name),
                    bare(rust_name)
                ),
            ),
            // Dropping a `new` parameter breaks every call of `new`, and
            // the field's type becomes `Option<T>`: as breaking as the
            // opposite direction.
            (r, false) if r.builds_required() => (
                Impact::Breaking,
                format!(
                    "now optional: `{}` no longer takes `{}`, the field becomes `Option<{t}>` set with `with_{}`",
                    owner.ctor(),
                    bare(rust_name),
                    bare(rust_name)
                ),
            ),
            // Responses and reply-only structures are `Option` whatever
            // the docs say; only what callers should fill in changed.
            (_, true) => (
                Impact::Documentation,
                "the docs now mark it required; the generated field stays `Option`".into(),
            ),
            (_, false) => (
                Impact::Documentation,
                "the docs no longer mark it required; the generated field stays `Option`".into(),
            ),
        };
        out.push(kind, impact, subject, detail);
    }
    if o.sensitive != *sensitive {
        // `Debug` output is not an API; but callers who log requests
        // should know when a value starts to appear in their logs.
        let detail = if *sensitive {
            "`Debug` now redacts its value"
        } else {
            "`Debug` now prints its value (no longer redacted)"
        };
        out.push(
            ChangeKind::FieldRedactionChanged,
            Impact::Compatible,
            subject,
            detail,
        );
    }
    if o.doc != *doc {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            subject,
            "description changed",
        );
    }
}

/// `new` takes the required inputs in table order. If two of them swap,
/// calls may still compile (two `String`s) and silently fill the wrong
/// fields: the worst kind of break, so it gets its own change.
fn inputs_order_changes(
    old: &[Field],
    new: &[Field],
    pairs: Vec<(usize, usize)>,
    type_name: &str,
    out: &mut Out,
) {
    let mut kept: Vec<(usize, usize)> = pairs
        .into_iter()
        .filter(|&(i, j)| old[i].required && new[j].required)
        .collect();
    // In old order, the new positions must still increase.
    kept.sort_unstable();
    if kept.windows(2).all(|w| w[0].1 < w[1].1) {
        return;
    }
    let name = |j: usize| format!("`{}`", bare(&new[j].rust_name));
    let before: Vec<String> = kept.iter().map(|&(_, j)| name(j)).collect();
    let mut now: Vec<usize> = kept.iter().map(|&(_, j)| j).collect();
    now.sort_unstable();
    let (before, after) = (
        before.join(", "),
        now.into_iter().map(name).collect::<Vec<_>>().join(", "),
    );
    out.push(
        ChangeKind::InputsReordered,
        Impact::Breaking,
        &format!("{type_name} inputs"),
        format!(
            "`{type_name}Request::new` takes its parameters in another order: ({after}), was ({before}); calls may still compile but fill the wrong fields"
        ),
    );
}

fn struct_list_changes(old: &[Struct], new: &[Struct], out: &mut Out) {
    let old: BTreeMap<&str, &Struct> = old.iter().map(|s| (s.rust_name.as_str(), s)).collect();
    let new: BTreeMap<&str, &Struct> = new.iter().map(|s| (s.rust_name.as_str(), s)).collect();
    for (name, o) in &old {
        match new.get(name) {
            Some(n) => struct_changes(o, n, out),
            None => out.push(
                ChangeKind::StructRemoved,
                Impact::Breaking,
                &format!("structure `{name}`"),
                format!("structure removed: the type `{name}` no longer exists"),
            ),
        }
    }
    for (name, n) in &new {
        if !old.contains_key(name) {
            out.push(
                ChangeKind::StructAdded,
                Impact::Compatible,
                &format!("structure `{name}`"),
                if n.api_name == *name {
                    format!("new structure `{name}`")
                } else {
                    format!("new structure `{name}` ({} in the docs)", code(&n.api_name))
                },
            );
        }
    }
}

fn struct_changes(o: &Struct, n: &Struct, out: &mut Out) {
    // `groups` follows from the actions that use the structure, which are
    // compared (and classified) on their own.
    let Struct {
        api_name,
        rust_name,
        doc,
        fields,
        groups: _,
        input,
    } = n;
    let subject = format!("structure `{rust_name}`");
    if o.api_name != *api_name {
        // The heading only names the structure in its docs and anchors.
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            &subject,
            format!(
                "heading on the structures page changed from {} to {}",
                code(&o.api_name),
                code(api_name)
            ),
        );
    }
    if o.doc != *doc {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            &subject,
            "description changed",
        );
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| bare(&f.rust_name))
        .collect();
    if o.input != *input && !required.is_empty() {
        // Which fields are `Option` and what `new` takes follow from
        // whether a request uses the structure.
        let detail = if *input {
            format!(
                "now used in a request: its required fields ({}) are no longer `Option` and `{rust_name}::new` takes them",
                required.join(", ")
            )
        } else {
            format!(
                "no longer used in any request: its required fields ({}) become `Option` and `{rust_name}::new` no longer takes them",
                required.join(", ")
            )
        };
        out.push(
            ChangeKind::StructUsageChanged,
            Impact::Breaking,
            &subject,
            detail,
        );
    }
    // Field by field under the old usage, so that a usage change is not
    // reported once more per field.
    let owner = Owner {
        role: FieldKind::StructField { input: o.input },
        prefix: format!("{subject} field"),
        type_name: rust_name,
    };
    field_list_changes(&owner, &o.fields, fields, out);
}

fn error_code_changes(old: &[ErrorCode], new: &[ErrorCode], out: &mut Out) {
    let subject = |c: &str| format!("error code {}", code(c));
    let m = match_items(old, new, |e| &e.code, |e| &e.variant);
    for &(i, j) in &m.pairs {
        let o = &old[i];
        let ErrorCode {
            code: wire,
            variant,
            description,
        } = &new[j];
        let s = subject(wire);
        if o.code != *wire {
            out.push(
                ChangeKind::ErrorCodeWireRenamed,
                Impact::Compatible,
                &s,
                format!(
                    "wire spelling changed by case from {} to {}; `ErrorCode::{variant}` is unchanged, but {} now parses as `ErrorCode::Unknown`",
                    code(&o.code),
                    code(wire),
                    code(&o.code)
                ),
            );
        }
        if o.variant != *variant {
            out.push(
                ChangeKind::ErrorVariantRenamed,
                Impact::Breaking,
                &s,
                format!(
                    "variant renamed from `ErrorCode::{}` to `ErrorCode::{variant}`",
                    o.variant
                ),
            );
        }
        if o.description != *description {
            out.push(
                ChangeKind::DocChanged,
                Impact::Documentation,
                &s,
                "description changed",
            );
        }
    }
    for &i in &m.removed {
        let o = &old[i];
        out.push(
            ChangeKind::ErrorCodeRemoved,
            Impact::Breaking,
            &subject(&o.code),
            format!(
                "error code removed: `ErrorCode::{}` no longer exists and {} now parses as `ErrorCode::Unknown`",
                o.variant,
                code(&o.code)
            ),
        );
    }
    for &j in &m.added {
        let n = &new[j];
        // `ErrorCode` is `#[non_exhaustive]`: matches already have a `_` arm.
        out.push(
            ChangeKind::ErrorCodeAdded,
            Impact::Compatible,
            &subject(&n.code),
            format!(
                "new error code: `ErrorCode::{}` (it parsed as `ErrorCode::Unknown` before)",
                n.variant
            ),
        );
    }
}
