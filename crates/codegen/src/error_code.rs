//! `src/error_code.rs`: one enum over every documented error code.

use crate::docs::{doc_attrs, inner_doc_attrs, spec_text};
use crate::fields::ident;
use apidoc::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The `ErrorCode` enum, its conversions and its descriptions.
pub fn error_code_rs(api: &Api) -> TokenStream {
    let codes = &api.error_codes;
    let variants = codes.iter().map(|c| {
        let v = ident(&c.variant);
        let doc = doc_attrs(&format!("`{}`: {}", c.code, spec_text(&c.description)));
        quote! { #doc #v, }
    });
    let as_str = codes.iter().map(|c| {
        let v = ident(&c.variant);
        let code = &c.code;
        quote! { ErrorCode::#v => #code, }
    });
    let from = codes.iter().map(|c| {
        let v = ident(&c.variant);
        let code = &c.code;
        quote! { #code => ErrorCode::#v, }
    });
    let describe = codes.iter().map(|c| {
        let v = ident(&c.variant);
        let d = &c.description;
        quote! { ErrorCode::#v => ::std::option::Option::Some(#d), }
    });
    let module_doc = inner_doc_attrs("Error codes documented by the action pages.");
    quote! {
        #module_doc

        /// An error code the API returns, typed.
        ///
        /// Every code documented on any action page has a variant; a code no
        /// page lists is kept as sent in [`ErrorCode::Unknown`], so matching
        /// on codes never fails and new codes never break a caller.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code no page documents, as sent on the wire.
            Unknown(::std::string::String),
        }

        impl ErrorCode {
            /// The code as sent on the wire (`InvalidParameterValue.InvalidAccessToken`).
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    ErrorCode::Unknown(code) => code,
                }
            }

            /// The docs' description of the code, if it is documented.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#describe)*
                    ErrorCode::Unknown(_) => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    #(#from)*
                    other => ErrorCode::Unknown(other.to_string()),
                }
            }
        }

        impl ::std::str::FromStr for ErrorCode {
            type Err = ::std::convert::Infallible;
            fn from_str(code: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(ErrorCode::from(code))
            }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::iot_explorer_runtime::ErrorCodeType for ErrorCode {
            fn as_str(&self) -> &str {
                ErrorCode::as_str(self)
            }
        }
    }
}
