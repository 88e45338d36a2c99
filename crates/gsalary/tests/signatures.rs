//! GSalary signatures against vectors made by the openssl command line
//! (tests/fixtures/signatures/make.sh).
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use walletbridge_core::encoding::decode_base64_lenient;
use walletbridge_core::{HashAlgorithm, RsaPublicKey, RsaVerifier};
use walletbridge_gsalary::signing::{self, Authorization};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/signatures/",
            $name
        ))
    };
}

#[test]
fn signing_strings_match_the_ones_openssl_signed() {
    let post = signing::signing_string(
        "POST",
        "/v1/exchange/quotes",
        APPID,
        NOW_MS,
        Some(fixture!("post_body.json").as_bytes()),
    );
    assert_eq!(post, fixture!("post.txt"));
    let get = signing::signing_string(
        "GET",
        "/v1/wallets/transactions?limit=50&page=1&time_start=2024-03-04T10:00:00Z",
        APPID,
        NOW_MS,
        None,
    );
    assert_eq!(get, fixture!("get.txt"));
}

#[test]
fn the_sdk_signs_byte_for_byte_like_openssl() {
    for (text, sig) in [
        (fixture!("post.txt"), fixture!("post.sig.b64")),
        (fixture!("get.txt"), fixture!("get.sig.b64")),
    ] {
        let header = {
            let s =
                walletbridge_core::Signer::sign(&signer(MERCHANT_KEY), text.as_bytes()).unwrap();
            signing::authorization_header(NOW_MS, &s)
        };
        let parsed = Authorization::parse(&header).unwrap();
        assert_eq!(parsed.signature, decode_base64_lenient(sig.trim()).unwrap());
        assert_eq!(parsed.time, NOW_MS);
        // the header percent-encodes the base64
        assert!(!header.contains('+') && !header.contains('/'), "{header}");
    }
}

#[tokio::test]
async fn a_real_request_carries_the_openssl_signature() {
    let q = walletbridge_gsalary::wallet::TransactionsQuery::new()
        .limit(50)
        .time_start(dt("2024-03-04T10:00:00Z"));
    let data = serde_json::json!({"transactions": [], "page": 1, "limit": 50, "total_count": 0, "total_page": 0});
    let (req, _) = capture(data, |c| async move { c.wallet().transactions(&q).await }).await;
    let auth_line = req
        .lines()
        .find(|l| l.starts_with("Authorization: "))
        .unwrap();
    let parsed = Authorization::parse(auth_line.trim_start_matches("Authorization: ")).unwrap();
    assert_eq!(
        parsed.signature,
        decode_base64_lenient(fixture!("get.sig.b64").trim()).unwrap()
    );
}

#[test]
fn openssl_signatures_verify_as_answers() {
    let verifier = RsaVerifier::new(
        RsaPublicKey::parse(MERCHANT_PUBLIC).unwrap(),
        HashAlgorithm::Sha256,
    );
    let sig = fixture!("post.sig.b64").trim();
    // openssl writes plain base64; the header form percent-encodes it. Both are accepted.
    for encoded in [
        sig.to_owned(),
        sig.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D"),
    ] {
        let header = format!("algorithm=RSA2,time={NOW_MS},signature={encoded}");
        let t = signing::verify(
            &verifier,
            Some(&header),
            "POST",
            "/v1/exchange/quotes",
            APPID,
            fixture!("post_body.json").as_bytes(),
        )
        .unwrap();
        assert_eq!(t, NOW_MS);
    }
    let tampered = fixture!("post_body.json").replace("100.5", "100.6");
    let header = format!("algorithm=RSA2,time={NOW_MS},signature={sig}");
    assert!(
        signing::verify(
            &verifier,
            Some(&header),
            "POST",
            "/v1/exchange/quotes",
            APPID,
            tampered.as_bytes()
        )
        .is_err()
    );
    assert!(signing::verify(&verifier, None, "POST", "/v1/exchange/quotes", APPID, b"{}").is_err());
}

/// A stand-in GSalary that checks every request's signature with the
/// merchant's public key over the exact bytes it received, and answers
/// (signed) only when it verifies; otherwise it answers 403 as GSalary would.
fn verifying_gsalary() -> std::sync::Arc<walletbridge_core::test_util::MockTransport> {
    let merchant = RsaVerifier::new(
        RsaPublicKey::parse(MERCHANT_PUBLIC).unwrap(),
        HashAlgorithm::Sha256,
    );
    std::sync::Arc::new(walletbridge_core::test_util::MockTransport::with_responder(
        move |req| {
            let body = req.body.as_deref().unwrap_or_default();
            let ok = req.header_value("x-appid") == Some(APPID)
                && signing::verify(
                    &merchant,
                    req.header_value("authorization"),
                    req.method.as_str(),
                    &signing::unescaped_path_and_query(req.path_and_query()),
                    APPID,
                    body,
                )
                .is_ok_and(|t| t == NOW_MS);
            if !ok {
                let refusal =
                    r#"{"biz_result":"F","error_code":"FORBIDDEN","message":"bad signature"}"#;
                return Ok(walletbridge_core::HttpResponse::new(403, refusal));
            }
            let answer = ok_body(
                serde_json::json!({"currency": "USD", "amount": 1, "quote_id": "q1",
            "card_holder_id": "h1", "card_id": "c1", "cards": [], "page": 1, "total_page": 1}),
            );
            let auth = answer_signature(
                PLATFORM_KEY,
                req.method.as_str(),
                &signing::unescaped_path_and_query(req.path_and_query()),
                &answer,
            );
            Ok(walletbridge_core::HttpResponse::new(200, answer).header("Authorization", auth))
        },
    ))
}

