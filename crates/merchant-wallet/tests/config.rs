//! Configuration: the builder's rules and `from_env`, which names what is
//! missing and never echoes a value.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use walletbridge_merchant_wallet::{Client, ClientBuilder};

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

fn config_error(result: walletbridge_core::Result<ClientBuilder>) -> String {
    let err = result.unwrap_err();
    assert!(
        matches!(err.kind(), walletbridge_core::ErrorKind::Config { .. }),
        "{err}"
    );
    err.to_string()
}

#[test]
fn from_env_reads_credentials_or_a_token() {
    let b = ClientBuilder::from_lookup(env(&[
        ("MERCHANT_WALLET_BASE_URL", "https://shop.example.com/"),
        ("MERCHANT_WALLET_USERNAME", "shop-user-1"),
        ("MERCHANT_WALLET_PASSWORD", "shop-pass-1"),
    ]))
    .unwrap();
    let text = format!("{b:?}");
    assert!(
        !text.contains("shop-user-1") && !text.contains("shop-pass-1"),
        "{text}"
    );
    let client = b.build().unwrap();
    assert_eq!(client.base_url(), "https://shop.example.com");
    let b = ClientBuilder::from_lookup(env(&[
        ("MERCHANT_WALLET_BASE_URL", "http://127.0.0.1:8787"),
        ("MERCHANT_WALLET_TOKEN", "env-token-xyz"),
    ]))
    .unwrap();
    assert!(!format!("{b:?}").contains("env-token-xyz"));
    b.build().unwrap();
}

#[test]
fn from_env_names_what_is_missing() {
    let cases: [(&'static [(&'static str, &'static str)], &str); 7] = [
        (&[], "MERCHANT_WALLET_BASE_URL is not set"),
        (
            &[("MERCHANT_WALLET_BASE_URL", "ftp://x")],
            "MERCHANT_WALLET_BASE_URL is malformed",
        ),
        (
            &[("MERCHANT_WALLET_BASE_URL", "https://x.example")],
            "MERCHANT_WALLET_USERNAME and MERCHANT_WALLET_PASSWORD (or MERCHANT_WALLET_TOKEN) are not set",
        ),
        (
            &[
                ("MERCHANT_WALLET_BASE_URL", "https://x.example"),
                ("MERCHANT_WALLET_USERNAME", "u"),
            ],
            "MERCHANT_WALLET_PASSWORD is not set",
        ),
        (
            &[
                ("MERCHANT_WALLET_BASE_URL", "https://x.example"),
                ("MERCHANT_WALLET_PASSWORD", "secret-pw-1"),
            ],
            "MERCHANT_WALLET_USERNAME is not set",
        ),
        (
            &[
                ("MERCHANT_WALLET_BASE_URL", "https://x.example"),
                ("MERCHANT_WALLET_USERNAME", "u"),
                ("MERCHANT_WALLET_PASSWORD", "  "),
            ],
            "MERCHANT_WALLET_PASSWORD is not set",
        ),
        (
            &[
                ("MERCHANT_WALLET_BASE_URL", "https://x.example"),
                ("MERCHANT_WALLET_USERNAME", "u"),
                ("MERCHANT_WALLET_PASSWORD", "secret-pw-1"),
                ("MERCHANT_WALLET_TOKEN", "t"),
            ],
            "not both",
        ),
    ];
    for (pairs, want) in cases {
        let text = config_error(ClientBuilder::from_lookup(env(pairs)));
        assert!(text.contains(want), "{pairs:?}: {text}");
        assert!(!text.contains("secret-pw-1"), "{text}");
    }
}

#[test]
fn build_says_what_is_wrong() {
    let err = |b: ClientBuilder| b.build().unwrap_err().to_string();
    assert!(err(Client::builder().token(TOKEN)).contains("base_url is required"));
    assert!(
        err(Client::builder().base_url("shop.example.com").token(TOKEN))
            .contains("base_url is malformed")
    );
    assert!(
        err(Client::builder().base_url(BASE))
            .contains("credentials (username and password) or a token are required")
    );
    assert!(
        err(Client::builder()
            .base_url(BASE)
            .token(TOKEN)
            .credentials("u", "p"))
        .contains("not several")
    );
    assert!(err(Client::builder().base_url(BASE).credentials("u", "")).contains("not blank"));
    assert!(err(Client::builder().base_url(BASE).token(" ")).contains("token is blank"));
    // A pasted line break in the token is a configuration error now, and quoted nowhere.
    let text = err(Client::builder()
        .base_url(BASE)
        .token("tok-part-1\r\nX-Evil: 1"));
    assert!(
        text.contains("token is malformed") && !text.contains("tok-part-1"),
        "{text}"
    );
}

#[test]
fn a_custom_token_source_is_used_as_is() {
    let transport = page_transport();
    let client = Client::builder()
        .base_url(BASE)
        .token_source(std::sync::Arc::new(walletbridge_core::StaticToken::new(
            "from-source",
        )))
        .transport(transport.clone())
        .build()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(client.wallet().balance()).unwrap();
    assert_eq!(
        transport
            .last_request()
            .unwrap()
            .header_value("Authorization"),
        Some("Bearer from-source")
    );
}
