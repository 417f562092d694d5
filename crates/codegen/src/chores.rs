//! What the client does for its callers, in an action's module: `Login`
//! (the session's login action) and the `_pages` walker of a paginated
//! action. Both are small functions over the action's own types that the
//! runtime's `LoginProvider` and `Pages` are instantiated with.

use crate::docs::doc_attrs;
use crate::fields::{Container, ident, is_optional, ty};
use apidoc::ir::{Action, Api, Field, Pagination, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `Login`, its constructors and the token's extraction, when `a` is the
/// session's login action.
pub fn login(a: &Action, api: &Api) -> TokenStream {
    let Some(s) = api.session.as_ref().filter(|s| s.login == a.method) else {
        return TokenStream::new();
    };
    let req = format_ident!("{}Request", a.type_name);
    let resp = format_ident!("{}Response", a.type_name);
    let constructors = s.logins.iter().map(|form| {
        let name = ident(&form.name);
        let input = |rust: &str| a.inputs.iter().find(|f| f.rust_name == rust);
        let params = form.args.iter().filter_map(|r| input(r)).map(|f| {
            let n = ident(&f.rust_name);
            let t = ty(&f.ty);
            quote!(#n: impl ::std::convert::Into<#t>)
        });
        // Where each input's value comes from: a parameter or a constant.
        let value = |f: &Field| -> Option<TokenStream> {
            if form.args.contains(&f.rust_name) {
                let n = ident(&f.rust_name);
                Some(quote!(#n))
            } else {
                form.set
                    .iter()
                    .find(|(r, _)| *r == f.rust_name)
                    .map(|(_, v)| quote!(#v))
            }
        };
        let required = a
            .inputs
            .iter()
            .filter(|f| !is_optional(f, Container::Request))
            .map(|f| value(f).unwrap_or_else(|| quote!(unreachable!())));
        let setters = a
            .inputs
            .iter()
            .filter(|f| is_optional(f, Container::Request))
            .filter_map(|f| {
                let v = value(f)?;
                let setter = format_ident!("with_{}", f.rust_name.trim_start_matches("r#"));
                Some(quote!(.#setter(#v)))
            });
        let names: Vec<String> = form
            .args
            .iter()
            .filter_map(|r| input(r))
            .map(|f| format!("`{}`", f.api_name))
            .collect();
        let sets: Vec<String> = form
            .set
            .iter()
            .filter_map(|(r, v)| input(r).map(|f| format!("`{}` = `{v}`", f.api_name)))
            .collect();
        let mut doc = format!("Logs in with {}.", names.join(", "));
        if !sets.is_empty() {
            doc.push_str(&format!(" Sends {}.", sets.join(", ")));
        }
        let doc = doc_attrs(&doc);
        quote! {
            #doc
            pub fn #name(#(#params),*) -> Self {
                Login { request: #req::new(#(#required),*) #(#setters)* }
            }
        }
    });
    let token = access(&s.token, a, api, Last::Value);
    let expiry = match &s.expires_at {
        Some(p) => {
            // The body is already an `Option` where it can be: `Some(x?)`
            // would only unwrap and wrap again.
            let body = if last_type(p, a, api) == Some(Type::U64) {
                let e = access(p, a, api, Last::Value);
                quote!(::std::convert::TryFrom::try_from(#e).ok())
            } else {
                access(p, a, api, Last::Option)
            };
            quote! {
                /// The token's expiry, Unix seconds, where the reply has it.
                fn login_expiry(response: &#resp) -> ::std::option::Option<i64> {
                    #body
                }
            }
        }
        None => quote! {
            fn login_expiry(_: &#resp) -> ::std::option::Option<i64> {
                ::std::option::Option::None
            }
        },
    };
    let doc = doc_attrs(&format!(
        "How a [`crate::Client`] logs in by itself: `Client::builder().app_key(..).app_secret(..).login(Login::..)`.\n\n\
         The first token call logs in with `{}` (a signed call), and later calls reuse the token until shortly before it expires; \
         a call the server answers with an invalid-token code logs in once more and is sent once more. \
         Its `Debug` redacts the password as the request's does.",
        a.name
    ));
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct Login {
            request: #req,
        }

        impl Login {
            #(#constructors)*
        }

        impl ::std::convert::From<Login> for ::iot_explorer_runtime::LoginProvider {
            fn from(login: Login) -> Self {
                ::iot_explorer_runtime::LoginProvider::new(&OPERATION, login.request, login_token)
            }
        }

        /// The token in the login's reply, with its expiry when there is one.
        fn login_token(response: &#resp) -> ::std::option::Option<::iot_explorer_runtime::Token> {
            let token = ::iot_explorer_runtime::Token::new(#token);
            ::std::option::Option::Some(match login_expiry(response) {
                ::std::option::Option::Some(at) => token.with_unix_expiry(at),
                ::std::option::Option::None => token,
            })
        }

        #expiry
    }
}

/// The fields along a path of the login's response, each with whether it
/// is an `Option` and its type.
fn steps<'a>(path: &[String], a: &'a Action, api: &'a Api) -> Vec<(&'a Field, bool)> {
    let mut fields: &[Field] = &a.outputs;
    let mut container = Container::Response;
    let mut out = Vec::new();
    for name in path {
        let Some(f) = fields.iter().find(|f| f.rust_name == *name) else {
            break;
        };
        out.push((f, is_optional(f, container)));
        if let Type::Struct { name, .. } = &f.ty
            && let Some(s) = api.structs.iter().find(|s| s.rust_name == *name)
        {
            fields = &s.fields;
            container = Container::structure(&s.fields, s.input);
        }
    }
    out
}

fn last_type(path: &[String], a: &Action, api: &Api) -> Option<Type> {
    steps(path, a, api).last().map(|(f, _)| f.ty.clone())
}

/// What [`access`] makes of the last step of a path.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    /// The value itself, with `?` if the field is an `Option`.
    Value,
    /// An `Option` of the value.
    Option,
}

/// An expression of the value at `path` in `response`, with `?` where a
/// step before `last` is optional: the caller is a function returning
/// `Option`.
fn access(path: &[String], a: &Action, api: &Api, last: Last) -> TokenStream {
    let steps = steps(path, a, api);
    let mut e = quote!(response);
    for (i, (f, optional)) in steps.iter().enumerate() {
        let n = ident(&f.rust_name);
        let at_end = i + 1 == steps.len();
        let string = f.ty == Type::String;
        e = match (at_end, optional, last) {
            (false, true, _) => quote!(#e.#n.as_ref()?),
            (false, false, _) => quote!((&#e.#n)),
            (true, true, Last::Value) if string => quote!(#e.#n.clone()?),
            (true, true, Last::Value) => quote!(#e.#n?),
            (true, true, Last::Option) if string => quote!(#e.#n.clone()),
            (true, true, Last::Option) => quote!(#e.#n),
            (true, false, Last::Value) if string => quote!(#e.#n.clone()),
            (true, false, Last::Value) => quote!(#e.#n),
            (true, false, Last::Option) if string => {
                quote!(::std::option::Option::Some(#e.#n.clone()))
            }
            (true, false, Last::Option) => quote!(::std::option::Option::Some(#e.#n)),
        };
    }
    e
}

/// The `_pages` walker of a paginated action: its paging as a constant of
/// small functions, and the method on [`crate::Client`].
pub fn pages(a: &Action) -> TokenStream {
    let Some(p) = &a.pagination else {
        return TokenStream::new();
    };
    let req = format_ident!("{}Request", a.type_name);
    let resp = format_ident!("{}Response", a.type_name);
    let input = |api_name: &str| a.inputs.iter().find(|f| f.api_name == api_name);
    let output = |api_name: &str| a.outputs.iter().find(|f| f.api_name == api_name);
    let items_name = match p {
        Pagination::Offset { items, .. } | Pagination::Cursor { items, .. } => items,
    };
    let Some(items) = output(items_name) else {
        return TokenStream::new();
    };
    let item = match &items.ty {
        Type::List(inner) => ty(inner),
        _ => return TokenStream::new(),
    };
    let items_field = ident(&items.rust_name);
    let paging_ty;
    let paging = match p {
        Pagination::Offset {
            offset,
            limit,
            total,
            max_limit,
            ..
        } => {
            let (Some(offset), Some(limit)) = (input(offset), input(limit)) else {
                return TokenStream::new();
            };
            let (get_offset, set_offset) = integer_accessors(offset);
            let (get_limit, set_limit) = integer_accessors(limit);
            let total = total.as_deref().and_then(output).map(|t| {
                let n = ident(&t.rust_name);
                let read = match t.ty {
                    Type::String => quote!(|r| r.#n.as_deref()?.trim().parse().ok()),
                    Type::U64 => {
                        quote!(|r| r.#n.and_then(|n| ::std::convert::TryFrom::try_from(n).ok()))
                    }
                    _ => quote!(|r| r.#n),
                };
                quote!(.with_total(#read))
            });
            let max = max_limit.map(|m| {
                let m = m as i64;
                quote!(.with_max_page_size(#m))
            });
            paging_ty = quote!(::iot_explorer_runtime::OffsetPaging<#req, #resp, #item>);
            quote! {
                ::iot_explorer_runtime::OffsetPaging::<#req, #resp, #item>::new(
                    #get_offset,
                    #set_offset,
                    #get_limit,
                    #set_limit,
                    |r| &mut r.#items_field,
                )
                #total
                #max
            }
        }
        Pagination::Cursor { cursor, next, .. } => {
            let (Some(cursor), Some(next)) = (input(cursor), output(next)) else {
                return TokenStream::new();
            };
            let c = ident(&cursor.rust_name);
            let set = if is_optional(cursor, Container::Request) {
                quote!(|r, cursor| r.#c = ::std::option::Option::Some(cursor))
            } else {
                quote!(|r, cursor| r.#c = cursor)
            };
            let n = ident(&next.rust_name);
            paging_ty = quote!(::iot_explorer_runtime::CursorPaging<#req, #resp, #item>);
            quote! {
                ::iot_explorer_runtime::CursorPaging::<#req, #resp, #item>::new(
                    #set,
                    |r| r.#n.as_deref(),
                    |r| &mut r.#items_field,
                )
            }
        }
    };
    let method = ident(&apidoc::naming::with_suffix(&a.method, "pages"));
    let call = a.method.trim_start_matches("r#");
    let how = match p {
        Pagination::Offset {
            offset,
            limit,
            total,
            ..
        } => format!(
            "It advances `{offset}` by the items received, keeps the request's `{limit}`{}, and stops at {}an empty or short page.",
            match p {
                Pagination::Offset {
                    max_limit: Some(m), ..
                } => format!(" (at most {m})"),
                _ => String::new(),
            },
            total
                .as_ref()
                .map(|t| format!("`{t}`, "))
                .unwrap_or_default()
        ),
        Pagination::Cursor {
            cursor, next, done, ..
        } => format!(
            "It sends each reply's `{next}` as the next `{cursor}`, and stops at an empty page or a cursor that is empty or unchanged{}.",
            done.as_ref()
                .map(|d| format!(" (`{d}` is not trusted: the docs disagree on what it means)"))
                .unwrap_or_default()
        ),
    };
    let doc = doc_attrs(&format!(
        "Every page of [`crate::Client::{call}`], one call each (with its retries, timeouts and session).\n\n\
         {how} A server that repeats a page or never ends is stopped with an error.\n\n\
         Walk it with `next().await` or as a `Stream`, or gather every item with `collect_items().await`."
    ));
    quote! {
        const PAGING: #paging_ty = #paging;

        impl crate::Client {
            #doc
            pub fn #method(&self, request: #req) -> crate::Pages<#req, #resp, #item> {
                self.inner.pages(&OPERATION, request, PAGING)
            }
        }
    }
}

/// A request's integer field as `Option<i64>` and how to set it.
fn integer_accessors(f: &Field) -> (TokenStream, TokenStream) {
    let n = ident(&f.rust_name);
    let optional = is_optional(f, Container::Request);
    match (&f.ty, optional) {
        (Type::U64, true) => (
            quote!(|r| r.#n.and_then(|n| ::std::convert::TryFrom::try_from(n).ok())),
            quote!(|r, v| r.#n = ::std::convert::TryFrom::try_from(v).ok()),
        ),
        (Type::U64, false) => (
            quote!(|r| ::std::convert::TryFrom::try_from(r.#n).ok()),
            quote!(|r, v| r.#n = ::std::convert::TryFrom::try_from(v).unwrap_or(0)),
        ),
        (_, true) => (
            quote!(|r| r.#n),
            quote!(|r, v| r.#n = ::std::option::Option::Some(v)),
        ),
        (_, false) => (
            quote!(|r| ::std::option::Option::Some(r.#n)),
            quote!(|r, v| r.#n = v),
        ),
    }
}
