//! Every endpoint in one table: method, path as on the page, how it is
//! prefixed on the wire, and whether it may be repeated. Changing a prefix or
//! an idempotency decision happens here and nowhere else.
//!
//! The table is public so that a server (the walletbridge sandbox, a test
//! server) routes by the same paths the client calls: [`ALL`] lists every
//! endpoint and [`Endpoint::match_path`] matches a request line against one.
//!
//! ```
//! use walletbridge_gsalary::endpoints::{self, CARD_GET};
//! let (ep, params) = endpoints::route("GET", "/v1/cards/c%201").unwrap();
//! assert_eq!(*ep, CARD_GET);
//! assert_eq!(params.get("card_id"), Some("c 1"));
//! ```

use percent_encoding::percent_decode_str;
use walletbridge_core::{Idempotency, Method};

/// Which prefix an endpoint's page path takes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Base {
    /// The page's `/cards` is `/v1/cards`.
    V1,
    /// Acquiring paths already read `/gateway/v1/acquiring/...`; the client's
    /// configurable acquiring prefix (default none) goes in front.
    Gateway,
}

/// One endpoint of the GSalary open API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation's name, as `endpoints.tsv` and errors name it
    /// (`"get card"`).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as the page writes it, with `{name}` holes.
    pub path: &'static str,
    /// How the path is prefixed on the wire.
    pub base: Base,
    /// Whether the SDK may repeat the call.
    pub idempotency: Idempotency,
    /// The answer (or the request) carries secrets: card data, tokens.
    /// Errors then quote no value and no body.
    pub sensitive: bool,
    /// The call moves money: an answer that is not signed never settles
    /// its outcome as a failure.
    pub moves_money: bool,
}

/// The values of an endpoint path's `{holes}`, percent-decoded, in the
/// order of the path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathParams(Vec<(&'static str, String)>);

impl PathParams {
    /// The value of the hole `{name}`, if the path has one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every `(hole, value)` pair, in the order of the path.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// Whether the path has no holes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Endpoint {
    /// The path on the wire with its holes still in it: `/v1` and the page
    /// path for [`Base::V1`], the page path itself for [`Base::Gateway`]
    /// (behind the client's acquiring prefix, if one is configured).
    pub fn wire_path(&self) -> String {
        match self.base {
            Base::V1 => format!("/v1{}", self.path),
            Base::Gateway => self.path.to_owned(),
        }
    }

    /// Matches a request's method and path (without the query) against this
    /// endpoint; on a match, the values of the path's `{holes}`,
    /// percent-decoded. A [`Base::Gateway`] path also matches behind the
    /// prefix `/v1` (the client's acquiring prefix set to `/v1`). Empty
    /// segments (`//`, a trailing `/`) are ignored, as a server would; a
    /// hole never matches an empty value.
    pub fn match_path(&self, method: Method, wire_path: &str) -> Option<PathParams> {
        if method != self.method {
            return None;
        }
        let path = wire_path.split('?').next().unwrap_or_default();
        let got: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let rest: &[&str] = match (self.base, got.as_slice()) {
            (Base::V1, ["v1", rest @ ..]) => rest,
            (Base::V1, _) => return None,
            (Base::Gateway, ["v1", "gateway", ..]) => &got[1..],
            (Base::Gateway, _) => &got[..],
        };
        let want: Vec<&str> = self.path.split('/').filter(|s| !s.is_empty()).collect();
        if want.len() != rest.len() {
            return None;
        }
        let mut params = Vec::new();
        for (w, g) in want.iter().zip(rest) {
            match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(hole) => {
                    let v = percent_decode_str(g).decode_utf8_lossy().into_owned();
                    if v.is_empty() {
                        return None;
                    }
                    params.push((hole, v));
                }
                None => {
                    if percent_decode_str(g).decode_utf8_lossy() != *w {
                        return None;
                    }
                }
            }
        }
        Some(PathParams(params))
    }
}

