//! 订单 (orders): the order query, `client.order()`, and what to do when a
//! call that moves money ends with an unknown outcome.
//!
//! | operation | call |
//! |---|---|
//! | 高级钱包-订单结果查询 | [`OrderHandler::query`] (`order_query`, retried as a read) |

use walletbridge_core::{Error, Result};

use crate::client::{Client, check};
use crate::endpoints::ORDER_QUERY;
use crate::models::WalletOrder;
use crate::validate;

/// Which order to look up (`order_no`, 统一订单号). Under the `server`
/// feature it also deserializes from the form the client sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct OrderQuery {
    /// The order number.
    pub order_no: String,
}

impl OrderQuery {
    /// The order `order_no`.
    pub fn new(order_no: impl Into<String>) -> Self {
        Self {
            order_no: order_no.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::required("order_no", &self.order_no)
    }
}

/// Orders: `client.order()`.
#[derive(Debug, Clone, Copy)]
pub struct OrderHandler<'a> {
    client: &'a Client,
}

impl Client {
    /// The order query (订单结果查询).
    pub fn order(&self) -> OrderHandler<'_> {
        OrderHandler { client: self }
    }
}

impl OrderHandler<'_> {
    /// `order_query` (订单结果查询): the order's current state. A read: the
    /// retry policy repeats it after transient failures (timeouts, 5xx).
    pub async fn query(&self, query: &OrderQuery) -> Result<WalletOrder> {
        check(ORDER_QUERY, query.validate())?;
        let call = self
            .client
            .call(ORDER_QUERY)
            .field("order_no", &query.order_no)
            .echo("order_no", &query.order_no);
        self.client.send(call).await
    }
}

/// What to do after `err`, when it is an unknown outcome of a senior wallet
/// call that moves money (collect, agent pay, refund, recharge, withdraw,
/// SMS confirm): `None` for any other error.
///
/// ```
/// use walletbridge_core::Error;
/// use walletbridge_wallet_senior::unknown_outcome_advice;
/// let err = Error::http(502, b"<html>")
///     .in_call("wallet-senior", "collect")
///     .with_outcome_unknown(true);
/// let advice = unknown_outcome_advice(&err).unwrap();
/// assert!(advice.contains("biz_no"));
/// assert!(unknown_outcome_advice(&Error::validation("biz_no", "must not be empty")).is_none());
/// ```
pub fn unknown_outcome_advice(err: &Error) -> Option<&'static str> {
    if !err.is_outcome_unknown() || err.provider() != Some(crate::PROVIDER) {
        return None;
    }
    Some(match err.operation() {
        Some("collect" | "agent pay" | "refund") => {
            "the senior wallet may have acted on this request: query the order by the biz_no you \
             sent (order_query with its order_no once you have it, or your deployment's \
             reconciliation) before sending anything again, and never resend under a new biz_no"
        }
        Some("SMS confirm") => {
            "the senior wallet may have confirmed this payment: query the order by the biz_no of \
             the payment (order_query with its order_no) before confirming again"
        }
        _ => {
            "the senior wallet may have acted on this request: query the order (order_query, or \
             by the biz_no your deployment records for it) before sending it again"
        }
    })
}
