//! The wallet calls: request snapshots, answers, validation, retries.
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use walletbridge_adapay::wallet::{
    BalanceQuery, CashStatusQuery, CashType, CreateWalletLogin, DrawCash, Status,
};
use walletbridge_core::{ErrorKind, RetryPolicy, SignatureProblem};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn order() -> DrawCash {
    DrawCash::new("cash_20240101_0001", CashType::T1, d("0.1"), "0")
        .notify_url("https://shop.example/adapay/notify")
}

/// [`order`] with one change.
fn order_with(change: impl FnOnce(&mut DrawCash)) -> DrawCash {
    let mut o = order();
    change(&mut o);
    o
}

// ---- one request snapshot per HTTP operation -------------------------------

#[tokio::test]
async fn draw_cash_request_snapshot_and_decode() {
    let (text, req, cash) = capture(cash_data("pending"), |c| async move {
        c.wallet().draw_cash(&order()).await
    })
    .await;
    insta::assert_snapshot!("draw_cash", text);
    // 0.1 goes out as exactly two decimals
    assert!(String::from_utf8_lossy(req.body.as_ref().unwrap()).contains(r#""cash_amt":"0.10""#));
    assert_eq!(req.url, "https://api.adapay.tech/v1/cashs");
    assert_eq!(cash.status, Status::Pending);
    assert_eq!(cash.cash_amt, Some(d("0.10")));
    assert_eq!(cash.real_amt, Some(d("0.10")));
    assert_eq!(cash.fee_amt, Some(d("0")));
    assert_eq!(cash.cash_type, Some(CashType::T1));
    assert_eq!(cash.id.as_deref(), Some("0021110063798536337944576"));
    assert!(cash.is_prod_mode());
}

#[tokio::test]
async fn cash_status_request_snapshot_keeps_unknown_values() {
    let mut data = cash_data("succeeded");
    data["cash_type"] = json!("D7");
    data["cash_list"] = json!([{"cash_id": "c1"}]);
    let (text, req, cash) = capture(data, |c| async move {
        c.wallet()
            .cash_status(&CashStatusQuery::new("cash_20240101_0001"))
            .await
    })
    .await;
    insta::assert_snapshot!("cash_status", text);
    assert_eq!(
        req.url,
        "https://api.adapay.tech/v1/cashs/stat?order_no=cash_20240101_0001"
    );
    assert!(req.body.is_none() && req.header_value("content-type").is_none());
    assert_eq!(cash.status, Status::Succeeded);
    assert_eq!(cash.cash_type, Some(CashType::Other("D7".into())));
    assert_eq!(cash.extra["cash_list"][0]["cash_id"], "c1");
}

#[tokio::test]
async fn merchant_balance_request_snapshot() {
    let (text, req, bal) = capture(balance_data(), |c| async move {
        c.wallet().balance(&BalanceQuery::merchant()).await
    })
    .await;
    insta::assert_snapshot!("balance_merchant", text);
    assert!(!req.url.contains("settle_account_id"), "{}", req.url);
    assert_eq!(bal.acct_balance, Some(d("100.10")));
    assert_eq!(bal.avl_balance, Some(d("90.00")));
    assert_eq!(bal.frz_balance, Some(d("10.10")));
    assert_eq!(bal.status, Status::Succeeded);
}

#[tokio::test]
async fn member_balance_request_snapshot() {
    let q = BalanceQuery::member("member_1", "0035172521665088");
    let (text, _, _) = capture(
        balance_data(),
        |c| async move { c.wallet().balance(&q).await },
    )
    .await;
    insta::assert_snapshot!("balance_member", text);
}

#[tokio::test]
async fn wallet_login_request_snapshot_and_page() {
    let req = CreateWalletLogin::new("member_1", "203.0.113.7");
    let (text, sent, login) = capture(
        login_data(),
        |c| async move { c.wallet().login(&req).await },
    )
    .await;
    insta::assert_snapshot!("wallet_login", text);
    assert_eq!(sent.url, "https://page.adapay.tech/v1/walletLogin");
    assert_eq!(login.token.as_ref().unwrap().expose(), "tok_5f2a9c");
    assert_eq!(
        login.sign.as_ref().unwrap().expose(),
        "c2lnbl9mb3JfdG9rZW4="
    );
    let debug = format!("{login:?}");
    assert!(
        !debug.contains("tok_5f2a9c") && !debug.contains("c2lnbl9"),
        "{debug}"
    );

    let client = client_with(signed_transport(200, login_data().to_string()));
    let page = client.wallet().page(&login).unwrap();
    insta::assert_snapshot!("wallet_page", page.html());
    assert!(
        page.html()
            .contains(r#"action="https://page.adapay.tech/wallet""#)
    );
    assert!(!format!("{page:?}").contains("tok_5f2a9c"));
}

#[tokio::test]
async fn wallet_page_escapes_every_value_and_target_is_configurable() {
    let mut data = login_data();
    data["token"] = json!(r#"t"><script>alert(1)</script>"#);
    data["sign"] = json!("a&b'c");
    let transport = signed_transport(200, data.to_string());
    let client = walletbridge_adapay::Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .wallet_page_url("https://wallet.example/open?from=shop&x=\"y\"")
        .transport(transport)
        .build()
        .unwrap();
    let login = client
        .wallet()
        .login(&CreateWalletLogin::new("0", "2001:db8::1"))
        .await
        .unwrap();
    let html = client.wallet().page(&login).unwrap().into_html();
    assert!(
        html.contains(r#"action="https://wallet.example/open?from=shop&amp;x=&quot;y&quot;""#),
        "{html}"
    );
    assert!(
        html.contains(r#"value="t&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
        "{html}"
    );
    assert!(html.contains(r#"value="a&amp;b&#39;c""#), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
}

// ---- validation: nothing is sent ------------------------------------------

#[tokio::test]
async fn validation_errors_name_the_field_and_send_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = client_on(&server);
    let w = client.wallet();
    let field = |e: walletbridge_core::Error| match e.kind() {
        ErrorKind::Validation { field, .. } => {
            assert!(e.is_not_sent());
            field.clone()
        }
        other => panic!("not a validation error: {other}"),
    };
    for (bad, expected) in [
        (order_with(|o| o.order_no = "cash-1".into()), "order_no"),
        (order_with(|o| o.order_no = "a".repeat(65)), "order_no"),
        (order_with(|o| o.cash_amt = d("0.105")), "cash_amt"),
        (order_with(|o| o.cash_amt = d("0")), "cash_amt"),
        (order_with(|o| o.cash_amt = d("-5")), "cash_amt"),
        (order_with(|o| o.member_id = "m".repeat(65)), "member_id"),
        (order_with(|o| o.member_id = String::new()), "member_id"),
        (
            order().notify_url("https://shop.example/n?x=1"),
            "notify_url",
        ),
        (order().notify_url("ftp://shop.example/n"), "notify_url"),
        (
            order_with(|o| o.cash_type = CashType::Other(String::new())),
            "cash_type",
        ),
    ] {
        assert_eq!(field(w.draw_cash(&bad).await.unwrap_err()), expected);
    }
    assert_eq!(
        field(
            w.cash_status(&CashStatusQuery::new("no&such"))
                .await
                .unwrap_err()
        ),
        "order_no"
    );
    let mut q = BalanceQuery::member("member_1", "x");
    q.settle_account_id = None;
    assert_eq!(field(w.balance(&q).await.unwrap_err()), "settle_account_id");
    assert_eq!(
        field(
            w.balance(&BalanceQuery::member("member_1", "a b"))
                .await
                .unwrap_err()
        ),
        "settle_account_id"
    );
    assert_eq!(
        field(
            w.login(&CreateWalletLogin::new("member_1", "999.1.1.1"))
                .await
                .unwrap_err()
        ),
        "ip"
    );
    assert_eq!(
        field(
            w.login(&CreateWalletLogin::new("", "10.0.0.1"))
                .await
                .unwrap_err()
        ),
        "member_id"
    );
    let err = w
        .draw_cash(&order_with(|o| o.cash_amt = d("1.001")))
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("adapay create draw cash: "),
        "{err}"
    );
    assert_eq!(any.calls_async().await, 0);
}

// ---- answers over HTTP (httpmock, real transport) ---------------------------

#[tokio::test]
async fn success_decodes_and_headers_are_sent() {
    let server = MockServer::start_async().await;
    let body = signed_answer(PLATFORM_KEY, &balance_data().to_string());
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/settle_accounts/balance")
                .query_param("app_id", APP_ID)
                .query_param("member_id", "0")
                .header("authorization", API_KEY)
                .header_exists("signature")
                .header("sdk_version", walletbridge_adapay::SDK_VERSION);
            then.status(200)
                .header("content-type", "application/json")
                .body(body.as_str());
        })
        .await;
    let client = client_on(&server);
    let bal = client
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(bal.avl_balance, Some(d("90.00")));
    m.assert_async().await;
}

#[tokio::test]
async fn failed_status_is_an_api_error_with_all_four_fields() {
    let server = MockServer::start_async().await;
    let data = json!({"app_id": APP_ID, "object": "cash", "status": "failed", "prod_mode": "true",
        "error_code": "balance_not_enough", "error_msg": "可用余额不足", "error_type": "invalid_request_error",
        "invalid_param": "cash_amt"});
    let body = signed_answer(PLATFORM_KEY, &data.to_string());
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/cashs")
                .header("content-type", "application/json");
            then.status(200).body(body.as_str());
        })
        .await;
    let err = client_on(&server)
        .wallet()
        .draw_cash(&order())
        .await
        .unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.code, "balance_not_enough");
    assert_eq!(api.message, "可用余额不足");
    assert_eq!(api.get_detail("error_type"), Some("invalid_request_error"));
    assert_eq!(api.get_detail("invalid_param"), Some("cash_amt"));
    assert_eq!(api.status, 200);
    assert!(!err.is_outcome_unknown() && !err.is_retryable());
    assert!(err.to_string().contains("balance_not_enough"), "{err}");

    // an error_code without `status: failed` is an error too
    let server = MockServer::start_async().await;
    let body = signed_answer(
        PLATFORM_KEY,
        r#"{"error_code":"order_not_exists","error_msg":"no order"}"#,
    );
    mount(&server, GET, "/v1/cashs/stat", 200, &body).await;
    let err = client_on(&server)
        .wallet()
        .cash_status(&CashStatusQuery::new("x1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("order_not_exists"));
}

async fn balance_with_answer(status: u16, body: String) -> walletbridge_core::Error {
    let server = MockServer::start_async().await;
    mount(&server, GET, "/v1/settle_accounts/balance", status, &body).await;
    client_on(&server)
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn untrusted_answers_are_refused() {
    let data = balance_data().to_string();
    // tampered data: the signature was made over other text
    let good: serde_json::Value =
        serde_json::from_str(&signed_answer(PLATFORM_KEY, &data)).unwrap();
    let tampered =
        json!({"data": data.replace("90.00", "99990.00"), "signature": good["signature"]})
            .to_string();
    let err = balance_with_answer(200, tampered).await;
    assert_signature(&err, SignatureProblem::Mismatch);

    // missing signature
    let err = balance_with_answer(200, json!({"data": data}).to_string()).await;
    assert_signature(&err, SignatureProblem::Missing);
    let err = balance_with_answer(200, json!({"data": data, "signature": ""}).to_string()).await;
    assert_signature(&err, SignatureProblem::Missing);
    // an unsigned bare object
    let err = balance_with_answer(200, data.clone()).await;
    assert_signature(&err, SignatureProblem::Missing);

    // signed by another key
    let err = balance_with_answer(200, signed_answer(OTHER_KEY, &data)).await;
    assert_signature(&err, SignatureProblem::Mismatch);

    // signed by the merchant's own key (not the platform's)
    let err = balance_with_answer(200, signed_answer(MERCHANT_KEY, &data)).await;
    assert_signature(&err, SignatureProblem::Mismatch);
}

#[tokio::test]
async fn unauthorized_is_an_authentication_error() {
    let err = balance_with_answer(
        401,
        r#"{"error_code":"unauthorized","error_msg":"api_key 无效"}"#.into(),
    )
    .await;
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { status: 401, .. }),
        "{err}"
    );
    assert_eq!(err.message(), Some("api_key 无效"));
    let err = balance_with_answer(401, String::new()).await;
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { status: 401, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn html_pages_are_http_errors_with_a_snippet() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>".to_string();
    let err = balance_with_answer(502, page.clone()).await;
    match err.kind() {
        ErrorKind::Http { status, snippet } => {
            assert_eq!(*status, 502);
            assert!(snippet.contains("502 Bad Gateway"), "{snippet}");
        }
        other => panic!("{other}"),
    }
    let err = balance_with_answer(200, page).await;
    assert!(
        matches!(err.kind(), ErrorKind::Http { status: 200, .. }),
        "{err}"
    );
    // a read that failed changed nothing
    assert!(!err.is_outcome_unknown());
    // a signed answer whose data is not the object asked for: a decode error with the path
    let err = balance_with_answer(
        200,
        signed_answer(
            PLATFORM_KEY,
            r#"{"object":"account_balance","status":"succeeded","avl_balance":"ten"}"#,
        ),
    )
    .await;
    match err.kind() {
        ErrorKind::Decode { path, .. } => assert_eq!(path, "avl_balance"),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn draw_cash_is_sent_once_and_its_outcome_is_unknown() {
    let server = MockServer::start_async().await;
    let page = "<html>Service Unavailable</html>";
    let m = mount(&server, POST, "/v1/cashs", 503, page).await;
    let err = client_for(&server.base_url(), quick_retries(5))
        .wallet()
        .draw_cash(&order())
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 1);
    assert!(err.is_outcome_unknown(), "{err}");
    assert!(err.to_string().contains("outcome unknown"), "{err}");

    // a 200 the SDK cannot trust is unknown too
    let server = MockServer::start_async().await;
    mount(&server, POST, "/v1/cashs", 200, "<html>ok?</html>").await;
    let err = client_on(&server)
        .wallet()
        .draw_cash(&order())
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
}

#[tokio::test]
async fn reads_are_retried_on_503() {
    let server = MockServer::start_async().await;
    let m = mount(&server, GET, "/v1/cashs/stat", 503, "busy").await;
    let err = client_for(&server.base_url(), quick_retries(3))
        .wallet()
        .cash_status(&CashStatusQuery::new("cash_1"))
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 3);
    assert!(!err.is_outcome_unknown());
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn wallet_login_goes_to_the_page_host() {
    let api = MockServer::start_async().await;
    let page = MockServer::start_async().await;
    let body = signed_answer(PLATFORM_KEY, &login_data().to_string());
    let on_page = page
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/walletLogin")
                .json_body(json!({"app_id": APP_ID, "ip": "203.0.113.7", "member_id": "member_1"}));
            then.status(200).body(body.as_str());
        })
        .await;
    let client = walletbridge_adapay::Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(api.base_url())
        .page_url(page.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let login = client
        .wallet()
        .login(&CreateWalletLogin::new("member_1", "203.0.113.7"))
        .await
        .unwrap();
    assert_eq!(login.token.unwrap().expose(), "tok_5f2a9c");
    on_page.assert_async().await;
    assert_eq!(
        client.wallet_page_url(),
        format!("{}/wallet", page.base_url())
    );
}

#[tokio::test]
async fn login_errors_withhold_the_body() {
    // a 200 whose sign is not text: a decode error, with the token withheld
    let body = signed_answer(
        PLATFORM_KEY,
        r#"{"object":"login","status":"succeeded","token":"tok_secret_1","sign":4111111111111111}"#,
    );
    let server = MockServer::start_async().await;
    mount(&server, POST, "/v1/walletLogin", 200, &body).await;
    let err = client_on(&server)
        .wallet()
        .login(&CreateWalletLogin::new("0", "10.0.0.1"))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("tok_secret_1"), "{shown}");
    assert!(!shown.contains("4111111111111111"), "{shown}");
    assert!(err.raw_response().is_none());
}
