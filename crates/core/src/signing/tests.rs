#![allow(clippy::unwrap_used)]

use super::*;
use crate::ErrorKind;
use crate::encoding::base64_encode;

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path))
    };
}
macro_rules! key {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/keys/",
            $name
        ))
    };
}

const PKCS8: &str = key!("merchant_pkcs8.pem");
const PKCS1: &str = key!("merchant_pkcs1.pem");
const PKCS8_B64: &str = key!("merchant_pkcs8.b64");
const PKCS1_B64: &str = key!("merchant_pkcs1.b64");
const SPKI: &str = key!("merchant_spki.pem");
const SPKI_B64: &str = key!("merchant_spki.b64");
const RSAPUB: &str = key!("merchant_rsapub_pkcs1.pem");
const OTHER_SPKI: &str = key!("other_spki.pem");
const K4096: &str = key!("merchant4096_pkcs8.pem");
const K4096_SPKI: &str = key!("merchant4096_spki.pem");

const MSG1: &str = fixture!("tests/fixtures/vectors/message1.txt");
const MSG2: &str = fixture!("tests/fixtures/vectors/message2.txt");

fn b64(s: &str) -> Vec<u8> {
    crate::encoding::decode_base64_lenient(s).unwrap()
}

#[test]
fn every_private_key_form_loads_to_the_same_key() {
    let forms = [PKCS8, PKCS1, PKCS8_B64, PKCS1_B64];
    let sigs: Vec<Vec<u8>> = forms
        .iter()
        .map(|f| {
            RsaSigner::pure_rust(&RsaPrivateKey::parse(f).unwrap(), HashAlgorithm::Sha256)
                .sign(b"x")
                .unwrap()
        })
        .collect();
    assert!(sigs.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(RsaPrivateKey::parse(PKCS8).unwrap().bits(), 2048);
}

#[test]
fn every_public_key_form_loads_to_the_same_key() {
    let a = RsaPublicKey::parse(SPKI).unwrap();
    assert_eq!(a, RsaPublicKey::parse(SPKI_B64).unwrap());
    assert_eq!(a, RsaPublicKey::parse(RSAPUB).unwrap());
    assert_eq!(a, RsaPrivateKey::parse(PKCS8).unwrap().public_key());
}

#[test]
fn keys_load_from_files_and_from_text_or_path() {
    let dir = std::env::temp_dir().join(format!("wb-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("k.pem");
    std::fs::write(&path, PKCS1).unwrap();
    let from_file = RsaPrivateKey::from_file(&path).unwrap();
    let from_load = RsaPrivateKey::load(path.to_str().unwrap()).unwrap();
    assert_eq!(from_file.bits(), from_load.bits());
    let pub_path = dir.join("p.pem");
    std::fs::write(&pub_path, SPKI).unwrap();
    assert_eq!(
        RsaPublicKey::load(pub_path.to_str().unwrap()).unwrap(),
        RsaPublicKey::parse(SPKI).unwrap()
    );
    assert!(RsaPrivateKey::load(PKCS8).is_ok());
    let missing = RsaPrivateKey::load("/no/such/key.pem").unwrap_err();
    assert!(
        matches!(missing.kind(), ErrorKind::Config { .. }),
        "{missing}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn broken_keys_are_errors_not_panics() {
    let truncated = &PKCS8[..PKCS8.len() / 2];
    for bad in [
        "",
        "hello",
        truncated,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
        &"QUFB".repeat(40),
    ] {
        let e = RsaPrivateKey::parse(bad).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Config { .. }), "{bad:?}: {e}");
    }
    assert!(RsaPublicKey::parse(&SPKI[..100]).is_err());
    assert!(
        RsaPublicKey::parse(PKCS8).is_err(),
        "a private key is not a public key"
    );
    // Errors never echo key material.
    let e = RsaPrivateKey::parse(truncated).unwrap_err().to_string();
    assert!(!e.contains(&PKCS8[40..80]), "{e}");
}

#[test]
fn debug_never_shows_key_material() {
    let k = RsaPrivateKey::parse(PKCS8).unwrap();
    let s = format!(
        "{k:?} {:?}",
        RsaSigner::new(&k, HashAlgorithm::Sha256).unwrap()
    );
    assert!(s.contains("2048 bits") && s.contains("[REDACTED]"), "{s}");
    assert!(!s.contains("MII"), "{s}");
}

#[test]
fn sha256_signatures_match_openssl_vectors() {
    let key = RsaPrivateKey::parse(PKCS8).unwrap();
    for (msg, expected) in [
        (MSG1, fixture!("tests/fixtures/vectors/message1.sha256.b64")),
        (MSG2, fixture!("tests/fixtures/vectors/message2.sha256.b64")),
    ] {
        let fast = RsaSigner::new(&key, HashAlgorithm::Sha256)
            .unwrap()
            .sign(msg.as_bytes())
            .unwrap();
        let pure = RsaSigner::pure_rust(&key, HashAlgorithm::Sha256)
            .sign(msg.as_bytes())
            .unwrap();
        assert_eq!(base64_encode(&fast), expected.trim());
        assert_eq!(base64_encode(&pure), expected.trim());
    }
}

#[test]
fn sha256_4096_signatures_match_openssl_vectors() {
    let key = RsaPrivateKey::parse(K4096).unwrap();
    let sig = RsaSigner::new(&key, HashAlgorithm::Sha256)
        .unwrap()
        .sign(MSG1.as_bytes())
        .unwrap();
    assert_eq!(
        base64_encode(&sig),
        fixture!("tests/fixtures/vectors/message1.4096.sha256.b64").trim()
    );
    let v = RsaVerifier::new(
        RsaPublicKey::parse(K4096_SPKI).unwrap(),
        HashAlgorithm::Sha256,
    );
    v.verify(MSG1.as_bytes(), &sig).unwrap();
}

#[test]
fn sha1_signatures_match_openssl_vectors() {
    let key = RsaPrivateKey::parse(PKCS1).unwrap();
    for (msg, expected) in [
        (MSG1, fixture!("tests/fixtures/vectors/message1.sha1.b64")),
        (MSG2, fixture!("tests/fixtures/vectors/message2.sha1.b64")),
    ] {
        let sig = RsaSigner::new(&key, HashAlgorithm::Sha1)
            .unwrap()
            .sign(msg.as_bytes())
            .unwrap();
        assert_eq!(base64_encode(&sig), expected.trim());
    }
}

#[test]
fn verifier_accepts_openssl_and_rejects_tampering_and_other_keys() {
    let pk = RsaPublicKey::parse(SPKI).unwrap();
    let v256 = RsaVerifier::new(pk.clone(), HashAlgorithm::Sha256);
    let v1 = RsaVerifier::new(pk, HashAlgorithm::Sha1);
    let s256 = b64(fixture!("tests/fixtures/vectors/message2.sha256.b64"));
    let s1 = b64(fixture!("tests/fixtures/vectors/message2.sha1.b64"));
    v256.verify(MSG2.as_bytes(), &s256).unwrap();
    v1.verify(MSG2.as_bytes(), &s1).unwrap();
    // wrong hash, tampered message, other key, garbage
    assert!(v256.verify(MSG2.as_bytes(), &s1).is_err());
    let tampered = MSG2.replace("0.01", "0.02");
    let e = v1.verify(tampered.as_bytes(), &s1).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::Signature {
            problem: SignatureProblem::Mismatch,
            ..
        }
    ));
    let other = RsaVerifier::new(
        RsaPublicKey::parse(OTHER_SPKI).unwrap(),
        HashAlgorithm::Sha1,
    );
    assert!(other.verify(MSG2.as_bytes(), &s1).is_err());
    assert!(v1.verify(MSG2.as_bytes(), b"").is_err());
    assert!(v1.verify(MSG2.as_bytes(), &[0u8; 300]).is_err());
}

