//! Every endpoint in one table: operation, method, path, and whether it may
//! be repeated. Changing an idempotency decision happens here and nowhere
//! else; [`ALL`] lists the eight endpoints of the page, which is what a
//! simulator or test server routes by (see [`route`]).
//!
//! Every endpoint is a form-encoded `POST`. The order query is a read; every
//! call that moves money or confirms a payment (collect, agent pay, refund,
//! recharge, withdraw, SMS confirm) is never repeated once it may have been
//! sent. Resending the SMS code moves no money but sends the payer another
//! message: it is not repeated either.
//!
//! ```
//! use walletbridge_wallet_senior::endpoints::{self, ALL};
//! assert_eq!(ALL.len(), 8);
//! let ep = endpoints::route("POST", "/wallet_server/v1/m/senior/recharge").unwrap();
//! assert_eq!(*ep, endpoints::RECHARGE);
//! assert!(endpoints::route("GET", "/wallet_server/v1/m/senior/recharge").is_none());
//! ```

use walletbridge_core::{CallSpec, Idempotency, Method};

/// One endpoint of the senior wallet server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation, for errors and traces (`"recharge"`, `"SMS confirm"`).
    pub operation: &'static str,
    /// The HTTP method: `POST` for every endpoint of this provider.
    pub method: Method,
    /// The path under the base URL (`/wallet_server/v1/m/senior/recharge`).
    pub path: &'static str,
    /// Whether the client may repeat the call after a transient failure.
    pub idempotency: Idempotency,
}

impl Endpoint {
    pub(crate) const fn spec(&self) -> CallSpec {
        CallSpec {
            provider: crate::PROVIDER,
            operation: self.operation,
            idempotency: self.idempotency,
            sensitive: false,
        }
    }
}

const fn unsafe_write(operation: &'static str, path: &'static str) -> Endpoint {
    Endpoint {
        operation,
        method: Method::Post,
        path,
        idempotency: Idempotency::Unsafe,
    }
}

/// 高级钱包-代付 (agent pay): `POST /wallet_server/v1/m/senior/agent_pay`.
pub const AGENT_PAY: Endpoint = unsafe_write("agent pay", "/wallet_server/v1/m/senior/agent_pay");
/// 高级钱包-即刻代收 (collect now): `POST /wallet_server/v1/m/senior/collect_sync`.
pub const COLLECT_SYNC: Endpoint =
    unsafe_write("collect", "/wallet_server/v1/m/senior/collect_sync");
/// 高级钱包-订单结果查询 (order query): `POST /wallet_server/v1/m/senior/order_query`;
/// a read, retried by the policy.
pub const ORDER_QUERY: Endpoint = Endpoint {
    operation: "order query",
    method: Method::Post,
    path: "/wallet_server/v1/m/senior/order_query",
    idempotency: Idempotency::Read,
};
/// 高级钱包-充值 (recharge): `POST /wallet_server/v1/m/senior/recharge`.
pub const RECHARGE: Endpoint = unsafe_write("recharge", "/wallet_server/v1/m/senior/recharge");
/// 高级钱包-退款 (refund): `POST /wallet_server/v1/m/senior/refund`.
pub const REFUND: Endpoint = unsafe_write("refund", "/wallet_server/v1/m/senior/refund");
/// 高级钱包-短信确认 (SMS confirm): `POST /wallet_server/v1/m/senior/sms_confirm`.
pub const SMS_CONFIRM: Endpoint =
    unsafe_write("SMS confirm", "/wallet_server/v1/m/senior/sms_confirm");
/// 高级钱包-重发短信 (SMS resend): `POST /wallet_server/v1/m/senior/sms_retry`.
pub const SMS_RETRY: Endpoint = unsafe_write("SMS resend", "/wallet_server/v1/m/senior/sms_retry");
/// 高级钱包-提现 (withdraw): `POST /wallet_server/v1/m/senior/withdraw`.
pub const WITHDRAW: Endpoint = unsafe_write("withdraw", "/wallet_server/v1/m/senior/withdraw");

/// Every endpoint of the senior wallet, in the order of `endpoints.tsv`.
pub const ALL: &[Endpoint] = &[
    AGENT_PAY,
    COLLECT_SYNC,
    ORDER_QUERY,
    RECHARGE,
    REFUND,
    SMS_CONFIRM,
    SMS_RETRY,
    WITHDRAW,
];

/// The endpoint served at `method` (`"POST"`, compared without regard to
/// case) and `path` (exactly, no query), if there is one.
pub fn route(method: &str, path: &str) -> Option<&'static Endpoint> {
    ALL.iter()
        .find(|e| e.path == path && e.method.as_str().eq_ignore_ascii_case(method))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_order_query_is_repeated() {
        let reads: Vec<_> = ALL
            .iter()
            .filter(|e| e.idempotency != Idempotency::Unsafe)
            .map(|e| e.operation)
            .collect();
        assert_eq!(reads, ["order query"]);
        assert!(
            ALL.iter()
                .all(|e| e.path.starts_with("/wallet_server/v1/m/senior/")
                    && e.method == Method::Post)
        );
    }

    /// The table is `endpoints.tsv`'s senior wallet rows, each once.
    #[test]
    fn all_is_the_eight_endpoints_of_the_page() {
        let ops = [
            "agent_pay",
            "collect_sync",
            "order_query",
            "recharge",
            "refund",
            "sms_confirm",
            "sms_retry",
            "withdraw",
        ];
        let paths: Vec<String> = ALL.iter().map(|e| e.path.to_owned()).collect();
        let want: Vec<String> = ops
            .iter()
            .map(|op| format!("/wallet_server/v1/m/senior/{op}"))
            .collect();
        assert_eq!(paths, want);
        for e in ALL {
            assert_eq!(route("post", e.path), Some(e));
            assert_eq!(route("GET", e.path), None);
        }
        assert_eq!(route("POST", "/wallet_server/v1/m/senior/nope"), None);
        assert_eq!(route("POST", "/wallet_server/v1/m/senior/recharge/"), None);
    }
}
