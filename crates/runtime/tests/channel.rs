//! The device-change channel against the loopback `TestChannel`: the
//! subscription, changes in order, heartbeats on paused time, calls over
//! the socket, a slow consumer, and closing.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build frames and payloads as values"
)]

mod channel_support;
mod common;

use std::time::Duration;

use channel_support::*;
use common::*;
use iot_explorer_runtime::ErrorKind;
use iot_explorer_runtime::channel::{ChannelEvent, ChannelOptions};
use iot_explorer_runtime::test_util::{ClockHold, Reply, TestChange, TestChannel};
use serde_json::json;
use tokio::time::Instant;

#[tokio::test]
async fn subscribes_and_receives_changes_in_order() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let mut changes = subscribe(&client, &["P/a", "P/b"]).await;
    assert_eq!(changes.accepted(), ["P/a", "P/b"]);
    assert!(changes.rejected().is_empty());

    let subs = channel.frames_where(|f| f.is_subscription());
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].device_ids(), ["P/a", "P/b"]);
    assert_eq!(subs[0].access_token(), Some(TOKEN));
    assert!(subs[0].req_id().is_some_and(|id| !id.is_empty()));
    let conn = &channel.connections()[0];
    assert_eq!(conn.path, "/ws/explorer");
    assert!(
        conn.header("user-agent")
            .is_some_and(|ua| ua.starts_with("iot-explorer-test/0.0.0 iot-explorer-runtime/")),
        "{conn:?}"
    );

    for seq in 1..=6 {
        let device = if seq % 2 == 0 { "P/b" } else { "P/a" };
        let change = TestChange::property(device, json!({"params": {"brightness": seq}})).seq(seq);
        assert_eq!(channel.push(&change), 1);
    }
    channel.push(&TestChange::new("P/a", "StatusChange", "Offline").seq(7));
    channel.push(&TestChange::new("P/b", "LaterType", "LaterSub").seq(8));
    for seq in 1..=6 {
        let c = next_change(&mut changes).await;
        assert_eq!(c.seq, Some(seq));
        assert_eq!(c.kind, ChangeType::Property);
        assert_eq!(c.sub_kind, ChangeSubType::Report);
        let device = if seq % 2 == 0 { "P/b" } else { "P/a" };
        assert_eq!(c.device_id.as_deref(), Some(device));
        assert_eq!(c.topic, format!("$thing/up/property/{device}"));
        assert_eq!(c.time, "2019-03-28T15:17:35+08:00");
        assert_eq!(
            c.payload.and_then(|p| p.value().ok()),
            Some(json!({"params": {"brightness": seq}}))
        );
    }
    let offline = next_change(&mut changes).await;
    assert_eq!(
        (offline.kind, offline.sub_kind, offline.payload),
        (ChangeType::StatusChange, ChangeSubType::Offline, None)
    );
    let later = next_change(&mut changes).await;
    assert_eq!(later.kind, ChangeType::Unknown("LaterType".into()));
    assert_eq!(later.sub_kind, ChangeSubType::Unknown("LaterSub".into()));
    assert_eq!(changes.buffered(), 0);
}

/// The usage of `docs/CONTRACT.md` section 6 (and the README's example),
/// through the method the generator emits.
#[tokio::test]
async fn the_documented_usage_works() -> Result<(), Error> {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let mut changes = client.device_changes(vec!["PRODUCT/dev01".into()]).await?;
    channel.push(&TestChange::property("PRODUCT/dev01", json!({"params": {"on": 1}})).seq(3));
    while let Some(change) = changes.next().await {
        let change = change?;
        if let ChannelEvent::Change(c) = change {
            assert_eq!(
                c.payload.unwrap().value().unwrap()["params"]["on"],
                json!(1)
            );
            break;
        }
    }
    Ok(())
}

#[tokio::test]
async fn partially_accepted_devices_are_reported() {
    let channel = TestChannel::start().await;
    channel.accept_only(["P/a"]);
    let client = channel_client(&channel, ChannelOptions::new());
    let changes = subscribe(&client, &["P/a", "P/b", "P/a", "P/c"]).await;
    assert_eq!(changes.requested(), ["P/a", "P/b", "P/c"]);
    assert_eq!(changes.accepted(), ["P/a"]);
    assert_eq!(changes.rejected(), ["P/b", "P/c"]);
    let sent = channel.frames_where(|f| f.is_subscription());
    assert_eq!(sent[0].device_ids(), ["P/a", "P/b", "P/c"]);

    // The docs' failure: nothing accepted. Still a stream, which says so.
    channel.accept_only(Vec::<String>::new());
    let none = subscribe(&client, &["P/x"]).await;
    assert!(none.accepted().is_empty());
    assert_eq!(none.rejected(), ["P/x"]);
}

/// A call whose reply comes after everything the client sent before it:
/// once it returns, the channel has recorded those frames.
async fn barrier(channel: &TestChannel, changes: &Changes) {
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "u"})),
    );
    let out: GetInfoResponse = changes
        .handle()
        .call(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .expect("barrier call");
    assert_eq!(out.firmware_url.as_deref(), Some("u"));
}

