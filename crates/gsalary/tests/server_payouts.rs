//! The `server` feature against the client for payees, payers, remittance
//! and acquiring, with real bytes: the client's own request bytes (bodies
//! and queries) decode into the crate's request types and equal the value
//! built; every answer model written by the server side (in the crate's
//! success envelope, signed with `signing::sign_answer`) is what the client
//! reads back.
#![cfg(feature = "server")]
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;

use common::server::*;
use common::*;
use walletbridge_core::SecretString;
use walletbridge_gsalary::Money;
use walletbridge_gsalary::endpoints::{self, decode_query};

// ---------------------------------------------------------------- payees

mod payees {
    use super::*;
    use walletbridge_gsalary::payees::{
        AccountForm, AccountFormQuery, AccountStatus, AccountType, AccountsQuery, CreatePayee,
        EWalletAccount, FormField, FormFieldSpec, Payee, PayeeAccount, PayeeAccountList, PayeeList,
        PayeesQuery, PaymentMethod, PaymentMethods, PayoutCountry, PayoutCurrencies,
        PayoutCurrenciesQuery, RegisterBankAccount, SubjectType, UpdateBankAccount,
    };

    fn payee() -> Payee {
        let mut p = Payee::default();
        p.payee_id = "payee_1".into();
        p.subject_type = Some(SubjectType::Individual);
        p.account_type = Some(AccountType::EWallet);
        p.first_name = Some("LEI".into());
        p.last_name = Some("LI".into());
        p.country = Some("CN".into());
        p.currencies = vec!["USD".into()];
        p.mobile = Some(serde_json::json!({"nation_code": "86", "mobile": "13721473389"}));
        p.extra = extra(&[("unknown_field", serde_json::json!(42))]);
        p
    }

    fn account(method: PaymentMethod) -> PayeeAccount {
        let mut a = PayeeAccount::default();
        a.account_id = "acc_1".into();
        a.payment_method = Some(method);
        a.currencies = vec!["CNY".into()];
        a.account_no = Some(SecretString::from("86-13721473389"));
        a.status = Some(AccountStatus::Pending);
        a.require_clearing_network = Some(false);
        a
    }

    fn bank_fields() -> Vec<FormField> {
        vec![
            FormField::new("account_number", "622306492053631234"),
            FormField::new("bank_name", "招商银行"),
        ]
    }

    #[tokio::test]
    async fn create_update_and_deactivate() {
        let body = CreatePayee::individual()
            .account_type(AccountType::EWallet)
            .country("CN")
            .currency("USD")
            .first_name("LEI")
            .last_name("LI")
            .build()
            .unwrap();
        let p = payee();
        let b = body.clone();
        let (req, got) = call(Some(&p), |c| async move { c.payees().create(&b).await }).await;
        assert_eq!(got, p);
        endpoint_is(&req, &endpoints::PAYEE_CREATE);
        body_is(&req, &body);

        let company = CreatePayee::enterprise()
            .account_type(AccountType::BankAccount)
            .country("HK")
            .currency("HKD")
            .account_holder("Acme Trading Ltd")
            .build()
            .unwrap();
        let b = company.clone();
        let (req, _) = call(Some(&p), |c| async move {
            c.payees().update("payee_1", &b).await
        })
        .await;
        endpoint_is(&req, &endpoints::PAYEE_UPDATE);
        body_is(&req, &company);

        let req = call_no_data(|c| async move { c.payees().deactivate("payee_1").await }).await;
        endpoint_is(&req, &endpoints::PAYEE_DEACTIVATE);
    }

    #[tokio::test]
    async fn list() {
        let mut list = PayeeList::default();
        list.payees = vec![payee()];
        list.page = Some(2);
        list.limit = Some(10);
        list.total_count = Some(11);
        list.total_page = Some(2);
        list.extra = extra(&[("query", serde_json::json!({"page": "2"}))]);
        let q = PayeesQuery::new()
            .page(2)
            .limit(10)
            .name("LI LEI")
            .country("CN")
            .currency("USD")
            .mobile("13721473389");
        let q2 = q.clone();
        let (req, page) = call(Some(&list), |c| async move { c.payees().list(&q2).await }).await;
        assert_eq!(page.items, vec![payee()]);
        endpoint_is(&req, &endpoints::PAYEES_LIST);
        query_is(&req, &q);
        let bare: PayeesQuery = decode_query(&[]).unwrap();
        assert_eq!(bare, PayeesQuery::new());
    }

