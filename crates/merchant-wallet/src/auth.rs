//! Login (`POST /merchantapi/user/account/login`) and where a call's bearer
//! token comes from.
//!
//! With a username and password, the client's token source is the core's
//! [`CachedTokenSource`]: its issuer logs in, and the token lives until the
//! JWT's own `exp` claim (read without verifying the JWT: the client only
//! needs to know when to log in again, and the platform checks the token
//! itself), or [`DEFAULT_TOKEN_LIFETIME`] when the token says nothing.
//! However many calls wait for the first token, one login runs. On HTTP 401
//! the executor drops the token, logs in again once and repeats the call once.
//!
//! With a ready token, the source is a [`StaticToken`](walletbridge_core::StaticToken) and a 401 is an
//! authentication error.
//!
//! Wrong credentials are an authentication error carrying the platform's
//! message; it is never retried (each later call tries one login of its own).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};
use walletbridge_core::{
    CachedTokenSource, Clock, Error, Executor, HttpRequest, HttpResponse, IssuedToken, Result,
    SecretString,
};

use crate::client::Client;
use crate::endpoints::LOGIN;
use crate::envelope;

/// How long a token lives when it is not a JWT with an `exp` claim: 30 days,
/// the lifetime the protocol notes give.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// A username (user name, mobile number or e-mail) and a password. Neither
/// appears in `Debug`, logs or errors.
#[derive(Clone)]
pub struct Credentials {
    username: SecretString,
    password: SecretString,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl Credentials {
    /// Credentials for the merchant back office.
    pub fn new(username: impl Into<SecretString>, password: impl Into<SecretString>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
        }
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.username.expose().trim().is_empty() || self.password.expose().is_empty()
    }
}

/// The body of a login, `{"username": ..., "password": ...}`, as the client
/// sends it. Neither value appears in `Debug`, logs or errors.
///
/// With the `server` feature it also deserializes (a server reading the
/// login), the password staying a [`SecretString`].
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct LoginRequest {
    /// The user name, mobile number or e-mail.
    pub username: SecretString,
    /// The password.
    pub password: SecretString,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl LoginRequest {
    /// The login body for `username` and `password`.
    pub fn new(username: impl Into<SecretString>, password: impl Into<SecretString>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
        }
    }
}

/// The `data` of a successful login as the platform writes it (feature
/// `server`): `{"access_token": "<JWT>"}`, with the optional extras below.
/// The client reads the token, its lifetime from the JWT's own `exp`, and
/// the profile from `userinfo` (see [`Login`]).
#[cfg(feature = "server")]
#[derive(Clone, Serialize)]
#[non_exhaustive]
pub struct LoginAnswer {
    /// The bearer token, a JWT.
    pub access_token: SecretString,
    /// Seconds the token lives (`expires_in`). Not on the page: a server may
    /// add it; the client reads the JWT's `exp` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// The merchant's profile (`userinfo`), which the client reads into
    /// [`MerchantProfile`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userinfo: Option<Map<String, Value>>,
}

#[cfg(feature = "server")]
impl std::fmt::Debug for LoginAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginAnswer")
            .field("access_token", &self.access_token)
            .field("expires_in", &self.expires_in)
            .field("userinfo", &self.userinfo)
            .finish()
    }
}

#[cfg(feature = "server")]
impl LoginAnswer {
    /// A login answer carrying `access_token` and nothing else.
    pub fn new(access_token: impl Into<SecretString>) -> Self {
        Self {
            access_token: access_token.into(),
            expires_in: None,
            userinfo: None,
        }
    }

    /// Adds `expires_in`, the token's lifetime in seconds.
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = Some(seconds);
        self
    }

    /// Adds the merchant's profile as `userinfo`.
    pub fn userinfo(mut self, profile: Map<String, Value>) -> Self {
        self.userinfo = Some(profile);
        self
    }
}

/// What a login answers: the token and the merchant's profile.
#[derive(Clone)]
#[non_exhaustive]
pub struct Login {
    /// The bearer token (`data.access_token`), a JWT. Never shown by `Debug`.
    pub token: SecretString,
    /// How long the token stays valid from now: from its `exp` claim, else
    /// [`DEFAULT_TOKEN_LIFETIME`].
    pub lifetime: Duration,
    /// The merchant's profile.
    pub profile: MerchantProfile,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("token", &self.token)
            .field("lifetime", &self.lifetime)
            .field("profile", &self.profile)
            .finish()
    }
}

/// The merchant profile a login answers with.
///
/// The page does not show the login answer; the protocol notes name only
/// `data.access_token`. The profile is `data.userinfo` (or `user_info`,
/// `user`, `merchant`) when the answer has such an object, else the rest of
/// `data`. The usual fields are typed when present; every field received is
/// kept in [`fields`](Self::fields), without any token.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MerchantProfile {
    /// The user id (`id`, or `user_id`).
    pub id: Option<i64>,
    /// The user name.
    pub username: Option<String>,
    /// The display name.
    pub nickname: Option<String>,
    /// The mobile number.
    pub mobile: Option<String>,
    /// The e-mail address.
    pub email: Option<String>,
    /// The avatar URL.
    pub avatar: Option<String>,
    /// Every field of the profile as received (numbers as JSON numbers),
    /// without tokens.
    pub fields: Map<String, Value>,
}

