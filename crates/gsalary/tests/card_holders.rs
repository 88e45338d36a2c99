//! Card holders: list, create, get, update.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use serde_json::json;
use walletbridge_core::{ErrorKind, RetryPolicy, SignatureProblem};
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
    CreateCardHolder::new(
        "Mary Ann",
        "Smith",
        "2001-12-20",
        "mary@example.com",
        MobileNumber::new("+1", "2025550123"),
        "US",
    )
}

fn validation_field(err: &walletbridge_core::Error) -> String {
    match err.kind() {
        ErrorKind::Validation { field, .. } => field.clone(),
        other => panic!("not a validation error: {other}"),
    }
}

#[tokio::test]
async fn list_request_snapshot() {
    let data = json!({"query": {}, "card_holders": [holder("h1")], "page": 1, "limit": 20,
                      "total_count": 1, "total_page": 1});
    let q = CardHoldersQuery::new()
        .time_start("2024-03-04T02:00:00Z")
        .time_end("2024-03-04T09:00:00Z");
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
    let mut r = new_holder();
    r.first_name = "Mary2".into();
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "first_name"
    );
    let mut r = new_holder();
    r.last_name = "x".repeat(41);
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "last_name"
    );
    let mut r = new_holder();
    r.birth = "2001-02-30".into();
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "birth"
    );
    let mut r = new_holder();
    r.mobile = MobileNumber::new("86", "1380013800");
    let e = api.create(&r).await.unwrap_err();
    assert_eq!(validation_field(&e), "mobile.mobile");
    assert!(e.to_string().contains("11 digits"), "{e}");
    let mut r = new_holder();
    r.mobile = MobileNumber::new("852", "912345678");
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "mobile.mobile"
    );
    let mut r = new_holder();
    r.region = "USA".into();
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "region"
    );
    let mut r = new_holder();
    r.email = "not an email".into();
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "email"
    );
    let r = new_holder().bill_address(Address::new().country("usa"));
    assert_eq!(
        validation_field(&api.create(&r).await.unwrap_err()),
        "bill_address.country"
    );
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
    let e = api
        .list(&CardHoldersQuery::new().time_end("tomorrow"))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "time_end");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn httpmock_success_errors_and_signatures() {
    let server = MockServer::start_async().await;
    let body = ok_body(holder("h1"));
    let sig = answer_signature(PLATFORM_KEY, "GET", "/v1/card_holders/h1", &body);
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/card_holders/h1")
                .header("x-appid", APPID)
                .header_exists("authorization");
            then.status(200)
                .header("Authorization", sig.as_str())
                .body(body.as_str());
        })
        .await;
    let client = client_for(&server.base_url(), RetryPolicy::none());
    let h = client.card_holders().get("h1").await.unwrap();
    assert_eq!(h.email.as_deref(), Some("mary@example.com"));
    m.assert_async().await;

    // not found
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/card_holders/nope");
            then.status(404)
                .body(r#"{"biz_result":"F","error_code":"NOT_FOUND","message":"no such holder"}"#);
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
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
    let sig = answer_signature(PLATFORM_KEY, "POST", "/v1/card_holders", f);
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/card_holders");
            then.status(200)
                .header("Authorization", sig.as_str())
                .body(f);
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .card_holders()
        .create(&new_holder())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("DUPLICATED"));
    assert!(!err.is_retryable() && !err.is_outcome_unknown());

    // signed by another key
    let server = MockServer::start_async().await;
    let forged = answer_signature(OTHER_KEY, "GET", "/v1/card_holders/h1", &body);
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/card_holders/h1");
            then.status(200)
                .header("Authorization", forged.as_str())
                .body(body.as_str());
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .card_holders()
        .get("h1")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Signature {
                problem: SignatureProblem::Mismatch,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn list_stream_walks_every_page() {
    let server = MockServer::start_async().await;
    for page in 1..=3 {
        let body = ok_body(json!({"card_holders": [holder(&format!("h{page}"))],
                                  "page": page, "limit": 1, "total_count": 3, "total_page": 3}));
        let pq = format!("/v1/card_holders?limit=1&page={page}");
        let sig = answer_signature(PLATFORM_KEY, "GET", &pq, &body);
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v1/card_holders")
                    .query_param("page", page.to_string());
                then.status(200)
                    .header("Authorization", sig.as_str())
                    .body(body.as_str());
            })
            .await;
    }
    let client = client_for(&server.base_url(), RetryPolicy::none());
    let ids: Vec<String> = client
        .card_holders()
        .list_stream(CardHoldersQuery::new().limit(1))
        .map_ok(|h| h.card_holder_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["h1", "h2", "h3"]);
}
