//! The simulated senior wallet's errors for bad requests. (The client's
//! flows against the sandbox are in the workspace's end-to-end suite,
//! tests/tests/end_to_end.)

use crate::common::start;

/// Builds the signed form of a hand-made request, as the client would sign it.
fn signed_form(sb: &walletbridge_sandbox::Sandbox, pairs: &[(&str, &str)]) -> String {
    let ids = sb.identities();
    let mut params: Vec<(String, String)> =
        vec![("access_token".to_owned(), ids.senior_access_token.clone())];
    params.extend(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    params.push(("timestamp".to_owned(), now.to_string()));
    let sign = walletbridge_wallet_senior::SandboxHmacSigner::new(ids.senior_sign_secret.clone())
        .sign_params(&params)
        .expect("sign");
    params.push(("sign".to_owned(), sign));
    walletbridge_core::form::encode(params)
}

#[tokio::test]
async fn a_missing_or_malformed_field_or_an_unknown_endpoint_gets_the_providers_error() {
    let sb = start().await;
    let base = sb.urls().wallet_senior.clone();
    let http = reqwest::Client::new();
    let post = |path: &str, body: String| {
        http.post(format!("{base}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let recharge = walletbridge_wallet_senior::endpoints::RECHARGE.path;
    let r = post(
        recharge,
        signed_form(&sb, &[("amount", "100"), ("wallet_id", "2003")]),
    )
    .await
    .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["code"], 1005, "{v}");
    assert!(v["msg"].as_str().expect("msg").contains("card_id"), "{v}");
    assert!(v.get("data").is_none(), "{v}");

    let v: serde_json::Value = post(
        recharge,
        signed_form(
            &sb,
            &[("amount", "1.00"), ("card_id", "c"), ("wallet_id", "2003")],
        ),
    )
    .await
    .expect("send")
    .json()
    .await
    .expect("json");
    assert_eq!(v["code"], 1005, "{v}");
    assert!(v["msg"].as_str().expect("msg").contains("amount"), "{v}");

    let collect = walletbridge_wallet_senior::endpoints::COLLECT_SYNC.path;
    let two_methods = r#"{"payer_wallet_id":1001,"biz_no":"b","amount":5,"recievers":[{"wallet_id":2001,"amount":5}],"wallet_pay_method":{"balance":{"amount":5},"wechat":{"pay_type":21,"amount":5}}}"#;
    let v: serde_json::Value = post(collect, signed_form(&sb, &[("collect_req", two_methods)]))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(v["code"], 1005, "{v}");
    assert!(
        v["msg"]
            .as_str()
            .expect("msg")
            .contains("wallet_pay_method"),
        "{v}"
    );
    assert_eq!(sb.senior_balance(1001), Some(10_000_000), "nothing moved");

    let r = post("/wallet_server/v1/m/senior/transfer", signed_form(&sb, &[]))
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 404);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["code"], 1404, "{v}");
    let r = http
        .get(format!("{base}{recharge}"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 405);
    sb.shutdown().await;
}
