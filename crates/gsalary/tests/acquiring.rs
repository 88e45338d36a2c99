//! Acquiring: every gateway call as sent, answers decoded, payments never repeated.
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use walletbridge_core::{FixedClock, RetryPolicy, SecretString, SignatureProblem};
use walletbridge_gsalary::acquiring::{
    AcquiringOrder, CancelPayment, ConsultPayment, CreateEasySafePaySession, CreatePaySession,
    OsType, PayWithToken, PaymentMethodType, ProductScene, RefreshAuthToken, TerminalType,
};
use walletbridge_gsalary::{Client, Money};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn usd(s: &str) -> Money {
    Money::new("USD", d(s))
}

fn order() -> AcquiringOrder {
    AcquiringOrder::new("ORD_1234567890", "Order for product XYZ")
        .amount(usd("10"))
        .buyer_id("BUY_1234567890")
        .buyer_email("buyer@example.com")
}

fn session() -> CreatePaySession {
    CreatePaySession::builder()
        .mch_app_id("1234567890")
        .payment_request_id("PAY_9876543210")
        .payment(usd("10.5"))
        .method(PaymentMethodType::AlipayCn)
        .redirect_url("https://merchant.com/callback")
        .order(order())
        .settlement_currency("USD")
        .scene(ProductScene::CheckoutPayment)
        .build()
        .unwrap()
        .expiry_time("2023-10-01T12:00:00Z")
        .client_ip("192.168.1.1")
}

fn token_payment(token: &str) -> PayWithToken {
    PayWithToken::builder()
        .mch_app_id("1234567890")
        .payment_request_id("PAY_9876543211")
        .payment(usd("10"))
        .token(token)
        .method(PaymentMethodType::AlipayCn)
        .redirect_url("https://merchant.com/callback")
        .order(AcquiringOrder::new("ORD_1234567890", "Order for product XYZ").amount(usd("10")))
        .settlement_currency("USD")
        .terminal(TerminalType::Web)
        .build()
        .unwrap()
        .client_ip("192.168.1.1")
        .expiry_time("2019-08-24T14:15:22Z")
        .os(OsType::Ios)
}

fn session_data() -> serde_json::Value {
    json!({"payment_session_data": "encrypted_session_data", "payment_session_expiry_time": "2023-04-30T12:34:56Z",
           "payment_session_id": "session_123456", "normal_url": "https://payment-gateway.com/pay"})
}

fn payment_data() -> serde_json::Value {
    json!({"payment_request_id": "PAY_9876543211", "payment_id": "PAY_123456789", "payment_currency": "USD",
           "payment_amount": 10, "normal_url": "https://payment-gateway.com/pay", "scheme_url": "alipay://pay",
           "applink_url": "https://app.alipay.com/pay", "app_identifier": "com.alipay"})
}

#[tokio::test]
async fn consult_snapshot_and_decode() {
    let data = json!({"payment_options": [
        {"payment_method_type": "ALIPAY_CN", "currency": "USD", "limit": {"min": 0.01, "max": 10000}, "country": "CN"},
        {"payment_method_type": "GCASH", "currency": "PHP"}]});
    let r = ConsultPayment::new("123456789", usd("10"), "USD", TerminalType::App)
        .allowed_regions(["CN", "HK"])
        .allowed_methods(vec![
            PaymentMethodType::AlipayCn,
            PaymentMethodType::AlipayHk,
        ])
        .user_region("US")
        .os(OsType::Android)
        .client_ip("192.168.1.1");
    let (req, opts) = capture(data, |c| async move { c.acquiring().consult(&r).await }).await;
    insta::assert_snapshot!("acquiring_pay_consult", req);
    assert_eq!(
        opts.payment_options[0].payment_method_type,
        PaymentMethodType::AlipayCn
    );
    assert_eq!(
        opts.payment_options[0].limit.as_ref().unwrap().min,
        Some(d("0.01"))
    );
    assert_eq!(
        opts.payment_options[1].payment_method_type,
        PaymentMethodType::Other("GCASH".into())
    );
}

