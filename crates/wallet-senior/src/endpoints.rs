//! Every endpoint in one table: operation, path, and whether it may be
//! repeated. Changing an idempotency decision happens here and nowhere else.
//!
//! Every endpoint is a form-encoded `POST`. The order query is a read; every
//! call that moves money or confirms a payment (collect, agent pay, refund,
//! recharge, withdraw, SMS confirm) is never repeated once it may have been
//! sent. Resending the SMS code moves no money but sends the payer another
//! message: it is not repeated either.

use walletbridge_core::{CallSpec, Idempotency};

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoint {
    /// The operation, for errors and traces.
    pub operation: &'static str,
    /// The path under the base URL.
    pub path: &'static str,
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
        path,
        idempotency: Idempotency::Unsafe,
    }
}

/// 高级钱包-代付.
pub(crate) const AGENT_PAY: Endpoint =
    unsafe_write("agent pay", "/wallet_server/v1/m/senior/agent_pay");
/// 高级钱包-即刻代收.
pub(crate) const COLLECT_SYNC: Endpoint =
    unsafe_write("collect", "/wallet_server/v1/m/senior/collect_sync");
/// 高级钱包-订单结果查询: a read, retried by the policy.
pub(crate) const ORDER_QUERY: Endpoint = Endpoint {
    operation: "order query",
    path: "/wallet_server/v1/m/senior/order_query",
    idempotency: Idempotency::Read,
};
/// 高级钱包-充值.
pub(crate) const RECHARGE: Endpoint =
    unsafe_write("recharge", "/wallet_server/v1/m/senior/recharge");
/// 高级钱包-退款.
pub(crate) const REFUND: Endpoint = unsafe_write("refund", "/wallet_server/v1/m/senior/refund");
/// 高级钱包-短信确认.
pub(crate) const SMS_CONFIRM: Endpoint =
    unsafe_write("SMS confirm", "/wallet_server/v1/m/senior/sms_confirm");
/// 高级钱包-重发短信.
pub(crate) const SMS_RETRY: Endpoint =
    unsafe_write("SMS resend", "/wallet_server/v1/m/senior/sms_retry");
/// 高级钱包-提现.
pub(crate) const WITHDRAW: Endpoint =
    unsafe_write("withdraw", "/wallet_server/v1/m/senior/withdraw");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_order_query_is_repeated() {
        let all = [
            AGENT_PAY,
            COLLECT_SYNC,
            ORDER_QUERY,
            RECHARGE,
            REFUND,
            SMS_CONFIRM,
            SMS_RETRY,
            WITHDRAW,
        ];
        let reads: Vec<_> = all
            .iter()
            .filter(|e| e.idempotency != Idempotency::Unsafe)
            .map(|e| e.operation)
            .collect();
        assert_eq!(reads, ["order query"]);
        assert!(
            all.iter()
                .all(|e| e.path.starts_with("/wallet_server/v1/m/senior/"))
        );
    }
}
