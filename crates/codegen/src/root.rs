//! `src/lib.rs`: crate docs, re-exports, and the `Client` newtype.

use crate::docs::inner_doc_attrs;
use apidoc::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The crate root.
pub fn lib_rs(api: &Api, options: &crate::Options) -> TokenStream {
    let readme = options.readme_doctests.as_ref().map(|path| {
        quote! {
            /// The README's examples, compiled and checked as doctests.
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            pub struct ReadmeDoctests;
        }
    });
    let s = &api.service;
    let (name, version, base_url) = (&s.crate_name, &s.version, &s.default_base_url);
    let mut doc = format!(
        "{}\n\nOne method of [`Client`] per action of the docs, its request and response types, the shared structures and [`ErrorCode`]; every type is reachable from the crate root.",
        s.description,
    );
    if let Some(session) = &api.session
        && let Some(login) = api.actions.iter().find(|a| a.method == session.login)
    {
        let forms: Vec<String> = session
            .logins
            .iter()
            .map(|f| format!("`Login::{}`", f.name))
            .collect();
        doc.push_str(&format!(
                "\n\n# Logging in\n\n`ClientBuilder::login` takes a `Login` ({}): the client calls `{}` when a token call first needs a token, reuses the token until shortly before it expires, and logs in again when the server refuses it. A [`TokenProvider`] supplies tokens obtained elsewhere.",
                forms.join(", "),
                login.name
            ));
    }
    let paginated: Vec<String> = api
        .actions
        .iter()
        .filter(|a| a.pagination.is_some())
        .map(|a| {
            let m = apidoc::naming::with_suffix(&a.method, "pages");
            format!("- [`Client::{m}`] (`{}`)", a.name)
        })
        .collect();
    if !paginated.is_empty() {
        doc.push_str(&format!(
            "\n\n# Paginated actions\n\nThese list actions also have a walker over every page ([`Pages`]), found by the rule over their tables (offset and limit, or a cursor, in; one array out):\n\n{}",
            paginated.join("\n")
        ));
    }
    if let Some(c) = &api.channel {
        doc.push_str(&format!(
            "\n\n# Live device changes\n\n[`Client::device_changes`] subscribes to devices over the WebSocket channel (`{}`) and returns [`DeviceChanges`], a stream of typed changes that heartbeats (`{}`), reconnects and subscribes again by itself.",
            c.url, c.heartbeat
        ));
    }
    let crate_doc = inner_doc_attrs(&doc);
    let default_doc = format!(" Default base URL: `{base_url}`.");
    // The codes that make a session log in again, from `[session]`.
    let invalid_token_codes = api.session.as_ref().map(|s| {
        let codes = &s.invalid_token_codes;
        quote!(const INVALID_TOKEN_CODES: &'static [&'static str] = &[#(#codes),*];)
    });
    let apidoc::ir::CommonParameters {
        action,
        request_id,
        access_token,
        app_key,
        timestamp,
        nonce,
        signature,
    } = &s.common_parameters;
    let channel = api.channel.as_ref().map(|_| {
        quote! {
            mod channel;
            pub use channel::*;
        }
    });
    quote! {
        #crate_doc
        #![warn(missing_docs)]

        mod actions;
        #channel
        mod error_code;
        mod structs;
        #[cfg(test)]
        mod example_tests;

        #[allow(unused_imports, reason = "empty when no action group is enabled")]
        pub use actions::*;
        pub use error_code::ErrorCode;
        #[allow(unused_imports, reason = "empty when no action group is enabled")]
        pub use structs::*;
        pub use ::iot_explorer_runtime::{ErrorKind, Request, RetryPolicy};
        pub use ::iot_explorer_runtime::{Token, TokenContext, TokenError, TokenFuture, TokenProvider};

        /// The pages of a list action, one call each: `next().await`, a
        /// `Stream`, or `collect_items().await`. Made by the `_pages` methods.
        pub type Pages<Req, Resp, Item> = ::iot_explorer_runtime::Pages<Req, Resp, Item, ErrorCode>;

        /// The items of every page of a list action: [`Pages::items`].
        pub type Items<Req, Resp, Item> = ::iot_explorer_runtime::Items<Req, Resp, Item, ErrorCode>;

        /// Every failure of a call: API error codes, HTTP and transport
        /// failures, timeouts, undecodable replies, missing credentials.
        pub type Error = ::iot_explorer_runtime::Error<ErrorCode>;

        /// Configures a [`Client`]: base URL, credentials, timeouts, retries.
        pub type ClientBuilder = ::iot_explorer_runtime::ClientBuilder<Client>;

        const SERVICE: ::iot_explorer_runtime::ServiceInfo = ::iot_explorer_runtime::ServiceInfo {
            name: #name,
            version: #version,
            default_base_url: #base_url,
            common_params: ::iot_explorer_runtime::CommonParams {
                action: #action,
                request_id: #request_id,
                access_token: #access_token,
                app_key: #app_key,
                timestamp: #timestamp,
                nonce: #nonce,
                signature: #signature,
            },
        };

        /// The API client: one async method per action.
        ///
        /// Cheap to clone; clones share connections.
        #[doc = #default_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: ::iot_explorer_runtime::Client<ErrorCode>,
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The same client with another access token, for example the one
            /// a login call returned.
            pub fn with_access_token(&self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                Client { inner: self.inner.with_access_token(token) }
            }
        }

        impl ::iot_explorer_runtime::GeneratedClient for Client {
            type Code = ErrorCode;
            const SERVICE: &'static ::iot_explorer_runtime::ServiceInfo = &SERVICE;
            #invalid_token_codes
            fn from_inner(inner: ::iot_explorer_runtime::Client<ErrorCode>) -> Self {
                Client { inner }
            }
        }

        /// A synchronous client of the same shape, for callers without an
        /// async runtime: the same builder, requests, responses and errors,
        /// and methods that wait for the reply.
        #[cfg(feature = "blocking")]
        pub mod blocking {
            /// Configures a blocking [`Client`].
            pub type ClientBuilder = ::iot_explorer_runtime::ClientBuilder<Client>;

            /// The blocking API client: one method per action.
            ///
            /// Do not call it from inside an async runtime; use [`crate::Client`] there.
            #[derive(Clone, Debug)]
            pub struct Client {
                pub(crate) inner: ::iot_explorer_runtime::Client<crate::ErrorCode>,
            }

            impl Client {
                /// Starts configuring a client.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new()
                }

                /// The same client with another access token.
                pub fn with_access_token(&self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Client { inner: self.inner.with_access_token(token) }
                }
            }

            impl ::iot_explorer_runtime::GeneratedClient for Client {
                type Code = crate::ErrorCode;
                const SERVICE: &'static ::iot_explorer_runtime::ServiceInfo = &crate::SERVICE;
                #invalid_token_codes
                fn from_inner(inner: ::iot_explorer_runtime::Client<crate::ErrorCode>) -> Self {
                    Client { inner }
                }
            }
        }

        #[cfg(feature = "test-util")]
        pub mod test_util;

        #readme
    }
}