#[cfg(feature = "aws-lc")]
#[test]
fn sha256_uses_aws_lc_when_built_with_it() {
    let key = RsaPrivateKey::parse(PKCS8).unwrap();
    assert_eq!(
        RsaSigner::new(&key, HashAlgorithm::Sha256)
            .unwrap()
            .backend_name(),
        "aws-lc-rs"
    );
    assert_eq!(
        RsaSigner::new(&key, HashAlgorithm::Sha1)
            .unwrap()
            .backend_name(),
        "rsa"
    );
}

#[test]
fn pem_stored_with_literal_newline_escapes_loads() {
    // As a dotenv file holds it: one line, `\n` written out, maybe quoted.
    let escaped = PKCS8.trim().replace('\n', "\\n");
    assert!(!escaped.contains('\n'));
    let want = RsaPrivateKey::parse(PKCS8).unwrap().public_key();
    for text in [
        escaped.clone(),
        format!("\"{escaped}\""),
        format!("'{escaped}\\n'"),
        PKCS8.replace('\n', "\\r\\n"),
    ] {
        assert_eq!(RsaPrivateKey::parse(&text).unwrap().public_key(), want);
        assert_eq!(RsaPrivateKey::load(&text).unwrap().public_key(), want);
    }
    let spki = SPKI.trim().replace('\n', "\\n");
    assert_eq!(RsaPublicKey::parse(&spki).unwrap(), want);
    assert_eq!(RsaPublicKey::load(&format!("\"{spki}\"")).unwrap(), want);
}

#[test]
fn key_file_errors_name_the_path_and_the_reason() {
    let missing = "/no/such/dir/merchant_key.pem";
    for err in [
        RsaPrivateKey::load(missing).unwrap_err(),
        RsaPrivateKey::from_file(missing).unwrap_err(),
        RsaPublicKey::load(missing).unwrap_err(),
        RsaPublicKey::from_file(missing).unwrap_err(),
    ] {
        let text = err.to_string();
        assert!(text.contains(missing), "{text}");
        assert!(
            text.contains("No such file") || text.contains("os error"),
            "{text}"
        );
        assert!(matches!(err.kind(), ErrorKind::Config { .. }), "{text}");
    }
    let relative = RsaPrivateKey::load("keys/merchant.key")
        .unwrap_err()
        .to_string();
    assert!(relative.contains("keys/merchant.key"), "{relative}");
    // A directory is named with the OS's reason too.
    let dir = std::env::temp_dir();
    let e = RsaPrivateKey::from_file(&dir).unwrap_err().to_string();
    assert!(e.contains(&dir.display().to_string()), "{e}");
}

#[test]
fn text_that_is_neither_key_nor_path_is_not_echoed() {
    // Another secret given by mistake, or a key with a stray character.
    let api_key = "api_live_7Hq2ZrX9wK";
    let e = RsaPrivateKey::load(api_key).unwrap_err().to_string();
    assert!(!e.contains(api_key), "{e}");
    assert!(e.contains("not shown"), "{e}");
    let broken = PKCS8_B64.trim().replacen('A', "!", 1);
    let e = RsaPrivateKey::load(&broken).unwrap_err().to_string();
    assert!(!e.contains(&broken[10..40]), "{e}");
    let e = RsaPublicKey::load(&broken).unwrap_err().to_string();
    assert!(!e.contains(&broken[10..40]), "{e}");
}
