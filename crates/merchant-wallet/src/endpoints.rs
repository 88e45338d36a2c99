//! Every endpoint in one table: operation, method, path, whether it may be
//! repeated, and whether it needs the bearer token. Changing an idempotency
//! or login decision happens here and nowhere else.
//!
//! The table is public so that a server (the walletbridge sandbox, a test
//! server) routes by the same paths the client calls: [`ALL`] lists every
//! merchant wallet endpoint of the project's endpoint list, and [`route`]
//! finds the one a request names.
//!
//! ```
//! use walletbridge_merchant_wallet::endpoints::{self, Auth, DO_RECHARGE, TOTAL_MONEY};
//! assert_eq!(endpoints::route("POST", "/merchantapi/wallet/operational/doRecharge"), Some(&DO_RECHARGE));
//! // The page gives the three reads no method: the platform answers any.
//! assert_eq!(endpoints::route("GET", "/merchantapi/wallet/operational/getTotalMoney"), Some(&TOTAL_MONEY));
//! assert_eq!(endpoints::route("GET", "/merchantapi/wallet/operational/doRecharge"), None);
//! assert_eq!(TOTAL_MONEY.auth, Auth::Bearer);
//! ```

use walletbridge_core::{CallSpec, Idempotency, Method};

/// Whether a call carries `Authorization: Bearer {token}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth {
    /// Every `/merchantapi/*` call except login: the platform answers HTTP
    /// 401 without a live token.
    Bearer,
    /// Login itself and the public order status: no token.
    Public,
}

/// One endpoint of the merchant wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation's name, as `endpoints.tsv` and errors name it
    /// (`"recharge operational wallet"`).
    pub operation: &'static str,
    /// The HTTP method the client sends (always POST, as the protocol notes say).
    pub method: Method,
    /// Whether the platform answers the path whatever the method: the page
    /// gives the three reads no method (`*` in `endpoints.tsv`).
    pub any_method: bool,
    /// The path, from the base URL.
    pub path: &'static str,
    /// Whether the SDK may repeat the call.
    pub idempotency: Idempotency,
    /// Whether the call needs the bearer token.
    pub auth: Auth,
    /// The request or the answer carries secrets (the password, the token):
    /// errors then quote no value and no body.
    pub sensitive: bool,
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

    /// Whether a request with `method` (as on the request line, `"POST"`)
    /// and `path` (without the query; a trailing `/` is ignored) is a call
    /// of this endpoint.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or_default();
        let path = match path.trim_end_matches('/') {
            "" => "/",
            p => p,
        };
        path == self.path && (self.any_method || method == self.method.as_str())
    }
}

/// The endpoint of [`ALL`] that a request's method and path name; `None`
/// for anything else, which the platform answers with its unknown-endpoint
/// error (HTTP 404, `code` 0).
pub fn route(method: &str, path: &str) -> Option<&'static Endpoint> {
    ALL.iter().find(|e| e.matches(method, path))
}

/// A read behind the login. The page marks these paths with no method; the
/// protocol notes say every call is a POST with a JSON body.
const fn read(operation: &'static str, path: &'static str) -> Endpoint {
    Endpoint {
        operation,
        method: Method::Post,
        any_method: true,
        path,
        idempotency: Idempotency::Read,
        auth: Auth::Bearer,
        sensitive: false,
    }
}

/// `POST /merchantapi/user/account/login`. It changes no account and moves no
/// money: a repeat only issues another token, and the earlier one simply
/// expires. It is therefore retried like a read (see docs/merchant-wallet.md).
/// The request carries the password and the answer the token.
pub const LOGIN: Endpoint = Endpoint {
    operation: "merchant login",
    method: Method::Post,
    any_method: false,
    path: "/merchantapi/user/account/login",
    idempotency: Idempotency::Read,
    auth: Auth::Public,
    sensitive: true,
};

/// `/merchantapi/wallet/operational/getTotalMoney`: the funds account
/// balance and today's income.
pub const TOTAL_MONEY: Endpoint = read(
    "total money and today income",
    "/merchantapi/wallet/operational/getTotalMoney",
);

