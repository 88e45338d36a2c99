//! GSalary through the real client crate: card issuing, balances, payout.

use std::time::Duration;

use walletbridge_gsalary::Money;
use walletbridge_gsalary::card_holders::CreateCardHolder;
use walletbridge_gsalary::cards::{
    ApplyCard, CardStatus, CardsQuery, ModifyCardBalance, RequestStatus,
};
use walletbridge_gsalary::models::MobileNumber;
use walletbridge_gsalary::payees::{
    AccountStatus, AccountType, CreatePayee, EWalletAccount, PaymentMethod,
};
use walletbridge_gsalary::remittance::{
    CreateRemittanceQuote, OrderStatus, Purpose, SubmitRemittanceOrder,
};
use walletbridge_gsalary::wallet::TransactionsQuery;

use crate::common::{dec, eventually, start};

fn holder() -> CreateCardHolder {
    CreateCardHolder::builder()
        .first_name("Ada")
        .last_name("Lovelace")
        .birth("1990-01-01")
        .email("ada@example.com")
        .mobile(MobileNumber::new("1", "2025550123"))
        .region("US")
        .build()
        .expect("valid request")
}

#[tokio::test]
async fn card_issuing_flow() {
    let sb = start().await;
    let c = sb.gsalary_client().expect("client");
    let before = c.wallet().balance("USD").await.expect("balance");
    assert_eq!(before.amount, dec("100000.00"));

    let h = c.card_holders().create(&holder()).await.expect("holder");
    let apply = ApplyCard::builder()
        .request_id("req-card-1")
        .product_code("SBX_VISA_USD")
        .currency("USD")
        .card_holder_id(&h.card_holder_id)
        .init_balance(dec("50.25"))
        .build()
        .expect("valid request")
        .limit_per_transaction(dec("100"))
        .limit_per_day(dec("500"));
    let a = c.cards().apply(&apply).await.expect("apply");
    assert_eq!(a.status, Some(RequestStatus::Pending));
    // The same request id again: DUPLICATED, nothing done twice.
    let dup = c.cards().apply(&apply).await.expect_err("duplicate");
    assert_eq!(dup.code(), Some("DUPLICATED"));
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99949.75")
    );

    let pending = c.cards().apply_result("req-card-1").await.expect("result");
    assert_eq!(pending.status, Some(RequestStatus::Pending));
    assert!(pending.card_detail.is_none());
    let card = eventually(5, || async {
        let r = c.cards().apply_result("req-card-1").await.expect("result");
        (r.status == Some(RequestStatus::Success))
            .then_some(r.card_detail)
            .flatten()
    })
    .await;
    assert_eq!(card.status, Some(CardStatus::Active));
    assert_eq!(card.available_balance, Some(dec("50.25")));
    assert_eq!(card.limit_per_transaction, Some(dec("100")));

    // Top up, then take out more than the card holds.
    let up = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase(
            "mod-1",
            &card.card_id,
            dec("10.10"),
        ))
        .await
        .expect("increase");
    assert_eq!(up.post_balance, Some(dec("60.35")));
    let too_much = c
        .cards()
        .modify_balance(&ModifyCardBalance::decrease(
            "mod-2",
            &card.card_id,
            dec("1000"),
        ))
        .await
        .expect_err("insufficient");
    assert_eq!(too_much.code(), Some("INSUFFICIENT_BALANCE"));
    let again = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase(
            "mod-1",
            &card.card_id,
            dec("10.10"),
        ))
        .await
        .expect_err("duplicate");
    assert_eq!(again.code(), Some("DUPLICATED"));
    let res = c
        .cards()
        .balance_modify_result("mod-1")
        .await
        .expect("modify result");
    assert_eq!(res.status, Some(RequestStatus::Success));

    // Freeze, freeze again (invalid), unfreeze, cancel (balance returns).
    c.cards().freeze(&card.card_id).await.expect("freeze");
    assert_eq!(
        c.cards().get(&card.card_id).await.expect("get").status,
        Some(CardStatus::Frozen)
    );
    let e = c
        .cards()
        .freeze(&card.card_id)
        .await
        .expect_err("frozen twice");
    assert_eq!(e.code(), Some("INVALID_STATUS"));
    c.cards().unfreeze(&card.card_id).await.expect("unfreeze");
    let info = c
        .cards()
        .secure_info(&card.card_id)
        .await
        .expect("secure info");
    assert_eq!(info.pan.expose().len(), 16);
    c.cards().cancel(&card.card_id).await.expect("cancel");
    assert_eq!(
        c.cards().get(&card.card_id).await.expect("get").status,
        Some(CardStatus::Cancelled)
    );
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("100000.00")
    );

    // Lists are real: paging over the transactions made above.
    let page = c
        .wallet()
        .transactions(&TransactionsQuery::new().limit(2))
        .await
        .expect("txns");
    assert_eq!(page.items.len(), 2);
    assert!(page.total_count.unwrap_or(0) >= 3);
    let cards = c
        .cards()
        .list(&CardsQuery::new().card_holder_id(&h.card_holder_id))
        .await
        .expect("cards");
    assert_eq!(cards.items.len(), 1);
    let missing = c.cards().get("card_nope").await.expect_err("not found");
    assert_eq!(missing.code(), Some("NOT_FOUND"));
    sb.shutdown().await;
}

