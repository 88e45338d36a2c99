//! Every endpoint in one table: method, host, path and whether it may be
//! repeated. Changing an idempotency decision happens here and nowhere else.

use walletbridge_core::{CallSpec, Idempotency, Method};

/// Which host an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// `https://api.adapay.tech`
    Api,
    /// `https://page.adapay.tech`
    Page,
}

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoint {
    pub operation: &'static str,
    pub method: Method,
    pub host: Host,
    pub path: &'static str,
    pub idempotency: Idempotency,
    /// The answer carries secrets (the wallet login token and sign).
    pub sensitive: bool,
    /// The `object` a successful answer is (`cash`, `account_balance`, `login`).
    pub object: &'static str,
    /// Whether the page marks the answer's `object` required: a successful
    /// answer without one is then refused.
    pub object_required: bool,
}

impl Endpoint {
    pub(crate) const fn spec(&self) -> CallSpec {
        CallSpec {
            provider: crate::PROVIDER,
            operation: self.operation,
            idempotency: self.idempotency,
            sensitive: self.sensitive,
        }
    }
}

/// `POST /v1/cashs`: a payout. Never repeated by the SDK: a timeout or a 5xx
/// leaves the outcome unknown, and the caller queries `/v1/cashs/stat` first.
pub(crate) const DRAW_CASH: Endpoint = Endpoint {
    operation: "create draw cash",
    method: Method::Post,
    host: Host::Api,
    path: "/v1/cashs",
    idempotency: Idempotency::Unsafe,
    sensitive: false,
    object: "cash",
    object_required: true,
};

/// `GET /v1/cashs/stat`: a read.
pub(crate) const CASH_STATUS: Endpoint = Endpoint {
    operation: "draw cash status",
    method: Method::Get,
    host: Host::Api,
    path: "/v1/cashs/stat",
    idempotency: Idempotency::Read,
    sensitive: false,
    object: "cash",
    object_required: false,
};

/// `GET /v1/settle_accounts/balance`: a read.
pub(crate) const BALANCE: Endpoint = Endpoint {
    operation: "account balance",
    method: Method::Get,
    host: Host::Api,
    path: "/v1/settle_accounts/balance",
    idempotency: Idempotency::Read,
    sensitive: false,
    object: "account_balance",
    object_required: true,
};

/// `POST /v1/walletLogin` on the page host. It moves no money and changes no
/// account: a repeat only issues another short-lived token, and a token that
/// is never used expires. It is therefore retried like a read (see
/// docs/adapay.md). The answer carries the token and sign: error reports
/// withhold the body.
pub(crate) const WALLET_LOGIN: Endpoint = Endpoint {
    operation: "wallet login",
    method: Method::Post,
    host: Host::Page,
    path: "/v1/walletLogin",
    idempotency: Idempotency::Read,
    sensitive: true,
    object: "login",
    object_required: true,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payout_is_never_repeated() {
        assert_eq!(DRAW_CASH.idempotency, Idempotency::Unsafe);
        assert_eq!(CASH_STATUS.idempotency, Idempotency::Read);
        assert_eq!(BALANCE.idempotency, Idempotency::Read);
        assert_eq!(WALLET_LOGIN.host, Host::Page);
        let sensitive: Vec<_> = [DRAW_CASH, CASH_STATUS, BALANCE, WALLET_LOGIN]
            .iter()
            .filter(|e| e.spec().sensitive)
            .map(|e| e.operation)
            .collect();
        assert_eq!(sensitive, ["wallet login"]);
    }
}