/// The endpoint of [`ALL`] that a request's method and path name, with its
/// path's holes. Fixed segments win over holes (`GET /v1/cards/available_quotas`
/// is [`CARD_AVAILABLE_QUOTAS`], not [`CARD_GET`]); `None` for a path no
/// endpoint has, which GSalary answers with its unknown-endpoint error.
/// `method` is as on the request line (`"GET"`, any case), as in the other
/// provider crates' `route`.
pub fn route(method: &str, wire_path: &str) -> Option<(&'static Endpoint, PathParams)> {
    let method = Method::parse(method)?;
    // Where two endpoints match, the one with a fixed segment where the
    // other has a hole, earliest in the path, wins.
    let holes = |e: &Endpoint| -> Vec<bool> {
        e.path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| s.starts_with('{'))
            .collect()
    };
    ALL.iter()
        .filter_map(|e| e.match_path(method, wire_path).map(|p| (e, p)))
        .min_by_key(|(e, _)| holes(e))
}

/// Decodes a request's query pairs (percent-decoded, as a server reads
/// them) into a query type of this crate (feature `server`): the reverse of
/// how the client writes a query (numbers and booleans as text, `None` and
/// empty text left out, lists as repeated keys). The error names the field
/// that is missing or does not decode.
///
/// ```
/// use walletbridge_gsalary::endpoints::decode_query;
/// use walletbridge_gsalary::wallet::TransactionsQuery;
/// let pairs = [("limit".to_owned(), "5".to_owned()), ("page".to_owned(), "2".to_owned())];
/// let q: TransactionsQuery = decode_query(&pairs).unwrap();
/// assert_eq!((q.page, q.limit), (2, 5));
/// ```
#[cfg(feature = "server")]
pub fn decode_query<T: serde::de::DeserializeOwned>(
    pairs: &[(String, String)],
) -> Result<T, serde_path_to_error::Error<serde::de::value::Error>> {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (k, v) in pairs {
        match grouped.iter_mut().find(|(g, _)| g == k) {
            Some((_, vs)) => vs.push(v),
            None => grouped.push((k, vec![v])),
        }
    }
    let map = serde::de::value::MapDeserializer::new(
        grouped.into_iter().map(|(k, vs)| (k, query::Values(vs))),
    );
    serde_path_to_error::deserialize(map)
}

#[cfg(feature = "server")]
mod query {
    use serde::de::value::{Error, SeqDeserializer};
    use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

    /// The values of one query key (more than one for a list).
    pub(super) struct Values<'a>(pub(super) Vec<&'a str>);

    impl<'de, 'a> IntoDeserializer<'de, Error> for Values<'a> {
        type Deserializer = Self;
        fn into_deserializer(self) -> Self {
            self
        }
    }

    macro_rules! parsed {
        ($($method:ident => $visit:ident: $t:ty),+ $(,)?) => {$(
            fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
                let text = self.one()?;
                let n: $t = text.trim().parse().map_err(|_| {
                    de::Error::invalid_value(de::Unexpected::Str(text), &v)
                })?;
                v.$visit(n)
            }
        )+};
    }

    impl<'a> Values<'a> {
        fn one(&self) -> Result<&'a str, Error> {
            match self.0.as_slice() {
                [one] => Ok(one),
                _ => Err(de::Error::custom("repeated where one value is expected")),
            }
        }
    }

    impl<'de, 'a> Deserializer<'de> for Values<'a> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            v.visit_str(self.one()?)
        }
        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            v.visit_some(self)
        }
        fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            v.visit_seq(SeqDeserializer::new(
                self.0.into_iter().map(|s| Values(vec![s])),
            ))
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            v: V,
        ) -> Result<V::Value, Error> {
            v.visit_newtype_struct(self)
        }
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, Error> {
            v.visit_enum(self.one()?.into_deserializer())
        }

        parsed! {
            deserialize_bool => visit_bool: bool,
            deserialize_i8 => visit_i8: i8,
            deserialize_i16 => visit_i16: i16,
            deserialize_i32 => visit_i32: i32,
            deserialize_i64 => visit_i64: i64,
            deserialize_u8 => visit_u8: u8,
            deserialize_u16 => visit_u16: u16,
            deserialize_u32 => visit_u32: u32,
            deserialize_u64 => visit_u64: u64,
            deserialize_f32 => visit_f32: f32,
            deserialize_f64 => visit_f64: f64,
        }

        serde::forward_to_deserialize_any! {
            i128 u128 char str string bytes byte_buf unit unit_struct tuple
            tuple_struct map struct identifier ignored_any
        }
    }
}

