//! Correctly signed answers that are nonsense must come back as typed errors,
//! never as a panic or as data.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use walletbridge_core::ErrorKind;

fn hostile_bodies() -> Vec<String> {
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    vec![
        String::new(),
        "null".into(),
        "[]".into(),
        "{}".into(),
        "<html><body>502 Bad Gateway</body></html>".into(),
        r#"{"result":null}"#.into(),
        r#"{"result":{"result":"S"}}"#.into(),
        r#"{"result":{"result":"S"},"data":[]}"#.into(),
        r#"{"result":{"result":"S"},"data":{"currency":"USD","amount":"ten"}}"#.into(),
        r#"{"result":{"result":"S"},"data":{"currency":"USD","amount":1e400}}"#.into(),
        r#"{"result":{"result":"S"},"data":{"currency":"USD","amount":123456789012345678901234567890}}"#.into(),
        r#"{"result":{"result":"S"},"data":{"currency":7,"amount":1}}"#.into(),
        r#"{"result":{"result":"Q","code":"X","message":"?"}}"#.into(),
        r#"{"result":{"result":"S"},"data":{"currency":"USD","amount":1}"#.into(),
        deep,
        "\u{0}\u{1}\u{2}".into(),
    ]
}

#[tokio::test]
async fn signed_nonsense_is_a_typed_error() {
    for body in hostile_bodies() {
        let client = client_with(signed_transport(200, body.clone()));
        let err = client.wallet().balance("USD").await.expect_err(&body);
        assert!(
            matches!(err.kind(), ErrorKind::Decode { .. } | ErrorKind::Api(_)),
            "{body:.60}: {err}"
        );
        if let ErrorKind::Decode { path, .. } = err.kind() {
            assert!(!path.is_empty());
        }
    }
}

#[tokio::test]
async fn unknown_result_letters_are_outcome_unknown_on_writes() {
    let body = r#"{"result":{"result":"Q","code":"NEW","message":"new state"}}"#.to_owned();
    let client = client_with(signed_transport(200, body));
    let req = walletbridge_gsalary::cards::ModifyCardBalance::increase(
        "req_1",
        "card_1",
        "10.00".parse().unwrap(),
    );
    let err = client.cards().modify_balance(&req).await.unwrap_err();
    assert_eq!(err.code(), Some("NEW"));
    assert!(err.is_outcome_unknown(), "{err}");
}

#[tokio::test]
async fn unsigned_or_error_status_nonsense_is_never_data() {
    for status in [400u16, 401, 403, 404, 423, 500, 502, 503] {
        for body in hostile_bodies() {
            let client = client_with(signed_transport(status, body.clone()));
            let err = client.wallet().balance("USD").await.expect_err(&body);
            assert!(
                matches!(err.kind(), ErrorKind::Http { .. } | ErrorKind::Api(_)),
                "{status} {body:.60}: {err}"
            );
            assert_eq!(err.status(), Some(status));
        }
    }
}
