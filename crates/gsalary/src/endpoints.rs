//! Every endpoint in one table: method, path as on the page, how it is
//! prefixed on the wire, and whether it may be repeated. Changing a prefix or
//! an idempotency decision happens here and nowhere else.

use walletbridge_core::{Idempotency, Method};

/// Which prefix an endpoint's page path takes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The page's `/cards` is `/v1/cards`.
    V1,
    /// Acquiring paths already read `/gateway/v1/acquiring/...`; the client's
    /// configurable acquiring prefix (default none) goes in front.
    Gateway,
}

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoint {
    pub operation: &'static str,
    pub method: Method,
    /// The path as the page writes it, with `{name}` holes.
    pub path: &'static str,
    pub base: Base,
    pub idempotency: Idempotency,
    /// The answer (or the request) carries secrets: card data, tokens.
    /// Errors then quote no value and no body.
    pub sensitive: bool,
    /// The call moves money: an answer that is not signed never settles
    /// its outcome as a failure.
    pub moves_money: bool,
}

const fn ep(operation: &'static str, method: Method, path: &'static str) -> Endpoint {
    // GET reads; PUT replaces state with the same value when repeated; POST and
    // DELETE are never repeated by the SDK (see docs/gsalary.md).
    let idempotency = match method {
        Method::Get => Idempotency::Read,
        Method::Put => Idempotency::Deduplicated,
        _ => Idempotency::Unsafe,
    };
    Endpoint {
        operation,
        method,
        path,
        base: Base::V1,
        idempotency,
        sensitive: false,
        moves_money: false,
    }
}

const fn gw(operation: &'static str, path: &'static str) -> Endpoint {
    let mut e = ep(operation, Method::Post, path);
    e.base = Base::Gateway;
    e
}

const fn sensitive(mut e: Endpoint) -> Endpoint {
    e.sensitive = true;
    e
}

const fn money(mut e: Endpoint) -> Endpoint {
    e.moves_money = true;
    e
}

use Method::{Delete as DELETE, Get as GET, Post as POST, Put as PUT};

// wallet
pub(crate) const WALLET_BALANCE: Endpoint = ep("wallet balance", GET, "/wallets/balance");
pub(crate) const WALLET_TRANSACTIONS: Endpoint =
    ep("wallet transactions", GET, "/wallets/transactions");
// exchange
pub(crate) const EXCHANGE_ORDERS: Endpoint = ep("exchange orders", GET, "/exchange/orders");
pub(crate) const EXCHANGE_QUOTE: Endpoint = ep("exchange quote", POST, "/exchange/quotes");
pub(crate) const EXCHANGE_CURRENT_RATE: Endpoint = ep(
    "current exchange rate",
    GET,
    "/exchange/current_exchange_rate",
);
pub(crate) const EXCHANGE_SUBMIT: Endpoint =
    money(ep("exchange submit", POST, "/exchange/submit_request"));
// card holders
pub(crate) const CARD_HOLDERS_LIST: Endpoint = ep("list card holders", GET, "/card_holders");
pub(crate) const CARD_HOLDER_CREATE: Endpoint = ep("create card holder", POST, "/card_holders");
pub(crate) const CARD_HOLDER_GET: Endpoint =
    ep("get card holder", GET, "/card_holders/{card_holder_id}");
pub(crate) const CARD_HOLDER_UPDATE: Endpoint =
    ep("update card holder", PUT, "/card_holders/{card_holder_id}");
// cards
pub(crate) const CARD_AVAILABLE_QUOTAS: Endpoint =
    ep("card available quotas", GET, "/cards/available_quotas");
pub(crate) const CARD_PRODUCTS: Endpoint = ep("card products", GET, "/card_support/products");
pub(crate) const CARD_APPLY: Endpoint = money(ep("apply card", POST, "/card_applies"));
pub(crate) const CARD_APPLY_RESULT: Endpoint =
    ep("card apply result", GET, "/card_applies/{request_id}");
