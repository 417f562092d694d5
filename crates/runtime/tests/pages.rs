//! Page walkers against the loopback server: where each walk stops, what it
//! sends, and how a server that never ends is stopped.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build replies as values"
)]

mod common;

use std::pin::Pin;

use common::*;
use futures_core::Stream;
use iot_explorer_runtime::ErrorKind;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use serde_json::{Value, json};

fn families(ids: &[&str], total: Option<i64>) -> Reply {
    let list: Vec<Value> = ids.iter().map(|id| json!({"FamilyId": id})).collect();
    match total {
        Some(total) => Reply::success(json!({"FamilyList": list, "Total": total})),
        None => Reply::success(json!({"FamilyList": list})),
    }
}

fn fences(ids: &[&str]) -> Reply {
    let list: Vec<Value> = ids.iter().map(|id| json!({"FamilyId": id})).collect();
    Reply::success(json!({"Fences": list}))
}

fn history(times: &[&str], context: &str, listover: bool) -> Reply {
    let results: Vec<Value> = times.iter().map(|t| json!({"Time": t})).collect();
    Reply::success(json!({"Results": results, "Context": context, "Listover": listover}))
}

fn ids(items: &[Family]) -> Vec<&str> {
    items
        .iter()
        .map(|f| f.family_id.as_deref().unwrap())
        .collect()
}

/// `(Offset, Limit)` of every request for `action`, as sent.
fn sent(server: &TestServer, action: &str) -> Vec<(Option<i64>, Option<i64>)> {
    server
        .requests_for(action)
        .iter()
        .map(|r| {
            let get = |name| r.param(name).and_then(Value::as_i64);
            (get("Offset"), get("Limit"))
        })
        .collect()
}

fn history_request() -> DataHistoryRequest {
    DataHistoryRequest {
        field_name: "light_switch".into(),
        context: None,
        limit: 2,
    }
}

/// A stream's next item, without a combinator crate.
async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn an_offset_walk_stops_at_the_total() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFamilyList",
        [
            families(&["f1", "f2"], Some(5)),
            families(&["f3", "f4"], Some(5)),
            families(&["f5"], Some(5)),
        ],
    );
    let client = token_client(&server.base_url());
    let all = client
        .family_list_pages(ListRequest::new().with_limit(2))
        .collect_items()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["f1", "f2", "f3", "f4", "f5"]);
    assert_eq!(
        sent(&server, "AppGetFamilyList"),
        [(None, Some(2)), (Some(2), Some(2)), (Some(4), Some(2))]
    );
}

#[tokio::test]
async fn a_full_last_page_at_the_total_asks_for_nothing_more() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFamilyList",
        [
            families(&["f1", "f2"], Some(4)),
            families(&["f3", "f4"], Some(4)),
        ],
    );
    // Anything more would be a "no reply registered" error.
    let client = token_client(&server.base_url());
    let mut pages = client.family_list_pages(ListRequest::new().with_limit(2));
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        seen.push(ids(page.unwrap().family_list.as_deref().unwrap()).join(","));
    }
    assert_eq!(seen, ["f1,f2", "f3,f4"]);
    assert_eq!(server.requests_for("AppGetFamilyList").len(), 2);
}

#[tokio::test]
async fn with_a_total_a_short_page_alone_does_not_stop_the_walk() {
    // A server that caps pages at 2 although the caller asked for 3.
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFamilyList",
        [
            families(&["f1", "f2"], Some(5)),
            families(&["f3", "f4"], Some(5)),
            families(&["f5"], Some(5)),
        ],
    );
    let client = token_client(&server.base_url());
    let all = client
        .family_list_pages(ListRequest::new().with_limit(3))
        .collect_items()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(
        sent(&server, "AppGetFamilyList"),
        [(None, Some(3)), (Some(2), Some(3)), (Some(4), Some(3))]
    );
}

#[tokio::test]
async fn without_a_total_a_short_page_is_the_last() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFenceList",
        [fences(&["a", "b", "c"]), fences(&["d"])],
    );
    let client = token_client(&server.base_url());
    let all = client
        .fence_list_pages(ListRequest::new().with_limit(3))
        .collect_items()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c", "d"]);
    assert_eq!(
        sent(&server, "AppGetFenceList"),
        [(None, Some(3)), (Some(3), Some(3))]
    );
}

