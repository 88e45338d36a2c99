//! The signing routines the sandbox shares with the client crates, checked
//! against vectors made by the openssl CLI alone (tests/fixtures/vectors/make.sh),
//! so that one bug shared by both sides cannot hide itself.

use std::path::PathBuf;

use walletbridge_core::encoding::base64_encode;
use walletbridge_core::{
    HashAlgorithm, RsaPrivateKey, RsaPublicKey, RsaSigner, RsaVerifier, Signer, Verifier,
};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(path: &str) -> String {
    String::from_utf8(read(path)).expect("utf-8")
}

#[test]
fn rsa_signatures_match_openssl() {
    let list = text("vectors/vectors.tsv");
    let mut n = 0;
    for line in list.lines().filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (name, key, digest) = (cols[0], cols[1], cols[2]);
        let hash = if digest == "sha1" {
            HashAlgorithm::Sha1
        } else {
            HashAlgorithm::Sha256
        };
        let message = read(&format!("vectors/{name}.txt"));
        let want = text(&format!("vectors/{name}.sig"));
        let private = RsaPrivateKey::parse(&text(&format!("keys/{key}"))).expect("key");
        let ours = RsaSigner::new(&private, hash)
            .expect("signer")
            .sign(&message)
            .expect("sign");
        assert_eq!(
            base64_encode(&ours),
            want.trim(),
            "{name}: our signature differs from openssl's"
        );
        let public =
            RsaPublicKey::parse(&text(&format!("keys/{}", key.replace("private", "public"))))
                .expect("public");
        let sig = walletbridge_core::encoding::decode_base64_lenient(want.trim()).expect("b64");
        RsaVerifier::new(public, hash)
            .verify(&message, &sig)
            .expect("openssl's signature verifies");
        n += 1;
    }
    assert_eq!(n, 6);
}

#[test]
fn gsalary_signing_strings_match_the_independent_ones() {
    use walletbridge_gsalary::signing;
    let body = read("vectors/gsalary_post_body.json");
    let s = signing::signing_string(
        "POST",
        "/v1/cards/balance_modifies",
        "sandbox-gsalary-appid",
        1716888888888,
        Some(&body),
    );
    assert_eq!(s.as_bytes(), read("vectors/gsalary_post.txt"));
    // What a server verifies: the request line's query, percent-decoded.
    let line = "/v1/cards?page=1&limit=20&create_start=2024-03-04T10%3A00%3A00%2B08%3A00";
    let path = signing::unescaped_path_and_query(line);
    let s = signing::signing_string("GET", &path, "sandbox-gsalary-appid", 1716888888888, None);
    assert_eq!(s.as_bytes(), read("vectors/gsalary_get.txt"));
    let answer = read("vectors/gsalary_answer_body.json");
    let s = signing::signing_string(
        "GET",
        "/v1/wallets/balance?currency=USD",
        "sandbox-gsalary-appid",
        1716888888999,
        Some(&answer),
    );
    assert_eq!(s.as_bytes(), read("vectors/gsalary_answer.txt"));
    // And the openssl-made answer signature passes the verification the sandbox's clients use.
    let public = RsaPublicKey::parse(&text("keys/gsalary-platform-public.pem")).expect("public");
    let sig = walletbridge_core::encoding::decode_base64_lenient(
        text("vectors/gsalary_answer.sig").trim(),
    )
    .expect("b64");
    let header = signing::authorization_header(1716888888999, &sig);
    let verifier = RsaVerifier::new(public, HashAlgorithm::Sha256);
    let t = signing::verify(
        &verifier,
        Some(&header),
        "GET",
        "/v1/wallets/balance?currency=USD",
        "sandbox-gsalary-appid",
        &answer,
    )
    .expect("verifies");
    assert_eq!(t, 1716888888999);
}

#[test]
fn adapay_signing_strings_match_the_independent_ones() {
    use walletbridge_adapay::signing;
    let body = br#"{"app_id":"app_sandbox","cash_amt":"0.10","cash_type":"T1","member_id":"0","order_no":"cash_0001"}"#;
    assert_eq!(
        signing::post_signing_string("http://127.0.0.1:8080/v1/cashs", body),
        read("vectors/adapay_post.txt")
    );
    assert_eq!(
        signing::get_signing_string(
            "http://127.0.0.1:8080/v1/settle_accounts/balance",
            "app_id=app_sandbox&member_id=0"
        )
        .as_bytes(),
        read("vectors/adapay_get.txt").as_slice()
    );
    let public = RsaPublicKey::parse(&text("keys/adapay-platform-public.pem")).expect("public");
    let verifier = RsaVerifier::new(public, HashAlgorithm::Sha1);
    signing::verify(
        &verifier,
        &read("vectors/adapay_answer.txt"),
        Some(text("vectors/adapay_answer.sig").trim()),
    )
    .expect("openssl's answer signature verifies");
}

#[test]
fn senior_sandbox_hmac_matches_openssl_and_the_client_crate() {
    let params: Vec<(String, String)> = [
        ("timestamp", "1700000000"),
        ("order_no", "SW202401010000000001"),
        ("access_token", "sandbox-access-token"),
        ("sign", "ignored"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let want = text("vectors/senior_hmac.hex");
    let ours = walletbridge_sandbox::senior::sandbox_sign("sandbox-sign-secret", &params);
    assert_eq!(ours, want.trim());
    let client = walletbridge_wallet_senior::SandboxHmacSigner::new("sandbox-sign-secret")
        .sign_params(&params)
        .expect("client sign");
    assert_eq!(client, want.trim());
}