pub(crate) const CARDS_LIST: Endpoint = ep("list cards", GET, "/cards");
pub(crate) const CARD_GET: Endpoint = ep("get card", GET, "/cards/{card_id}");
pub(crate) const CARD_UPDATE: Endpoint = ep("update card", PUT, "/cards/{card_id}");
pub(crate) const CARD_CANCEL: Endpoint = ep("cancel card", DELETE, "/cards/{card_id}");
pub(crate) const CARD_SECURE_INFO: Endpoint =
    sensitive(ep("card secure info", GET, "/cards/{card_id}/secure_info"));
pub(crate) const CARD_BALANCE_MODIFY: Endpoint =
    money(ep("modify card balance", POST, "/cards/balance_modifies"));
pub(crate) const CARD_BALANCE_MODIFY_RESULT: Endpoint = ep(
    "card balance modify result",
    GET,
    "/cards/balance_modifies/{request_id}",
);
pub(crate) const CARD_FREEZE_STATUS: Endpoint = ep(
    "freeze or unfreeze card",
    PUT,
    "/cards/{card_id}/freeze_status",
);
pub(crate) const CARD_CONTACT_UPDATE: Endpoint =
    ep("update card contact", PUT, "/cards/{card_id}/contact");
pub(crate) const CARD_EMAIL_DELETE: Endpoint =
    ep("delete card email", DELETE, "/cards/{card_id}/email");
pub(crate) const CARD_ASSIGN: Endpoint = ep("assign physical card", POST, "/cards/assign_card");
pub(crate) const CARD_ACTIVATE: Endpoint =
    ep("activate card", POST, "/cards/{card_id}/active_card");
pub(crate) const CARD_RESET_PIN: Endpoint =
    ep("reset card pin", POST, "/cards/{card_id}/reset_card_pin");
// card bills
pub(crate) const CARD_TRANSACTIONS: Endpoint =
    ep("card transactions", GET, "/card_bill/card_transactions");
pub(crate) const CARD_BALANCE_HISTORY: Endpoint =
    ep("card balance history", GET, "/card_bill/balance_history");
// payees
pub(crate) const PAYEE_CREATE: Endpoint = ep("create payee", POST, "/remittance/payees");
pub(crate) const PAYEES_LIST: Endpoint = ep("list payees", GET, "/remittance/payees");
pub(crate) const PAYEE_UPDATE: Endpoint = ep("update payee", PUT, "/remittance/payees/{payee_id}");
pub(crate) const PAYEE_DEACTIVATE: Endpoint =
    ep("deactivate payee", DELETE, "/remittance/payees/{payee_id}");
pub(crate) const PAYMENT_METHODS: Endpoint = ep(
    "available payment methods",
    GET,
    "/remittance/available_payment_methods",
);
pub(crate) const PAYEE_ACCOUNT_ADD: Endpoint = ep(
    "add payee e-wallet account",
    POST,
    "/remittance/payees/{payee_id}/accounts",
);
pub(crate) const PAYEE_ACCOUNTS_LIST: Endpoint = ep(
    "list payee accounts",
    GET,
    "/remittance/payees/{payee_id}/accounts",
);
pub(crate) const PAYEE_ACCOUNT_UPDATE: Endpoint = ep(
    "update payee e-wallet account",
    PUT,
    "/remittance/payees/{payee_id}/payee_accounts/{account_id}",
);
pub(crate) const PAYEE_ACCOUNT_FORMAT: Endpoint = ep(
    "payee bank account form",
    GET,
    "/remittance/payees/{payee_id}/account_register_format",
);
pub(crate) const PAYEE_ACCOUNT_REGISTER: Endpoint = ep(
    "register payee bank account",
    POST,
    "/remittance/payees/{payee_id}/account_registry",
);
pub(crate) const PAYEE_BANK_ACCOUNT_UPDATE: Endpoint = ep(
    "update payee bank account",
    PUT,
    "/remittance/payee_accounts/{account_id}",
);
pub(crate) const PAYEE_ACCOUNT_REMOVE: Endpoint = ep(
    "remove payee account",
    DELETE,
    "/remittance/payee_accounts/{account_id}",
);
pub(crate) const PAYOUT_CURRENCIES: Endpoint = ep(
    "payout countries and currencies",
    GET,
    "/remittance/payout_currencies",
);
// payers and attachments
pub(crate) const ATTACHMENT_UPLOAD: Endpoint = ep("upload attachment", POST, "/attachments");
pub(crate) const PAYER_CREATE: Endpoint = ep("create payer", POST, "/remittance/payers");
pub(crate) const PAYERS_LIST: Endpoint = ep("list payers", GET, "/remittance/payers");
pub(crate) const PAYER_GET: Endpoint = ep("get payer", GET, "/remittance/payers/{payer_id}");
pub(crate) const PAYER_UPDATE: Endpoint = ep("update payer", PUT, "/remittance/payers/{payer_id}");
pub(crate) const PAYER_REMOVE: Endpoint =
    ep("remove payer", DELETE, "/remittance/payers/{payer_id}");
