//! The reqwest transport against a local server that misbehaves: redirects,
//! slow answers, resets, truncated bodies, gateway pages, and requests that
//! must never leave (rewritten paths, header values with line breaks).
//! Everything binds 127.0.0.1; nothing reaches the internet.
#![cfg(all(feature = "test-util", feature = "reqwest"))]
#![allow(clippy::unwrap_used)]

use std::error::Error as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use walletbridge_core::test_util::{
    Fault, FaultServer, assert_no_secrets, quick_retries, secret_scan,
};
use walletbridge_core::{
    CallSpec, Error, ErrorKind, Executor, HttpRequest, HttpResponse, Idempotency, Method,
    ReqwestTransport, Transport, TransportErrorKind,
};

fn transport() -> ReqwestTransport {
    ReqwestTransport::builder()
        .timeout(Duration::from_millis(500))
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn post(url: String) -> HttpRequest {
    HttpRequest::new(Method::Post, url)
        .header("Content-Type", "application/json")
        .body(&b"{\"amount\":\"10.00\",\"pin\":\"864213\"}"[..])
}

/// A decoder that accepts 2xx and reports anything else as an HTTP error.
fn decode(_: &HttpRequest, r: &HttpResponse) -> walletbridge_core::Result<()> {
    if r.is_success() {
        Ok(())
    } else {
        Err(Error::http(r.status, &r.body))
    }
}

#[tokio::test]
async fn a_307_to_a_post_is_not_followed() {
    let server = httpmock::MockServer::start_async().await;
    let target = server
        .mock_async(|when, then| {
            when.path("/elsewhere");
            then.status(200).body("{}");
        })
        .await;
    let redirect = server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/payouts");
            then.status(307)
                .header("Location", server.url("/elsewhere"));
        })
        .await;
    let resp = transport()
        .execute(post(server.url("/v1/payouts")))
        .await
        .unwrap();
    assert_eq!(resp.status, 307);
    assert_eq!(redirect.calls_async().await, 1);
    assert_eq!(target.calls_async().await, 0, "the redirect was followed");

    // Through the executor, for a write that may be retried: one request, an
    // HTTP error that is not retryable, outcome unknown.
    let exec = Executor::new(
        Arc::new(transport()),
        quick_retries(5).retry_deduplicated(true),
    );
    let spec = CallSpec::write("test", "payout", Idempotency::Deduplicated);
    let url = server.url("/v1/payouts");
    let err = exec
        .run(&spec, |_| Ok(post(url.clone())), decode)
        .await
        .unwrap_err();
    assert_eq!(redirect.calls_async().await, 2, "retried a redirect");
    assert_eq!(target.calls_async().await, 0);
    assert!(
        matches!(err.kind(), ErrorKind::Http { status: 307, .. }),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert!(err.is_outcome_unknown(), "{err}");
}

#[tokio::test]
async fn redirects_of_every_kind_reach_the_caller_once() {
    let server = FaultServer::start(Fault::status(200, "{}")).await.unwrap();
    for status in [301u16, 302, 303, 307, 308] {
        let path = format!("/r{status}");
        server.on(&path, [Fault::redirect(status, server.url("/landing"))]);
        let resp = transport().execute(post(server.url(&path))).await.unwrap();
        assert_eq!(resp.status, status);
        assert_eq!(server.hits(&path), 1);
    }
    assert_eq!(server.hits("/landing"), 0);
}

