//! Helpers for the `server` feature's tests against the client: answers
//! signed as the platform signs, a call run against such an answer, and
//! checks that what the client sent decodes into the crate's request types.
#![allow(dead_code, clippy::unwrap_used)]

use std::fmt::Debug;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{HttpRequest, HttpResponse};
use walletbridge_gsalary::endpoints::{self, Endpoint, decode_query};
use walletbridge_gsalary::{Client, envelope, signing};

use super::{APPID, NOW_MS, PLATFORM_KEY, client_with, signer};

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn t(s: &str) -> walletbridge_core::date::WireTime {
    walletbridge_core::date::WireTime::parse(s)
}

/// The `extra` map of a model, from `(key, value)` pairs.
pub fn extra(pairs: &[(&str, serde_json::Value)]) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// A transport answering every request with `status` and `body`, signed as
/// the platform signs (the crate's `sign_answer`).
pub fn platform(status: u16, body: Vec<u8>) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        Ok(signing::sign_response(
            &signer(PLATFORM_KEY),
            req,
            APPID,
            NOW_MS,
            HttpResponse::new(status, body.clone()),
        )
        .unwrap())
    }))
}

/// Runs a call against a platform answering `answer` (none: no `data`) in
/// the success envelope; returns the request the client sent and what it
/// read. The answer model also round-trips on its own.
pub async fn call<A, F, Fut, T>(answer: Option<&A>, f: F) -> (HttpRequest, T)
where
    A: Serialize + DeserializeOwned + PartialEq + Debug,
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    if let Some(a) = answer {
        model_round_trip(a);
    }
    let transport = platform(200, envelope::encode_success(answer).unwrap());
    let out = f(client_with(transport.clone())).await.unwrap();
    (transport.last_request().unwrap(), out)
}

/// [`call`] for a call that answers nothing.
pub async fn call_no_data<F, Fut>(f: F) -> HttpRequest
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<()>>,
{
    call::<serde_json::Value, _, _, _>(None, f).await.0
}

/// The request's query pairs as a server reads them (values decoded).
pub fn query_of(req: &HttpRequest) -> Vec<(String, String)> {
    let signed = signing::unescaped_path_and_query(req.path_and_query());
    let Some((_, q)) = signed.split_once('?') else {
        return Vec::new();
    };
    q.split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

/// The request went to `want`, found through the public table.
#[track_caller]
pub fn endpoint_is(req: &HttpRequest, want: &Endpoint) {
    let path = req.path_and_query().split('?').next().unwrap().to_owned();
    assert_eq!(
        endpoints::route(req.method.as_str(), &path).unwrap().0,
        want
    );
}

/// The query the client sent decodes into `want`.
#[track_caller]
pub fn query_is<Q: DeserializeOwned + PartialEq + Debug>(req: &HttpRequest, want: &Q) {
    let got: Q = decode_query(&query_of(req)).unwrap();
    assert_eq!(&got, want);
}

/// The body the client sent decodes into `want`.
#[track_caller]
pub fn body_is<B: DeserializeOwned + PartialEq + Debug>(req: &HttpRequest, want: &B) {
    let got: B = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(&got, want);
}

/// An answer model written by the server side decodes back, through the
/// client's tolerant decoder, to an equal value.
#[track_caller]
pub fn model_round_trip<M: Serialize + DeserializeOwned + PartialEq + Debug>(m: &M) {
    let bytes = serde_json::to_vec(m).unwrap();
    let back: M = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(&back, m, "{}", String::from_utf8_lossy(&bytes));
}
