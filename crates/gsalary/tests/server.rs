//! The `server` feature against the client, with real bytes: the client's
//! own request bytes decode into the request types and equal the value
//! built; every answer model written by the server side (in the crate's
//! success envelope, signed with `signing::sign_answer`) is what the client
//! reads back; the error envelope is what the client's decoder reports.
#![cfg(feature = "server")]
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;

use common::server::*;
use common::*;
use walletbridge_core::ErrorKind;
use walletbridge_gsalary::endpoints::{self, decode_query};
use walletbridge_gsalary::envelope::{self, ErrorCode};
use walletbridge_gsalary::models::BizResult;

// ---------------------------------------------------------------- envelope

#[tokio::test]
async fn every_error_code_is_read_by_the_client_as_written() {
    for code in ErrorCode::ALL {
        for biz in [BizResult::Fail, BizResult::Unknown] {
            let body = envelope::encode_error(*code, "why", &biz);
            let client = client_with(platform(code.status, body));
            let err = client.wallet().balance("USD").await.unwrap_err();
            let ErrorKind::Api(api) = err.kind() else {
                panic!("{code:?}: {err}");
            };
            assert_eq!(api.code, code.code);
            assert_eq!(api.message, "why");
            assert_eq!(api.status, code.status);
            let detail = |k: &str| {
                api.details
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(detail("biz_result").as_deref(), Some(biz.as_str()));
            // Signed by `sign_answer`: the envelope is trusted.
            assert_eq!(detail("signature"), None, "{code:?}");
        }
    }
}

#[tokio::test]
async fn success_without_data_and_refusals_in_the_success_envelope() {
    let none: Option<&()> = None;
    let transport = platform(200, envelope::encode_success(none).unwrap());
    let client = client_with(transport);
    client.cards().freeze("c1").await.unwrap();

    let body = envelope::encode_result(&BizResult::Fail, "INVALID_STATUS", "no", none).unwrap();
    let err = client_with(platform(200, body))
        .cards()
        .freeze("c1")
        .await
        .unwrap_err();
    assert!(!err.is_outcome_unknown());
    assert!(matches!(err.kind(), ErrorKind::Api(a) if a.code == "INVALID_STATUS"));
}

// ---------------------------------------------------------------- wallet

#[tokio::test]
async fn wallet_round_trips() {
    use walletbridge_gsalary::wallet::*;
    let mut b = WalletBalance::default();
    b.currency = "USD".into();
    b.amount = d("1000.1");
    b.share_card_account_balance = Some(d("0"));
    b.available = Some(d("999.99"));
    b.account_type = Some(AccountType::Balance);
    b.query_time = Some(t("2024-04-03T12:00:00Z"));
    b.extra = extra(&[("note", serde_json::json!("kept"))]);
    model_round_trip(&b);
    let (req, got) = call(Some(&b), |c| async move { c.wallet().balance("USD").await }).await;
    assert_eq!(got, b);
    endpoint_is(&req, &endpoints::WALLET_BALANCE);
    query_is(&req, &BalanceQuery::new("USD"));

    let mut tx = WalletTransaction::default();
    tx.transaction_id = Some("t1".into());
    tx.txn_type = Some(TxnType::Other("NEW_KIND".into()));
    tx.currency = Some("USD".into());
    tx.amount = Some(d("-5.5"));
    tx.balance = Some(d("12345678.9"));
    tx.transaction_time = Some(t("2024-03-04T10:00:00+08:00"));
    model_round_trip(&tx);
    let mut list = WalletTransactions::default();
    list.transactions = vec![tx.clone()];
    list.page = Some(1);
    list.limit = Some(50);
    list.total_count = Some(1);
    list.total_page = Some(1);
    list.extra = extra(&[("query", serde_json::json!({"page": "1"}))]);
    model_round_trip(&list);
    let q = TransactionsQuery::new()
        .limit(50)
        .time_start(dt("2024-03-04T10:00:00Z"))
        .time_end(dt("2024-03-05T10:00:00+08:00"))
        .currency("USD")
        .txn_type(TxnType::CardPayment);
    let q2 = q.clone();
    let (req, page) = call(Some(&list), |c| async move {
        c.wallet().transactions(&q2).await
    })
    .await;
    assert_eq!(page.items, vec![tx]);
    query_is(&req, &q);
    // What the client leaves out takes the query's defaults.
    let bare: TransactionsQuery = decode_query(&[]).unwrap();
    assert_eq!(bare, TransactionsQuery::new());
}

// ---------------------------------------------------------------- exchange

#[tokio::test]
async fn exchange_round_trips() {
    use walletbridge_gsalary::Money;
    use walletbridge_gsalary::exchange::*;
    let mut r = ExchangeRate::default();
    r.sell_currency = Some("USD".into());
    r.buy_currency = Some("CNY".into());
    r.exchange_rate = Some(d("7.2"));
    r.quote_time = Some(t("2024-04-03T12:00:00Z"));
    model_round_trip(&r);
    let (req, got) = call(Some(&r), |c| async move {
        c.exchange().current_rate("USD", "CNY").await
    })
    .await;
    assert_eq!(got, r);
    query_is(&req, &CurrentRateQuery::new("USD", "CNY"));

    let mut q = ExchangeQuote::default();
    q.quote_id = "exq_1".into();
    q.sell_currency = Some("USD".into());
    q.buy_currency = Some("CNY".into());
    q.sell_amount = Some(Money::new("USD", d("100.5")));
    q.buy_amount = Some(Money::new("CNY", d("723.6")));
    q.exchange_rate = Some(d("7.2"));
    q.expire_at = Some(t("2024-04-03T12:05:00Z"));
    model_round_trip(&q);
    for request in [
        CreateExchangeQuote::sell("USD", d("100.5"), "CNY"),
        CreateExchangeQuote::buy("CNY", d("723.6"), "USD"),
    ] {
        let sent = request.clone();
        let (req, got) = call(Some(&q), |c| async move { c.exchange().quote(&sent).await }).await;
        assert_eq!(got, q);
        body_is(&req, &request);
    }
    let both = br#"{"sell_currency":"USD","buy_currency":"CNY","sell_amount":1,"buy_amount":2}"#;
    assert!(serde_json::from_slice::<CreateExchangeQuote>(both).is_err());

    let mut o = ExchangeOrder::default();
    o.order_id = Some("exo_1".into());
    o.request_id = Some("r1".into());
    o.quote_id = Some("exq_1".into());
    o.status = Some(ExchangeOrderStatus::Success);
    o.sell_amount = q.sell_amount.clone();
    o.buy_amount = q.buy_amount.clone();
    o.exchange_rate = Some(d("7.2"));
    o.create_time = Some(t("2024-04-03T12:00:00Z"));
    model_round_trip(&o);
    let submit = SubmitExchange::new("r1", "exq_1");
    let sent = submit.clone();
    let (req, got) = call(
        Some(&o),
        |c| async move { c.exchange().submit(&sent).await },
    )
    .await;
    assert_eq!(got, o);
    body_is(&req, &submit);

    let mut list = ExchangeOrders::default();
    list.orders = vec![o.clone()];
    list.page = Some(2);
    list.total_count = Some(21);
    list.total_page = Some(2);
    model_round_trip(&list);
    let query = ExchangeOrdersQuery::new()
        .page(2)
        .status(ExchangeOrderStatus::Success)
        .buy_currency("CNY")
        .sell_currency("USD")
        .time_start(dt("2024-03-04T10:00:00+08:00"));
    let sent = query.clone();
    let (req, page) = call(
        Some(&list),
        |c| async move { c.exchange().orders(&sent).await },
    )
    .await;
    assert_eq!(page.items, vec![o]);
    query_is(&req, &query);
}

// ---------------------------------------------------------------- card holders

#[tokio::test]
async fn card_holder_round_trips() {
    use walletbridge_gsalary::card_holders::*;
    use walletbridge_gsalary::models::{Address, MobileNumber};
    let mut h = CardHolder::default();
    h.card_holder_id = "holder_1".into();
    h.first_name = Some("Mary Ann".into());
    h.last_name = Some("Smith".into());
    h.birth = Some("2001-12-20".into());
    h.email = Some("mary@example.com".into());
    h.mobile = Some(MobileNumber::new("1", "2025550123"));
    h.region = Some("US".into());
    h.bill_address = Some(Address::new().city("Springfield").country("US"));
    h.status = Some(CardHolderStatus::Other("KYC_DONE".into()));
    h.create_time = Some(t("2024-03-02T12:25:01Z"));
    h.extra = extra(&[("kyc_level", serde_json::json!(2))]);
    model_round_trip(&h);

    let create = CreateCardHolder::builder()
        .first_name("Mary Ann")
        .last_name("Smith")
        .birth("2001-12-20")
        .email("mary@example.com")
        .mobile(MobileNumber::new("+1", "2025550123"))
        .region("US")
        .bill_address(Address::new().address("1 Main St"))
        .build()
        .unwrap();
    let sent = create.clone();
    let (req, got) = call(
        Some(&h),
        |c| async move { c.card_holders().create(&sent).await },
    )
    .await;
    assert_eq!(got, h);
    body_is(&req, &create);

    let update = UpdateCardHolder::new()
        .email("ann@example.com")
        .region("HK");
    let sent = update.clone();
    let (req, got) = call(Some(&h), |c| async move {
        c.card_holders().update("holder_1", &sent).await
    })
    .await;
    assert_eq!(got, h);
    body_is(&req, &update);
    endpoint_is(&req, &endpoints::CARD_HOLDER_UPDATE);

    let (req, got) = call(Some(&h), |c| async move {
        c.card_holders().get("holder_1").await
    })
    .await;
    assert_eq!(got, h);
    let path = req.path_and_query().to_owned();
    let params = endpoints::CARD_HOLDER_GET
        .match_path(req.method, &path)
        .unwrap();
    assert_eq!(params.get("card_holder_id"), Some("holder_1"));

    let mut list = CardHolderList::default();
    list.card_holders = vec![h.clone()];
    list.page = Some(1);
    list.limit = Some(20);
    model_round_trip(&list);
    let query = CardHoldersQuery::new()
        .limit(7)
        .time_end(dt("2024-03-04T09:00:00Z"));
    let sent = query.clone();
    let (req, page) = call(Some(&list), |c| async move {
        c.card_holders().list(&sent).await
    })
    .await;
    assert_eq!(page.items, vec![h]);
    query_is(&req, &query);
}

// ---------------------------------------------------------------- card bills

fn card_transaction() -> walletbridge_gsalary::card_bills::CardTransaction {
    use walletbridge_gsalary::Money;
    use walletbridge_gsalary::card_bills::*;
    let mut tx = CardTransaction::default();
    tx.transaction_id = Some("ctx_1".into());
    tx.card_id = Some("card_1".into());
    tx.mask_card_number = Some("411111******1111".into());
    tx.transaction_time = Some(t("2024-04-03T12:00:00Z"));
    tx.transaction_amount = Some(Money::new("EUR", d("9.2")));
    tx.accounting_amount = Some(Money::new("USD", d("10")));
    tx.biz_type = Some(CardTxnType::Auth);
    tx.status = Some(CardTxnStatus::Failed);
    tx.status_description = Some("insufficient card balance".into());
    tx.merchant_name = Some("Coffee".into());
    tx.merchant_region = Some("FR".into());
    tx
}

#[tokio::test]
async fn card_bill_round_trips() {
    use walletbridge_gsalary::card_bills::*;
    let tx = card_transaction();
    model_round_trip(&tx);
    let mut list = CardTransactionList::default();
    list.transactions = vec![tx.clone()];
    list.total_count = Some(1);
    model_round_trip(&list);
    let query = CardTransactionsQuery::new()
        .card_id("card_1")
        .mch_request_id("m1")
        .transaction_id("ctx_1")
        .time_start(dt("2024-04-03T00:00:00Z"));
    let sent = query.clone();
    let (req, page) = call(Some(&list), |c| async move {
        c.card_bills().transactions(&sent).await
    })
    .await;
    assert_eq!(page.items, vec![tx]);
    query_is(&req, &query);

    let mut h = BalanceHistoryEntry::default();
    h.log_id = Some("log_1".into());
    h.card_id = Some("card_1".into());
    h.transaction_id = Some("ctx_1".into());
    h.biz_type = Some(BalanceHistoryType::CardPayment);
    h.currency = Some("USD".into());
    h.amount = Some(d("-12.34"));
    h.post_balance = Some(d("67.66"));
    h.create_time = Some(t("2024-04-03T12:00:00Z"));
    model_round_trip(&h);
    let mut list = BalanceHistoryList::default();
    list.history = vec![h.clone()];
    model_round_trip(&list);
    let query = BalanceHistoryQuery::new()
        .card_id("card_1")
        .log_id("log_1")
        .page(3);
    let sent = query.clone();
    let (req, page) = call(Some(&list), |c| async move {
        c.card_bills().balance_history(&sent).await
    })
    .await;
    assert_eq!(page.items, vec![h]);
    query_is(&req, &query);
}

#[test]
fn a_card_transaction_event_written_by_the_server_verifies_and_decodes() {
    use walletbridge_gsalary::webhooks::*;
    let event = WebhookEvent::CardTransaction(Box::new(Notification::new(
        "ctx_1",
        "2024-04-03T12:00:00Z",
        CardTransactionData::new(card_transaction()),
    )));
    let body = event.to_body().unwrap();
    let headers = sign_webhook(&signer(PLATFORM_KEY), APPID, "/hook", NOW_MS, &body).unwrap();
    let verifier = WebhookVerifier::from_pem(APPID, PLATFORM_PUBLIC)
        .unwrap()
        .clock(Arc::new(walletbridge_core::FixedClock::new(NOW_MS)));
    let got = verifier.verify(&headers, &body, "/hook").unwrap();
    assert_eq!(got, event);
}

// ---------------------------------------------------------------- cards

fn card() -> walletbridge_gsalary::cards::Card {
    use walletbridge_gsalary::cards::*;
    use walletbridge_gsalary::models::{Address, MobileNumber};
    let mut c = Card::default();
    c.card_id = "card_1".into();
    c.card_name = Some("travel".into());
    c.product_code = Some("SBX_VISA_USD".into());
    c.mask_card_number = Some("411111******1111".into());
    c.card_currency = Some("USD".into());
    c.available_balance = Some(d("50.25"));
    c.brand_code = Some(Brand::Visa);
    c.status = Some(CardStatus::Active);
    c.card_type = Some(CardType::Virtual);
    c.accounting_type = Some(AccountingType::Recharge);
    c.card_region = Some("US".into());
    c.card_holder_id = Some("holder_1".into());
    c.first_name = Some("Ada".into());
    c.last_name = Some("Lovelace".into());
    c.mobile = Some(MobileNumber::new("1", "2025550123"));
    c.email = Some("ada@example.com".into());
    c.limit_per_day = Some(d("500"));
    c.limit_per_month = Some(d("5000"));
    c.limit_per_transaction = Some(d("100"));
    c.bill_address = Some(Address::new().country("US"));
    c.support_tds_trans = Some(true);
    c.create_time = Some(t("2024-04-03T12:00:00Z"));
    c.extra = extra(&[("nickname_2", serde_json::json!("x"))]);
    c
}

#[tokio::test]
async fn card_round_trips() {
    use walletbridge_core::SecretString;
    use walletbridge_gsalary::cards::*;
    let c = card();
    model_round_trip(&c);

    // Products and quotas.
    let mut p = CardProduct::default();
    p.product_code = Some("SBX_VISA_USD".into());
    p.product_name = Some("Visa".into());
    p.card_type = Some(CardType::Virtual);
    p.brand_code = Some(Brand::Visa);
    p.accounting_type = Some(AccountingType::Recharge);
    p.currency = Some("USD".into());
    let mut products = CardProducts::default();
    products.products = vec![p.clone()];
    model_round_trip(&products);
    let q = ProductsQuery::new()
        .card_type(CardType::Virtual)
        .brand_code(Brand::Visa)
        .currency("USD");
    let sent = q.clone();
    let (req, got) = call(Some(&products), |c| async move {
        c.cards().products(&sent).await
    })
    .await;
    assert_eq!(got, vec![p]);
    query_is(&req, &q);

    let mut quota = CardQuota::default();
    quota.currency = Some("USD".into());
    quota.accounting_card_type = Some(AccountingType::Share);
    quota.available_quota = Some(d("99949.75"));
    let mut quotas = CardQuotas::default();
    quotas.quota = Some(quota);
    model_round_trip(&quotas);
    let (req, got) = call(Some(&quotas), |c| async move {
        c.cards()
            .available_quotas("USD", Some(AccountingType::Share))
            .await
    })
    .await;
    assert_eq!(got, quotas);
    query_is(&req, &QuotasQuery::new("USD", Some(AccountingType::Share)));

    // Applying.
    let apply = ApplyCard::builder()
        .request_id("req-1")
        .product_code("SBX_VISA_USD")
        .currency("USD")
        .card_holder_id("holder_1")
        .init_balance(d("50.25"))
        .build()
        .unwrap()
        .limit_per_transaction(d("100"));
    let mut application = CardApplication::default();
    application.request_id = Some("req-1".into());
    application.status = Some(RequestStatus::Pending);
    model_round_trip(&application);
    let sent = apply.clone();
    let (req, got) = call(Some(&application), |c| async move {
        c.cards().apply(&sent).await
    })
    .await;
    assert_eq!(got, application);
    body_is(&req, &apply);

    let mut result = CardApplyResult::default();
    result.request_id = Some("req-1".into());
    result.status = Some(RequestStatus::Success);
    result.create_time = Some(t("2024-04-03T12:00:00Z"));
    result.card_detail = Some(c.clone());
    model_round_trip(&result);
    let (_, got) = call(Some(&result), |c| async move {
        c.cards().apply_result("req-1").await
    })
    .await;
    assert_eq!(got, result);
    result.card_detail = None;
    model_round_trip(&result);

    // Reading and changing a card.
    let mut list = CardList::default();
    list.cards = vec![c.clone()];
    list.page = Some(1);
    model_round_trip(&list);
    let query = CardsQuery::new()
        .card_holder_id("holder_1")
        .status(CardStatus::Frozen)
        .brand_code(Brand::Master)
        .product_code("P")
        .create_start(dt("2024-04-03T00:00:00Z"));
    let sent = query.clone();
    let (req, page) = call(Some(&list), |c| async move { c.cards().list(&sent).await }).await;
    assert_eq!(page.items, vec![c.clone()]);
    query_is(&req, &query);

    let update = UpdateCard::new()
        .card_name("travel")
        .limit_per_day(d("500"));
    let sent = update.clone();
    let (req, got) = call(Some(&c), |cl| async move {
        cl.cards().update("card_1", &sent).await
    })
    .await;
    assert_eq!(got, c);
    body_is(&req, &update);

    let (req, got) = call(Some(&c), |cl| async move {
        cl.cards().update_contact("card_1", Some("a@b.c")).await
    })
    .await;
    assert_eq!(got, c);
    body_is(&req, &UpdateContact::new(Some("a@b.c")));

    let none: Option<&()> = None;
    let empty = envelope::encode_success(none).unwrap();
    let transport = platform(200, empty.clone());
    let client = client_with(transport.clone());
    client.cards().freeze("card_1").await.unwrap();
    body_is(&transport.last_request().unwrap(), &FreezeStatus::new(true));
    client.cards().unfreeze("card_1").await.unwrap();
    body_is(
        &transport.last_request().unwrap(),
        &FreezeStatus::new(false),
    );
    let activate = ActivateCard::new("123456", "246810").no_pin_payment_amount(d("50"));
    client.cards().activate("card_1", &activate).await.unwrap();
    body_is(&transport.last_request().unwrap(), &activate);
    client
        .cards()
        .reset_pin("card_1", &ResetCardPin::new("135790"))
        .await
        .unwrap();
    body_is(
        &transport.last_request().unwrap(),
        &ResetCardPin::new("135790"),
    );

    let mut secure = SecureInfo::default();
    secure.pan = SecretString::from("4111111111111111".to_owned());
    secure.expire_year = SecretString::from("2030".to_owned());
    secure.expire_month = SecretString::from("07".to_owned());
    secure.cvv = SecretString::from("123".to_owned());
    model_round_trip(&secure);
    let (_, got) = call(Some(&secure), |c| async move {
        c.cards().secure_info("card_1").await
    })
    .await;
    assert_eq!(got, secure);

    // Balance changes.
    let modify = ModifyCardBalance::decrease("mod-1", "card_1", d("10.1"));
    let mut change = CardBalanceChange::default();
    change.gsalary_request_id = Some("gsr_1".into());
    change.request_id = Some("mod-1".into());
    change.card_id = Some("card_1".into());
    change.status = Some(RequestStatus::Success);
    change.amount = Some(d("10.1"));
    change.modify_type = Some(CardBalanceChangeType::Decrease);
    change.post_balance = Some(d("40.15"));
    change.create_time = Some(t("2024-04-03T12:00:00Z"));
    model_round_trip(&change);
    let sent = modify.clone();
    let (req, got) = call(Some(&change), |c| async move {
        c.cards().modify_balance(&sent).await
    })
    .await;
    assert_eq!(got, change);
    body_is(&req, &modify);

    // Physical cards.
    let assign = AssignCard::builder()
        .card_number("5555444433331111")
        .card_holder_id("holder_1")
        .card_currency("USD")
        .build()
        .unwrap();
    let mut assigned = AssignedCard::default();
    assigned.card_id = "card_2".into();
    model_round_trip(&assigned);
    let sent = assign.clone();
    let (req, got) = call(
        Some(&assigned),
        |c| async move { c.cards().assign(&sent).await },
    )
    .await;
    assert_eq!(got, assigned);
    body_is(&req, &assign);
}

#[test]
fn card_status_and_activation_events_written_by_the_server_decode_equal() {
    use walletbridge_gsalary::cards::CardStatus;
    use walletbridge_gsalary::webhooks::*;
    let status = WebhookEvent::CardStatusUpdate(Notification::new(
        "card_1_FROZEN_7",
        "2024-04-03T12:00:00Z",
        CardStatusData::new("card_1", "411111******1111", CardStatus::Frozen, "holder_1"),
    ));
    let back = WebhookEvent::from_slice(&status.to_body().unwrap()).unwrap();
    assert_eq!(back, status);

    let activation = WebhookEvent::CardActivationCode(Notification::new(
        "card_2_activation",
        "2024-04-03T12:00:00Z",
        ActivationCodeData::new("card_2", "555544******1111", "123456"),
    ));
    let back = WebhookEvent::from_slice(&activation.to_body().unwrap()).unwrap();
    assert_eq!(back, activation);
    let WebhookEvent::CardActivationCode(n) = back else {
        panic!("activation");
    };
    assert_eq!(n.data.activation_code.unwrap().expose(), "123456");
}

#[test]
fn amounts_are_written_with_their_own_digits() {
    use walletbridge_gsalary::Money;
    use walletbridge_gsalary::exchange::ExchangeOrder;
    use walletbridge_gsalary::wallet::WalletBalance;
    let mut b = WalletBalance::default();
    b.currency = "USD".into();
    b.amount = d("1234567890123.45678");
    b.available = Some(d("-0.10"));
    let text = serde_json::to_string(&b).unwrap();
    assert!(text.contains(r#""amount":1234567890123.45678"#), "{text}");
    assert!(text.contains(r#""available":-0.1"#), "{text}");
    model_round_trip(&b);
    let mut o = ExchangeOrder::default();
    o.sell_amount = Some(Money::new("JPY", d("79228162514264337593543950335")));
    let text = serde_json::to_string(&o).unwrap();
    assert!(text.contains("79228162514264337593543950335"), "{text}");
    model_round_trip(&o);
}
