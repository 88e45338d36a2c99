//! Cards: quotas, products, apply, list, read, update, cancel, secrets,
//! balance changes, freeze, contact, physical cards.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::{ErrorKind, SignatureProblem};
use walletbridge_gsalary::cards::{
    AccountingType, ActivateCard, ApplyCard, AssignCard, Brand, CardBalanceChangeType, CardStatus,
    CardType, CardsQuery, ModifyCardBalance, ProductsQuery, RequestStatus, ResetCardPin,
    UpdateCard,
};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn card(id: &str) -> serde_json::Value {
    json!({"card_id": id, "card_name": "ads", "mask_card_number": "41******1111", "card_currency": "USD",
           "available_balance": 99.5, "brand_code": "VISA", "status": "ACTIVE", "card_type": "VIRTUAL",
           "accounting_type": "SHARE", "card_region": "US", "card_holder_id": "h1", "first_name": "Mary",
           "last_name": "Smith", "mobile": {}, "email": "mary@example.com", "limit_per_day": 100,
           "limit_per_month": 1000, "limit_per_transaction": 50.5, "bill_address": {},
           "support_tds_trans": true, "create_time": "2024-04-02T13:03:12Z"})
}

fn modify(status: &str) -> serde_json::Value {
    json!({"gsalary_request_id": "g1", "request_id": "bm-1", "card_id": "c1", "status": status,
           "create_time": "2024-04-05T12:32:08Z", "finish_time": "", "amount": 25.5, "type": "INCREASE",
           "post_balance": 125.5})
}

fn apply() -> ApplyCard {
    ApplyCard::builder()
        .request_id("apply-1")
        .product_code("G12345")
        .currency("USD")
        .card_holder_id("h1")
        .init_balance(d("100"))
        .build()
        .unwrap()
        .limit_per_transaction(d("50"))
        .limit_per_day(d("100"))
        .limit_per_month(d("1000"))
}

// ---- one snapshot per endpoint ----

#[tokio::test]
async fn available_quotas_snapshot() {
    let data = json!({"query": {"currency": "USD"}, "quota": {"currency": "USD", "accounting_card_type": "RECHARGE",
                      "available_quota": 7, "max_quota": 10}});
    let (req, q) = capture(data, |c| async move {
        c.cards()
            .available_quotas("USD", Some(AccountingType::Recharge))
            .await
    })
    .await;
    insta::assert_snapshot!("card_available_quotas", req);
    assert!(req.starts_with(
        "GET /v1/cards/available_quotas?accounting_card_type=RECHARGE&currency=USD\n"
    ));
    let quota = q.quota.unwrap();
    assert_eq!(quota.available_quota, Some(d("7")));
    assert_eq!(quota.extra.get("max_quota"), Some(&json!(10)));
    // `{}` reads as no quota
    let (_, q) = capture(json!({"query": {}, "quota": {}}), |c| async move {
        c.cards().available_quotas("USD", None).await
    })
    .await;
    assert!(q.quota.is_none());
}

#[tokio::test]
async fn products_snapshot() {
    let data = json!({"query": {}, "products": [{"product_code": "G68796", "card_type": "VIRTUAL",
                      "brand_code": "MASTER", "currency": "USD", "support_limit_config": true}]});
    let q = ProductsQuery::new()
        .card_type(CardType::Virtual)
        .brand_code(Brand::Master)
        .currency("USD");
    let (req, products) = capture(data, |c| async move { c.cards().products(&q).await }).await;
    insta::assert_snapshot!("card_products", req);
    assert!(req.starts_with(
        "GET /v1/card_support/products?brand_code=MASTER&card_type=VIRTUAL&currency=USD\n"
    ));
    assert_eq!(products[0].product_code.as_deref(), Some("G68796"));
    assert_eq!(products[0].brand_code, Some(Brand::Master));
    assert_eq!(
        products[0].extra.get("support_limit_config"),
        Some(&json!(true))
    );
}

