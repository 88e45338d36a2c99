//! 支付 (`/home/pay/*`): the public order status, which needs no login.

use serde::Serialize;
use serde_json::Value;
use walletbridge_core::{Error, HttpResponse, Result};

use crate::client::{Client, check};
use crate::endpoints::ORDER_STATUS;
use crate::envelope;
use crate::models::RechargeStatus;

/// Where a recharge order stands, as the public order status answers.
///
/// Every documented answer is a value here, not an error: the platform says
/// "closed", "refunded" and "does not exist" with `code` 0, and this type
/// reads them as the answers they are.
///
/// | answer | value |
/// |---|---|
/// | `code` 1, `data.status` 1 (`订单已支付`) | [`Paid`](Self::Paid) |
/// | `code` 0, `data.status` 2 (`订单超时已关闭`) | [`Closed`](Self::Closed) |
/// | `code` 0, `data.status` 3 (`订单已退款`) | [`Refunded`](Self::Refunded) |
/// | `code` 0, `msg` `订单不存在`, `data` `"error"` | [`NotFound`](Self::NotFound) |
/// | `data.status` 0 (not shown on the page) | [`Unpaid`](Self::Unpaid) |
/// | another `data.status` | [`Other`](Self::Other) |
///
/// The `data.status` decides whatever the `code`; a `code` 0 without a
/// status that does not say the order is missing is an API error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderStatus {
    /// 待支付: open, waiting for payment.
    Unpaid,
    /// 已支付: paid.
    Paid,
    /// 已关闭: closed unpaid (timed out); recharge again with a new order.
    Closed,
    /// 已退款: refunded.
    Refunded,
    /// 订单不存在: no order has this number.
    NotFound,
    /// A status this version of the SDK does not know.
    Other {
        /// `data.status` as sent.
        status: i64,
        /// The platform's `msg`.
        message: String,
    },
}

impl OrderStatus {
    /// The recharge order status this answer names, when it names one.
    pub fn recharge_status(&self) -> Option<RechargeStatus> {
        match self {
            Self::Unpaid => Some(RechargeStatus::Unpaid),
            Self::Paid => Some(RechargeStatus::Paid),
            Self::Closed => Some(RechargeStatus::Closed),
            Self::Refunded => Some(RechargeStatus::Refunded),
            Self::Other { status, .. } => Some(RechargeStatus::Other(*status)),
            Self::NotFound => None,
        }
    }

    /// Whether polling can stop: paid, closed, refunded or not found.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Paid | Self::Closed | Self::Refunded | Self::NotFound
        )
    }
}

/// The body of the public order status, `{"trade_no": ...}`, as the client
/// sends it. With the `server` feature it also deserializes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct OrderStatusRequest {
    /// 充值订单号: the recharge order number.
    pub trade_no: String,
}

impl OrderStatusRequest {
    /// The request for order `trade_no`.
    pub fn new(trade_no: impl Into<String>) -> Self {
        Self {
            trade_no: trade_no.into(),
        }
    }
}

/// The public payment API: `client.pay()`.
#[derive(Debug, Clone, Copy)]
pub struct Pay<'a> {
    client: &'a Client,
}

impl Client {
    /// The public payment API (`/home/pay/*`), which needs no login.
    pub fn pay(&self) -> Pay<'_> {
        Pay { client: self }
    }
}

impl Pay<'_> {
    /// `POST /home/pay/orderStatus`: where the recharge order `trade_no` stands.
    /// Sent without a token: a client built with credentials does not log in
    /// for it.
    ///
    /// ```no_run
    /// # async fn run(client: walletbridge_merchant_wallet::Client) -> walletbridge_core::Result<()> {
    /// use walletbridge_merchant_wallet::pay::OrderStatus;
    /// match client.pay().order_status("M251119900059").await? {
    ///     OrderStatus::Paid => println!("paid"),
    ///     OrderStatus::Closed => println!("closed unpaid: recharge again"),
    ///     OrderStatus::NotFound => println!("no such order"),
    ///     other => println!("{other:?}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn order_status(&self, trade_no: &str) -> Result<OrderStatus> {
        check(ORDER_STATUS, check_trade_no(trade_no))?;
        let call = self
            .client
            .call(ORDER_STATUS)
            .json(&OrderStatusRequest::new(trade_no))?;
        self.client.send_with(call, decode_order_status).await
    }
}

