//! `src/actions/*.rs`: one module per action with its request, response
//! and client method, so that a changed page rewrites one file.

use crate::docs::{doc_attrs, inner_doc_attrs, spec_text};
use crate::fields::{
    Container, cfg_groups, constructors, debug_impl, derives_default, field_decl, ident,
};
use apidoc::ir::{Action, Api, Auth};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `src/actions/mod.rs`: declares and re-exports every action module.
pub fn mod_rs(api: &Api) -> TokenStream {
    let mods = api.actions.iter().map(|a| {
        let m = ident(&crate::fields::module_name(&a.method));
        let cfg = cfg_groups(a.group.as_slice());
        quote! { #cfg pub(crate) mod #m; #cfg pub use #m::*; }
    });
    let doc = inner_doc_attrs("One module per action: request, response and client method.");
    quote! { #doc #(#mods)* }
}

/// One action's module.
pub fn action_rs(a: &Action, api: &Api) -> TokenStream {
    let service = &api.service;
    let req = format_ident!("{}Request", a.type_name);
    let resp = format_ident!("{}Response", a.type_name);
    let method = ident(&a.method);
    let action_name = &a.name;
    let endpoint = &a.endpoint;
    let auth = match a.auth {
        Auth::AccessToken => quote!(::iot_explorer_runtime::Auth::AccessToken),
        Auth::Signed => quote!(::iot_explorer_runtime::Auth::Signed),
    };
    let fixed = a.sub_command.iter().map(|p| {
        let (n, v) = (&p.name, &p.value);
        quote!((#n, #v))
    });
    let data_wrapper = a.data_wrapper;
    let sensitive = a.inputs.iter().filter(|f| f.sensitive).map(|f| &f.api_name);
    let wire = match &a.sub_command {
        Some(p) => format!("`{}` with `{}={}`", a.name, p.name, p.value),
        None => format!("`{}`", a.name),
    };

    // Request.
    let req_fields = a.inputs.iter().map(|f| field_decl(f, Container::Request));
    let req_new = constructors(&req, &a.inputs, Container::Request, "a request");
    let req_default = derives_default(&a.inputs, Container::Request).then(|| quote!(Default,));
    let (req_debug_derive, req_debug) = debug_impl(&req, &a.inputs);
    let req_doc = doc_attrs(&format!(
        "Request of {wire}.\n\nBuild it with [`{req}::new`] and set optional parameters with the `with_*` methods."
    ));

    // Response.
    let resp_fields = a.outputs.iter().map(|f| field_decl(f, Container::Response));
    let (resp_debug_derive, resp_debug) = debug_impl(&resp, &a.outputs);
    let resp_doc = doc_attrs(&format!(
        "Response of {wire}.\n\nEvery field is optional: the server may leave any of them out."
    ));

    // Method docs: the page's description, parameters and error codes.
    let mut method_doc = if a.doc.trim().is_empty() {
        format!("Calls {wire}.")
    } else {
        spec_text(&a.doc)
    };
    method_doc.push_str(&format!(
        "\n\nSends {wire} to the `{}` endpoint",
        a.endpoint
    ));
    method_doc.push_str(match a.auth {
        Auth::AccessToken => " with the client's access token.",
        Auth::Signed => ", signed with the client's app key and secret (a pre-login call).",
    });
    if !a.inputs.is_empty() {
        method_doc.push_str("\n\n# Parameters\n");
        for f in &a.inputs {
            let req = if f.required { "required" } else { "optional" };
            let d = spec_text(&f.doc).replace('\n', " ");
            method_doc.push_str(&format!("\n- `{}` ({req}): {d}", f.api_name));
        }
    }
    if !a.errors.is_empty() {
        method_doc.push_str("\n\n# Errors\n\nDocumented error codes:\n");
        for c in &a.errors {
            match api.error_codes.iter().find(|e| e.code == *c) {
                Some(e) => method_doc.push_str(&format!(
                    "\n- [`{c}`](crate::ErrorCode::{})",
                    e.variant.trim_start_matches("r#")
                )),
                None => method_doc.push_str(&format!("\n- `{c}`")),
            }
        }
    }
    method_doc.push_str(&format!("\n\nSource: `{}`.\n\n", a.source));
    // A doctest that does not parse is put in the file as tokens, so that
    // formatting the file reports it (see `examples::doctest`).
    let unparsable_doctest =
        match crate::examples::doctest(a, &api.structs, &service.crate_name.replace('-', "_")) {
            Ok(doctest) => {
                method_doc.push_str(&doctest);
                None
            }
            Err(tokens) => Some(tokens),
        };
    let method_doc = doc_attrs(&method_doc);
    let module_doc = inner_doc_attrs(&format!("Action {wire}, from `{}`.", a.source));
    let tests = crate::examples::tests(a, api);
    let blocking_doc = doc_attrs(&format!(
        "Blocking form of [`crate::Client::{}`]: the same request, response and errors.",
        a.method.trim_start_matches("r#")
    ));
    let login = crate::chores::login(a, api);
    let pages = crate::chores::pages(a);
    let example_reply = crate::examples::success_example(a).map(|json| {
        quote! {
            /// The documented success reply, served by [`crate::test_util::server`].
            #[cfg(feature = "test-util")]
            pub(crate) const EXAMPLE_REPLY: (&str, &str) = (#action_name, #json);
        }
    });

    quote! {
        #module_doc

        const OPERATION: ::iot_explorer_runtime::Operation = ::iot_explorer_runtime::Operation {
            action: #action_name,
            endpoint: #endpoint,
            auth: #auth,
            fixed_params: &[#(#fixed),*],
            data_wrapper: #data_wrapper,
            sensitive: &[#(#sensitive),*],
        };

        #req_doc
        #[derive(Clone, #req_debug_derive #req_default PartialEq, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #req { #(#req_fields)* }

        #req_new
        #req_debug

        #resp_doc
        #[derive(Clone, #resp_debug_derive Default, PartialEq, ::serde::Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct #resp { #(#resp_fields)* }
        #resp_debug

        impl crate::Client {
            #method_doc
            pub async fn #method(&self, request: #req) -> ::std::result::Result<#resp, crate::Error> {
                self.inner.call(&OPERATION, &request).await
            }
        }

        impl ::iot_explorer_runtime::Request for #req {
            type Response = #resp;
            const OPERATION: &'static ::iot_explorer_runtime::Operation = &OPERATION;
        }

        #[cfg(feature = "blocking")]
        impl crate::blocking::Client {
            #blocking_doc
            pub fn #method(&self, request: #req) -> ::std::result::Result<#resp, crate::Error> {
                self.inner.call_blocking(&OPERATION, &request)
            }
        }

        #pages

        #login

        #example_reply

        #tests

        #unparsable_doctest
    }
}
