//! Login and the bearer token: the profile, one login for concurrent first
//! calls, one re-login and one repeat on 401, static tokens, wrong
//! credentials, the JWT's own lifetime, and secrets that never show.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use httpmock::MockServer;
use serde_json::json;
use walletbridge_core::test_util::assert_no_secrets;
use walletbridge_core::{ErrorKind, FixedClock, HttpRequest, HttpResponse};
use walletbridge_merchant_wallet::Client;

fn is_auth(err: &walletbridge_core::Error) -> bool {
    matches!(err.kind(), ErrorKind::Authentication { .. })
}

#[tokio::test]
async fn login_answers_the_profile_and_the_token() {
    let server = MockServer::start_async().await;
    let m = mount_login(&server, "jwt-abc", Duration::ZERO).await;
    let login = login_client_on(&server).login().await.unwrap();
    assert_eq!(login.token.expose(), "jwt-abc");
    assert_eq!(login.profile.id, Some(1000));
    assert_eq!(login.profile.username.as_deref(), Some("shop"));
    assert_eq!(login.profile.nickname.as_deref(), Some("QQSS Shop"));
    assert_eq!(login.profile.mobile.as_deref(), Some("13800000000"));
    // not a JWT: the notes' 30 days
    assert_eq!(login.lifetime, Duration::from_secs(30 * 24 * 3600));
    assert!(!format!("{login:?}").contains("jwt-abc"));
    m.assert_async().await;
}

#[tokio::test]
async fn a_token_client_cannot_log_in() {
    let err = token_client(page_transport()).login().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config { .. }), "{err}");
}

#[tokio::test]
async fn concurrent_first_calls_log_in_once() {
    let server = MockServer::start_async().await;
    // A slow login, so that every call is waiting for it.
    let login = mount_login(&server, TOKEN, Duration::from_millis(300)).await;
    let balance = mount(&server, USER_BALANCE, Some(TOKEN), 200, ok(user_balance())).await;
    let client = login_client_on(&server);
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.wallet().balance().await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(balance.calls_async().await, 24);
}

#[tokio::test]
async fn a_401_logs_in_again_once_and_repeats_the_call_once() {
    let server = MockServer::start_async().await;
    let login = mount_login(&server, TOKEN, Duration::ZERO).await;
    // The platform keeps refusing: one re-login, one repeat, then an error.
    let refused = mount(
        &server,
        USER_BALANCE,
        Some(TOKEN),
        401,
        json!({"code": 0, "msg": "登录已失效"}).to_string(),
    )
    .await;
    let client = on(&server)
        .credentials(USERNAME, PASSWORD)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let err = client.wallet().balance().await.unwrap_err();
    assert!(is_auth(&err), "{err}");
    assert_eq!(err.message(), Some("登录已失效"));
    assert_eq!(login.calls_async().await, 2);
    assert_eq!(refused.calls_async().await, 2);
}

#[tokio::test]
async fn a_401_to_the_recharge_repeats_it_once_with_a_new_token() {
    // Token 1 is refused; the re-login issues token 2, which works.
    let logins = Arc::new(AtomicUsize::new(0));
    let n = logins.clone();
    let transport = Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        Ok(match req.path() {
            LOGIN => {
                let i = n.fetch_add(1, Ordering::SeqCst) + 1;
                HttpResponse::new(200, login_answer(&format!("token-{i}")))
            }
            RECHARGE if req.header_value("Authorization") == Some("Bearer token-1") => {
                HttpResponse::new(401, json!({"code": 0, "msg": "token expired"}).to_string())
            }
            path => page_answer(path),
        })
    }));
    let client = login_client(transport.clone());
    let recharge =
        walletbridge_merchant_wallet::wallet::RechargeWallet::new("300".parse().unwrap(), 1);
    let order = client.wallet().recharge(&recharge).await.unwrap();
    assert_eq!(order.trade_no, "202312010001");
    let sent: Vec<_> = transport
        .requests()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.path(),
                r.header_value("Authorization").unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            format!("{LOGIN} -"),
            format!("{RECHARGE} Bearer token-1"),
            format!("{LOGIN} -"),
            format!("{RECHARGE} Bearer token-2"),
        ]
    );
    // And the new token is kept.
    client.wallet().balance().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn with_a_static_token_a_401_is_an_authentication_error() {
    let server = MockServer::start_async().await;
    let login = mount_login(&server, TOKEN, Duration::ZERO).await;
    let refused = mount(
        &server,
        TOTAL_MONEY,
        Some(TOKEN),
        401,
        "<html>401</html>".to_owned(),
    )
    .await;
    let client = on(&server)
        .token(TOKEN)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let err = client.wallet().total_money().await.unwrap_err();
    assert!(is_auth(&err), "{err}");
    assert_eq!(err.status(), Some(401));
    assert!(!err.is_retryable());
    assert_eq!(refused.calls_async().await, 1);
    assert_eq!(login.calls_async().await, 0);
}