#[tokio::test(start_paused = true)]
async fn heartbeats_go_out_at_the_interval_with_the_accepted_devices() {
    assert_eq!(
        ChannelOptions::default().heartbeat_interval(),
        Duration::from_secs(60)
    );
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    channel.accept_only(["P/a"]);
    let client = channel_client(&channel, ChannelOptions::new());
    let changes = subscribe(&client, &["P/a", "P/b"]).await;
    let t0 = Instant::now();

    tokio::time::advance(Duration::from_secs(59)).await;
    barrier(&channel, &changes).await;
    assert!(
        channel.heartbeats().is_empty(),
        "{:?}",
        channel.heartbeats()
    );

    tokio::time::advance(Duration::from_secs(1)).await;
    let beats = channel
        .wait_for_frames(1, |f| f.is_call_of("AppDeviceTraceHeartBeat"))
        .await;
    assert_eq!(beats[0].at - t0, Duration::from_secs(60));
    assert_eq!(beats[0].device_ids(), ["P/a"]);
    assert_eq!(beats[0].access_token(), Some(TOKEN));
    let params = beats[0].params().unwrap();
    assert_eq!(params["RequestId"], json!(beats[0].req_id().unwrap()));

    for k in 2..=3u64 {
        tokio::time::advance(Duration::from_secs(60)).await;
        let beats = channel
            .wait_for_frames(k as usize, |f| f.is_call_of("AppDeviceTraceHeartBeat"))
            .await;
        assert_eq!(beats[k as usize - 1].at - t0, Duration::from_secs(60 * k));
    }
    barrier(&channel, &changes).await;
    assert_eq!(channel.heartbeats().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_heartbeat_interval_is_configurable() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let options = ChannelOptions::new().with_heartbeat_interval(Duration::from_secs(15));
    let client = channel_client(&channel, options);
    let changes = subscribe(&client, &["P/a"]).await;
    let t0 = Instant::now();
    tokio::time::advance(Duration::from_secs(14)).await;
    barrier(&channel, &changes).await;
    assert!(channel.heartbeats().is_empty());
    tokio::time::advance(Duration::from_secs(1)).await;
    let beats = channel
        .wait_for_frames(1, |f| f.is_call_of("AppDeviceTraceHeartBeat"))
        .await;
    assert_eq!(beats[0].at - t0, Duration::from_secs(15));
}

#[tokio::test]
async fn a_slow_consumer_gets_lagged_and_the_buffer_stays_bounded() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new().with_buffer(4));
    let mut changes = subscribe(&client, &["P/a"]).await;
    for seq in 1..=10 {
        channel.push(&TestChange::new("P/a", "Event", "Report").seq(seq));
    }
    barrier(&channel, &changes).await;
    assert_eq!(changes.buffered(), 4);
    match next_event(&mut changes).await {
        ChannelEvent::Lagged { missed } => assert_eq!(missed, 6),
        other => panic!("{other:?}"),
    }
    for seq in 7..=10 {
        assert_eq!(next_change(&mut changes).await.seq, Some(seq));
    }
    // Caught up: no more lag to report.
    channel.push(&TestChange::new("P/a", "Event", "Report").seq(11));
    assert_eq!(next_change(&mut changes).await.seq, Some(11));
}

