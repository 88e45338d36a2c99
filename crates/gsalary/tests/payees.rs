//! Payees and their accounts: requests as sent, answers decoded, rules checked before sending.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use walletbridge_core::SignatureProblem;
use walletbridge_gsalary::payees::{
    AccountFormQuery, AccountStatus, AccountType, CreatePayee, EWalletAccount, FormField,
    PayeesQuery, PaymentMethod, RegisterBankAccount, SubjectType, UpdateBankAccount,
};

fn payee_data() -> serde_json::Value {
    json!({"payee_id": "payee_1", "subject_type": "INDIVIDUAL", "account_type": "E_WALLET",
           "first_name": "LEI", "last_name": "LI", "country": "CN", "currencies": ["USD"],
           "account_holder": "", "mobile": {}, "address": "somewhere", "unknown_field": 42})
}

fn account_data(status: &str) -> serde_json::Value {
    json!({"payment_method": "ALIPAY", "currencies": ["USD"], "account_id": "acc_1",
           "account_no": "86-13721473389", "status": status})
}

fn bank_account_data() -> serde_json::Value {
    json!({"payment_method": "BANK_TRANSFER", "form_fields": [], "account_id": "acc_2",
           "account_no": "622306492053631234", "status": "PENDING", "require_clearing_network": true,
           "currencies": ["CNY"]})
}

fn lei_li() -> CreatePayee {
    CreatePayee::individual()
        .account_type(AccountType::EWallet)
        .country("CN")
        .currency("USD")
        .first_name("LEI")
        .last_name("LI")
        .build()
        .unwrap()
}

fn bank_fields() -> Vec<FormField> {
    vec![
        FormField::new("first_name", "三丰"),
        FormField::new("last_name", "张"),
        FormField::new("account_no", "622306492053631234"),
        FormField::new("cert_number", "330100198001010001"),
    ]
}

#[tokio::test]
async fn create_payee_snapshot_and_decode() {
    let p = lei_li();
    let (req, payee) = capture(payee_data(), |c| async move { c.payees().create(&p).await }).await;
    insta::assert_snapshot!("payee_create", req);
    assert_eq!(payee.payee_id, "payee_1");
    assert_eq!(payee.subject_type, Some(SubjectType::Individual));
    assert_eq!(payee.currencies, ["USD"]);
}

#[tokio::test]
async fn create_enterprise_bank_payee_snapshot() {
    let p = CreatePayee::enterprise()
        .account_type(AccountType::BankAccount)
        .country("HK")
        .currency("HKD")
        .account_holder("Acme Trading Ltd")
        .build()
        .unwrap();
    let (req, _) = capture(payee_data(), |c| async move { c.payees().create(&p).await }).await;
    assert!(req.contains(r#"{"subject_type":"ENTERPRISE","account_type":"BANK_ACCOUNT","country":"HK","account_holder":"Acme Trading Ltd","currency":"HKD"}"#), "{req}");
}

#[tokio::test]
async fn list_payees_snapshot() {
    let data = json!({"query": {}, "payees": [payee_data()], "page": 1, "limit": 10, "total_count": 1, "total_page": 1});
    let q = PayeesQuery::new()
        .limit(10)
        .name("LI LEI")
        .country("CN")
        .currency("USD")
        .mobile("13721473389");
    let (req, page) = capture(data, |c| async move { c.payees().list(&q).await }).await;
    insta::assert_snapshot!("payees_list", req);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.total_pages, Some(1));
}

#[tokio::test]
async fn update_payee_snapshot() {
    let p = lei_li();
    let (req, _) = capture(payee_data(), |c| async move {
        c.payees().update("payee_1", &p).await
    })
    .await;
    insta::assert_snapshot!("payee_update", req);
}

#[tokio::test]
async fn deactivate_payee_snapshot_and_answer_without_data() {
    // the page's answer has no `data` at all
    let (req, ()) =
        capture_no_data(|c| async move { c.payees().deactivate("payee/1").await }).await;
    insta::assert_snapshot!("payee_deactivate", req);
}

#[tokio::test]
async fn payment_methods_snapshot() {
    let data = json!({"payment_methods": ["ALIPAY", "WECHATPAY", "BANK_TRANSFER", "GCASH"]});
    let (req, methods) = capture(data, |c| async move { c.payees().payment_methods().await }).await;
    insta::assert_snapshot!("payment_methods", req);
    assert_eq!(
        methods.payment_methods,
        [
            PaymentMethod::Alipay,
            PaymentMethod::WechatPay,
            PaymentMethod::BankTransfer,
            PaymentMethod::Other("GCASH".into())
        ]
    );
}

#[tokio::test]
async fn add_account_snapshot_and_redaction() {
    let a = EWalletAccount::new(PaymentMethod::Alipay, "86-13721473389");
    assert!(
        !format!("{a:?}").contains("13721473389"),
        "account numbers stay out of Debug"
    );
    let (req, acc) = capture(account_data("PENDING"), |c| async move {
        c.payees().add_account("payee_1", &a).await
    })
    .await;
    insta::assert_snapshot!("payee_account_add", req);
    assert_eq!(acc.status, Some(AccountStatus::Pending));
    assert_eq!(acc.account_no.as_ref().unwrap().expose(), "86-13721473389");
    assert!(!format!("{acc:?}").contains("13721473389"));
}

#[tokio::test]
async fn accounts_snapshot() {
    let data = json!({"accounts": [account_data("ACTIVE"), bank_account_data()]});
    let (req, accounts) = capture(data, |c| async move {
        c.payees().accounts("payee_1", Some("zh")).await
    })
    .await;
    insta::assert_snapshot!("payee_accounts", req);
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].status, Some(AccountStatus::Active));
    assert_eq!(accounts[1].require_clearing_network, Some(true));
}

