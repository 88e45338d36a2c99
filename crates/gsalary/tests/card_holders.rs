//! Card holders: list, create, get, update.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use walletbridge_core::SignatureProblem;
use walletbridge_gsalary::card_holders::{
    CardHolderStatus, CardHoldersQuery, CreateCardHolder, UpdateCardHolder,
};
use walletbridge_gsalary::models::{Address, MobileNumber};

fn holder(id: &str) -> serde_json::Value {
    json!({"card_holder_id": id, "first_name": "Mary Ann", "last_name": "Smith", "birth": "2001-12-20",
           "email": "mary@example.com", "region": "US", "create_time": "2024-03-02T12:25:01Z",
           "mobile": {"nation_code": "1", "mobile": "2025550123"},
           "bill_address": {}, "status": "PENDING", "kyc_level": 2})
}

fn new_holder() -> CreateCardHolder {
    CreateCardHolder::builder()
        .first_name("Mary Ann")
        .last_name("Smith")
        .birth("2001-12-20")
        .email("mary@example.com")
        .mobile(MobileNumber::new("+1", "2025550123"))
        .region("US")
        .build()
        .unwrap()
}

#[tokio::test]
async fn list_request_snapshot() {
    let data = json!({"query": {}, "card_holders": [holder("h1")], "page": 1, "limit": 20,
                      "total_count": 1, "total_page": 1});
    let q = CardHoldersQuery::new()
        .time_start(dt("2024-03-04T02:00:00Z"))
        .time_end(dt("2024-03-04T09:00:00Z"));
    let (req, page) = capture(data, |c| async move { c.card_holders().list(&q).await }).await;
    insta::assert_snapshot!("card_holders_list", req);
    assert!(req.starts_with(
        "GET /v1/card_holders?limit=20&page=1&time_end=2024-03-04T09:00:00Z&time_start=2024-03-04T02:00:00Z\n"
    ));
    let h = &page.items[0];
    assert_eq!(h.card_holder_id, "h1");
    assert_eq!(h.status, Some(CardHolderStatus::Pending));
    assert_eq!(h.bill_address, Some(Address::new()));
    assert_eq!(h.mobile.as_ref().unwrap().mobile, "2025550123");
}

#[tokio::test]
async fn create_request_snapshot() {
    let r = new_holder().bill_address(
        Address::new()
            .postcode("10001")
            .address("1 Main St")
            .city("New York")
            .state("NY")
            .country("US"),
    );
    let (req, h) = capture(holder("h9"), |c| async move {
        c.card_holders().create(&r).await
    })
    .await;
    insta::assert_snapshot!("card_holder_create", req);
    assert!(req.starts_with("POST /v1/card_holders\n"));
    assert!(req.ends_with(
        "\n{\"first_name\":\"Mary Ann\",\"last_name\":\"Smith\",\"birth\":\"2001-12-20\",\"email\":\"mary@example.com\",\
         \"mobile\":{\"nation_code\":\"1\",\"mobile\":\"2025550123\"},\"region\":\"US\",\"bill_address\":{\"postcode\":\"10001\",\
         \"address\":\"1 Main St\",\"city\":\"New York\",\"state\":\"NY\",\"country\":\"US\"}}\n"
    ), "{req}");
    assert_eq!(h.card_holder_id, "h9");
}

#[tokio::test]
async fn get_request_snapshot() {
    let (req, h) = capture(holder("h 1/2"), |c| async move {
        c.card_holders().get("h 1/2").await
    })
    .await;
    insta::assert_snapshot!("card_holder_get", req);
    // the id is one path segment, escaped
    assert!(req.starts_with("GET /v1/card_holders/h%201%2F2\n"), "{req}");
    assert_eq!(h.first_name.as_deref(), Some("Mary Ann"));
}

