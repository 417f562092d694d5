//! Pieces shared by requests, responses and structures: types, serde
//! attributes, identifiers and redacting `Debug` impls.

use crate::docs::{doc_attrs, spec_text};
use apidoc::ir::{Field, Type};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// An identifier from a name the IR has already made valid
/// (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a field, fully qualified so that no generated name can
/// shadow it.
pub fn ty(t: &Type) -> TokenStream {
    ty_in(t, &quote!(crate))
}

/// [`ty`] with structures under `root` (`crate` inside the generated crate,
/// its name in doctests).
pub fn ty_in(t: &Type, root: &TokenStream) -> TokenStream {
    match t {
        Type::String => quote!(::std::string::String),
        Type::I64 => quote!(i64),
        Type::U64 => quote!(u64),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::Json => quote!(::serde_json::Value),
        Type::List(inner) => {
            let inner = ty_in(inner, root);
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Struct { name, boxed } => {
            let name = ident(name);
            if *boxed {
                quote!(::std::boxed::Box<#root::#name>)
            } else {
                quote!(#root::#name)
            }
        }
    }
}

/// Scalars get the runtime's lenient decoding (numbers sent as strings and
/// the reverse), which never loses data silently.
fn is_scalar(t: &Type) -> bool {
    matches!(
        t,
        Type::String | Type::I64 | Type::U64 | Type::F64 | Type::Bool
    )
}

/// How a field is declared, by what holds it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// Request field: required fields are plain, others `Option`; only
    /// serialized.
    Request,
    /// Response field: always `Option` (the server may leave any out),
    /// decoded leniently; only deserialized, under a container-level
    /// `#[serde(default)]`.
    Response,
    /// Structure field, serialized and deserialized. A structure used in
    /// some request follows the 必选 column like a request (`input`);
    /// one only ever read from replies has every field `Option`.
    Structure {
        /// Used in some request.
        input: bool,
        /// Every field is optional, so the structure derives `Default` and
        /// carries a container-level `#[serde(default)]` (see
        /// [`Container::structure`]).
        defaulted: bool,
    },
}

/// Whether the field is declared as `Option<T>`.
pub fn is_optional(f: &Field, role: Container) -> bool {
    match role {
        Container::Request => !f.required,
        Container::Response => true,
        Container::Structure { input, .. } => !(input && f.required),
    }
}

impl Container {
    /// The container of a structure's fields: whether it defaults follows
    /// from [`is_optional`], so the two can never disagree.
    pub fn structure(fields: &[Field], input: bool) -> Container {
        let defaulted = fields.iter().all(|f| !(input && f.required));
        Container::Structure { input, defaulted }
    }
}

/// Whether a request or structure derives `Default`: when nothing is
/// required, `Default` is `new()`.
pub fn derives_default(fields: &[Field], role: Container) -> bool {
    fields.iter().all(|f| is_optional(f, role))
}

/// The field declaration with its docs and serde attributes.
pub fn field_decl(f: &Field, role: Container) -> TokenStream {
    let name = ident(&f.rust_name);
    let api = &f.api_name;
    let doc = doc_attrs(&field_doc(f));
    let inner = ty(&f.ty);
    if !is_optional(f, role) {
        return quote! { #doc #[serde(rename = #api)] pub #name: #inner, };
    }
    let lenient = (role != Container::Request && is_scalar(&f.ty))
        .then(|| quote!(deserialize_with = "::iot_explorer_runtime::lenient::option",));
    let attrs = match role {
        Container::Request => {
            quote!(#[serde(rename = #api, skip_serializing_if = "::std::option::Option::is_none")])
        }
        // The container's `#[serde(default)]` covers a missing field.
        Container::Response => quote!(#[serde(rename = #api, #lenient)]),
        // A missing field is `None`: the container's `#[serde(default)]`
        // says so once where there is one, the field itself otherwise.
        Container::Structure {
            defaulted: true, ..
        } => {
            quote!(#[serde(rename = #api, #lenient skip_serializing_if = "::std::option::Option::is_none")])
        }
        Container::Structure {
            defaulted: false, ..
        } => {
            quote!(#[serde(rename = #api, default, #lenient skip_serializing_if = "::std::option::Option::is_none")])
        }
    };
    quote! {
        #doc
        #attrs
        pub #name: ::std::option::Option<#inner>,
    }
}

/// `new(..)` from the required fields in table order, and a chainable
/// `with_*` setter per optional field: how requests and structures are
/// built, so that a new optional field never breaks a caller. A type
/// without required fields derives `Default` too (see [`derives_default`]).
pub fn constructors(name: &Ident, fields: &[Field], role: Container, what: &str) -> TokenStream {
    let required: Vec<_> = fields.iter().filter(|f| !is_optional(f, role)).collect();
    let new_params = required.iter().map(|f| {
        let n = ident(&f.rust_name);
        let t = ty(&f.ty);
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let new_inits = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        if is_optional(f, role) {
            quote!(#n: ::std::option::Option::None,)
        } else {
            quote!(#n: #n.into(),)
        }
    });
    let setters = fields.iter().filter(|f| is_optional(f, role)).map(|f| {
        let n = ident(&f.rust_name);
        let setter = format_ident!("with_{}", f.rust_name.trim_start_matches("r#"));
        let t = ty(&f.ty);
        let doc = doc_attrs(&format!(
            "Sets `{}`: {}",
            f.api_name,
            spec_text(f.doc.lines().next().unwrap_or(""))
        ));
        quote! {
            #doc
            pub fn #setter(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                self.#n = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let new_doc = doc_attrs(&if required.is_empty() {
        format!("Creates {what} with every field unset.")
    } else {
        let names: Vec<_> = required
            .iter()
            .map(|f| format!("`{}`", f.api_name))
            .collect();
        format!(
            "Creates {what} from the required fields, in table order: {}.",
            names.join(", ")
        )
    });
    // The contract is one parameter per required field, in table order.
    let many = (required.len() > 7).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one parameter per required field of the docs' table")])
    });
    quote! {
        impl #name {
            #new_doc
            #many
            pub fn new(#(#new_params),*) -> Self {
                Self { #(#new_inits)* }
            }
            #(#setters)*
        }
    }
}

fn field_doc(f: &Field) -> String {
    let doc = if f.doc.trim().is_empty() {
        "(no description in the docs)".to_string()
    } else {
        spec_text(&f.doc)
    };
    format!("{doc}\n\nWire name: `{}`.", f.api_name)
}

/// `Debug` for a type: derived unless a field is sensitive, in which case
/// a hand-rolled impl prints `** redacted **` for it.
pub fn debug_impl(name: &Ident, fields: &[Field]) -> (TokenStream, TokenStream) {
    if !fields.iter().any(|f| f.sensitive) {
        return (quote!(Debug,), TokenStream::new());
    }
    let type_name = name.to_string();
    let entries = fields.iter().map(|f| {
        let label = f.rust_name.trim_start_matches("r#");
        let id = ident(&f.rust_name);
        if f.sensitive {
            quote!(.field(#label, &::iot_explorer_runtime::Redacted))
        } else {
            quote!(.field(#label, &self.#id))
        }
    });
    let imp = quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#entries)* .finish()
            }
        }
    };
    (TokenStream::new(), imp)
}

/// `#[cfg(feature = ..)]` for something only some groups need; nothing for
/// something always compiled.
pub fn cfg_groups(groups: &[String]) -> TokenStream {
    match groups {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// A module (and file) name from an identifier: raw identifiers get a `_`
/// suffix instead (`r#mod` -> `mod_`), so no module is called `mod` or
/// needs `r#`, and `mod.rs` is never taken by an item.
pub fn module_name(rust_ident: &str) -> String {
    match rust_ident.strip_prefix("r#") {
        Some(raw) => format!("{raw}_"),
        None => rust_ident.to_string(),
    }
}
