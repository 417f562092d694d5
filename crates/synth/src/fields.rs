//! Drawing one field: its name, its kind and the 类型 spelling the docs
//! use for it, or a reference to a structure in one of the published
//! forms.

use crate::model::{Field, RefForm, Structure, Ty};
use crate::names::Names;
use crate::rng::Rng;
use crate::words::{self, Kind};

/// Common parameters are lifted out of requests by name: a field called
/// like one would vanish from the request type.
const RESERVED_FIELDS: &[&str] = &[
    "Action",
    "RequestId",
    "AccessToken",
    "AppKey",
    "Signature",
    "Timestamp",
    "Nonce",
    "Error",
];

pub fn scalar_field(rng: &mut Rng, names: &mut Names, required_column: bool) -> Field {
    let (name, doc, kind) = loop {
        let (name, doc, kind) = if rng.chance(20) {
            let (n, d, k) = *rng.pick(words::PLAIN_FIELDS);
            (n.to_string(), d.to_string(), k)
        } else {
            let (a, a_cn) = *rng.pick(words::NOUNS);
            let (t, t_cn, k) = *rng.pick(words::FIELD_TAILS);
            (format!("{a}{t}"), format!("{a_cn}{t_cn}"), k)
        };
        if !RESERVED_FIELDS.contains(&name.as_str()) && !names.contains(&name) {
            names.insert(&name);
            break (name, doc, kind);
        }
    };
    // Mostly the kind the name suggests, sometimes another, as in the docs.
    let kind = if rng.chance(85) {
        kind
    } else {
        *rng.pick(&[
            Kind::Str,
            Kind::Int,
            Kind::Uint,
            Kind::Float,
            Kind::Bool,
            Kind::Json,
            Kind::StrList,
        ])
    };
    let spelling = spelling(rng, kind);
    Field {
        name,
        doc,
        ty: Ty::Plain { kind, spelling },
        required: required_column && rng.chance(60),
    }
}

/// Every spelling of each kind that the real docs use; the usual one most often.
fn spelling(rng: &mut Rng, kind: Kind) -> &'static str {
    let (usual, others): (&'static str, &[&'static str]) = match kind {
        Kind::Str => ("String", &["string"]),
        Kind::Int => (
            "Int",
            &["int", "Integer", "Interger", "Int32", "Int64", "int64"],
        ),
        Kind::Uint => ("UINT", &["Uint"]),
        Kind::Float => ("Float", &["float32"]),
        Kind::Bool => ("Boolean", &["Bool"]),
        Kind::Json => ("Object", &["OBJECT", "object"]),
        Kind::StrList => ("Array of String", &["Array Of String", "[String]"]),
        Kind::IntList => ("Array of Integer", &["[Int]", "Array Of Int64"]),
    };
    if rng.chance(60) {
        usual
    } else {
        rng.pick_str(others)
    }
}

pub fn struct_field(
    structures: &[Structure],
    names: &mut Names,
    target: usize,
    form: RefForm,
    required: bool,
) -> Field {
    let base = structures[target].name.replace('_', "");
    let mut name = if form.is_list() {
        format!("{base}List")
    } else {
        base
    };
    if RESERVED_FIELDS.contains(&name.as_str()) || !names.insert(&name) {
        let mut n = 2;
        while !names.insert(&format!("{name}{n}")) {
            n += 1;
        }
        name = format!("{name}{n}");
    }
    let doc = structures[target].doc.clone();
    let doc = if form.is_list() {
        format!("{doc}列表")
    } else {
        doc
    };
    Field {
        name,
        doc,
        ty: Ty::Struct { target, form },
        required,
    }
}

/// Adds a field of structure `from` that refers to `to`. Always optional:
/// a required field leading back to its own structure could never be filled.
pub fn add_struct_field(structures: &mut [Structure], from: usize, to: usize, form: RefForm) {
    let mut names = Names::default();
    for f in &structures[from].fields {
        names.insert(&f.name);
    }
    let mut field = struct_field(structures, &mut names, to, form, false);
    if from == to {
        field.name = if form.is_list() {
            "Children".into()
        } else {
            "Parent".into()
        };
        field.doc = if form.is_list() {
            "子节点，结构与本结构相同".into()
        } else {
            "父节点，结构与本结构相同".into()
        };
        if names.contains(&field.name) {
            return;
        }
    }
    structures[from].fields.push(field);
}

impl Rng {
    /// A way to refer to a structure. Action tables use every form;
    /// structure tables leave out the bare `Array`, which the real
    /// structures page does not use.
    pub fn pick_ref_form(&mut self, on_action_page: bool) -> RefForm {
        match self.below(100) {
            0..=14 => RefForm::Bare,
            15..=24 => RefForm::Link,
            25..=44 => RefForm::ObjectOf,
            45..=69 => RefForm::ArrayOf,
            70..=79 => RefForm::ArrayOfCapital,
            80..=93 => RefForm::ArrayLink,
            _ if on_action_page => RefForm::BareArray,
            _ => RefForm::ArrayOf,
        }
    }
}
