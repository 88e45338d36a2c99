//! The client: builds, signs and sends requests, verifies and decodes answers.

use std::sync::Arc;
use tracing::Instrument as _;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use walletbridge_core::{
    Executor, HttpRequest, IdSource, Method, Result, SecretString, Signer, Verifier,
};

use crate::config::ClientBuilder;
use crate::endpoints::{Endpoint, Host};
use crate::envelope;
use crate::signing;

#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) api_key: SecretString,
    pub(crate) app_id: String,
    pub(crate) base_url: String,
    pub(crate) page_url: String,
    pub(crate) wallet_page_url: String,
    pub(crate) signer: Arc<dyn Signer>,
    pub(crate) verifier: Arc<dyn Verifier>,
    pub(crate) ids: Arc<dyn IdSource>,
    pub(crate) executor: Executor,
}

/// An Adapay client for one merchant application. Cheap to clone; clones
/// share keys and the connection pool. Several merchants are several clients.
///
/// ```no_run
/// # async fn run() -> walletbridge_core::Result<()> {
/// use walletbridge_adapay::wallet::BalanceQuery;
/// let client = walletbridge_adapay::Client::from_env()?;
/// let balance = client.wallet().balance(&BalanceQuery::merchant()).await?;
/// println!("{:?}", balance.avl_balance);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("adapay::Client")
            .field("app_id", &self.inner.app_id)
            .field("api_key", &self.inner.api_key)
            .field("base_url", &self.inner.base_url)
            .field("page_url", &self.inner.page_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the `ADAPAY_*` environment variables
    /// (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The same client (keys, token, connection pool) whose calls use
    /// `options` over its own settings: a tighter deadline for one request
    /// path, another retry policy for a batch job.
    ///
    /// ```no_run
    /// # fn run(client: walletbridge_adapay::Client) {
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

    /// The app_id requests are made for.
    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// The URL the wallet page form posts to.
    pub fn wallet_page_url(&self) -> &str {
        &self.inner.wallet_page_url
    }

    /// A fresh `order_no` (32 hex digits: letters and digits, as Adapay
    /// requires) from the configured [`IdSource`]. Keep it: it is how a
    /// draw cash with an unknown outcome is looked up.
    pub fn new_order_no(&self) -> String {
        self.inner.ids.next_id()
    }

    pub(crate) fn verifier(&self) -> Arc<dyn Verifier> {
        Arc::clone(&self.inner.verifier)
    }

    fn url(&self, ep: Endpoint) -> String {
        let host = match ep.host {
            Host::Api => &self.inner.base_url,
            Host::Page => &self.inner.page_url,
        };
        format!("{host}{}", ep.path)
    }

    /// Starts a call to `ep`: an answer that names an `app_id` must name
    /// this client's.
    pub(crate) fn call(&self, ep: Endpoint) -> Call {
        Call {
            ep,
            payload: Payload::Query(String::new()),
            echo: vec![("app_id", self.inner.app_id.clone())],
        }
    }

    /// Sends a call and decodes the verified `data` into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let ep = call.ep;
        let url = self.url(ep);
        // Signed once: Adapay signs no timestamp, so every attempt is the same request.
        let request = self
            .sign(ep.method, &url, &call.payload)
            .map_err(|e| e.in_call(crate::PROVIDER, ep.operation))?;
        let expect = envelope::Expect {
            verifier: self.inner.verifier.as_ref(),
            object: ep.object,
            object_required: ep.object_required,
            echo: &call.echo,
            sensitive: ep.sensitive,
        };
        self.inner
            .executor
            .run(
                &ep.spec(),
                |_| Ok(request.clone()),
                |_req, resp| envelope::decode(&expect, resp),
            )
            .instrument(tracing::debug_span!(
                "call",
                ids = %walletbridge_core::error::ids_field(&call.echo)
            ))
            .await
            // The error names the order it is about, so an unknown outcome
            // says which order to look up.
            .map_err(|e| e.with_ids(&call.echo))
    }

    /// Builds the signed request.
    fn sign(&self, method: Method, url: &str, payload: &Payload) -> Result<HttpRequest> {
        let (full_url, message, body) = match payload {
            Payload::Json(body) => (
                url.to_owned(),
                signing::post_signing_string(url, body),
                Some(body.clone()),
            ),
            Payload::Query(q) if q.is_empty() => (url.to_owned(), url.as_bytes().to_vec(), None),
            Payload::Query(q) => (
                format!("{url}?{q}"),
                signing::get_signing_string(url, q).into_bytes(),
                None,
            ),
        };
        let signature = signing::sign(self.inner.signer.as_ref(), &message)?;
        let mut req = HttpRequest::new(method, full_url)
            .header(
                signing::API_KEY_HEADER,
                self.inner.api_key.expose().as_str(),
            )
            .header(signing::SIGNATURE_HEADER, signature)
            .header(signing::SDK_VERSION_HEADER, crate::SDK_VERSION);
        if let Some(body) = body {
            req = req.header("Content-Type", "application/json").body(body);
        }
        Ok(req)
    }
}

/// A call being prepared: endpoint, payload, and the request's values an
/// answer must echo.
pub(crate) struct Call {
    ep: Endpoint,
    payload: Payload,
    echo: Vec<(&'static str, String)>,
}

impl Call {
    /// The fields of `body` (empty values dropped) as the JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = signing::json_body(body).map_err(|e| self.tag(e))?;
        self.payload = Payload::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// The fields of `query` (sorted, empty values dropped) as the query string.
    pub(crate) fn query<Q: Serialize + ?Sized>(mut self, query: &Q) -> Result<Self> {
        let pairs = signing::query_pairs(query).map_err(|e| self.tag(e))?;
        self.payload = Payload::Query(signing::query_string(&pairs));
        Ok(self)
    }

    /// An answer that carries `field` must carry `value` in it.
    pub(crate) fn echo(mut self, field: &'static str, value: &str) -> Self {
        self.echo.push((field, value.to_owned()));
        self
    }

    fn tag(&self, e: walletbridge_core::Error) -> walletbridge_core::Error {
        e.in_call(crate::PROVIDER, self.ep.operation)
    }
}

/// What a request carries besides its URL.
enum Payload {
    /// The JSON body bytes, exactly as signed.
    Json(Bytes),
    /// The sorted, unescaped query text, exactly as signed.
    Query(String),
}

/// Runs request validation and tags its error with the call it belongs to.
pub(crate) fn check(ep: Endpoint, result: Result<()>) -> Result<()> {
    result.map_err(|e| e.in_call(crate::PROVIDER, ep.operation))
}
