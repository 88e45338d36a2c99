//! Configuration: builder, environment, defaults, redaction.
#![allow(clippy::unwrap_used)]
mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::*;
use walletbridge_adapay::config::DEFAULT_PLATFORM_PUBLIC_KEY;
use walletbridge_adapay::{Client, ClientBuilder};
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{ErrorKind, RsaPublicKey};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

fn config_message(r: walletbridge_core::Result<ClientBuilder>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => match e.kind() {
            ErrorKind::Config { message } => message.clone(),
            other => format!("not a config error: {other}"),
        },
    }
}

const FULL: &[(&str, &str)] = &[
    ("ADAPAY_API_KEY", API_KEY),
    ("ADAPAY_APP_ID", APP_ID),
    ("ADAPAY_PRIVATE_KEY", MERCHANT_KEY),
];

#[test]
fn from_lookup_names_what_is_missing() {
    for missing in ["ADAPAY_API_KEY", "ADAPAY_APP_ID", "ADAPAY_PRIVATE_KEY"] {
        let pairs: Vec<_> = FULL
            .iter()
            .copied()
            .filter(|(k, _)| *k != missing)
            .collect();
        assert_eq!(
            config_message(ClientBuilder::from_lookup(env(&pairs))),
            format!("{missing} is not set")
        );
        // blank counts as missing
        let mut blank = pairs.clone();
        blank.push((missing, "  "));
        assert_eq!(
            config_message(ClientBuilder::from_lookup(env(&blank))),
            format!("{missing} is not set")
        );
    }
}

#[test]
fn from_lookup_names_what_is_malformed() {
    let with = |k: &'static str, v: &'static str| {
        let mut p = FULL.to_vec();
        p.push((k, v));
        ClientBuilder::from_lookup(env(&p))
    };
    let m = config_message(with(
        "ADAPAY_PLATFORM_PUBLIC_KEY",
        "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----",
    ));
    assert!(
        m.starts_with("ADAPAY_PLATFORM_PUBLIC_KEY is malformed"),
        "{m}"
    );
    let m = config_message(with("ADAPAY_BASE_URL", "api.adapay.tech"));
    assert!(m.starts_with("ADAPAY_BASE_URL is malformed"), "{m}");
    let m = config_message(with("ADAPAY_PAGE_URL", "https://page.adapay.tech/?x=1"));
    assert!(m.starts_with("ADAPAY_PAGE_URL is malformed"), "{m}");
    let mut p = FULL.to_vec();
    p[2] = ("ADAPAY_PRIVATE_KEY", "/no/such/key.pem");
    let m = config_message(ClientBuilder::from_lookup(env(&p)));
    assert!(m.starts_with("ADAPAY_PRIVATE_KEY is malformed"), "{m}");
    let mut p = FULL.to_vec();
    p[1] = ("ADAPAY_APP_ID", "app id with spaces");
    let m = config_message(ClientBuilder::from_lookup(env(&p)));
    assert!(m.starts_with("ADAPAY_APP_ID is malformed"), "{m}");
}

#[test]
fn from_lookup_reads_a_key_file_and_every_variable() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/keys/merchant_pkcs1.pem"
    );
    let platform = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/keys/platform_spki.pem"
    );
    let b = ClientBuilder::from_lookup(env(&[
        ("ADAPAY_API_KEY", API_KEY),
        ("ADAPAY_APP_ID", APP_ID),
        ("ADAPAY_PRIVATE_KEY", path),
        ("ADAPAY_PLATFORM_PUBLIC_KEY", platform),
        ("ADAPAY_BASE_URL", "http://127.0.0.1:9/"),
        ("ADAPAY_PAGE_URL", "http://127.0.0.1:10"),
    ]))
    .unwrap();
    let client = b.transport(Arc::new(MockTransport::new())).build().unwrap();
    assert_eq!(client.app_id(), APP_ID);
    assert_eq!(client.wallet_page_url(), "http://127.0.0.1:10/wallet");
}

#[test]
fn build_requires_key_and_credentials_but_defaults_the_platform_key() {
    let t = || Arc::new(MockTransport::new());
    let err = Client::builder()
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .transport(t())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("api_key is required"), "{err}");
    let err = Client::builder()
        .api_key(API_KEY)
        .private_key_pem(MERCHANT_KEY)
        .transport(t())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("app_id is required"), "{err}");
    let err = Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .transport(t())
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("merchant private key is required"),
        "{err}"
    );
    let err = Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem("not a key")
        .transport(t())
        .build()
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config { .. }), "{err}");
    // no platform key given: the one the official SDKs ship
    let client = Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .transport(t())
        .build();
    assert!(client.is_ok());
    assert_eq!(
        RsaPublicKey::parse(DEFAULT_PLATFORM_PUBLIC_KEY)
            .unwrap()
            .bits(),
        1024
    );
}

#[test]
fn debug_never_shows_secrets() {
    let client = client_with(Arc::new(MockTransport::new()));
    let text = format!("{client:?} {:?}", Client::builder().api_key(API_KEY));
    assert!(!text.contains(API_KEY), "{text}");
    assert!(text.contains(APP_ID), "{text}");
}

#[test]
fn several_merchants_are_several_clients() {
    let t = Arc::new(MockTransport::new());
    let a = client_with(t.clone());
    let b = Client::builder()
        .api_key("api_live_other")
        .app_id("app_other")
        .private_key_pem(OTHER_KEY)
        .transport(t)
        .build()
        .unwrap();
    assert_ne!(a.app_id(), b.app_id());
}

#[test]
fn order_numbers_come_from_the_injected_source() {
    let client = Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .transport(Arc::new(MockTransport::new()))
        .id_source(Arc::new(walletbridge_core::SequentialIds::new("cash_")))
        .build()
        .unwrap();
    assert_eq!(client.new_order_no(), "cash_1");
    assert_eq!(client.new_order_no(), "cash_2");
    // the default source gives order numbers Adapay accepts: letters, digits, underscore
    let random = client_with(Arc::new(MockTransport::new())).new_order_no();
    assert!(!random.is_empty() && random.len() <= 64);
    assert!(
        random
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "{random}"
    );
}
