//! Issue 14, rule 2: answer shapes the page does not document never fail a
//! whole call. Each guessed shape is decoded in both plausible forms, through
//! the public API; a field that cannot be decoded lands in `extra`.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_gsalary::card_bills::CardTransactionsQuery;
use walletbridge_gsalary::exchange::ExchangeOrdersQuery;
use walletbridge_gsalary::payees::PaymentMethod;
use walletbridge_gsalary::wallet::TransactionsQuery;
use walletbridge_gsalary::webhooks::WebhookEvent;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A success envelope around `data` given as JSON text (to keep long numbers exact).
fn ok_text(data: &str) -> String {
    format!(r#"{{"result":{{"result":"S","code":"","message":""}},"data":{data}}}"#)
}

async fn with_text<F, Fut, T>(data: &str, f: F) -> T
where
    F: FnOnce(walletbridge_gsalary::Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    let client = client_with(signed_transport(200, ok_text(data)));
    f(client).await.unwrap()
}

#[tokio::test]
async fn exchange_amounts_decode_as_objects_and_as_bare_numbers() {
    let data = json!({"orders": [
        {"order_id": "o1", "sell_amount": {"currency": "USD", "amount": 100.25},
         "buy_amount": {"currency": "HKD", "amount": 781.95}},
        {"order_id": "o2", "sell_currency": "USD", "sell_amount": 100.25,
         "buy_currency": "HKD", "buy_amount": "781.95"},
    ], "page": 1, "total_page": 1});
    let (_, page) = capture(data, |c| async move {
        c.exchange().orders(&ExchangeOrdersQuery::new()).await
    })
    .await;
    for o in &page.items {
        let sell = o.sell_amount.as_ref().unwrap();
        let buy = o.buy_amount.as_ref().unwrap();
        assert_eq!((sell.currency.as_str(), sell.amount), ("USD", d("100.25")));
        assert_eq!((buy.currency.as_str(), buy.amount), ("HKD", d("781.95")));
    }
    assert_eq!(page.items[1].sell_currency.as_deref(), Some("USD"));
}

#[tokio::test]
async fn long_amounts_are_exact_and_unknown_fields_are_kept() {
    // 18 significant digits: read from the text, never through a float.
    let data = r#"{"quote_id":"q1","sell_currency":"USD","sell_amount":1234567890123.45678,
                   "buy_amount":{"currency":"HKD","amount":9876543210987.65432},"rate_source":"X"}"#;
    let q = with_text(data, |c| async move {
        c.exchange()
            .quote(&walletbridge_gsalary::exchange::CreateExchangeQuote::sell(
                "USD",
                d("1"),
                "HKD",
            ))
            .await
    })
    .await;
    assert_eq!(q.sell_amount.unwrap().amount, d("1234567890123.45678"));
    assert_eq!(q.buy_amount.unwrap().amount, d("9876543210987.65432"));
    assert_eq!(q.extra.get("rate_source"), Some(&json!("X")));
}

#[tokio::test]
async fn a_field_that_cannot_be_decoded_lands_in_extra_and_the_rest_is_returned() {
    // A bare amount without any currency, and a status of the wrong type.
    let data = json!({"orders": [{"order_id": "o1", "sell_amount": 5, "status": {"code": 7},
                                   "buy_amount": {"currency": "HKD", "amount": 39}}]});
    let (_, page) = capture(data, |c| async move {
        c.exchange().orders(&ExchangeOrdersQuery::new()).await
    })
    .await;
    let o = &page.items[0];
    assert_eq!(o.order_id.as_deref(), Some("o1"));
    assert_eq!(o.sell_amount, None);
    assert_eq!(o.status, None);
    assert_eq!(o.extra.get("sell_amount"), Some(&json!(5)));
    assert_eq!(o.extra.get("status"), Some(&json!({"code": 7})));
    assert_eq!(o.buy_amount.as_ref().unwrap().amount, d("39"));
}

#[tokio::test]
async fn card_transaction_amounts_decode_in_both_forms() {
    let data = json!({"transactions": [
        {"transaction_id": "t1", "transaction_amount": {"currency": "USD", "amount": 10.5},
         "accounting_amount": {"currency": "USD", "amount": 10.5},
         "surcharge": {"currency": "USD", "amount": 0.3}},
        {"transaction_id": "t2", "transaction_amount": 10.5, "transaction_currency": "USD",
         "accounting_amount": "10.50", "accounting_currency": "USD",
         "surcharge": 0.3, "surcharge_currency": "USD"},
    ]});
    let (_, page) = capture(data, |c| async move {
        c.card_bills()
            .transactions(&CardTransactionsQuery::new())
            .await
    })
    .await;
    assert_eq!(page.items.len(), 2);
    for t in &page.items {
        assert_eq!(t.transaction_amount.as_ref().unwrap().amount, d("10.5"));
        assert_eq!(t.accounting_amount.as_ref().unwrap().currency, "USD");
        assert_eq!(t.surcharge.as_ref().unwrap().amount, d("0.3"));
    }
}