#[tokio::test]
async fn update_account_snapshot() {
    let a = EWalletAccount::new(PaymentMethod::Alipay, "86-13700000000");
    let (req, _) = capture(account_data("PENDING"), |c| async move {
        c.payees().update_account("payee_1", "acc_1", &a).await
    })
    .await;
    insta::assert_snapshot!("payee_account_update", req);
}

#[tokio::test]
async fn account_form_snapshot() {
    let data = json!({"account_type": "BANK_ACCOUNT", "payment_method": "BANK_TRANSFER", "subject_type": "INDIVIDUAL",
                      "currency": "CNY", "country": "CN",
                      "fields": [{"field_name": "first_name", "required": true, "description": "收款人名（中文）"},
                                 {"field_name": "account_no", "required": true, "description": "银行卡账号（一类卡）"}]});
    let q = AccountFormQuery::bank_transfer()
        .currency("CNY")
        .language("zh");
    let (req, form) = capture(data, |c| async move {
        c.payees().account_form("payee_1", &q).await
    })
    .await;
    insta::assert_snapshot!("payee_account_format", req);
    assert_eq!(form.fields.len(), 2);
    assert!(form.fields[1].required);
    assert_eq!(form.account_type, Some(AccountType::BankAccount));
}

#[tokio::test]
async fn register_bank_account_snapshot() {
    let r = RegisterBankAccount::bank_transfer(bank_fields()).currency("CNY");
    assert!(!format!("{r:?}").contains("622306492053631234"));
    let (req, acc) = capture(bank_account_data(), |c| async move {
        c.payees().register_bank_account("payee_1", &r).await
    })
    .await;
    insta::assert_snapshot!("payee_account_register", req);
    assert_eq!(acc.account_id, "acc_2");
    assert_eq!(acc.payment_method, Some(PaymentMethod::BankTransfer));
}

#[tokio::test]
async fn update_bank_account_snapshot() {
    let u = UpdateBankAccount::new(bank_fields()).currency("CNY");
    let (req, _) = capture(bank_account_data(), |c| async move {
        c.payees().update_bank_account("acc_2", &u).await
    })
    .await;
    insta::assert_snapshot!("payee_bank_account_update", req);
}

#[tokio::test]
async fn remove_account_snapshot() {
    let (req, ()) = capture(serde_json::Value::Null, |c| async move {
        c.payees().remove_account("acc_2").await
    })
    .await;
    insta::assert_snapshot!("payee_account_remove", req);
}

