//! Doc examples -> tests in the generated crate and a usage doctest on
//! each client method.
//!
//! Request tests send the request built from the example to the loopback
//! test server and compare the body it received with the example; response
//! tests serve the example as the reply and check the decoded values. Both
//! go through the real client, envelope decoding included.

use crate::fields::{ident, ty_in};
use apidoc::ir::{Action, Api, Auth, DefectKind, Example, ExampleKind, Field, Struct, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};
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

/// The required fields of a structure, as the generated `new` takes them.
fn required_fields<'a>(structs: &'a [Struct], name: &str) -> Vec<&'a Field> {
    structs
        .iter()
        .find(|s| s.rust_name == name)
        .filter(|s| s.input)
        .map(|s| s.fields.iter().filter(|f| f.required).collect())
        .unwrap_or_default()
}

/// A stand-in value for a required parameter no example gives: a
/// structure is built with its own `new`, from stand-ins.
fn placeholder(t: &Type, structs: &[Struct], root: &TokenStream) -> TokenStream {
    match t {
        Type::String => quote!("example"),
        Type::I64 => quote!(0i64),
        Type::U64 => quote!(0u64),
        Type::F64 => quote!(0f64),
        Type::Bool => quote!(false),
        Type::Json => quote!(serde_json::Value::Object(serde_json::Map::new())),
        Type::List(_) => quote!(Vec::new()),
        Type::Struct { name, boxed } => {
            let path = ty_in(
                &Type::Struct {
                    name: name.clone(),
                    boxed: false,
                },
                root,
            );
            let args = required_fields(structs, name)
                .into_iter()
                .map(|f| placeholder(&f.ty, structs, root));
            let value = quote!(<#path>::new(#(#args),*));
            if *boxed {
                quote!(::std::boxed::Box::new(#value))
            } else {
                value
            }
        }
    }
}

/// The request built from an example's object, or `None` if some
/// documented value has the wrong shape or a required one is missing.
fn request_from(
    a: &Action,
    structs: &[Struct],
    root: &TokenStream,
    example: Option<&serde_json::Map<String, Value>>,
) -> Result<TokenStream, String> {
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
    let mistyped = |f: &Field| {
        format!(
            "the example gives `{}` a value that does not have its documented type",
            f.api_name
        )
    };
    let mut args = Vec::new();
    for f in a.inputs.iter().filter(|f| f.required) {
        args.push(match (get(f), example) {
            (Some(v), _) => arg_expr(&f.ty, v, root).ok_or_else(|| mistyped(f))?,
            (None, None) => placeholder(&f.ty, structs, root),
            (None, Some(_)) => {
                return Err(format!(
                    "the example does not give `{}`, which the table requires",
                    f.api_name
                ));
            }
        });
    }
    let mut setters = Vec::new();
    for f in a.inputs.iter().filter(|f| !f.required) {
        if let Some(v) = get(f) {
            let setter = format_ident!("with_{}", f.rust_name.trim_start_matches("r#"));
            let v = arg_expr(&f.ty, v, root).ok_or_else(|| mistyped(f))?;
            setters.push(quote!(.#setter(#v)));
        }
    }
    Ok(quote!(#path #req::new(#(#args),*) #(#setters)*))
}

fn credentials(a: &Action) -> TokenStream {
    match a.auth {
        Auth::AccessToken => quote!(.access_token("your-access-token")),
        Auth::Signed => quote!(.app_key("your-app-key").app_secret("your-app-secret")),
    }
}

/// The `# Example` section of a method's docs: a `no_run` doctest built
/// from the first usable request example (placeholders otherwise).
///
/// The doctest is parsed here, not with the file, because it becomes text
/// in a doc attribute. Tokens that do not parse (a generator bug, such as
/// an IR name that is not an identifier) come back as the error, for the
/// caller to put in the file: formatting the file then fails with syn's
/// message as a [`crate::Error`] naming the file, instead of a panic here.
pub fn doctest(a: &Action, structs: &[Struct], crate_ident: &str) -> Result<String, TokenStream> {
    let krate = format_ident!("{}", crate_ident);
    let root = quote!(#krate);
    let request = a
        .examples
        .iter()
        .filter(|e| e.kind == ExampleKind::Request)
        .find_map(|e| request_from(a, structs, &root, e.value.as_object()).ok())
        .or_else(|| request_from(a, structs, &root, None).ok())
        .unwrap_or_else(|| quote!(unreachable!()));
    let method = ident(&a.method);
    let creds = credentials(a);
    let tokens = quote! {
        async fn example() -> Result<(), #krate::Error> {
            let client = #krate::Client::builder() #creds .build()?;
            let request = #request;
            let response = client.#method(request).await?;
            println!("{response:?}");
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|_| tokens)?;
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
    Ok(out)
}

/// `#[cfg(test)] mod tests` for one action: one test per example, empty
/// if it has none. Every parsed example becomes a test; one whose request
/// cannot be built from it (an undeclared defect) becomes a test that
/// fails and says why, so that `cargo test` asks for a correction or a
/// declaration in `overrides.toml` instead of skipping it.
pub fn tests(a: &Action, api: &Api) -> TokenStream {
    let tests: Vec<_> = a.examples.iter().map(|e| example_test(a, api, e)).collect();
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

fn example_test(a: &Action, api: &Api, e: &Example) -> TokenStream {
    let (service, structs) = (&api.service, api.structs.as_slice());
    let method = ident(&a.method);
    let action = &a.name;
    let name = ident(&apidoc::naming::with_suffix(&a.method, &e.name));
    let mut doc = format!(
        "The {} example at line {} of `{}`.",
        e.kind.label(),
        e.line,
        e.source
    );
    for d in &e.defects {
        let about = d
            .field
            .as_ref()
            .map(|f| format!(" `{f}`"))
            .unwrap_or_default();
        doc.push_str(&format!(
            "\n\nKnown defect ({}{about}), declared in overrides.toml: {}",
            d.kind.as_str(),
            d.reason
        ));
    }
    let doc = crate::docs::doc_attrs(&doc);
    let json = |v: &Value| raw_str(&serde_json::to_string_pretty(v).unwrap_or_default());
    let body = match e.kind {
        ExampleKind::Request => match expected_body(a, structs, e) {
            Ok((expected, request)) => {
                let expected = json(&Value::Object(expected));
                let common = service.common_parameters.of(a.auth);
                quote! {
                    let (server, client) = crate::example_tests::server_and_client().await;
                    let _ = client.#method(#request).await;
                    let sent = crate::example_tests::sent_body(&server, #action);
                    let expected = ::serde_json::from_str(#expected).unwrap();
                    crate::example_tests::assert_body(&sent, &expected, &[#(#common),*]);
                }
            }
            Err(why) => {
                let why = format!(
                    "{why}: correct the docs in overrides.toml, or declare the defect with an [[example]] entry"
                );
                quote! { panic!(#why); }
            }
        },
        ExampleKind::Success => {
            let (request, reply) = served(a, structs, e);
            let payload = reply.get("Response");
            let payload = if a.data_wrapper {
                payload.and_then(|p| p.get("Data"))
            } else {
                payload
            };
            let mistyped: Vec<&str> = e
                .defects
                .iter()
                .filter(|d| d.kind == DefectKind::Type)
                .filter_map(|d| d.field.as_deref())
                .collect();
            let checks = payload
                .and_then(Value::as_object)
                .map(|p| field_checks(&a.outputs, p, &mistyped))
                .unwrap_or_default();
            // Decoding is the test even when no documented field is given.
            let response = if checks.is_empty() {
                format_ident!("_response")
            } else {
                format_ident!("response")
            };
            let reply = json(&reply);
            quote! {
                let (server, client) = crate::example_tests::server_and_client().await;
                server.respond(#action, ::iot_explorer_runtime::test_util::Reply::json(200, &::serde_json::from_str(#reply).unwrap()));
                let #response = client.#method(#request).await.expect("the documented reply decodes");
                #(#checks)*
            }
        }
        ExampleKind::Error => {
            let (request, reply) = served(a, structs, e);
            let err = reply.pointer("/Response/Error");
            let code = err.and_then(|e| e.get("Code")).and_then(Value::as_str);
            let message = err.and_then(|e| e.get("Message")).and_then(Value::as_str);
            let code_check =
                code.map(|c| quote!(assert_eq!(error.code(), Some(&crate::ErrorCode::from(#c)));));
            let message_check = message.map(|m| quote!(assert_eq!(error.message(), Some(#m));));
            let reply = json(&reply);
            quote! {
                let (server, client) = crate::example_tests::server_and_client().await;
                server.respond(#action, ::iot_explorer_runtime::test_util::Reply::json(200, &::serde_json::from_str(#reply).unwrap()));
                let error = client.#method(#request).await.expect_err("the documented error reply is an error");
                #code_check
                #message_check
            }
        }
    };
    quote! {
        #doc
        #[tokio::test]
        async fn #name() { #body }
    }
}

/// The body the client must send for a request example, given its
/// declared defects, and the request that sends it: an undocumented member
/// is not sent, a mistyped one is sent in its documented type, a missing
/// one with a stand-in value; a `null` member is not set. `Err` says why
/// no request can be built from the example.
fn expected_body(
    a: &Action,
    structs: &[Struct],
    e: &Example,
) -> Result<(serde_json::Map<String, Value>, TokenStream), String> {
    let Some(example) = e.value.as_object() else {
        return Err(format!("the {} example is not a JSON object", e.name));
    };
    let mut body: serde_json::Map<String, Value> = example
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let input = |name: &str| a.inputs.iter().find(|f| f.api_name == name);
    for d in &e.defects {
        let Some(field) = &d.field else { continue };
        match d.kind {
            DefectKind::Undocumented => {
                body.remove(field);
            }
            // The client sends the documented spelling, with the example's value.
            DefectKind::Misspelt => {
                if let (Some(v), Some(f)) = (
                    body.remove(field),
                    a.inputs
                        .iter()
                        .find(|f| f.api_name.eq_ignore_ascii_case(field)),
                ) {
                    body.insert(f.api_name.clone(), v);
                }
            }
            DefectKind::Type => {
                let (Some(f), Some(v)) = (input(field), body.get(field)) else {
                    continue;
                };
                let converted = convert(&f.ty, v).ok_or_else(|| {
                    format!("the example's `{field}` cannot be read as its documented type")
                })?;
                body.insert(field.clone(), converted);
            }
            DefectKind::Missing => {
                if let Some(f) = input(field) {
                    body.insert(field.clone(), placeholder_json(&f.ty, structs));
                }
            }
            DefectKind::NoResponse | DefectKind::Unparsable => {}
        }
    }
    if let Some(p) = &a.sub_command {
        body.insert(p.name.clone(), Value::String(p.value.clone()));
    }
    let request = request_from(a, structs, &crate_root(), Some(&body))?;
    Ok((body, request))
}

/// A value in another JSON type than documented, read as the documented
/// type when that loses nothing: `"3"` as 3, 3 as `"3"`.
fn convert(t: &Type, v: &Value) -> Option<Value> {
    Some(match (t, v) {
        (Type::String, Value::Number(n)) => Value::String(n.to_string()),
        (Type::String, Value::Bool(b)) => Value::String(b.to_string()),
        (Type::I64, Value::String(s)) => Value::from(s.trim().parse::<i64>().ok()?),
        (Type::U64, Value::String(s)) => Value::from(s.trim().parse::<u64>().ok()?),
        (Type::F64, Value::String(s)) => Value::from(s.trim().parse::<f64>().ok()?),
        (Type::Bool, Value::String(s)) => Value::Bool(s.trim().parse::<bool>().ok()?),
        (Type::Bool, Value::Number(n)) => match n.as_i64()? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            _ => return None,
        },
        _ => return None,
    })
}

/// The JSON of [`placeholder`].
fn placeholder_json(t: &Type, structs: &[Struct]) -> Value {
    match t {
        Type::String => Value::from("example"),
        Type::I64 | Type::U64 => Value::from(0),
        Type::F64 => Value::from(0.0),
        Type::Bool => Value::Bool(false),
        Type::Json => Value::Object(serde_json::Map::new()),
        Type::List(_) => Value::Array(Vec::new()),
        Type::Struct { name, .. } => Value::Object(
            required_fields(structs, name)
                .into_iter()
                .map(|f| (f.api_name.clone(), placeholder_json(&f.ty, structs)))
                .collect(),
        ),
    }
}

/// Assertions on the decoded response, one per documented field the
/// example gives.
fn field_checks(
    outputs: &[Field],
    payload: &serde_json::Map<String, Value>,
    mistyped: &[&str],
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for f in outputs {
        let Some(v) = payload.get(&f.api_name) else {
            continue;
        };
        // A declared type defect: decoding it is the test, not its value.
        if mistyped.contains(&f.api_name.as_str()) {
            out.push({
                let name = ident(&f.rust_name);
                quote!(assert!(response.#name.is_some());)
            });
            continue;
        }
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

/// For a reply example: the request a test sends (from stand-ins) and the
/// reply the server gives, inside the envelope where the docs left it out.
fn served(a: &Action, structs: &[Struct], e: &Example) -> (TokenStream, Value) {
    let request =
        request_from(a, structs, &crate_root(), None).unwrap_or_else(|_| quote!(unreachable!()));
    let no_response = e.defects.iter().any(|d| d.kind == DefectKind::NoResponse);
    let reply = if no_response {
        serde_json::json!({ "Response": e.value })
    } else {
        e.value.clone()
    };
    (request, reply)
}