const fn ep(operation: &'static str, method: Method, path: &'static str) -> Endpoint {
    // GET reads; PUT replaces state with the same value when repeated; POST and
    // DELETE are never repeated by the SDK (see docs/gsalary.md).
    let idempotency = match method {
        Method::Get => Idempotency::Read,
        Method::Put => Idempotency::Deduplicated,
        _ => Idempotency::Unsafe,
    };
    Endpoint {
        operation,
        method,
        path,
        base: Base::V1,
        idempotency,
        sensitive: false,
        moves_money: false,
    }
}

const fn gw(operation: &'static str, path: &'static str) -> Endpoint {
    let mut e = ep(operation, Method::Post, path);
    e.base = Base::Gateway;
    e
}

const fn sensitive(mut e: Endpoint) -> Endpoint {
    e.sensitive = true;
    e
}

const fn money(mut e: Endpoint) -> Endpoint {
    e.moves_money = true;
    e
}

use Method::{Delete as DELETE, Get as GET, Post as POST, Put as PUT};

// wallet
/// `GET /v1/wallets/balance`: wallet balance.
pub const WALLET_BALANCE: Endpoint = ep("wallet balance", GET, "/wallets/balance");
/// `GET /v1/wallets/transactions`: wallet transactions.
pub const WALLET_TRANSACTIONS: Endpoint = ep("wallet transactions", GET, "/wallets/transactions");
// exchange
/// `GET /v1/exchange/orders`: exchange orders.
pub const EXCHANGE_ORDERS: Endpoint = ep("exchange orders", GET, "/exchange/orders");
/// `POST /v1/exchange/quotes`: exchange quote.
pub const EXCHANGE_QUOTE: Endpoint = ep("exchange quote", POST, "/exchange/quotes");
/// `GET /v1/exchange/current_exchange_rate`: current exchange rate.
pub const EXCHANGE_CURRENT_RATE: Endpoint = ep(
    "current exchange rate",
    GET,
    "/exchange/current_exchange_rate",
);
/// `POST /v1/exchange/submit_request`: exchange submit.
pub const EXCHANGE_SUBMIT: Endpoint =
    money(ep("exchange submit", POST, "/exchange/submit_request"));
// card holders
/// `GET /v1/card_holders`: list card holders.
pub const CARD_HOLDERS_LIST: Endpoint = ep("list card holders", GET, "/card_holders");
/// `POST /v1/card_holders`: create card holder.
pub const CARD_HOLDER_CREATE: Endpoint = ep("create card holder", POST, "/card_holders");
/// `GET /v1/card_holders/{card_holder_id}`: get card holder.
pub const CARD_HOLDER_GET: Endpoint = ep("get card holder", GET, "/card_holders/{card_holder_id}");
/// `PUT /v1/card_holders/{card_holder_id}`: update card holder.
pub const CARD_HOLDER_UPDATE: Endpoint =
    ep("update card holder", PUT, "/card_holders/{card_holder_id}");
// cards
/// `GET /v1/cards/available_quotas`: card available quotas.
pub const CARD_AVAILABLE_QUOTAS: Endpoint =
    ep("card available quotas", GET, "/cards/available_quotas");
