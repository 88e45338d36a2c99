//! Configuration: the builder and `from_env` name exactly what is missing or
//! malformed, keys load in every form, and nothing secret shows in Debug.
#![allow(clippy::unwrap_used)]
mod common;

use std::collections::HashMap;

use common::*;
use walletbridge_core::ErrorKind;
use walletbridge_gsalary::{ClientBuilder, Environment};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

fn config_message(result: walletbridge_core::Result<ClientBuilder>) -> String {
    let err = result.expect_err("configuration should fail");
    match err.kind() {
        ErrorKind::Config { message } => message.clone(),
        other => panic!("not a config error: {other}"),
    }
}

const FULL: &[(&str, &str)] = &[
    ("GSALARY_APPID", APPID),
    ("GSALARY_PRIVATE_KEY", MERCHANT_KEY),
    ("GSALARY_PLATFORM_PUBLIC_KEY", PLATFORM_PUBLIC),
];

#[test]
fn every_missing_variable_is_named() {
    for missing in [
        "GSALARY_APPID",
        "GSALARY_PRIVATE_KEY",
        "GSALARY_PLATFORM_PUBLIC_KEY",
    ] {
        let pairs: Vec<_> = FULL
            .iter()
            .copied()
            .filter(|(k, _)| *k != missing)
            .collect();
        let msg = config_message(ClientBuilder::from_lookup(env(&pairs)));
        assert_eq!(msg, format!("{missing} is not set"));
    }
    // set but blank counts as missing
    let mut pairs = FULL.to_vec();
    pairs[0] = ("GSALARY_APPID", "  ");
    assert_eq!(
        config_message(ClientBuilder::from_lookup(env(&pairs))),
        "GSALARY_APPID is not set"
    );
}

#[test]
fn malformed_values_are_named_without_echoing_them() {
    let mut pairs = FULL.to_vec();
    pairs[1] = (
        "GSALARY_PRIVATE_KEY",
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----",
    );
    let msg = config_message(ClientBuilder::from_lookup(env(&pairs)));
    assert!(msg.starts_with("GSALARY_PRIVATE_KEY is malformed"), "{msg}");
    assert!(!msg.contains("not a key"), "{msg}");

    let mut pairs = FULL.to_vec();
    pairs[2] = ("GSALARY_PLATFORM_PUBLIC_KEY", "/no/such/file.pem");
    let msg = config_message(ClientBuilder::from_lookup(env(&pairs)));
    assert!(
        msg.starts_with("GSALARY_PLATFORM_PUBLIC_KEY is malformed"),
        "{msg}"
    );

    let mut pairs = FULL.to_vec();
    pairs.push(("GSALARY_BASE_URL", "api.gsalary.com"));
    let msg = config_message(ClientBuilder::from_lookup(env(&pairs)));
    assert!(msg.starts_with("GSALARY_BASE_URL is malformed"), "{msg}");
}

