//! Small wire helpers shared by the providers: exact amounts in JSON, times,
//! query strings, answers.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

/// An answer before faults: status, extra headers, body.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A JSON answer already written (by a provider crate's envelope encoder).
    pub(crate) fn json_bytes(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body,
        }
    }

    pub(crate) fn html(status: u16, html: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: html.into().into_bytes(),
        }
    }

    pub(crate) fn text(status: u16, text: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: text.into().into_bytes(),
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// A request as the providers see it.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The path as received (still percent-encoded).
    pub(crate) path: String,
    /// The query as received (still percent-encoded), without `?`.
    pub(crate) query: Option<String>,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: bytes::Bytes,
    /// The `Host` header (or the listener's address).
    pub(crate) host: String,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `path?query` as received.
    pub(crate) fn path_and_query(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// The query pairs, percent-decoded (`+` stays `+`), in order.
    pub(crate) fn query_pairs(&self) -> Vec<(String, String)> {
        let Some(q) = &self.query else {
            return Vec::new();
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(p), String::new()),
            })
            .collect()
    }
}

/// Rounds half away from zero to `dp` decimals.
pub(crate) fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal with exactly `dp` decimals as text (`"10.00"`).
pub(crate) fn fixed(d: Decimal, dp: u32) -> String {
    let mut r = round(d, dp);
    r.rescale(dp);
    r.to_string()
}

/// Milliseconds since the epoch, from the system clock.
pub(crate) fn real_now_ms() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn datetime(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// ISO-8601 UTC, seconds precision: `2024-06-07T12:33:23Z`.
pub(crate) fn iso(ms: i64) -> String {
    let t = datetime(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `yyyy-MM-dd HH:mm:ss` at +08:00 (China time), as the wallets write dates.
pub(crate) fn china_time(ms: i64) -> String {
    let t = datetime(ms + 8 * 3600 * 1000);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `yyyy-MM-dd` at +08:00.
pub(crate) fn china_date(ms: i64) -> String {
    china_time(ms)[..10].to_owned()
}

/// `yyyyMMdd` at +08:00.
pub(crate) fn china_compact_date(ms: i64) -> String {
    china_date(ms).replace('-', "")
}

/// Parses `yyyy-MM-dd[ HH:mm:ss]` at +08:00 into milliseconds; a bare date
/// is its start (or, with `end_of_day`, the start of the next day).
pub(crate) fn parse_china(text: &str, end_of_day: bool) -> Option<i64> {
    let t = text.trim();
    let (date, clock) = match t.split_once(' ') {
        Some((d, c)) => (d, Some(c)),
        None => (t, None),
    };
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let day = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    let mut secs = day.midnight().assume_utc().unix_timestamp();
    match clock {
        Some(c) => {
            let mut p = c.split(':').map(|x| x.parse::<i64>().ok());
            let (h, mi, s) = (
                p.next()??,
                p.next().flatten().unwrap_or(0),
                p.next().flatten().unwrap_or(0),
            );
            secs += h * 3600 + mi * 60 + s;
        }
        None if end_of_day => secs += 86400,
        None => {}
    }
    Some((secs - 8 * 3600) * 1000)
}

/// Paging: `(page from 1, limit)` answered and the slice of `items`.
pub(crate) fn page_of<T: Clone>(items: &[T], page: u32, limit: u32) -> Vec<T> {
    let start = (page.saturating_sub(1) as usize).saturating_mul(limit as usize);
    items
        .iter()
        .skip(start)
        .take(limit as usize)
        .cloned()
        .collect()
}

/// Number of pages for `total` items at `limit` a page.
pub(crate) fn total_pages(total: usize, limit: u32) -> u64 {
    if limit == 0 {
        return 0;
    }
    (total as u64).div_ceil(u64::from(limit))
}

/// A serde_json message without its ` at line 1 column 7` suffix: the
/// position means nothing to a caller who sent one line of JSON.
pub(crate) fn without_position(message: &str) -> &str {
    // The last one: the message may quote a value that contains the words.
    message
        .rsplit_once(" at line ")
        .map_or(message, |(before, _)| before)
}