#[tokio::test]
async fn payout_flow() {
    let sb = start().await;
    let c = sb.gsalary_client().expect("client");
    let payee = c
        .payees()
        .create(
            &CreatePayee::individual()
                .account_type(AccountType::EWallet)
                .country("CN")
                .currency("CNY")
                .first_name("San")
                .last_name("Zhang")
                .build()
                .expect("valid request"),
        )
        .await
        .expect("payee");
    let account = c
        .payees()
        .add_account(
            &payee.payee_id,
            &EWalletAccount::new(PaymentMethod::Alipay, "zhang@example.com"),
        )
        .await
        .expect("account");
    assert_eq!(account.status, Some(AccountStatus::Pending));
    let quote_req = CreateRemittanceQuote::pay(
        &account.account_id,
        Purpose::Salary,
        Money::new("USD", dec("100")),
    );
    // A quote needs an active account.
    let e = c
        .remittance()
        .quote(&quote_req)
        .await
        .expect_err("pending account");
    assert_eq!(e.code(), Some("INVALID_STATUS"));
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    let accounts = c
        .payees()
        .accounts(&payee.payee_id, None)
        .await
        .expect("accounts");
    assert_eq!(accounts[0].status, Some(AccountStatus::Active));

    let quote = c.remittance().quote(&quote_req).await.expect("quote");
    let recv = quote.receive_amount.clone().expect("receive");
    assert_eq!(recv.currency, "CNY");
    assert_eq!(recv.amount, dec("720.00"));
    let order = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new(&quote.quote_id, "payout-1"))
        .await
        .expect("order");
    assert_eq!(order.status, Some(OrderStatus::Created));
    // Wallet debited once: 100 + 1.00 surcharge.
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99899.00")
    );
    // The same client order id again: DUPLICATED.
    let q2 = c.remittance().quote(&quote_req).await.expect("quote 2");
    let dup = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new(&q2.quote_id, "payout-1"))
        .await
        .expect_err("duplicate");
    assert_eq!(dup.code(), Some("DUPLICATED"));
    // An expired quote: QUOTE_EXPIRE.
    sb.advance_clock(Duration::from_secs(120)).expect("advance");
    let late = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new(&q2.quote_id, "payout-2"))
        .await
        .expect_err("expired");
    assert_eq!(late.code(), Some("QUOTE_EXPIRE"));
    let found = c
        .remittance()
        .find_order("payout-1")
        .await
        .expect("find")
        .expect("order");
    assert_eq!(found.status, Some(OrderStatus::Success));
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99899.00")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn insufficient_wallet_balance() {
    let sb = start().await;
    sb.set_gsalary_balance("USD", dec("10")).expect("set");
    let c = sb.gsalary_client().expect("client");
    let h = c.card_holders().create(&holder()).await.expect("holder");
    let e = c
        .cards()
        .apply(
            &ApplyCard::builder()
                .request_id("r1")
                .product_code("SBX_VISA_USD")
                .currency("USD")
                .card_holder_id(&h.card_holder_id)
                .init_balance(dec("10.01"))
                .build()
                .expect("valid request"),
        )
        .await
        .expect_err("insufficient");
    assert_eq!(e.code(), Some("INSUFFICIENT_BALANCE"));
    assert!(!e.is_outcome_unknown(), "a signed refusal decides: {e}");
    sb.shutdown().await;
}