#[test]
fn keys_may_be_file_paths_and_the_base_url_is_taken() {
    let dir = std::env::temp_dir().join(format!("wb-gs-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("merchant.pem");
    let platform = dir.join("platform.pem");
    std::fs::write(&key, MERCHANT_KEY).unwrap();
    std::fs::write(&platform, PLATFORM_PUBLIC).unwrap();
    let client = ClientBuilder::from_lookup(env(&[
        ("GSALARY_APPID", APPID),
        ("GSALARY_PRIVATE_KEY", key.to_str().unwrap()),
        ("GSALARY_PLATFORM_PUBLIC_KEY", platform.to_str().unwrap()),
        ("GSALARY_BASE_URL", "http://127.0.0.1:9/"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("http://127.0.0.1:9"), "{shown}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_builder_says_what_is_missing() {
    let msg = |b: ClientBuilder| match b.build().unwrap_err().kind() {
        ErrorKind::Config { message } => message.clone(),
        other => panic!("{other}"),
    };
    assert_eq!(msg(ClientBuilder::default()), "appid is required");
    assert_eq!(
        msg(ClientBuilder::default().appid("a")),
        "the merchant private key is required"
    );
    assert_eq!(
        msg(ClientBuilder::default()
            .appid("a")
            .private_key_pem(MERCHANT_KEY)),
        "the GSalary platform public key is required"
    );
    let bad = ClientBuilder::default()
        .appid("a")
        .private_key_pem("garbage")
        .platform_public_key_pem(PLATFORM_PUBLIC);
    assert!(msg(bad).contains("private key"));
    let bad_url = ClientBuilder::default()
        .appid("a")
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .environment(Environment::Custom("ftp://x".into()));
    assert!(msg(bad_url).contains("must start with http"));
}

#[test]
fn environments_have_the_documented_hosts() {
    assert_eq!(Environment::Test.base_url(), "https://api-test.gsalary.com");
    assert_eq!(
        Environment::Production.base_url(),
        "https://api.gsalary.com"
    );
    assert_eq!(
        Environment::Custom("http://localhost:8080/".into()).base_url(),
        "http://localhost:8080"
    );
}

#[test]
fn debug_shows_no_key_material() {
    let client = client_with(std::sync::Arc::new(
        walletbridge_core::test_util::MockTransport::new(),
    ));
    let builder = ClientBuilder::default()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY);
    let shown = format!("{client:?} {builder:?}");
    let key_body: String = MERCHANT_KEY.lines().nth(1).unwrap().to_owned();
    assert!(!shown.contains(&key_body), "{shown}");
    assert!(shown.contains(APPID));
}

#[test]
fn request_ids_come_from_the_injected_source() {
    let client = ClientBuilder::default()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .transport(std::sync::Arc::new(
            walletbridge_core::test_util::MockTransport::new(),
        ))
        .id_source(std::sync::Arc::new(walletbridge_core::SequentialIds::new(
            "req_",
        )))
        .build()
        .unwrap();
    assert_eq!(client.new_request_id(), "req_1");
    assert_eq!(client.new_request_id(), "req_2");
    // the default source gives ids GSalary accepts
    let random = client_with(std::sync::Arc::new(
        walletbridge_core::test_util::MockTransport::new(),
    ))
    .new_request_id();
    assert!(walletbridge_gsalary::validate::request_id("request_id", &random).is_ok());
}

#[test]
fn the_environment_comes_from_gsalary_environment_and_the_base_url_wins() {
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = FULL.to_vec();
        pairs.extend_from_slice(extra);
        ClientBuilder::from_lookup(env(&pairs))
    };
    let prod = with(&[("GSALARY_ENVIRONMENT", "production")])
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(prod.environment(), "production");
    assert_eq!(prod.base_url(), "https://api.gsalary.com");
    let shown = format!("{prod:?}");
    assert!(
        shown.contains("production") && shown.contains("https://api.gsalary.com"),
        "{shown}"
    );
    let test = with(&[]).unwrap().build().unwrap();
    assert_eq!(
        (test.environment(), test.base_url()),
        ("test", "https://api-test.gsalary.com")
    );
    let proxied = with(&[
        ("GSALARY_ENVIRONMENT", "production"),
        ("GSALARY_BASE_URL", "http://127.0.0.1:9"),
    ])
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(
        (proxied.environment(), proxied.base_url()),
        ("custom", "http://127.0.0.1:9")
    );
    let msg = config_message(with(&[("GSALARY_ENVIRONMENT", "staging")]));
    assert!(msg.contains("GSALARY_ENVIRONMENT"), "{msg}");
}

#[tokio::test]
async fn errors_carry_the_calls_ids() {
    let client = client_with(signed_transport(
        200,
        serde_json::json!({"result": {"result": "F", "code": "CARD_NOT_FOUND", "message": "no"}})
            .to_string(),
    ));
    let err = client.cards().get("card-42").await.unwrap_err();
    assert_eq!(err.id("card_id"), Some("card-42"));
}

#[tokio::test]
async fn check_platform_key_accepts_a_verified_answer_and_names_a_wrong_key() {
    let ok = client_with(signed_transport(
        200,
        ok_body(serde_json::json!({"currency": "USD", "amount": 1})),
    ));
    ok.check_platform_key().await.unwrap();
    // A signed refusal also proves the key.
    let refused = client_with(signed_transport(
        200,
        serde_json::json!({"result": {"result": "F", "code": "X", "message": "no"}}).to_string(),
    ));
    refused.check_platform_key().await.unwrap();
    // An answer signed by another key: the platform key does not match.
    let other = std::sync::Arc::new(walletbridge_core::test_util::MockTransport::with_responder(
        |req: &walletbridge_core::HttpRequest| {
            let body = ok_body(serde_json::json!({"currency": "USD", "amount": 1}));
            let auth = answer_signature(
                MERCHANT_KEY,
                req.method.as_str(),
                &walletbridge_gsalary::signing::unescaped_path_and_query(req.path_and_query()),
                &body,
            );
            Ok(walletbridge_core::HttpResponse::new(200, body).header("Authorization", auth))
        },
    ));
    let err = client_with(other).check_platform_key().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Signature { .. }), "{err}");
}
