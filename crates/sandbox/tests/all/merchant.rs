//! The simulated merchant wallet on the wire: its table, models and
//! envelopes. (The client's flows against the sandbox are in the workspace's
//! end-to-end suite, tests/tests/end_to_end.)

use crate::common::{dec, start};

/// One raw call: status and the envelope.
async fn call(
    http: &reqwest::Client,
    url: String,
    method: reqwest::Method,
    token: Option<&str>,
    body: (&str, &str),
) -> (u16, serde_json::Value) {
    let mut req = http.request(method, url).header("content-type", body.0);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = req.body(body.1.to_owned()).send().await.expect("send");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)));
    (status, v)
}

#[tokio::test]
async fn the_wire_is_the_crates_own_table_models_and_envelopes() {
    use reqwest::Method;
    use walletbridge_merchant_wallet::endpoints;
    use walletbridge_merchant_wallet::wallet::{RechargeChannels, RechargeOrderList, UserBalance};

    const JSON: &str = "application/json";
    const FORM: &str = "application/x-www-form-urlencoded";
    let sb = start().await;
    let base = sb.urls().merchant_wallet.clone();
    let url = |path: &str| format!("{base}{path}");
    let http = reqwest::Client::new();

    // Login: the crate's request type in, its login answer out.
    let (status, v) = call(
        &http,
        url(endpoints::LOGIN.path),
        Method::POST,
        None,
        (
            JSON,
            r#"{"username":"sandbox","password":"sandbox-password"}"#,
        ),
    )
    .await;
    assert_eq!((status, v["code"].as_i64()), (200, Some(1)), "{v}");
    let token = v["data"]["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let t = Some(token.as_str());
    // A wrong type is named, without quoting the value.
    let (_, v) = call(
        &http,
        url(endpoints::LOGIN.path),
        Method::POST,
        None,
        (JSON, r#"{"username":"sandbox","password":987654321}"#),
    )
    .await;
    let msg = v["msg"].as_str().expect("msg");
    assert_eq!(v["code"], 0);
    assert!(
        msg.contains("password") && !msg.contains("987654321"),
        "{msg}"
    );
    let (_, v) = call(
        &http,
        url(endpoints::LOGIN.path),
        Method::POST,
        None,
        (FORM, "username=sandbox"),
    )
    .await;
    assert!(v["msg"].as_str().expect("msg").contains("password"), "{v}");

    // Every endpoint of the table is served; anything else is the unknown-endpoint error.
    for e in endpoints::ALL {
        let (status, _) = call(&http, url(e.path), Method::POST, t, (JSON, "{}")).await;
        assert_ne!(status, 404, "{}", e.operation);
    }
    for (method, path) in [
        (Method::POST, "/merchantapi/wallet/operational/nope"),
        (Method::GET, endpoints::DO_RECHARGE.path),
        (Method::GET, endpoints::ORDER_STATUS.path),
    ] {
        let (status, v) = call(&http, url(path), method, t, (JSON, "{}")).await;
        assert_eq!((status, v["code"].as_i64()), (404, Some(0)), "{path}");
    }
    // The three reads the page gives no method answer any method.
    let (status, v) = call(
        &http,
        url(endpoints::USER_BALANCE.path),
        Method::GET,
        t,
        (JSON, ""),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        v["data"]["money"], "1000.00",
        "amounts as strings with their scale"
    );
    let b: UserBalance = serde_json::from_value(v["data"].clone()).expect("model");
    assert_eq!(b.money, dec("1000"));

    // The 401 answer.
    let (status, v) = call(
        &http,
        url(endpoints::TOTAL_MONEY.path),
        Method::POST,
        Some("a.b.c"),
        (JSON, "{}"),
    )
    .await;
    assert_eq!((status, v["code"].as_i64()), (401, Some(0)));
    assert!(v["msg"].is_string());

    // Channels: the fee rate as a JSON number.
    let (_, v) = call(
        &http,
        url(endpoints::RECHARGE_CHANNELS.path),
        Method::POST,
        t,
        (JSON, "{}"),
    )
    .await;
    assert_eq!(v["data"]["fee_rate"], serde_json::json!(0.05));
    let c: RechargeChannels = serde_json::from_value(v["data"].clone()).expect("model");
    assert_eq!(c.channels.len(), 2);

    // Recharge: missing and wrong fields named; a form body read like JSON.
    let recharge = url(endpoints::DO_RECHARGE.path);
    for (body, field) in [
        (r#"{"channelId":1}"#, "amount"),
        (r#"{"amount":"ten","channelId":1}"#, "amount"),
        (r#"{"amount":10}"#, "channelId"),
        (r#"{"amount":10,"channelId":[1]}"#, "channelId"),
    ] {
        let (status, v) = call(&http, recharge.clone(), Method::POST, t, (JSON, body)).await;
        let msg = v["msg"].as_str().expect("msg");
        assert_eq!((status, v["code"].as_i64()), (200, Some(0)), "{body}");
        assert!(msg.contains(field), "{body}: {msg}");
    }
    let (_, v) = call(&http, recharge.clone(), Method::POST, t, (JSON, "{nope")).await;
    assert_eq!(v["msg"], "请求参数格式错误");
    let (_, v) = call(
        &http,
        recharge.clone(),
        Method::POST,
        t,
        (FORM, "amount=10.5&channelId=2"),
    )
    .await;
    assert_eq!(v["code"], 1, "{v}");
    assert_eq!(v["data"]["order_auto_close_time"], 1800);
    let trade_no = v["data"]["trade_no"].as_str().expect("trade_no").to_owned();

    // The order list: the crate's list model, amounts with three decimals.
    let (_, v) = call(
        &http,
        url(endpoints::RECHARGE_ORDERS.path),
        Method::POST,
        t,
        (JSON, r#"{"status":"0","page":1,"limit":10}"#),
    )
    .await;
    let o = &v["data"]["list"][0];
    assert_eq!(o["trade_no"], trade_no.as_str());
    assert_eq!(
        (o["total_price"].as_str(), o["fee"].as_str()),
        (Some("11.025"), Some("0.525"))
    );
    assert!(o["pay_at"].is_null());
    let list: RechargeOrderList = serde_json::from_value(v["data"].clone()).expect("model");
    assert_eq!(list.total, 1);
    let (_, v) = call(
        &http,
        url(endpoints::RECHARGE_ORDERS.path),
        Method::POST,
        t,
        (JSON, r#"{"date_range":["2025-11-01"]}"#),
    )
    .await;
    assert!(
        v["msg"].as_str().expect("msg").contains("date_range"),
        "{v}"
    );

    // The public order status, without a token; a missing trade_no is named.
    let status_url = url(endpoints::ORDER_STATUS.path);
    let body = format!(r#"{{"trade_no":"{trade_no}"}}"#);
    let (_, v) = call(&http, status_url.clone(), Method::POST, None, (JSON, &body)).await;
    assert_eq!(
        v,
        serde_json::json!({"code": 0, "msg": "订单未支付", "data": {"status": 0}})
    );
    let (_, v) = call(
        &http,
        status_url.clone(),
        Method::POST,
        None,
        (JSON, r#"{"trade_no":"M0"}"#),
    )
    .await;
    assert_eq!(
        v,
        serde_json::json!({"code": 0, "msg": "订单不存在", "data": "error"})
    );
    let (_, v) = call(&http, status_url, Method::POST, None, (JSON, "{}")).await;
    assert!(v["msg"].as_str().expect("msg").contains("trade_no"), "{v}");
    sb.shutdown().await;
}