#[tokio::test]
async fn each_fault_maps_to_the_right_error() {
    let server = FaultServer::start(Fault::status(200, "{}")).await.unwrap();
    server
        .on("/slow", [Fault::delay(Duration::from_secs(3))])
        .on("/reset", [Fault::close_after_request()])
        .on("/cut", [Fault::truncated(200, "{\"data\":")])
        .on("/html", [Fault::gateway_html()])
        .on("/busy", [Fault::json(503, "{}").header("Retry-After", "2")]);
    let t = transport();

    // A delay past the client's timeout: a timeout, the request was received.
    let started = Instant::now();
    let e = t.execute(post(server.url("/slow"))).await.unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::Timeout, "{}", e.message);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.hits("/slow"), 1);
    let err = Error::from(e);
    assert!(matches!(err.kind(), ErrorKind::Timeout) && err.is_retryable());
    assert!(err.source().is_some(), "timeouts keep their cause");

    // Closed after the request was read: sent, no answer.
    let e = t.execute(post(server.url("/reset"))).await.unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::Other, "{}", e.message);
    assert!(
        e.message.contains("closed before an answer"),
        "{}",
        e.message
    );
    assert_eq!(server.hits("/reset"), 1);
    let err = Error::from(e);
    assert!(
        matches!(err.kind(), ErrorKind::Transport { sent: true, .. }),
        "{err}"
    );
    assert!(!err.is_not_sent());
    assert!(err.source().is_some());

    // A body shorter than announced.
    let e = t.execute(post(server.url("/cut"))).await.unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::Other, "{}", e.message);
    assert!(e.message.contains("cut off"), "{}", e.message);
    assert!(matches!(
        Error::from(e).kind(),
        ErrorKind::Transport { sent: true, .. }
    ));

    // A gateway page and a 503 are answers: the executor's decoder judges them.
    let html = t.execute(post(server.url("/html"))).await.unwrap();
    assert_eq!(html.status, 502);
    assert!(String::from_utf8_lossy(&html.body).contains("Bad Gateway"));
    let busy = t.execute(post(server.url("/busy"))).await.unwrap();
    assert_eq!(busy.status, 503);
    assert_eq!(busy.retry_after(), Some(Duration::from_secs(2)));
    for path in ["/cut", "/html", "/busy"] {
        assert_eq!(server.hits(path), 1, "{path}");
    }
}

#[tokio::test]
async fn a_refused_connection_says_so_and_was_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let e = transport()
        .execute(post(format!("http://{addr}/v1/payouts")))
        .await
        .unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::Connect, "{}", e.message);
    assert!(e.message.contains("connection refused"), "{}", e.message);
    assert!(e.message.contains(&addr.to_string()), "{}", e.message);
    let err = Error::from(e);
    assert!(err.is_not_sent() && err.is_retryable(), "{err}");
    assert!(err.source().is_some());
}

#[tokio::test]
async fn header_values_with_line_breaks_are_never_sent() {
    let server = FaultServer::start(Fault::status(200, "{}")).await.unwrap();
    for (name, value) in [
        ("Authorization", "api_live_Zt81\r\nX-Injected: 1"),
        ("Authorization", "api_live_Zt81\n"),
        ("X-Appid", "app\0id"),
        ("Bad Name", "v"),
    ] {
        let req = post(server.url("/v1/payouts")).header(name, value);
        let e = transport().execute(req).await.unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::Invalid, "{}", e.message);
        assert!(!e.message.contains("api_live"), "{}", e.message);
        let err = Error::from(e);
        assert!(matches!(err.kind(), ErrorKind::Config { .. }), "{err}");
        assert!(err.is_not_sent() && !err.is_retryable(), "{err}");
    }
    assert_eq!(server.total(), 0);

    // Through the executor, for a write: one error, not retried, not unknown.
    let exec = Executor::new(Arc::new(transport()), quick_retries(5));
    let spec = CallSpec::write("test", "payout", Idempotency::Unsafe);
    let url = server.url("/v1/payouts");
    let err = exec
        .run(
            &spec,
            |_| Ok(post(url.clone()).header("Authorization", "k\r\n")),
            decode,
        )
        .await
        .unwrap_err();
    assert!(!err.is_outcome_unknown() && err.is_not_sent(), "{err}");
    assert_eq!(server.total(), 0);
}