#[tokio::test]
async fn apply_snapshot() {
    let r = apply();
    let (req, a) = capture(
        json!({"request_id": "apply-1", "status": "PENDING"}),
        |c| async move { c.cards().apply(&r).await },
    )
    .await;
    insta::assert_snapshot!("card_apply", req);
    assert!(req.ends_with(
        "\n{\"request_id\":\"apply-1\",\"product_code\":\"G12345\",\"currency\":\"USD\",\"card_holder_id\":\"h1\",\
         \"limit_per_day\":100,\"limit_per_month\":1000,\"limit_per_transaction\":50,\"init_balance\":100}\n"
    ), "{req}");
    assert_eq!(a.status, Some(RequestStatus::Pending));
    // without limits, none are sent
    let r = ApplyCard::builder()
        .request_id("apply-2")
        .product_code("G12345")
        .currency("USD")
        .card_holder_id("h1")
        .init_balance(d("0"))
        .build()
        .unwrap();
    let (req, _) = capture(json!({"request_id": "apply-2"}), |c| async move {
        c.cards().apply(&r).await
    })
    .await;
    assert!(req.ends_with(
        "\n{\"request_id\":\"apply-2\",\"product_code\":\"G12345\",\"currency\":\"USD\",\"card_holder_id\":\"h1\",\"init_balance\":0}\n"
    ), "{req}");
}

#[tokio::test]
async fn apply_result_snapshot() {
    let data = json!({"request_id": "apply-1", "status": "SUCCESS", "create_time": "2024-04-02T13:03:12Z",
                      "card_detail": card("c1")});
    let (req, r) = capture(
        data,
        |c| async move { c.cards().apply_result("apply-1").await },
    )
    .await;
    insta::assert_snapshot!("card_apply_result", req);
    assert!(req.starts_with("GET /v1/card_applies/apply-1\n"));
    assert_eq!(r.status, Some(RequestStatus::Success));
    assert_eq!(r.card_detail.unwrap().card_id, "c1");
    // pending: `card_detail: {}` is no card yet
    let data = json!({"request_id": "apply-1", "status": "PENDING", "card_detail": {}});
    let (_, r) = capture(
        data,
        |c| async move { c.cards().apply_result("apply-1").await },
    )
    .await;
    assert!(r.card_detail.is_none());
}

#[tokio::test]
async fn list_snapshot() {
    let data = json!({"query": {}, "cards": [card("c1"), {"card_id": "c2", "status": "LOST"}], "page": 1,
                      "limit": 20, "total_count": 2, "total_page": 1});
    let q = CardsQuery::new()
        .product_code("G12345")
        .brand_code(Brand::Visa)
        .card_holder_id("h1")
        .create_start(dt("2024-04-01T00:00:00Z"))
        .create_end(dt("2024-05-01T00:00:00Z"))
        .status(CardStatus::Frozen);
    let (req, page) = capture(data, |c| async move { c.cards().list(&q).await }).await;
    insta::assert_snapshot!("cards_list", req);
    assert!(req.starts_with(
        "GET /v1/cards?brand_code=VISA&card_holder_id=h1&create_end=2024-05-01T00:00:00Z&create_start=2024-04-01T00:00:00Z&limit=20&page=1&product_code=G12345&status=FROZEN\n"
    ), "{req}");
    assert_eq!(page.items[1].status, Some(CardStatus::Other("LOST".into())));
}

#[tokio::test]
async fn get_snapshot_and_full_decode() {
    let (req, c) = capture(card("c1"), |c| async move { c.cards().get("c1").await }).await;
    insta::assert_snapshot!("card_get", req);
    assert!(req.starts_with("GET /v1/cards/c1\n"));
    assert_eq!(c.available_balance, Some(d("99.5")));
    assert_eq!(c.limit_per_transaction, Some(d("50.5")));
    assert_eq!(c.brand_code, Some(Brand::Visa));
    assert_eq!(c.card_type, Some(CardType::Virtual));
    assert_eq!(c.accounting_type, Some(AccountingType::Share));
    assert_eq!(c.status, Some(CardStatus::Active));
    assert_eq!(c.support_tds_trans, Some(true));
    assert!(c.mobile.is_none(), "`mobile: {{}}` is no mobile");
    // missing optional fields are fine
    let (_, c) = capture(json!({"card_id": "c9"}), |c| async move {
        c.cards().get("c9").await
    })
    .await;
    assert_eq!(c.card_id, "c9");
    assert!(c.status.is_none());
}

