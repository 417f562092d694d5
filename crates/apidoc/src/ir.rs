//! The IR: plain data between the docs and the code generator.
//!
//! Everything here is already decided: Rust names are chosen, types are
//! resolved, common parameters are gone, and order is deterministic. The
//! code generator only reads it. It is `Serialize` so that insta can
//! snapshot it.

use serde::Serialize;

/// A whole API: what one generated crate is made from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Api {
    /// Crate-level settings from `service.toml`.
    pub service: Service,
    /// Actions, sorted by method name.
    pub actions: Vec<Action>,
    /// Structures reachable from some action, sorted by Rust name.
    pub structs: Vec<Struct>,
    /// Every documented error code of every action, sorted by code.
    pub error_codes: Vec<ErrorCode>,
    /// How the client logs in by itself, if `service.toml` says.
    pub session: Option<Session>,
    /// The WebSocket channel, if the docs have pages for one.
    pub channel: Option<Channel>,
}

/// A WebSocket channel: the messages its pages document, the heartbeat it
/// needs and the value lists of what it pushes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Channel {
    /// The endpoint its pages name (`explorer`).
    pub endpoint: String,
    /// Where the socket is, from `service.toml`.
    pub url: String,
    /// The action a heartbeat calls over the socket.
    pub heartbeat: String,
    /// One per page, in page order.
    pub messages: Vec<Message>,
    /// The value lists of members of pushed changes (`Type`, `SubType`).
    pub enums: Vec<WireEnum>,
    /// The documented pushes, as the server sends them.
    pub examples: Vec<PushExample>,
}

/// One message of a channel page: a frame the client sends and its reply,
/// or a frame the server pushes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Message {
    /// The frame's `action` (`ActivePush`, `YunApi`, `DeviceChange`).
    pub name: String,
    /// Whether the server sends it unasked (no input table).
    pub push: bool,
    /// The action a call frame carries in its parameters, from its example
    /// (`AppDeviceTraceHeartBeat` through `YunApi`).
    pub calls: Option<String>,
    /// The page's description.
    pub doc: String,
    /// The page it is on.
    pub source: String,
    /// The members of the frame the client sends.
    pub inputs: Vec<Field>,
    /// The members of the reply, or of the push.
    pub outputs: Vec<Field>,
}

/// The documented values of one member of a pushed change, as an enum
/// with an `Unknown(String)` fallback.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WireEnum {
    /// The member (`Type`).
    pub member: String,
    /// Rust type name: the push and the member (`DeviceChangeType`).
    pub rust_name: String,
    /// The push message it belongs to.
    pub message: String,
    /// The page it is on.
    pub source: String,
    /// Values in table order.
    pub values: Vec<WireValue>,
}

/// One documented value of a [`WireEnum`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WireValue {
    /// The value on the wire (`StatusChange`).
    pub wire: String,
    /// Rust variant name.
    pub variant: String,
    /// Its description.
    pub doc: String,
}

/// A documented push, and what reading it yields.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PushExample {
    /// Unique within the channel: `push_1`, `push_2`, …
    pub name: String,
    /// The page it is on.
    pub source: String,
    /// Line of its JSON in the page.
    pub line: usize,
    /// The frame as the server sends it: the documented frame, or the
    /// documented change wrapped in one.
    pub frame: String,
    /// The change the frame carries (its `params`, read as JSON).
    pub change: serde_json::Value,
    /// Its `Payload`, decoded from base64.
    pub payload: PushPayload,
}

/// What a pushed change's `Payload` holds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum PushPayload {
    /// Nothing (status changes).
    Empty,
    /// A JSON document.
    Json(serde_json::Value),
    /// Not base64 of JSON: a defect of the docs, reported where it is.
    Broken,
}

/// The client's own login: one action, and where its reply has the token.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Session {
    /// The login action's method name (its key among the actions).
    pub login: String,
    /// The path to the token in the login's response: Rust field names,
    /// each but the last an optional structure.
    pub token: Vec<String>,
    /// The path to its expiry (Unix seconds), if the reply has one.
    pub expires_at: Option<Vec<String>>,
    /// The error codes that say a token is no longer valid.
    pub invalid_token_codes: Vec<String>,
    /// The constructors of `Login`.
    pub logins: Vec<LoginForm>,
}

/// One constructor of `Login`: which of the login's inputs it takes, and
/// which it sets to constant text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LoginForm {
    /// The constructor's name (`email`).
    pub name: String,
    /// The inputs it takes, in parameter order, by Rust field name.
    pub args: Vec<String>,
    /// The inputs it sets, by Rust field name, and their values.
    pub set: Vec<(String, String)>,
}

