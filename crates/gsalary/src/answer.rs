//! Tolerant decoding of answer models (issue 14, rule 2): an answer whose
//! shape the page does not pin down never fails a whole call.
//!
//! Every answer model derives its strict decoder with
//! `#[serde(remote = "Self")]` and gets its `Deserialize` from
//! [`answer_model!`], which:
//!
//! 1. reads the object as its fields' exact JSON text (serde_json's raw
//!    values, so amounts are never read through a float);
//! 2. lets the model [reshape](Answer::reshape) guessed forms into the typed
//!    one (a bare amount with a sibling currency becomes `{currency, amount}`,
//!    a list under another key is moved to the documented one);
//! 3. keeps every field the model does not know in `extra`;
//! 4. decodes the known fields; a field that does not decode is moved to
//!    `extra` with a `tracing` warning (naming the model and the field, never
//!    the value) and the rest is decoded again. Only a required field that
//!    is missing or wrong fails the answer.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// An answer object's fields, each as its exact JSON text.
pub(crate) type Fields = BTreeMap<String, Box<RawValue>>;

/// An answer model decoded tolerantly; implemented by [`answer_model!`].
pub(crate) trait Answer: Sized {
    /// The model's name, for warnings.
    const NAME: &'static str;

    /// Rewrites guessed forms into the typed one before decoding.
    fn reshape(_fields: &mut Fields) {}

    /// The strict decoder derived with `#[serde(remote = "Self")]`.
    fn strict<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;

    /// Stores the fields the model does not type.
    fn set_extra(&mut self, extra: Map<String, Value>);
}

/// Implements [`Answer`], `Deserialize` and (feature `server`) `Serialize` for a model whose strict decoder
/// is derived with `#[serde(remote = "Self")]` and which has an
/// `extra: serde_json::Map<String, Value>` field marked `#[serde(skip)]`.
/// `reshape = path` names a `fn(&mut Fields)` run before decoding.
macro_rules! answer_model {
    ($t:ty $(, reshape = $reshape:path)?) => {
        impl crate::answer::Answer for $t {
            const NAME: &'static str = stringify!($t);
            $(fn reshape(fields: &mut crate::answer::Fields) {
                $reshape(fields)
            })?
            fn strict<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$t>::deserialize(d)
            }
            fn set_extra(&mut self, extra: serde_json::Map<String, serde_json::Value>) {
                self.extra = extra;
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::answer::decode(d)
            }
        }
        /// The wire form (feature `server`): the typed fields as the client
        /// reads them (a `None` field is left out, amounts exact), then every
        /// field of `extra` that is not typed.
        #[cfg(feature = "server")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::answer::encode(s, &self.extra, |w| <$t>::serialize(self, w))
            }
        }
    };
}
pub(crate) use answer_model;

/// Decodes `T` tolerantly (see the module docs).
pub(crate) fn decode<'de, D: Deserializer<'de>, T: Answer>(d: D) -> Result<T, D::Error> {
    // `null` reads as `{}`: a model whose fields are all optional is empty.
    let mut fields = Option::<Fields>::deserialize(d)?.unwrap_or_default();
    T::reshape(&mut fields);
    let known = field_names::<T>();
    let mut extra = Map::new();
    let unknown: Vec<String> = fields
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .cloned()
        .collect();
    for k in unknown {
        if let Some(raw) = fields.remove(&k) {
            extra.insert(k, to_value(&raw));
        }
    }
    let mut first_error: Option<String> = None;
    loop {
        let text = object_text(&fields);
        let mut track = serde_path_to_error::Track::new();
        let de = &mut serde_json::Deserializer::from_str(&text);
        let err = match T::strict(serde_path_to_error::Deserializer::new(de, &mut track)) {
            Ok(mut v) => {
                v.set_extra(extra);
                return Ok(v);
            }
            Err(e) => e,
        };
        let path = track.path();
        let field = path.iter().next().and_then(|s| match s {
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            _ => None,
        });
        let message = format!("{path}: {err}");
        match field.and_then(|f| fields.remove_entry(&f)) {
            Some((name, raw)) => {
                tracing::warn!(
                    provider = crate::PROVIDER,
                    model = T::NAME,
                    field = %name,
                    "an answer field is not in the expected shape; kept in `extra`"
                );
                extra.insert(name, to_value(&raw));
                first_error.get_or_insert(message);
            }
            None => return Err(de::Error::custom(first_error.unwrap_or(message))),
        }
    }
}

/// The strict serializer's JSON output, in field order.
#[cfg(feature = "server")]
type Written = Vec<(String, Box<RawValue>)>;

