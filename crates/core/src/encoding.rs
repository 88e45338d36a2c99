//! Small wire encodings shared by the providers: base64, percent-encoding,
//! query strings, digests and HTML escaping.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use sha2::Digest as _;

/// Escapes text for an HTML text node or a quoted attribute value (`&`, `<`,
/// `>`, `"`, `'`): what a wallet page or a simulator's page writes.
///
/// ```
/// use walletbridge_core::encoding::html_escape;
/// assert_eq!(html_escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
/// ```
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard or URL-safe base64, with or without padding, ignoring
/// whitespace and line breaks (keys are handed out wrapped).
pub fn decode_base64_lenient(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(&compact)
        .or_else(|_| STANDARD_NO_PAD.decode(&compact))
        .or_else(|_| URL_SAFE.decode(&compact))
        .or_else(|_| URL_SAFE_NO_PAD.decode(&compact))
}

/// Base64 of the SHA-256 digest of `bytes`.
pub fn sha256_base64(bytes: &[u8]) -> String {
    base64_encode(&sha2::Sha256::digest(bytes))
}

/// Characters escaped in a query component: controls, space, and the
/// characters that would change the query's structure or meaning. Everything
/// else (`:` in timestamps, `-`, `.`, `,`) is sent and signed as is.
const QUERY_COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b'=')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes a query key or value, leaving characters that need no escaping as they are.
pub fn encode_query_component(s: &str) -> String {
    utf8_percent_encode(s, QUERY_COMPONENT).to_string()
}

/// Characters escaped in a path segment.
const PATH_SEGMENT: &AsciiSet = &QUERY_COMPONENT.add(b'/');

/// Percent-encodes a path segment (an id placed in a path).
///
/// Escaping cannot make `.` or `..` safe (HTTP stacks and servers remove
/// `%2E` segments too), so check ids with [`check_path_segment`] first, or use
/// [`path_segment`], which does both.
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

/// Checks that `value` can be placed in a path as one segment: not empty, and
/// not `.` or `..`, which an HTTP stack or server would resolve away (sending
/// the request, signed for one path, to another). Every other character is
/// escaped by [`encode_path_segment`].
///
/// ```
/// use walletbridge_core::encoding::check_path_segment;
/// assert!(check_path_segment("card_id", "c_123").is_ok());
/// for id in ["", ".", ".."] {
///     assert!(check_path_segment("card_id", id).unwrap_err().is_not_sent());
/// }
/// ```
pub fn check_path_segment(field: &str, value: &str) -> crate::Result<()> {
    match value {
        "" => Err(crate::Error::validation(field, "must not be empty")),
        "." | ".." => Err(crate::Error::validation(
            field,
            "must not be `.` or `..` (a path segment that HTTP resolves away)",
        )),
        _ => Ok(()),
    }
}

/// [`check_path_segment`], then [`encode_path_segment`].
pub fn path_segment(field: &str, value: &str) -> crate::Result<String> {
    check_path_segment(field, value)?;
    Ok(encode_path_segment(value))
}

/// Builds `k=v&k2=v2` from pairs, in the order given.
pub fn query_string(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode_query_component(k));
        out.push('=');
        out.push_str(&encode_query_component(v));
    }
    out
}

/// Turns a flat struct into sorted `(key, value)` pairs for a query string.
///
/// Nulls and empty strings are dropped (no provider wants `?a=`); numbers and
/// booleans are written as JSON writes them; arrays become repeated keys.
/// Nested objects are refused: no query in scope carries one.
pub fn to_query_pairs<T: serde::Serialize + ?Sized>(
    value: &T,
) -> crate::Result<Vec<(String, String)>> {
    use serde_json::Value;
    let v = serde_json::to_value(value)
        .map_err(|e| crate::Error::validation("query", format!("cannot be encoded: {e}")))?;
    let Value::Object(map) = v else {
        return Err(crate::Error::validation(
            "query",
            "must be a struct of named fields",
        ));
    };
    let mut pairs = Vec::new();
    for (k, v) in map {
        let mut push = |val: &Value| -> crate::Result<()> {
            match val {
                Value::Null => {}
                Value::String(s) if s.is_empty() => {}
                Value::String(s) => pairs.push((k.clone(), s.clone())),
                Value::Number(n) => pairs.push((k.clone(), n.to_string())),
                Value::Bool(b) => pairs.push((k.clone(), b.to_string())),
                _ => {
                    return Err(crate::Error::validation(
                        k.clone(),
                        "nested values cannot go in a query",
                    ));
                }
            }
            Ok(())
        };
        match &v {
            Value::Array(items) => {
                for item in items {
                    push(item)?;
                }
            }
            other => push(other)?,
        }
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_base64_accepts_every_variant() {
        let bytes = [0xfbu8, 0xff, 0xbf, 0x01];
        for text in ["+/+/AQ==", "+/+/AQ", "-_-_AQ==", "-_-_AQ", "+/+/\nAQ=="] {
            assert_eq!(decode_base64_lenient(text).unwrap(), bytes, "{text}");
        }
        assert!(decode_base64_lenient("not base64!").is_err());
    }

    #[test]
    fn sha256_of_empty_json_object() {
        // printf '{}' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            sha256_base64(b"{}"),
            "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
        );
    }

    #[derive(serde::Serialize)]
    struct Q {
        page: u32,
        time_start: Option<String>,
        currency: Option<&'static str>,
        empty: &'static str,
        ids: Vec<&'static str>,
    }

    #[test]
    fn query_pairs_sorted_without_empties() {
        let q = Q {
            page: 2,
            time_start: Some("2024-03-04T10:00:00Z".into()),
            currency: None,
            empty: "",
            ids: vec!["a", "b c"],
        };
        let pairs = to_query_pairs(&q).unwrap();
        assert_eq!(
            query_string(&pairs),
            "ids=a&ids=b%20c&page=2&time_start=2024-03-04T10:00:00Z"
        );
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        for id in ["", ".", ".."] {
            let err = path_segment("payee_id", id).unwrap_err();
            assert!(
                matches!(err.kind(), crate::ErrorKind::Validation { field, .. } if field == "payee_id"),
                "{err}"
            );
        }
        // Anything else is one escaped segment, never a dot segment.
        for (id, want) in [
            ("...", "..."),
            (".%2e", ".%252e"),
            ("%2e%2e", "%252e%252e"),
            ("../x", "..%2Fx"),
            ("a b", "a%20b"),
        ] {
            assert_eq!(path_segment("payee_id", id).unwrap(), want);
        }
    }

    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(encode_query_component("a&b=c+d/e:f"), "a%26b%3Dc%2Bd/e:f");
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(encode_query_component("张"), "%E5%BC%A0");
    }
}
