//! The client: builds requests (with the bearer token where the endpoint
//! needs one), sends them and decodes the answers.

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use walletbridge_core::pagination::DEFAULT_MAX_PAGES;
use walletbridge_core::{
    Error, Executor, HttpRequest, HttpResponse, Items, ListAnswer, ListQuery, Page, Result,
    TokenSource,
};

use crate::auth::LoginCtx;
use crate::config::ClientBuilder;
use crate::endpoints::{Auth, Endpoint};
use crate::envelope;

#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) tokens: Arc<dyn TokenSource>,
    /// `None` when the client was given a token instead of credentials.
    pub(crate) login: Option<Arc<LoginCtx>>,
    pub(crate) executor: Executor,
}

/// A merchant wallet client for one merchant account. Cheap to clone;
/// clones share the token (and its one login) and the connection pool.
///
/// ```no_run
/// # async fn run() -> walletbridge_core::Result<()> {
/// let client = walletbridge_merchant_wallet::Client::from_env()?;
/// let money = client.wallet().total_money().await?;
/// println!("{} (today {})", money.total_money, money.today_income);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("merchant_wallet::Client")
            .field("base_url", &self.inner.base_url)
            .field("logs_in", &self.inner.login.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the `MERCHANT_WALLET_*` environment variables
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
    /// # fn run(client: walletbridge_merchant_wallet::Client) {
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

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn login_ctx(&self) -> Option<&LoginCtx> {
        self.inner.login.as_deref()
    }

    pub(crate) fn tokens(&self) -> &dyn TokenSource {
        self.inner.tokens.as_ref()
    }

    /// Starts a call to `ep` with an empty JSON object as its body.
    pub(crate) fn call(&self, ep: Endpoint) -> Call {
        Call {
            ep,
            body: Bytes::from_static(b"{}"),
        }
    }

    /// Sends a call and decodes `data` into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let sensitive = call.ep.sensitive;
        self.send_with(call, |resp| envelope::decode(resp, sensitive))
            .await
    }

    /// Sends a call and decodes the answer with `decode`.
    pub(crate) async fn send_with<T, D>(&self, call: Call, mut decode: D) -> Result<T>
    where
        D: FnMut(&HttpResponse) -> Result<T>,
    {
        let ep = call.ep;
        let url = format!("{}{}", self.inner.base_url, ep.path);
        let build = |token: Option<&str>| {
            let mut req = HttpRequest::new(ep.method, &url);
            if let Some(token) = token {
                req = req.header("Authorization", format!("Bearer {token}"));
            }
            req.header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .body(call.body.clone())
        };
        let executor = &self.inner.executor;
        match ep.auth {
            Auth::Bearer => {
                executor
                    .run_authenticated(
                        &ep.spec(),
                        self.tokens(),
                        |attempt| match &attempt.token {
                            Some(token) => Ok(build(Some(token.expose()))),
                            None => Err(Error::authentication(0, "no token to send")),
                        },
                        |_req, resp| decode(resp),
                    )
                    .await
            }
            Auth::Public => {
                executor
                    .run(&ep.spec(), |_| Ok(build(None)), |_req, resp| decode(resp))
                    .await
            }
        }
    }

    /// Checks `validated` (the request's own rules), then sends `body` as JSON
    /// to `ep` and decodes the answer. Nothing is sent when the check fails.
    pub(crate) async fn send_json<B, T>(
        &self,
        ep: Endpoint,
        validated: Result<()>,
        body: &B,
    ) -> Result<T>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        check(ep, validated)?;
        let call = self.call(ep).json(body)?;
        self.send(call).await
    }

    /// One page of a list.
    pub(crate) async fn list<Q, L>(&self, ep: Endpoint, query: &Q) -> Result<Page<L::Item>>
    where
        Q: ListQuery + Serialize,
        L: ListAnswer + DeserializeOwned,
    {
        let answer: L = self.send_json(ep, query.check(), query).await?;
        Ok(answer
            .into_page(query.page_no())
            .with_page_size(query.page_size()))
    }

    /// Every item of a list from `query`'s page on, fetching page after page
    /// until `total` is reached. The stream owns a clone of the client, so it
    /// outlives `self`.
    pub(crate) fn list_all<Q, L>(&self, ep: Endpoint, query: Q) -> Items<L::Item>
    where
        Q: ListQuery + Serialize + Send + Sync + 'static,
        L: ListAnswer + DeserializeOwned + Send + 'static,
        L::Item: PartialEq + Clone + Send + 'static,
    {
        // Checked as asked: the walk would otherwise start a page 0 at 1.
        if let Err(e) = check(ep, query.check()) {
            return Box::pin(futures_util::stream::once(async move { Err(e) }));
        }
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

/// A call being prepared: the endpoint and its JSON body.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    ep: Endpoint,
    body: Bytes,
}

impl Call {
    /// Sets the JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::validation("body", format!("cannot be encoded: {e}"))
                .in_call(crate::PROVIDER, self.ep.operation)
        })?;
        self.body = Bytes::from(bytes);
        Ok(self)
    }
}

/// Runs request validation and tags its error with the call it belongs to.
pub(crate) fn check(ep: Endpoint, result: Result<()>) -> Result<()> {
    result.map_err(|e| e.in_call(crate::PROVIDER, ep.operation))
}