impl MerchantProfile {
    fn from_fields(mut fields: Map<String, Value>) -> Self {
        fields.retain(|k, _| !k.to_ascii_lowercase().contains("token"));
        let text = |k: &str| match fields.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let id = ["id", "user_id"].iter().find_map(|k| match fields.get(*k) {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        });
        Self {
            id,
            username: text("username"),
            nickname: text("nickname"),
            mobile: text("mobile"),
            email: text("email"),
            avatar: text("avatar"),
            fields,
        }
    }
}

/// What login needs: the executor, the base URL and the credentials. Held
/// by the client and by its token source's issuer (which cannot hold the
/// client itself: the client holds the source).
pub(crate) struct LoginCtx {
    pub(crate) executor: Executor,
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) clock: Arc<dyn Clock>,
}

impl LoginCtx {
    /// One login: `POST /merchantapi/user/account/login`.
    pub(crate) async fn login(&self) -> Result<Login> {
        let body = serde_json::to_vec(&LoginRequest {
            username: self.credentials.username.clone(),
            password: self.credentials.password.clone(),
        })
        .map_err(|_| Error::validation("password", "cannot be encoded"))?;
        let body = Bytes::from(body);
        let url = format!("{}{}", self.base_url, LOGIN.path);
        let data: Map<String, Value> = self
            .executor
            .run(
                &LOGIN.spec(),
                |_| {
                    Ok(HttpRequest::new(LOGIN.method, &url)
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/json")
                        .body(body.clone()))
                },
                |_req, resp| decode_login(resp),
            )
            .await?;
        let now = self.clock.now_millis() / 1000;
        login_from_data(data, now)
    }

    /// The cached, refreshing token source whose issuer logs in.
    pub(crate) fn token_source(self: Arc<Self>, margin: Duration) -> CachedTokenSource {
        let clock = Arc::clone(&self.clock);
        CachedTokenSource::new(move || {
            let ctx = Arc::clone(&self);
            async move {
                let login = ctx.login().await?;
                Ok(IssuedToken::new(login.token, login.lifetime))
            }
        })
        .refresh_margin(margin)
        .clock(clock)
    }
}

/// A login answer: `code` 1 with the token; any refusal (`code` 0, a 401) is
/// an authentication error carrying the platform's message.
fn decode_login(resp: &HttpResponse) -> Result<Map<String, Value>> {
    let head = match envelope::read_head(resp, true) {
        Ok(head) => head,
        // A refusal with a 4xx status (not "slow down") is about the credentials too.
        Err(e)
            if e.api_error().is_some_and(|a| {
                (400..500).contains(&a.status) && a.status != 408 && a.status != 429
            }) =>
        {
            return Err(Error::authentication(
                resp.status,
                e.message().unwrap_or_default().to_owned(),
            ));
        }
        Err(e) => return Err(e),
    };
    if head.code != 1 {
        let message = if head.msg.is_empty() {
            format!("login refused (code {})", head.code)
        } else {
            head.msg
        };
        return Err(Error::authentication(resp.status, message));
    }
    envelope::decode(resp, true)
}

/// The token and profile out of a login's `data`.
fn login_from_data(mut data: Map<String, Value>, now_secs: i64) -> Result<Login> {
    let token = ["access_token", "token"]
        .iter()
        .find_map(|k| match data.remove(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
            _ => None,
        })
        .ok_or_else(|| {
            Error::decode(
                "data.access_token",
                "the login answer carries no token",
                b"",
            )
        })?;
    let nested = ["userinfo", "user_info", "userInfo", "user", "merchant"]
        .iter()
        .find_map(|k| match data.get(*k) {
            Some(Value::Object(o)) => Some(o.clone()),
            _ => None,
        });
    let profile = MerchantProfile::from_fields(nested.unwrap_or(data));
    let lifetime = token_lifetime(&token, now_secs);
    Ok(Login {
        token: SecretString::from(token),
        lifetime,
        profile,
    })
}

/// How long `token` lives from `now_secs` (unix seconds): its JWT `exp`
/// claim minus now, read without verifying the JWT. When `exp` is already
/// past by the local clock (a clock ahead of the platform's), the token's
/// own span `exp - iat` is used instead. A token that is not a JWT, or
/// carries no `exp`, lives [`DEFAULT_TOKEN_LIFETIME`].
///
/// ```
/// use std::time::Duration;
/// use walletbridge_merchant_wallet::auth::{token_lifetime, DEFAULT_TOKEN_LIFETIME};
/// // {"alg":"HS256","typ":"JWT"} . {"iat":1700000000,"exp":1700003600}
/// let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0.sig";
/// assert_eq!(token_lifetime(jwt, 1_700_000_600), Duration::from_secs(3000));
/// assert_eq!(token_lifetime("not-a-jwt", 1_700_000_600), DEFAULT_TOKEN_LIFETIME);
/// ```
pub fn token_lifetime(token: &str, now_secs: i64) -> Duration {
    let Some(claims) = jwt_claims(token) else {
        return DEFAULT_TOKEN_LIFETIME;
    };
    let claim = |k: &str| match claims.get(k) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let secs = |n: i64| Duration::from_secs(u64::try_from(n).unwrap_or(0));
    match (claim("exp"), claim("iat")) {
        (Some(exp), _) if exp > now_secs => secs(exp.saturating_sub(now_secs)),
        (Some(exp), Some(iat)) if exp > iat => secs(exp.saturating_sub(iat)),
        _ => DEFAULT_TOKEN_LIFETIME,
    }
}