/// `GET /v1/card_support/products`: card products.
pub const CARD_PRODUCTS: Endpoint = ep("card products", GET, "/card_support/products");
/// `POST /v1/card_applies`: apply card.
pub const CARD_APPLY: Endpoint = money(ep("apply card", POST, "/card_applies"));
/// `GET /v1/card_applies/{request_id}`: card apply result.
pub const CARD_APPLY_RESULT: Endpoint = ep("card apply result", GET, "/card_applies/{request_id}");
/// `GET /v1/cards`: list cards.
pub const CARDS_LIST: Endpoint = ep("list cards", GET, "/cards");
/// `GET /v1/cards/{card_id}`: get card.
pub const CARD_GET: Endpoint = ep("get card", GET, "/cards/{card_id}");
/// `PUT /v1/cards/{card_id}`: update card.
pub const CARD_UPDATE: Endpoint = ep("update card", PUT, "/cards/{card_id}");
/// `DELETE /v1/cards/{card_id}`: cancel card.
pub const CARD_CANCEL: Endpoint = ep("cancel card", DELETE, "/cards/{card_id}");
/// `GET /v1/cards/{card_id}/secure_info`: card secure info.
pub const CARD_SECURE_INFO: Endpoint =
    sensitive(ep("card secure info", GET, "/cards/{card_id}/secure_info"));
/// `POST /v1/cards/balance_modifies`: modify card balance.
pub const CARD_BALANCE_MODIFY: Endpoint =
    money(ep("modify card balance", POST, "/cards/balance_modifies"));
/// `GET /v1/cards/balance_modifies/{request_id}`: card balance modify result.
pub const CARD_BALANCE_MODIFY_RESULT: Endpoint = ep(
    "card balance modify result",
    GET,
    "/cards/balance_modifies/{request_id}",
);
/// `PUT /v1/cards/{card_id}/freeze_status`: freeze or unfreeze card.
pub const CARD_FREEZE_STATUS: Endpoint = ep(
    "freeze or unfreeze card",
    PUT,
    "/cards/{card_id}/freeze_status",
);
/// `PUT /v1/cards/{card_id}/contact`: update card contact.
pub const CARD_CONTACT_UPDATE: Endpoint =
    ep("update card contact", PUT, "/cards/{card_id}/contact");
/// `DELETE /v1/cards/{card_id}/email`: delete card email.
pub const CARD_EMAIL_DELETE: Endpoint = ep("delete card email", DELETE, "/cards/{card_id}/email");
/// `POST /v1/cards/assign_card`: assign physical card.
pub const CARD_ASSIGN: Endpoint = ep("assign physical card", POST, "/cards/assign_card");
/// `POST /v1/cards/{card_id}/active_card`: activate card.
pub const CARD_ACTIVATE: Endpoint = ep("activate card", POST, "/cards/{card_id}/active_card");
/// `POST /v1/cards/{card_id}/reset_card_pin`: reset card pin.
pub const CARD_RESET_PIN: Endpoint = ep("reset card pin", POST, "/cards/{card_id}/reset_card_pin");
// card bills
/// `GET /v1/card_bill/card_transactions`: card transactions.
pub const CARD_TRANSACTIONS: Endpoint =
    ep("card transactions", GET, "/card_bill/card_transactions");
/// `GET /v1/card_bill/balance_history`: card balance history.
pub const CARD_BALANCE_HISTORY: Endpoint =
    ep("card balance history", GET, "/card_bill/balance_history");
// payees
/// `POST /v1/remittance/payees`: create payee.
pub const PAYEE_CREATE: Endpoint = ep("create payee", POST, "/remittance/payees");
/// `GET /v1/remittance/payees`: list payees.
pub const PAYEES_LIST: Endpoint = ep("list payees", GET, "/remittance/payees");
/// `PUT /v1/remittance/payees/{payee_id}`: update payee.
pub const PAYEE_UPDATE: Endpoint = ep("update payee", PUT, "/remittance/payees/{payee_id}");
/// `DELETE /v1/remittance/payees/{payee_id}`: deactivate payee.
pub const PAYEE_DEACTIVATE: Endpoint =
    ep("deactivate payee", DELETE, "/remittance/payees/{payee_id}");
