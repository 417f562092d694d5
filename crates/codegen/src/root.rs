//! `src/lib.rs`: crate docs, re-exports, and the `Client` newtype.

use crate::docs::inner_doc_attrs;
use proc_macro2::TokenStream;
use quote::quote;
use spec::ir::Api;

/// The crate root.
pub fn lib_rs(api: &Api) -> TokenStream {
    let s = &api.service;
    let (name, version, base_url) = (&s.crate_name, &s.version, &s.default_base_url);
    let crate_doc = inner_doc_attrs(&format!(
        "{}\n\n{} actions, {} structures, {} documented error codes. Every type is reachable from the crate root.",
        s.description,
        api.actions.len(),
        api.structs.len(),
        api.error_codes.len()
    ));
    let default_doc = format!(" Default base URL: `{base_url}`.");
    quote! {
        #crate_doc
        #![warn(missing_docs)]

        mod actions;
        mod error_code;
        mod structs;
        #[cfg(test)]
        mod test_support;

        pub use actions::*;
        pub use error_code::ErrorCode;
        pub use structs::*;
        pub use ::iot_explorer_runtime::{ErrorKind, RetryPolicy};

        /// Every failure of a call: API error codes, HTTP and transport
        /// failures, timeouts, undecodable replies, missing credentials.
        pub type Error = ::iot_explorer_runtime::Error<ErrorCode>;

        /// Configures a [`Client`]: base URL, credentials, timeouts, retries.
        pub type ClientBuilder = ::iot_explorer_runtime::ClientBuilder<Client>;

        const SERVICE: ::iot_explorer_runtime::ServiceInfo = ::iot_explorer_runtime::ServiceInfo {
            name: #name,
            version: #version,
            default_base_url: #base_url,
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
            fn from_inner(inner: ::iot_explorer_runtime::Client<ErrorCode>) -> Self {
                Client { inner }
            }
        }
    }
}

/// `src/test_support.rs`: what the generated example tests share.
pub fn test_support_rs(api: &Api) -> TokenStream {
    let common = &api.service.common_parameters;
    let doc = inner_doc_attrs("Helpers for the tests generated from the doc examples.");
    quote! {
        #doc
        use ::iot_explorer_runtime::test_util::TestServer;

        /// The parameters the client supplies itself: examples show them, but
        /// their values are per call.
        const COMMON: &[&str] = &[#(#common),*];

        /// A loopback server and a client pointed at it, with every credential set.
        pub(crate) async fn server_and_client() -> (TestServer, crate::Client) {
            let server = TestServer::start().await;
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

        /// The body of the one request the server received, common parameters removed.
        pub(crate) fn sent_params(server: &TestServer, action: &str) -> ::serde_json::Value {
            let requests = server.requests_for(action);
            assert_eq!(requests.len(), 1, "expected one request for {action}");
            let params = requests[0].params().cloned().expect("a JSON object body");
            without_common(::serde_json::Value::Object(params))
        }

        /// An example body with the common parameters removed.
        pub(crate) fn without_common(mut value: ::serde_json::Value) -> ::serde_json::Value {
            if let Some(map) = value.as_object_mut() {
                map.retain(|k, _| !COMMON.contains(&k.as_str()));
            }
            value
        }
    }
}
