//! `application/x-www-form-urlencoded` bodies, built on the `form_urlencoded`
//! crate (the WHATWG URL standard's serializer and parser).
//!
//! Pairs keep the order they are given in: a provider that signs a form signs
//! it field by field, and the order on the wire is part of what is tested.
//! Encoding follows the standard exactly: ASCII alphanumerics and `*-._` stay,
//! a space becomes `+`, every other byte of the UTF-8 text becomes `%XX` with
//! upper-case hex.
//!
//! ```
//! use walletbridge_core::form;
//! let body = form::encode([("biz_no", "A 1"), ("note", "代收&退款")]);
//! assert_eq!(body, "biz_no=A+1&note=%E4%BB%A3%E6%94%B6%26%E9%80%80%E6%AC%BE");
//! assert_eq!(
//!     form::parse(body.as_bytes()),
//!     [("biz_no".to_string(), "A 1".to_string()), ("note".to_string(), "代收&退款".to_string())]
//! );
//! ```

/// The `Content-Type` of a form body.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Encodes `pairs`, in order, as a form body.
pub fn encode<I, K, V>(pairs: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k.as_ref(), v.as_ref());
    }
    out.finish()
}

/// Decodes a form body into its pairs, in order. `+` is a space; invalid
/// percent escapes are kept as written and invalid UTF-8 is replaced, as the
/// standard says, so any input decodes and nothing panics.
pub fn parse(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The value of the first pair named `name`.
pub fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Committed vectors: `tests/fixtures/forms/vectors.tsv` holds one
    /// case a line, the pairs as JSON and the body the standard makes of them
    /// (made by `make_vectors.js` with Node's `URLSearchParams`, an independent encoder).
    #[test]
    fn encoding_and_parsing_match_the_committed_vectors() {
        let text = include_str!("../tests/fixtures/forms/vectors.tsv");
        let mut cases = 0;
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (pairs, body) = line.split_once('\t').unwrap();
            let pairs: Vec<(String, String)> = serde_json::from_str(pairs).unwrap();
            assert_eq!(encode(pairs.iter().map(|(k, v)| (k, v))), body, "{line}");
            assert_eq!(parse(body.as_bytes()), pairs, "{line}");
            cases += 1;
        }
        assert!(cases >= 8, "only {cases} vectors");
    }

    #[test]
    fn parsing_is_lenient_and_never_panics() {
        assert_eq!(
            parse(b"a=%zz&b=%E4%BB&=x&c"),
            [
                ("a".to_string(), "%zz".to_string()),
                ("b".to_string(), "\u{fffd}".to_string()),
                (String::new(), "x".to_string()),
                ("c".to_string(), String::new()),
            ]
        );
        let pairs = parse(b"x=1&x=2");
        assert_eq!(get(&pairs, "x"), Some("1"));
        assert_eq!(get(&pairs, "y"), None);
    }
}
