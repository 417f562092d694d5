//! Doc examples -> tests in the generated crate and a usage doctest on
//! each client method.
//!
//! Request tests send the request built from the example to the loopback
//! test server and compare the body it received with the example; response
//! tests serve the example as the reply and check the decoded values. Both
//! go through the real client, envelope decoding included.

use crate::fields::{ident, ty_in};
use apidoc::ir::{Action, Auth, ExampleKind, Field, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// An expression of exactly type `t` with the value `v`, or `None` when the
/// value does not have the documented shape (the lint reports that).
/// Structures are named under `root`. Prelude names (`String`, `vec!`) are
/// safe: the test modules and doctests import nothing that shadows them.
pub fn value_expr(t: &Type, v: &Value, root: &TokenStream) -> Option<TokenStream> {
    Some(match (t, v) {
        (Type::String, Value::String(s)) => quote!(String::from(#s)),
        (Type::I64, Value::Number(n)) => Literal::i64_suffixed(n.as_i64()?).into_token_stream(),
        (Type::U64, Value::Number(n)) => Literal::u64_suffixed(n.as_u64()?).into_token_stream(),
        (Type::F64, Value::Number(n)) => {
            let f = n.as_f64().filter(|f| f.is_finite())?;
            Literal::f64_suffixed(f).into_token_stream()
        }
        (Type::Bool, Value::Bool(b)) => quote!(#b),
        (Type::List(inner), Value::Array(items)) => {
            let items = items
                .iter()
                .map(|i| value_expr(inner, i, root))
                .collect::<Option<Vec<_>>>()?;
            quote!(vec![#(#items),*])
        }
        (Type::Json, v) => from_json(&quote!(serde_json::Value), v),
        (Type::Struct { .. }, Value::Object(_)) => from_json(&ty_in(t, root), v),
        _ => return None,
    })
}

/// A value as the argument of a setter or `new` (`impl Into<T>`): a string
/// literal reads better than `String::from` there.
fn arg_expr(t: &Type, v: &Value, root: &TokenStream) -> Option<TokenStream> {
    match (t, v) {
        (Type::String, Value::String(s)) => Some(quote!(#s)),
        _ => value_expr(t, v, root),
    }
}

fn from_json(t: &TokenStream, v: &Value) -> TokenStream {
    let text = raw_str(&serde_json::to_string_pretty(v).unwrap_or_default());
    quote!(serde_json::from_str::<#t>(#text).expect("example JSON"))
}

/// A raw string literal, with enough `#`s that the text cannot end it.
pub fn raw_str(text: &str) -> Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal is a valid literal")
}

trait IntoTokens {
    fn into_token_stream(self) -> TokenStream;
}

impl IntoTokens for Literal {
    fn into_token_stream(self) -> TokenStream {
        quote!(#self)
    }
}

/// A stand-in value for a required parameter no example gives.
fn placeholder(t: &Type, root: &TokenStream) -> TokenStream {
    match t {
        Type::String => quote!("example"),
        Type::I64 => quote!(0i64),
        Type::U64 => quote!(0u64),
        Type::F64 => quote!(0f64),
        Type::Bool => quote!(false),
        Type::Json => quote!(serde_json::Value::Null),
        Type::List(_) => quote!(Vec::new()),
        Type::Struct { .. } => {
            let t = ty_in(t, root);
            quote!(<#t>::default())
        }
    }
}

/// The request built from an example's object, or `None` if some
/// documented value has the wrong shape or a required one is missing.
fn request_from(
    a: &Action,
    root: &TokenStream,
    example: Option<&serde_json::Map<String, Value>>,
) -> Option<TokenStream> {
    let path = if root.is_empty() {
        quote!()
    } else {
        quote!(#root::)
    };
    let req = format_ident!("{}Request", a.type_name);
    let get = |f: &Field| {
        example
            .and_then(|e| e.get(&f.api_name))
            .filter(|v| !v.is_null())
    };
    let mut args = Vec::new();
    for f in a.inputs.iter().filter(|f| f.required) {
        args.push(match (get(f), example) {
            (Some(v), _) => arg_expr(&f.ty, v, root)?,
            (None, None) => placeholder(&f.ty, root),
            (None, Some(_)) => return None,
        });
    }
    let mut setters = Vec::new();
    for f in a.inputs.iter().filter(|f| !f.required) {
        if let Some(v) = get(f) {
            let setter = format_ident!("with_{}", f.rust_name.trim_start_matches("r#"));
            let v = arg_expr(&f.ty, v, root)?;
            setters.push(quote!(.#setter(#v)));
        }
    }
    Some(quote!(#path #req::new(#(#args),*) #(#setters)*))
}

fn credentials(a: &Action) -> TokenStream {
    match a.auth {
        Auth::AccessToken => quote!(.access_token("your-access-token")),
        Auth::Signed => quote!(.app_key("your-app-key").app_secret("your-app-secret")),
    }
}

/// The `# Example` section of a method's docs: a `no_run` doctest built
/// from the first usable request example (placeholders otherwise).
pub fn doctest(a: &Action, crate_ident: &str) -> String {
    let krate = format_ident!("{}", crate_ident);
    let root = quote!(#krate);
    let request = a
        .examples
        .iter()
        .filter(|e| e.kind == ExampleKind::Request)
        .find_map(|e| request_from(a, &root, e.value.as_object()))
        .or_else(|| request_from(a, &root, None))
        .unwrap_or_else(|| quote!(unreachable!()));
    let method = ident(&a.method);
    let creds = credentials(a);
    let file: syn::File = syn::parse_quote! {
        async fn example() -> Result<(), #krate::Error> {
            let client = #krate::Client::builder() #creds .build()?;
            let request = #request;
            let response = client.#method(request).await?;
            println!("{response:?}");
            Ok(())
        }
    };
    let text = prettyplease::unparse(&file);
    let mut out = String::from("# Example\n\n```no_run\n");
    let lines: Vec<&str> = text.trim_end().lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let hidden = i == 0 || i + 1 == lines.len() || line.trim() == "Ok(())";
        out.push_str(if hidden { "# " } else { "" });
        out.push_str(line.strip_prefix("    ").unwrap_or(line));
        out.push('\n');
    }
    out.push_str("```");
    out
}

/// `#[cfg(test)] mod tests` for one action, empty if it has no examples.
pub fn tests(a: &Action) -> TokenStream {
    let method = ident(&a.method);
    let action = &a.name;
    let mut tests = Vec::new();
    for e in &a.examples {
        let name = format_ident!("{}_{}", a.method.trim_start_matches("r#"), e.name);
        let doc = format!(
            " The {} example at line {} of `{}`.",
            e.kind.label(),
            e.line,
            a.source
        );
        let body = match e.kind {
            ExampleKind::Request => {
                let Some(obj) = e.value.as_object() else {
                    continue;
                };
                let Some(request) = request_from(a, &crate_root(), Some(obj)) else {
                    continue;
                };
                let json = raw_str(&serde_json::to_string_pretty(&e.value).unwrap_or_default());
                quote! {
                    let (server, client) = crate::test_support::server_and_client().await;
                    let _ = client.#method(#request).await;
                    let sent = crate::test_support::sent_params(&server, #action);
                    let example = crate::test_support::without_common(::serde_json::from_str(#json).unwrap());
                    assert_eq!(sent, example, "the body sent differs from the documented example");
                }
            }
            ExampleKind::Success => {
                let request =
                    request_from(a, &crate_root(), None).unwrap_or_else(|| quote!(unreachable!()));
                let json = raw_str(&serde_json::to_string_pretty(&e.value).unwrap_or_default());
                let payload = e.value.get("Response");
                let payload = if a.data_wrapper {
                    payload.and_then(|p| p.get("Data"))
                } else {
                    payload
                };
                let checks = payload
                    .and_then(Value::as_object)
                    .map(|p| field_checks(&a.outputs, p))
                    .unwrap_or_default();
                // Decoding is the test even when no documented field is given.
                let response = if checks.is_empty() {
                    format_ident!("_response")
                } else {
                    format_ident!("response")
                };
                quote! {
                    let (server, client) = crate::test_support::server_and_client().await;
                    server.respond(#action, ::iot_explorer_runtime::test_util::Reply::json(200, &::serde_json::from_str(#json).unwrap()));
                    let #response = client.#method(#request).await.expect("the documented reply decodes");
                    #(#checks)*
                }
            }
            ExampleKind::Error => {
                let request =
                    request_from(a, &crate_root(), None).unwrap_or_else(|| quote!(unreachable!()));
                let json = raw_str(&serde_json::to_string_pretty(&e.value).unwrap_or_default());
                let err = e.value.pointer("/Response/Error");
                let code = err.and_then(|e| e.get("Code")).and_then(Value::as_str);
                let message = err.and_then(|e| e.get("Message")).and_then(Value::as_str);
                let code_check = code
                    .map(|c| quote!(assert_eq!(error.code(), Some(&crate::ErrorCode::from(#c)));));
                let message_check = message.map(|m| quote!(assert_eq!(error.message(), Some(#m));));
                quote! {
                    let (server, client) = crate::test_support::server_and_client().await;
                    server.respond(#action, ::iot_explorer_runtime::test_util::Reply::json(200, &::serde_json::from_str(#json).unwrap()));
                    let error = client.#method(#request).await.expect_err("the documented error reply is an error");
                    #code_check
                    #message_check
                }
            }
        };
        tests.push(quote! {
            #[doc = #doc]
            #[tokio::test]
            async fn #name() { #body }
        });
    }
    if tests.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[cfg(test)]
        mod tests {
            #(#tests)*
        }
    }
}

/// Assertions on the decoded response, one per documented field the
/// example gives.
fn field_checks(outputs: &[Field], payload: &serde_json::Map<String, Value>) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for f in outputs {
        let Some(v) = payload.get(&f.api_name) else {
            continue;
        };
        let name = ident(&f.rust_name);
        let check = match (&f.ty, v) {
            (_, Value::Null) => quote!(assert_eq!(response.#name, None);),
            (Type::List(_), Value::Array(items)) => {
                let n = items.len();
                quote!(assert_eq!(response.#name.as_ref().map(|v| v.len()), Some(#n));)
            }
            (Type::Struct { .. }, Value::Object(_)) => quote!(assert!(response.#name.is_some());),
            (t, v) => match value_expr(t, v, &crate_root()) {
                Some(e) => quote!(assert_eq!(response.#name, Some(#e));),
                None => continue,
            },
        };
        out.push(check);
    }
    out
}

fn crate_root() -> TokenStream {
    quote!(crate)
}

/// The first success example that has a `Response` object, as a raw string
/// literal, for the test server's default reply.
pub fn success_example(a: &Action) -> Option<Literal> {
    let e = a.examples.iter().find(|e| {
        e.kind == ExampleKind::Success && e.value.get("Response").is_some_and(Value::is_object)
    })?;
    Some(raw_str(&serde_json::to_string_pretty(&e.value).ok()?))
}
