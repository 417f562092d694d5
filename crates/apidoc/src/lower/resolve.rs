//! Structure names and types resolved: headings are matched
//! case-insensitively, each structure gets a unique Rust name, only the
//! structures some action reaches are kept, and every documented type
//! becomes an IR [`Type`].

use super::action_page::Draft;
use super::names::unique;
use super::structures::StructDef;
use super::table::{FieldTable, RawField};
use crate::diagnostic::{Diagnostic, Severity};
use crate::ir::{self, Type};
use crate::naming;
use crate::page::Cell;
use crate::types::{NamedRef, TypeExpr};
use std::collections::{BTreeMap, BTreeSet};

/// The structures, indexed for lookup from type cells.
pub(super) struct Structures {
    defs: Vec<StructDef>,
    /// Lower-cased heading -> definition; the first of duplicates.
    index: BTreeMap<String, usize>,
    /// Definition -> Rust type name.
    rust_names: BTreeMap<usize, String>,
    /// The definitions some action uses, directly or through others.
    reachable: BTreeSet<usize>,
}

impl Structures {
    /// Indexes the definitions, names them, and finds which ones the
    /// drafts and the other tables (`roots`: the channel's messages) reach.
    pub(super) fn new<'d>(
        defs: Vec<StructDef>,
        drafts: impl IntoIterator<Item = &'d Draft> + Clone,
        roots: &[&[RawField]],
        diags: &mut Vec<Diagnostic>,
    ) -> Structures {
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        for (i, s) in defs.iter().enumerate() {
            let key = s.name.to_ascii_lowercase();
            if let Some(&first) = index.get(&key) {
                diags.push(
                    Diagnostic::warning(
                        "duplicate-structure",
                        format!(
                            "structure `{}` is defined twice; the first definition is used",
                            s.name
                        ),
                    )
                    .at(s.heading.clone())
                    .related(defs[first].heading.clone(), "first defined here"),
                );
                continue;
            }
            index.insert(key, i);
        }

        // Rust names, unique and clear of the crate's own names.
        // Every action's request and response type is taken too.
        let mut taken: BTreeSet<String> = naming::RESERVED_TYPE_NAMES
            .iter()
            .map(|s| s.to_string())
            .chain(drafts.clone().into_iter().flat_map(|d| {
                let base = match &d.sub_command {
                    Some(s) => format!(
                        "{}{}",
                        naming::pascal_case(&d.name),
                        naming::pascal_case(&s.value)
                    ),
                    None => naming::pascal_case(&d.name),
                };
                [format!("{base}Request"), format!("{base}Response")]
            }))
            .collect();
        let mut rust_names: BTreeMap<usize, String> = BTreeMap::new();
        let mut by_name: Vec<(&String, &usize)> = index.iter().collect();
        by_name.sort();
        for (_, &i) in by_name {
            let base = naming::type_ident(&defs[i].name);
            let name = unique(&base, &mut taken, "Struct");
            if name != base {
                diags.push(
                    Diagnostic::warning("name-clash", format!("structure `{}` would be named `{base}`, which is taken; named `{name}`", defs[i].name))
                        .at(defs[i].heading.clone()),
                );
            }
            rust_names.insert(i, name);
        }

        let mut s = Structures {
            defs,
            index,
            rust_names,
            reachable: BTreeSet::new(),
        };
        let tables = drafts
            .into_iter()
            .flat_map(|d| [d.inputs.as_slice(), d.outputs.as_slice()])
            .chain(roots.iter().copied());
        s.reachable = s.reachable_from(tables);
        s
    }

    fn lookup(&self, r: &NamedRef) -> Option<usize> {
        self.index
            .get(&r.target.to_ascii_lowercase())
            .copied()
            .or_else(|| {
                r.text
                    .as_ref()
                    .and_then(|t| self.index.get(&t.to_ascii_lowercase()).copied())
            })
    }

    /// Which structures some table of an action or a message reaches, so
    /// that only those are emitted and only their defects stop generation.
    fn reachable_from<'d>(
        &self,
        tables: impl IntoIterator<Item = &'d [RawField]>,
    ) -> BTreeSet<usize> {
        let mut reachable: BTreeSet<usize> = BTreeSet::new();
        let mut work: Vec<usize> = Vec::new();
        let mark = |fields: &[RawField], work: &mut Vec<usize>, reachable: &mut BTreeSet<usize>| {
            for f in fields {
                let mut refs = Vec::new();
                if let Ok(t) = &f.ty {
                    named_refs(t, &mut refs);
                    if contains_bare_array(t) || *t == TypeExpr::Json {
                        refs.extend(description_ref(&f.doc_cell));
                    }
                }
                for r in refs {
                    if let Some(i) = self.lookup(&r)
                        && reachable.insert(i)
                    {
                        work.push(i);
                    }
                }
            }
        };
        for t in tables {
            mark(t, &mut work, &mut reachable);
        }
        while let Some(i) = work.pop() {
            mark(&self.defs[i].fields, &mut work, &mut reachable);
        }
        reachable
    }

    /// The IR structures: the reachable ones with a field table, in
    /// definition order. Every structure's deferred problems are reported,
    /// as warnings for those no action uses.
    pub(super) fn build(&self, diags: &mut Vec<Diagnostic>) -> Vec<ir::Struct> {
        let unused: Vec<&StructDef> = self
            .rust_names
            .keys()
            .filter(|i| !self.reachable.contains(i))
            .map(|&i| &self.defs[i])
            .collect();
        if let Some(first) = unused.first() {
            let names: Vec<&str> = unused.iter().map(|d| d.name.as_str()).collect();
            diags.push(
                Diagnostic::note(
                    "unused-structures",
                    format!(
                        "{} structure(s) of the structures page are used by no action, so they are not generated",
                        unused.len()
                    ),
                )
                .at(first.heading.clone())
                .note_line(format!("not generated: {}", names.join(", "))),
            );
        }
        let mut structs = Vec::new();
        for (&i, rust_name) in &self.rust_names {
            let def = &self.defs[i];
            let live = self.reachable.contains(&i);
            for p in &def.pending {
                diags.push(downgrade(p.clone(), live));
            }
            if def.untyped {
                continue;
            }
            let fields = self.resolve_fields(&def.fields, FieldTable::Structure, live, diags);
            if live {
                structs.push(ir::Struct {
                    api_name: def.name.clone(),
                    rust_name: rust_name.clone(),
                    doc: def.doc.clone(),
                    fields,
                    groups: Vec::new(),
                    input: false,
                });
            }
        }
        structs
    }

    /// Resolves the types of a table's fields and gives them unique Rust
    /// names. A field whose type cannot be resolved is left out, with an
    /// error (a warning when `live` is false).
    pub(super) fn resolve_fields(
        &self,
        fields: &[RawField],
        role: FieldTable,
        live: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<ir::Field> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for f in fields {
            let mut problems = Vec::new();
            let ty = match &f.ty {
                Ok(t) => self.resolve(t, f, &mut problems),
                Err(e) => {
                    problems.push(unknown_type(f, &e.found, None));
                    Some(Type::Json)
                }
            };
            for p in problems {
                diags.push(downgrade(p, live));
            }
            let Some(ty) = ty else { continue };
            let base = naming::field_ident(&f.api_name);
            let rust_name = unique(&base, &mut names, "_");
            if rust_name != base {
                diags.push(
                    Diagnostic::warning("name-clash", format!("`{}` has the same Rust name as another field, `{base}`; named `{rust_name}`", f.api_name))
                        .at(f.name_span.clone()),
                );
            }
            out.push(ir::Field {
                api_name: f.api_name.clone(),
                rust_name,
                ty,
                required: f.required && role != FieldTable::Output,
                doc: f.doc.clone(),
                sensitive: f
                    .sensitive
                    .unwrap_or_else(|| naming::is_sensitive(&f.api_name)),
            });
        }
        out
    }

    fn resolve(&self, t: &TypeExpr, f: &RawField, problems: &mut Vec<Diagnostic>) -> Option<Type> {
        Some(match t {
            TypeExpr::String => Type::String,
            TypeExpr::I64 => Type::I64,
            TypeExpr::U64 => Type::U64,
            TypeExpr::F64 => Type::F64,
            TypeExpr::Bool => Type::Bool,
            // `Object` whose description links a structure (`请参见 [X](…#x)`)
            // is that structure, as a bare `Array` is a list of it.
            TypeExpr::Json => {
                match description_ref(&f.doc_cell).filter(|r| self.lookup(r).is_some()) {
                    Some(r) => {
                        let ty = self.named(&r, f, problems)?;
                        problems.push(
                        Diagnostic::warning("bare-object", format!("type `Object` names no structure; using the structure `{}` linked in the description", r.target))
                            .at(f.ty_span.clone()),
                    );
                        ty
                    }
                    None => Type::Json,
                }
            }
            TypeExpr::List(inner) => Type::List(Box::new(self.resolve(inner, f, problems)?)),
            TypeExpr::Named(r) => self.named(r, f, problems)?,
            TypeExpr::BareArray => match description_ref(&f.doc_cell) {
                Some(r) => {
                    let ty = self.named(&r, f, problems)?;
                    problems.push(
                        Diagnostic::warning("bare-array", format!("type `Array` names no element type; using the structure `{}` linked in the description", r.target))
                            .at(f.ty_span.clone()),
                    );
                    Type::List(Box::new(ty))
                }
                None => {
                    problems.push(
                        Diagnostic::warning("bare-array", "type `Array` names no element type and the description links no structure; elements are untyped JSON")
                            .at(f.ty_span.clone()),
                    );
                    Type::List(Box::new(Type::Json))
                }
            },
        })
    }

    fn named(&self, r: &NamedRef, f: &RawField, problems: &mut Vec<Diagnostic>) -> Option<Type> {
        let by_target = self.index.get(&r.target.to_ascii_lowercase());
        let by_text = r
            .text
            .as_ref()
            .and_then(|t| self.index.get(&t.to_ascii_lowercase()));
        let Some(&i) = by_target.or(by_text) else {
            if r.linked {
                // A link says "this is an object" even when its target is gone.
                problems.push(
                    Diagnostic::warning("missing-structure", format!("the link points to `#{}`, but the structures page has no such heading; the field is untyped JSON", r.target))
                        .at(f.ty_span.clone()),
                );
                return Some(Type::Json);
            }
            problems.push(unknown_type(
                f,
                &r.target,
                Some("not a type spelling, and no structure has that name"),
            ));
            return Some(Type::Json);
        };
        if let Some(text) = &r.text {
            let (what, target) = if by_target.is_some() {
                ("anchor", &r.target)
            } else {
                ("link text", text)
            };
            problems.push(
                Diagnostic::warning("link-mismatch", format!("link text `{text}` differs from its anchor `#{}`; using the {what}, `{target}`", r.target))
                    .at(f.ty_span.clone())
                    .related(self.defs[i].heading.clone(), "resolved to this structure"),
            );
        }
        if self.defs[i].untyped {
            return Some(Type::Json);
        }
        Some(Type::Struct {
            name: self.rust_names[&i].clone(),
            boxed: false,
        })
    }
}

