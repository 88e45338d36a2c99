//! The client: builds, signs and sends form requests, decodes answers.
//!
//! Every attempt of a call is built afresh: a token from the token source, a
//! `timestamp` from the clock (unix seconds), and the `sign` of the complete
//! parameter set from the [`RequestSigner`]. The form body's fields are, in
//! this order: `access_token`, the call's own fields in the order of the
//! page's table, `timestamp`, `sign`.

use std::sync::Arc;
use tracing::Instrument as _;

use serde::Serialize;
use serde::de::DeserializeOwned;
use walletbridge_core::date::UtcOffset;
use walletbridge_core::{
    Attempt, Clock, Error, Executor, HttpRequest, HttpResponse, Result, TokenSource, form,
};

use crate::config::ClientBuilder;
use crate::endpoints::Endpoint;
use crate::envelope;
use crate::signing::{RequestSigner, SignRequest};

#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) tokens: Arc<dyn TokenSource>,
    pub(crate) signer: Arc<dyn RequestSigner>,
    pub(crate) offset: UtcOffset,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) executor: Executor,
}

/// A senior wallet client for one application of one deployment. Cheap to
/// clone; clones share the token source, signer and connection pool.
///
/// ```no_run
/// # async fn run() -> walletbridge_core::Result<()> {
/// use std::sync::Arc;
/// use walletbridge_wallet_senior::order::OrderQuery;
/// use walletbridge_wallet_senior::{Client, SandboxHmacSigner};
/// let client = walletbridge_wallet_senior::ClientBuilder::from_env()?
///     .signer(Arc::new(SandboxHmacSigner::new("sandbox-secret")))
///     .build()?;
/// let order = client.order().query(&OrderQuery::new("W202401010001")).await?;
/// println!("{:?}", order.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("wallet_senior::Client")
            .field("base_url", &self.inner.base_url)
            .field("utc_offset", &self.inner.offset)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the `WALLET_SENIOR_*` environment variables
    /// (see [`ClientBuilder::from_env`]); it needs
    /// `WALLET_SENIOR_SANDBOX_SECRET` for a signer. With your deployment's
    /// signer, use `ClientBuilder::from_env()?.signer(...).build()`.
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
    /// # fn run(client: walletbridge_wallet_senior::Client) {
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

    /// The clock the client stamps requests and checks expiry times with.
    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// The offset local times are written and read at (default +08:00).
    pub fn utc_offset(&self) -> UtcOffset {
        self.inner.offset
    }

    /// Starts a call to `ep`.
    pub(crate) fn call(&self, ep: Endpoint) -> Call {
        Call {
            ep,
            fields: Vec::new(),
            echo: Vec::new(),
        }
    }

    /// Sends a call and decodes the answer's `data` into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let offset = self.inner.offset;
        self.execute(&call, |resp| {
            let expect = envelope::Expect {
                echo: &call.echo,
                offset,
            };
            envelope::decode(&expect, resp)
        })
        .await
    }

    /// Sends a call the server only acknowledges (`{"code":1001}`).
    pub(crate) async fn send_ack(&self, call: Call) -> Result<()> {
        self.execute(&call, envelope::acknowledge).await
    }

    async fn execute<T>(
        &self,
        call: &Call,
        mut decode: impl FnMut(&HttpResponse) -> Result<T>,
    ) -> Result<T> {
        let spec = call.ep.spec();
        let url = format!("{}{}", self.inner.base_url, call.ep.path);
        self.inner
            .executor
            .run_authenticated(
                &spec,
                self.inner.tokens.as_ref(),
                |attempt| self.build(call, &url, attempt),
                |_req, resp| decode(resp),
            )
            .instrument(tracing::debug_span!(
                "call",
                ids = %walletbridge_core::error::ids_field(&call.echo)
            ))
            .await
            // The error names the order it is about (biz_no, order_no...), so
            // an unknown outcome says which order to look up.
            .map_err(|e| e.with_ids(&call.echo))
    }

    /// The signed request of one attempt: its token, a fresh timestamp, the sign.
    fn build(&self, call: &Call, url: &str, attempt: &Attempt) -> Result<HttpRequest> {
        let token = attempt
            .token
            .as_ref()
            .ok_or_else(|| Error::authentication(0, "the token source gave no token"))?;
        let mut params: Vec<(String, String)> = Vec::with_capacity(call.fields.len() + 3);
        params.push((envelope::ACCESS_TOKEN.to_owned(), token.expose().clone()));
        params.extend(
            call.fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone())),
        );
        params.push((
            envelope::TIMESTAMP.to_owned(),
            self.inner.clock.now_secs().to_string(),
        ));
        let sign = self
            .inner
            .signer
            .sign(&SignRequest::new(call.ep.path, &params))?;
        if sign.trim().is_empty() {
            return Err(Error::config("the request signer returned an empty sign"));
        }
        params.push((envelope::SIGN.to_owned(), sign));
        let body = form::encode(params.iter().map(|(k, v)| (k, v)));
        Ok(HttpRequest::new(call.ep.method, url)
            .header("Content-Type", form::CONTENT_TYPE)
            .header("Accept", "application/json")
            .body(body))
    }
}

/// A call being prepared: the endpoint, its form fields in order, and the
/// identifiers an answer must echo.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    ep: Endpoint,
    fields: Vec<(&'static str, String)>,
    echo: Vec<(&'static str, String)>,
}

impl Call {
    /// Adds a form field.
    pub(crate) fn field(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((name, value.into()));
        self
    }

    /// Adds a form field when there is a value.
    pub(crate) fn optional(self, name: &'static str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.field(name, v),
            None => self,
        }
    }

    /// Adds a form field holding `value` as JSON text.
    pub(crate) fn json<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<Self> {
        let text = serde_json::to_string(value).map_err(|e| {
            Error::validation(name, format!("cannot be encoded: {e}"))
                .in_call(crate::PROVIDER, self.ep.operation)
        })?;
        Ok(self.field(name, text))
    }

    /// An identifier the answer must carry unchanged when it carries it.
    pub(crate) fn echo(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.echo.push((name, value.into()));
        self
    }
}

/// Runs request validation and tags its error with the call it belongs to.
pub(crate) fn check(ep: Endpoint, result: Result<()>) -> Result<()> {
    result.map_err(|e| e.in_call(crate::PROVIDER, ep.operation))
}
