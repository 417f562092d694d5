//! `src/structs.rs`: the shared structures.

use crate::docs::{doc_attrs, inner_doc_attrs, spec_text};
use crate::fields::{Role, cfg_groups, debug_impl, field_decl, ident};
use proc_macro2::TokenStream;
use quote::quote;
use spec::ir::Api;

/// Every structure some action uses. Fields are all optional: the same
/// structure appears in requests and responses, and a server may leave
/// any field out. Callers fill them by assignment on `Default::default()`.
pub fn structs_rs(api: &Api) -> TokenStream {
    let items = api.structs.iter().map(|s| {
        let name = ident(&s.rust_name);
        let doc_text = format!(
            "{}\n\nStructure `{}` of the docs' structures page.",
            spec_text(if s.doc.trim().is_empty() { &s.api_name } else { &s.doc }),
            s.api_name
        );
        let doc = doc_attrs(&doc_text);
        let fields = s.fields.iter().map(|f| field_decl(f, Role::Optional));
        let (derive_debug, debug) = debug_impl(&name, &s.fields);
        let cfg = cfg_groups(&s.groups);
        let debug = if debug.is_empty() { debug } else { quote!(#cfg #debug) };
        quote! {
            #doc
            #cfg
            #[derive(Clone, #derive_debug Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[non_exhaustive]
            pub struct #name { #(#fields)* }
            #debug
        }
    });
    let doc = inner_doc_attrs("Structures shared by several actions, from the docs' structures page.");
    quote! { #doc #(#items)* }
}
