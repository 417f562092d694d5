//! Losing the channel: reconnecting with backoff, subscribing again, and
//! telling the consumer what may have been missed. Time is paused and held
//! ([`ClockHold`]), so every wait is exactly the one the test advances.

mod channel_support;
mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use channel_support::*;
use common::*;
use iot_explorer_runtime::ErrorKind;
use iot_explorer_runtime::channel::ChannelOptions;
use iot_explorer_runtime::test_util::{ClockHold, TestChange, TestChannel};

fn options() -> ChannelOptions {
    ChannelOptions::new().with_reconnect_backoff(Duration::from_secs(1), Duration::from_secs(30))
}

#[tokio::test(start_paused = true)]
async fn a_dropped_connection_is_reopened_and_subscribed_again_with_the_gap_reported() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, options());
    let mut changes = subscribe(&client, &["P/a", "P/b"]).await;
    channel.push(&TestChange::new("P/a", "Event", "Report").seq(5));
    channel.push(&TestChange::new("P/b", "Event", "Report").seq(9));
    channel.push(&TestChange::new("P/a", "Event", "Report").seq(6));
    for seq in [5, 9, 6] {
        assert_eq!(next_change(&mut changes).await.seq, Some(seq));
    }

    assert_eq!(channel.drop_connections(), 1);
    let d = disconnected(&mut changes).await;
    assert_eq!(d.attempt, 1);
    assert_eq!(d.error.kind(), ErrorKind::Transport);
    assert!(d.retry_in >= Duration::from_millis(500) && d.retry_in <= Duration::from_secs(1));

    // While it waits, calls fail at once rather than hang.
    let e = changes
        .handle()
        .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.to_string().contains("reconnecting"), "{e}");

    // Not a moment before the backoff is over.
    tokio::time::advance(d.retry_in - Duration::from_millis(1)).await;
    assert_eq!(channel.connections().len(), 1);
    tokio::time::advance(Duration::from_millis(1)).await;
    let r = reconnected(&mut changes).await;
    assert_eq!(r.attempts, 1);
    assert_eq!(r.disconnected_for, d.retry_in);
    assert_eq!(
        r.last_seq,
        BTreeMap::from([("P/a".to_owned(), 6), ("P/b".to_owned(), 9)])
    );
    assert_eq!(r.accepted, ["P/a", "P/b"]);
    assert!(r.rejected.is_empty());

    let subs = channel.frames_where(|f| f.is_subscription());
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[1].connection, 1);
    assert_eq!(subs[1].device_ids(), ["P/a", "P/b"]);
    assert_eq!(subs[1].access_token(), Some(TOKEN));
    assert_ne!(subs[0].req_id(), subs[1].req_id());

    channel.push(&TestChange::new("P/b", "Event", "Report").seq(10));
    assert_eq!(next_change(&mut changes).await.seq, Some(10));

    // The heartbeat starts over with the new subscription.
    let t1 = tokio::time::Instant::now();
    tokio::time::advance(Duration::from_secs(60)).await;
    let beats = channel
        .wait_for_frames(1, |f| f.is_call_of("AppDeviceTraceHeartBeat"))
        .await;
    assert_eq!(beats[0].connection, 1);
    assert_eq!(beats[0].at - t1, Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_while_the_channel_refuses_connections() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, options());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.refuse_connections(2);
    channel.drop_connections();

    let mut waited = Duration::ZERO;
    let bounds = [(500, 1000), (1000, 2000), (2000, 4000)];
    for (i, (low, high)) in bounds.into_iter().enumerate() {
        let d = disconnected(&mut changes).await;
        assert_eq!(d.attempt as usize, i + 1);
        assert!(
            d.retry_in >= Duration::from_millis(low) && d.retry_in <= Duration::from_millis(high),
            "attempt {}: {:?}",
            d.attempt,
            d.retry_in
        );
        if i > 0 {
            // The handshake was refused with HTTP 503.
            assert_eq!(d.error.kind(), ErrorKind::Transport);
            assert!(d.error.to_string().contains("503"), "{}", d.error);
        }
        waited += d.retry_in;
        tokio::time::advance(d.retry_in).await;
    }
    let r = reconnected(&mut changes).await;
    assert_eq!(r.attempts, 3);
    assert_eq!(r.disconnected_for, waited);
    assert_eq!(channel.refused(), 2);
    assert_eq!(channel.connections().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_resubscription_that_accepts_fewer_devices_says_which() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, options());
    let mut changes = subscribe(&client, &["P/a", "P/b"]).await;
    assert!(changes.rejected().is_empty());
    channel.accept_only(["P/a"]);
    channel.close_connections();
    let d = disconnected(&mut changes).await;
    assert!(d.error.to_string().contains("closed"), "{}", d.error);
    tokio::time::advance(d.retry_in).await;
    let r = reconnected(&mut changes).await;
    assert_eq!(
        (r.accepted, r.rejected),
        (vec!["P/a".into()], vec!["P/b".into()])
    );
    assert_eq!(changes.rejected(), ["P/b"]);
    assert_eq!(changes.accepted(), ["P/a"]);
    tokio::time::advance(Duration::from_secs(60)).await;
    let beats = channel
        .wait_for_frames(1, |f| f.is_call_of("AppDeviceTraceHeartBeat"))
        .await;
    assert_eq!(beats[0].device_ids(), ["P/a"]);
}

#[tokio::test(start_paused = true)]
async fn a_heartbeat_without_a_reply_counts_as_a_lost_connection() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = TestClient::builder()
        .access_token(TOKEN)
        .channel_url(channel.url())
        .channel_options(options())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(
        "AppDeviceTraceHeartBeat",
        iot_explorer_runtime::test_util::ChannelReply::silence(),
    );
    tokio::time::advance(Duration::from_secs(60)).await;
    channel
        .wait_for_frames(1, |f| f.is_call_of("AppDeviceTraceHeartBeat"))
        .await;
    tokio::time::advance(Duration::from_secs(20)).await;
    let d = disconnected(&mut changes).await;
    assert!(d.error.is_timeout(), "{}", d.error);
    assert_eq!(d.error.action(), Some("AppDeviceTraceHeartBeat"));
    tokio::time::advance(d.retry_in).await;
    let r = reconnected(&mut changes).await;
    assert_eq!(r.disconnected_for, d.retry_in);
    assert_eq!(channel.connections().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_refused_resubscription_is_retried() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, options());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(
        "ActivePush",
        iot_explorer_runtime::test_util::ChannelReply::frame_error("-1", "后台连接出错"),
    );
    channel.drop_connections();
    let d = disconnected(&mut changes).await;
    tokio::time::advance(d.retry_in).await;
    let d = disconnected(&mut changes).await;
    assert_eq!(d.attempt, 2);
    assert_eq!(d.error.kind(), ErrorKind::Api);
    assert_eq!(d.error.wire_code(), Some("-1"));
    assert_eq!(d.error.action(), Some("ActivePush"));
    tokio::time::advance(d.retry_in).await;
    let r = reconnected(&mut changes).await;
    assert_eq!(r.attempts, 2);
}