    #[tokio::test]
    async fn payment_methods_and_payout_currencies() {
        let mut m = PaymentMethods::default();
        m.payment_methods = vec![PaymentMethod::Alipay, PaymentMethod::Other("GCASH".into())];
        let (req, got) = call(
            Some(&m),
            |c| async move { c.payees().payment_methods().await },
        )
        .await;
        assert_eq!(got, m);
        endpoint_is(&req, &endpoints::PAYMENT_METHODS);

        let mut hk = PayoutCountry::default();
        hk.country = Some("HK".into());
        hk.currencies = vec!["HKD".into(), "USD".into()];
        let mut pc = PayoutCurrencies::default();
        pc.payment_method = Some(PaymentMethod::BankTransfer);
        pc.countries = vec![hk];
        let (req, got) = call(Some(&pc), |c| async move {
            c.payees()
                .payout_currencies(&PaymentMethod::BankTransfer)
                .await
        })
        .await;
        assert_eq!(got, pc);
        endpoint_is(&req, &endpoints::PAYOUT_CURRENCIES);
        query_is(
            &req,
            &PayoutCurrenciesQuery::new(PaymentMethod::BankTransfer),
        );
    }

    #[tokio::test]
    async fn e_wallet_accounts() {
        let a = account(PaymentMethod::Alipay);
        let body = EWalletAccount::new(PaymentMethod::Alipay, "86-13721473389");
        let b = body.clone();
        let (req, got) = call(Some(&a), |c| async move {
            c.payees().add_account("payee_1", &b).await
        })
        .await;
        assert_eq!(got, a);
        endpoint_is(&req, &endpoints::PAYEE_ACCOUNT_ADD);
        body_is(&req, &body);

        let b = body.clone();
        let (req, _) = call(Some(&a), |c| async move {
            c.payees().update_account("payee_1", "acc_1", &b).await
        })
        .await;
        endpoint_is(&req, &endpoints::PAYEE_ACCOUNT_UPDATE);
        body_is(&req, &body);

        let mut list = PayeeAccountList::default();
        list.accounts = vec![a.clone()];
        for language in [None, Some("zh")] {
            let (req, got) = call(Some(&list), |c| async move {
                c.payees().accounts("payee_1", language).await
            })
            .await;
            assert_eq!(got, vec![a.clone()]);
            endpoint_is(&req, &endpoints::PAYEE_ACCOUNTS_LIST);
            query_is(&req, &AccountsQuery::new(language));
        }

        let req = call_no_data(|c| async move { c.payees().remove_account("acc_1").await }).await;
        endpoint_is(&req, &endpoints::PAYEE_ACCOUNT_REMOVE);
    }

    #[tokio::test]
    async fn bank_accounts() {
        let mut spec = FormFieldSpec::default();
        spec.field_name = "account_number".into();
        spec.required = true;
        spec.description = Some("bank account number".into());
        let mut form = AccountForm::default();
        form.account_type = Some(AccountType::BankAccount);
        form.payment_method = Some(PaymentMethod::BankTransfer);
        form.subject_type = Some(SubjectType::Individual);
        form.currency = Some("CNY".into());
        form.country = Some("CN".into());
        form.fields = vec![spec];
        let q = AccountFormQuery::bank_transfer()
            .currency("CNY")
            .language("zh");
        let q2 = q.clone();
        let (req, got) = call(Some(&form), |c| async move {
            c.payees().account_form("payee_1", &q2).await
        })
        .await;
        assert_eq!(got, form);
        endpoint_is(&req, &endpoints::PAYEE_ACCOUNT_FORMAT);
        query_is(&req, &q);

        let mut a = account(PaymentMethod::BankTransfer);
        a.require_clearing_network = Some(true);
        a.form_fields =
            vec![serde_json::json!({"field_name": "bank_name", "field_value": "招商银行"})];
        let body = RegisterBankAccount::bank_transfer(bank_fields()).currency("CNY");
        let b = body.clone();
        let (req, got) = call(Some(&a), |c| async move {
            c.payees().register_bank_account("payee_1", &b).await
        })
        .await;
        assert_eq!(got, a);
        endpoint_is(&req, &endpoints::PAYEE_ACCOUNT_REGISTER);
        body_is(&req, &body);

        let body = UpdateBankAccount::new(bank_fields());
        let b = body.clone();
        let (req, _) = call(Some(&a), |c| async move {
            c.payees().update_bank_account("acc_1", &b).await
        })
        .await;
        endpoint_is(&req, &endpoints::PAYEE_BANK_ACCOUNT_UPDATE);
        body_is(&req, &body);
    }
}