/// `GET /v1/remittance/available_payment_methods`: available payment methods.
pub const PAYMENT_METHODS: Endpoint = ep(
    "available payment methods",
    GET,
    "/remittance/available_payment_methods",
);
/// `POST /v1/remittance/payees/{payee_id}/accounts`: add payee e-wallet account.
pub const PAYEE_ACCOUNT_ADD: Endpoint = ep(
    "add payee e-wallet account",
    POST,
    "/remittance/payees/{payee_id}/accounts",
);
/// `GET /v1/remittance/payees/{payee_id}/accounts`: list payee accounts.
pub const PAYEE_ACCOUNTS_LIST: Endpoint = ep(
    "list payee accounts",
    GET,
    "/remittance/payees/{payee_id}/accounts",
);
/// `PUT /v1/remittance/payees/{payee_id}/payee_accounts/{account_id}`: update payee e-wallet account.
pub const PAYEE_ACCOUNT_UPDATE: Endpoint = ep(
    "update payee e-wallet account",
    PUT,
    "/remittance/payees/{payee_id}/payee_accounts/{account_id}",
);
/// `GET /v1/remittance/payees/{payee_id}/account_register_format`: payee bank account form.
pub const PAYEE_ACCOUNT_FORMAT: Endpoint = ep(
    "payee bank account form",
    GET,
    "/remittance/payees/{payee_id}/account_register_format",
);
/// `POST /v1/remittance/payees/{payee_id}/account_registry`: register payee bank account.
pub const PAYEE_ACCOUNT_REGISTER: Endpoint = ep(
    "register payee bank account",
    POST,
    "/remittance/payees/{payee_id}/account_registry",
);
/// `PUT /v1/remittance/payee_accounts/{account_id}`: update payee bank account.
pub const PAYEE_BANK_ACCOUNT_UPDATE: Endpoint = ep(
    "update payee bank account",
    PUT,
    "/remittance/payee_accounts/{account_id}",
);
/// `DELETE /v1/remittance/payee_accounts/{account_id}`: remove payee account.
pub const PAYEE_ACCOUNT_REMOVE: Endpoint = ep(
    "remove payee account",
    DELETE,
    "/remittance/payee_accounts/{account_id}",
);
/// `GET /v1/remittance/payout_currencies`: payout countries and currencies.
pub const PAYOUT_CURRENCIES: Endpoint = ep(
    "payout countries and currencies",
    GET,
    "/remittance/payout_currencies",
);
// payers and attachments
/// `POST /v1/attachments`: upload attachment.
pub const ATTACHMENT_UPLOAD: Endpoint = ep("upload attachment", POST, "/attachments");
/// `POST /v1/remittance/payers`: create payer.
pub const PAYER_CREATE: Endpoint = ep("create payer", POST, "/remittance/payers");
/// `GET /v1/remittance/payers`: list payers.
pub const PAYERS_LIST: Endpoint = ep("list payers", GET, "/remittance/payers");
/// `GET /v1/remittance/payers/{payer_id}`: get payer.
pub const PAYER_GET: Endpoint = ep("get payer", GET, "/remittance/payers/{payer_id}");
/// `PUT /v1/remittance/payers/{payer_id}`: update payer.
pub const PAYER_UPDATE: Endpoint = ep("update payer", PUT, "/remittance/payers/{payer_id}");
/// `DELETE /v1/remittance/payers/{payer_id}`: remove payer.
pub const PAYER_REMOVE: Endpoint = ep("remove payer", DELETE, "/remittance/payers/{payer_id}");
// remittance
/// `GET /v1/remittance/clearing_networks`: clearing networks.
pub const CLEARING_NETWORKS: Endpoint =
    ep("clearing networks", GET, "/remittance/clearing_networks");
/// `POST /v1/remittance/quotes`: remittance quote.
pub const REMITTANCE_QUOTE: Endpoint = ep("remittance quote", POST, "/remittance/quotes");
/// `POST /v1/remittance/orders`: submit remittance order.
pub const REMITTANCE_ORDER_SUBMIT: Endpoint =
    money(ep("submit remittance order", POST, "/remittance/orders"));
