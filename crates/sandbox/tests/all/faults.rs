//! The fault configuration over the admin surface. (How each fault surfaces
//! in the clients is tested in the workspace's end-to-end suite,
//! tests/tests/end_to_end.)

use walletbridge_sandbox::FaultKind;

use crate::common::start;

#[tokio::test]
async fn faults_are_changeable_over_http() {
    let sb = start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/faults/gsalary", sb.admin_url());
    let r = http
        .put(&url)
        .json(&serde_json::json!({"rules": [{"kind": "system_busy", "percent": 100, "count": 2}]}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(sb.faults().gsalary.rules[0].kind, FaultKind::SystemBusy);
    let v: serde_json::Value = http
        .get(&url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(v["faults"]["rules"][0]["count"], 2);
    let r = http.put(&url).body("{oops").send().await.expect("put");
    assert_eq!(r.status().as_u16(), 400);
    sb.shutdown().await;
}