// remittance
pub(crate) const CLEARING_NETWORKS: Endpoint =
    ep("clearing networks", GET, "/remittance/clearing_networks");
pub(crate) const REMITTANCE_QUOTE: Endpoint = ep("remittance quote", POST, "/remittance/quotes");
pub(crate) const REMITTANCE_ORDER_SUBMIT: Endpoint =
    money(ep("submit remittance order", POST, "/remittance/orders"));
pub(crate) const REMITTANCE_ORDERS_LIST: Endpoint =
    ep("list remittance orders", GET, "/remittance/orders");
// acquiring
pub(crate) const ACQ_PAY_CONSULT: Endpoint =
    gw("payment consult", "/gateway/v1/acquiring/pay_consult");
pub(crate) const ACQ_PAY_SESSION: Endpoint = gw(
    "checkout payment session",
    "/gateway/v1/acquiring/pay_session",
);
pub(crate) const ACQ_EASY_SAFE_PAY_SESSION: Endpoint = gw(
    "EasySafePay first payment session",
    "/gateway/v1/acquiring/easy_safe_pay/pay_session",
);
pub(crate) const ACQ_EASY_SAFE_PAY: Endpoint = money(gw(
    "EasySafePay token payment",
    "/gateway/v1/acquiring/easy_safe_pay/pay",
));
pub(crate) const ACQ_AUTH_REFRESH_TOKEN: Endpoint = sensitive(gw(
    "refresh auth token",
    "/gateway/v1/acquiring/auth_refresh_token",
));
pub(crate) const ACQ_AUTH_REVOKE_TOKEN: Endpoint = sensitive(gw(
    "revoke auth token",
    "/gateway/v1/acquiring/auth_revoke_token",
));
pub(crate) const ACQ_CARD_AUTO_DEBIT_SESSION: Endpoint = gw(
    "CardAutoDebit first payment session",
    "/gateway/v1/acquiring/card_auto_debit/pay_session",
);
pub(crate) const ACQ_CARD_AUTO_DEBIT_PAY: Endpoint = money(gw(
    "CardAutoDebit token payment",
    "/gateway/v1/acquiring/card_auto_debit/pay",
));
pub(crate) const ACQ_CANCEL: Endpoint = gw("cancel payment", "/gateway/v1/acquiring/cancel");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_never_marked_as_reads() {
        for e in [
            CARD_APPLY,
            CARD_BALANCE_MODIFY,
            REMITTANCE_ORDER_SUBMIT,
            ACQ_PAY_SESSION,
            CARD_CANCEL,
        ] {
            assert_eq!(e.idempotency, Idempotency::Unsafe, "{}", e.operation);
        }
        let (secure, cancel) = (CARD_SECURE_INFO, ACQ_CANCEL);
        assert!(secure.sensitive);
        let refresh = ACQ_AUTH_REFRESH_TOKEN;
        assert!(refresh.sensitive);
        for e in [
            CARD_APPLY,
            CARD_BALANCE_MODIFY,
            REMITTANCE_ORDER_SUBMIT,
            EXCHANGE_SUBMIT,
            ACQ_EASY_SAFE_PAY,
            ACQ_CARD_AUTO_DEBIT_PAY,
        ] {
            assert!(e.moves_money, "{}", e.operation);
        }
        assert_eq!(cancel.base, Base::Gateway);
    }
}
