//! Raw signed calls: any path, signed like the SDK signs, the answer's
//! signature verified by the SDK's own verifier before anything is printed.
//!
//! The provider clients have no public raw-call method, so this module puts
//! the request together from their public signing modules and the core
//! transport; verification is the library's (`signing::verify`).

use std::sync::Arc;

use percent_encoding::percent_decode_str;
use serde_json::Value;
use walletbridge::adapay::signing as adapay_signing;
use walletbridge::core::config::EnvReader;
use walletbridge::core::webhook::Tolerance;
use walletbridge::core::{
    Clock as _, HashAlgorithm, HttpRequest, HttpResponse, Method, RsaSigner, RsaVerifier,
    SystemClock, Transport,
};
use walletbridge::gsalary::signing as gsalary_signing;

use crate::config::Settings;
use crate::error::{CliError, CliResult};

/// Everything a raw GSalary call needs.
pub struct GsalaryRaw {
    appid: String,
    base_url: String,
    signer: RsaSigner,
    verifier: RsaVerifier,
}

impl GsalaryRaw {
    /// Reads the `GSALARY_*` settings (the same names the client reads).
    pub fn from_settings(s: &Settings) -> CliResult<Self> {
        let env = EnvReader::new(s.lookup());
        let appid = env.required("GSALARY_APPID").map_err(|e| s.explain(e))?;
        let key = env
            .private_key("GSALARY_PRIVATE_KEY")
            .map_err(|e| s.explain(e))?;
        let platform = env
            .public_key("GSALARY_PLATFORM_PUBLIC_KEY")
            .map_err(|e| s.explain(e))?
            .ok_or_else(|| {
                s.explain(walletbridge::Error::config(
                    "GSALARY_PLATFORM_PUBLIC_KEY is not set",
                ))
            })?;
        let base_url = env
            .base_url("GSALARY_BASE_URL")
            .map_err(|e| s.explain(e))?
            .unwrap_or_else(|| {
                walletbridge::gsalary::Environment::Test
                    .base_url()
                    .to_owned()
            });
        Ok(Self {
            appid,
            base_url,
            signer: RsaSigner::new(&key, HashAlgorithm::Sha256)?,
            verifier: RsaVerifier::new(platform, HashAlgorithm::Sha256),
        })
    }

    /// Signs and sends one call; returns the verified `data`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> CliResult<Value> {
        if !path.starts_with('/') {
            return Err(CliError::usage(format!(
                "PATH must start with `/` (`/v1/wallets/balance?currency=USD`): `{path}`"
            )));
        }
        if body.is_some() && matches!(method, Method::Get | Method::Delete) {
            return Err(CliError::usage("a GSalary GET or DELETE carries no body"));
        }
        let (p, pairs) = split_query(path);
        let signed = gsalary_signing::signed_path(p, &pairs);
        let url = if pairs.is_empty() {
            format!("{}{p}", self.base_url)
        } else {
            format!(
                "{}{p}?{}",
                self.base_url,
                walletbridge::core::encoding::query_string(&pairs)
            )
        };
        let ts = SystemClock.now_millis();
        let auth = gsalary_signing::sign(
            &self.signer,
            method.as_str(),
            &signed,
            &self.appid,
            ts,
            body.as_deref(),
        )?;
        let mut req = HttpRequest::new(method, url)
            .header("X-Appid", &self.appid)
            .header("Authorization", auth)
            .header("Accept", "application/json");
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(b);
        }
        let resp = send(req).await?;
        if !resp.is_success() {
            return Err(gsalary_error(&resp));
        }
        let signed_at = gsalary_signing::verify(
            &self.verifier,
            resp.header_value("authorization"),
            method.as_str(),
            &signed,
            &self.appid,
            &resp.body,
        )
        .map_err(|e| {
            CliError::failure(format!(
                "the answer (HTTP {}) is not shown: {e}",
                resp.status
            ))
        })?;
        Tolerance::default()
            .check(signed_at, SystemClock.now_millis())
            .map_err(|e| CliError::failure(format!("the answer is not shown: {e}")))?;
        let v: Value = serde_json::from_slice(&resp.body)
            .map_err(|e| CliError::failure(format!("the signed answer is not JSON: {e}")))?;
        let result = v
            .pointer("/result/result")
            .and_then(Value::as_str)
            .unwrap_or("");
        if result != "S" {
            let code = v
                .pointer("/result/code")
                .and_then(Value::as_str)
                .unwrap_or("");
            let msg = v
                .pointer("/result/message")
                .and_then(Value::as_str)
                .unwrap_or("");
            let what = match result {
                "F" => "rejected (F)",
                "U" => "outcome unknown (U): query before retrying",
                _ => "no result",
            };
            return Err(CliError::failure(format!("GSalary: {what}: {code} {msg}")));
        }
        Ok(v.get("data").cloned().unwrap_or(Value::Null))
    }
}

