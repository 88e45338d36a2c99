//! Raw requests to the simulated Adapay whose bad fields are named in
//! Adapay's own error. (The client's flows against the sandbox are in the
//! workspace's end-to-end suite, tests/tests/end_to_end.)

use walletbridge_adapay::Status;
use walletbridge_adapay::envelope::ErrorObject;
use walletbridge_adapay::wallet::BalanceQuery;

use crate::common::{dec, start};

/// Raw requests signed with the sandbox's merchant key, answers verified
/// with its platform key and read with the crate's own types.
struct Raw {
    http: reqwest::Client,
    api: String,
    page: String,
    api_key: String,
    merchant: walletbridge_core::RsaSigner,
    platform: walletbridge_core::RsaVerifier,
}

impl Raw {
    fn new(sb: &walletbridge_sandbox::Sandbox) -> Self {
        use walletbridge_core::{HashAlgorithm, RsaPrivateKey, RsaPublicKey};
        let private = sb.adapay_merchant_private_key_pem().expect("merchant key");
        Self {
            http: reqwest::Client::new(),
            api: sb.urls().adapay.clone(),
            page: sb.urls().adapay_page.clone(),
            api_key: sb.identities().adapay_api_key.clone(),
            merchant: walletbridge_core::RsaSigner::new(
                &RsaPrivateKey::parse(private).expect("key"),
                HashAlgorithm::Sha1,
            )
            .expect("signer"),
            platform: walletbridge_core::RsaVerifier::new(
                RsaPublicKey::parse(sb.adapay_platform_public_key_pem()).expect("key"),
                HashAlgorithm::Sha1,
            ),
        }
    }

    /// Sends a signed request; answers the status and the verified `data`.
    async fn send(&self, method: &str, url: &str, body: &[u8]) -> (u16, serde_json::Value) {
        use walletbridge_adapay::signing;
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let message = if method == "GET" {
            let pairs: Vec<(&str, &str)> =
                query.split('&').filter_map(|p| p.split_once('=')).collect();
            signing::get_signing_string(base, &signing::canonical_query(&pairs)).into_bytes()
        } else {
            signing::post_signing_string(base, body)
        };
        let signature = signing::sign(&self.merchant, &message).expect("sign");
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let r = self
            .http
            .request(method, url)
            .header(signing::API_KEY_HEADER, &self.api_key)
            .header(signing::SIGNATURE_HEADER, signature)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        let outer: serde_json::Value = r.json().await.expect("json");
        let data = outer["data"].as_str().expect("data text");
        signing::verify(
            &self.platform,
            signing::data_signing_string(data),
            outer["signature"].as_str(),
        )
        .expect("signed by the platform");
        (status, serde_json::from_str(data).expect("data json"))
    }

    /// The refusal a request gets, read with the crate's error object.
    async fn refusal(&self, method: &str, url: &str, body: &[u8]) -> (u16, ErrorObject) {
        let (status, data) = self.send(method, url, body).await;
        let e: ErrorObject = serde_json::from_value(data).expect("an error object");
        assert_eq!(e.status, Status::Failed);
        (status, e)
    }
}

#[tokio::test]
async fn a_missing_or_ill_typed_field_is_named_and_unknown_endpoints_are_refused() {
    let sb = start().await;
    let raw = Raw::new(&sb);
    let cashs = format!("{}/v1/cashs", raw.api);
    let app = sb.identities().adapay_app_id.clone();
    let body = |extra: &str| {
        format!(r#"{{"app_id":"{app}","cash_type":"T1","member_id":"0","order_no":"c_1"{extra}}}"#)
    };
    let named = |e: &ErrorObject| (e.error_code.clone(), e.invalid_param.clone());
    let param = |p: &str| ("parameter_error".to_owned(), Some(p.to_owned()));

    let (status, e) = raw.refusal("POST", &cashs, body("").as_bytes()).await;
    assert_eq!((status, named(&e)), (200, param("cash_amt")));
    assert_eq!(e.object.as_deref(), Some("cash"));
    assert_eq!(e.error_type.as_deref(), Some("invalid_request_error"));
    let (_, e) = raw
        .refusal("POST", &cashs, body(r#","cash_amt":12.5"#).as_bytes())
        .await;
    assert_eq!(named(&e), param("cash_amt"));
    let (_, e) = raw
        .refusal("POST", &cashs, body(r#","cash_amt":"0.00""#).as_bytes())
        .await;
    assert_eq!(named(&e), param("cash_amt"));
    let (_, e) = raw
        .refusal(
            "POST",
            &cashs,
            format!(r#"{{"app_id":"{app}","cash_amt":"1.00","cash_type":"T1","member_id":0,"order_no":"c_1"}}"#).as_bytes(),
        )
        .await;
    assert_eq!(named(&e), param("member_id"));
    let (_, e) = raw
        .refusal(
            "POST",
            &cashs,
            body(r#","cash_amt":"1.00","order_no":"""#).as_bytes(),
        )
        .await;
    assert_eq!(e.error_code, "parameter_error");
    for bad in [&b"[1]"[..], b"{oops", b""] {
        let (_, e) = raw.refusal("POST", &cashs, bad).await;
        assert_eq!(named(&e), ("parameter_error".to_owned(), None));
    }

    let (_, e) = raw
        .refusal("GET", &format!("{}/v1/cashs/stat", raw.api), b"")
        .await;
    assert_eq!(named(&e), param("order_no"));
    let (_, e) = raw
        .refusal(
            "GET",
            &format!("{}/v1/settle_accounts/balance?app_id={app}", raw.api),
            b"",
        )
        .await;
    assert_eq!(named(&e), param("member_id"));
    assert_eq!(e.object.as_deref(), Some("account_balance"));
    let (_, e) = raw
        .refusal(
            "POST",
            &format!("{}/v1/walletLogin", raw.page),
            format!(r#"{{"app_id":"{app}","member_id":"0"}}"#).as_bytes(),
        )
        .await;
    assert_eq!(named(&e), param("ip"));

    // Routed by the crate's endpoint table: host, method and path.
    for (method, url) in [
        ("GET", format!("{}/v1/nothing", raw.api)),
        ("GET", cashs.clone()),
        ("POST", format!("{}/v1/walletLogin", raw.api)),
        ("POST", format!("{}/v1/cashs", raw.page)),
    ] {
        let (status, e) = raw.refusal(method, &url, b"{}").await;
        assert_eq!(
            (status, e.error_code.as_str()),
            (404, "resource_not_found"),
            "{method} {url}"
        );
        assert_eq!(e.object, None);
    }

    // Still serving, and nothing was drawn.
    let (status, data) = raw
        .send("POST", &cashs, body(r#","cash_amt":"1.00""#).as_bytes())
        .await;
    assert_eq!((status, data["status"].as_str()), (200, Some("pending")));
    assert_eq!(data["cash_amt"], "1.00");
    let b = sb
        .adapay_client()
        .expect("client")
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("balance");
    assert_eq!(b.avl_balance, Some(dec("9999.00")));
    sb.shutdown().await;
}
