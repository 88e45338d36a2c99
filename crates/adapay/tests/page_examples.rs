//! The provider page's own examples (adapay-wallet.md), sent and decoded
//! through the public API, and the answers bound to their call.
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::*;
use rust_decimal::Decimal;
use serde_json::json;
use walletbridge_adapay::Client;
use walletbridge_adapay::wallet::{
    BalanceQuery, CashStatusQuery, CashType, CreateWalletLogin, DrawCash, Status,
};
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{ErrorKind, HttpResponse, SignatureProblem};

/// The page's examples are for `app_XXXXXXXX`.
const PAGE_APP: &str = "app_XXXXXXXX";

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn page_client(transport: Arc<MockTransport>) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .app_id(PAGE_APP)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .retry_policy(walletbridge_core::RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap()
}

fn answering(data: serde_json::Value) -> Arc<MockTransport> {
    let body = signed_answer(PLATFORM_KEY, &data.to_string());
    Arc::new(MockTransport::with_responder(move |_| {
        Ok(HttpResponse::new(200, body.clone()))
    }))
}

/// 创建取现对象: the request of the page's Java example and its 成功响应.
#[tokio::test]
async fn draw_cash_page_example() {
    let answer = json!({
        "app_id": "app_XXXXXXXX", "cash_amt": "0.01", "cash_type": "T1",
        "created_time": "1579163032", "fee_amt": "0.00", "id": "0021110063798536337944576",
        "member_id": "member_id_test", "object": "cash", "order_no": "1579163031383",
        "real_amt": "0.01", "status": "pending", "prod_mode": "true"
    });
    let t = answering(answer);
    let client = page_client(t.clone());
    let order = DrawCash::new("1579163031383", CashType::T1, d("0.01"), "member_id_test");
    let cash = client.wallet().draw_cash(&order).await.unwrap();
    let sent: serde_json::Value =
        serde_json::from_slice(t.last_request().unwrap().body.as_ref().unwrap()).unwrap();
    assert_eq!(
        sent,
        json!({"order_no": "1579163031383", "app_id": "app_XXXXXXXX", "cash_type": "T1",
               "cash_amt": "0.01", "member_id": "member_id_test"})
    );
    assert_eq!(cash.status, Status::Pending);
    assert_eq!(cash.cash_amt, Some(d("0.01")));
    assert_eq!(cash.fee_amt, Some(d("0.00")));
    assert_eq!(cash.real_amt, Some(d("0.01")));
    assert_eq!(cash.cash_type, Some(CashType::T1));
    assert_eq!(cash.member_id.as_deref(), Some("member_id_test"));
    assert!(cash.is_prod_mode());
    let created = cash.created_time.unwrap();
    assert_eq!(created.text, "1579163032");
    assert_eq!(created.at.unwrap().unix_timestamp(), 1579163032);
}

/// 查询账户余额对象: the page's 成功响应.
#[tokio::test]
async fn balance_page_example() {
    let answer = json!({
        "acct_balance": "0.00", "app_id": "app_XXXXXXXX", "avl_balance": "0.00",
        "frz_balance": "0.00", "object": "account_balance", "status": "succeeded", "prod_mode": "true"
    });
    let bal = page_client(answering(answer))
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(bal.acct_balance, Some(d("0.00")));
    assert_eq!(bal.avl_balance, Some(d("0.00")));
    assert_eq!(bal.frz_balance, Some(d("0.00")));
    assert_eq!(bal.status, Status::Succeeded);
    assert!(bal.extra.is_empty(), "{:?}", bal.extra);
}

/// 用户登录对象: the page's 成功响应 (which also shows `acct_balance`, kept in
/// `extra`), and the same answer without the optional `token` and `sign`.
#[tokio::test]
async fn wallet_login_page_example_and_optional_token() {
    let answer = json!({
        "acct_balance": "0.00", "app_id": "app_XXXXXXXX", "token": "XXXXXXXX", "sign": "XXXXXXXX",
        "object": "login", "status": "succeeded", "prod_mode": "true"
    });
    let client = page_client(answering(answer));
    let login = client
        .wallet()
        .login(&CreateWalletLogin::new("0", "203.0.113.7"))
        .await
        .unwrap();
    assert_eq!(login.token.as_ref().unwrap().expose(), "XXXXXXXX");
    assert_eq!(login.extra["acct_balance"], "0.00");
    assert!(client.wallet().page(&login).is_ok());

    let bare = json!({"app_id": "app_XXXXXXXX", "object": "login", "prod_mode": "true"});
    let client = page_client(answering(bare));
    let login = client
        .wallet()
        .login(&CreateWalletLogin::new("0", "203.0.113.7"))
        .await
        .unwrap();
    assert!(login.token.is_none() && login.sign.is_none());
    let err = client.wallet().page(&login).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Validation { field, .. } if field == "token"),
        "{err}"
    );
}