fn gsalary_error(resp: &HttpResponse) -> CliError {
    let v: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let field = |k: &str| {
        v.as_ref()
            .and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    if v.is_some() && !field("error_code").is_empty() {
        CliError::failure(format!(
            "GSalary HTTP {}: {} {} (biz_result {}; unsigned, so for diagnosis only)",
            resp.status,
            field("error_code"),
            field("message"),
            field("biz_result")
        ))
    } else {
        CliError::failure(format!(
            "HTTP {} without a GSalary answer: {}",
            resp.status,
            snippet(&resp.body)
        ))
    }
}

/// The path and its query pairs, percent-decoded (a `+` stays a `+`).
fn split_query(path: &str) -> (&str, Vec<(String, String)>) {
    let Some((p, q)) = path.split_once('?') else {
        return (path, Vec::new());
    };
    let dec = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let pairs = q
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (dec(k), dec(v)),
            None => (dec(kv), String::new()),
        })
        .collect();
    (p, pairs)
}

/// Everything a raw Adapay call needs.
pub struct AdapayRaw {
    api_key: String,
    app_id: String,
    base_url: String,
    page_url: String,
    signer: RsaSigner,
    verifier: RsaVerifier,
}

impl AdapayRaw {
    /// Reads the `ADAPAY_*` settings (the same names the client reads).
    pub fn from_settings(s: &Settings) -> CliResult<Self> {
        let env = EnvReader::new(s.lookup());
        let api_key = env.required("ADAPAY_API_KEY").map_err(|e| s.explain(e))?;
        let app_id = env.required("ADAPAY_APP_ID").map_err(|e| s.explain(e))?;
        let key = env
            .private_key("ADAPAY_PRIVATE_KEY")
            .map_err(|e| s.explain(e))?;
        let platform = match env
            .public_key("ADAPAY_PLATFORM_PUBLIC_KEY")
            .map_err(|e| s.explain(e))?
        {
            Some(k) => k,
            None => walletbridge::core::RsaPublicKey::parse(
                walletbridge::adapay::config::DEFAULT_PLATFORM_PUBLIC_KEY,
            )?,
        };
        let base_url = env
            .base_url("ADAPAY_BASE_URL")
            .map_err(|e| s.explain(e))?
            .unwrap_or_else(|| walletbridge::adapay::config::DEFAULT_BASE_URL.to_owned());
        let page_url = env
            .base_url("ADAPAY_PAGE_URL")
            .map_err(|e| s.explain(e))?
            .unwrap_or_else(|| walletbridge::adapay::config::DEFAULT_PAGE_URL.to_owned());
        Ok(Self {
            api_key,
            app_id,
            base_url,
            page_url,
            signer: RsaSigner::new(&key, HashAlgorithm::Sha1)?,
            verifier: RsaVerifier::new(platform, HashAlgorithm::Sha1),
        })
    }

    /// Signs and sends one call; returns the verified, decoded `data`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        page_host: bool,
        params: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> CliResult<Value> {
        if !path.starts_with('/') || path.contains('?') {
            return Err(CliError::usage(format!(
                "PATH must start with `/` and carry no query (use --param): `{path}`"
            )));
        }
        let host = if page_host {
            &self.page_url
        } else {
            &self.base_url
        };
        let url = format!("{host}{path}");
        let req = match method {
            Method::Get => {
                if body.is_some() {
                    return Err(CliError::usage("an Adapay GET takes --param, not --body"));
                }
                let mut pairs: Vec<(String, String)> = params.to_vec();
                if !pairs.iter().any(|(k, _)| k == "app_id") {
                    pairs.push(("app_id".into(), self.app_id.clone()));
                }
                pairs.retain(|(_, v)| !v.is_empty());
                for (k, v) in &pairs {
                    if !v
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
                    {
                        return Err(CliError::usage(format!(
                            "--param {k}: a query value is signed and sent unescaped, so it may hold only letters, digits and `-._~`"
                        )));
                    }
                }
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                let query = adapay_query_text(&pairs);
                let sig = adapay_signing::sign(
                    &self.signer,
                    adapay_signing::get_signing_string(&url, &query).as_bytes(),
                )?;
                let full = if query.is_empty() {
                    url
                } else {
                    format!("{url}?{query}")
                };
                HttpRequest::new(Method::Get, full).header("Signature", sig)
            }
            _ => {
                let mut obj = match body {
                    Some(b) => match serde_json::from_slice::<Value>(&b) {
                        Ok(Value::Object(m)) => m,
                        _ => {
                            return Err(CliError::usage("--body must be a JSON object"));
                        }
                    },
                    None => params
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                };
                obj.entry("app_id")
                    .or_insert_with(|| Value::String(self.app_id.clone()));
                let bytes = adapay_json_body(obj)?;
                let sig = adapay_signing::sign(
                    &self.signer,
                    &adapay_signing::post_signing_string(&url, &bytes),
                )?;
                HttpRequest::new(method, url)
                    .header("Signature", sig)
                    .header("Content-Type", "application/json")
                    .body(bytes)
            }
        };
        let req = req
            .header("Authorization", &self.api_key)
            .header("sdk_version", walletbridge::adapay::SDK_VERSION)
            .header("Accept", "application/json");
        let resp = send(req).await?;
        decode_adapay(&self.verifier, &resp)
    }
}

