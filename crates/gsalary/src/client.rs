//! The client: builds, signs and sends requests, verifies and decodes answers.

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use walletbridge_core::encoding::{encode_path_segment, query_string, to_query_pairs};
use walletbridge_core::pagination::DEFAULT_MAX_PAGES;
use walletbridge_core::{
    CallSpec, Clock, Error, Executor, HttpRequest, IdSource, Items, ListAnswer, ListQuery, Page,
    Result, Signer, Verifier,
};

use walletbridge_core::webhook::Tolerance;

use crate::config::ClientBuilder;
use crate::endpoints::{Base, Endpoint};
use crate::envelope;
use crate::signing;

#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) appid: String,
    /// `test`, `production` or `custom`.
    pub(crate) environment: &'static str,
    pub(crate) base_url: String,
    pub(crate) acquiring_prefix: String,
    pub(crate) signer: Arc<dyn Signer>,
    pub(crate) verifier: Arc<dyn Verifier>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ids: Arc<dyn IdSource>,
    pub(crate) executor: Executor,
    /// How far an answer's signed time may be from the clock.
    pub(crate) answer_tolerance: Tolerance,
}

/// A GSalary client. Cheap to clone; clones share keys and the connection pool.
///
/// ```no_run
/// # async fn run() -> walletbridge_core::Result<()> {
/// let client = walletbridge_gsalary::Client::from_env()?;
/// let balance = client.wallet().balance("USD").await?;
/// println!("{} {}", balance.amount, balance.currency);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("gsalary::Client")
            .field("appid", &self.inner.appid)
            .field("environment", &self.inner.environment)
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the `GSALARY_*` environment variables
    /// (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The same client (keys, connection pool) whose calls use `options`
    /// over its own settings: a tighter deadline for one request path,
    /// another retry policy for a batch job.
    ///
    /// ```no_run
    /// # fn run(client: walletbridge_gsalary::Client) {
    /// use std::time::Duration;
    /// use walletbridge_core::CallOptions;
    /// let quick = client.with_options(&CallOptions::new().deadline(Duration::from_secs(3)));
    /// # let _ = quick; }
    /// ```
    pub fn with_options(&self, options: &walletbridge_core::CallOptions) -> Self {
        let mut inner = (*self.inner).clone();
        inner.executor = inner.executor.with_options(options);
        Self::from_inner(inner)
    }

    /// The environment this client talks to: `test`, `production`, or
    /// `custom` for any other base URL.
    pub fn environment(&self) -> &'static str {
        self.inner.environment
    }

    /// The base URL this client talks to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Checks up front that the configured platform public key verifies
    /// GSalary's answers (and that the appid and private key are accepted),
    /// with one cheap signed read: `GET /v1/wallets/balance?currency=USD`.
    ///
    /// `Ok(())` when a 2xx answer's signature verified, whatever the answer
    /// said (a signed refusal such as an unknown currency also proves the
    /// key). An error otherwise: `ErrorKind::Signature` names a platform key
    /// that does not match the environment (the usual cause: the test key
    /// against production, or the merchant's own public key in its place);
    /// `ErrorKind::Api` with a non-2xx status (an `INVALID_SIGNATURE` or
    /// `APPID_NOT_FOUND` code) names a request the platform refused; a
    /// transport error means the check could not run.
    ///
    /// ```no_run
    /// # async fn run() -> walletbridge_core::Result<()> {
    /// let client = walletbridge_gsalary::Client::from_env()?;
    /// client.check_platform_key().await?;
    /// # Ok(()) }
    /// ```
    pub async fn check_platform_key(&self) -> Result<()> {
        match self.wallet().balance("USD").await {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(e.kind(), walletbridge_core::ErrorKind::Api(_))
                    && e.status().is_some_and(|s| (200..300).contains(&s)) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// The appid requests are signed for.
    pub fn appid(&self) -> &str {
        &self.inner.appid
    }

    /// A fresh request id (32 hex digits, within GSalary's 50-character
    /// limit) from the configured [`IdSource`], for callers without ids of
    /// their own. Keep it: it is how an unknown outcome is looked up.
    pub fn new_request_id(&self) -> String {
        self.inner.ids.next_id()
    }

    /// The clock, shared (for the webhook verifier).
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.inner.clock)
    }

    /// The platform key's verifier, shared (for the webhook verifier).
    pub(crate) fn verifier(&self) -> Arc<dyn Verifier> {
        Arc::clone(&self.inner.verifier)
    }

    /// Starts a call to `ep`, filling its `{holes}` with `args` in order.
    /// An empty argument, or one an HTTP stack would normalise away (`.`,
    /// `..`), is a validation error naming the hole. Each hole's value is
    /// also an identifier the answer must echo unchanged when it carries it.
    pub(crate) fn call(&self, ep: Endpoint, args: &[&str]) -> Result<Call> {
        let mut path = String::with_capacity(ep.path.len() + 16);
        let mut rest = ep.path;
        let mut args = args.iter();
        let mut echo = Vec::new();
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|i| open + i)
                .unwrap_or(rest.len() - 1);
            let name = &rest[open + 1..close];
            let value = args.next().copied().unwrap_or("");
            check_path_segment(name, value)
                .map_err(|e| e.in_call(crate::PROVIDER, ep.operation))?;
            echo.push((name, value.to_owned()));
            path.push_str(&rest[..open]);
            path.push_str(&encode_path_segment(value));
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        let prefix = match ep.base {
            Base::V1 => "/v1",
            Base::Gateway => self.inner.acquiring_prefix.as_str(),
        };
        Ok(Call {
            ep,
            path: format!("{prefix}{path}"),
            query: Vec::new(),
            body: None,
            echo,
        })
    }

    /// Sends a call and decodes `data` into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let spec = CallSpec {
            provider: crate::PROVIDER,
            operation: call.ep.operation,
            idempotency: call.ep.idempotency,
            sensitive: call.ep.sensitive,
        };
        let url = call.url(&self.inner.base_url);
        // Signed (and verified) with the query values unescaped; sent escaped.
        let signed_path = call.signed_path();
        let inner = &self.inner;
        let span = tracing::debug_span!(
            "gsalary call",
            operation = call.ep.operation,
            environment = inner.environment,
            base_url = %inner.base_url,
            ids = %walletbridge_core::error::ids_field(&call.echo),
        );
        let result = inner
            .executor
            .run(
                &spec,
                |_| self.sign(&call, &url, &signed_path),
                |_req, resp| {
                    let expect = envelope::Expect {
                        appid: &inner.appid,
                        verifier: inner.verifier.as_ref(),
                        method: call.ep.method.as_str(),
                        signed_path: &signed_path,
                        now_ms: inner.clock.now_millis(),
                        tolerance: inner.answer_tolerance,
                        sensitive: call.ep.sensitive,
                        moves_money: call.ep.moves_money,
                        echo: &call.echo,
                    };
                    envelope::decode(&expect, resp)
                },
            )
            .instrument(span)
            .await;
        // Errors carry the call's own ids (request_id, card_id...).
        result.map_err(|e| e.with_ids(&call.echo))
    }

    /// Builds the signed request for one attempt, stamped by the clock.
    fn sign(&self, call: &Call, url: &str, signed_path: &str) -> Result<HttpRequest> {
        let ts = self.inner.clock.now_millis();
        let mut req = HttpRequest::new(call.ep.method, url);
        let auth = signing::sign(
            self.inner.signer.as_ref(),
            call.ep.method.as_str(),
            signed_path,
            &self.inner.appid,
            ts,
            call.body.as_deref(),
        )?;
        req = req
            .header("X-Appid", &self.inner.appid)
            .header("Authorization", auth);
        req = req.header("Accept", "application/json");
        if let Some(body) = &call.body {
            req = req
                .header("Content-Type", "application/json")
                .body(body.clone());
        }
        Ok(req)
    }

    /// Checks `validated` (the request's own rules), then sends `body` as JSON
    /// to `ep` and decodes the answer. Nothing is sent when the check fails.
    pub(crate) async fn send_json<B, T>(
        &self,
        ep: Endpoint,
        args: &[&str],
        validated: Result<()>,
        body: &B,
    ) -> Result<T>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        check(ep, validated)?;
        let call = self.call(ep, args)?.json(body)?;
        self.send(call).await
    }

    /// Checks `validated`, then sends `query` as the query string of `ep`
    /// and decodes the answer. Nothing is sent when the check fails.
    pub(crate) async fn send_query<Q, T>(
        &self,
        ep: Endpoint,
        args: &[&str],
        validated: Result<()>,
        query: &Q,
    ) -> Result<T>
    where
        Q: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        check(ep, validated)?;
        let call = self.call(ep, args)?.query(query)?;
        self.send(call).await
    }

    /// Sends a call with no query and no body.
    pub(crate) async fn send_plain<T: DeserializeOwned>(
        &self,
        ep: Endpoint,
        args: &[&str],
    ) -> Result<T> {
        let call = self.call(ep, args)?;
        self.send(call).await
    }

    /// One page of a list.
    pub(crate) async fn list<Q, L>(&self, ep: Endpoint, query: &Q) -> Result<Page<L::Item>>
    where
        Q: ListQuery + Serialize,
        L: ListAnswer + DeserializeOwned,
    {
        let answer: L = self.send_query(ep, &[], query.check(), query).await?;
        Ok(answer.into_page(query.page_no()))
    }

    /// Every item of a list from `query`'s page on, fetching page after page.
    /// The stream owns a clone of the client, so it outlives `self`.
    pub(crate) fn list_all<Q, L>(&self, ep: Endpoint, query: Q) -> Items<L::Item>
    where
        Q: ListQuery + Serialize + Send + Sync + 'static,
        L: ListAnswer + DeserializeOwned + Send + 'static,
        L::Item: PartialEq + Clone + Send + 'static,
    {
        let client = self.clone();
        Box::pin(walletbridge_core::paginate(
            query.page_no().max(1),
            DEFAULT_MAX_PAGES,
            move |page| {
                let client = client.clone();
                let q = query.clone().at_page(page);
                async move { client.list::<Q, L>(ep, &q).await }
            },
        ))
    }
}