#[tokio::test]
async fn payout_currencies_snapshot() {
    let data = json!({"payment_method": "BANK_TRANSFER",
                      "countries": [{"country": "CN", "currencies": ["CNY"]}]});
    let (req, pc) = capture(data, |c| async move {
        c.payees()
            .payout_currencies(&PaymentMethod::BankTransfer)
            .await
    })
    .await;
    insta::assert_snapshot!("payout_currencies", req);
    assert_eq!(pc.payment_method, Some(PaymentMethod::BankTransfer));
    assert_eq!(pc.countries[0].country.as_deref(), Some("CN"));
    assert_eq!(pc.countries[0].currencies, ["CNY"]);
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(payee_data()));
    let client = client_with(transport.clone());
    let p = client.payees();
    let field = |e: walletbridge_core::Error| validation_field(&e);
    let person = |account, country, currency, first_name| {
        CreatePayee::individual()
            .account_type(account)
            .country(country)
            .currency(currency)
            .first_name(first_name)
            .last_name("LI")
            .build()
    };
    for (r, expected) in [
        (person(AccountType::EWallet, "CHN", "USD", "LEI"), "country"),
        (person(AccountType::EWallet, "CN", "usd", "LEI"), "currency"),
        (
            person(AccountType::EWallet, "CN", "USD", "Lei2"),
            "first_name",
        ),
        // a CN bank account payee needs Chinese names, and accepts them
        (
            person(AccountType::BankAccount, "CN", "CNY", "LEI"),
            "first_name",
        ),
        (
            CreatePayee::enterprise()
                .account_type(AccountType::EWallet)
                .country("CN")
                .currency("USD")
                .account_holder(" ")
                .build(),
            "account_holder",
        ),
    ] {
        // A code that is not ISO is named when the request is built; the
        // other rules when it is sent.
        let e = match r {
            Err(e) => e,
            Ok(r) => p.create(&r).await.unwrap_err(),
        };
        assert_eq!(field(e), expected);
    }
    let e = p
        .add_account("payee_1", &EWalletAccount::new(PaymentMethod::Alipay, ""))
        .await
        .unwrap_err();
    assert_eq!(field(e), "account_no");
    let e = p
        .register_bank_account("payee_1", &RegisterBankAccount::bank_transfer(vec![]))
        .await
        .unwrap_err();
    assert_eq!(field(e), "fields");
    let e = p.list(&PayeesQuery::new().page(0)).await.unwrap_err();
    assert_eq!(field(e), "page");
    let e = p
        .list(&PayeesQuery::new().mobile("+86 137"))
        .await
        .unwrap_err();
    assert_eq!(field(e), "mobile");
    // path ids must not be empty
    let e = p.deactivate("").await.unwrap_err();
    assert_eq!(field(e), "payee_id");
    let e = p
        .update_account(
            "payee_1",
            " ",
            &EWalletAccount::new(PaymentMethod::Alipay, "1"),
        )
        .await
        .unwrap_err();
    assert_eq!(field(e), "account_id");
    assert!(transport.requests().is_empty(), "nothing may be sent");

    // and the Chinese names do pass
    p.create(
        &CreatePayee::individual()
            .account_type(AccountType::BankAccount)
            .country("CN")
            .currency("CNY")
            .first_name("三丰")
            .last_name("张")
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn http_success_error_envelope_and_signatures() {
    let server = MockServer::start_async().await;
    let body = ok_body(json!({"accounts": [account_data("ACTIVE")]}));
    let pq = "/v1/remittance/payees/payee_1/accounts";
    let good = answer_signature(PLATFORM_KEY, "GET", pq, &body);
    let m = mount_with(
        &server,
        GET,
        pq,
        |when| when.header("x-appid", APPID).header_exists("authorization"),
        200,
        &body,
        Some(&good),
    )
    .await;
    let accounts = client_on(&server)
        .payees()
        .accounts("payee_1", None)
        .await
        .unwrap();
    assert_eq!(accounts[0].account_id, "acc_1");
    m.assert_async().await;

    // missing, forged and tampered signatures
    let forged = answer_signature(OTHER_KEY, "GET", pq, &body);
    let tampered = body.replace("acc_1", "acc_9");
    for (answer, sig, problem) in [
        (body.clone(), None, SignatureProblem::Missing),
        (body.clone(), Some(forged), SignatureProblem::Mismatch),
        (tampered, Some(good.clone()), SignatureProblem::Mismatch),
    ] {
        let server = MockServer::start_async().await;
        mount(&server, GET, pq, 200, &answer, sig.as_deref()).await;
        let err = client_on(&server)
            .payees()
            .accounts("payee_1", None)
            .await
            .unwrap_err();
        assert_signature(&err, problem);
    }

    // an error envelope on a 5xx: reported, but the outcome is unknown
    let server = MockServer::start_async().await;
    let envelope =
        r#"{"biz_result":"F","error_code":"CREATE_PAYEE_ACCOUNT_FAILED","message":"failed"}"#;
    mount(&server, POST, pq, 500, envelope, None).await;
    let err = client_on(&server)
        .payees()
        .add_account(
            "payee_1",
            &EWalletAccount::new(PaymentMethod::Alipay, "86-13721473389"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("CREATE_PAYEE_ACCOUNT_FAILED"));
    assert_eq!(err.status(), Some(500));
    assert!(
        err.is_outcome_unknown(),
        "a 5xx to a write is outcome unknown whatever its body says"
    );
}

#[tokio::test]
async fn posts_are_sent_once_and_html_errors_do_not_panic() {
    let server = MockServer::start_async().await;
    let page = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
    let m = mount(&server, POST, "/v1/remittance/payees", 503, page, None).await;
    let err = client_for(&server.base_url(), quick_retries(4))
        .payees()
        .create(&lei_li())
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 1);
    assert_http_error(&err, 503, "503 Service");
    assert!(err.is_outcome_unknown());
}

#[tokio::test]
async fn payee_stream_walks_every_page() {
    let server = MockServer::start_async().await;
    mount_pages(
        &server,
        |page| format!("/v1/remittance/payees?country=CN&limit=1&page={page}"),
        |page| {
            json!({"payees": [{"payee_id": format!("p{page}")}],
                   "page": page, "limit": 1, "total_count": 3, "total_page": 3})
        },
    )
    .await;
    let ids = collect_ids(
        client_on(&server)
            .payees()
            .list_stream(PayeesQuery::new().limit(1).country("CN")),
        |p| p.payee_id,
    )
    .await;
    assert_eq!(ids, ["p1", "p2", "p3"]);
}
