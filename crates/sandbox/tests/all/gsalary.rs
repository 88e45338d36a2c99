//! The simulated GSalary's card network over the admin surface: what it
//! cannot read is refused and not recorded. (The client's flows against the
//! sandbox, card transactions included, are in the workspace's end-to-end
//! suite, tests/tests/end_to_end.)

use crate::common::start;

#[tokio::test]
async fn the_card_network_admin_call_refuses_what_it_cannot_read() {
    let sb = start().await;
    let http = reqwest::Client::new();
    let post = |card: &str, body: serde_json::Value| {
        http.post(format!(
            "{}/gsalary/cards/{card}/transactions",
            sb.admin_url()
        ))
        .json(&body)
        .send()
    };
    for bad in [
        serde_json::json!({"merchant_name": "X", "amount": "1", "kind": "capture"}),
        serde_json::json!({"amount": "1"}),
        serde_json::json!({"merchant_name": "X", "amount": "one"}),
    ] {
        let resp = post("any", bad.clone()).await.expect("admin call");
        assert_eq!(resp.status(), 400, "{bad}");
    }
    let unknown = post(
        "no_such_card",
        serde_json::json!({"merchant_name": "X", "amount": "1"}),
    )
    .await
    .expect("admin call");
    assert_eq!(unknown.status(), 404);
    sb.shutdown().await;
}
