//! Types shared by several API areas: object states, the cash (取现) object
//! that both the wallet calls and the notifications carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

walletbridge_core::open_enum! {
    /// The state of an Adapay object (`status`). `failed` answers to a call
    /// come back as an [`ErrorKind::Api`](walletbridge_core::ErrorKind::Api)
    /// error; in notifications (`cash.failed`) the object keeps it.
    pub enum Status {
        /// Done.
        Succeeded = "succeeded",
        /// Accepted, not final yet: wait for the notification or query again.
        Pending = "pending",
        /// Final failure (`error_code` says why).
        Failed = "failed",
    }
}

walletbridge_core::open_enum! {
    /// The draw-cash type (`cash_type`). The page says only T1 is offered today.
    pub enum CashType {
        /// T+1: paid out the next working day.
        T1 = "T1",
        /// D+1: paid out the next calendar day.
        D1 = "D1",
        /// D+0: paid out the same day.
        D0 = "D0",
    }
}

/// The cash (取现) object: the answer to draw cash and draw-cash status, and
/// the object of `cash.succeeded` / `cash.failed` notifications.
///
/// Only `status` is required: the page does not show the draw-cash status
/// answer, so every other field is optional and fields this SDK does not
/// know are kept in [`Cash::extra`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cash {
    /// The cash object id Adapay generated.
    #[serde(default)]
    pub id: Option<String>,
    /// The application's app_id.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The object type, `cash`.
    #[serde(default)]
    pub object: Option<String>,
    /// Creation time: a 10-digit Unix timestamp in seconds, as sent.
    #[serde(default)]
    pub created_time: Option<String>,
    /// `"true"` in prod mode, `"false"` in mock mode.
    #[serde(default)]
    pub prod_mode: Option<String>,
    /// The request order number.
    #[serde(default)]
    pub order_no: Option<String>,
    /// The draw-cash type.
    #[serde(default)]
    pub cash_type: Option<CashType>,
    /// The amount drawn, yuan.
    #[serde(default, with = "walletbridge_core::money::string2::option")]
    pub cash_amt: Option<Decimal>,
    /// The amount credited: `cash_amt` minus `fee_amt`, once paid out.
    #[serde(default, with = "walletbridge_core::money::string2::option")]
    pub real_amt: Option<Decimal>,
    /// The fee, yuan.
    #[serde(default, with = "walletbridge_core::money::string2::option")]
    pub fee_amt: Option<Decimal>,
    /// The member the cash was drawn for (`0` for the merchant itself).
    #[serde(default)]
    pub member_id: Option<String>,
    /// The state.
    pub status: Status,
    /// Error code, when it failed.
    #[serde(default)]
    pub error_code: Option<String>,
    /// Error message, when it failed.
    #[serde(default)]
    pub error_msg: Option<String>,
    /// Error type (`invalid_request_error`, `api_error`, `channel_error`...).
    #[serde(default)]
    pub error_type: Option<String>,
    /// The parameter at fault, for parameter errors.
    #[serde(default)]
    pub invalid_param: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Cash {
    /// Whether the object was made in prod mode (`prod_mode` is `"true"`).
    pub fn is_prod_mode(&self) -> bool {
        self.prod_mode.as_deref() == Some("true")
    }
}