#[tokio::test]
async fn update_snapshot() {
    let r = UpdateCard::new()
        .card_name("ads")
        .limit_per_transaction(d("20"))
        .limit_per_day(d("200"));
    let (req, _) = capture(
        card("c1"),
        |c| async move { c.cards().update("c1", &r).await },
    )
    .await;
    insta::assert_snapshot!("card_update", req);
    assert!(req.starts_with("PUT /v1/cards/c1\n"));
    assert!(
        req.ends_with(
            "\n{\"card_name\":\"ads\",\"limit_per_day\":200,\"limit_per_transaction\":20}\n"
        ),
        "{req}"
    );
}

#[tokio::test]
async fn cancel_snapshot() {
    let (req, ()) = capture(json!(null), |c| async move { c.cards().cancel("c1").await }).await;
    insta::assert_snapshot!("card_cancel", req);
    assert!(req.starts_with("DELETE /v1/cards/c1\n"));
    assert!(!req.contains("Content-Type"));
    // the page's answer has no `data` at all; that is a success too
    let transport = no_data_transport();
    client_with(transport.clone())
        .cards()
        .cancel("c1")
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn secure_info_snapshot_and_redaction() {
    let data = json!({"pan": "4111111111111111", "expire_year": "2025", "expire_month": "04", "cvv": "312"});
    let (req, info) = capture(data, |c| async move { c.cards().secure_info("c1").await }).await;
    insta::assert_snapshot!("card_secure_info", req);
    assert!(req.starts_with("GET /v1/cards/c1/secure_info\n"));
    assert_eq!(info.pan.expose(), "4111111111111111");
    assert_eq!(info.cvv.expose(), "312");
    assert_eq!(info.expire_month.expose(), "04");
    let debug = format!("{info:?} {info:#?}");
    for secret in ["4111111111111111", "312", "2025", "04"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("[REDACTED]"));
}

#[tokio::test]
async fn balance_modify_snapshot() {
    let r = ModifyCardBalance::increase("bm-1", "c1", d("25.5"));
    let (req, m) = capture(modify("PENDING"), |c| async move {
        c.cards().modify_balance(&r).await
    })
    .await;
    insta::assert_snapshot!("card_balance_modify", req);
    assert!(req.starts_with("POST /v1/cards/balance_modifies\n"));
    assert!(req.ends_with(
        "\n{\"card_id\":\"c1\",\"amount\":25.5,\"type\":\"INCREASE\",\"request_id\":\"bm-1\"}\n"
    ));
    assert_eq!(m.post_balance, Some(d("125.5")));
    assert_eq!(m.modify_type, Some(CardBalanceChangeType::Increase));
    assert_eq!(m.gsalary_request_id.as_deref(), Some("g1"));
    let r = ModifyCardBalance::decrease("bm-2", "c1", d("3"));
    let mut answer = modify("PENDING");
    answer["request_id"] = json!("bm-2");
    let (req, _) = capture(
        answer,
        |c| async move { c.cards().modify_balance(&r).await },
    )
    .await;
    assert!(req.contains("\"type\":\"DECREASE\""));
}

#[tokio::test]
async fn balance_modify_result_snapshot() {
    let (req, m) = capture(modify("SUCCESS"), |c| async move {
        c.cards().balance_modify_result("bm-1").await
    })
    .await;
    insta::assert_snapshot!("card_balance_modify_result", req);
    assert!(req.starts_with("GET /v1/cards/balance_modifies/bm-1\n"));
    assert_eq!(m.status, Some(RequestStatus::Success));
}

#[tokio::test]
async fn freeze_snapshot() {
    let (req, ()) = capture(json!(null), |c| async move { c.cards().freeze("c1").await }).await;
    insta::assert_snapshot!("card_freeze_status", req);
    assert!(req.starts_with("PUT /v1/cards/c1/freeze_status\n"));
    assert!(req.ends_with("\n{\"freeze\":true}\n"));
    let (req, ()) = capture(
        json!(null),
        |c| async move { c.cards().unfreeze("c1").await },
    )
    .await;
    assert!(req.ends_with("\n{\"freeze\":false}\n"));
}

#[tokio::test]
async fn contact_snapshot() {
    let (req, c) = capture(card("c1"), |c| async move {
        c.cards()
            .update_contact("c1", Some("pay@example.com"))
            .await
    })
    .await;
    insta::assert_snapshot!("card_contact_update", req);
    assert!(req.starts_with("PUT /v1/cards/c1/contact\n"));
    assert!(req.ends_with("\n{\"email\":\"pay@example.com\"}\n"));
    assert_eq!(c.card_id, "c1");
}

#[tokio::test]
async fn email_delete_snapshot() {
    let (req, _) = capture(
        card("c1"),
        |c| async move { c.cards().delete_email("c1").await },
    )
    .await;
    insta::assert_snapshot!("card_email_delete", req);
    assert!(req.starts_with("DELETE /v1/cards/c1/email\n"));
}

#[tokio::test]
async fn assign_snapshot_and_redaction() {
    let r = AssignCard::builder()
        .card_number("4937241000001234")
        .card_holder_id("h1")
        .card_currency("USD")
        .build()
        .unwrap();
    assert!(!format!("{r:?}").contains("4937241000001234"));
    let (req, a) = capture(json!({"card_id": "pc1"}), |c| async move {
        c.cards().assign(&r).await
    })
    .await;
    insta::assert_snapshot!("card_assign", req);
    assert!(req.starts_with("POST /v1/cards/assign_card\n"));
    assert!(req.ends_with(
        "\n{\"card_number\":\"4937241000001234\",\"card_holder_id\":\"h1\",\"card_currency\":\"USD\"}\n"
    ));
    assert_eq!(a.card_id, "pc1");
}

#[tokio::test]
async fn activate_snapshot_and_redaction() {
    let r = ActivateCard::new("ACT-778899", "246810").no_pin_payment_amount(d("0"));
    let debug = format!("{r:?}");
    assert!(
        !debug.contains("ACT-778899") && !debug.contains("246810"),
        "{debug}"
    );
    let (req, ()) = capture(json!(null), |c| async move {
        c.cards().activate("pc1", &r).await
    })
    .await;
    insta::assert_snapshot!("card_activate", req);
    assert!(req.starts_with("POST /v1/cards/pc1/active_card\n"));
    assert!(req.ends_with(
        "\n{\"activation_code\":\"ACT-778899\",\"pin\":\"246810\",\"no_pin_payment_amount\":0}\n"
    ));
}

#[tokio::test]
async fn reset_pin_snapshot_and_redaction() {
    let r = ResetCardPin::new("135790");
    let debug = format!("{r:?} {r:#?}");
    assert!(!debug.contains("135790"), "{debug}");
    let (req, ()) = capture(json!(null), |c| async move {
        c.cards().reset_pin("pc1", &r).await
    })
    .await;
    insta::assert_snapshot!("card_reset_pin", req);
    assert!(req.starts_with("POST /v1/cards/pc1/reset_card_pin\n"));
    assert!(req.ends_with("\n{\"pin\":\"135790\"}\n"));
}

// ---- validation ----

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(card("c1")));
    let client = client_with(transport.clone());
    let cards = client.cards();

    let apply_with = |change: fn(&mut ApplyCard)| {
        let mut r = apply();
        change(&mut r);
        r
    };
    for (r, expected) in [
        (apply().limit_per_day(d("0.5")), "limit_per_day"),
        (apply().limit_per_month(d("10.005")), "limit_per_month"),
        (apply_with(|r| r.request_id = "x".repeat(51)), "request_id"),
        (apply_with(|r| r.init_balance = d("-1")), "init_balance"),
        (apply_with(|r| r.currency = "usd".into()), "currency"),
    ] {
        let e = cards.apply(&r).await.unwrap_err();
        assert_eq!(validation_field(&e), expected);
    }

    let e = cards
        .update(
            "c1",
            &UpdateCard::new()
                .limit_per_day(d("10"))
                .limit_per_month(d("5")),
        )
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "limit_per_day");
    let e = cards
        .update("c1", &UpdateCard::new().limit_per_transaction(d("-1")))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "limit_per_transaction");
    assert_eq!(
        validation_field(&cards.update("c1", &UpdateCard::new()).await.unwrap_err()),
        "body"
    );

    // the request names no currency, so no scale applies: "1.001" is GSalary's to judge
    for bad in ["0", "-5"] {
        let e = cards
            .modify_balance(&ModifyCardBalance::increase("bm", "c1", d(bad)))
            .await
            .unwrap_err();
        assert_eq!(validation_field(&e), "amount", "{bad}");
    }
    let e = cards
        .modify_balance(&ModifyCardBalance::increase("bm", "", d("1")))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "card_id");

    for bad in ["12345", "1234567", "12a456", ""] {
        let e = cards
            .reset_pin("pc1", &ResetCardPin::new(bad))
            .await
            .unwrap_err();
        assert_eq!(validation_field(&e), "pin", "{bad}");
        // the rule is named, the value is not
        assert!(bad.is_empty() || !e.to_string().contains(bad), "{e}");
    }
    let e = cards
        .activate("pc1", &ActivateCard::new("", "123456"))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "activation_code");
    let e = cards
        .activate(
            "pc1",
            &ActivateCard::new("A1", "123456").no_pin_payment_amount(d("-1")),
        )
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "no_pin_payment_amount");
    let e = cards
        .assign(
            &AssignCard::builder()
                .card_number("4937-2410")
                .card_holder_id("h1")
                .card_currency("USD")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "card_number");
    assert!(!e.to_string().contains("4937-2410"));
    let e = cards.update_contact("c1", Some("nope")).await.unwrap_err();
    assert_eq!(validation_field(&e), "email");
    let e = cards.available_quotas("US", None).await.unwrap_err();
    assert_eq!(validation_field(&e), "currency");
    let e = cards.get("").await.unwrap_err();
    assert_eq!(validation_field(&e), "card_id");
    let e = cards.apply_result("").await.unwrap_err();
    assert_eq!(validation_field(&e), "request_id");
    assert!(transport.requests().is_empty());
}

