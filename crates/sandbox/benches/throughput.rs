//! Requests per second over loopback, in one run:
//!
//! - an unsigned merchant wallet balance read (`getUserBalance`, bearer
//!   token checked) next to a bare axum handler returning the same bytes;
//! - a signed GSalary balance read (request verified, answer signed) next
//!   to a bare axum handler returning the same bytes, and next to the cost
//!   of one RSA signature plus one verification on this machine.
//!
//! The servers run on their own two-thread runtime and the load generator on
//! another, so on a 2-core machine they share the cores. Requests per second
//! then measure the machine; the server's CPU time per request (read from
//! Linux's per-thread `schedstat`, so only the server's threads count) is
//! what the issue's bound is about: a signed request should cost at most
//! 1.2x one RSA signature plus one verification.
//!
//! `cargo bench -p walletbridge-sandbox` (set `WB_BENCH_SECS`, default 3,
//! and `WB_BENCH_CONCURRENCY`, default 32).
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::float_arithmetic,
    missing_docs
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use walletbridge_core::{HashAlgorithm, RsaPrivateKey, RsaSigner, RsaVerifier, Signer, Verifier};
use walletbridge_sandbox::{Sandbox, SandboxConfig};

fn secs() -> Duration {
    Duration::from_secs(
        std::env::var("WB_BENCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3),
    )
}

fn concurrency() -> usize {
    std::env::var("WB_BENCH_CONCURRENCY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32)
}

async fn bare(body: Vec<u8>, headers: Vec<(String, String)>) -> String {
    let body = bytes::Bytes::from(body);
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        let headers = headers.clone();
        async move {
            let mut r = axum::response::Response::new(axum::body::Body::from(body));
            r.headers_mut()
                .insert("content-type", "application/json".parse().unwrap());
            for (k, v) in headers {
                r.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            r
        }
    });
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    format!("http://{addr}")
}

/// The CPU time, in nanoseconds, the threads named `SERVER_THREADS` have
/// used so far (Linux; `None` elsewhere).
fn server_cpu_ns() -> Option<u64> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let dir = task.ok()?.path();
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if name.trim_end() != SERVER_THREADS {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// The name of the servers' worker threads.
const SERVER_THREADS: &str = "wb-bench-server";

/// One case's result.
struct Rate {
    per_sec: f64,
    /// Server CPU per request, in microseconds.
    cpu_us: Option<f64>,
}

/// Drives `make` with `concurrency()` workers for `secs()`; requests/s of
/// 200s and the servers' CPU per request.
async fn drive<F>(make: F) -> Rate
where
    F: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let make = Arc::new(make);
    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    // Warm up the connections.
    for _ in 0..concurrency() {
        let _ = make(&client).send().await;
    }
    let cpu_before = server_cpu_ns();
    let start = Instant::now();
    let end = start + secs();
    let mut tasks = Vec::new();
    for _ in 0..concurrency() {
        let (client, make, ok, bad) = (
            client.clone(),
            Arc::clone(&make),
            Arc::clone(&ok),
            Arc::clone(&bad),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                match make(&client).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let n = ok.load(Ordering::Relaxed);
    assert_eq!(bad.load(Ordering::Relaxed), 0, "every request must succeed");
    let cpu_us = match (cpu_before, server_cpu_ns()) {
        (Some(a), Some(b)) if n > 0 => Some(b.saturating_sub(a) as f64 / 1000.0 / n as f64),
        _ => None,
    };
    Rate {
        per_sec: n as f64 / elapsed,
        cpu_us,
    }
}

fn us(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.0} µs"))
}

/// One RSA-2048 signature plus one verification: the wall time of one on
/// this thread (µs), and the CPU time per one measured the way the servers'
/// requests are (µs), with two of them running at once on the servers'
/// threads, as the requests do.
fn crypto_cost(servers: &tokio::runtime::Runtime, key: &str) -> (f64, Option<f64>) {
    let private = RsaPrivateKey::parse(key).unwrap();
    let signer = Arc::new(RsaSigner::new(&private, HashAlgorithm::Sha256).unwrap());
    let verifier = Arc::new(RsaVerifier::new(
        private.public_key(),
        HashAlgorithm::Sha256,
    ));
    let msg = b"GET /v1/wallets/balance?currency=USD\nsandbox-gsalary-appid\n1716888888888\n\n";
    let sig = signer.sign(msg).unwrap();
    let one = |signer: &RsaSigner, verifier: &RsaVerifier| {
        let s = signer.sign(msg).unwrap();
        verifier.verify(msg, &sig).unwrap();
        std::hint::black_box(s);
    };
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(1) {
        one(&signer, &verifier);
        n += 1;
    }
    let wall_us = start.elapsed().as_secs_f64() * 1e6 / n as f64;

    let before = server_cpu_ns();
    let done = servers.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let (signer, verifier, sig) = (Arc::clone(&signer), Arc::clone(&verifier), sig.clone());
            tasks.push(tokio::spawn(async move {
                let start = Instant::now();
                let mut n = 0u64;
                while start.elapsed() < Duration::from_secs(1) {
                    let s = signer.sign(msg).unwrap();
                    verifier.verify(msg, &sig).unwrap();
                    std::hint::black_box(s);
                    n += 1;
                }
                n
            }));
        }
        let mut n = 0;
        for t in tasks {
            n += t.await.unwrap();
        }
        n
    });
    let cpu_us = match (before, server_cpu_ns()) {
        (Some(a), Some(b)) if done > 0 => Some(b.saturating_sub(a) as f64 / 1000.0 / done as f64),
        _ => None,
    };
    (wall_us, cpu_us)
}

