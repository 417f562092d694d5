//! Pages -> IR, in steps with plain data between them (numbered as in
//! ARCHITECTURE.md):
//!
//! 1. [`classify`] tells interface pages, structures pages and other pages
//!    apart by content;
//! 2. `action_page` reads an interface page into a `Draft` (`action_name`
//!    picks its name, `table` reads its tables), or hands a page whose
//!    endpoint is a WebSocket to `channel`; `structures` reads the
//!    structures page into `StructDef`s;
//! 3. `merge` folds the pages of one action into one draft;
//! 4. `apply_overrides` applies `overrides.toml` to drafts and structures;
//! 5. `auth` decides each action's endpoint and auth mode from all the
//!    evidence of its pages, and lifts the common parameters of that mode
//!    out of its inputs;
//! 6. `resolve` indexes and names the structures, keeps those an action or
//!    a channel message reaches and resolves every type; `cycles` boxes
//!    recursive fields;
//! 7. `actions` turns drafts into IR actions, checks their examples, asks
//!    `pagination` whether each pages and merges the error codes;
//!    `pagination::report` then says which actions page;
//! 8. `groups` assigns cargo features to actions and to the structures
//!    they use;
//! 9. `channel` makes the WebSocket channel of its pages, named clear of
//!    every other type (`names::type_names`);
//! 10. `session` checks `[session]` against the login action.
//!
//! Every defect is a diagnostic at its place; nothing stops at the first.

mod action_name;
mod action_page;
mod actions;
mod apply_overrides;
mod auth;
mod channel;
mod classify;
mod cycles;
mod groups;
mod merge;
mod names;
mod pagination;
mod resolve;
mod session;
mod structures;
mod table;

pub use classify::{PageKind, classify};

/// Whether an interface page (as [`classify`] tells) is a message of a
/// WebSocket channel: the endpoint its description names, when `service`
/// declares that endpoint a WebSocket.
pub fn channel_endpoint(service: &ServiceConfig, text: &str, page: &Page) -> Option<String> {
    action_page::channel_of(service, text, page)
}

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{self, Api};
use crate::overrides::Overrides;
use crate::page::Page;
use crate::par;
use crate::service::ServiceConfig;
use crate::source::{FileId, SourceDb, Span};

/// Lowers parsed pages to the IR. The IR is complete only if `diags`
/// holds no error afterwards; whatever could be built is returned either
/// way.
pub fn lower(
    db: &SourceDb,
    pages: &[(FileId, Page)],
    service: &ServiceConfig,
    overrides: Option<(FileId, &Overrides)>,
    diags: &mut Diagnostics,
) -> Api {
    let mut sink: Vec<Diagnostic> = Vec::new();
    let mut drafts = Vec::new();
    let mut messages = Vec::new();
    let mut defs = Vec::new();
    // Each page is read on its own, on every core; the results and the
    // diagnostics are then taken in page order, as one loop would.
    let read = par::map(pages, 8, |(file, page)| {
        let mut diags = Vec::new();
        let read = read_page(db, service, *file, page, &mut diags);
        (read, diags)
    });
    for (read, diags) in read {
        sink.extend(diags);
        match read {
            Read::Action(d) => drafts.push(*d),
            Read::Channel(m) => messages.push(*m),
            Read::Structures(d) => defs.extend(d),
            Read::Nothing => {}
        }
    }
    let mut drafts = merge::duplicates(db, drafts, &mut sink);
    if let Some((file, ov)) = overrides {
        apply_overrides::apply(file, ov, &mut drafts, &mut defs, &mut sink);
    }
    let mut calls = Vec::new();
    for mut d in drafts {
        let Some(call) = auth::decide(service, &d, &mut sink) else {
            continue;
        };
        auth::lift_common(service, call.auth, &mut d, &mut sink);
        calls.push((d, call));
    }
    let roots: Vec<&[table::RawField]> = messages
        .iter()
        .flat_map(|m| [m.inputs.as_slice(), m.outputs.as_slice()])
        .collect();
    let structures =
        resolve::Structures::new(defs, calls.iter().map(|(d, _)| d), &roots, &mut sink);
    let mut structs = structures.build(&mut sink);
    cycles::box_cycles(&mut structs);
    structs.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let (mut actions, codes) = actions::build(db, service, calls, &structures, &mut sink);
    groups::assign(db, service, &mut actions, &mut structs, &mut sink);
    let mut taken = names::type_names(&structs, &actions);
    let channel = channel::build(service, messages, &structures, &mut taken, db, &mut sink);
    if let Some(c) = &channel {
        sink.push(channel::summary(c));
    }
    let channel_inputs = channel
        .iter()
        .flat_map(|c| &c.messages)
        .flat_map(|m| &m.inputs);
    groups::mark_inputs(
        actions.iter().flat_map(|a| &a.inputs).chain(channel_inputs),
        &mut structs,
    );
    pagination::report(&actions, &mut sink);
    let session = session::resolve(service, &actions, &structs, &mut sink);
    let api = Api {
        service: service_ir(service),
        actions,
        structs,
        error_codes: actions::error_codes(codes),
        session,
        channel,
    };
    for d in sink {
        diags.push(d);
    }
    api
}

fn service_ir(service: &ServiceConfig) -> ir::Service {
    ir::Service {
        crate_name: service.crate_name.clone(),
        version: service.version.clone(),
        description: service.description.clone(),
        default_base_url: service.default_base_url.clone(),
        groups: {
            let mut g: Vec<String> = service
                .groups
                .iter()
                .map(|g| g.name.get_ref().clone())
                .collect();
            g.sort();
            g
        },
        common_parameters: service.common_parameters.clone(),
    }
}

/// What one page holds, read without the others.
enum Read {
    Action(Box<action_page::Draft>),
    Channel(Box<channel::MessageDraft>),
    Structures(Vec<structures::StructDef>),
    Nothing,
}

/// Steps 1 and 2 for one page: what kind it is, and what it holds.
fn read_page(
    db: &SourceDb,
    service: &ServiceConfig,
    file: FileId,
    page: &Page,
    sink: &mut Vec<Diagnostic>,
) -> Read {
    match classify(page) {
        PageKind::Action => match action_page::read(db, service, file, page, sink) {
            Some(action_page::Page::Action(d)) => Read::Action(d),
            Some(action_page::Page::Channel { file, endpoint }) => {
                Read::Channel(Box::new(channel::read(db, file, page, endpoint, sink)))
            }
            None => Read::Nothing,
        },
        PageKind::Structures => Read::Structures(structures::read(file, page)),
        // No published page is empty: an empty one is a truncated or
        // unfinished file, worth a warning, where a page of another
        // kind (the introduction) is only noted.
        PageKind::Other if db.get(file).text.trim().is_empty() => {
            sink.push(
                Diagnostic::warning("empty-page", "empty page: skipped")
                    .at(Span::new(file, 0..0))
                    .note_line("the file has no text (or only white space); put the page's Markdown in it, or remove it"),
            );
            Read::Nothing
        }
        PageKind::Other => {
            sink.push(
                Diagnostic::note("skipped-page", "not an interface page nor a structures page: skipped")
                    .at(Span::new(file, 0..0))
                    .note_line("interface pages have 输入参数/输出参数 sections; structures pages have `## Name` headings with field tables"),
            );
            Read::Nothing
        }
    }
}
