//! A hand-written stand-in for the generated crate: an `ErrorCode` enum, a
//! `Client` newtype, operations and request/response structs shaped the way
//! the generator emits them; and what the tests share beside it: clients,
//! a token provider that counts its fetches, the tokens a server saw.

#![allow(dead_code)]

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{
    Auth, Client, ClientBuilder, CommonParams, CursorPaging, ErrorCodeType, GeneratedClient,
    LoginProvider, OffsetPaging, Operation, Pages, Redacted, RetryPolicy, ServiceInfo, Token,
    TokenContext, TokenError, TokenFuture, TokenProvider, lenient,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

pub const TOKEN: &str = "tok-SECRET-4f1d2c3b";
pub const APP_KEY: &str = "ahPxdKTGrejd";
pub const APP_SECRET: &str = "sec-NcbHqkTCGbKnQH-9e8d";

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    InvalidParameterValueInvalidAccessToken,
    RequestLimitExceeded,
    InternalError,
    Unknown(String),
}

impl ErrorCode {
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::InvalidParameterValueInvalidAccessToken => {
                "InvalidParameterValue.InvalidAccessToken"
            }
            ErrorCode::RequestLimitExceeded => "RequestLimitExceeded",
            ErrorCode::InternalError => "InternalError",
            ErrorCode::Unknown(s) => s,
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(s: &str) -> Self {
        match s {
            "InvalidParameterValue.InvalidAccessToken" => {
                ErrorCode::InvalidParameterValueInvalidAccessToken
            }
            "RequestLimitExceeded" => ErrorCode::RequestLimitExceeded,
            "InternalError" => ErrorCode::InternalError,
            other => ErrorCode::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ErrorCodeType for ErrorCode {
    fn as_str(&self) -> &str {
        ErrorCode::as_str(self)
    }
}

pub static SERVICE: ServiceInfo = ServiceInfo {
    name: "iot-explorer-test",
    version: "0.0.0",
    default_base_url: "https://iot.cloud.tencent.com/api/exploreropen",
    common_params: CommonParams::DEFAULT,
};

#[derive(Clone, Debug)]
pub struct TestClient(pub Client<ErrorCode>);

impl GeneratedClient for TestClient {
    type Code = ErrorCode;
    const SERVICE: &'static ServiceInfo = &SERVICE;
    fn from_inner(inner: Client<ErrorCode>) -> Self {
        TestClient(inner)
    }
}

pub type Error = iot_explorer_runtime::Error<ErrorCode>;

/// Every common parameter under another name than the documented one.
pub const RENAMED: CommonParams = CommonParams {
    action: "Act",
    request_id: "ReqId",
    access_token: "Token",
    app_key: "Key",
    timestamp: "Ts",
    nonce: "Rand",
    signature: "Sig",
};

pub static RENAMED_SERVICE: ServiceInfo = ServiceInfo {
    common_params: RENAMED,
    ..SERVICE
};

/// A generated client of a service whose `service.toml` renames every
/// common parameter.
#[derive(Clone, Debug)]
pub struct RenamedClient(pub Client<ErrorCode>);

impl GeneratedClient for RenamedClient {
    type Code = ErrorCode;
    const SERVICE: &'static ServiceInfo = &RENAMED_SERVICE;
    fn from_inner(inner: Client<ErrorCode>) -> Self {
        RenamedClient(inner)
    }
}

impl TestClient {
    pub fn builder() -> ClientBuilder<TestClient> {
        ClientBuilder::new()
    }

    pub async fn get_info(&self, req: &GetInfoRequest) -> Result<GetInfoResponse, Error> {
        self.0.call(&GET_INFO, req).await
    }

    pub async fn create_user(&self, req: &CreateUserRequest) -> Result<CreateUserResponse, Error> {
        self.0.call(&CREATE_USER, req).await
    }
}

pub static GET_INFO: Operation = Operation {
    action: "AppGetDeviceOTAInfo",
    endpoint: "tokenapi",
    auth: Auth::AccessToken,
    fixed_params: &[],
    data_wrapper: false,
    sensitive: &[],
};

pub static SONG_URL: Operation = Operation {
    action: "AppGetSongUrl",
    endpoint: "tokenapi",
    auth: Auth::AccessToken,
    fixed_params: &[("KGCommand", "song_url")],
    data_wrapper: false,
    sensitive: &[],
};

pub static GET_TOKEN: Operation = Operation {
    action: "AppGetToken",
    endpoint: "appapi",
    auth: Auth::Signed,
    fixed_params: &[],
    data_wrapper: true,
    sensitive: &[],
};

pub static CREATE_USER: Operation = Operation {
    action: "AppCreateCellphoneUser",
    endpoint: "appapi",
    auth: Auth::Signed,
    fixed_params: &[],
    data_wrapper: false,
    sensitive: &["Password", "VerificationCode"],
};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GetInfoRequest {
    #[serde(rename = "ProductId")]
    pub product_id: String,
    #[serde(rename = "DeviceName")]
    pub device_name: String,
    #[serde(rename = "FirmwareVersion", skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    #[serde(rename = "Limit", skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

impl GetInfoRequest {
    pub fn new(product_id: &str, device_name: &str) -> Self {
        GetInfoRequest {
            product_id: product_id.into(),
            device_name: device_name.into(),
            firmware_version: None,
            limit: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GetInfoResponse {
    #[serde(rename = "FirmwareURL", default)]
    pub firmware_url: Option<String>,
    #[serde(rename = "Count", default, deserialize_with = "lenient::option")]
    pub count: Option<i64>,
    #[serde(rename = "Devices", default)]
    pub devices: Option<Vec<Device>>,
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Device {
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
    #[serde(rename = "Online", default)]
    pub online: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateUserRequest {
    #[serde(rename = "CountryCode")]
    pub country_code: String,
    #[serde(rename = "PhoneNumber")]
    pub phone_number: String,
    #[serde(rename = "Password")]
    pub password: String,
    #[serde(rename = "VerificationCode")]
    pub verification_code: String,
}

impl CreateUserRequest {
    pub fn example() -> Self {
        CreateUserRequest {
            country_code: "86".into(),
            phone_number: "13900000000".into(),
            password: "My!P@ssword".into(),
            verification_code: "123456".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CreateUserResponse {
    #[serde(rename = "UserID", default)]
    pub user_id: Option<String>,
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GetTokenResponse {
    #[serde(rename = "Token", default)]
    pub token: Option<String>,
    #[serde(rename = "ExpireAt", default, deserialize_with = "lenient::option")]
    pub expire_at: Option<i64>,
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

/// Retries quick enough for tests, generous whole-call limit.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(50))
}

pub fn token_client(base_url: &str) -> TestClient {
    TestClient::builder()
        .base_url(base_url)
        .access_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("build client")
}

pub fn signed_client(base_url: &str) -> TestClient {
    TestClient::builder()
        .base_url(base_url)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .retry_policy(fast_retries())
        .build()
        .expect("build client")
}

/// Fails the test if `text` shows a credential.
pub fn assert_no_secrets(what: &str, text: &str) {
    for secret in [TOKEN, APP_SECRET] {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

/// The login action as the generator emits it: signed, `Data`-wrapped, its
/// password sensitive.
pub static LOGIN: Operation = Operation {
    action: "AppGetToken",
    endpoint: "appapi",
    auth: Auth::Signed,
    fixed_params: &[],
    data_wrapper: true,
    sensitive: &["Password"],
};

pub const PASSWORD: &str = "pw-SECRET-7a6b5c";

#[derive(Clone, PartialEq, Serialize)]
pub struct LoginRequest {
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(rename = "CountryCode", skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(rename = "PhoneNumber", skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(rename = "Email", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(rename = "Password")]
    pub password: String,
}

// As generated: the password is redacted.
impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("type", &self.r#type)
            .field("email", &self.email)
            .field("password", &Redacted)
            .finish_non_exhaustive()
    }
}

/// What the generated crate's `Login` is: a login request, turned into the
/// runtime's provider for `ClientBuilder::login`.
#[derive(Clone, Debug)]
pub struct Login(LoginRequest);

impl Login {
    pub fn email(email: &str, password: &str) -> Login {
        Login(LoginRequest {
            r#type: Some("email".into()),
            country_code: None,
            phone_number: None,
            email: Some(email.into()),
            password: password.into(),
        })
    }

    pub fn phone(country_code: &str, number: &str, password: &str) -> Login {
        Login(LoginRequest {
            r#type: Some("phone".into()),
            country_code: Some(country_code.into()),
            phone_number: Some(number.into()),
            email: None,
            password: password.into(),
        })
    }
}

impl From<Login> for LoginProvider {
    fn from(login: Login) -> LoginProvider {
        LoginProvider::new(&LOGIN, login.0, |r: &GetTokenResponse| {
            let token = Token::new(r.token.clone()?);
            Some(match r.expire_at {
                Some(at) => token.with_unix_expiry(at),
                None => token,
            })
        })
    }
}

/// A client that logs in with `login` (app key and secret set).
pub fn login_client(base_url: &str, login: Login) -> TestClient {
    TestClient::builder()
        .base_url(base_url)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .login(login)
        .retry_policy(fast_retries())
        .build()
        .expect("build client")
}

/// The code of a refused access token, which a session answers with one
/// new token and one resend.
pub const INVALID: &str = "InvalidParameterValue.InvalidAccessToken";

/// The token call the tests make.
pub fn info() -> GetInfoRequest {
    GetInfoRequest::new("P", "d")
}

/// A server whose `AppGetDeviceOTAInfo` succeeds with `FirmwareURL` `u`.
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "the test server takes replies as values"
)]
pub async fn server_with_info() -> TestServer {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(serde_json::json!({"FirmwareURL": "u"})),
    );
    server
}

/// The access tokens the token calls carried, in order.
pub fn tokens_sent(server: &TestServer) -> Vec<String> {
    server
        .requests_for("AppGetDeviceOTAInfo")
        .iter()
        .map(|r| {
            r.param("AccessToken")
                .and_then(|t| t.as_str())
                .expect("a token call carries its token")
                .to_owned()
        })
        .collect()
}

/// The `n`-th token a [`Counting`] provider hands out (from 1).
pub fn session_token(n: usize) -> String {
    format!("session-{n}-SECRET-9c1e")
}

/// A token provider that counts its fetches: the `n`-th returns
/// [`session_token`]`(n)`, valid for an hour unless `first_expiry` gives
/// the first another expiry. It can be held at a gate, or made to fail.
#[derive(Default)]
pub struct Counting {
    pub fetches: AtomicUsize,
    pub after_rejection: AtomicUsize,
    pub first_expiry: Option<SystemTime>,
    pub gate: Option<Arc<Notify>>,
    pub fail: bool,
}

impl Counting {
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    pub fn after_rejection(&self) -> usize {
        self.after_rejection.load(Ordering::SeqCst)
    }
}

impl TokenProvider for Counting {
    fn fetch_token<'a>(&'a self, cx: TokenContext<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            if cx.after_rejection() {
                self.after_rejection.fetch_add(1, Ordering::SeqCst);
            }
            if let Some(gate) = &self.gate {
                gate.notified().await;
            }
            if self.fail {
                // Through `From`, as a provider's `?` on its backend's
                // error would go.
                let io = std::io::Error::other("backend unreachable");
                return Err(TokenError::from(io));
            }
            let expiry = match (n, self.first_expiry) {
                (1, Some(at)) => at,
                _ => SystemTime::now() + Duration::from_secs(3600),
            };
            Ok(Token::new(session_token(n)).with_expiry(expiry))
        })
    }
}

/// A token operation, as generated.
pub const fn token_op(action: &'static str) -> Operation {
    Operation {
        action,
        endpoint: "tokenapi",
        auth: Auth::AccessToken,
        fixed_params: &[],
        data_wrapper: false,
        sensitive: &[],
    }
}

pub static FAMILY_LIST: Operation = token_op("AppGetFamilyList");
pub static FENCE_LIST: Operation = token_op("AppGetFenceList");
pub static DATA_HISTORY: Operation = token_op("AppGetDeviceDataHistory");

/// The request of an offset/limit action (`AppGetFamilyList`,
/// `AppGetFenceList`): both optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ListRequest {
    #[serde(rename = "Offset", skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(rename = "Limit", skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

impl ListRequest {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_offset(mut self, offset: i64) -> Self {
        self.offset = Some(offset);
        self
    }

    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Family {
    #[serde(rename = "FamilyId", default)]
    pub family_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FamilyListResponse {
    #[serde(rename = "Total", default, deserialize_with = "lenient::option")]
    pub total: Option<i64>,
    #[serde(rename = "FamilyList", default)]
    pub family_list: Option<Vec<Family>>,
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

/// No `Total`, as on `AppGetFenceList`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FenceListResponse {
    #[serde(rename = "Fences", default)]
    pub fences: Option<Vec<Family>>,
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataHistoryRequest {
    #[serde(rename = "FieldName")]
    pub field_name: String,
    #[serde(rename = "Context", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(rename = "Limit")]
    pub limit: i64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DataPoint {
    #[serde(rename = "Time", default)]
    pub time: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DataHistoryResponse {
    #[serde(rename = "Context", default)]
    pub context: Option<String>,
    #[serde(rename = "Listover", default)]
    pub listover: Option<bool>,
    #[serde(rename = "Results", default)]
    pub results: Option<Vec<DataPoint>>,
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
}

/// What the generator emits for `AppGetFamilyList`: a total and a
/// documented maximum page size.
pub const FAMILY_PAGING: OffsetPaging<ListRequest, FamilyListResponse, Family> =
    OffsetPaging::<ListRequest, FamilyListResponse, Family>::new(
        |r| r.offset,
        |r, v| r.offset = Some(v),
        |r| r.limit,
        |r, v| r.limit = Some(v),
        |r| &mut r.family_list,
    )
    .with_total(|r| r.total)
    .with_max_page_size(50);

/// No total and, for the tests, no maximum page size either.
pub const FENCE_PAGING: OffsetPaging<ListRequest, FenceListResponse, Family> =
    OffsetPaging::<ListRequest, FenceListResponse, Family>::new(
        |r| r.offset,
        |r, v| r.offset = Some(v),
        |r| r.limit,
        |r, v| r.limit = Some(v),
        |r| &mut r.fences,
    );

pub const HISTORY_PAGING: CursorPaging<DataHistoryRequest, DataHistoryResponse, DataPoint> =
    CursorPaging::<DataHistoryRequest, DataHistoryResponse, DataPoint>::new(
        |r, cursor| r.context = Some(cursor),
        |r| r.context.as_deref(),
        |r| &mut r.results,
    );

pub type TestPages<Req, Resp, Item> = Pages<Req, Resp, Item, ErrorCode>;

impl TestClient {
    pub fn family_list_pages(
        &self,
        request: ListRequest,
    ) -> TestPages<ListRequest, FamilyListResponse, Family> {
        self.0.pages(&FAMILY_LIST, request, FAMILY_PAGING)
    }

    pub fn fence_list_pages(
        &self,
        request: ListRequest,
    ) -> TestPages<ListRequest, FenceListResponse, Family> {
        self.0.pages(&FENCE_LIST, request, FENCE_PAGING)
    }

    pub fn data_history_pages(
        &self,
        request: DataHistoryRequest,
    ) -> TestPages<DataHistoryRequest, DataHistoryResponse, DataPoint> {
        self.0.pages(&DATA_HISTORY, request, HISTORY_PAGING)
    }
}