fn check_trade_no(trade_no: &str) -> Result<()> {
    if trade_no.trim().is_empty() {
        return Err(Error::validation("trade_no", "must not be empty"));
    }
    if trade_no.chars().any(char::is_control) {
        return Err(Error::validation(
            "trade_no",
            "must not hold control characters",
        ));
    }
    Ok(())
}

/// Reads one of the page's code/msg/data combinations.
pub(crate) fn decode_order_status(resp: &HttpResponse) -> Result<OrderStatus> {
    let head = envelope::read_head(resp, false)?;
    let data: Option<Value> = head
        .data
        .as_ref()
        .and_then(|d| serde_json::from_str(d.get()).ok());
    let status = match data.as_ref().and_then(|d| d.get("status")) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.as_i64().ok_or_else(|| bad_status(resp))?),
        Some(Value::String(s)) => Some(s.trim().parse().map_err(|_| bad_status(resp))?),
        Some(_) => return Err(bad_status(resp)),
    };
    match (head.code, status) {
        (_, Some(status)) => Ok(match RechargeStatus::from(status) {
            RechargeStatus::Unpaid => OrderStatus::Unpaid,
            RechargeStatus::Paid => OrderStatus::Paid,
            RechargeStatus::Closed => OrderStatus::Closed,
            RechargeStatus::Refunded => OrderStatus::Refunded,
            RechargeStatus::Other(status) => OrderStatus::Other {
                status,
                message: head.msg,
            },
        }),
        (0, None) if says_not_found(&head.msg) => Ok(OrderStatus::NotFound),
        (1, None) => Err(Error::decode(
            "data.status",
            "a successful order status answer carries no status",
            &resp.body,
        )),
        (code, None) => Err(envelope::api_error(&head, resp.status).into_error(code != 0)),
    }
}

fn bad_status(resp: &HttpResponse) -> Error {
    Error::decode("data.status", "expected an integer status", &resp.body)
}

/// Whether `msg` says the order does not exist (`订单不存在`). *Inferred*:
/// the page shows only the Chinese message; the English forms cover a
/// translated deployment.
fn says_not_found(msg: &str) -> bool {
    let lower = msg.to_lowercase();
    msg.contains("不存在")
        || lower.contains("not exist")
        || lower.contains("not found")
        || lower.contains("no such order")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn status(body: &str) -> Result<OrderStatus> {
        decode_order_status(&HttpResponse::new(200, body.as_bytes().to_vec()))
    }

    #[test]
    fn every_answer_of_the_page_is_a_value() {
        let cases = [
            (
                r#"{"code":1,"msg":"订单已支付","data":{"status":1}}"#,
                OrderStatus::Paid,
            ),
            (
                r#"{"code":0,"msg":"订单不存在","data":"error"}"#,
                OrderStatus::NotFound,
            ),
            (
                r#"{"code":0,"msg":"订单超时已关闭","data":{"status":2}}"#,
                OrderStatus::Closed,
            ),
            (
                r#"{"code":0,"msg":"订单已退款","data":{"status":3}}"#,
                OrderStatus::Refunded,
            ),
            (
                r#"{"code":0,"msg":"待支付","data":{"status":"0"}}"#,
                OrderStatus::Unpaid,
            ),
            (
                r#"{"code":0,"msg":"?","data":{"status":9}}"#,
                OrderStatus::Other {
                    status: 9,
                    message: "?".into(),
                },
            ),
        ];
        for (body, want) in cases {
            assert_eq!(status(body).unwrap(), want, "{body}");
        }
    }

    #[test]
    fn other_refusals_are_errors() {
        let e = status(r#"{"code":0,"msg":"请求过于频繁","data":"error"}"#).unwrap_err();
        assert_eq!(e.message(), Some("请求过于频繁"));
        assert!(status(r#"{"code":1,"msg":"ok"}"#).is_err());
        assert!(status(r#"{"code":1,"data":{"status":[1]}}"#).is_err());
        assert!(status(r#"{"code":1,"data":{"status":1.5}}"#).is_err());
        assert!(check_trade_no(" ").is_err());
        assert!(check_trade_no("a\nb").is_err());
        assert!(OrderStatus::Closed.is_final() && !OrderStatus::Unpaid.is_final());
        assert_eq!(OrderStatus::NotFound.recharge_status(), None);
    }
}
