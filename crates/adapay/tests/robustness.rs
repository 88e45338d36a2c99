//! Correctly signed `data` that is nonsense, and bodies that are not the
//! envelope at all, must come back as typed errors, never as a panic or data.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;

use common::*;
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{ErrorKind, HttpResponse};

const NONSENSE: &[&str] = &[
    "",
    "null",
    "[]",
    "{}",
    "<html>bad gateway</html>",
    r#"{"status":"succeeded","acct_balance":"ten"}"#,
    r#"{"object":"account_balance","status":"succeeded","acct_balance":"ten"}"#,
    r#"{"object":"account_balance","status":"succeeded","acct_balance":[1]}"#,
    r#"{"status":7}"#,
    r#"{"status":"failed"}"#,
    // a cash answer to a balance call
    r#"{"object":"cash","status":"succeeded","order_no":"x"}"#,
];

#[tokio::test]
async fn signed_nonsense_data_is_a_typed_error() {
    for data in NONSENSE {
        let client = client_with(signed_transport(200, (*data).to_owned()));
        let err = client
            .wallet()
            .balance(&walletbridge_adapay::wallet::BalanceQuery::merchant())
            .await
            .expect_err(data);
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Decode { .. } | ErrorKind::Api(_) | ErrorKind::Signature { .. }
            ),
            "{data}: {err}"
        );
    }
}

#[tokio::test]
async fn bodies_that_are_not_the_envelope_are_typed_errors() {
    let bodies = [
        "".to_owned(),
        "<html>502</html>".to_owned(),
        "[1,2]".to_owned(),
        r#"{"data":{"status":"succeeded"},"signature":"AAAA"}"#.to_owned(),
        r#"{"data":"{}","signature":12}"#.to_owned(),
        format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
    ];
    for status in [200u16, 400, 401, 500, 502] {
        for body in &bodies {
            let b = body.clone();
            let transport = Arc::new(MockTransport::with_responder(move |_| {
                Ok(HttpResponse::new(status, b.clone()))
            }));
            let err = client_with(transport)
                .wallet()
                .balance(&walletbridge_adapay::wallet::BalanceQuery::merchant())
                .await
                .expect_err(body);
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::Http { .. }
                        | ErrorKind::Api(_)
                        | ErrorKind::Signature { .. }
                        | ErrorKind::Decode { .. }
                        | ErrorKind::Authentication { .. }
                ),
                "{status} {body:.40}: {err}"
            );
        }
    }
}