#[tokio::test]
async fn an_empty_page_ends_the_walk_and_only_a_first_one_is_yielded() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFenceList",
        [fences(&["a", "b"]), fences(&["c", "d"]), fences(&[])],
    );
    let client = token_client(&server.base_url());
    let mut pages = client.fence_list_pages(ListRequest::new().with_limit(2));
    let mut count = 0;
    while let Some(page) = pages.next().await {
        assert!(!page.unwrap().fences.unwrap().is_empty());
        count += 1;
    }
    assert_eq!(count, 2);
    assert_eq!(server.requests_for("AppGetFenceList").len(), 3);

    // A list with nothing in it is one empty page.
    server.respond("AppGetFamilyList", families(&[], Some(0)));
    let mut pages = client.family_list_pages(ListRequest::new());
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.total, Some(0));
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn without_any_limit_a_page_shorter_than_the_ones_before_is_the_last() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFenceList",
        [
            fences(&["a", "b", "c"]),
            fences(&["d", "e", "f"]),
            fences(&["g"]),
        ],
    );
    let client = token_client(&server.base_url());
    let all = client
        .fence_list_pages(ListRequest::new())
        .collect_items()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
    // No limit is invented when the docs give no maximum.
    assert_eq!(
        sent(&server, "AppGetFenceList"),
        [(None, None), (Some(3), None), (Some(6), None)]
    );
}

#[tokio::test]
async fn the_callers_limit_and_offset_are_kept_and_the_maximum_applies() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFamilyList",
        [
            families(&["f11", "f12"], Some(13)),
            families(&["f13"], Some(13)),
        ],
    );
    let client = token_client(&server.base_url());
    let all = client
        .family_list_pages(ListRequest::new().with_limit(2).with_offset(10))
        .collect_items()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["f11", "f12", "f13"]);
    assert_eq!(
        sent(&server, "AppGetFamilyList"),
        [(Some(10), Some(2)), (Some(12), Some(2))]
    );

    // Above the documented maximum (50), or unset: the maximum.
    for request in [ListRequest::new().with_limit(500), ListRequest::new()] {
        server.clear_requests();
        server.respond("AppGetFamilyList", families(&["f1"], Some(1)));
        let all = client
            .family_list_pages(request)
            .collect_items()
            .await
            .unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(sent(&server, "AppGetFamilyList"), [(None, Some(50))]);
    }
}

#[tokio::test]
async fn a_server_that_repeats_a_page_is_stopped_with_an_error() {
    let server = TestServer::start().await;
    // Ignores the offset and claims there is always more.
    server.respond("AppGetFamilyList", families(&["f1", "f2"], Some(1_000_000)));
    let client = token_client(&server.base_url());
    let mut pages = client.family_list_pages(ListRequest::new().with_limit(2));
    assert!(pages.next().await.unwrap().is_ok());
    let err = pages.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
    assert_eq!(err.action(), Some("AppGetFamilyList"));
    assert!(err.to_string().contains("repeats page 1"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests_for("AppGetFamilyList").len(), 2);

    let err = client
        .family_list_pages(ListRequest::new().with_limit(2))
        .collect_items()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
}

#[tokio::test]
async fn a_server_that_never_ends_is_stopped_at_the_page_limit() {
    let server = TestServer::start().await;
    // New pages forever, in a cycle too long for the repeated-page check.
    let pages: Vec<Reply> = (0..20)
        .map(|i| families(&[&format!("f{}", i % 3)], Some(i64::MAX)))
        .collect();
    server.respond_sequence("AppGetFamilyList", pages);
    let client = token_client(&server.base_url());
    let mut walk = client
        .family_list_pages(ListRequest::new().with_limit(1))
        .with_max_pages(5);
    for _ in 0..5 {
        walk.next().await.unwrap().unwrap();
    }
    let err = walk.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
    assert!(err.to_string().contains("after 5 pages"), "{err}");
    assert!(walk.next().await.is_none());
    assert_eq!(server.requests_for("AppGetFamilyList").len(), 5);
}

#[tokio::test]
async fn an_error_mid_walk_is_yielded_and_ends_the_walk() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetFamilyList",
        [
            families(&["f1", "f2"], Some(6)),
            Reply::error("InternalError", "boom"),
            families(&["f3", "f4"], Some(6)),
        ],
    );
    let client = token_client(&server.base_url());
    let mut pages = client.family_list_pages(ListRequest::new().with_limit(2));
    assert!(pages.next().await.unwrap().is_ok());
    let err = pages.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InternalError));
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests_for("AppGetFamilyList").len(), 2);
}