// ---------------------------------------------------------------- payers

mod payers {
    use super::*;
    use walletbridge_gsalary::models::Address;
    use walletbridge_gsalary::payees::SubjectType;
    use walletbridge_gsalary::payers::{
        Attachment, AttachmentBody, BusinessScope, CertType, CreatePayer, Payer, PayerList,
        UploadedAttachment,
    };

    fn payer() -> Payer {
        let mut p = Payer::default();
        p.payer_id = "payer_1".into();
        p.subject_type = Some(SubjectType::Enterprise);
        p.cert_type = Some(CertType::BusinessLicense);
        p.cert_number = Some(SecretString::from("91330100MA2XXXXX"));
        p.cert_files = vec!["file_1".into()];
        p.region = Some("HK".into());
        p.company_name = Some("Acme Trading".into());
        p.register_number = Some("12345678".into());
        p.business_scopes = vec![BusinessScope::Software, BusinessScope::Other("NEW".into())];
        p.address = Some(Address::new().city("Hong Kong").country("HK"));
        p.extra = extra(&[("status", serde_json::json!("ACTIVE"))]);
        p
    }

    #[tokio::test]
    async fn attachment_upload() {
        let file = Attachment::from_bytes("passport.png", b"\x89PNG\r\n\x1a\n".to_vec());
        let mut up = UploadedAttachment::default();
        up.file_id = "file_1".into();
        let f = file.clone();
        let (req, got) = call(Some(&up), |c| async move {
            c.payers().upload_attachment(&f).await
        })
        .await;
        assert_eq!(got, up);
        endpoint_is(&req, &endpoints::ATTACHMENT_UPLOAD);
        let body = AttachmentBody::new(&file).unwrap();
        assert!(body.base64.starts_with("data:image/png;base64,"));
        assert!(!format!("{body:?}").contains("base64,"), "{body:?}");
        body_is(&req, &body);
    }

    #[tokio::test]
    async fn create_update_get_list_and_remove() {
        let body = CreatePayer::enterprise()
            .company_name("Acme Trading")
            .register_number("12345678")
            .business_scopes(vec![BusinessScope::Software])
            .cert(
                CertType::BusinessLicense,
                "91330100MA2XXXXX",
                vec!["file_1".into()],
            )
            .region("HK")
            .address(Address::new().city("Hong Kong").country("HK"))
            .build()
            .unwrap();
        let p = payer();
        let b = body.clone();
        let (req, got) = call(Some(&p), |c| async move { c.payers().create(&b).await }).await;
        assert_eq!(got, p);
        endpoint_is(&req, &endpoints::PAYER_CREATE);
        body_is(&req, &body);

        let person = CreatePayer::individual()
            .first_name("Ada")
            .last_name("Lovelace")
            .birthday("1990-01-01")
            .cert(CertType::Passport, "E1234567", vec!["file_2".into()])
            .region("GB")
            .address(Address::new().address("1 Main St").country("GB"))
            .build()
            .unwrap();
        let b = person.clone();
        let (req, _) = call(Some(&p), |c| async move {
            c.payers().update("payer_1", &b).await
        })
        .await;
        endpoint_is(&req, &endpoints::PAYER_UPDATE);
        body_is(&req, &person);

        let (req, got) = call(Some(&p), |c| async move { c.payers().get("payer_1").await }).await;
        assert_eq!(got, p);
        endpoint_is(&req, &endpoints::PAYER_GET);

        let mut list = PayerList::default();
        list.payers = vec![p.clone()];
        let (req, got) = call(Some(&list), |c| async move { c.payers().list().await }).await;
        assert_eq!(got, vec![p]);
        endpoint_is(&req, &endpoints::PAYERS_LIST);

        let req = call_no_data(|c| async move { c.payers().remove("payer_1").await }).await;
        endpoint_is(&req, &endpoints::PAYER_REMOVE);
    }
}