/// `src/test_util.rs`: the loopback server for downstream tests, answering
/// each action with its documented success example.
pub fn test_util_rs(api: &Api) -> TokenStream {
    let installs = api
        .actions
        .iter()
        .filter(|a| crate::examples::success_example(a).is_some())
        .map(|a| {
            let m = crate::fields::ident(&crate::fields::module_name(&a.method));
            let cfg = crate::fields::cfg_groups(a.group.as_slice());
            quote!(#cfg examples.push(crate::actions::#m::EXAMPLE_REPLY);)
        });
    let doc = inner_doc_attrs(
        "A real HTTP server on 127.0.0.1 that answers like the API, for tests of crates that use this one.\n\n\
         [`server`] answers every action that has a documented success example with that example; \
         [`TestServer::respond`] sets another reply (an error code, a delay, a broken body, a sequence), \
         and [`TestServer::requests`] shows what the client sent.",
    );
    let doc = match &api.channel {
        Some(_) => {
            let mut d = doc;
            d.extend(inner_doc_attrs(
                "\n[`channel`] is the WebSocket channel's counterpart: a loopback socket that answers subscriptions \
                 and heartbeats, pushes the changes a test gives it ([`TestChannel::push`]), drops connections and \
                 records every frame the client sent.",
            ));
            d
        }
        None => doc,
    };
    let channel = api.channel.as_ref().map(|_| {
        quote! {
            pub use ::iot_explorer_runtime::test_util::{ChannelReply, ClockHold, ConnectionInfo, RecordedFrame, TestChange, TestChannel};

            /// Starts a loopback WebSocket channel that answers subscriptions and heartbeats as the docs do;
            /// give its [`TestChannel::url`] to `ClientBuilder::channel_url`.
            pub async fn channel() -> TestChannel {
                TestChannel::start_with(crate::SERVICE.common_params, &crate::channel::CHANNEL).await
            }
        }
    });
    quote! {
        #doc
        pub use ::iot_explorer_runtime::test_util::{RecordedRequest, Reply, TestServer};
        #channel

        /// `(action, reply JSON)` for every compiled action with a documented success example.
        #[allow(clippy::vec_init_then_push, reason = "each push has its own cfg")]
        fn examples() -> ::std::vec::Vec<(&'static str, &'static str)> {
            let mut examples = ::std::vec::Vec::new();
            #(#installs)*
            examples
        }

        /// Starts a server whose default reply for each action is its documented example.
        pub async fn server() -> TestServer {
            let server = TestServer::start_with_params(crate::SERVICE.common_params).await;
            install(&server);
            server
        }

        /// [`server`] for blocking tests: the server runs on its own thread.
        pub fn server_blocking() -> TestServer {
            let server = TestServer::start_blocking_with_params(crate::SERVICE.common_params);
            install(&server);
            server
        }

        fn install(server: &TestServer) {
            for (action, json) in examples() {
                // The examples were parsed when the crate was generated.
                if let Ok(value) = ::serde_json::from_str::<::serde_json::Value>(json) {
                    server.set_default(action, Reply::json(200, &value));
                }
            }
        }
    }
}

/// `src/example_tests.rs`: what the generated example tests share.
pub fn example_tests_rs() -> TokenStream {
    let doc = inner_doc_attrs("Helpers for the tests generated from the doc examples.");
    quote! {
        #doc
        use ::iot_explorer_runtime::test_util::TestServer;

        /// A loopback server and a client pointed at it, with every credential set.
        pub(crate) async fn server_and_client() -> (TestServer, crate::Client) {
            let server = TestServer::start_with_params(crate::SERVICE.common_params).await;
            let client = crate::Client::builder()
                .base_url(server.base_url())
                .access_token("test-access-token")
                .app_key("test-app-key")
                .app_secret("test-app-secret")
                .retry_policy(crate::RetryPolicy::none())
                .build()
                .expect("client for the test server");
            (server, client)
        }

        /// The whole body of the one request the server received.
        pub(crate) fn sent_body(server: &TestServer, action: &str) -> ::serde_json::Value {
            let requests = server.requests_for(action);
            assert_eq!(requests.len(), 1, "expected one request for {action}");
            ::serde_json::Value::Object(requests[0].params().cloned().expect("a JSON object body"))
        }

        /// Asserts that the client sent `expected`: the common parameters
        /// (`common`) are checked for presence and JSON type only, since
        /// their values are per call; every other member must be equal.
        pub(crate) fn assert_body(sent: &::serde_json::Value, expected: &::serde_json::Value, common: &[&str]) {
            let (Some(sent), Some(expected)) = (sent.as_object(), expected.as_object()) else {
                panic!("both bodies must be JSON objects:\n sent: {sent}\n expected: {expected}");
            };
            let kind = |v: &::serde_json::Value| match v {
                ::serde_json::Value::Null => "null",
                ::serde_json::Value::Bool(_) => "a boolean",
                ::serde_json::Value::Number(_) => "a number",
                ::serde_json::Value::String(_) => "a string",
                ::serde_json::Value::Array(_) => "an array",
                ::serde_json::Value::Object(_) => "an object",
            };
            for name in common {
                let (Some(s), Some(e)) = (sent.get(*name), expected.get(*name)) else {
                    panic!("`{name}` is sent: {}, shown in the example: {}", sent.contains_key(*name), expected.contains_key(*name));
                };
                assert_eq!(kind(s), kind(e), "`{name}` is sent as {}, but the example shows {}", kind(s), kind(e));
            }
            let rest = |m: &::serde_json::Map<::std::string::String, ::serde_json::Value>| -> ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value> {
                m.iter()
                    .filter(|(k, _)| !common.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            assert_eq!(rest(sent), rest(expected), "the body sent differs from the documented example");
        }
    }
}
