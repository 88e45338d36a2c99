//! Fuzzing the simulators as a bounded test: random bodies, queries and path
//! ids, correctly authenticated so they get past the protocol checks, sent to
//! every endpoint of the four providers' own endpoint tables. Every answer
//! must be the provider's envelope with a status below 500, no request may
//! kill a connection (a panicking handler would), and the servers must keep
//! serving. Cases: a quarter of `WALLETBRIDGE_FUZZ_CASES` (default 256), as
//! each case is a real HTTP round trip with an RSA signature each way.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};
use walletbridge_core::{HashAlgorithm, Method, RsaPrivateKey, RsaSigner};
use walletbridge_sandbox::Sandbox;

use crate::common::start;

/// Field names the four providers' requests use, so that random objects reach
/// the decoders' real fields and the rules behind them.
const KEYS: &[&str] = &[
    "request_id",
    "client_order_id",
    "card_id",
    "card_holder_id",
    "currency",
    "amount",
    "init_balance",
    "product_code",
    "type",
    "limit_per_day",
    "limit_per_month",
    "limit_per_transaction",
    "first_name",
    "last_name",
    "email",
    "mobile",
    "region",
    "birth",
    "payee_id",
    "account_id",
    "quote_id",
    "sell_currency",
    "buy_currency",
    "sell_amount",
    "buy_amount",
    "pay_currency",
    "receive_currency",
    "page",
    "limit",
    "start_time",
    "end_time",
    "app_id",
    "order_no",
    "cash_amt",
    "cash_type",
    "member_id",
    "notify_url",
    "settle_account_id",
    "biz_no",
    "payer_wallet_id",
    "wallet_id",
    "fee",
    "recievers",
    "collect_req",
    "card_no",
    "ticket",
    "sms_code",
    "order_id",
    "username",
    "password",
    "channel_id",
    "trade_no",
    "status",
    "date_range",
    "payment_request_id",
    "payment_amount",
    "value",
];

/// One JSON value, nested at most `depth` deep.
fn value(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "-?[0-9]{1,20}(\\.[0-9]{1,12})?(e[0-9]{1,3})?"
            .prop_map(|s| serde_json::from_str(&s).unwrap_or(Value::Null)),
        "[A-Za-z0-9 ._:/%+&=\\-]{0,24}".prop_map(Value::String),
        "[0-9]{0,25}(\\.[0-9]{0,6})?".prop_map(Value::String),
        Just(Value::String("USD".into())),
        Just(Value::String("2026-11-23T10:00:00Z".into())),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => prop::collection::vec(value(depth - 1), 0..3).prop_map(Value::Array),
        1 => object(depth - 1).prop_map(Value::Object),
    ]
    .boxed()
}

fn object(depth: u32) -> BoxedStrategy<Map<String, Value>> {
    prop::collection::vec((prop::sample::select(KEYS), value(depth)), 0..8)
        .prop_map(|pairs| pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
        .boxed()
}

/// A request body: an object of real field names, random bytes, or a form.
#[derive(Debug, Clone)]
enum Body {
    Json(Map<String, Value>),
    Bytes(Vec<u8>),
    Pairs(Vec<(String, String)>),
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop::sample::select(KEYS).prop_map(str::to_owned),
            "[A-Za-z0-9 ._:{}\\[\\]\",+\\-]{0,20}",
        ),
        0..6,
    )
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        4 => object(2).prop_map(Body::Json),
        1 => prop::collection::vec(any::<u8>(), 0..48).prop_map(Body::Bytes),
        2 => pairs().prop_map(Body::Pairs),
    ]
}

/// One case: which provider, which endpoint of its table, what to send.
#[derive(Debug, Clone)]
struct Case {
    provider: u8,
    endpoint: usize,
    id: String,
    body: Body,
    query: Vec<(String, String)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0u8..4,
        any::<usize>(),
        "[A-Za-z0-9_\\-]{1,12}",
        body(),
        pairs(),
    )
        .prop_map(|(provider, endpoint, id, body, query)| Case {
            provider,
            endpoint,
            id,
            body,
            query,
        })
}

fn json_bytes(body: &Body) -> Vec<u8> {
    match body {
        Body::Json(m) => serde_json::to_vec(m).unwrap_or_default(),
        Body::Bytes(b) => b.clone(),
        Body::Pairs(p) => serde_json::to_vec(
            &p.iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect::<Map<String, Value>>(),
        )
        .unwrap_or_default(),
    }
}