/// Verifies an Adapay answer and returns its decoded `data`.
fn decode_adapay(verifier: &RsaVerifier, resp: &HttpResponse) -> CliResult<Value> {
    if resp.status == 401 {
        return Err(CliError::failure(format!(
            "Adapay refused the credentials (HTTP 401): {}",
            snippet(&resp.body)
        )));
    }
    let v: Value = serde_json::from_slice(&resp.body).map_err(|_| {
        CliError::failure(format!(
            "HTTP {} without an Adapay answer: {}",
            resp.status,
            snippet(&resp.body)
        ))
    })?;
    let Some(data) = v.get("data").and_then(Value::as_str) else {
        return Err(CliError::failure(format!(
            "HTTP {}: an answer without signed data: {}",
            resp.status,
            snippet(&resp.body)
        )));
    };
    adapay_signing::verify(
        verifier,
        data.as_bytes(),
        v.get("signature").and_then(Value::as_str),
    )
    .map_err(|e| {
        CliError::failure(format!(
            "the answer (HTTP {}) is not shown: {e}",
            resp.status
        ))
    })?;
    let data: Value = serde_json::from_str(data)
        .map_err(|e| CliError::failure(format!("the signed data is not JSON: {e}")))?;
    if data.get("status").and_then(Value::as_str) == Some("failed") {
        let f = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        return Err(CliError::failure(format!(
            "Adapay: failed: {} {}{}",
            f("error_code"),
            f("error_msg"),
            match f("invalid_param") {
                p if p.is_empty() => String::new(),
                p => format!(" (invalid_param {p})"),
            }
        )));
    }
    Ok(data)
}

/// Sends one request over the default transport.
pub async fn send(req: HttpRequest) -> CliResult<HttpResponse> {
    let transport: Arc<dyn Transport> = walletbridge::core::default_transport(
        std::time::Duration::from_secs(30),
        std::time::Duration::from_secs(10),
    )?;
    let url = req.url.clone();
    transport
        .execute(req)
        .await
        .map_err(|e| CliError::failure(format!("cannot reach {}: {}", host_of(&url), e.message)))
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split('/').next().unwrap_or(rest)
}

/// The start of a body, on one line.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let t = crate::error::one_line(&text);
    if t.chars().count() > 200 {
        format!("{}...", t.chars().take(200).collect::<String>())
    } else if t.is_empty() {
        "(empty body)".to_owned()
    } else {
        t
    }
}

/// Reads `--body JSON|@FILE`, checking it is JSON; the bytes are sent as given.
pub fn body_arg(body: Option<&str>) -> CliResult<Option<Vec<u8>>> {
    let Some(b) = body else { return Ok(None) };
    let bytes = match b.strip_prefix('@') {
        Some(path) => crate::error::read_file(std::path::Path::new(path), "--body file")?,
        None => b.as_bytes().to_vec(),
    };
    serde_json::from_slice::<Value>(&bytes)
        .map_err(|e| CliError::usage(format!("--body is not JSON: {e}")))?;
    Ok(Some(bytes))
}

/// `k=v&k2=v2`, unescaped, in the order given: the text Adapay signs after
/// the URL and sends as the query (the library's own helper is crate-private).
pub fn adapay_query_text(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A JSON object's bytes with `null` and `""` fields dropped, as Adapay
/// bodies are sent (the library's own helper is crate-private).
fn adapay_json_body(mut obj: serde_json::Map<String, Value>) -> CliResult<Vec<u8>> {
    obj.retain(|_, v| !(v.is_null() || v.as_str() == Some("")));
    serde_json::to_vec(&Value::Object(obj))
        .map_err(|e| CliError::usage(format!("the body cannot be encoded: {e}")))
}
