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
            |_: &Attempt| {
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Post, url.as_str()).body(&b"{}"[..])),
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Post, "https://h/x").body(&b"{}"[..])),
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Post, "https://h/x")),
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Post, "https://h/x")),
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Get, "https://h/x")),
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
            |_: &Attempt| Err::<HttpRequest, _>(Error::validation("amount", "must be positive")),
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Get, "https://h/x")),
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
        |_: &Attempt| Ok(HttpRequest::new(Method::Get, "https://h/x")),
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
                |_: &Attempt| {
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
            |_: &Attempt| Ok(HttpRequest::new(Method::Post, "https://h/x")),
            |_, resp: &HttpResponse| -> Result<()> { Err(Error::http(resp.status, &resp.body)) },
        )
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(t.requests().len(), 1);
}

mod tokens {
    use super::*;
    use crate::auth::{CachedTokenSource, IssuedToken, StaticToken};
    use std::sync::atomic::{AtomicU32, Ordering};

    fn issuing(calls: Arc<AtomicU32>) -> CachedTokenSource {
        CachedTokenSource::new(move || {
            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                Ok(IssuedToken::new(
                    format!("tok-{n}"),
                    Duration::from_secs(3600),
                ))
            }
        })
    }

    fn bearer(a: &Attempt) -> Result<HttpRequest> {
        let token = a
            .token
            .as_ref()
            .map(|t| t.expose().clone())
            .unwrap_or_default();
        Ok(HttpRequest::new(Method::Post, "https://h/pay")
            .header("Authorization", format!("Bearer {token}"))
            .body(&b"{}"[..]))
    }

    fn sent_tokens(t: &MockTransport) -> Vec<String> {
        t.requests()
            .iter()
            .map(|r| r.header_value("Authorization").unwrap_or("").to_owned())
            .collect()
    }

    #[tokio::test]
    async fn a_401_refreshes_once_and_repeats_once_even_for_a_call_never_retried() {
        let t = Arc::new(MockTransport::new());
        t.push(HttpResponse::new(
            401,
            r#"{"code":0,"msg":"token expired"}"#,
        ))
        .push(HttpResponse::new(200, "paid"));
        let calls = Arc::new(AtomicU32::new(0));
        let source = issuing(calls.clone());
        // No retries at all: the repeat after a 401 is not a retry.
        let ex = Executor::new(t.clone(), RetryPolicy::none());
        let spec = CallSpec::write("test", "pay", Idempotency::Unsafe);
        let got = ex
            .run_authenticated(&spec, &source, bearer, decode_plain)
            .await
            .unwrap();
        assert_eq!(got, "paid");
        assert_eq!(sent_tokens(&t), ["Bearer tok-1", "Bearer tok-2"]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_second_401_is_an_authentication_error() {
        let t = Arc::new(MockTransport::new());
        t.push(HttpResponse::new(401, "no"))
            .push(HttpResponse::new(401, "still no"))
            .push(HttpResponse::new(200, "never reached"));
        let calls = Arc::new(AtomicU32::new(0));
        let source = issuing(calls.clone());
        let ex = executor(t.clone());
        let spec = CallSpec::read("test", "balance");
        let err = ex
            .run_authenticated(&spec, &source, bearer, decode_plain)
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Authentication { status: 401, .. }),
            "{err:?}"
        );
        assert_eq!(t.requests().len(), 2);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(!err.is_retryable());
        assert!(!err.is_outcome_unknown());
    }

    #[tokio::test]
    async fn a_static_token_refused_is_final() {
        let t = Arc::new(MockTransport::new());
        t.push(HttpResponse::new(401, "bad token"));
        let ex = executor(t.clone());
        let spec = CallSpec::read("test", "balance");
        let err = ex
            .run_authenticated(&spec, &StaticToken::new("fixed"), bearer, decode_plain)
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Authentication { .. }),
            "{err:?}"
        );
        assert_eq!(err.message(), Some("bad token"));
        assert_eq!(sent_tokens(&t), ["Bearer fixed"]);
        assert!(!format!("{err:?}").contains("fixed"));
    }

    #[tokio::test]
    async fn no_other_status_refreshes() {
        for status in [403u16, 400, 419, 500] {
            let t = Arc::new(MockTransport::new());
            t.push(HttpResponse::new(status, "nope"));
            let calls = Arc::new(AtomicU32::new(0));
            let source = issuing(calls.clone());
            let ex = Executor::new(t.clone(), RetryPolicy::none());
            let spec = CallSpec::write("test", "pay", Idempotency::Unsafe);
            let err = ex
                .run_authenticated(&spec, &source, bearer, decode_plain)
                .await
                .unwrap_err();
            assert_eq!(err.status(), Some(status));
            assert_eq!(t.requests().len(), 1, "status {status}");
            assert_eq!(calls.load(Ordering::SeqCst), 1, "status {status}");
        }
    }

    #[tokio::test]
    async fn a_failed_token_fetch_sends_nothing() {
        let t = Arc::new(MockTransport::new());
        let source =
            CachedTokenSource::new(|| async { Err(Error::authentication(401, "wrong password")) });
        let ex = executor(t.clone());
        let spec = CallSpec::read("test", "balance");
        let err = ex
            .run_authenticated(&spec, &source, bearer, decode_plain)
            .await
            .unwrap_err();
        assert_eq!(err.message(), Some("wrong password"));
        assert_eq!(err.operation(), Some("balance"));
        assert!(t.requests().is_empty());
    }

    #[tokio::test]
    async fn a_redirect_to_a_write_is_outcome_unknown_and_not_retried() {
        let t = Arc::new(MockTransport::new());
        t.push(HttpResponse::new(307, "").header("Location", "https://elsewhere/pay"));
        let ex = executor(t.clone());
        let spec = CallSpec::write("test", "pay", Idempotency::Unsafe);
        let err = ex
            .run(
                &spec,
                |_: &Attempt| {
                    bearer(&Attempt {
                        number: 1,
                        token: None,
                    })
                },
                decode_plain,
            )
            .await
            .unwrap_err();
        assert_eq!(t.requests().len(), 1);
        assert_eq!(err.status(), Some(307));
        assert!(err.is_outcome_unknown());
        assert!(!err.is_retryable());
    }
}