#[tokio::test]
async fn each_page_is_an_ordinary_call_with_retries_and_the_session() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetToken",
        Reply::success(json!({"Data": {"Token": "tok-1"}})),
    );
    server.respond_sequence(
        "AppGetFamilyList",
        [
            families(&["f1", "f2"], Some(3)),
            Reply::error("RequestLimitExceeded", "slow down"),
            families(&["f3"], Some(3)),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let all = client
        .family_list_pages(ListRequest::new().with_limit(2))
        .collect_items()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["f1", "f2", "f3"]);
    assert_eq!(server.requests_for("AppGetToken").len(), 1);
    // The throttled page was retried with its own offset.
    assert_eq!(
        sent(&server, "AppGetFamilyList"),
        [(None, Some(2)), (Some(2), Some(2)), (Some(2), Some(2))]
    );
}

#[tokio::test]
async fn a_cursor_walk_follows_the_cursor_and_ignores_listover() {
    let server = TestServer::start().await;
    // `Listover` says the opposite of the truth on every page.
    server.respond_sequence(
        "AppGetDeviceDataHistory",
        [
            history(&["1", "2"], "c1", true),
            history(&["3", "4"], "c2", true),
            history(&["5"], "", false),
        ],
    );
    let client = token_client(&server.base_url());
    let all = client
        .data_history_pages(history_request())
        .collect_items()
        .await
        .unwrap();
    let times: Vec<_> = all.iter().map(|p| p.time.as_deref().unwrap()).collect();
    assert_eq!(times, ["1", "2", "3", "4", "5"]);
    let contexts: Vec<_> = server
        .requests_for("AppGetDeviceDataHistory")
        .iter()
        .map(|r| (r.param("Context").cloned(), r.param("Limit").cloned()))
        .collect();
    assert_eq!(
        contexts,
        [
            (None, Some(json!(2))),
            (Some(json!("c1")), Some(json!(2))),
            (Some(json!("c2")), Some(json!(2)))
        ]
    );
}

#[tokio::test]
async fn an_unchanged_or_missing_cursor_ends_the_walk() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceDataHistory",
        [history(&["1"], "c1", false), history(&["2"], "c1", false)],
    );
    let client = token_client(&server.base_url());
    let all = client
        .data_history_pages(history_request())
        .collect_items()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(server.requests_for("AppGetDeviceDataHistory").len(), 2);

    server.clear_requests();
    server.respond(
        "AppGetDeviceDataHistory",
        Reply::success(json!({"Results": [{"Time": "9"}]})),
    );
    let all = client
        .data_history_pages(history_request())
        .collect_items()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.requests_for("AppGetDeviceDataHistory").len(), 1);
}

#[tokio::test]
async fn a_cursor_that_comes_back_is_an_error_after_the_new_page() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceDataHistory",
        [
            history(&["1"], "c1", false),
            history(&["2"], "c2", false),
            history(&["3"], "c1", false),
        ],
    );
    let client = token_client(&server.base_url());
    let mut pages = client.data_history_pages(history_request());
    for _ in 0..3 {
        pages.next().await.unwrap().unwrap();
    }
    let err = pages.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
    assert!(err.to_string().contains("round in a circle"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests_for("AppGetDeviceDataHistory").len(), 3);
}

#[tokio::test]
async fn pages_and_items_are_streams() {
    let server = TestServer::start().await;
    let replies = [families(&["f1", "f2"], Some(3)), families(&["f3"], Some(3))];
    server.respond_sequence("AppGetFamilyList", replies.clone());
    let client = token_client(&server.base_url());

    let mut pages = client.family_list_pages(ListRequest::new().with_limit(2));
    assert_eq!(next(&mut pages).await.unwrap().unwrap().total, Some(3));
    assert!(next(&mut pages).await.unwrap().is_ok());
    assert!(next(&mut pages).await.is_none());

    server.respond_sequence("AppGetFamilyList", replies);
    let mut items = client
        .family_list_pages(ListRequest::new().with_limit(2))
        .items();
    let mut seen = Vec::new();
    while let Some(item) = next(&mut items).await {
        seen.push(item.unwrap().family_id.unwrap());
    }
    assert_eq!(seen, ["f1", "f2", "f3"]);
}

#[tokio::test]
async fn a_walk_can_run_on_another_task() {
    let server = TestServer::start().await;
    server.respond("AppGetFamilyList", families(&["f1"], Some(1)));
    let client = token_client(&server.base_url());
    let pages = client.family_list_pages(ListRequest::new());
    assert!(format!("{pages:?}").contains("AppGetFamilyList"));
    let all = tokio::spawn(pages.collect_items()).await.unwrap().unwrap();
    assert_eq!(all.len(), 1);
}