/// `GET /v1/remittance/orders`: list remittance orders.
pub const REMITTANCE_ORDERS_LIST: Endpoint =
    ep("list remittance orders", GET, "/remittance/orders");
// acquiring
/// `POST /gateway/v1/acquiring/pay_consult`: payment consult.
pub const ACQ_PAY_CONSULT: Endpoint = gw("payment consult", "/gateway/v1/acquiring/pay_consult");
/// `POST /gateway/v1/acquiring/pay_session`: checkout payment session.
pub const ACQ_PAY_SESSION: Endpoint = gw(
    "checkout payment session",
    "/gateway/v1/acquiring/pay_session",
);
/// `POST /gateway/v1/acquiring/easy_safe_pay/pay_session`: EasySafePay first payment session.
pub const ACQ_EASY_SAFE_PAY_SESSION: Endpoint = gw(
    "EasySafePay first payment session",
    "/gateway/v1/acquiring/easy_safe_pay/pay_session",
);
/// `POST /gateway/v1/acquiring/easy_safe_pay/pay`: EasySafePay token payment.
pub const ACQ_EASY_SAFE_PAY: Endpoint = money(gw(
    "EasySafePay token payment",
    "/gateway/v1/acquiring/easy_safe_pay/pay",
));
/// `POST /gateway/v1/acquiring/auth_refresh_token`: refresh auth token.
pub const ACQ_AUTH_REFRESH_TOKEN: Endpoint = sensitive(gw(
    "refresh auth token",
    "/gateway/v1/acquiring/auth_refresh_token",
));
/// `POST /gateway/v1/acquiring/auth_revoke_token`: revoke auth token.
pub const ACQ_AUTH_REVOKE_TOKEN: Endpoint = sensitive(gw(
    "revoke auth token",
    "/gateway/v1/acquiring/auth_revoke_token",
));
/// `POST /gateway/v1/acquiring/card_auto_debit/pay_session`: CardAutoDebit first payment session.
pub const ACQ_CARD_AUTO_DEBIT_SESSION: Endpoint = gw(
    "CardAutoDebit first payment session",
    "/gateway/v1/acquiring/card_auto_debit/pay_session",
);
/// `POST /gateway/v1/acquiring/card_auto_debit/pay`: CardAutoDebit token payment.
pub const ACQ_CARD_AUTO_DEBIT_PAY: Endpoint = money(gw(
    "CardAutoDebit token payment",
    "/gateway/v1/acquiring/card_auto_debit/pay",
));
/// `POST /gateway/v1/acquiring/cancel`: cancel payment.
pub const ACQ_CANCEL: Endpoint = gw("cancel payment", "/gateway/v1/acquiring/cancel");