#[tokio::test]
async fn a_verifying_server_accepts_every_kind_of_request() {
    use walletbridge_gsalary::{
        card_holders::UpdateCardHolder, cards::CardsQuery, exchange::CreateExchangeQuote,
    };
    let client = client_with(verifying_gsalary());
    // GET with a query
    client.wallet().balance("USD").await.unwrap();
    client
        .cards()
        .list(&CardsQuery::new().limit(5))
        .await
        .unwrap();
    // POST with a body
    let quote = CreateExchangeQuote::sell("USD", "100.50".parse().unwrap(), "HKD");
    client.exchange().quote(&quote).await.unwrap();
    // PUT with a body, DELETE without one
    client
        .card_holders()
        .update("h1", &UpdateCardHolder::new().first_name("Mary Ann"))
        .await
        .unwrap();
    client.cards().cancel("c1").await.unwrap();
}

#[tokio::test]
async fn a_verifying_server_refuses_a_client_signing_with_the_wrong_key() {
    let client = walletbridge_gsalary::Client::builder()
        .appid(APPID)
        .private_key_pem(OTHER_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .clock(std::sync::Arc::new(walletbridge_core::FixedClock::new(
            NOW_MS,
        )))
        .retry_policy(walletbridge_core::RetryPolicy::none())
        .transport(verifying_gsalary())
        .build()
        .unwrap();
    let err = client.wallet().balance("USD").await.unwrap_err();
    assert_eq!(err.code(), Some("FORBIDDEN"));
    assert_eq!(err.status(), Some(403));
}

/// The request line a client sent, and the signature in its `Authorization`.
fn sent(req: &walletbridge_core::HttpRequest) -> (String, Vec<u8>) {
    let auth = Authorization::parse(req.header_value("authorization").unwrap()).unwrap();
    (req.path_and_query().to_owned(), auth.signature)
}

#[tokio::test]
async fn queries_are_signed_unescaped_and_sent_escaped_like_openssl_vectors() {
    use walletbridge_gsalary::{cards::CardsQuery, payees::PayeesQuery};
    // every character the issue names: `+`, space, `&`, `=`, `/`, `%`, `:` and Chinese text
    let empty = serde_json::json!({"payees": [], "cards": [], "page": 1, "limit": 20,
                                   "total_count": 0, "total_page": 0});
    let transport = signed_transport(200, ok_body(empty));
    let client = client_with(transport.clone());
    client
        .payees()
        .list(&PayeesQuery::new().name("李 雷+A&B=C/D%E:F"))
        .await
        .unwrap();
    client
        .cards()
        .list(&CardsQuery::new().create_start(dt("2024-03-04T10:00:00+08:00")))
        .await
        .unwrap();
    let requests = transport.requests();
    let (line, sig) = sent(&requests[0]);
    assert_eq!(
        line,
        "/v1/remittance/payees?limit=20&name=%E6%9D%8E%20%E9%9B%B7%2BA%26B%3DC/D%25E:F&page=1"
    );
    assert_eq!(
        signing::unescaped_path_and_query(&line),
        fixture!("get_escaped.txt")
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("GET ")
    );
    assert_eq!(
        sig,
        decode_base64_lenient(fixture!("get_escaped.sig.b64").trim()).unwrap()
    );
    let (line, sig) = sent(&requests[1]);
    assert_eq!(
        line,
        "/v1/cards?create_start=2024-03-04T10:00:00%2B08:00&limit=20&page=1"
    );
    assert_eq!(
        sig,
        decode_base64_lenient(fixture!("get_offset.sig.b64").trim()).unwrap()
    );
}

#[tokio::test]
async fn answers_to_escaped_queries_verify_over_the_unescaped_form() {
    use walletbridge_gsalary::payees::PayeesQuery;
    let body = fixture!("answer_body.json");
    let header = format!(
        "algorithm=RSA2,time={NOW_MS},signature={}",
        fixture!("answer_escaped.sig.b64").trim()
    );
    let answer = walletbridge_core::HttpResponse::new(200, body).header("Authorization", header);
    let transport = std::sync::Arc::new(walletbridge_core::test_util::MockTransport::new());
    transport.push(answer.clone());
    let client = client_with(transport.clone());
    let page = client
        .payees()
        .list(&PayeesQuery::new().name("李 雷+A&B=C/D%E:F"))
        .await
        .unwrap();
    assert!(page.items.is_empty());
    // the same answer signed for the escaped text (as this SDK once verified) is refused
    let escaped_text = signing::signing_string(
        "GET",
        transport.requests()[0].path_and_query(),
        APPID,
        NOW_MS,
        Some(body.as_bytes()),
    );
    let wrong =
        walletbridge_core::Signer::sign(&signer(PLATFORM_KEY), escaped_text.as_bytes()).unwrap();
    transport.push(walletbridge_core::HttpResponse::new(200, body).header(
        "Authorization",
        signing::authorization_header(NOW_MS, &wrong),
    ));
    let err = client
        .payees()
        .list(&PayeesQuery::new().name("李 雷+A&B=C/D%E:F"))
        .await
        .unwrap_err();
    assert_signature(&err, walletbridge_core::SignatureProblem::Mismatch);
}