// ---------------------------------------------------------------- remittance

mod remittance {
    use super::*;
    use walletbridge_gsalary::payees::PaymentMethod;
    use walletbridge_gsalary::remittance::{
        AmountType, ClearingNetwork, ClearingNetworkOption, ClearingNetworks,
        ClearingNetworksQuery, CreateRemittanceQuote, OrderStatus, OrdersQuery, Purpose, Quote,
        RemittanceOrder, RemittanceOrders, SubmitRemittanceOrder,
    };

    fn order() -> RemittanceOrder {
        let mut o = RemittanceOrder::default();
        o.order_id = "ro_1".into();
        o.client_order_id = Some("payout-1".into());
        o.order_source = Some("API".into());
        o.status = Some(OrderStatus::Created);
        o.create_time = Some(t("2024-11-22T02:13:20Z"));
        o.payee_id = Some("payee_1".into());
        o.payee_account_id = Some("acc_1".into());
        o.payment_method = Some(PaymentMethod::Alipay);
        o.pay_amount = Some(Money::new("USD", d("100")));
        o.receive_amount = Some(Money::new("CNY", d("720.5")));
        o.surcharge = Some(Money::new("USD", d("1")));
        o.exchange_rate = Some(d("7.205"));
        o
    }

    #[tokio::test]
    async fn clearing_networks() {
        let mut swift = ClearingNetworkOption::new(ClearingNetwork::Swift);
        swift.fee = Some(d("15"));
        swift.estimated_arrival_time = Some(t("2024-11-24T02:13:20Z"));
        let mut n = ClearingNetworks::default();
        n.clearing_networks = vec![swift, ClearingNetworkOption::new(ClearingNetwork::Ach)];
        n.payee_account_id = Some("acc_1".into());
        n.pay_currency = Some("USD".into());
        n.receive_currency = Some("CNY".into());
        n.amount = Some(d("1000.5"));
        n.amount_type = Some(AmountType::PayAmount);
        n.country = Some("CN".into());
        let q = ClearingNetworksQuery::pay("acc_1", Money::new("USD", d("1000.5")), "CNY");
        let q2 = q.clone();
        let (req, got) = call(Some(&n), |c| async move {
            c.remittance().clearing_networks(&q2).await
        })
        .await;
        assert_eq!(got, n);
        endpoint_is(&req, &endpoints::CLEARING_NETWORKS);
        query_is(&req, &q);
        let q = ClearingNetworksQuery::receive("acc_1", "USD", Money::new("IDR", d("150000")));
        let q2 = q.clone();
        let (req, _) = call(Some(&n), |c| async move {
            c.remittance().clearing_networks(&q2).await
        })
        .await;
        query_is(&req, &q);
    }

    #[tokio::test]
    async fn quote_and_order() {
        let mut quote = Quote::default();
        quote.quote_id = "rq_1".into();
        quote.payment_method = Some(PaymentMethod::BankTransfer);
        quote.pay_amount = Some(Money::new("USD", d("100.25")));
        quote.receive_amount = Some(Money::new("CNY", d("721.8")));
        quote.surcharge = Some(Money::new("USD", d("1")));
        quote.exchange_rate = Some(d("7.2"));
        quote.expire_at = Some(t("2024-11-22T02:15:20Z"));
        let body =
            CreateRemittanceQuote::pay("acc_1", Purpose::Salary, Money::new("USD", d("100.25")))
                .payer_id("payer_1")
                .receive_currency("CNY")
                .clearing_network(ClearingNetwork::Ach)
                .aba_number("021000021")
                .remark("June salary");
        let b = body.clone();
        let (req, got) = call(
            Some(&quote),
            |c| async move { c.remittance().quote(&b).await },
        )
        .await;
        assert_eq!(got, quote);
        endpoint_is(&req, &endpoints::REMITTANCE_QUOTE);
        body_is(&req, &body);

        let o = order();
        let body = SubmitRemittanceOrder::new("rq_1", "payout-1");
        let b = body.clone();
        let (req, got) = call(Some(&o), |c| async move {
            c.remittance().submit_order(&b).await
        })
        .await;
        assert_eq!(got, o);
        endpoint_is(&req, &endpoints::REMITTANCE_ORDER_SUBMIT);
        body_is(&req, &body);
    }