fn main() {
    // The servers (sandbox and bare handlers) on one runtime, the load
    // generator on another, so the servers' CPU can be told apart.
    let servers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(SERVER_THREADS)
        .enable_all()
        .build()
        .unwrap();
    let load = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = servers
        .block_on(Sandbox::start(SandboxConfig::default()))
        .unwrap();
    // Measured before the load runs: block_on cannot nest in a runtime.
    let (crypto_us, crypto_cpu_us) =
        crypto_cost(&servers, sb.gsalary_merchant_private_key_pem().unwrap());
    load.block_on(async {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();

        // Merchant wallet: log in once, read the balance.
        let login: serde_json::Value = http
            .post(format!("{}/merchantapi/user/account/login", sb.urls().merchant_wallet))
            .header("content-type", "application/json")
            .body(r#"{"username":"sandbox","password":"sandbox-password"}"#)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = format!("Bearer {}", login["data"]["access_token"].as_str().unwrap());
        let mw_url = format!("{}/merchantapi/wallet/operational/getUserBalance", sb.urls().merchant_wallet);
        let mw_body = http.post(&mw_url).header("authorization", &token).send().await.unwrap().bytes().await.unwrap();
        let mw_bare = servers.spawn(bare(mw_body.to_vec(), Vec::new())).await.unwrap();

        // GSalary: one request signed now (valid for five minutes), replayed.
        let key = sb.gsalary_merchant_private_key_pem().unwrap().to_owned();
        let signer = RsaSigner::new(&RsaPrivateKey::parse(&key).unwrap(), HashAlgorithm::Sha256).unwrap();
        let path = "/v1/wallets/balance?currency=USD";
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        let auth = walletbridge_gsalary::signing::sign(&signer, "GET", path, "sandbox-gsalary-appid", now, None).unwrap();
        let gs_url = format!("{}{path}", sb.urls().gsalary);
        let resp = http.get(&gs_url).header("x-appid", "sandbox-gsalary-appid").header("authorization", &auth).send().await.unwrap();
        assert!(resp.status().is_success());
        let gs_auth = resp.headers().get("authorization").unwrap().to_str().unwrap().to_owned();
        let gs_body = resp.bytes().await.unwrap();
        let gs_bare = servers
            .spawn(bare(gs_body.to_vec(), vec![("authorization".into(), gs_auth)]))
            .await
            .unwrap();

        let t = token.clone();
        let u = mw_url.clone();
        let mw = drive(move |c| c.post(&u).header("authorization", &t)).await;
        let u = format!("{mw_bare}/merchantapi/wallet/operational/getUserBalance");
        let t = token.clone();
        let mw_b = drive(move |c| c.post(&u).header("authorization", &t)).await;
        let (u, a) = (gs_url.clone(), auth.clone());
        let gs = drive(move |c| c.get(&u).header("x-appid", "sandbox-gsalary-appid").header("authorization", &a)).await;
        let (u, a) = (format!("{gs_bare}{path}"), auth.clone());
        let gs_b = drive(move |c| c.get(&u).header("x-appid", "sandbox-gsalary-appid").header("authorization", &a)).await;
        println!("concurrency {} for {:?} per case; servers and load generator each on 2 threads", concurrency(), secs());
        println!("merchant wallet balance (unsigned): {:>7.0} req/s, server CPU {}/req; bare axum, same bytes: {:>7.0} req/s, {}/req; rate ratio {:.2}",
            mw.per_sec, us(mw.cpu_us), mw_b.per_sec, us(mw_b.cpu_us), mw.per_sec / mw_b.per_sec);
        println!("gsalary balance (verify + sign):    {:>7.0} req/s, server CPU {}/req; bare axum, same bytes: {:>7.0} req/s, {}/req; rate ratio {:.2}",
            gs.per_sec, us(gs.cpu_us), gs_b.per_sec, us(gs_b.cpu_us), gs.per_sec / gs_b.per_sec);
        println!("one RSA-2048 sign + verify: {crypto_us:.0} µs alone on one core; CPU per one on the servers' threads, two at once: {}", us(crypto_cpu_us));
        match (gs.cpu_us, crypto_cpu_us) {
            (Some(cpu), Some(crypto)) => println!(
                "a signed request costs the server {cpu:.0} µs of CPU = {:.2}x one sign + verify measured the same way (goal: at most 1.20x)",
                cpu / crypto
            ),
            _ => println!("server CPU is not measurable here (Linux's per-thread schedstat is needed)"),
        }
    });
    servers.block_on(sb.shutdown());
}
