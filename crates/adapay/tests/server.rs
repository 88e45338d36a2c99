//! The `server` feature (the provider's side of the wire) against the client,
//! with real bytes: the client's own requests decode into the request types;
//! every answer model written by the server side, with the envelope encoders
//! and the platform key, decodes back through the client to an equal value;
//! every error the encoders write is read by the client as that error.
#![cfg(feature = "server")]
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::*;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use walletbridge_adapay::endpoints::{self, Host};
use walletbridge_adapay::envelope::{self, ErrorObject};
use walletbridge_adapay::models::{Cash, wire_time};
use walletbridge_adapay::wallet::{
    AccountBalance, BalanceParams, BalanceQuery, CashStatusQuery, CashType, CreateWalletLogin,
    DrawCash, DrawCashBody, Status, WalletLogin, WalletLoginBody,
};
use walletbridge_adapay::webhooks::{Event, NotificationForm, sign_notification};
use walletbridge_adapay::{Client, signing};
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{
    ErrorKind, HashAlgorithm, HttpRequest, HttpResponse, RsaPublicKey, RsaVerifier, SecretString,
    SignatureProblem,
};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A client whose every answer is `status` with `body`, and the transport
/// (to read the request it sent).
fn answering(status: u16, body: Vec<u8>) -> (Client, Arc<MockTransport>) {
    let transport = Arc::new(MockTransport::with_responder(move |_req: &HttpRequest| {
        Ok(HttpResponse::new(status, body.clone()))
    }));
    (client_with(transport.clone()), transport)
}

/// A signed success answer with `value` as data, as the server side writes it.
fn success<T: serde::Serialize>(value: &T) -> Vec<u8> {
    envelope::encode_success(&signer(PLATFORM_KEY), value).unwrap()
}

/// The request's query pairs, as a server reads them, decoded into `T`
/// (every value a string, as a query carries it).
fn from_query<T: DeserializeOwned>(req: &HttpRequest) -> T {
    let query = req.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let map: serde_json::Map<String, serde_json::Value> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap()
}

/// The merchant-key signature on `req` verifies over the text a server
/// rebuilds from what it received: the URL and the body, or the URL and the
/// query pairs through [`signing::canonical_query`].
fn assert_server_verifies(req: &HttpRequest) {
    let (url, query) = match req.url.split_once('?') {
        Some((u, q)) => (u, Some(q)),
        None => (req.url.as_str(), None),
    };
    let message = match (&req.body, query) {
        (Some(body), _) => signing::post_signing_string(url, body),
        (None, Some(q)) => {
            let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|p| p.split_once('=')).collect();
            signing::get_signing_string(url, &signing::canonical_query(&pairs)).into_bytes()
        }
        (None, None) => url.as_bytes().to_vec(),
    };
    let merchant = RsaVerifier::new(
        RsaPublicKey::parse(MERCHANT_PUBLIC).unwrap(),
        HashAlgorithm::Sha1,
    );
    signing::verify(
        &merchant,
        &message,
        req.header_value(signing::SIGNATURE_HEADER),
    )
    .unwrap();
    assert_eq!(req.header_value(signing::API_KEY_HEADER), Some(API_KEY));
}

fn routed(req: &HttpRequest, host: Host) -> &'static endpoints::Endpoint {
    let path = req
        .path_and_query()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    endpoints::route(host, req.method.as_str(), &path).unwrap()
}

fn cash(status: Status) -> Cash {
    let mut c = Cash::new(status);
    c.id = Some("0021110063798536337944576".into());
    c.app_id = Some(APP_ID.into());
    c.object = Some("cash".into());
    c.created_time = Some(wire_time("1579163032"));
    c.prod_mode = Some("false".into());
    c.order_no = Some("cash_20240101_0001".into());
    c.cash_type = Some(CashType::T1);
    c.cash_amt = Some(d("0.10"));
    c.fee_amt = Some(d("0.00"));
    c.real_amt = Some(d("0.10"));
    c.member_id = Some("0".into());
    c.extra
        .insert("cash_list".into(), serde_json::json!([{"cash_id": "c1"}]));
    c
}

// ---- requests: the client's bytes decode into the request types ----------

#[tokio::test]
async fn draw_cash_body_decodes_from_the_clients_bytes() {
    let order = DrawCash::new("cash_20240101_0001", CashType::T1, d("0.1"), "0")
        .notify_url("https://shop.example/adapay/notify");
    let (client, transport) = answering(200, success(&cash(Status::Pending)));
    let answer = client.wallet().draw_cash(&order).await.unwrap();
    assert_eq!(answer, cash(Status::Pending));

    let req = transport.last_request().unwrap();
    assert_eq!(routed(&req, Host::Api), &endpoints::DRAW_CASH);
    assert_server_verifies(&req);
    let body: DrawCashBody = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(body, DrawCashBody::new(APP_ID, &order));
    assert_eq!(body.order(), order);
    // Without a notify_url the field is absent, and reads back as None.
    let bare = DrawCash::new("cash_2", CashType::T1, d("12.30"), "member_1");
    client.wallet().draw_cash(&bare).await.ok();
    let req = transport.last_request().unwrap();
    let body: DrawCashBody = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(body, DrawCashBody::new(APP_ID, &bare));
    assert_eq!(body.notify_url, None);
}

