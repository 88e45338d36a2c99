//! Protocol checks over raw HTTP: wrong keys, stale timestamps, tampered
//! bodies and bad input are refused with the providers' own errors, and the
//! server keeps serving.

use serde_json::{Value, json};
use walletbridge_core::{HashAlgorithm, RsaPrivateKey, RsaPublicKey, RsaSigner, RsaVerifier};
use walletbridge_gsalary::signing;

use crate::common::start;

const APPID: &str = "sandbox-gsalary-appid";

fn key(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("key")
}

fn signer(name: &str, hash: HashAlgorithm) -> RsaSigner {
    RsaSigner::new(&RsaPrivateKey::parse(&key(name)).expect("key"), hash).expect("signer")
}

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time")
            .as_millis(),
    )
    .expect("ms")
}

struct Gs<'a> {
    method: &'a str,
    /// As sent (escaped).
    path: &'a str,
    body: Option<&'a [u8]>,
    /// What is signed, when it differs from `body`.
    signed_body: Option<&'a [u8]>,
    key: &'a str,
    ts: i64,
    appid: Option<&'a str>,
}

impl<'a> Gs<'a> {
    fn new(method: &'a str, path: &'a str) -> Self {
        Self {
            method,
            path,
            body: None,
            signed_body: None,
            key: "gsalary-merchant-private.pem",
            ts: now_ms(),
            appid: Some(APPID),
        }
    }

    async fn send(&self, base: &str) -> (u16, Option<String>, Vec<u8>) {
        let signed_path = signing::unescaped_path_and_query(self.path);
        let auth = signing::sign(
            &signer(self.key, HashAlgorithm::Sha256),
            self.method,
            &signed_path,
            APPID,
            self.ts,
            self.signed_body.or(self.body),
        )
        .expect("sign");
        let client = reqwest::Client::new();
        let mut r = client
            .request(
                self.method.parse().expect("method"),
                format!("{base}{}", self.path),
            )
            .header("authorization", auth);
        if let Some(a) = self.appid {
            r = r.header("x-appid", a);
        }
        if let Some(b) = self.body {
            r = r
                .header("content-type", "application/json")
                .body(b.to_vec());
        }
        let resp = r.send().await.expect("send");
        let status = resp.status().as_u16();
        let auth = resp
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (status, auth, resp.bytes().await.expect("body").to_vec())
    }
}

fn code(body: &[u8]) -> String {
    let v: Value = serde_json::from_slice(body).expect("json");
    v["error_code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn gsalary_accepts_good_signatures_and_signs_its_answers() {
    let sb = start().await;
    let base = &sb.urls().gsalary;
    // A query value that needs escaping: sent escaped, signed decoded.
    let path =
        "/v1/wallets/transactions?page=1&limit=5&time_start=2024-03-04T10%3A00%3A00%2B08%3A00";
    let (status, auth, body) = Gs::new("GET", path).send(base).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let platform = RsaVerifier::new(
        RsaPublicKey::parse(&key("gsalary-platform-public.pem")).expect("k"),
        HashAlgorithm::Sha256,
    );
    signing::verify(
        &platform,
        auth.as_deref(),
        "GET",
        &signing::unescaped_path_and_query(path),
        APPID,
        &body,
    )
    .expect("the answer is signed over the decoded path");
    let b = br#"{"sell_currency":"USD","buy_currency":"CNY","sell_amount":10.5}"#;
    let mut post = Gs::new("POST", "/v1/exchange/quotes");
    post.body = Some(b);
    let (status, _, body) = post.send(base).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["data"]["buy_amount"]["amount"], json!(75.6));
    sb.shutdown().await;
}