    #[tokio::test]
    async fn orders() {
        let mut done = order();
        done.status = Some(OrderStatus::Failed);
        done.finish_time = Some(t("2024-11-22T02:13:25Z"));
        done.error_message = Some("refused".into());
        let mut list = RemittanceOrders::default();
        list.orders = vec![order(), done.clone()];
        list.page = Some(1);
        list.limit = Some(20);
        list.total_count = Some(2);
        list.total_page = Some(1);
        let q = OrdersQuery::new()
            .time_start(dt("2024-03-04T10:00:00+08:00"))
            .time_end(dt("2024-03-05T10:00:00Z"))
            .payee_id("payee_1")
            .payer_id("payer_1")
            .order_id("ro_1")
            .client_order_id("payout-1");
        let q2 = q.clone();
        let (req, page) = call(
            Some(&list),
            |c| async move { c.remittance().orders(&q2).await },
        )
        .await;
        assert_eq!(page.items, vec![order(), done]);
        endpoint_is(&req, &endpoints::REMITTANCE_ORDERS_LIST);
        query_is(&req, &q);
        let bare: OrdersQuery = decode_query(&[]).unwrap();
        assert_eq!(bare, OrdersQuery::new());
    }
}

// ---------------------------------------------------------------- acquiring

mod acquiring {
    use super::*;
    use walletbridge_gsalary::acquiring::{
        AcquiringOrder, AmountLimit, AuthToken, CancelPayment, CancelResult, ConsultPayment,
        CreateEasySafePaySession, CreatePaySession, OsType, PaySession, PayWithToken, Payment,
        PaymentMethodType, PaymentOption, PaymentOptions, ProductScene, RefreshAuthToken,
        RevokeAuthToken, TerminalType,
    };

    fn order() -> AcquiringOrder {
        AcquiringOrder::new("order-1", "A book")
            .amount(Money::new("USD", d("10.25")))
            .buyer_id("buyer-1")
            .buyer_email("buyer@example.com")
    }

    fn session() -> CreatePaySession {
        CreatePaySession::builder()
            .mch_app_id("app-1")
            .payment_request_id("pay-1")
            .payment(Money::new("USD", d("10.25")))
            .method(PaymentMethodType::Card)
            .redirect_url("https://shop.example/back")
            .order(order())
            .settlement_currency("USD")
            .scene(ProductScene::CheckoutPayment)
            .build()
            .unwrap()
            .client_ip("203.0.113.7")
            .expiry_time("2024-11-22T03:13:20Z")
    }

    fn with_token() -> PayWithToken {
        PayWithToken::builder()
            .mch_app_id("app-1")
            .payment_request_id("pay-2")
            .payment(Money::new("USD", d("0.5")))
            .token("tok_secret")
            .method(PaymentMethodType::AlipayCn)
            .redirect_url("myapp://pay/done")
            .order(AcquiringOrder::new("order-2", "A pen"))
            .settlement_currency("USD")
            .terminal(TerminalType::App)
            .build()
            .unwrap()
            .os(OsType::Ios)
            .expiry_time("2024-11-22T03:13:20Z")
    }

    fn pay_session() -> PaySession {
        let mut s = PaySession::default();
        s.payment_session_data = Some("data".into());
        s.payment_session_expiry_time = Some(t("2024-11-22T03:13:20Z"));
        s.payment_session_id = Some("session_1".into());
        s.normal_url = Some("https://pay.example/session_1".into());
        s
    }

