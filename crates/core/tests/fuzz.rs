//! Bounded fuzzing of everything that reads untrusted or user-given text:
//! key loaders, amounts, wire encodings, error redaction. No input may panic.
//!
//! Every test here is named `fuzz_*` and runs `WALLETBRIDGE_FUZZ_CASES`
//! cases (256 by default; CI runs tens of thousands).
#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;
use walletbridge_core::encoding::{
    check_path_segment, decode_base64_lenient, encode_path_segment, path_segment, query_string,
};
use walletbridge_core::money::{self, Fen, parse_decimal};
use walletbridge_core::{Error, RsaPrivateKey, RsaPublicKey};

fn cases() -> u32 {
    std::env::var("WALLETBRIDGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(256)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const PKCS8: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/keys/merchant_pkcs8.pem"
));
const SPKI: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/keys/merchant_spki.pem"
));

/// The DER inside a PEM block.
fn der_of(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    decode_base64_lenient(&body).unwrap()
}

/// A valid DER with some bytes changed, some cut off, or some inserted.
fn mutated(der: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = der.len();
    (
        prop::collection::vec((0..len, any::<u8>()), 0..6),
        0..=len,
        prop::option::of((0..len, prop::collection::vec(any::<u8>(), 1..8))),
    )
        .prop_map(move |(flips, cut, insert)| {
            let mut d = der.clone();
            for (i, b) in flips {
                d[i] = b;
            }
            if let Some((at, bytes)) = insert {
                d.splice(at..at, bytes);
            }
            d.truncate(cut.max(d.len().saturating_sub(len - cut)));
            d
        })
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = walletbridge_core::encoding::base64_encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_key_parsers_on_arbitrary_text(text in ".{0,300}") {
        let _ = RsaPrivateKey::parse(&text);
        let _ = RsaPublicKey::parse(&text);
        let armoured = format!("-----BEGIN PRIVATE KEY-----\n{text}\n-----END PRIVATE KEY-----");
        let _ = RsaPrivateKey::parse(&armoured);
        let armoured = format!("-----BEGIN PUBLIC KEY-----\n{text}\n-----END PUBLIC KEY-----");
        let _ = RsaPublicKey::parse(&armoured);
    }

    #[test]
    fn fuzz_private_key_parser_on_damaged_keys(der in mutated(der_of(PKCS8))) {
        for text in [pem("PRIVATE KEY", &der), pem("RSA PRIVATE KEY", &der),
                     walletbridge_core::encoding::base64_encode(&der)] {
            if let Err(e) = RsaPrivateKey::parse(&text) {
                // Errors never quote the key.
                let msg = format!("{e} {e:?}");
                let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
                if body.len() >= 32 {
                    prop_assert!(!msg.contains(&body[..32]));
                }
            }
        }
        let _ = RsaPrivateKey::from_der(&der);
    }

    #[test]
    fn fuzz_public_key_parser_on_damaged_keys(der in mutated(der_of(SPKI))) {
        let _ = RsaPublicKey::parse(&pem("PUBLIC KEY", &der));
        let _ = RsaPublicKey::parse(&pem("RSA PUBLIC KEY", &der));
        let _ = RsaPublicKey::from_der(&der);
    }

    #[test]
    fn fuzz_parse_decimal_is_exact_or_an_error(
        text in prop_oneof![
            ".{0,40}",
            "[+-]?[0-9]{0,32}(\\.[0-9]{0,32})?",
        ],
        max in prop::option::of(0u32..30),
    ) {
        if let Ok(v) = parse_decimal(&text, max) {
            // What was read is what was written: reading it back gives the
            // same value, and rust_decimal's exact parser agrees.
            prop_assert_eq!(parse_decimal(&v.to_string(), None).unwrap(), v);
            let plain = text.trim().trim_start_matches('+');
            if let Ok(exact) = Decimal::from_str_exact(plain) {
                prop_assert_eq!(exact, v);
            }
            if let Some(m) = max {
                prop_assert!(v.normalize().scale() <= m);
            }
        }
    }

    #[test]
    fn fuzz_fen_from_yuan_never_panics(
        lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
        negative in any::<bool>(), scale in 0u32..=28,
    ) {
        let yuan = Decimal::from_parts(lo, mid, hi, negative, scale);
        if let Ok(fen) = Fen::from_yuan("amount", yuan) {
            prop_assert_eq!(fen.to_yuan(), yuan);
        }
        let _ = money::to_fixed(yuan, 2);
        let _ = money::check_scale("amount", yuan, 2);
    }

    #[test]
    fn fuzz_amount_serde_helpers_on_arbitrary_json(
        value in prop_oneof![
            // JSON numbers, including ones no f64 holds exactly.
            "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?",
            // Strings, numbers in strings, and other JSON values.
            "\"[^\"\\\\]{0,20}\"",
            "\"-?[0-9]{0,20}(\\.[0-9]{0,20})?\"",
            Just("null".to_owned()), Just("true".to_owned()), Just("[]".to_owned()),
            Just("{}".to_owned()), Just("{\"a\":1}".to_owned()),
            ".{0,20}",
        ],
    ) {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Amounts {
            #[serde(with = "money::number")]
            a: Decimal,
        }
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Optional {
            #[serde(with = "money::lenient::option", default)]
            a: Option<Decimal>,
        }
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Fixed {
            #[serde(with = "money::string2")]
            a: Decimal,
        }
        let text = format!("{{\"a\": {value}}}");
        let number = serde_json::from_str::<Amounts>(&text);
        let _ = serde_json::from_str::<Optional>(&text);
        let _ = serde_json::from_str::<Fixed>(&text);
        let _ = serde_json::from_slice::<Amounts>(text.as_bytes());
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            let _ = serde_json::from_value::<Amounts>(v.clone());
            let _ = serde_json::from_value::<Optional>(v);
        }
        // A JSON number that decodes is decoded exactly.
        if let Ok(n) = number
            && !value.contains(['e', 'E', '"'])
            && let Ok(exact) = Decimal::from_str_exact(&value)
        {
            prop_assert_eq!(n.a, exact);
        }
    }

    #[test]
    fn fuzz_path_segments_stay_one_segment(id in ".{0,24}") {
        let allowed = check_path_segment("id", &id).is_ok();
        prop_assert_eq!(allowed, !matches!(id.as_str(), "" | "." | ".."));
        let encoded = encode_path_segment(&id);
        prop_assert!(!encoded.contains('/') && !encoded.contains('?') && !encoded.contains('#'));
        if let Ok(seg) = path_segment("id", &id) {
            // The URL parser sends exactly the path that was built (and signed).
            let path = format!("/v1/cards/{seg}/freeze");
            let url = reqwest::Url::parse(&format!("http://127.0.0.1{path}")).unwrap();
            prop_assert_eq!(url.path(), path.as_str());
        }
    }

    #[test]
    fn fuzz_query_strings_are_sent_as_built(
        pairs in prop::collection::vec(("[a-z_]{1,8}", ".{0,16}"), 0..5),
    ) {
        let pairs: Vec<(String, String)> = pairs;
        let q = query_string(&pairs);
        let url = reqwest::Url::parse(&format!("http://127.0.0.1/v1/x?{q}")).unwrap();
        prop_assert_eq!(url.query().unwrap_or(""), q.as_str());
    }

    #[test]
    fn fuzz_text_helpers_never_panic(text in ".{0,64}", bytes in prop::collection::vec(any::<u8>(), 0..700)) {
        let _ = decode_base64_lenient(&text);
        let _ = walletbridge_core::error::snippet(&bytes);
        let _ = walletbridge_core::transport::check_header_value(&text, &text);
        let _ = walletbridge_core::transport::path_and_query(&text);
        let _ = walletbridge_core::HttpRequest::new(walletbridge_core::Method::Get, text.clone()).path();
    }

    #[test]
    fn fuzz_withheld_decode_errors_never_quote_the_value(secret in "[A-Za-z0-9]{12,24}", kind in 0usize..5) {
        let message = match kind {
            0 => format!("invalid type: string \"{secret}\", expected a string at line 1 column 9"),
            1 => format!("invalid value: integer `{secret}`, expected u32"),
            2 => format!("unknown variant `{secret}`, expected one of `a`, `b`"),
            3 => format!("`{secret}` is not a decimal number"),
            _ => format!("{secret}, expected {secret}"),
        };
        let err = Error::decode(".pan", message, secret.as_bytes()).withhold_body();
        let text = format!("{err} {err:?}");
        prop_assert!(!text.contains(&secret), "{}", text);
    }
}