#[tokio::test]
async fn queries_decode_from_the_clients_query_text() {
    let (client, transport) = answering(200, success(&cash(Status::Succeeded)));
    let query = CashStatusQuery::new("cash_20240101_0001");
    client.wallet().cash_status(&query).await.unwrap();
    let req = transport.last_request().unwrap();
    assert_eq!(routed(&req, Host::Api), &endpoints::CASH_STATUS);
    assert_server_verifies(&req);
    assert_eq!(from_query::<CashStatusQuery>(&req), query);

    let mut balance = AccountBalance::new(Status::Succeeded);
    balance.app_id = Some(APP_ID.into());
    balance.object = Some("account_balance".into());
    balance.avl_balance = Some(d("1.00"));
    let (client, transport) = answering(200, success(&balance));
    for q in [
        BalanceQuery::merchant(),
        BalanceQuery::member("member_1", "0035172521665088"),
    ] {
        client.wallet().balance(&q).await.unwrap();
        let req = transport.last_request().unwrap();
        assert_eq!(routed(&req, Host::Api), &endpoints::BALANCE);
        assert_server_verifies(&req);
        assert_eq!(
            from_query::<BalanceParams>(&req),
            BalanceParams::new(APP_ID, &q)
        );
    }
}

#[tokio::test]
async fn wallet_login_body_decodes_from_the_clients_bytes() {
    let mut login = WalletLogin::new();
    login.app_id = Some(APP_ID.into());
    login.object = Some("login".into());
    login.prod_mode = Some("false".into());
    login.token = Some(SecretString::new("tok_5f2a9c".into()));
    login.sign = Some(SecretString::new("c2lnbl9mb3JfdG9rZW4=".into()));
    login.status = Some(Status::Succeeded);
    let (client, transport) = answering(200, success(&login));
    let request = CreateWalletLogin::new("member_1", "203.0.113.7");
    let answer = client.wallet().login(&request).await.unwrap();
    assert_eq!(answer, login);

    let req = transport.last_request().unwrap();
    assert_eq!(routed(&req, Host::Page), &endpoints::WALLET_LOGIN);
    assert_server_verifies(&req);
    let body: WalletLoginBody = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(body, WalletLoginBody::new(APP_ID, &request));
}