/// Settings the docs do not say in tables.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Service {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Version of the generated crate.
    pub version: String,
    /// One-line description for `Cargo.toml` and the crate docs.
    pub description: String,
    /// Base URL the client uses unless told otherwise.
    pub default_base_url: String,
    /// The names of the parameters the client supplies itself.
    pub common_parameters: CommonParameters,
    /// Cargo features, one per action group, sorted.
    pub groups: Vec<String>,
}

/// The names of the parameters the client supplies itself, by what they
/// are for. They are not request fields; the runtime writes them under
/// these names, so `service.toml` can rename them end to end.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all(deserialize = "kebab-case"), default)]
pub struct CommonParameters {
    /// The action's name (`Action`).
    pub action: String,
    /// The per-call request id (`RequestId`).
    pub request_id: String,
    /// The access token of token calls (`AccessToken`).
    pub access_token: String,
    /// The app key of signed calls (`AppKey`).
    pub app_key: String,
    /// The Unix time of signed calls (`Timestamp`).
    pub timestamp: String,
    /// The random number of signed calls (`Nonce`).
    pub nonce: String,
    /// The signature of signed calls (`Signature`).
    pub signature: String,
}

impl Default for CommonParameters {
    fn default() -> Self {
        CommonParameters {
            action: "Action".into(),
            request_id: "RequestId".into(),
            access_token: "AccessToken".into(),
            app_key: "AppKey".into(),
            timestamp: "Timestamp".into(),
            nonce: "Nonce".into(),
            signature: "Signature".into(),
        }
    }
}

impl CommonParameters {
    /// The parameters a call with `auth` carries.
    pub fn of(&self, auth: Auth) -> Vec<&str> {
        match auth {
            Auth::AccessToken => vec![&self.action, &self.request_id, &self.access_token],
            Auth::Signed => vec![
                &self.action,
                &self.request_id,
                &self.app_key,
                &self.timestamp,
                &self.nonce,
                &self.signature,
            ],
        }
    }

    /// Every name, whatever the auth mode.
    pub fn all(&self) -> [&str; 7] {
        [
            &self.action,
            &self.request_id,
            &self.access_token,
            &self.app_key,
            &self.timestamp,
            &self.nonce,
            &self.signature,
        ]
    }
}

/// How a call proves who makes it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Auth {
    /// After login: the body carries `AccessToken`.
    AccessToken,
    /// Before login: the body is signed with the app's key and secret.
    Signed,
}

/// One generated client method.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Action {
    /// Wire value of the `Action` parameter.
    pub name: String,
    /// A constant parameter that selects a sub-command of a shared action
    /// (`KGCommand=song_url`): each sub-command is its own method.
    pub sub_command: Option<FixedParam>,
    /// Rust method name (`app_get_device_ota_info`).
    pub method: String,
    /// Prefix of the request and response type names (`AppGetDeviceOtaInfo`).
    pub type_name: String,
    /// Path segment under the base URL (`tokenapi`).
    pub endpoint: String,
    /// Credentials the call needs.
    pub auth: Auth,
    /// What the action does, from the page's description.
    pub doc: String,
    /// Where the page is: path relative to the specs folder.
    pub source: String,
    /// Other pages that document the same action, merged into this one's,
    /// in the order the loader ranks them (most rows first, then by their
    /// bytes; `source` is the first), which is also the order of the file
    /// names `import` gives them (`X.2.md`, `X.3.md`).
    pub other_sources: Vec<String>,
    /// Request fields in table order, common parameters removed.
    pub inputs: Vec<Field>,
    /// Response fields in table order (always includes `RequestId`).
    pub outputs: Vec<Field>,
    /// Documented error codes, in table order.
    pub errors: Vec<String>,
    /// Usable examples, in page order.
    pub examples: Vec<Example>,
    /// Replies nest the output fields in a `Data` object (an override).
    pub data_wrapper: bool,
    /// The cargo feature that turns the action on; `None`: always on.
    pub group: Option<String>,
    /// How its replies page, if they do: the client then also offers a
    /// walk over every page.
    pub pagination: Option<Pagination>,
}

