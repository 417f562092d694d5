//! `src/channel.rs`: the WebSocket channel. The enums of its changes (one
//! per `<Member>类型` table), the `ChannelInfo` the runtime is given,
//! `Client::device_changes`, the channel's types under the crate's error
//! code, and one test per documented push.

use crate::docs::{doc_attrs, inner_doc_attrs, spec_text};
use crate::examples::raw_str;
use crate::fields::ident;
use apidoc::ir::{Api, Channel, PushExample, PushPayload, WireEnum};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// The runtime reads these members of a change into `DeviceChange::kind`
/// and `DeviceChange::sub_kind`; their value lists type those fields.
const KIND: &str = "Type";
const SUB_KIND: &str = "SubType";

/// The module, or `None` when the docs have no channel.
pub fn channel_rs(api: &Api) -> Option<TokenStream> {
    let c = api.channel.as_ref()?;
    let push = c.messages.iter().find(|m| m.push).map(|m| m.name.as_str());
    let of = |member: &str| {
        c.enums
            .iter()
            .find(|e| e.member == member && Some(e.message.as_str()) == push)
    };
    let (kind, sub_kind) = (of(KIND), of(SUB_KIND));
    let ty = |e: Option<&WireEnum>| match e {
        Some(e) => {
            let n = ident(&e.rust_name);
            quote!(#n)
        }
        None => quote!(::std::string::String),
    };
    let (k, s) = (ty(kind), ty(sub_kind));
    let enums = c.enums.iter().map(wire_enum);
    let (url, heartbeat) = (&c.url, &c.heartbeat);
    let module_doc = inner_doc_attrs(&module_doc(c));
    let method_doc = doc_attrs(&format!(
        "Subscribes to the changes of `device_ids` (`PRODUCT/DeviceName`) over the WebSocket channel (`{url}` unless \
         [`ClientBuilder::channel_url`](crate::ClientBuilder::channel_url) says otherwise), and returns the stream of changes.\n\n\
         Returns once the server has answered the subscription. A subscription that accepts only some devices \
         succeeds: [`DeviceChanges::rejected`] names the others (devices not bound to the user). Behind the stream a \
         task sends the heartbeat (`{heartbeat}`) at the interval of \
         [`ClientBuilder::channel_options`](crate::ClientBuilder::channel_options) (60 s unless set), reconnects with \
         backoff after a lost connection and subscribes again ([`ChannelEvent::Reconnected`] says what may have been \
         missed), and stops when the stream is dropped.\n\n\
         # Errors\n\n\
         The socket cannot be opened, the client has no access token, or the subscription is refused: the same \
         [`Error`](crate::Error) as an HTTP call's."
    ));
    let tests = tests(c, kind, sub_kind);
    Some(quote! {
        #module_doc

        #(#enums)*

        /// Where the channel is and what its heartbeat calls, from the docs and `service.toml`.
        #[allow(clippy::needless_update, reason = "a field the runtime adds later takes its default")]
        pub(crate) static CHANNEL: ::iot_explorer_runtime::channel::ChannelInfo = ::iot_explorer_runtime::channel::ChannelInfo {
            url: #url,
            heartbeat_action: #heartbeat,
            ..::iot_explorer_runtime::channel::ChannelInfo::DEFAULT
        };

        /// The stream of [`Client::device_changes`](crate::Client::device_changes): `next().await` or a `Stream`
        /// of [`ChannelEvent`]s.
        pub type DeviceChanges = ::iot_explorer_runtime::channel::DeviceChanges<crate::ErrorCode, #k, #s>;

        /// One item of [`DeviceChanges`]: a change, a lost or restored connection, or items dropped for a slow consumer.
        pub type ChannelEvent = ::iot_explorer_runtime::channel::ChannelEvent<crate::ErrorCode, #k, #s>;

        /// One pushed change, its payload decoded.
        pub type DeviceChange = ::iot_explorer_runtime::channel::DeviceChange<#k, #s>;

        /// Why the stream is reconnecting, and when it tries next.
        pub type Disconnected = ::iot_explorer_runtime::channel::Disconnected<crate::ErrorCode>;

        /// Calls of token actions over the open socket: `changes.handle().send(&request).await`
        /// gives the same response and errors as the client's method ([`DeviceChanges::handle`]).
        pub type ChannelHandle = ::iot_explorer_runtime::channel::ChannelHandle<crate::ErrorCode>;

        pub use ::iot_explorer_runtime::channel::{ChangePayload, ChannelOptions, Reconnected};

        impl crate::Client {
            #method_doc
            pub async fn device_changes(
                &self,
                device_ids: impl ::std::iter::IntoIterator<Item = ::std::string::String>,
            ) -> ::std::result::Result<DeviceChanges, crate::Error> {
                self.inner.device_changes(&CHANNEL, device_ids).await
            }
        }

        #tests
    })
}

/// The module's docs: what each page of the channel documents.
fn module_doc(c: &Channel) -> String {
    let mut doc = format!(
        "Live device changes over the WebSocket channel `{}` (`{}`): [`Client::device_changes`](crate::Client::device_changes).\n\n\
         The messages of the channel, as its pages document them; the client sends and reads them itself:\n",
        c.endpoint, c.url
    );
    for m in &c.messages {
        let what = match (&m.calls, m.push) {
            (_, true) => "pushed by the server".to_string(),
            (Some(a), _) => format!("sent by the client, calling `{a}`"),
            (None, _) => "sent by the client".to_string(),
        };
        let members = |fields: &[apidoc::ir::Field]| {
            fields
                .iter()
                .map(|f| format!("`{}`", f.api_name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut line = format!(
            "\n- `{}` ({what}; `{}`): {}",
            m.name,
            m.source,
            spec_text(&m.doc).replace('\n', " ")
        );
        if !m.inputs.is_empty() {
            line.push_str(&format!(" Frame: {}.", members(&m.inputs)));
        }
        if !m.outputs.is_empty() {
            line.push_str(&format!(
                " {}: {}.",
                if m.push { "Frame" } else { "Reply" },
                members(&m.outputs)
            ));
        }
        doc.push_str(&line);
    }
    doc
}

/// One enum: a variant per documented value, and `Unknown` for the rest.
fn wire_enum(e: &WireEnum) -> TokenStream {
    let name = ident(&e.rust_name);
    let variants = e.values.iter().map(|v| {
        let n = ident(&v.variant);
        let doc = doc_attrs(&format!("`{}`: {}", v.wire, spec_text(&v.doc)));
        quote!(#doc #n,)
    });
    let as_str = e.values.iter().map(|v| {
        let (n, w) = (ident(&v.variant), &v.wire);
        quote!(#name::#n => #w,)
    });
    let from = e.values.iter().map(|v| {
        let (n, w) = (ident(&v.variant), &v.wire);
        quote!(#w => #name::#n,)
    });
    let doc = doc_attrs(&format!(
        "`{}` of a pushed `{}`, as the channel's page lists it (`{}`).\n\n\
         A value the page does not list is kept as sent in `Unknown`, so reading a change never fails on it.",
        e.member, e.message, e.source
    ));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value the docs do not list, as sent.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => #name::Unknown(other.to_string()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#name::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::iot_explorer_runtime::channel::WireEnum for #name {
            fn as_str(&self) -> &str {
                #name::as_str(self)
            }
        }
    }
}

/// A test per documented push: the frame is read as the stream reads it,
/// and what comes out is what the docs show (or, for a payload the docs
/// broke, the error the stream yields in its place).
fn tests(c: &Channel, kind: Option<&WireEnum>, sub_kind: Option<&WireEnum>) -> TokenStream {
    if c.examples.is_empty() {
        return TokenStream::new();
    }
    let tests = c.examples.iter().map(|x| push_test(x, kind, sub_kind));
    quote! {
        #[cfg(test)]
        mod tests {
            use super::*;

            #(#tests)*
        }
    }
}

fn push_test(x: &PushExample, kind: Option<&WireEnum>, sub_kind: Option<&WireEnum>) -> TokenStream {
    let name = format_ident!("{}", x.name);
    let frame = raw_str(&x.frame);
    let doc = doc_attrs(&format!("The push at `{}` line {}.", x.source, x.line));
    let decode = quote! {
        ::iot_explorer_runtime::channel::decode_push::<crate::ErrorCode, _, _>(#frame)
    };
    if x.payload == PushPayload::Broken {
        return quote! {
            #doc
            #[test]
            fn #name() {
                let read: ::std::result::Result<::std::option::Option<DeviceChange>, crate::Error> = #decode;
                let error = read.expect_err("the docs' payload is not base64 of JSON");
                assert_eq!(error.kind(), crate::ErrorKind::Decode, "{error}");
            }
        };
    }
    let text = |member: &str| x.change.get(member).and_then(Value::as_str);
    let value = |e: Option<&WireEnum>, member: &str| {
        let wire = text(member).unwrap_or_default();
        match e {
            Some(e) => {
                let ty = ident(&e.rust_name);
                match e.values.iter().find(|v| v.wire == wire) {
                    Some(v) => {
                        let v = ident(&v.variant);
                        quote!(#ty::#v)
                    }
                    None => quote!(#ty::Unknown(#wire.to_string())),
                }
            }
            None => quote!(#wire.to_string()),
        }
    };
    let (k, s) = (value(kind, KIND), value(sub_kind, SUB_KIND));
    let device = match text("DeviceId") {
        Some(d) => quote!(::std::option::Option::Some(#d)),
        None => quote!(::std::option::Option::None),
    };
    let seq = match x.change.get("Seq").and_then(Value::as_i64) {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    };
    let (time, topic) = (
        text("Time").unwrap_or_default(),
        text("Topic").unwrap_or_default(),
    );
    let payload = match &x.payload {
        PushPayload::Json(v) => {
            let json = raw_str(&serde_json::to_string_pretty(v).unwrap_or_default());
            quote!(::std::option::Option::Some(::serde_json::from_str::<::serde_json::Value>(#json).expect("example JSON")))
        }
        _ => quote!(::std::option::Option::None),
    };
    quote! {
        #doc
        #[test]
        fn #name() {
            let read: ::std::result::Result<::std::option::Option<DeviceChange>, crate::Error> = #decode;
            let change = read.expect("the push decodes").expect("the frame is a change");
            assert_eq!(change.kind, #k);
            assert_eq!(change.sub_kind, #s);
            assert_eq!(change.device_id.as_deref(), #device);
            assert_eq!(change.seq, #seq);
            assert_eq!(change.time, #time);
            assert_eq!(change.topic, #topic);
            assert_eq!(change.payload.and_then(|p| p.value().ok()), #payload);
        }
    }
}