#[tokio::test]
async fn wrong_credentials_are_an_authentication_error_never_retried() {
    let server = MockServer::start_async().await;
    let login = mount(
        &server,
        LOGIN,
        None,
        200,
        json!({"code": 0, "msg": "账号或密码错误", "data": ""}).to_string(),
    )
    .await;
    let balance = mount(&server, USER_BALANCE, Some(TOKEN), 200, ok(user_balance())).await;
    let client = on(&server)
        .credentials(USERNAME, "wrong-password-77")
        .retry_policy(quick_retries(5))
        .build()
        .unwrap();
    let err = client.wallet().balance().await.unwrap_err();
    assert!(is_auth(&err), "{err}");
    assert_eq!(err.message(), Some("账号或密码错误"));
    assert!(!err.is_retryable());
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(balance.calls_async().await, 0);
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains("wrong-password-77") && !text.contains(USERNAME),
        "{text}"
    );
    // The public login says the same.
    let err = client.login().await.unwrap_err();
    assert!(
        is_auth(&err) && err.message() == Some("账号或密码错误"),
        "{err}"
    );
    // A 4xx refusal too, and a 401.
    for status in [400, 401, 403] {
        let server = MockServer::start_async().await;
        mount(
            &server,
            LOGIN,
            None,
            status,
            json!({"code": 0, "msg": "密码错误"}).to_string(),
        )
        .await;
        let err = login_client_on(&server).login().await.unwrap_err();
        assert!(
            is_auth(&err) && err.message() == Some("密码错误"),
            "{status}: {err}"
        );
    }
}

#[tokio::test]
async fn the_token_lives_until_its_jwt_exp() {
    let now = 1_763_538_936_i64;
    let clock = Arc::new(FixedClock::new(now * 1000));
    let logins = Arc::new(AtomicUsize::new(0));
    let n = logins.clone();
    let transport = Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        Ok(match req.path() {
            LOGIN => {
                let i = n.fetch_add(1, Ordering::SeqCst);
                // valid 10 minutes from `now`
                let token = jwt(json!({"iat": now, "exp": now + 600, "jti": i}));
                HttpResponse::new(200, login_answer(&token))
            }
            path => page_answer(path),
        })
    }));
    let client = Client::builder()
        .base_url(BASE)
        .credentials(USERNAME, PASSWORD)
        .refresh_margin(Duration::from_secs(60))
        .clock(clock.clone())
        .transport(transport.clone())
        .build()
        .unwrap();
    let login = client.login().await.unwrap();
    assert_eq!(login.lifetime, Duration::from_secs(600));
    logins.store(0, Ordering::SeqCst);
    client.wallet().balance().await.unwrap();
    clock.set((now + 539) * 1000);
    client.wallet().balance().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    // within the margin of exp: log in again
    clock.set((now + 540) * 1000);
    client.wallet().balance().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_order_status_never_logs_in() {
    let server = MockServer::start_async().await;
    let login = mount_login(&server, TOKEN, Duration::ZERO).await;
    mount(
        &server,
        ORDER_STATUS,
        None,
        200,
        json!({"code": 1, "msg": "订单已支付", "data": {"status": 1}}).to_string(),
    )
    .await;
    login_client_on(&server)
        .pay()
        .order_status("M1")
        .await
        .unwrap();
    assert_eq!(login.calls_async().await, 0);
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let builder = Client::builder()
        .base_url(BASE)
        .credentials("user-name-5a1e", "pass-word-9b2f");
    let text = format!("{builder:?}");
    let client = builder.build().unwrap();
    let text = format!("{text} {client:?}");
    let token_builder = Client::builder().base_url(BASE).token("bearer-token-3c4d");
    let text = format!("{text} {token_builder:?}");
    assert_no_secrets(
        "builders and client",
        &text,
        &["user-name-5a1e", "pass-word-9b2f", "bearer-token-3c4d"],
    );
    // A login answer that cannot be read quotes nothing of it.
    let transport = Arc::new(MockTransport::with_responder(|_req: &HttpRequest| {
        Ok(HttpResponse::new(
            200,
            r#"{"code":1,"data":{"access_token":["tok-leak-6e7f"]}}"#,
        ))
    }));
    let err = login_client(transport).login().await.unwrap_err();
    assert_no_secrets(
        "login decode error",
        &format!("{err} {err:?}"),
        &["tok-leak-6e7f", PASSWORD],
    );
    // Nor does a failed login whose answer echoes the credentials.
    let transport = Arc::new(MockTransport::with_responder(|_req: &HttpRequest| {
        Ok(HttpResponse::new(
            500,
            format!(r#"{{"username":"{USERNAME}","password":"{PASSWORD}"}}"#),
        ))
    }));
    let err = login_client(transport)
        .wallet()
        .balance()
        .await
        .unwrap_err();
    assert_no_secrets("login 500 error", &format!("{err} {err:?}"), &[PASSWORD]);
}