    #[tokio::test]
    async fn consult() {
        let mut limit = AmountLimit::default();
        limit.min = Some(d("0.01"));
        limit.max = Some(d("10000"));
        let mut card = PaymentOption::new(PaymentMethodType::Card);
        card.currency = Some("USD".into());
        card.limit = Some(limit);
        card.country = Some("US".into());
        let mut options = PaymentOptions::default();
        options.payment_options = vec![
            card,
            PaymentOption::new(PaymentMethodType::Other("X".into())),
        ];
        let body = ConsultPayment::new(
            "app-1",
            Money::new("USD", d("10.25")),
            "USD",
            TerminalType::Web,
        )
        .allowed_regions(["US", "CN"])
        .allowed_methods(vec![PaymentMethodType::Card])
        .user_region("US")
        .os(OsType::Android)
        .client_ip("203.0.113.7");
        let b = body.clone();
        let (req, got) = call(Some(&options), |c| async move {
            c.acquiring().consult(&b).await
        })
        .await;
        assert_eq!(got, options);
        endpoint_is(&req, &endpoints::ACQ_PAY_CONSULT);
        body_is(&req, &body);
        // The lists the client leaves out when empty read as empty.
        let bare =
            ConsultPayment::new("app-1", Money::new("USD", d("1")), "USD", TerminalType::Wap);
        let back: ConsultPayment =
            serde_json::from_slice(&serde_json::to_vec(&bare).unwrap()).unwrap();
        assert_eq!(back, bare);
    }

    #[tokio::test]
    async fn sessions() {
        let s = pay_session();
        let body = session();
        let b = body.clone();
        let (req, got) = call(
            Some(&s),
            |c| async move { c.acquiring().pay_session(&b).await },
        )
        .await;
        assert_eq!(got, s);
        endpoint_is(&req, &endpoints::ACQ_PAY_SESSION);
        body_is(&req, &body);

        let b = body.clone();
        let (req, _) = call(Some(&s), |c| async move {
            c.acquiring().card_auto_debit_session(&b).await
        })
        .await;
        endpoint_is(&req, &endpoints::ACQ_CARD_AUTO_DEBIT_SESSION);
        body_is(&req, &body);

        let body =
            CreateEasySafePaySession::new(session(), "auth-1").user_login_id("buyer@example.com");
        let b = body.clone();
        let (req, _) = call(Some(&s), |c| async move {
            c.acquiring().easy_safe_pay_session(&b).await
        })
        .await;
        endpoint_is(&req, &endpoints::ACQ_EASY_SAFE_PAY_SESSION);
        body_is(&req, &body);
        // The flat body names a missing authorisation field.
        let mut v: serde_json::Value =
            serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("auth_state");
        let err = serde_json::from_value::<CreateEasySafePaySession>(v).unwrap_err();
        assert!(err.to_string().contains("auth_state"), "{err}");
    }

    #[tokio::test]
    async fn token_payments() {
        let mut p = Payment::default();
        p.payment_request_id = Some("pay-2".into());
        p.payment_id = Some("pay_1".into());
        p.payment_currency = Some("USD".into());
        p.payment_amount = Some(d("0.5"));
        p.normal_url = Some("https://pay.example/pay_1".into());
        p.scheme_url = Some("alipay://pay".into());
        let body = with_token();
        let b = body.clone();
        let (req, got) = call(Some(&p), |c| async move {
            c.acquiring().easy_safe_pay(&b).await
        })
        .await;
        assert_eq!(got, p);
        endpoint_is(&req, &endpoints::ACQ_EASY_SAFE_PAY);
        body_is(&req, &body);

        let b = body.clone();
        let (req, _) = call(Some(&p), |c| async move {
            c.acquiring().card_auto_debit_pay(&b).await
        })
        .await;
        endpoint_is(&req, &endpoints::ACQ_CARD_AUTO_DEBIT_PAY);
        body_is(&req, &body);
    }