/// `/merchantapi/wallet/operational/getUserBalance`: withdrawable, frozen,
/// and the operational wallet.
pub const USER_BALANCE: Endpoint = read(
    "user balance",
    "/merchantapi/wallet/operational/getUserBalance",
);

/// `/merchantapi/wallet/operational/getRechargeChannel`: the recharge
/// channels and the fee rate.
pub const RECHARGE_CHANNELS: Endpoint = read(
    "recharge channels",
    "/merchantapi/wallet/operational/getRechargeChannel",
);

/// `POST .../doRecharge` creates a recharge order. It carries no caller key
/// the platform de-duplicates, so it is never repeated by the SDK: a timeout,
/// a reset or a 5xx leaves the outcome unknown, and the caller looks at the
/// recharge order list before recharging again.
pub const DO_RECHARGE: Endpoint = Endpoint {
    idempotency: Idempotency::Unsafe,
    any_method: false,
    ..read(
        "recharge operational wallet",
        "/merchantapi/wallet/operational/doRecharge",
    )
};

/// `POST /merchantapi/wallet/operational/rechargeOrder`: one page of
/// recharge orders.
pub const RECHARGE_ORDERS: Endpoint = Endpoint {
    any_method: false,
    ..read(
        "recharge order list",
        "/merchantapi/wallet/operational/rechargeOrder",
    )
};

/// `POST /home/pay/orderStatus`: the public order status, no login.
pub const ORDER_STATUS: Endpoint = Endpoint {
    auth: Auth::Public,
    any_method: false,
    ..read("public order status", "/home/pay/orderStatus")
};

/// Every merchant wallet endpoint, in the order of `endpoints.tsv`: what a
/// server routes by.
pub const ALL: &[Endpoint] = &[
    LOGIN,
    TOTAL_MONEY,
    USER_BALANCE,
    RECHARGE_CHANNELS,
    DO_RECHARGE,
    RECHARGE_ORDERS,
    ORDER_STATUS,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The merchant wallet rows of `../shared/specs/endpoints.tsv`:
    /// method, path, operation.
    const TSV: &str = "\
merchant-wallet	POST	/merchantapi/user/account/login	merchant login	
merchant-wallet	*	/merchantapi/wallet/operational/getTotalMoney	total money and today income	
merchant-wallet	*	/merchantapi/wallet/operational/getUserBalance	user balance	
merchant-wallet	*	/merchantapi/wallet/operational/getRechargeChannel	recharge channels	
merchant-wallet	POST	/merchantapi/wallet/operational/doRecharge	recharge operational wallet	
merchant-wallet	POST	/merchantapi/wallet/operational/rechargeOrder	recharge order list	
merchant-wallet	POST	/home/pay/orderStatus	public order status	
";

    #[test]
    fn the_table_is_the_endpoint_list() {
        let rows: Vec<Vec<&str>> = TSV.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), ALL.len());
        for (row, e) in rows.iter().zip(ALL) {
            let method = if e.any_method { "*" } else { e.method.as_str() };
            assert_eq!((row[1], row[2], row[3]), (method, e.path, e.operation));
            assert_eq!(route("POST", e.path), Some(e), "{}", e.operation);
            assert_eq!(route("POST", &format!("{}/", e.path)), Some(e));
            assert_eq!(route("GET", e.path).is_some(), e.any_method);
        }
        assert_eq!(route("POST", "/merchantapi/wallet/operational/nope"), None);
        assert_eq!(route("POST", "/"), None);
    }

    #[test]
    fn only_the_recharge_is_never_repeated() {
        let unsafe_ops: Vec<_> = ALL
            .iter()
            .filter(|e| e.idempotency != Idempotency::Read)
            .map(|e| (e.operation, e.idempotency))
            .collect();
        assert_eq!(
            unsafe_ops,
            [("recharge operational wallet", Idempotency::Unsafe)]
        );
    }

    #[test]
    fn login_and_order_status_are_public_and_the_rest_need_the_token() {
        for e in ALL {
            let public = e.path == LOGIN.path || e.path == ORDER_STATUS.path;
            assert_eq!(e.auth == Auth::Public, public, "{}", e.operation);
            assert_eq!(e.method, Method::Post, "{}", e.operation);
            assert_eq!(e.spec().sensitive, e.path == LOGIN.path, "{}", e.operation);
        }
    }
}