/// The page: "目前只支持 T1 取现". Others go through the open enum if a caller insists.
#[tokio::test]
async fn cash_type_offers_t1_and_others_through_other() {
    assert_eq!(CashType::from("T1"), CashType::T1);
    assert_eq!(CashType::from("D0"), CashType::Other("D0".into()));
    let mut answer = cash_data("pending");
    answer["cash_type"] = json!("D0");
    let t = signed_transport(200, answer.to_string());
    let cash = client_with(t.clone())
        .wallet()
        .draw_cash(&DrawCash::new(
            "cash_20240101_0001",
            CashType::Other("D0".into()),
            d("1.00"),
            "0",
        ))
        .await
        .unwrap();
    assert_eq!(cash.cash_type, Some(CashType::Other("D0".into())));
    let body = t.last_request().unwrap().body.unwrap();
    assert!(String::from_utf8_lossy(&body).contains(r#""cash_type":"D0""#));
}

/// Amounts in answers are kept exactly, more than two decimals included.
#[tokio::test]
async fn answer_amounts_with_more_than_two_decimals_are_kept() {
    let mut data = balance_data();
    data["avl_balance"] = json!("90.125");
    data["frz_balance"] = json!("0.0001");
    data["acct_balance"] = json!("12345678901234567.89");
    let bal = client_with(signed_transport(200, data.to_string()))
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(bal.avl_balance.unwrap().to_string(), "90.125");
    assert_eq!(bal.frz_balance.unwrap().to_string(), "0.0001");
    assert_eq!(
        bal.acct_balance.unwrap().to_string(),
        "12345678901234567.89"
    );
}

/// Every answer model keeps the fields it does not know.
#[tokio::test]
async fn unknown_fields_are_kept() {
    let mut data = balance_data();
    data["settle_account_id"] = json!("0035172521665088");
    let bal = client_with(signed_transport(200, data.to_string()))
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(bal.extra["settle_account_id"], "0035172521665088");
}

async fn draw_cash_answered_with(data: serde_json::Value) -> walletbridge_core::Error {
    client_with(signed_transport(200, data.to_string()))
        .wallet()
        .draw_cash(&DrawCash::new(
            "cash_20240101_0001",
            CashType::T1,
            d("0.10"),
            "0",
        ))
        .await
        .unwrap_err()
}

/// A signed answer must be the object the call expects and echo the call's
/// order_no, app_id and member_id.
#[tokio::test]
async fn a_signed_answer_for_another_call_is_refused() {
    // a balance answer to a draw cash call
    let err = draw_cash_answered_with(balance_data()).await;
    assert_signature(&err, SignatureProblem::Mismatch);
    assert!(err.is_outcome_unknown(), "{err}");
    // no object at all
    let mut data = cash_data("succeeded");
    data.as_object_mut().unwrap().remove("object");
    assert_signature(
        &draw_cash_answered_with(data).await,
        SignatureProblem::Mismatch,
    );
    for (field, value) in [
        ("order_no", "cash_other"),
        ("app_id", "app_other"),
        ("member_id", "member_other"),
    ] {
        let mut data = cash_data("succeeded");
        data[field] = json!(value);
        let err = draw_cash_answered_with(data).await;
        assert_signature(&err, SignatureProblem::Mismatch);
        assert!(err.to_string().contains(field), "{err}");
        assert!(err.is_outcome_unknown(), "{err}");
        // a signed failure for another call decides nothing either
        let mut data = cash_data("failed");
        data[field] = json!(value);
        let err = draw_cash_answered_with(data).await;
        assert_signature(&err, SignatureProblem::Mismatch);
    }
    // cash status: another order's object
    let mut data = cash_data("succeeded");
    data["order_no"] = json!("cash_other");
    let err = client_with(signed_transport(200, data.to_string()))
        .wallet()
        .cash_status(&CashStatusQuery::new("cash_20240101_0001"))
        .await
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    // balance: a member's balance answered for the merchant
    let mut data = balance_data();
    data["member_id"] = json!("member_1");
    let err = client_with(signed_transport(200, data.to_string()))
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    // login: a cash object
    let err = client_with(signed_transport(200, cash_data("succeeded").to_string()))
        .wallet()
        .login(&CreateWalletLogin::new("0", "10.0.0.1"))
        .await
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

/// Secrets never reach Debug or errors: the api key, the login token and sign.
#[tokio::test]
async fn no_secret_in_debug_or_errors() {
    use walletbridge_core::test_util::assert_no_secrets;
    let mut data = login_data();
    data["sign"] = json!(["sign_secret_9"]);
    let client = client_with(signed_transport(200, data.to_string()));
    let err = client
        .wallet()
        .login(&CreateWalletLogin::new("0", "10.0.0.1"))
        .await
        .unwrap_err();
    let secrets = [API_KEY, "tok_5f2a9c", "sign_secret_9"];
    assert_no_secrets("login error", &format!("{err} {err:?}"), &secrets);
    assert_no_secrets("client", &format!("{client:?}"), &secrets);
    let login = client_with(signed_transport(200, login_data().to_string()))
        .wallet()
        .login(&CreateWalletLogin::new("0", "10.0.0.1"))
        .await
        .unwrap();
    assert_no_secrets("login", &format!("{login:?}"), &secrets);
    let builder = Client::builder()
        .api_key(API_KEY)
        .private_key_pem(MERCHANT_KEY);
    assert_no_secrets("builder", &format!("{builder:?}"), &secrets);
}