// ---- outcomes, errors, signatures over HTTP ----

#[tokio::test]
async fn apply_with_result_u_is_an_unknown_outcome_and_not_repeated() {
    let server = MockServer::start_async().await;
    let body =
        r#"{"result":{"result":"U","code":"SYSTEM_ERROR","message":"processing"},"data":null}"#;
    let sig = answer_signature(PLATFORM_KEY, "POST", "/v1/card_applies", body);
    let m = mount_with(
        &server,
        POST,
        "/v1/card_applies",
        |when| when.header("content-type", "application/json"),
        200,
        body,
        Some(&sig),
    )
    .await;
    let err = client_for(&server.base_url(), quick_retries(3))
        .cards()
        .apply(&apply())
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.code(), Some("SYSTEM_ERROR"));
    assert_eq!(err.operation(), Some("apply card"));
    assert_eq!(m.calls_async().await, 1);
}

#[tokio::test]
async fn balance_modify_with_result_f_is_final() {
    let server = MockServer::start_async().await;
    let body = r#"{"result":{"result":"F","code":"INSUFFICIENT_BALANCE","message":"not enough"}}"#;
    mount_signed(
        &server,
        POST,
        "/v1/cards/balance_modifies",
        200,
        body,
        PLATFORM_KEY,
    )
    .await;
    let err = client_on(&server)
        .cards()
        .modify_balance(&ModifyCardBalance::increase("bm-1", "c1", d("10")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INSUFFICIENT_BALANCE"));
    assert!(matches!(err.kind(), ErrorKind::Api(_)));
    assert!(!err.is_retryable());
    assert!(!err.is_outcome_unknown());
}

#[tokio::test]
async fn busy_puts_are_retried_and_deletes_are_not() {
    let busy = r#"{"biz_result":"F","error_code":"SYSTEM_BUSY","message":"busy"}"#;
    let server = MockServer::start_async().await;
    let put = mount(&server, PUT, "/v1/cards/c1/freeze_status", 423, busy, None).await;
    let del = mount(&server, DELETE, "/v1/cards/c1", 423, busy, None).await;
    let client = client_for(&server.base_url(), quick_retries(3));
    let err = client.cards().freeze("c1").await.unwrap_err();
    assert_eq!(err.code(), Some("SYSTEM_BUSY"));
    assert_eq!(put.calls_async().await, 3);
    let err = client.cards().cancel("c1").await.unwrap_err();
    assert_eq!(err.code(), Some("SYSTEM_BUSY"));
    assert_eq!(del.calls_async().await, 1);
}

#[tokio::test]
async fn error_envelope_becomes_a_typed_api_error() {
    let server = MockServer::start_async().await;
    let envelope = r#"{"biz_result":"F","error_code":"NOT_FOUND","message":"no such card"}"#;
    mount(&server, GET, "/v1/cards/c404", 404, envelope, None).await;
    let err = client_on(&server).cards().get("c404").await.unwrap_err();
    assert_eq!(err.code(), Some("NOT_FOUND"));
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), Some("no such card"));
}

