//! The signature tools against the library and the committed vectors.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn keys(name: &str) -> PathBuf {
    root().join("tests/fixtures/keys").join(name)
}

fn gs(name: &str) -> PathBuf {
    root()
        .join("crates/gsalary/tests/fixtures/signatures")
        .join(name)
}

fn ad(name: &str) -> PathBuf {
    root()
        .join("crates/adapay/tests/fixtures/signatures")
        .join(name)
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).unwrap().trim().to_owned()
}

fn wb() -> Command {
    let mut c = Command::cargo_bin("walletbridge").unwrap();
    c.env_clear().env("HOME", "/nonexistent-home");
    c
}

/// The signature carried by an Authorization header value, as base64.
fn sig_of(header: &str) -> String {
    let enc = header.split("signature=").nth(1).unwrap().trim();
    enc.replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=")
}

/// The line of a vector's signing string that is the path (`GET /v1/...`).
fn request_line(vector: &str) -> (String, String) {
    let text = std::fs::read_to_string(gs(vector)).unwrap();
    let first = text.lines().next().unwrap().to_owned();
    let (m, p) = first.split_once(' ').unwrap();
    (m.to_owned(), p.to_owned())
}

fn gsalary_sign(method: &str, path: &str, body: Option<PathBuf>) -> String {
    let mut c = wb();
    c.args([
        "gsalary",
        "sign",
        "--appid",
        "gs_test_appid",
        "--private-key",
    ])
    .arg(keys("merchant_pkcs8.pem"))
    .args([
        "--method",
        method,
        "--path",
        path,
        "--timestamp",
        "1732241600000",
    ]);
    if let Some(b) = body {
        c.arg("--body-file").arg(b);
    }
    let out = c.assert().success().get_output().stdout.clone();
    let s = String::from_utf8(out).unwrap();
    assert_eq!(s.lines().count(), 1, "the header value alone: {s}");
    s.trim().to_owned()
}

#[test]
fn gsalary_sign_matches_every_committed_vector() {
    let post = gsalary_sign("POST", "/v1/exchange/quotes", Some(gs("post_body.json")));
    assert!(post.starts_with("algorithm=RSA2,time=1732241600000,signature="));
    assert_eq!(sig_of(&post), read(gs("post.sig.b64")));
    for v in ["get", "get_escaped", "get_offset"] {
        let (m, p) = request_line(&format!("{v}.txt"));
        let h = gsalary_sign(&m, &p, None);
        assert_eq!(sig_of(&h), read(gs(&format!("{v}.sig.b64"))), "{v}");
    }
}

#[test]
fn gsalary_sign_matches_the_library() {
    use walletbridge::core::{HashAlgorithm, RsaPrivateKey, RsaSigner};
    let key = RsaPrivateKey::from_file(keys("merchant_pkcs8.pem")).unwrap();
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha256).unwrap();
    let body = std::fs::read(gs("post_body.json")).unwrap();
    let lib = walletbridge::gsalary::signing::sign(
        &signer,
        "PUT",
        "/v1/cards/c1?x=1",
        "gs_test_appid",
        1732241600000,
        Some(&body),
    )
    .unwrap();
    let cli = gsalary_sign("put", "/v1/cards/c1?x=1", Some(gs("post_body.json")));
    assert_eq!(cli, lib);
}

