#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use httpmock::prelude::*;

use super::*;
use crate::test_util::MockTransport;
use crate::transport::{Method, TransportError, TransportErrorKind};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2))
}

fn decode_plain(_: &HttpRequest, resp: &HttpResponse) -> Result<String> {
    if resp.is_success() {
        Ok(String::from_utf8_lossy(&resp.body).into_owned())
    } else {
        Err(Error::http(resp.status, &resp.body))
    }
}

fn executor(url_transport: Arc<dyn Transport>) -> Executor {
    Executor::new(url_transport, fast_retries())
}

#[tokio::test]
async fn a_get_on_503_is_retried_until_it_succeeds() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/flaky").header("x-attempt", "1");
            then.status(503).body("<html>busy</html>");
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/flaky").header("x-attempt", "2");
            then.status(200).body("fine");
        })
        .await;
    let ex =
        executor(crate::default_transport(Duration::from_secs(5), Duration::from_secs(5)).unwrap());
    let url = server.url("/flaky");
    let mut n = 0;
    let spec = CallSpec::read("test", "flaky read");
    let got = ex
        .run(
            &spec,
            || {
                n += 1;
                Ok(HttpRequest::new(Method::Get, url.as_str()).header("x-attempt", n.to_string()))
            },
            decode_plain,
        )
        .await
        .unwrap();
    assert_eq!(got, "fine");
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_sent_once_and_reports_unknown_outcome() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST).path("/pay");
            then.status(503).body("upstream down");
        })
        .await;
    let ex =
        executor(crate::default_transport(Duration::from_secs(5), Duration::from_secs(5)).unwrap());
    let url = server.url("/pay");
    let spec = CallSpec::write("test", "pay", Idempotency::Unsafe);
    let err = ex
        .run(
            &spec,
            || Ok(HttpRequest::new(Method::Post, url.as_str()).body(&b"{}"[..])),
            decode_plain,
        )
        .await
        .unwrap_err();
    m.assert_calls_async(1).await;
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.operation(), Some("pay"));
    assert!(err.to_string().contains("upstream down"), "{err}");
}

#[tokio::test]
async fn a_deduplicated_post_is_retried() {
    let t = Arc::new(MockTransport::new());
    t.push(HttpResponse::new(502, ""))
        .push(HttpResponse::new(200, "done"));
    let ex = executor(t.clone());
    let spec = CallSpec::write("test", "keyed", Idempotency::Deduplicated);
    let got = ex
        .run(
            &spec,
            || Ok(HttpRequest::new(Method::Post, "https://h/x").body(&b"{}"[..])),
            decode_plain,
        )
        .await
        .unwrap();
    assert_eq!(got, "done");
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_unsafe_calls() {
    let t = Arc::new(MockTransport::new());
    t.push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    t.push(HttpResponse::new(200, "ok"));
    let ex = executor(t.clone());
    let spec = CallSpec::write("test", "pay", Idempotency::Unsafe);
    let got = ex
        .run(
            &spec,
            || Ok(HttpRequest::new(Method::Post, "https://h/x")),
            decode_plain,
        )
        .await
        .unwrap();
    assert_eq!(got, "ok");
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test]
async fn a_timeout_on_a_write_is_outcome_unknown_and_not_repeated() {
    let t = Arc::new(MockTransport::new());
    t.push_error(TransportError::new(TransportErrorKind::Timeout, "deadline"));
    t.push(HttpResponse::new(200, "should not be reached"));
    let ex = executor(t.clone());
    let spec = CallSpec::write("test", "refund", Idempotency::Unsafe);
    let err = ex
        .run(
            &spec,
            || Ok(HttpRequest::new(Method::Post, "https://h/x")),
            decode_plain,
        )
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout));
    assert!(err.is_outcome_unknown());
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn a_failed_read_is_never_outcome_unknown() {
    let t = Arc::new(MockTransport::new());
    for _ in 0..3 {
        t.push_error(TransportError::new(TransportErrorKind::Timeout, "deadline"));
    }
    let ex = executor(t.clone());
    let err = ex
        .run(
            &CallSpec::read("test", "q"),
            || Ok(HttpRequest::new(Method::Get, "https://h/x")),
            decode_plain,
        )
        .await
        .unwrap_err();
    assert!(!err.is_outcome_unknown());
    assert_eq!(t.requests().len(), 3);
}