#[tokio::test]
async fn update_request_snapshot() {
    let r = UpdateCardHolder::new()
        .email("new@example.com")
        .mobile(MobileNumber::new("86", "13800138000"));
    let (req, _) = capture(holder("h1"), |c| async move {
        c.card_holders().update("h1", &r).await
    })
    .await;
    insta::assert_snapshot!("card_holder_update", req);
    assert!(req.starts_with("PUT /v1/card_holders/h1\n"));
    assert!(req.ends_with("\n{\"email\":\"new@example.com\",\"mobile\":{\"nation_code\":\"86\",\"mobile\":\"13800138000\"}}\n"));
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(holder("h1")));
    let client = client_with(transport.clone());
    let api = client.card_holders();
    let holder_with = |change: fn(&mut CreateCardHolder)| {
        let mut r = new_holder();
        change(&mut r);
        r
    };
    for (r, expected) in [
        (holder_with(|r| r.first_name = "Mary2".into()), "first_name"),
        (holder_with(|r| r.last_name = "x".repeat(41)), "last_name"),
        (holder_with(|r| r.birth = "2001-02-30".into()), "birth"),
        (
            holder_with(|r| r.mobile = MobileNumber::new("852", "912345678")),
            "mobile.mobile",
        ),
        (holder_with(|r| r.region = "USA".into()), "region"),
        (holder_with(|r| r.email = "not an email".into()), "email"),
        (
            new_holder().bill_address(Address::new().country("usa")),
            "bill_address.country",
        ),
    ] {
        let e = api.create(&r).await.unwrap_err();
        assert_eq!(validation_field(&e), expected);
    }
    let r = holder_with(|r| r.mobile = MobileNumber::new("86", "1380013800"));
    let e = api.create(&r).await.unwrap_err();
    assert_eq!(validation_field(&e), "mobile.mobile");
    assert!(e.to_string().contains("11 digits"), "{e}");
    assert_eq!(
        validation_field(
            &api.update("h1", &UpdateCardHolder::new())
                .await
                .unwrap_err()
        ),
        "body"
    );
    let e = api
        .update("h1", &UpdateCardHolder::new().last_name("O'Brien"))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "last_name");
    assert_eq!(
        validation_field(&api.get(" ").await.unwrap_err()),
        "card_holder_id"
    );
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn httpmock_success_errors_and_signatures() {
    let server = MockServer::start_async().await;
    let body = ok_body(holder("h1"));
    let sig = answer_signature(PLATFORM_KEY, "GET", "/v1/card_holders/h1", &body);
    let m = mount_with(
        &server,
        GET,
        "/v1/card_holders/h1",
        |when| when.header("x-appid", APPID).header_exists("authorization"),
        200,
        &body,
        Some(&sig),
    )
    .await;
    let h = client_on(&server).card_holders().get("h1").await.unwrap();
    assert_eq!(h.email.as_deref(), Some("mary@example.com"));
    m.assert_async().await;

    // not found
    let server = MockServer::start_async().await;
    let envelope = r#"{"biz_result":"F","error_code":"NOT_FOUND","message":"no such holder"}"#;
    mount(&server, GET, "/v1/card_holders/nope", 404, envelope, None).await;
    let err = client_on(&server)
        .card_holders()
        .get("nope")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NOT_FOUND"));
    assert_eq!(err.status(), Some(404));
    assert!(!err.is_retryable());

    // rejected create: F is final
    let server = MockServer::start_async().await;
    let f = r#"{"result":{"result":"F","code":"DUPLICATED","message":"email in use"}}"#;
    mount_signed(&server, POST, "/v1/card_holders", 200, f, PLATFORM_KEY).await;
    let err = client_on(&server)
        .card_holders()
        .create(&new_holder())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("DUPLICATED"));
    assert!(!err.is_retryable() && !err.is_outcome_unknown());

    // signed by another key
    let server = MockServer::start_async().await;
    mount_signed(&server, GET, "/v1/card_holders/h1", 200, &body, OTHER_KEY).await;
    let err = client_on(&server)
        .card_holders()
        .get("h1")
        .await
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

#[tokio::test]
async fn list_stream_walks_every_page() {
    let server = MockServer::start_async().await;
    mount_pages(
        &server,
        |page| format!("/v1/card_holders?limit=1&page={page}"),
        |page| {
            json!({"card_holders": [holder(&format!("h{page}"))],
                   "page": page, "limit": 1, "total_count": 3, "total_page": 3})
        },
    )
    .await;
    let ids = collect_ids(
        client_on(&server)
            .card_holders()
            .list_stream(CardHoldersQuery::new().limit(1)),
        |h| h.card_holder_id,
    )
    .await;
    assert_eq!(ids, ["h1", "h2", "h3"]);
}