#[test]
fn gsalary_sign_escaped_path_signs_the_unescaped_form() {
    let (m, p) = request_line("get_offset.txt");
    let escaped = p.replace('+', "%2B");
    let out = wb()
        .args([
            "gsalary",
            "sign",
            "--appid",
            "gs_test_appid",
            "--private-key",
        ])
        .arg(keys("merchant_pkcs8.pem"))
        .args([
            "--method",
            &m,
            "--path",
            &escaped,
            "--escaped",
            "--timestamp",
            "1732241600000",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        sig_of(&String::from_utf8(out).unwrap()),
        read(gs("get_offset.sig.b64"))
    );
}

#[test]
fn gsalary_explain_shows_the_signed_string_on_stderr() {
    wb().args([
        "gsalary",
        "sign",
        "--appid",
        "gs_test_appid",
        "--private-key",
    ])
    .arg(keys("merchant_pkcs8.pem"))
    .args([
        "--method",
        "POST",
        "--path",
        "/v1/exchange/quotes",
        "--timestamp",
        "1732241600000",
        "--explain",
        "--body-file",
    ])
    .arg(gs("post_body.json"))
    .assert()
    .success()
    .stdout(predicate::str::starts_with("algorithm=RSA2"))
    .stderr(predicate::str::contains(read(gs("post.txt"))))
    .stderr(predicate::str::contains(
        "body hash: l+6wH3WpeTzV6NfjThYykzajHpdB397Pdt7c7PEEh70=",
    ));
}

fn verify(
    path: &str,
    body: Option<PathBuf>,
    auth: &str,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    let mut c = wb();
    c.args([
        "gsalary",
        "verify",
        "--appid",
        "gs_test_appid",
        "--public-key",
    ])
    .arg(keys("platform_spki.pem"))
    .args(["--method", "GET", "--path", path, "--authorization", auth])
    .args(extra);
    if let Some(b) = body {
        c.arg("--body-file").arg(b);
    }
    c.assert()
}

#[test]
fn gsalary_verify_accepts_the_platform_answer_and_rejects_tampering() {
    let (_, path) = request_line("answer_escaped.txt");
    let sig = read(gs("answer_escaped.sig.b64"));
    let auth = format!("algorithm=RSA2,time=1732241600000,signature={sig}");
    verify(
        &path,
        Some(gs("answer_body.json")),
        &auth,
        &["--ignore-expiry"],
    )
    .success()
    .stdout("valid\n");
    verify(
        &path,
        Some(gs("answer_body.json")),
        &auth,
        &["--now", "1732241700000"],
    )
    .success()
    .stdout("valid\n");
    // Expired at the default (now).
    verify(&path, Some(gs("answer_body.json")), &auth, &[])
        .code(1)
        .stderr(predicate::str::contains("outside"));
    // Another body.
    verify(
        &path,
        Some(gs("post_body.json")),
        &auth,
        &["--ignore-expiry"],
    )
    .code(1)
    .stderr(predicate::str::contains("invalid"));
    // Another path.
    verify(
        "/v1/remittance/payees?limit=21",
        Some(gs("answer_body.json")),
        &auth,
        &["--ignore-expiry"],
    )
    .code(1);
    // Another time in the header.
    let other = auth.replace("time=1732241600000", "time=1732241600001");
    verify(
        &path,
        Some(gs("answer_body.json")),
        &other,
        &["--ignore-expiry"],
    )
    .code(1);
    // A malformed header.
    verify(
        &path,
        Some(gs("answer_body.json")),
        "algorithm=RSA2,signature=AQ==",
        &["--ignore-expiry"],
    )
    .code(1)
    .stderr(predicate::str::contains("no time"));
}

#[test]
fn adapay_sign_matches_the_vectors_and_the_library() {
    // GET: full URL + sorted parameters.
    let out = wb()
        .args(["adapay", "sign", "--private-key"])
        .arg(keys("merchant_pkcs8.pem"))
        .args([
            "--url",
            "https://api.adapay.tech/v1/settle_accounts/balance",
            "--param",
            "settle_account_id=0035172521665088",
            "--param",
            "member_id=member_1",
            "--param",
            "app_id=app_7d87c043-aae3-4357-9b2c-269349a980d6",
            "--param",
            "empty=",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap().trim(),
        read(ad("get_balance.sig"))
    );
    // POST: full URL + body bytes, the body file written as the vector's tail.
    let text = std::fs::read_to_string(ad("post_draw_cash.txt")).unwrap();
    let (url, body) = text.split_at(text.find('{').unwrap());
    let dir = tempfile::tempdir().unwrap();
    let body_file = dir.path().join("body.json");
    std::fs::write(&body_file, body).unwrap();
    let out = wb()
        .args(["adapay", "sign", "--private-key"])
        .arg(keys("merchant_pkcs8.pem"))
        .args(["--url", url, "--body-file"])
        .arg(&body_file)
        .arg("--explain")
        .assert()
        .success()
        .stderr(predicate::str::contains(text.as_str()))
        .get_output()
        .stdout
        .clone();
    let cli = String::from_utf8(out).unwrap().trim().to_owned();
    assert_eq!(cli, read(ad("post_draw_cash.sig")));
    use walletbridge::core::{HashAlgorithm, RsaPrivateKey, RsaSigner};
    let key = RsaPrivateKey::from_file(keys("merchant_pkcs8.pem")).unwrap();
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha1).unwrap();
    let lib = walletbridge::adapay::signing::sign(
        &signer,
        &walletbridge::adapay::signing::post_signing_string(url, body.as_bytes()),
    )
    .unwrap();
    assert_eq!(cli, lib);
}

#[test]
fn adapay_verify_accepts_valid_and_rejects_tampered() {
    let sig = read(ad("answer_balance_data.sig"));
    wb().args(["adapay", "verify", "--public-key"])
        .arg(keys("platform_spki.pem"))
        .arg("--data-file")
        .arg(ad("answer_balance_data.txt"))
        .args(["--signature", &sig])
        .assert()
        .success()
        .stdout("valid\n");
    let dir = tempfile::tempdir().unwrap();
    let tampered = dir.path().join("data.txt");
    let data = std::fs::read_to_string(ad("answer_balance_data.txt")).unwrap();
    std::fs::write(&tampered, data.replace("90.00", "99.00")).unwrap();
    wb().args(["adapay", "verify", "--public-key"])
        .arg(keys("platform_spki.pem"))
        .arg("--data-file")
        .arg(&tampered)
        .args(["--signature", &sig])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error: invalid"));
    // An editor's trailing newline is pointed out.
    std::fs::write(&tampered, format!("{data}\n")).unwrap();
    wb().args(["adapay", "verify", "--public-key"])
        .arg(keys("platform_spki.pem"))
        .arg("--data-file")
        .arg(&tampered)
        .args(["--signature", &sig])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line break"));
    // Signed by another key.
    wb().args(["adapay", "verify", "--public-key"])
        .arg(keys("other_spki.pem"))
        .arg("--data-file")
        .arg(ad("answer_balance_data.txt"))
        .args(["--signature", &sig])
        .assert()
        .code(1);
}

#[test]
fn keygen_writes_a_pair_the_sdk_reads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    // 2048 bits keeps the test fast; the default is 4096.
    wb().args(["gsalary", "keygen", "--bits", "2048", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("private_key.pem"));
    let private = std::fs::read_to_string(dir.path().join("private_key.pem")).unwrap();
    let public = std::fs::read_to_string(dir.path().join("public_key.pem")).unwrap();
    assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
    let key = walletbridge::core::RsaPrivateKey::parse(&private).unwrap();
    assert_eq!(key.bits(), 2048);
    assert_eq!(
        key.public_key(),
        walletbridge::core::RsaPublicKey::parse(&public).unwrap()
    );
    // The private key is printed nowhere.
    wb().args(["gsalary", "keygen", "--bits", "2048", "--out-dir"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    // A pair it signs with verifies.
    let auth = {
        let out = wb()
            .args(["gsalary", "sign", "--appid", "a", "--private-key"])
            .arg(dir.path().join("private_key.pem"))
            .args(["--method", "GET", "--path", "/v1/cards"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap().trim().to_owned()
    };
    wb().args(["gsalary", "verify", "--appid", "a", "--public-key"])
        .arg(dir.path().join("public_key.pem"))
        .args([
            "--method",
            "GET",
            "--path",
            "/v1/cards",
            "--authorization",
            &auth,
        ])
        .assert()
        .success()
        .stdout("valid\n");
}