#[tokio::test]
async fn build_errors_send_nothing() {
    let t = Arc::new(MockTransport::new());
    let ex = executor(t.clone());
    let err = ex
        .run(
            &CallSpec::read("test", "q"),
            || Err::<HttpRequest, _>(Error::validation("amount", "must be positive")),
            decode_plain,
        )
        .await
        .unwrap_err();
    assert!(err.is_not_sent());
    assert_eq!(err.provider(), Some("test"));
    assert!(t.requests().is_empty());
}

#[tokio::test]
async fn sensitive_answers_are_withheld_from_errors() {
    let t = Arc::new(MockTransport::new());
    t.push(HttpResponse::new(200, r#"{"pan":"4111111111111111"}"#));
    let ex = executor(t);
    let spec = CallSpec::read("test", "secure info").sensitive();
    let err = ex
        .run(
            &spec,
            || Ok(HttpRequest::new(Method::Get, "https://h/x")),
            |_, resp: &HttpResponse| -> Result<()> { Err(Error::decode("pan", "bad", &resp.body)) },
        )
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("4111111111111111"), "{shown}");
    assert!(err.raw_response().is_none());
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let t = Arc::new(MockTransport::new());
    t.push(HttpResponse::new(503, "").header("Retry-After", "1"));
    t.push(HttpResponse::new(200, "ok"));
    let ex = Executor::new(t.clone(), fast_retries().without_jitter());
    let started = std::time::Instant::now();
    ex.run(
        &CallSpec::read("t", "q"),
        || Ok(HttpRequest::new(Method::Get, "https://h/x")),
        decode_plain,
    )
    .await
    .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(990),
        "{:?}",
        started.elapsed()
    );
}

/// Collects what the fmt subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn every_call_is_traced_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let t = Arc::new(MockTransport::new());
    t.push(HttpResponse::new(200, r#"{"cvv":"987"}"#));
    let ex = executor(t);
    tracing::subscriber::with_default(subscriber, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            ex.run(
                &CallSpec::read("gsalary", "card secure info"),
                || {
                    Ok(
                        HttpRequest::new(Method::Get, "https://h/v1/cards/c1/secure_info?x=1")
                            .header("Authorization", "signature=TOPSECRET"),
                    )
                },
                decode_plain,
            )
            .await
            .unwrap();
        });
    });
    let out = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for needle in [
        "walletbridge.call",
        "provider=\"gsalary\"",
        "operation=\"card secure info\"",
        "method=\"GET\"",
        "path=\"/v1/cards/c1/secure_info\"",
        "status=200",
        "latency_ms=",
    ] {
        assert!(out.contains(needle), "missing {needle} in {out}");
    }
    assert!(!out.contains("TOPSECRET") && !out.contains("987"), "{out}");
}

#[tokio::test]
async fn an_unreadable_2xx_to_a_write_is_outcome_unknown() {
    let t = Arc::new(MockTransport::new());
    t.push(HttpResponse::new(200, "<html>gateway</html>"));
    let ex = executor(t.clone());
    let spec = CallSpec::write("test", "draw cash", Idempotency::Unsafe);
    let err = ex
        .run(
            &spec,
            || Ok(HttpRequest::new(Method::Post, "https://h/x")),
            |_, resp: &HttpResponse| -> Result<()> { Err(Error::http(resp.status, &resp.body)) },
        )
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(t.requests().len(), 1);
}