#[tokio::test]
async fn gsalary_refuses_wrong_key_stale_time_tampered_body_and_bad_appid() {
    let sb = start().await;
    let base = &sb.urls().gsalary;
    let mut wrong_key = Gs::new("GET", "/v1/wallets/balance?currency=USD");
    wrong_key.key = "gsalary-platform-private.pem";
    let (status, auth, body) = wrong_key.send(base).await;
    assert_eq!((status, code(&body).as_str()), (403, "FORBIDDEN"));
    assert!(auth.is_none(), "a refused request is answered unsigned");

    let mut stale = Gs::new("GET", "/v1/wallets/balance?currency=USD");
    stale.ts = now_ms() - 6 * 60 * 1000;
    let (status, _, body) = stale.send(base).await;
    assert_eq!((status, code(&body).as_str()), (403, "FORBIDDEN"));
    let mut future = Gs::new("GET", "/v1/wallets/balance?currency=USD");
    future.ts = now_ms() + 6 * 60 * 1000;
    assert_eq!(future.send(base).await.0, 403);

    let mut tampered = Gs::new("POST", "/v1/exchange/quotes");
    tampered.body = Some(br#"{"sell_currency":"USD","buy_currency":"CNY","sell_amount":99999}"#);
    tampered.signed_body = Some(br#"{"sell_currency":"USD","buy_currency":"CNY","sell_amount":1}"#);
    let (status, _, body) = tampered.send(base).await;
    assert_eq!((status, code(&body).as_str()), (403, "FORBIDDEN"));

    let mut no_appid = Gs::new("GET", "/v1/wallets/balance?currency=USD");
    no_appid.appid = None;
    let (status, _, body) = no_appid.send(base).await;
    assert_eq!((status, code(&body).as_str()), (400, "MISSING_ARGUMENT"));
    let mut other = Gs::new("GET", "/v1/wallets/balance?currency=USD");
    other.appid = Some("someone-else");
    assert_eq!(other.send(base).await.0, 403);

    // Signed over the escaped path instead of the decoded one: refused.
    let path =
        "/v1/wallets/transactions?page=1&limit=5&time_start=2024-03-04T10%3A00%3A00%2B08%3A00";
    let auth = signing::sign(
        &signer("gsalary-merchant-private.pem", HashAlgorithm::Sha256),
        "GET",
        path,
        APPID,
        now_ms(),
        None,
    )
    .expect("sign");
    let resp = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("x-appid", APPID)
        .header("authorization", auth)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 403);
    sb.shutdown().await;
}

#[tokio::test]
async fn gsalary_bad_input_gets_its_own_errors() {
    let sb = start().await;
    let base = &sb.urls().gsalary;
    let cases: &[(&str, &str, Option<&[u8]>, u16, &str)] = &[
        ("GET", "/v1/nothing/here", None, 404, "NOT_FOUND"),
        (
            "POST",
            "/v1/card_holders",
            Some(b"{not json"),
            400,
            "BAD_REQUEST",
        ),
        (
            "POST",
            "/v1/card_holders",
            Some(b""),
            400,
            "MISSING_ARGUMENT",
        ),
        (
            "POST",
            "/v1/cards/balance_modifies",
            Some(br#"{"card_id":"c","amount":"x","type":"INCREASE","request_id":"r"}"#),
            400,
            "INVALID_ARGUMENT",
        ),
        (
            "POST",
            "/v1/cards/balance_modifies",
            Some(br#"{"card_id":"c"}"#),
            400,
            "MISSING_ARGUMENT",
        ),
        ("GET", "/v1/wallets/balance", None, 400, "MISSING_ARGUMENT"),
        (
            "GET",
            "/v1/wallets/transactions?page=0",
            None,
            400,
            "INVALID_ARGUMENT",
        ),
        (
            "POST",
            "/v1/exchange/quotes",
            Some(br#"[1,2,3]"#),
            400,
            "INVALID_ARGUMENT",
        ),
        ("GET", "/v1/cards/%E2%9C%93", None, 404, "NOT_FOUND"),
    ];
    for (method, path, body, status, want) in cases {
        let mut g = Gs::new(method, path);
        g.body = *body;
        let (s, auth, b) = g.send(base).await;
        assert_eq!(
            (s, code(&b)),
            (*status, (*want).to_owned()),
            "{method} {path}: {}",
            String::from_utf8_lossy(&b)
        );
        assert!(
            auth.is_some(),
            "{method} {path}: an answer to a verified request is signed"
        );
    }
    // Still serving.
    assert_eq!(
        Gs::new("GET", "/v1/wallets/balance?currency=USD")
            .send(base)
            .await
            .0,
        200
    );
    sb.shutdown().await;
}

fn adapay_post(url: &str, body: &[u8], key: &str) -> String {
    let msg = walletbridge_adapay::signing::post_signing_string(url, body);
    walletbridge_adapay::signing::sign(&signer(key, HashAlgorithm::Sha1), &msg).expect("sign")
}

#[tokio::test]
async fn adapay_refuses_wrong_api_key_wrong_key_and_tampered_body() {
    let sb = start().await;
    let url = format!("{}/v1/cashs", sb.urls().adapay);
    let body = br#"{"app_id":"app_sandbox","cash_amt":"1.00","cash_type":"T1","member_id":"0","order_no":"c1"}"#;
    let client = reqwest::Client::new();
    let send = |api_key: &'static str, sig: String, b: &'static [u8]| {
        client
            .post(&url)
            .header("authorization", api_key)
            .header("signature", sig)
            .header("content-type", "application/json")
            .body(b.to_vec())
            .send()
    };
    let r = send(
        "wrong_key",
        adapay_post(&url, body, "adapay-merchant-private.pem"),
        body,
    )
    .await
    .expect("send");
    assert_eq!(r.status().as_u16(), 401);

    let check = |bytes: &[u8]| -> Value {
        let outer: Value = serde_json::from_slice(bytes).expect("json");
        let data = outer["data"].as_str().expect("data text");
        let sig = outer["signature"].as_str().expect("signature");
        let platform = RsaVerifier::new(
            RsaPublicKey::parse(&key("adapay-platform-public.pem")).expect("k"),
            HashAlgorithm::Sha1,
        );
        walletbridge_adapay::signing::verify(&platform, data.as_bytes(), Some(sig))
            .expect("signed by the platform");
        serde_json::from_str(data).expect("data json")
    };
    let r = send(
        "sandbox_api_key",
        adapay_post(&url, body, "adapay-platform-private.pem"),
        body,
    )
    .await
    .expect("send");
    let d = check(&r.bytes().await.expect("b"));
    assert_eq!(d["error_code"], "invalid_signature");

    let other: &'static [u8] = br#"{"app_id":"app_sandbox","cash_amt":"9999.00","cash_type":"T1","member_id":"0","order_no":"c1"}"#;
    let r = send(
        "sandbox_api_key",
        adapay_post(&url, body, "adapay-merchant-private.pem"),
        other,
    )
    .await
    .expect("send");
    let d = check(&r.bytes().await.expect("b"));
    assert_eq!(d["error_code"], "invalid_signature");

    let bad: &'static [u8] = br#"{"app_id":"app_sandbox","cash_amt":"1.001","cash_type":"T1","member_id":"0","order_no":"c1"}"#;
    let r = send(
        "sandbox_api_key",
        adapay_post(&url, bad, "adapay-merchant-private.pem"),
        bad,
    )
    .await
    .expect("send");
    let d = check(&r.bytes().await.expect("b"));
    assert_eq!(
        (d["error_code"].as_str(), d["invalid_param"].as_str()),
        (Some("parameter_error"), Some("cash_amt"))
    );

    let r = send(
        "sandbox_api_key",
        adapay_post(&url, body, "adapay-merchant-private.pem"),
        body,
    )
    .await
    .expect("send");
    let d = check(&r.bytes().await.expect("b"));
    assert_eq!(d["status"], "pending");
    sb.shutdown().await;
}

fn senior_form(secret: &str, pairs: &[(&str, &str)], ts: i64) -> String {
    let mut params: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    params.push(("timestamp".into(), ts.to_string()));
    let sign = walletbridge_sandbox::senior::sandbox_sign(secret, &params);
    params.push(("sign".into(), sign));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

#[tokio::test]
async fn senior_and_merchant_refuse_bad_credentials() {
    let sb = start().await;
    let url = format!(
        "{}/wallet_server/v1/m/senior/order_query",
        sb.urls().wallet_senior
    );
    let client = reqwest::Client::new();
    let post = |body: String| {
        client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let now = now_ms() / 1000;
    let code_of = |v: Value| v["code"].as_i64().unwrap_or_default();
    let good = [
        ("access_token", "sandbox-access-token"),
        ("order_no", "nope"),
    ];
    let v: Value = post(senior_form("sandbox-sign-secret", &good, now))
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    assert_eq!(code_of(v), 1006, "a well-signed query for a missing order");
    let v: Value = post(senior_form("wrong", &good, now))
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    assert_eq!(code_of(v), 1003);
    let v: Value = post(senior_form("sandbox-sign-secret", &good, now - 400))
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    assert_eq!(code_of(v), 1004);
    let collect_url = format!(
        "{}/wallet_server/v1/m/senior/collect_sync",
        sb.urls().wallet_senior
    );
    let mismatch = r#"{"payer_wallet_id":1001,"biz_no":"b1","amount":100,"fee":10,"recievers":[{"wallet_id":2001,"amount":80}],"wallet_pay_method":{"balance":{"amount":100}}}"#;
    let form = senior_form(
        "sandbox-sign-secret",
        &[
            ("access_token", "sandbox-access-token"),
            ("collect_req", mismatch),
        ],
        now,
    );
    let v: Value = client
        .post(&collect_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    assert_eq!(code_of(v.clone()), 1005, "{v}");
    assert_eq!(sb.senior_balance(1001), Some(10_000_000), "nothing moved");
    let bad_token = [("access_token", "x"), ("order_no", "nope")];
    let v: Value = post(senior_form("sandbox-sign-secret", &bad_token, now))
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    assert_eq!(code_of(v), 1002);

    let m = format!(
        "{}/merchantapi/wallet/operational/getUserBalance",
        sb.urls().merchant_wallet
    );
    let r = client.post(&m).json(&json!({})).send().await.expect("send");
    assert_eq!(r.status().as_u16(), 401);
    let r = client
        .post(&m)
        .header("authorization", "Bearer a.b.c")
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 401);
    let login = format!(
        "{}/merchantapi/user/account/login",
        sb.urls().merchant_wallet
    );
    let v: Value = client
        .post(&login)
        .json(&json!({"username": "sandbox", "password": "nope"}))
        .send()
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    assert_eq!(v["code"], 0);
    sb.shutdown().await;
}