    #[tokio::test]
    async fn tokens_and_cancel() {
        let mut tok = AuthToken::default();
        tok.access_token = SecretString::from("access_1");
        tok.access_token_expiry_time = Some(t("2024-11-23T02:13:20Z"));
        tok.refresh_token = Some(SecretString::from("refresh_1"));
        tok.refresh_token_expiry_time = Some(t("2024-12-22T02:13:20Z"));
        tok.user_login_id = Some("buyer@example.com".into());
        let body = RefreshAuthToken::new("app-1", "refresh_0").merchant_region("SG");
        let b = body.clone();
        let (req, got) = call(Some(&tok), |c| async move {
            c.acquiring().refresh_token(&b).await
        })
        .await;
        assert_eq!(got, tok);
        endpoint_is(&req, &endpoints::ACQ_AUTH_REFRESH_TOKEN);
        body_is(&req, &body);

        let access = SecretString::from("access_1");
        let a = access.clone();
        let req =
            call_no_data(|c| async move { c.acquiring().revoke_token("app-1", &a).await }).await;
        endpoint_is(&req, &endpoints::ACQ_AUTH_REVOKE_TOKEN);
        body_is(&req, &RevokeAuthToken::new("app-1", access));

        let mut r = CancelResult::default();
        r.payment_id = Some("pay_1".into());
        r.payment_request_id = Some("pay-2".into());
        r.cancel_time = Some(t("2024-11-22T02:13:20Z"));
        for body in [
            CancelPayment::by_payment_id("app-1", "pay_1"),
            CancelPayment::by_request_id("app-1", "pay-2"),
        ] {
            let b = body.clone();
            let (req, got) =
                call(Some(&r), |c| async move { c.acquiring().cancel(&b).await }).await;
            assert_eq!(got, r);
            endpoint_is(&req, &endpoints::ACQ_CANCEL);
            body_is(&req, &body);
        }
    }
}

// ---------------------------------------------------------------- events

#[test]
fn payout_events_written_by_the_server_verify_and_decode() {
    use walletbridge_gsalary::remittance::OrderStatus;
    use walletbridge_gsalary::webhooks::{
        Notification, PayeeAccountData, PayeeDeactivatedData, RemittanceData, WebhookEvent,
        WebhookVerifier, sign_webhook,
    };
    let at = "2024-11-22T02:13:20Z";
    let events = [
        WebhookEvent::PayeeAccountActive(Notification::new(
            "acc_1_active",
            at,
            PayeeAccountData::new("payee_1", "acc_1", "ALIPAY"),
        )),
        WebhookEvent::PayeeDeactivated(Notification::new(
            "payee_1_deactivated",
            at,
            PayeeDeactivatedData::new("payee_1"),
        )),
        WebhookEvent::RemittanceComplete(Notification::new(
            "ro_1_SUCCESS",
            at,
            RemittanceData::new(
                "ro_1",
                "payout-1",
                Some("payout-1".into()),
                OrderStatus::Success,
            ),
        )),
        WebhookEvent::RemittanceFail(Notification::new(
            "ro_2_FAILED",
            at,
            RemittanceData::new("ro_2", "payout-2", None, OrderStatus::Failed),
        )),
    ];
    let verifier = WebhookVerifier::from_pem(APPID, PLATFORM_PUBLIC)
        .unwrap()
        .clock(Arc::new(walletbridge_core::FixedClock::new(NOW_MS)));
    for event in events {
        let body = event.to_body().unwrap();
        let headers = sign_webhook(&signer(PLATFORM_KEY), APPID, "/hook", NOW_MS, &body).unwrap();
        let got = verifier.verify(&headers, &body, "/hook").unwrap();
        assert_eq!(got, event, "{}", String::from_utf8_lossy(&body));
    }
    let WebhookEvent::PayeeDeactivated(n) = WebhookEvent::from_slice(
        &WebhookEvent::PayeeDeactivated(Notification::new(
            "b",
            at,
            PayeeDeactivatedData::new("p1"),
        ))
        .to_body()
        .unwrap(),
    )
    .unwrap() else {
        panic!("not a PAYEE_DEACTIVATED");
    };
    assert_eq!(n.data.payee_ids(), ["p1"]);
}
