//! Every Adapay endpoint in one table: method, host, path, whether it may be
//! repeated, and the object a successful answer is. Changing an idempotency
//! decision happens here and nowhere else.
//!
//! The client sends every call through these constants; [`ALL`] lists them
//! all (the four operations of the wallet page), so that a simulator or a test
//! server routes by the same table the client calls by.

use walletbridge_core::{CallSpec, Idempotency, Method};

/// Which host an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// The API host, `https://api.adapay.tech` (the builder's `base_url`).
    Api,
    /// The page host, `https://page.adapay.tech` (the builder's `page_url`).
    Page,
}

/// One endpoint: what the client calls and what a successful answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation, as the page names it (`"create draw cash"`); it names
    /// the call in errors and traces.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The host the path is on.
    pub host: Host,
    /// The path (`/v1/cashs`), without a query.
    pub path: &'static str,
    /// Whether the client may repeat the call.
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

/// Every endpoint of the crate, in the order of the page (and of
/// `endpoints.tsv`): draw cash, draw cash status, balance, wallet login.
pub const ALL: &[Endpoint] = &[DRAW_CASH, CASH_STATUS, BALANCE, WALLET_LOGIN];

/// The endpoint on `host` with this method (`"GET"`, `"POST"`, any case) and
/// path (exact, no query), if [`ALL`] has one: how a server routes a request.
#[cfg(feature = "server")]
pub fn route(host: Host, method: &str, path: &str) -> Option<&'static Endpoint> {
    ALL.iter().find(|e| {
        e.host == host && e.path == path && e.method.as_str().eq_ignore_ascii_case(method)
    })
}

/// `POST /v1/cashs`: a payout. Never repeated by the SDK: a timeout or a 5xx
/// leaves the outcome unknown, and the caller queries `/v1/cashs/stat` first.
pub const DRAW_CASH: Endpoint = Endpoint {
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
pub const CASH_STATUS: Endpoint = Endpoint {
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
pub const BALANCE: Endpoint = Endpoint {
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
pub const WALLET_LOGIN: Endpoint = Endpoint {
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

    /// Adapay's rows of the project's endpoint table (`endpoints.tsv`):
    /// method, path, operation.
    const TABLE: &[(&str, &str, &str)] = &[
        ("POST", "/v1/cashs", "create draw cash"),
        ("GET", "/v1/cashs/stat", "draw cash status"),
        ("GET", "/v1/settle_accounts/balance", "account balance"),
        ("POST", "/v1/walletLogin", "wallet login (page host)"),
    ];

    #[test]
    fn all_is_the_endpoint_table() {
        let ours: Vec<_> = ALL.iter().map(|e| (e.method.as_str(), e.path)).collect();
        let table: Vec<_> = TABLE.iter().map(|(m, p, _)| (*m, *p)).collect();
        assert_eq!(ours, table);
        for (e, (_, _, operation)) in ALL.iter().zip(TABLE) {
            assert!(operation.starts_with(e.operation), "{}", e.operation);
            assert_eq!(
                e.host == Host::Page,
                operation.contains("page host"),
                "{}",
                e.operation
            );
        }
        // The table itself, when the specs sit next to the checkout.
        let tsv = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/specs/endpoints.tsv"
        );
        if let Ok(text) = std::fs::read_to_string(tsv) {
            let rows: Vec<(&str, &str, &str)> = text
                .lines()
                .filter_map(|l| {
                    let mut f = l.split('\t');
                    match (f.next(), f.next(), f.next(), f.next()) {
                        (Some("adapay"), Some(m), Some(p), Some(o)) => Some((m, p, o)),
                        _ => None,
                    }
                })
                .collect();
            assert_eq!(rows, TABLE);
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn route_finds_by_host_method_and_path() {
        assert_eq!(route(Host::Api, "POST", "/v1/cashs"), Some(&DRAW_CASH));
        assert_eq!(
            route(Host::Api, "get", "/v1/cashs/stat"),
            Some(&CASH_STATUS)
        );
        assert_eq!(
            route(Host::Page, "POST", "/v1/walletLogin"),
            Some(&WALLET_LOGIN)
        );
        assert_eq!(route(Host::Api, "POST", "/v1/walletLogin"), None);
        assert_eq!(route(Host::Api, "GET", "/v1/cashs"), None);
        assert_eq!(route(Host::Api, "GET", "/v1/cashs/stat/"), None);
    }
}