#[tokio::test]
async fn secure_info_with_a_bad_signature_is_refused_and_not_quoted() {
    let pq = "/v1/cards/c1/secure_info";
    let body = ok_body(
        json!({"pan": "4111111111119999", "expire_year": "2025", "expire_month": "04", "cvv": "987"}),
    );
    let good = answer_signature(PLATFORM_KEY, "GET", pq, &body);
    let forged = answer_signature(OTHER_KEY, "GET", pq, &body);
    // a body changed after signing
    let tampered = body.replace("987", "123");
    for (answer, sig, problem) in [
        // another key's signature
        (body.clone(), Some(forged), SignatureProblem::Mismatch),
        // no signature at all
        (body.clone(), None, SignatureProblem::Missing),
        (tampered, Some(good), SignatureProblem::Mismatch),
    ] {
        let server = MockServer::start_async().await;
        mount(&server, GET, pq, 200, &answer, sig.as_deref()).await;
        let err = client_on(&server)
            .cards()
            .secure_info("c1")
            .await
            .unwrap_err();
        assert_signature(&err, problem);
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("4111111111119999") && !shown.contains("987"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn list_stream_walks_every_page() {
    let server = MockServer::start_async().await;
    mount_pages(
        &server,
        |page| format!("/v1/cards?card_holder_id=h1&limit=1&page={page}"),
        |page| {
            json!({"cards": [card(&format!("c{page}"))], "page": page, "limit": 1,
                   "total_count": 3, "total_page": 3})
        },
    )
    .await;
    let ids = collect_ids(
        client_on(&server)
            .cards()
            .list_stream(CardsQuery::new().limit(1).card_holder_id("h1")),
        |c| c.card_id,
    )
    .await;
    assert_eq!(ids, ["c1", "c2", "c3"]);
}

#[tokio::test]
async fn limits_follow_the_page_for_apply_and_update() {
    let transport = signed_transport(200, ok_body(card("c1")));
    let client = client_with(transport.clone());
    // update: the page's example values, 0 for each limit
    let update = UpdateCard::new()
        .limit_per_transaction(d("0"))
        .limit_per_day(d("0"))
        .limit_per_month(d("0"));
    client.cards().update("c1", &update).await.unwrap();
    // apply: >= 1 each, and no order between them on this page
    let transport = signed_transport(
        200,
        ok_body(json!({"request_id": "apply-1", "status": "PENDING"})),
    );
    let client = client_with(transport.clone());
    let r = apply()
        .limit_per_transaction(d("200"))
        .limit_per_day(d("100"))
        .limit_per_month(d("1"));
    client.cards().apply(&r).await.unwrap();
    // a balance change's request_id has no documented cap
    let top_up = ModifyCardBalance::increase("r".repeat(64), "c1", d("1"));
    let transport = signed_transport(200, ok_body(modify("PENDING")));
    let client = client_with(transport.clone());
    let e = client.cards().modify_balance(&top_up).await.unwrap_err();
    assert!(
        !e.is_not_sent(),
        "sent (the mismatching echo is the answer's fault): {e}"
    );
}