/// The claims of a JWT (`header.claims.signature`), decoded without verification.
fn jwt_claims(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.trim().split('.');
    let (_header, claims, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

impl Client {
    /// `POST /merchantapi/user/account/login`: logs in with the configured
    /// username and password and returns the token and the merchant profile.
    ///
    /// Calls do not need this: they log in by themselves on first use. This
    /// login is separate from the token the client caches (it does not
    /// replace it). A client built with a ready token has no credentials: a
    /// configuration error.
    ///
    /// ```no_run
    /// # async fn run() -> walletbridge_core::Result<()> {
    /// let client = walletbridge_merchant_wallet::Client::from_env()?;
    /// let login = client.login().await?;
    /// println!("{:?} logged in; token valid {:?}", login.profile.username, login.lifetime);
    /// # Ok(()) }
    /// ```
    pub async fn login(&self) -> Result<Login> {
        match self.login_ctx() {
            Some(ctx) => ctx.login().await,
            None => Err(Error::config(
                "login needs a username and password; this client was built with a token",
            )
            .in_call(crate::PROVIDER, LOGIN.operation)),
        }
    }

    /// The token the next call would send: logs in first when the client
    /// has credentials and no valid token yet. Never print it.
    pub async fn token(&self) -> Result<SecretString> {
        self.tokens()
            .token()
            .await
            .map_err(|e| e.in_call(crate::PROVIDER, LOGIN.operation))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn jwt(claims: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", e(r#"{"alg":"HS256"}"#), e(claims))
    }

    #[test]
    fn lifetime_comes_from_the_exp_claim() {
        let now = 1_763_538_936;
        let t = jwt(&format!(r#"{{"exp":{}}}"#, now + 7200));
        assert_eq!(token_lifetime(&t, now), Duration::from_secs(7200));
        let t = jwt(&format!(r#"{{"exp":"{}"}}"#, now + 60));
        assert_eq!(token_lifetime(&t, now), Duration::from_secs(60));
        // Past by the local clock: the token's own span.
        let t = jwt(&format!(r#"{{"iat":{},"exp":{}}}"#, now - 100, now - 10));
        assert_eq!(token_lifetime(&t, now), Duration::from_secs(90));
        for t in [
            jwt(r#"{"sub":1}"#),
            jwt(&format!(r#"{{"exp":{}}}"#, now - 1)),
            jwt("[1]"),
            "a.b".to_owned(),
            "a.!!!.c".to_owned(),
            "a.b.c.d".to_owned(),
            String::new(),
        ] {
            assert_eq!(token_lifetime(&t, now), DEFAULT_TOKEN_LIFETIME, "{t}");
        }
        // A padded segment is read too.
        let padded = format!(
            "x.{}.y",
            base64::engine::general_purpose::URL_SAFE.encode(format!(r#"{{"exp":{}}}"#, now + 5))
        );
        assert_eq!(token_lifetime(&padded, now), Duration::from_secs(5));
    }

    #[test]
    fn the_profile_never_keeps_a_token() {
        let data: Map<String, Value> = serde_json::from_str(
            r#"{"access_token":"tok-1","refresh_token":"r","id":1000,"username":"shop","mobile":"13800000000"}"#,
        )
        .unwrap();
        let login = login_from_data(data, 0).unwrap();
        assert_eq!(login.token.expose(), "tok-1");
        assert_eq!(login.profile.id, Some(1000));
        assert_eq!(login.profile.username.as_deref(), Some("shop"));
        assert!(!login.profile.fields.contains_key("refresh_token"));
        assert!(!format!("{login:?}").contains("tok-1"));
        let nested: Map<String, Value> = serde_json::from_str(
            r#"{"token":"tok-2","userinfo":{"user_id":"7","nickname":"Shop"}}"#,
        )
        .unwrap();
        let login = login_from_data(nested, 0).unwrap();
        assert_eq!(login.token.expose(), "tok-2");
        assert_eq!(login.profile.id, Some(7));
        assert_eq!(login.profile.nickname.as_deref(), Some("Shop"));
        let none: Map<String, Value> = serde_json::from_str(r#"{"id":1}"#).unwrap();
        assert!(login_from_data(none, 0).is_err());
    }

    #[test]
    fn credentials_never_show() {
        let c = Credentials::new("shop-user", "hunter2-secret");
        let d = format!("{c:?}");
        assert!(
            !d.contains("shop-user") && !d.contains("hunter2-secret"),
            "{d}"
        );
    }
}