/// Writes a model (feature `server`): `strict` (the derived serializer)
/// writes the typed fields as JSON text, read back here field by field as
/// exact text; `null` fields are dropped and the fields of `extra` that the
/// model does not type are appended.
#[cfg(feature = "server")]
pub(crate) fn encode<S, F>(s: S, extra: &Map<String, Value>, strict: F) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    F: FnOnce(&mut serde_json::Serializer<&mut Vec<u8>>) -> serde_json::Result<()>,
{
    use serde::ser::{Error as _, SerializeMap};

    struct Ordered;
    impl<'de> Visitor<'de> for Ordered {
        type Value = Written;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Written, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }

    let mut bytes = Vec::new();
    strict(&mut serde_json::Serializer::new(&mut bytes)).map_err(S::Error::custom)?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let written = de.deserialize_map(Ordered).map_err(S::Error::custom)?;
    let mut fields: Written = written
        .into_iter()
        .filter(|(_, v)| v.get() != "null")
        .collect();
    for (k, v) in extra {
        if !fields.iter().any(|(f, _)| f == k) {
            let raw = serde_json::value::to_raw_value(v).map_err(S::Error::custom)?;
            fields.push((k.clone(), raw));
        }
    }
    let mut map = s.serialize_map(Some(fields.len()))?;
    for (k, v) in &fields {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

fn to_value(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

fn object_text(fields: &Fields) -> String {
    let mut text = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&Value::String(k.clone()).to_string());
        text.push(':');
        text.push_str(v.get());
    }
    text.push('}');
    text
}

/// The wire names of `T`'s fields, read from its derived decoder.
fn field_names<T: Answer>() -> &'static [&'static str] {
    struct Names<'a>(&'a Cell<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for Names<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("field names only"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set(fields);
            Err(de::Error::custom("field names only"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let cell = Cell::new(&[][..]);
    let _ = T::strict(Names(&cell));
    cell.get()
}

/// The text of a JSON value.
fn raw(text: &str) -> Option<Box<RawValue>> {
    RawValue::from_string(text.to_owned()).ok()
}

fn is_bare_amount(raw: &RawValue) -> bool {
    matches!(
        raw.get().trim_start().as_bytes().first(),
        Some(b'-' | b'0'..=b'9' | b'"')
    )
}

/// A bare amount (`"sell_amount": 100.5` or `"100.5"`) next to a currency
/// (the first of `currency_keys` present) becomes `{"currency", "amount"}`.
/// Without a currency the field is left as it is (and lands in `extra`).
pub(crate) fn join_money(fields: &mut Fields, amount_key: &str, currency_keys: &[&str]) {
    let Some(amount) = fields.get(amount_key).filter(|r| is_bare_amount(r)) else {
        return;
    };
    let Some(currency) = currency_keys.iter().find_map(|k| {
        fields
            .get(*k)
            .filter(|r| r.get().trim_start().starts_with('"'))
    }) else {
        return;
    };
    if let Some(joined) = raw(&format!(
        r#"{{"currency":{},"amount":{}}}"#,
        currency.get(),
        amount.get()
    )) {
        fields.insert(amount_key.to_owned(), joined);
    }
}

/// An amount sent as `{"currency", "amount"}` where the model has a bare
/// number and a sibling currency: the amount's text goes to `amount_key`,
/// the currency to `currency_key` unless that is already there.
pub(crate) fn split_money(fields: &mut Fields, amount_key: &str, currency_key: &str) {
    let Some(obj) = fields.get(amount_key) else {
        return;
    };
    let Ok(mut parts) = serde_json::from_str::<Fields>(obj.get()) else {
        return;
    };
    let Some(amount) = parts.remove("amount") else {
        return;
    };
    if let Some(currency) = parts.remove("currency") {
        fields.entry(currency_key.to_owned()).or_insert(currency);
    }
    fields.insert(amount_key.to_owned(), amount);
}

/// Keys a list may come under when the page does not name it.
pub(crate) const LIST_KEYS: &[&str] = &["list", "items", "records", "rows", "data"];

/// A list sent under another key than the documented `to`: the first of
/// `from` present moves to `to` (when `to` is absent).
pub(crate) fn rename_list(fields: &mut Fields, to: &str, from: &[&str]) {
    if fields.contains_key(to) {
        return;
    }
    for key in from {
        let is_list = fields
            .get(*key)
            .is_some_and(|r| r.get().trim_start().starts_with('['));
        if is_list && let Some(v) = fields.remove(*key) {
            fields.insert(to.to_owned(), v);
            return;
        }
    }
}

/// Writes amounts exactly: the decimal's own digits as a JSON number
/// (`1234567890123.45678`), never through a float. Through serde_json's
/// writer the text is copied as it is.
pub(crate) mod exact {
    use rust_decimal::Decimal;
    use serde::ser::Serializer;
    use walletbridge_core::money::number;

    /// An amount, without trailing zeros, as the core's exact number writer
    /// writes it.
    pub(crate) fn decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        number::serialize(&d.normalize(), s)
    }

    /// An optional amount (`None` is `null`).
    #[cfg(feature = "server")]
    pub(crate) fn option<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        number::option::serialize(&d.map(|d| d.normalize()), s)
    }
}

/// Reads an optional object where the provider may send `{}` or `null` for
/// "not there yet" (the page's `card_detail: {}`). The object is decoded
/// from its exact text.
pub(crate) mod empty_as_none {
    use serde::Deserialize;
    use serde::de::{DeserializeOwned, Deserializer, Error as _};
    use serde_json::value::RawValue;

    /// Writes `None` as `null` (left out of a model's wire form) and `Some`
    /// as the object.
    #[cfg(feature = "server")]
    pub(crate) fn serialize<S, T>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
        T: serde::Serialize,
    {
        match v {
            Some(v) => s.serialize_some(v),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned,
    {
        let Some(raw) = Option::<Box<RawValue>>::deserialize(d)? else {
            return Ok(None);
        };
        let text = raw.get().trim();
        if text == "null" {
            return Ok(None);
        }
        if let Ok(m) = serde_json::from_str::<super::Fields>(text)
            && m.is_empty()
        {
            return Ok(None);
        }
        serde_json::from_str(text)
            .map(Some)
            .map_err(D::Error::custom)
    }
}