// The path on the request line must be the signed one, byte for byte: any
// URL the HTTP stack would rewrite is refused before a connection is made.
#[tokio::test]
async fn urls_the_stack_would_rewrite_are_refused_before_sending() {
    let server = FaultServer::start(Fault::status(200, "{}")).await.unwrap();
    for path in [
        "/v1/cards/./c1",
        "/v1/cards/../payees/p1",
        "/v1/cards/%2e%2e/p1",
        "/v1/cards/%2E/p1",
        "/v1/cards/..",
        "/v1/cards/c1#frag",
        "/v1/cards/a b",
        "/v1/cards\\c1",
    ] {
        let e = transport()
            .execute(post(server.url(path)))
            .await
            .unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::Invalid, "{path}: {}", e.message);
        assert!(Error::from(e).is_not_sent());
    }
    assert_eq!(server.total(), 0, "{:?}", server.requests());

    // What is sent is what was built.
    for path in [
        "/v1/cards/...",
        "/v1/cards/.%252e",
        "/v1/payees/id%20with%2Fslash?name=O%27Brien%20%26%20Sons%20%E5%BC%A0&t=2024-03-04T10:00:00%2B08:00",
        "/v1/x?list=a,b|c{d}",
    ] {
        let req = post(server.url(path));
        let signed = req.path_and_query().to_owned();
        transport().execute(req).await.unwrap();
        let got = server.requests().pop().unwrap();
        assert_eq!(got.path_and_query, signed);
    }
}

#[tokio::test]
async fn the_fault_server_records_requests_and_stops_when_dropped() {
    let server = FaultServer::start(Fault::status(204, "")).await.unwrap();
    server.on("/a", [Fault::status(500, "x"), Fault::status(201, "y")]);
    let t = transport();
    let statuses: Vec<u16> = statuses(&t, &server, &["/a", "/a", "/a", "/b?q=1"]).await;
    assert_eq!(statuses, [500, 201, 204, 204]);
    assert_eq!(
        (server.hits("/a"), server.hits("/b"), server.total()),
        (3, 1, 4)
    );
    let last = server.requests().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path_and_query.as_str()),
        ("POST", "/b?q=1")
    );
    assert_eq!(last.header("content-type"), Some("application/json"));
    assert!(last.body.starts_with(b"{\"amount\""));
    assert!(!format!("{last:?}").contains("864213"));
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    drop(server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let e = t
        .execute(post(format!("http://{addr}/a")))
        .await
        .unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::Connect, "{}", e.message);
}

async fn statuses(t: &ReqwestTransport, s: &FaultServer, paths: &[&str]) -> Vec<u16> {
    let mut out = Vec::new();
    for p in paths {
        out.push(t.execute(post(s.url(p))).await.unwrap().status);
    }
    out
}

#[test]
fn the_secret_scanner_finds_values_and_pieces_of_keys() {
    let key = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/keys/merchant_pkcs8.pem"
    ));
    let line = key.lines().nth(5).unwrap();
    let pan = "4111111111111111";
    assert!(secret_scan("nothing here", &[pan, key]).is_empty());
    let hits = secret_scan(&format!("card {pan} ok"), &[pan, key]);
    assert_eq!((hits.len(), hits[0].secret, hits[0].offset), (1, 0, 5));
    // One line of a key, in a Debug print where newlines are escaped.
    let debug = format!("{:?}", format!("x\n{line}\ny"));
    let hits = secret_scan(&debug, &[pan, key]);
    assert!(hits.iter().any(|h| h.secret == 1), "{hits:?}");
    assert!(!secret_scan(&format!("{:?}", key), &[key]).is_empty());
    let panic =
        std::panic::catch_unwind(|| assert_no_secrets("a log", &format!("pan={pan}"), &[pan]))
            .unwrap_err();
    let text = panic.downcast_ref::<String>().unwrap();
    assert!(
        text.contains("a log leaks secret #0") && !text.contains(pan),
        "{text}"
    );
}