#[tokio::test]
async fn wallet_transactions_are_read_under_either_key_with_either_amount_form() {
    for key in ["transactions", "list"] {
        let data = json!({key: [
            {"transaction_id": "w1", "currency": "USD", "amount": -12.5, "balance": 100},
            {"transaction_id": "w2", "amount": {"currency": "USD", "amount": -12.5},
             "balance": {"currency": "USD", "amount": 100}},
        ], "page": 1, "total_page": 1});
        let (_, page) = capture(data, |c| async move {
            c.wallet().transactions(&TransactionsQuery::new()).await
        })
        .await;
        assert_eq!(page.items.len(), 2, "{key}");
        for t in &page.items {
            assert_eq!(t.currency.as_deref(), Some("USD"));
            assert_eq!(t.amount, Some(d("-12.5")));
            assert_eq!(t.balance, Some(d("100")));
        }
    }
}

#[tokio::test]
async fn payout_currencies_decode_nested_and_flat() {
    for data in [
        json!({"payment_method": "BANK_TRANSFER",
               "countries": [{"country": "HK", "currencies": ["HKD", "USD"]}]}),
        json!({"payment_method": "BANK_TRANSFER",
               "currencies": [{"country": "HK", "currency": "HKD"}, {"country": "HK", "currency": "USD"}]}),
    ] {
        let (_, pc) = capture(data, |c| async move {
            c.payees()
                .payout_currencies(&PaymentMethod::BankTransfer)
                .await
        })
        .await;
        let all: Vec<&str> = pc
            .countries
            .iter()
            .flat_map(|c| c.currencies.iter().map(String::as_str))
            .collect();
        assert_eq!(all, ["HKD", "USD"]);
        assert!(
            pc.countries
                .iter()
                .all(|c| c.country.as_deref() == Some("HK"))
        );
    }
    // Bare codes.
    let (_, pc) = capture(json!({"currencies": ["CNY"]}), |c| async move {
        c.payees().payout_currencies(&PaymentMethod::Alipay).await
    })
    .await;
    assert_eq!(pc.countries[0].currencies, ["CNY"]);
}

#[test]
fn acquiring_webhook_amounts_decode_in_both_forms() {
    for data in [
        json!({"payment_id": "P1", "payment_amount": {"currency": "USD", "amount": 100.5}}),
        json!({"payment_id": "P1", "payment_amount": 100.5, "payment_currency": "USD"}),
        json!({"payment_id": "P1", "payment_amount": "100.50", "currency": "USD"}),
    ] {
        let body = json!({"business_type": "ACQUIRING_PAYMENT_SUCCEED", "business_id": "b",
                          "event_time": "2024-03-04T10:00:00Z", "data": data})
        .to_string();
        let WebhookEvent::AcquiringPaymentSucceed(n) =
            WebhookEvent::from_slice(body.as_bytes()).unwrap()
        else {
            panic!("wrong variant")
        };
        let m = n.data.payment_amount.unwrap();
        assert_eq!((m.currency.as_str(), m.amount), ("USD", d("100.5")));
    }
    for (kind, field) in [
        ("ACQUIRING_REFUND_SUCCEED", "refund_amount"),
        ("ACQUIRING_CAPTURE_SUCCEED", "capture_amount"),
    ] {
        let body = json!({"business_type": kind, "business_id": "b",
                          "data": {field: 7, "currency": "EUR"}})
        .to_string();
        let amount = match WebhookEvent::from_slice(body.as_bytes()).unwrap() {
            WebhookEvent::AcquiringRefundSucceed(n) => n.data.refund_amount,
            WebhookEvent::AcquiringCaptureSucceed(n) => n.data.capture_amount,
            other => panic!("{other:?}"),
        };
        assert_eq!(amount.unwrap().amount, d("7"), "{kind}");
    }
}

#[test]
fn card_transaction_webhook_amounts_decode_in_both_forms() {
    let body = json!({"business_type": "CARD_TRANSACTION", "business_id": "b",
                      "data": {"transaction_id": "t", "transaction_amount": 3.25,
                               "transaction_currency": "SGD"}})
    .to_string();
    let WebhookEvent::CardTransaction(n) = WebhookEvent::from_slice(body.as_bytes()).unwrap()
    else {
        panic!("wrong variant")
    };
    let m = n.data.transaction.transaction_amount.as_ref().unwrap();
    assert_eq!((m.currency.as_str(), m.amount), ("SGD", d("3.25")));
}
