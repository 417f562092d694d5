//! What goes wrong on an open channel: a refused subscription, heartbeats
//! the server refuses (both kinds of failure), and frames that cannot be
//! read; none of the latter ends the stream.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build frames as values"
)]

mod channel_support;
mod common;

use std::time::Duration;

use channel_support::*;
use common::*;
use iot_explorer_runtime::ErrorKind;
use iot_explorer_runtime::channel::ChannelOptions;
use iot_explorer_runtime::test_util::{ChannelReply, ClockHold, Reply, TestChange, TestChannel};
use serde_json::json;

#[tokio::test]
async fn a_refused_subscription_fails_with_the_typed_error() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());

    channel.respond_once(
        "ActivePush",
        ChannelReply::frame_error("-1", "后台连接出错，请联系管理员"),
    );
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(&ErrorCode::Unknown("-1".into())));
    assert_eq!(e.message(), Some("后台连接出错，请联系管理员"));
    assert_eq!(e.action(), Some("ActivePush"));
    let sent = channel.frames_where(|f| f.is_subscription());
    assert_eq!(e.request_id(), sent[0].req_id());
    assert_eq!(
        e.to_string(),
        format!(
            "ActivePush failed: -1: 后台连接出错，请联系管理员 (request id {})",
            sent[0].req_id().unwrap()
        )
    );

    channel.respond_once(
        "ActivePush",
        Reply::error(
            "InvalidParameterValue.InvalidAccessToken",
            format!("bad token {TOKEN}"),
        ),
    );
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(e.request_id(), Some("test-request-id"));
    assert_no_secrets("a subscription error", &format!("{e} {e:?}"));

    channel.respond_once("ActivePush", Reply::raw(200, "{\"nothing\":1}"));
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("data.deviceIds"));
}

#[tokio::test(start_paused = true)]
async fn a_subscription_without_a_reply_times_out() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    channel.respond_once("ActivePush", ChannelReply::silence());
    let client = TestClient::builder()
        .access_token(TOKEN)
        .channel_url(channel.url())
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap();
    let subscribing = tokio::spawn(async move {
        client
            .0
            .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
            .await
            .map(drop)
    });
    channel.wait_for_frames(1, |f| f.is_subscription()).await;
    tokio::time::advance(Duration::from_secs(7)).await;
    let e = subscribing.await.unwrap().unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(e.to_string().contains("7s"), "{e}");
}

#[tokio::test(start_paused = true)]
async fn refused_heartbeats_are_error_items_and_the_stream_goes_on() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(
        "AppDeviceTraceHeartBeat",
        ChannelReply::frame_error("-1", "后台连接出错，请联系管理员"),
    );
    channel.respond_once(
        "AppDeviceTraceHeartBeat",
        Reply::error(
            "UnauthorizedOperation.APPNoPermissionToStudioProduct",
            "App对操作该产品无权限",
        ),
    );

    tokio::time::advance(Duration::from_secs(60)).await;
    let e = next_error(&mut changes).await;
    let beats = channel.heartbeats();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.wire_code(), Some("-1"));
    assert_eq!(e.action(), Some("AppDeviceTraceHeartBeat"));
    assert_eq!(e.request_id(), beats[0].req_id());

    tokio::time::advance(Duration::from_secs(60)).await;
    let e = next_error(&mut changes).await;
    let beats = channel.heartbeats();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::Unknown(
            "UnauthorizedOperation.APPNoPermissionToStudioProduct".into()
        ))
    );
    assert_eq!(e.message(), Some("App对操作该产品无权限"));
    // The test channel echoes the heartbeat's RequestId in `Response`.
    assert_eq!(
        e.request_id(),
        beats[1].params().unwrap()["RequestId"].as_str()
    );

    channel.push(&TestChange::new("P/a", "Event", "Report").seq(3));
    assert_eq!(next_change(&mut changes).await.seq, Some(3));
    assert_eq!(channel.connections().len(), 1);
}

#[tokio::test]
async fn each_malformed_frame_is_an_error_item_and_the_stream_goes_on() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let mut changes = subscribe(&client, &["P/a"]).await;
    let good = || TestChange::new("P/a", "Event", "Report");
    let push = |params: serde_json::Value| {
        json!({"push": true, "action": "DeviceChange", "params": params.to_string()}).to_string()
    };
    let cases: Vec<(String, Option<&str>, &str)> = vec![
        ("not json at all".into(), None, "not JSON"),
        ("[1,2]".into(), None, "an array"),
        (
            json!({"push": true, "action": "DeviceChange", "params": "{\"Type\":"}).to_string(),
            Some("params"),
            "not a JSON object",
        ),
        (
            json!({"push": true, "action": "DeviceChange", "params": {"Type": "Event"}})
                .to_string(),
            Some("params"),
            "string holding",
        ),
        (
            good().raw_payload("not*base64!").frame(),
            Some("params.Payload"),
            "not base64",
        ),
        (
            // The docs' own Template example: base64 of broken JSON.
            good()
                .raw_payload("eyJ0eXBlIjoIdXBkYXRlIiwic3RhdGUiOnsicmVwb3J0ZWQiOnsIdGVzdF9udW1fc3RhcnQiOjcsImxpZ2h0X3N3aXRjaCI6MSwiY29sb3IiOjEsImJyaWdodG5lc3MiOjQxfX0sInZlcnNpb24iOjE1NSwiY2xpZW50VG9rZW4iOiJBUEktQ29udHJvbERldmljZURhdGEtMTU1NDk1MzExMCJ9")
                .frame(),
            Some("params.Payload"),
            "not JSON",
        ),
        (
            push(json!({"SubType": "Report", "Seq": 1})),
            Some("params.Type"),
            "missing",
        ),
        (
            push(json!({"Type": "Event", "SubType": "Report", "Seq": "seven"})),
            Some("params"),
            "integer",
        ),
    ];
    // A broken frame is quoted in the error, but never the access token.
    let cases: Vec<_> = cases
        .into_iter()
        .chain([(format!("{{\"echo\":\"{TOKEN}\""), None, "not JSON")])
        .collect();
    for (i, (frame, _, _)) in cases.iter().enumerate() {
        channel.push_raw(frame.clone());
        channel.push(&good().seq(i as i64));
    }
    for (i, (frame, path, what)) in cases.iter().enumerate() {
        let e = next_error(&mut changes).await;
        assert_eq!(e.kind(), ErrorKind::Decode, "{frame}");
        assert_eq!(e.decode_path(), *path, "{frame}: {e}");
        assert!(e.to_string().contains(what), "{frame}: {e}");
        assert_eq!(e.action(), Some("DeviceChange"));
        assert_no_secrets("a frame error", &format!("{e} {e:?}"));
        assert_eq!(next_change(&mut changes).await.seq, Some(i as i64));
    }
}

#[tokio::test]
async fn frames_the_client_did_not_ask_for_are_ignored() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.push_raw(r#"{"push":true,"action":"SomethingNew","params":"{}"}"#);
    channel.push_raw(r#"{"error":"","error_message":"","data":{},"reqId":"nobody"}"#);
    channel.push_raw(r#"{"hello":"there"}"#);
    channel.push(
        &TestChange::new("P/a", "Event", "Report")
            .seq(1)
            .without_device_id(),
    );
    let c = next_change(&mut changes).await;
    assert_eq!((c.seq, c.device_id), (Some(1), None));
    assert_eq!(changes.buffered(), 0);
}
