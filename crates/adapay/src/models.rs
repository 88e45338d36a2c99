//! Types shared by several API areas: object states, the cash (取现) object
//! that both the wallet calls and the notifications carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::date::{self, WireTime};

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
    /// The draw-cash type (`cash_type`). The page offers only T1 ("目前只支持
    /// T1 取现"); a type Adapay adds later goes through `CashType::Other`.
    pub enum CashType {
        /// T+1: paid out the next working day.
        T1 = "T1",
    }
}

/// The cash (取现) object: the answer to draw cash and draw-cash status, and
/// the object of `cash.succeeded` / `cash.failed` notifications.
///
/// Only `status` is required: the page does not show the draw-cash status
/// answer, so every other field is optional and fields this SDK does not
/// know are kept in [`Cash::extra`].
///
/// Serialized, it writes the wire form the client reads: absent fields are
/// left out, amounts are strings written exactly as held (keep the scale
/// Adapay uses, `Decimal` `10.00` is `"10.00"`), `created_time` is its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cash {
    /// The cash object id Adapay generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The application's app_id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The object type, `cash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Creation time as received, with the time it means: the page gives a
    /// 10-digit Unix timestamp in seconds; Adapay's notification examples
    /// also show `yyyyMMddHHmmss` (read at +08:00). Text in another form is
    /// kept with no time.
    #[serde(default, with = "adapay_time", skip_serializing_if = "Option::is_none")]
    pub created_time: Option<WireTime>,
    /// `"true"` in prod mode, `"false"` in mock mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prod_mode: Option<String>,
    /// The request order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_no: Option<String>,
    /// The draw-cash type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cash_type: Option<CashType>,
    /// The amount drawn, yuan, exactly as sent (more than two decimals are kept).
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub cash_amt: Option<Decimal>,
    /// The amount credited: `cash_amt` minus `fee_amt`, once paid out.
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub real_amt: Option<Decimal>,
    /// The fee, yuan.
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub fee_amt: Option<Decimal>,
    /// The member the cash was drawn for (`0` for the merchant itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    /// The state. A state this SDK does not know is `Status::Other`, never
    /// `Succeeded`.
    pub status: Status,
    /// Error code, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Error message, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
    /// Error type (`invalid_request_error`, `api_error`, `channel_error`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The parameter at fault, for parameter errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_param: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Cash {
    /// A cash object in `status` with every other field absent, to fill in
    /// (the provider's side: simulators and test servers).
    #[cfg(feature = "server")]
    pub fn new(status: Status) -> Self {
        Self {
            id: None,
            app_id: None,
            object: None,
            created_time: None,
            prod_mode: None,
            order_no: None,
            cash_type: None,
            cash_amt: None,
            real_amt: None,
            fee_amt: None,
            member_id: None,
            status,
            error_code: None,
            error_msg: None,
            error_type: None,
            invalid_param: None,
            extra: serde_json::Map::new(),
        }
    }

    /// Whether the object was made in prod mode (`prod_mode` is `"true"`).
    pub fn is_prod_mode(&self) -> bool {
        self.prod_mode.as_deref() == Some("true")
    }
}

/// A time field (`created_time`) as the client reads `text`: the text, and
/// the time it means when it is 10-digit Unix seconds or `yyyyMMddHHmmss`
/// (+08:00). For filling in answer models on the provider's side.
#[cfg(feature = "server")]
pub fn wire_time(text: &str) -> WireTime {
    parse_time(text)
}

/// Adapay's time fields: 10-digit Unix seconds (the page) or `yyyyMMddHHmmss`
/// at +08:00 (the notification examples); anything else is kept as text.
pub(crate) fn parse_time(text: &str) -> WireTime {
    let t = text.trim();
    let digits = t.bytes().all(|b| b.is_ascii_digit());
    let at = match t.len() {
        10 if digits => t
            .parse::<i64>()
            .ok()
            .and_then(|s| date::from_unix_seconds(s).ok()),
        14 if digits => {
            // Every byte is an ASCII digit, so these slices are on char boundaries.
            let local = format!(
                "{}-{}-{} {}:{}:{}",
                &t[0..4],
                &t[4..6],
                &t[6..8],
                &t[8..10],
                &t[10..12],
                &t[12..14]
            );
            date::parse_local(&local, date::CHINA).ok()
        }
        _ => None,
    };
    WireTime {
        text: text.to_owned(),
        at,
    }
}

mod adapay_time {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use walletbridge_core::date::WireTime;

    pub(crate) fn serialize<S: Serializer>(v: &Option<WireTime>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<WireTime>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Int(i64),
            Other(serde::de::IgnoredAny),
        }
        Ok(match Option::<Raw>::deserialize(d)? {
            Some(Raw::Text(t)) if t.trim().is_empty() => None,
            Some(Raw::Text(t)) => Some(super::parse_time(&t)),
            Some(Raw::Int(n)) => Some(super::parse_time(&n.to_string())),
            Some(Raw::Other(_)) | None => None,
        })
    }
}