fn form_pairs(body: &Body) -> Vec<(String, String)> {
    match body {
        Body::Json(m) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => (k.clone(), s.clone()),
                other => (k.clone(), other.to_string()),
            })
            .collect(),
        Body::Bytes(b) => vec![(
            "collect_req".into(),
            String::from_utf8_lossy(b).into_owned(),
        )],
        Body::Pairs(p) => p.clone(),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// What the fuzzer needs of a running sandbox.
struct Target {
    http: reqwest::Client,
    gsalary: RsaSigner,
    adapay: RsaSigner,
    merchant_token: String,
}

impl Target {
    async fn new(sb: &Sandbox) -> Self {
        let key = |pem: Option<&str>| RsaPrivateKey::parse(pem.expect("key")).expect("parse");
        let http = reqwest::Client::new();
        let ids = sb.identities();
        let login: Value = http
            .post(format!(
                "{}{}",
                sb.urls().merchant_wallet,
                walletbridge_merchant_wallet::endpoints::LOGIN.path
            ))
            .json(&serde_json::json!({"username": ids.merchant_username, "password": ids.merchant_password}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login answer");
        Self {
            gsalary: RsaSigner::new(
                &key(sb.gsalary_merchant_private_key_pem()),
                HashAlgorithm::Sha256,
            )
            .expect("signer"),
            adapay: RsaSigner::new(
                &key(sb.adapay_merchant_private_key_pem()),
                HashAlgorithm::Sha1,
            )
            .expect("signer"),
            merchant_token: login["data"]["access_token"]
                .as_str()
                .expect("token")
                .to_owned(),
            http,
        }
    }

    /// Sends one case; the status and body of the answer.
    async fn send(&self, sb: &Sandbox, c: &Case) -> Result<(u16, Vec<u8>), String> {
        let request = match c.provider {
            0 => self.gsalary(sb, c),
            1 => self.adapay(sb, c),
            2 => Self::senior(sb, c, &self.http),
            _ => self.merchant(sb, c),
        };
        let resp = request
            .timeout(std::time::Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| format!("cut answer: {e}"))?;
        Ok((status, body.to_vec()))
    }

    fn gsalary(&self, sb: &Sandbox, c: &Case) -> reqwest::RequestBuilder {
        use walletbridge_gsalary::{endpoints, signing};
        let ep = &endpoints::ALL[c.endpoint % endpoints::ALL.len()];
        let mut path = ep.wire_path();
        while let (Some(a), Some(b)) = (path.find('{'), path.find('}')) {
            if b < a {
                break;
            }
            path.replace_range(a..=b, &c.id);
        }
        let (body, query) = match ep.method {
            Method::Get | Method::Delete => (None, c.query.clone()),
            _ => (Some(json_bytes(&c.body)), Vec::new()),
        };
        let sent = if query.is_empty() {
            path
        } else {
            let escaped = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&query)
                .finish()
                .replace('+', "%20");
            format!("{path}?{escaped}")
        };
        // Signed over the query unescaped, as the provider verifies it.
        let signed = signing::unescaped_path_and_query(&sent).to_string();
        let appid = sb.identities().gsalary_appid.clone();
        let auth = signing::sign(
            &self.gsalary,
            ep.method.as_str(),
            &signed,
            &appid,
            now_ms(),
            body.as_deref(),
        )
        .expect("sign");
        let mut r = self
            .http
            .request(
                ep.method.as_str().parse().expect("method"),
                format!("{}{sent}", sb.urls().gsalary),
            )
            .header("x-appid", appid)
            .header("authorization", auth);
        if let Some(b) = body {
            r = r.header("content-type", "application/json").body(b);
        }
        r
    }

    fn adapay(&self, sb: &Sandbox, c: &Case) -> reqwest::RequestBuilder {
        use walletbridge_adapay::endpoints::{self, Host};
        use walletbridge_adapay::signing;
        let ep = &endpoints::ALL[c.endpoint % endpoints::ALL.len()];
        let base = match ep.host {
            Host::Api => &sb.urls().adapay,
            _ => &sb.urls().adapay_page,
        };
        let url = format!("{base}{}", ep.path);
        let api_key = sb.identities().adapay_api_key.clone();
        let r = if ep.method == Method::Get {
            // Adapay sends query values unescaped, so the client refuses
            // any that would need escaping; so does the fuzzer.
            let plain: Vec<(String, String)> = c
                .query
                .iter()
                .map(|(k, v)| {
                    let v = v
                        .chars()
                        .map(|ch| {
                            if ch.is_ascii_alphanumeric() || "._-".contains(ch) {
                                ch
                            } else {
                                '_'
                            }
                        })
                        .collect::<String>();
                    (k.clone(), v)
                })
                .collect();
            let query = signing::canonical_query(&plain);
            let sig = signing::sign(
                &self.adapay,
                signing::get_signing_string(&url, &query).as_bytes(),
            )
            .expect("sign");
            let sent = if query.is_empty() {
                url
            } else {
                format!("{url}?{query}")
            };
            self.http.get(sent).header("signature", sig)
        } else {
            let body = json_bytes(&c.body);
            let sig = signing::sign(&self.adapay, &signing::post_signing_string(&url, &body))
                .expect("sign");
            self.http
                .post(url)
                .header("signature", sig)
                .header("content-type", "application/json")
                .body(body)
        };
        r.header("authorization", api_key)
    }

    fn senior(sb: &Sandbox, c: &Case, http: &reqwest::Client) -> reqwest::RequestBuilder {
        use walletbridge_wallet_senior::{SandboxHmacSigner, endpoints};
        let ep = &endpoints::ALL[c.endpoint % endpoints::ALL.len()];
        let ids = sb.identities();
        let mut params = vec![("access_token".to_owned(), ids.senior_access_token.clone())];
        params.extend(form_pairs(&c.body));
        params.push(("timestamp".to_owned(), (now_ms() / 1000).to_string()));
        let sign = SandboxHmacSigner::new(ids.senior_sign_secret.clone())
            .sign_params(&params)
            .expect("sign");
        params.push(("sign".to_owned(), sign));
        http.post(format!("{}{}", sb.urls().wallet_senior, ep.path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(walletbridge_core::form::encode(params))
    }

    fn merchant(&self, sb: &Sandbox, c: &Case) -> reqwest::RequestBuilder {
        use walletbridge_merchant_wallet::endpoints;
        let ep = &endpoints::ALL[c.endpoint % endpoints::ALL.len()];
        self.http
            .post(format!("{}{}", sb.urls().merchant_wallet, ep.path))
            .header("authorization", format!("Bearer {}", self.merchant_token))
            .header("content-type", "application/json")
            .body(json_bytes(&c.body))
    }
}

/// Whether `body` is the provider's envelope.
fn enveloped(provider: u8, body: &[u8]) -> bool {
    let Ok(Value::Object(v)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    match provider {
        // `{"result":{..},"data"}` on a 2xx, `{"biz_result","error_code","message"}`
        // otherwise (PROTOCOL-NOTES).
        0 => v.get("result").is_some_and(Value::is_object) || v.contains_key("error_code"),
        1 => v.contains_key("data") || v.contains_key("error_code"),
        _ => v.contains_key("code"),
    }
}

/// Whether the answer refuses the request's credentials or signature.
fn refused_credentials(provider: u8, status: u16, body: &[u8]) -> bool {
    let v: Value = serde_json::from_slice(body).unwrap_or_default();
    match provider {
        0 => matches!(status, 401 | 403),
        1 => status == 401 || body.windows(17).any(|w| w == b"invalid_signature"),
        2 => matches!(v["code"].as_i64(), Some(1002..=1004)),
        _ => status == 401,
    }
}

#[test]
fn fuzz_the_simulators_answer_any_request_with_their_envelope() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let sb = rt.block_on(start());
    let target = rt.block_on(Target::new(&sb));
    let mut runner = TestRunner::new(Config {
        cases: (walletbridge_core::test_util::fuzz_cases() / 4).max(32),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(), |c| {
        let (status, body) = rt
            .block_on(target.send(&sb, &c))
            .map_err(TestCaseError::fail)?;
        prop_assert!(
            status < 500,
            "HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        );
        // Every case is authenticated as the provider expects, so it reaches
        // the endpoint's own decoding and rules.
        prop_assert!(
            !refused_credentials(c.provider, status, &body),
            "credentials refused: HTTP {status} {}",
            String::from_utf8_lossy(&body)
        );
        prop_assert!(
            enveloped(c.provider, &body),
            "not the provider's envelope: HTTP {status} {}",
            String::from_utf8_lossy(&body)
        );
        Ok(())
    });
    // Whatever came before, every provider still serves a well-formed call.
    let clients = sb.clients().expect("clients");
    rt.block_on(async {
        clients
            .gsalary
            .wallet()
            .balance("USD")
            .await
            .expect("gsalary serves");
        clients
            .adapay
            .wallet()
            .balance(&walletbridge_adapay::wallet::BalanceQuery::merchant())
            .await
            .expect("adapay serves");
        clients
            .wallet_senior
            .order()
            .query(&walletbridge_wallet_senior::order::OrderQuery::new("none"))
            .await
            .expect_err("senior serves: no such order");
        clients
            .merchant_wallet
            .wallet()
            .balance()
            .await
            .expect("merchant serves");
    });
    rt.block_on(sb.shutdown());
    if let Err(e) = result {
        panic!("{e}");
    }
}
