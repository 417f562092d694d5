//! Pages -> IR, in steps with plain data between them:
//!
//! 1. [`classify`] tells interface pages, structures pages and other pages
//!    apart by content;
//! 2. `action_page` reads an interface page into a `Draft` (with
//!    `endpoint` and `action_name` for its endpoint line and its name;
//!    `table` reads its tables), and `structures` reads the structures
//!    page into `StructDef`s;
//! 3. `apply_overrides` applies `overrides.toml` to both;
//! 4. `resolve` indexes and names the structures, keeps those an action
//!    reaches and resolves every type; `cycles` boxes recursive fields;
//! 5. `actions` turns drafts into IR actions and checks their examples;
//! 6. `groups` assigns cargo features; `actions::error_codes` merges the
//!    error codes.
//!
//! Every defect is a diagnostic at its place; nothing stops at the first.

mod action_name;
mod action_page;
mod actions;
mod apply_overrides;
mod classify;
mod cycles;
mod endpoint;
mod groups;
mod names;
mod resolve;
mod structures;
mod table;

pub use classify::{PageKind, classify};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{self, Api};
use crate::overrides::Overrides;
use crate::page::Page;
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
    let mut defs = Vec::new();
    for (file, page) in pages {
        match classify(page) {
            PageKind::Action => drafts.extend(action_page::read(db, service, *file, page, &mut sink)),
            PageKind::Structures => defs.extend(structures::read(*file, page)),
            PageKind::Other => sink.push(
                Diagnostic::note("skipped-page", "not an interface page nor a structures page: skipped")
                    .at(Span::new(*file, 0..0))
                    .note_line("interface pages have 输入参数/输出参数 sections; structures pages have `## Name` headings with field tables"),
            ),
        }
    }
    if let Some((file, ov)) = overrides {
        apply_overrides::apply(file, ov, &mut drafts, &mut defs, &mut sink);
    }
    let structures = resolve::Structures::new(defs, &drafts, &mut sink);
    let mut structs = structures.build(&mut sink);
    cycles::box_cycles(&mut structs);
    structs.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let (mut actions, codes) = actions::build(db, service, drafts, &structures, &mut sink);
    groups::assign(db, service, &mut actions, &mut structs, &mut sink);
    let api = Api {
        service: service_ir(service),
        actions,
        structs,
        error_codes: actions::error_codes(codes),
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

/// Whether a documented parameter is one the client supplies. Any auth
/// mode's parameters count, matched without case.
fn is_common(service: &ServiceConfig, name: &str) -> bool {
    let c = &service.common_parameters;
    c.all().iter().any(|p| p.eq_ignore_ascii_case(name))
}
