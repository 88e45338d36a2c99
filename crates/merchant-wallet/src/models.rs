//! Types shared between API areas: the recharge order status, the user type
//! (integer codes that keep unknown values, the core's `open_int_enum!`) and
//! the recharge type, and the wire helpers for the platform's integers,
//! seconds and times.

walletbridge_core::open_int_enum! {
    /// A recharge order's status (状态): 0 unpaid, 1 paid, 2 closed, 3 refunded.
    pub enum RechargeStatus {
        /// 待支付: waiting for payment.
        Unpaid = 0,
        /// 已支付: paid.
        Paid = 1,
        /// 已关闭: closed (timed out or cancelled) without payment.
        Closed = 2,
        /// 已退款: refunded.
        Refunded = 3,
    }
}

impl RechargeStatus {
    /// Whether the order will not change any more by itself (paid, closed,
    /// refunded). A paid order may still be refunded later.
    pub fn is_settled(&self) -> bool {
        matches!(self, Self::Paid | Self::Closed | Self::Refunded)
    }
}

walletbridge_core::open_int_enum! {
    /// Who a recharge order belongs to (用户类型).
    pub enum UserType {
        /// 商户: a merchant.
        Merchant = 1,
    }
}

walletbridge_core::open_enum! {
    /// What a recharge tops up (充值类型).
    pub enum RechargeType {
        /// 运营钱包: the operational wallet.
        DepositMoney = "deposit_money",
    }
}

/// Wire helpers for the platform's integers, seconds and times.
pub(crate) mod wire {
    use std::time::Duration;

    use serde::de::{self, Deserializer, Visitor};
    use walletbridge_core::date::{self, DateTime};

    struct IntVisitor;

    impl Visitor<'_> for IntVisitor {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer or a string of digits")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom("integer out of range"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            v.trim()
                .parse()
                .map_err(|_| E::custom("expected an integer or a string of digits"))
        }
    }

    /// An integer from a number or a string of digits.
    pub(crate) fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(IntVisitor)
    }

    /// A count (`total`) from a number or a string of digits.
    pub(crate) fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let n = integer(d)?;
        u64::try_from(n).map_err(|_| de::Error::custom("a count cannot be negative"))
    }

    /// Seconds (`order_auto_close_time`) as a [`Duration`].
    pub(crate) fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let n = integer(d)?;
        u64::try_from(n)
            .map(Duration::from_secs)
            .map_err(|_| de::Error::custom("a duration cannot be negative"))
    }

    /// `pay_at`: unix seconds; `null`, `0` and `""` (an order never paid) are `None`.
    pub(crate) fn paid_at<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<DateTime>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("unix seconds or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                if v == 0 {
                    return Ok(None);
                }
                date::from_unix_seconds(v).map(Some).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                let v = i64::try_from(v).map_err(|_| E::custom("unix seconds out of range"))?;
                self.visit_i64(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.trim().is_empty() {
                    return Ok(None);
                }
                let secs = v
                    .trim()
                    .parse()
                    .map_err(|_| E::custom("expected unix seconds"))?;
                self.visit_i64(secs)
            }
        }
        d.deserialize_option(V)
    }

    /// A page number or a page size (`page`, `limit`) from a number or a
    /// string of digits.
    #[cfg(feature = "server")]
    pub(crate) fn page_number<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        let n = integer(d)?;
        u32::try_from(n).map_err(|_| de::Error::custom("expected a page number from 0"))
    }

    /// An amount the page writes as a JSON number (`fee_rate`: `0.05`),
    /// written exactly (the decimal's own digits, through the core's number
    /// writer), without trailing zeros.
    #[cfg(feature = "server")]
    pub(crate) fn exact_number<S: serde::Serializer>(
        v: &rust_decimal::Decimal,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        walletbridge_core::money::number::serialize(&v.normalize(), s)
    }

    /// A duration as whole seconds (`order_auto_close_time`).
    #[cfg(feature = "server")]
    pub(crate) fn write_seconds<S: serde::Serializer>(
        v: &Duration,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_u64(v.as_secs())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn integer_enums_keep_unknown_values() {
        let v: Vec<RechargeStatus> = serde_json::from_str(r#"[0, 1, "2", 3, 9]"#).unwrap();
        assert_eq!(
            v,
            [
                RechargeStatus::Unpaid,
                RechargeStatus::Paid,
                RechargeStatus::Closed,
                RechargeStatus::Refunded,
                RechargeStatus::Other(9)
            ]
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), "[0,1,2,3,9]");
        assert_eq!(UserType::from(1), UserType::Merchant);
        assert_eq!(UserType::from(2), UserType::Other(2));
        assert_eq!(UserType::Other(2).to_string(), "2");
        assert!(serde_json::from_str::<UserType>("\"x\"").is_err());
        assert!(serde_json::from_str::<UserType>("1.5").is_err());
        assert!(RechargeStatus::Closed.is_settled() && !RechargeStatus::Unpaid.is_settled());
    }

    #[test]
    fn recharge_type_keeps_unknown_values() {
        let t: RechargeType = serde_json::from_str("\"deposit_money\"").unwrap();
        assert_eq!(t, RechargeType::DepositMoney);
        let t: RechargeType = serde_json::from_str("\"promote\"").unwrap();
        assert_eq!(t, RechargeType::Other("promote".into()));
    }
}