#[test]
fn a_bad_body_names_the_field() {
    let path = |json: &str| {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize::<_, DrawCashBody>(de)
            .err()
            .map(|e| (e.path().to_string(), e.into_inner().to_string()))
            .unwrap()
    };
    let full = r#""app_id":"a","cash_type":"T1","member_id":"0","order_no":"c1""#;
    assert_eq!(
        path(&format!(r#"{{{full},"cash_amt":"1.001"}}"#)).0,
        "cash_amt"
    );
    assert_eq!(path(&format!(r#"{{{full},"cash_amt":1.5}}"#)).0, "cash_amt");
    assert!(
        path(&format!("{{{full}}}"))
            .1
            .contains("missing field `cash_amt`")
    );
    assert_eq!(
        path(r#"{"app_id":7,"cash_amt":"1.00","cash_type":"T1","member_id":"0","order_no":"c1"}"#)
            .0,
        "app_id"
    );
}

// ---- answers: every model written by the server side reads back equal ----

#[tokio::test]
async fn every_answer_model_round_trips_through_the_client() {
    let (client, _) = answering(200, success(&cash(Status::Succeeded)));
    let got = client
        .wallet()
        .cash_status(&CashStatusQuery::new("cash_20240101_0001"))
        .await
        .unwrap();
    assert_eq!(got, cash(Status::Succeeded));

    // Amounts keep their text exactly, beyond two decimals too.
    let mut balance = AccountBalance::new(Status::Succeeded);
    balance.app_id = Some(APP_ID.into());
    balance.object = Some("account_balance".into());
    balance.prod_mode = Some("false".into());
    balance.acct_balance = Some(d("100.105"));
    balance.avl_balance = Some(d("90.00"));
    balance.frz_balance = Some(d("10.105"));
    balance.extra.insert("currency".into(), "CNY".into());
    let bytes = success(&balance);
    let outer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let data: serde_json::Value = serde_json::from_str(outer["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["avl_balance"], "90.00");
    assert_eq!(data["acct_balance"], "100.105");
    let (client, _) = answering(200, bytes);
    let got = client
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(got, balance);

    // Absent fields are left out, not written as null.
    let bare = Cash::new(Status::Pending);
    let text = serde_json::to_string(&bare).unwrap();
    assert_eq!(text, r#"{"status":"pending"}"#);
}

#[tokio::test]
async fn a_notification_signed_by_the_server_side_verifies() {
    let mut c = cash(Status::Succeeded);
    c.id = Some("0021120200225003546239388799481234".into());
    let form = NotificationForm {
        id: "evt_1".into(),
        event_type: "cash.succeeded".into(),
        app_id: APP_ID.into(),
        object: "cash".into(),
        created_time: "1579163032".into(),
        prod_mode: "false".into(),
        data: serde_json::to_string(&c).unwrap(),
    };
    let body = sign_notification(&signer(PLATFORM_KEY), &form).unwrap();
    let (client, _) = answering(200, Vec::new());
    let n = client.webhooks().verify(body.as_bytes()).unwrap();
    assert_eq!(n.event, Event::CashSucceeded(c));
}

// ---- errors: each encoder's output is the error the client reports ------

fn refusal() -> ErrorObject {
    ErrorObject::new("parameter_error", "cash_amt must be greater than 0")
        .app_id(APP_ID)
        .object("cash")
        .prod_mode("false")
        .error_type("invalid_request_error")
        .invalid_param("cash_amt")
}

fn order() -> DrawCash {
    DrawCash::new("cash_20240101_0001", CashType::T1, d("1.00"), "0")
}

#[tokio::test]
async fn a_signed_refusal_is_the_providers_error() {
    let bytes = envelope::encode_error(&signer(PLATFORM_KEY), &refusal()).unwrap();
    let (client, _) = answering(200, bytes.clone());
    let e = client.wallet().draw_cash(&order()).await.unwrap_err();
    assert_eq!(e.code(), Some("parameter_error"));
    assert_eq!(e.message(), Some("cash_amt must be greater than 0"));
    let api = e.api_error().unwrap();
    assert_eq!(api.get_detail("invalid_param"), Some("cash_amt"));
    assert_eq!(api.get_detail("error_type"), Some("invalid_request_error"));
    assert_eq!(api.get_detail("signature"), None);
    assert!(!e.is_outcome_unknown());

    // The same refusal on a 5xx decides nothing for a payout.
    let (client, _) = answering(500, bytes);
    let e = client.wallet().draw_cash(&order()).await.unwrap_err();
    assert_eq!(e.code(), Some("parameter_error"));
    assert!(e.is_outcome_unknown());

    // Signed with another key: a signature error.
    let bytes = envelope::encode_error(&signer(OTHER_KEY), &refusal()).unwrap();
    let (client, _) = answering(200, bytes);
    let e = client.wallet().draw_cash(&order()).await.unwrap_err();
    assert_signature(&e, SignatureProblem::Mismatch);
}

#[tokio::test]
async fn unsigned_refusals_are_reported_and_decide_nothing() {
    let unauthorized = ErrorObject::new("unauthorized", "the api key is missing or wrong");
    let bytes = envelope::encode_unsigned_error(&unauthorized);
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        r#"{"status":"failed","error_code":"unauthorized","error_msg":"the api key is missing or wrong"}"#
    );
    let (client, _) = answering(401, bytes);
    let e = client
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap_err();
    match e.kind() {
        ErrorKind::Authentication { status, message } => {
            assert_eq!(
                (*status, message.as_str()),
                (401, "the api key is missing or wrong")
            );
        }
        other => panic!("{other:?}"),
    }

    for (status, code) in [(423, "system_busy"), (500, "api_error")] {
        let bytes = envelope::encode_unsigned_error(&ErrorObject::new(code, "busy"));
        let (client, _) = answering(status, bytes);
        let e = client.wallet().draw_cash(&order()).await.unwrap_err();
        assert_eq!(e.code(), Some(code));
        assert_eq!(
            e.api_error().unwrap().get_detail("signature"),
            Some("unverified")
        );
        assert!(e.is_outcome_unknown(), "{status}");
    }
}

#[test]
fn error_objects_read_back() {
    let e = refusal();
    let text = serde_json::to_string(&e).unwrap();
    let back: ErrorObject = serde_json::from_str(&text).unwrap();
    assert_eq!(back, e);
    assert_eq!(back.status, Status::Failed);
    // The answer signature is the routine the client verifies with.
    let data = r#"{"status":"pending"}"#;
    let sig = signing::sign_answer(&signer(PLATFORM_KEY), data).unwrap();
    let platform = RsaVerifier::new(
        RsaPublicKey::parse(PLATFORM_PUBLIC).unwrap(),
        HashAlgorithm::Sha1,
    );
    signing::verify(&platform, signing::data_signing_string(data), Some(&sig)).unwrap();
    assert_eq!(
        signing::signed_answer(&signer(PLATFORM_KEY), data).unwrap(),
        format!(r#"{{"data":"{{\"status\":\"pending\"}}","signature":"{sig}"}}"#)
    );
}