/// A call being prepared: endpoint, wire path, query and body.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    ep: Endpoint,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
    /// Identifiers of this call (`card_id`, `request_id`...) that an answer
    /// carrying them must carry unchanged.
    echo: Vec<(&'static str, String)>,
}

impl Call {
    /// Adds the fields of `q` as the query string (sorted; empty values dropped).
    pub(crate) fn query<Q: Serialize + ?Sized>(mut self, q: &Q) -> Result<Self> {
        self.query
            .extend(to_query_pairs(q).map_err(|e| e.in_call(crate::PROVIDER, self.ep.operation))?);
        Ok(self)
    }

    /// Sets the JSON body. The bytes serialized here are the bytes signed and sent.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::validation("body", format!("cannot be encoded: {e}"))
                .in_call(crate::PROVIDER, self.ep.operation)
        })?;
        // The body's own identifiers are echoed by an answer meant for it.
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(&bytes) {
            for name in envelope::ECHOED_IDS {
                if let Some(v) = map.get(*name).and_then(envelope::id_text) {
                    self.echo.push((*name, v));
                }
            }
        }
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// The path and query as signed: query values unescaped, in the order sent.
    fn signed_path(&self) -> String {
        signing::signed_path(&self.path, &self.query)
    }

    fn url(&self, base: &str) -> String {
        if self.query.is_empty() {
            format!("{base}{}", self.path)
        } else {
            format!("{base}{}?{}", self.path, query_string(&self.query))
        }
    }
}

/// A value placed in a path segment: not blank, and not `.` or `..`, which an
/// HTTP stack would resolve away so that the path sent differs from the one
/// signed (and may reach another resource).
fn check_path_segment(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    walletbridge_core::encoding::check_path_segment(field, value)
}

/// Runs request validation and tags its error with the call it belongs to.
pub(crate) fn check(ep: Endpoint, result: Result<()>) -> Result<()> {
    result.map_err(|e| e.in_call(crate::PROVIDER, ep.operation))
}