/// How a list action's replies page. Fields are named as on the wire.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub enum Pagination {
    /// `Offset` and `Limit` in; an array (and maybe a `Total`) out.
    Offset {
        /// The input that skips items.
        offset: String,
        /// The input that sets the page size.
        limit: String,
        /// The output array.
        items: String,
        /// The output that counts every item, if there is one.
        total: Option<String>,
        /// The largest page size the docs allow, if they say.
        max_limit: Option<u64>,
    },
    /// A cursor in and out (`Context`); an array out.
    Cursor {
        /// The input that carries the cursor.
        cursor: String,
        /// The output that carries the next cursor.
        next: String,
        /// The output array.
        items: String,
        /// The input that sets the page size, if there is one.
        limit: Option<String>,
        /// The largest page size the docs allow, if they say.
        max_limit: Option<u64>,
        /// An output that says whether the list is over (`Listover`). The
        /// docs disagree on what it means, so it is never trusted alone.
        done: Option<String>,
    },
}

/// What an example shows.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExampleKind {
    /// A request body.
    Request = 0,
    /// A successful reply.
    Success = 1,
    /// An error reply.
    Error = 2,
}

impl ExampleKind {
    /// Lower-case word used in messages and test names.
    pub fn label(self) -> &'static str {
        match self {
            ExampleKind::Request => "request",
            ExampleKind::Success => "response",
            ExampleKind::Error => "error",
        }
    }
}

/// A doc example, parsed (repaired where needed).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Example {
    /// Unique within the action: `request_1`, `response_1`, `error_1`.
    pub name: String,
    /// What it shows.
    pub kind: ExampleKind,
    /// The page it is on (the action's page, or one merged into it).
    pub source: String,
    /// Line of the JSON's first character in the page.
    pub line: usize,
    /// The JSON.
    pub value: serde_json::Value,
    /// Where it differs from the tables, as declared in `overrides.toml`;
    /// its test checks each of these differences.
    pub defects: Vec<ExampleDefect>,
}

/// How an example differs from its action's tables.
#[derive(
    Debug, Clone, Copy, Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "kebab-case")]
pub enum DefectKind {
    /// It has a member the table does not document.
    Undocumented,
    /// It spells a documented member's name with other letter case.
    Misspelt,
    /// It gives a member a JSON type the table's type does not allow.
    Type,
    /// A request example lacks a member the table requires.
    Missing,
    /// A reply example lacks the `Response` object around its members.
    NoResponse,
    /// Its JSON cannot be repaired unambiguously (it is not in the IR).
    Unparsable,
}

impl DefectKind {
    /// How `overrides.toml` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DefectKind::Undocumented => "undocumented",
            DefectKind::Misspelt => "misspelt",
            DefectKind::Type => "type",
            DefectKind::Missing => "missing",
            DefectKind::NoResponse => "no-response",
            DefectKind::Unparsable => "unparsable",
        }
    }
}

/// A declared difference between an example and the tables.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExampleDefect {
    /// What differs.
    pub kind: DefectKind,
    /// The member it is about (top level of the request, or of the reply's
    /// payload).
    pub field: Option<String>,
    /// Why the tables are believed, from `overrides.toml`.
    pub reason: String,
}

/// A constant body parameter.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FixedParam {
    /// Parameter name on the wire.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// A field of a request, response or structure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    /// Name on the wire, as documented.
    pub api_name: String,
    /// Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    /// Resolved type.
    pub ty: Type,
    /// Whether the caller must set it (inputs and structure tables with a
    /// 必选 column); response fields are never required.
    pub required: bool,
    /// The description cell.
    pub doc: String,
    /// Redacted in `Debug` (passwords, tokens, secrets, codes).
    pub sensitive: bool,
}

/// A resolved field type.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub enum Type {
    /// `String`.
    String,
    /// `i64`.
    I64,
    /// `u64`.
    U64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// Any JSON value.
    Json,
    /// `Vec<T>`.
    List(Box<Type>),
    /// A structure, by Rust name; `boxed` when it refers back to itself.
    Struct {
        /// Rust name of the structure.
        name: String,
        /// Needs a `Box` to break a cycle.
        boxed: bool,
    },
}

/// A shared structure from the structures page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Struct {
    /// Heading on the structures page.
    pub api_name: String,
    /// Rust type name.
    pub rust_name: String,
    /// Text under the heading.
    pub doc: String,
    /// Fields in table order.
    pub fields: Vec<Field>,
    /// The features of the groups whose actions use it, sorted; empty when
    /// an action in no group uses it (then it is always compiled).
    pub groups: Vec<String>,
    /// Used in some request, directly or through other structures: its
    /// required fields (the 必选 column) must then be set, like a
    /// request's; a structure only ever read from replies has every field
    /// optional.
    pub input: bool,
}

/// One error code with its description.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorCode {
    /// The code as sent on the wire.
    pub code: String,
    /// Rust variant name.
    pub variant: String,
    /// The description from the first page (by action order) that lists it.
    pub description: String,
}