#[tokio::test]
async fn calls_over_the_socket_decode_like_http_calls() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let changes = subscribe(&client, &["P/a"]).await;
    let handle = changes.handle();

    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "https://fw/1.bin", "Count": "3"})),
    );
    let mut req = GetInfoRequest::new("PRODUCT", "dev01");
    req.limit = Some(5);
    let out: GetInfoResponse = handle.call(&GET_INFO, &req).await.unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("https://fw/1.bin"));
    assert_eq!(out.count, Some(3));
    let sent = channel.frames_where(|f| f.is_call_of("AppGetDeviceOTAInfo"));
    let params = sent[0].params().unwrap();
    assert_eq!(
        params["ActionParams"],
        json!({"ProductId": "PRODUCT", "DeviceName": "dev01", "Limit": 5})
    );
    assert_eq!(params["AccessToken"], json!(TOKEN));
    assert_eq!(out.request_id.as_deref(), params["RequestId"].as_str());
    assert_eq!(sent[0].req_id(), params["RequestId"].as_str());

    // Fixed parameters go among the action's own.
    channel.respond("AppGetSongUrl", Reply::success(json!({})));
    let _: GetInfoResponse = handle
        .call(&SONG_URL, &json!({"SongId": "s"}))
        .await
        .unwrap();
    let sent = channel.frames_where(|f| f.is_call_of("AppGetSongUrl"));
    assert_eq!(
        sent[0].action_params().unwrap(),
        &json!({"SongId": "s", "KGCommand": "song_url"})
    );

    // `Data`-wrapped outputs are unwrapped, the request id added.
    channel.respond(
        "AppGetWrapped",
        Reply::success(json!({"Data": {"Token": "t", "ExpireAt": 9}})),
    );
    let out: GetTokenResponse = handle.call(&WRAPPED, &json!({})).await.unwrap();
    assert_eq!((out.token.as_deref(), out.expire_at), (Some("t"), Some(9)));
    assert!(out.request_id.is_some());

    // Both kinds of failure are typed API errors with the request id.
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("InvalidParameterValue.InvalidAccessToken", "token expired"),
    );
    let e = handle
        .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(
        e.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(e.message(), Some("token expired"));
    assert_eq!(e.action(), Some("AppGetDeviceOTAInfo"));
    let sent = channel.frames_where(|f| f.is_call_of("AppGetDeviceOTAInfo"));
    assert_eq!(
        e.request_id(),
        sent.last().unwrap().params().unwrap()["RequestId"].as_str()
    );

    channel.respond(
        "AppGetDeviceOTAInfo",
        iot_explorer_runtime::test_util::ChannelReply::frame_error(
            "-1",
            "后台连接出错，请联系管理员",
        ),
    );
    let e = handle
        .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(&ErrorCode::Unknown("-1".into())));
    assert_eq!(e.wire_code(), Some("-1"));
    assert_eq!(e.message(), Some("后台连接出错，请联系管理员"));
    assert!(e.request_id().is_some());

    // A payload that is not the response type is a decode error with a path.
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"Devices": [{"Online": "yes"}]})),
    );
    let e = handle
        .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("Devices[0].Online"));

    // Signed actions cannot go over the channel.
    let e = handle
        .call::<_, GetTokenResponse>(&GET_TOKEN, &json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_no_secrets("a channel error", &format!("{e} {e:?}"));
}

#[tokio::test(start_paused = true)]
async fn a_call_without_a_reply_times_out_and_the_stream_goes_on() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = TestClient::builder()
        .access_token(TOKEN)
        .channel_url(channel.url())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(
        "AppGetDeviceOTAInfo",
        iot_explorer_runtime::test_util::ChannelReply::silence(),
    );
    let handle = changes.handle();
    let call = tokio::spawn(async move {
        handle
            .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
            .await
    });
    channel
        .wait_for_frames(1, |f| f.is_call_of("AppGetDeviceOTAInfo"))
        .await;
    tokio::time::advance(Duration::from_secs(5)).await;
    let e = call.await.unwrap().unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert_eq!(e.action(), Some("AppGetDeviceOTAInfo"));
    channel.push(&TestChange::new("P/a", "Event", "Report").seq(1));
    assert_eq!(next_change(&mut changes).await.seq, Some(1));
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection_and_ends_its_task() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let changes = subscribe(&client, &["P/a"]).await;
    let handle = changes.handle();
    assert!(!handle.is_closed());
    assert_eq!(channel.open_connections(), 1);
    drop(changes);
    tokio::time::timeout(Duration::from_secs(10), handle.closed())
        .await
        .expect("the task ends");
    channel.wait_for_no_connection().await;
    assert!(channel.connections()[0].closed_by_client);
    let e = handle
        .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);

    // `close` does the same and waits for it.
    let changes = subscribe(&client, &["P/a"]).await;
    let handle = changes.handle();
    changes.close().await;
    assert!(handle.is_closed());
    channel.wait_for_no_connection().await;
    assert!(channel.connections()[1].closed_by_client);
}

#[tokio::test]
async fn configuration_and_credential_problems_fail_the_subscription() {
    let channel = TestChannel::start().await;
    let no_token = TestClient::builder()
        .channel_url(channel.url())
        .build()
        .unwrap();
    let e = no_token
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingCredentials);
    assert_eq!(channel.connections().len(), 0);

    let client = channel_client(&channel, ChannelOptions::new());
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, Vec::<String>::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);

    for url in [
        "https://example.com/ws",
        "ws://user:pw-SECRET@example.com/",
        "not a url",
    ] {
        let e = TestClient::builder().channel_url(url).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{url}");
        assert!(!e.to_string().contains("pw-SECRET"), "{e}");
    }
    let e = TestClient::builder()
        .channel_options(ChannelOptions::new().with_heartbeat_interval(Duration::ZERO))
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);

    // Nothing listens there (a port just freed).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = TestClient::builder()
        .access_token(TOKEN)
        .channel_url(format!("ws://{addr}/ws/explorer"))
        .build()
        .unwrap();
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_no_secrets("a connect error", &format!("{e} {e:?}"));
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    let changes = subscribe(&client, &["P/a"]).await;
    assert_no_secrets("DeviceChanges", &format!("{changes:?}"));
    assert_no_secrets("ChannelHandle", &format!("{:?}", changes.handle()));
    for frame in channel.frames() {
        assert!(frame.text.contains(TOKEN), "the frame carries the token");
        assert_no_secrets("RecordedFrame", &format!("{frame:?}"));
    }
}
