//! `src/structs/`: the shared structures, one module each.

use crate::docs::{doc_attrs, inner_doc_attrs, spec_text};
use crate::fields::{
    Container, cfg_groups, constructors, debug_impl, derives_default, field_decl, ident,
};
use apidoc::ir::{Api, Struct};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/structs/mod.rs`: declares and re-exports one module per structure.
pub fn mod_rs(api: &Api) -> TokenStream {
    let mods = module_names(api)
        .into_iter()
        .zip(&api.structs)
        .map(|(m, s)| {
            let m = ident(&m);
            let cfg = cfg_groups(&s.groups);
            quote! { #cfg mod #m; #cfg pub use #m::*; }
        });
    let doc = inner_doc_attrs(
        "Structures shared by several actions, from the docs' structures page: one module each.",
    );
    quote! { #doc #(#mods)* }
}

/// Module (and file) name of each structure, in `api.structs` order:
/// snake case, made unique.
pub fn module_names(api: &Api) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    api.structs
        .iter()
        .map(|s| {
            let base = crate::fields::module_name(&apidoc::naming::field_ident(&s.rust_name));
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// One structure, built like a request: `new(..)` from its required fields
/// and `with_*` setters for the others. A structure used in some request
/// follows the 必选 column; one only read from replies has every field
/// optional (a server may leave any out) and `Default`.
pub fn struct_rs(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc_text = format!(
        "{}\n\nStructure `{}` of the docs' structures page.",
        spec_text(if s.doc.trim().is_empty() {
            &s.api_name
        } else {
            &s.doc
        }),
        s.api_name
    );
    let doc = doc_attrs(&doc_text);
    let role = Container::structure(&s.fields, s.input);
    let fields = s.fields.iter().map(|f| field_decl(f, role));
    let defaulted = derives_default(&s.fields, role);
    let default = defaulted.then(|| quote!(Default,));
    let serde_default = defaulted.then(|| quote!(#[serde(default)]));
    let (derive_debug, debug) = debug_impl(&name, &s.fields);
    let new = constructors(&name, &s.fields, role, "the structure");
    let module_doc = inner_doc_attrs(&format!("Structure `{}`.", s.api_name));
    quote! {
        #module_doc
        #doc
        #[derive(Clone, #derive_debug #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #serde_default
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        #new
        #debug
    }
}
