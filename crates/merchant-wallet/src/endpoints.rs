//! Every endpoint in one table: operation, method, path, whether it may be
//! repeated, and whether it needs the bearer token. Changing an idempotency
//! or login decision happens here and nowhere else.

use walletbridge_core::{CallSpec, Idempotency, Method};

/// Whether a call carries `Authorization: Bearer {token}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// Every `/merchantapi/*` call except login.
    Bearer,
    /// Login itself and the public order status.
    Public,
}

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoint {
    pub operation: &'static str,
    pub method: Method,
    pub path: &'static str,
    pub idempotency: Idempotency,
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
}

/// A read behind the login. The page marks these paths with no method; the
/// protocol notes say every call is a POST with a JSON body.
const fn read(operation: &'static str, path: &'static str) -> Endpoint {
    Endpoint {
        operation,
        method: Method::Post,
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
pub(crate) const LOGIN: Endpoint = Endpoint {
    operation: "login",
    method: Method::Post,
    path: "/merchantapi/user/account/login",
    idempotency: Idempotency::Read,
    auth: Auth::Public,
    sensitive: true,
};

pub(crate) const TOTAL_MONEY: Endpoint = read(
    "total money and today income",
    "/merchantapi/wallet/operational/getTotalMoney",
);

pub(crate) const USER_BALANCE: Endpoint = read(
    "user balance",
    "/merchantapi/wallet/operational/getUserBalance",
);

pub(crate) const RECHARGE_CHANNELS: Endpoint = read(
    "recharge channels",
    "/merchantapi/wallet/operational/getRechargeChannel",
);

/// `POST .../doRecharge` creates a recharge order. It carries no caller key
/// the platform de-duplicates, so it is never repeated by the SDK: a timeout,
/// a reset or a 5xx leaves the outcome unknown, and the caller looks at the
/// recharge order list before recharging again.
pub(crate) const DO_RECHARGE: Endpoint = Endpoint {
    idempotency: Idempotency::Unsafe,
    ..read(
        "recharge operational wallet",
        "/merchantapi/wallet/operational/doRecharge",
    )
};

pub(crate) const RECHARGE_ORDERS: Endpoint = read(
    "recharge order list",
    "/merchantapi/wallet/operational/rechargeOrder",
);

/// `POST /home/pay/orderStatus`: public, no login.
pub(crate) const ORDER_STATUS: Endpoint = Endpoint {
    auth: Auth::Public,
    ..read("order status", "/home/pay/orderStatus")
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Endpoint; 7] = [
        LOGIN,
        TOTAL_MONEY,
        USER_BALANCE,
        RECHARGE_CHANNELS,
        DO_RECHARGE,
        RECHARGE_ORDERS,
        ORDER_STATUS,
    ];

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