/// A type spelling nobody has seen (`spelling`, with `why` when known):
/// the field is kept, as untyped JSON, so that one odd cell cannot stop
/// the whole crate. A type written in `overrides.toml` is different: the
/// maintainer wrote it to type the field, so one that no rule reads is an
/// error there, never a field silently left untyped.
fn unknown_type(f: &RawField, spelling: &str, why: Option<&str>) -> Diagnostic {
    let what = match why {
        Some(why) => format!("unknown type `{spelling}`: {why}"),
        None => format!("unknown type `{spelling}`"),
    };
    let label = "expected String, Int, Int64, UINT, Float, Boolean, Object, `Array of T`, `[T]`, or a structure name or link";
    if f.ty_by_override {
        return Diagnostic::error("unknown-type", what)
            .at(f.ty_span.clone())
            .label(label)
            .note_line(format!(
                "this type of `{}` is written in overrides.toml: correct it there",
                f.api_name
            ));
    }
    let then = if why.is_some() { ';' } else { ':' };
    Diagnostic::warning(
        "unknown-type",
        format!("{what}{then} the field is untyped JSON"),
    )
    .at(f.ty_span.clone())
    .label(label)
    .note_line(format!(
        "type it with a [[field]] override: `name = \"{}\"`, `type = \"…\"`",
        f.api_name
    ))
}

/// A defect in a structure no action uses cannot break the crate: it is
/// reported, as a warning.
fn downgrade(mut d: Diagnostic, live: bool) -> Diagnostic {
    if !live && d.severity == Severity::Error {
        d.severity = Severity::Warning;
        d = d.note_line("no action uses this structure, so it is not generated");
    }
    d
}

fn named_refs(t: &TypeExpr, out: &mut Vec<NamedRef>) {
    match t {
        TypeExpr::List(inner) => named_refs(inner, out),
        TypeExpr::Named(r) => out.push(r.clone()),
        _ => {}
    }
}

fn contains_bare_array(t: &TypeExpr) -> bool {
    match t {
        TypeExpr::BareArray => true,
        TypeExpr::List(inner) => contains_bare_array(inner),
        _ => false,
    }
}

/// The structure a description links to (`请参见 [DeviceList](…#devicelist)`).
fn description_ref(doc: &Cell) -> Option<NamedRef> {
    doc.links.iter().find_map(|l| {
        l.anchor().map(|a| NamedRef {
            target: a.to_string(),
            text: None,
            linked: true,
        })
    })
}