#[tokio::test]
async fn pay_session_snapshot_and_decode() {
    let r = session();
    let (req, s) = capture(session_data(), |c| async move {
        c.acquiring().pay_session(&r).await
    })
    .await;
    insta::assert_snapshot!("acquiring_pay_session", req);
    assert_eq!(s.payment_session_id.as_deref(), Some("session_123456"));
}

#[tokio::test]
async fn easy_safe_pay_session_snapshot() {
    let r =
        CreateEasySafePaySession::new(session(), "AUTH_STATE_1").user_login_id("buyer@example.com");
    let (req, _) = capture(session_data(), |c| async move {
        c.acquiring().easy_safe_pay_session(&r).await
    })
    .await;
    insta::assert_snapshot!("acquiring_easy_safe_pay_session", req);
    assert!(req.contains(r#""product_scene":"CHECKOUT_PAYMENT","auth_state":"AUTH_STATE_1","user_login_id":"buyer@example.com"}"#));
}

#[tokio::test]
async fn easy_safe_pay_snapshot_and_token_redaction() {
    let r = token_payment("access_token_123456");
    assert!(
        !format!("{r:?}").contains("access_token_123456"),
        "tokens stay out of Debug"
    );
    let (req, p) = capture(payment_data(), |c| async move {
        c.acquiring().easy_safe_pay(&r).await
    })
    .await;
    insta::assert_snapshot!("acquiring_easy_safe_pay", req);
    assert_eq!(p.payment_id.as_deref(), Some("PAY_123456789"));
    assert_eq!(p.payment_amount, Some(d("10")));
}

#[tokio::test]
async fn refresh_token_snapshot_and_decode() {
    let data = json!({"access_token": "new_access_token_123456", "access_token_expiry_time": "2023-12-31T23:59:59Z",
                      "refresh_token": "new_refresh_token_123456", "refresh_token_expiry_time": "2024-01-31T23:59:59Z",
                      "user_login_id": "buyer@example.com"});
    let r = RefreshAuthToken::new("1234567890", "refresh_token_123456").merchant_region("US");
    let (req, t) = capture(
        data,
        |c| async move { c.acquiring().refresh_token(&r).await },
    )
    .await;
    insta::assert_snapshot!("acquiring_auth_refresh_token", req);
    assert_eq!(t.access_token.expose(), "new_access_token_123456");
    let shown = format!("{t:?}");
    assert!(
        !shown.contains("new_access_token") && !shown.contains("new_refresh_token"),
        "{shown}"
    );
}

#[tokio::test]
async fn revoke_token_snapshot() {
    let token = SecretString::from("access_token_123456");
    let (req, ()) =
        capture_no_data(|c| async move { c.acquiring().revoke_token("1234567890", &token).await })
            .await;
    insta::assert_snapshot!("acquiring_auth_revoke_token", req);
}

#[tokio::test]
async fn card_auto_debit_session_snapshot() {
    let mut r = session();
    r.payment_method_type = PaymentMethodType::Card;
    let (req, _) = capture(session_data(), |c| async move {
        c.acquiring().card_auto_debit_session(&r).await
    })
    .await;
    insta::assert_snapshot!("acquiring_card_auto_debit_session", req);
}

#[tokio::test]
async fn card_auto_debit_pay_snapshot() {
    let mut r = token_payment("card_token_abc");
    r.payment_method_type = PaymentMethodType::Card;
    let (req, _) = capture(payment_data(), |c| async move {
        c.acquiring().card_auto_debit_pay(&r).await
    })
    .await;
    insta::assert_snapshot!("acquiring_card_auto_debit_pay", req);
}

#[tokio::test]
async fn cancel_snapshot_and_answer_without_data() {
    let r = CancelPayment::by_request_id("1234567890", "PAY_9876543210");
    let (req, res) = capture_no_data(|c| async move { c.acquiring().cancel(&r).await }).await;
    assert_eq!(res.payment_id, None);
    insta::assert_snapshot!("acquiring_cancel", req);

    let data = json!({"payment_id": "PAY_1", "payment_request_id": "PAY_9876543210", "cancel_time": "2024-01-01T00:00:00Z"});
    let r = CancelPayment::by_payment_id("1234567890", "PAY_1");
    let (req, res) = capture(data, |c| async move { c.acquiring().cancel(&r).await }).await;
    assert!(
        req.ends_with("{\"mch_app_id\":\"1234567890\",\"payment_id\":\"PAY_1\"}\n"),
        "{req}"
    );
    let cancelled = res.cancel_time.unwrap();
    assert_eq!(cancelled.text, "2024-01-01T00:00:00Z");
    assert_eq!(cancelled.at.unwrap().unix_timestamp(), 1_704_067_200);
}

#[tokio::test]
async fn acquiring_prefix_is_configurable() {
    let transport = signed_transport(200, ok_body(session_data()));
    let client = Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url("https://api-test.gsalary.com")
        .acquiring_prefix("/v1")
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    client.acquiring().pay_session(&session()).await.unwrap();
    assert_eq!(
        transport.last_request().unwrap().path(),
        "/v1/gateway/v1/acquiring/pay_session"
    );
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(session_data()));
    let client = client_with(transport.clone());
    let a = client.acquiring();
    let field = |e: walletbridge_core::Error| validation_field(&e);
    let mut r = session();
    r.payment_request_id = " ".into();
    assert_eq!(
        field(a.pay_session(&r).await.unwrap_err()),
        "payment_request_id"
    );
    let mut r = session();
    r.payment_amount = d("-1");
    assert_eq!(
        field(a.pay_session(&r).await.unwrap_err()),
        "payment_amount"
    );
    let mut r = session();
    r.payment_redirect_url = "merchant.com/callback".into();
    assert_eq!(
        field(a.pay_session(&r).await.unwrap_err()),
        "payment_redirect_url"
    );
    let mut r = session();
    r.order = AcquiringOrder::new("", "x");
    assert_eq!(
        field(a.card_auto_debit_session(&r).await.unwrap_err()),
        "order.reference_order_id"
    );
    let mut r = session();
    r.payment_session_expiry_time = Some("tomorrow".into());
    assert_eq!(
        field(a.pay_session(&r).await.unwrap_err()),
        "payment_session_expiry_time"
    );
    let r = CreateEasySafePaySession::new(session(), " ");
    assert_eq!(
        field(a.easy_safe_pay_session(&r).await.unwrap_err()),
        "auth_state"
    );
    assert_eq!(
        field(a.easy_safe_pay(&token_payment("")).await.unwrap_err()),
        "payment_method_id"
    );
    let mut r = token_payment("t");
    r.payment_currency = "IDR".into();
    r.payment_amount = d("1000.5");
    assert_eq!(
        field(a.card_auto_debit_pay(&r).await.unwrap_err()),
        "payment_amount"
    );
    let r = ConsultPayment::new("app", usd("1"), "USD", TerminalType::Web).user_region("USA");
    assert_eq!(field(a.consult(&r).await.unwrap_err()), "user_region");
    let r = RefreshAuthToken::new("app", "");
    assert_eq!(
        field(a.refresh_token(&r).await.unwrap_err()),
        "refresh_token"
    );
    assert_eq!(
        field(
            a.revoke_token("", &SecretString::from("t"))
                .await
                .unwrap_err()
        ),
        "mch_app_id"
    );
    let mut r = CancelPayment::by_payment_id("app", "x");
    r.payment_id = None;
    assert_eq!(field(a.cancel(&r).await.unwrap_err()), "payment_id");
    assert!(transport.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn payments_are_never_repeated_and_failures_are_typed() {
    let path = "/gateway/v1/acquiring/easy_safe_pay/pay";

    // 503: sent once, outcome unknown
    let server = MockServer::start_async().await;
    let page = "<html><body>503 Service Unavailable</body></html>";
    let m = mount(&server, POST, path, 503, page, None).await;
    let err = client_for(&server.base_url(), quick_retries(4))
        .acquiring()
        .easy_safe_pay(&token_payment("t"))
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 1);
    assert_http_error(&err, 503, "503 Service");
    assert!(err.is_outcome_unknown());

    // an unsigned error envelope is reported but settles nothing: the
    // payment may have gone through
    let server = MockServer::start_async().await;
    let envelope = r#"{"biz_result":"F","error_code":"USER_BALANCE_NOT_ENOUGH","message":"buyer balance too low"}"#;
    mount(&server, POST, path, 400, envelope, None).await;
    let err = client_for(&server.base_url(), quick_retries(4))
        .acquiring()
        .easy_safe_pay(&token_payment("t"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("USER_BALANCE_NOT_ENOUGH"));
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        err.api_error().and_then(|a| a.get_detail("signature")),
        Some("unverified")
    );
    assert!(err.is_outcome_unknown());

    // the same refusal signed by the platform is a definite failure
    let server = MockServer::start_async().await;
    mount_signed(&server, POST, path, 400, envelope, PLATFORM_KEY).await;
    let err = client_for(&server.base_url(), quick_retries(4))
        .acquiring()
        .easy_safe_pay(&token_payment("t"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("USER_BALANCE_NOT_ENOUGH"));
    assert_eq!(
        err.api_error().and_then(|a| a.get_detail("signature")),
        None
    );
    assert!(!err.is_outcome_unknown());

    // U result
    let server = MockServer::start_async().await;
    let body = json!({"result": {"result": "U", "code": "SYSTEM_ERROR", "message": "unknown"}})
        .to_string();
    let m = mount_signed(&server, POST, path, 200, &body, PLATFORM_KEY).await;
    let err = client_for(&server.base_url(), quick_retries(4))
        .acquiring()
        .easy_safe_pay(&token_payment("t"))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown());
    assert_eq!(m.calls_async().await, 1);

    // success, then a tampered and a forged answer
    let body = ok_body(payment_data());
    let good = answer_signature(PLATFORM_KEY, "POST", path, &body);
    let forged = answer_signature(OTHER_KEY, "POST", path, &body);
    let server = MockServer::start_async().await;
    mount_with(
        &server,
        POST,
        path,
        |when| when.header("content-type", "application/json"),
        200,
        &body,
        Some(&good),
    )
    .await;
    let p = client_for(&server.base_url(), quick_retries(4))
        .acquiring()
        .easy_safe_pay(&token_payment("t"))
        .await
        .unwrap();
    assert_eq!(p.scheme_url.as_deref(), Some("alipay://pay"));
    for (answer, sig, problem) in [
        (body.clone(), None, SignatureProblem::Missing),
        (
            body.replace("PAY_123456789", "PAY_1"),
            Some(good.clone()),
            SignatureProblem::Mismatch,
        ),
        (body.clone(), Some(forged), SignatureProblem::Mismatch),
    ] {
        let server = MockServer::start_async().await;
        mount(&server, POST, path, 200, &answer, sig.as_deref()).await;
        let err = client_for(&server.base_url(), quick_retries(4))
            .acquiring()
            .easy_safe_pay(&token_payment("t"))
            .await
            .unwrap_err();
        assert_signature(&err, problem);
        assert!(err.is_outcome_unknown());
    }
}

#[tokio::test]
async fn the_page_allows_app_schemes_and_long_request_ids() {
    let transport = signed_transport(200, ok_body(session_data()));
    let client = client_with(transport.clone());
    for redirect in [
        "myshop://payment/done?id=1",
        "https://merchant.com/callback",
        "alipays://platformapi/startapp",
    ] {
        let mut r = session();
        r.payment_redirect_url = redirect.into();
        r.payment_request_id = "P".repeat(64);
        client.acquiring().pay_session(&r).await.unwrap();
    }
    assert_eq!(transport.requests().len(), 3);
    // KWD amounts take three decimals, JPY none
    let mut r = session();
    r.payment_currency = "KWD".into();
    r.payment_amount = d("1.125");
    client.acquiring().pay_session(&r).await.unwrap();
    r.payment_currency = "JPY".into();
    r.payment_amount = d("100.5");
    let e = client.acquiring().pay_session(&r).await.unwrap_err();
    assert_eq!(validation_field(&e), "payment_amount");
}