mod deadlines {
    use super::*;
    use async_trait::async_trait;

    /// Answers 503 after `delay`, counting requests.
    struct Slow {
        delay: Duration,
        seen: std::sync::atomic::AtomicU32,
    }

    #[async_trait]
    impl Transport for Slow {
        async fn execute(
            &self,
            _: HttpRequest,
        ) -> std::result::Result<HttpResponse, TransportError> {
            self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            Ok(HttpResponse::new(503, "busy"))
        }
    }

    fn slow(delay_ms: u64) -> Arc<Slow> {
        Arc::new(Slow {
            delay: Duration::from_millis(delay_ms),
            seen: Default::default(),
        })
    }

    fn get(_: &Attempt) -> Result<HttpRequest> {
        Ok(HttpRequest::new(Method::Get, "https://h/x"))
    }

    #[tokio::test]
    async fn the_deadline_bounds_a_read_across_its_retries() {
        let t = slow(150);
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .base_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(1));
        let ex = Executor::new(t.clone(), policy).with_deadline(Duration::from_millis(400));
        let started = std::time::Instant::now();
        let err = ex
            .run(&CallSpec::read("test", "read"), get, decode_plain)
            .await
            .unwrap_err();
        let took = started.elapsed();
        // Two whole attempts fit, the third is cut at the deadline.
        assert!(took < Duration::from_millis(700), "{took:?}");
        assert!(took >= Duration::from_millis(390), "{took:?}");
        let seen = t.seen.load(std::sync::atomic::Ordering::SeqCst);
        assert!((2..=3).contains(&seen), "{seen}");
        assert!(!err.is_outcome_unknown(), "a read changes nothing");
    }

    #[tokio::test]
    async fn a_write_cut_by_the_deadline_is_outcome_unknown() {
        let t = slow(500);
        let ex = Executor::new(t.clone(), RetryPolicy::default())
            .with_options(&CallOptions::new().deadline(Duration::from_millis(100)));
        let err = ex
            .run(
                &CallSpec::write("test", "pay", Idempotency::Unsafe),
                |_: &Attempt| Ok(HttpRequest::new(Method::Post, "https://h/pay")),
                decode_plain,
            )
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
        assert!(err.is_outcome_unknown());
        assert_eq!(t.seen.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_attempt_timeout_override_applies_per_attempt() {
        let t = slow(300);
        let ex = Executor::new(t.clone(), RetryPolicy::none()).with_options(
            &CallOptions::new()
                .attempt_timeout(Duration::from_millis(50))
                .retry_policy(RetryPolicy::none()),
        );
        let started = std::time::Instant::now();
        let err = ex
            .run(&CallSpec::read("test", "read"), get, decode_plain)
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
        assert!(started.elapsed() < Duration::from_millis(250));
        assert_eq!(ex.deadline(), DEFAULT_DEADLINE);
    }
}
