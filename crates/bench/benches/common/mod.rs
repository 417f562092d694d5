//! The hand-written call both call benchmarks compare the generated client
//! with.

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Body<'a> {
    action: &'a str,
    request_id: String,
    access_token: &'a str,
    product_id: &'a str,
    device_name: &'a str,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Reply,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Reply {
    error: Option<ApiError>,
    request_id: Option<String>,
    #[serde(rename = "FirmwareURL")]
    pub firmware_url: Option<String>,
    target_version: Option<String>,
    upload_version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ApiError {
    code: String,
    message: String,
}

/// What a caller without the generated client would write: build the body,
/// POST it, decode the envelope, turn an API error into an error.
pub async fn by_hand(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    product: &str,
    device: &str,
) -> Result<Reply, Box<dyn std::error::Error>> {
    let body = Body {
        action: "AppGetDeviceOTAInfo",
        request_id: uuid::Uuid::new_v4().to_string(),
        access_token: token,
        product_id: product,
        device_name: device,
    };
    let response = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?;
    let bytes = response.bytes().await?;
    let reply = serde_json::from_slice::<Envelope>(&bytes)?.response;
    if let Some(e) = reply.error {
        return Err(format!("{}: {} (request {:?})", e.code, e.message, reply.request_id).into());
    }
    let _ = (&reply.target_version, &reply.upload_version);
    Ok(reply)
}