/// Every GSalary endpoint, in the order of the API pages (and of
/// `endpoints.tsv`): what a server routes by.
pub const ALL: &[Endpoint] = &[
    WALLET_BALANCE,
    WALLET_TRANSACTIONS,
    EXCHANGE_ORDERS,
    EXCHANGE_QUOTE,
    EXCHANGE_CURRENT_RATE,
    EXCHANGE_SUBMIT,
    CARD_HOLDERS_LIST,
    CARD_HOLDER_CREATE,
    CARD_HOLDER_GET,
    CARD_HOLDER_UPDATE,
    CARD_AVAILABLE_QUOTAS,
    CARD_PRODUCTS,
    CARD_APPLY,
    CARD_APPLY_RESULT,
    CARDS_LIST,
    CARD_GET,
    CARD_UPDATE,
    CARD_CANCEL,
    CARD_SECURE_INFO,
    CARD_BALANCE_MODIFY,
    CARD_BALANCE_MODIFY_RESULT,
    CARD_FREEZE_STATUS,
    CARD_CONTACT_UPDATE,
    CARD_EMAIL_DELETE,
    CARD_ASSIGN,
    CARD_ACTIVATE,
    CARD_RESET_PIN,
    CARD_TRANSACTIONS,
    CARD_BALANCE_HISTORY,
    PAYEE_CREATE,
    PAYEES_LIST,
    PAYEE_UPDATE,
    PAYEE_DEACTIVATE,
    PAYMENT_METHODS,
    PAYEE_ACCOUNT_ADD,
    PAYEE_ACCOUNTS_LIST,
    PAYEE_ACCOUNT_UPDATE,
    PAYEE_ACCOUNT_FORMAT,
    PAYEE_ACCOUNT_REGISTER,
    PAYEE_BANK_ACCOUNT_UPDATE,
    PAYEE_ACCOUNT_REMOVE,
    PAYOUT_CURRENCIES,
    ATTACHMENT_UPLOAD,
    PAYER_CREATE,
    PAYERS_LIST,
    PAYER_GET,
    PAYER_UPDATE,
    PAYER_REMOVE,
    CLEARING_NETWORKS,
    REMITTANCE_QUOTE,
    REMITTANCE_ORDER_SUBMIT,
    REMITTANCE_ORDERS_LIST,
    ACQ_PAY_CONSULT,
    ACQ_PAY_SESSION,
    ACQ_EASY_SAFE_PAY_SESSION,
    ACQ_EASY_SAFE_PAY,
    ACQ_AUTH_REFRESH_TOKEN,
    ACQ_AUTH_REVOKE_TOKEN,
    ACQ_CARD_AUTO_DEBIT_SESSION,
    ACQ_CARD_AUTO_DEBIT_PAY,
    ACQ_CANCEL,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_never_marked_as_reads() {
        for e in [
            CARD_APPLY,
            CARD_BALANCE_MODIFY,
            REMITTANCE_ORDER_SUBMIT,
            ACQ_PAY_SESSION,
            CARD_CANCEL,
        ] {
            assert_eq!(e.idempotency, Idempotency::Unsafe, "{}", e.operation);
        }
        let (secure, cancel) = (CARD_SECURE_INFO, ACQ_CANCEL);
        assert!(secure.sensitive);
        let refresh = ACQ_AUTH_REFRESH_TOKEN;
        assert!(refresh.sensitive);
        for e in [
            CARD_APPLY,
            CARD_BALANCE_MODIFY,
            REMITTANCE_ORDER_SUBMIT,
            EXCHANGE_SUBMIT,
            ACQ_EASY_SAFE_PAY,
            ACQ_CARD_AUTO_DEBIT_PAY,
        ] {
            assert!(e.moves_money, "{}", e.operation);
        }
        assert_eq!(cancel.base, Base::Gateway);
    }

    #[test]
    fn the_table_has_every_endpoint_once_and_routes_to_itself() {
        assert_eq!(ALL.len(), 61);
        for (i, e) in ALL.iter().enumerate() {
            for f in &ALL[i + 1..] {
                assert!(
                    !(e.method == f.method && e.path == f.path),
                    "{} twice",
                    e.operation
                );
            }
            let filled: String = e
                .wire_path()
                .split('/')
                .map(|s| if s.starts_with('{') { "x%2Fy" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let (got, params) = route(e.method.as_str(), &filled).expect(e.operation);
            assert_eq!(got, e, "{}", e.operation);
            assert!(params.iter().all(|(_, v)| v == "x/y"), "{}", e.operation);
        }
        assert!(route("GET", "/v1/nope").is_none());
        assert!(route("PATCH", "/v1/cards").is_none());
        assert!(route("GET", "/cards").is_none());
        let (e, _) = route("POST", "/v1/gateway/v1/acquiring/cancel").expect("prefixed");
        assert_eq!(*e, ACQ_CANCEL);
        let (e, p) = route("GET", "/v1/cards/balance_modifies/secure_info").expect("both");
        assert_eq!(*e, CARD_BALANCE_MODIFY_RESULT);
        assert_eq!(p.get("request_id"), Some("secure_info"));
    }
}
