//! Reading how long the API asks to wait: `retry-after-ms` (milliseconds),
//! else `Retry-After` as seconds or an HTTP date. Any header value yields a
//! wait or none; nothing panics, nothing overflows.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The wait the response headers ask for, if any.
pub(crate) fn from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name)?.to_str().ok();
    let millis = text("retry-after-ms").and_then(parse_millis);
    millis.or_else(|| parse_retry_after(text(RETRY_AFTER.as_str())?, now))
}

/// Milliseconds; negative, infinite and NaN values are no wait, since
/// `Duration` refuses them.
fn parse_millis(text: &str) -> Option<Duration> {
    let ms: f64 = text.trim().parse().ok()?;
    Duration::try_from_secs_f64(ms / 1000.0).ok()
}

/// `Retry-After: <seconds>` or `Retry-After: <HTTP-date>` (a date in the
/// past means no wait).
pub(crate) fn parse_retry_after(text: &str, now: SystemTime) -> Option<Duration> {
    let text = text.trim();
    if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() {
        // More seconds than fit are "very long", which the policy refuses.
        return Some(
            text.parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn reads_seconds_dates_and_milliseconds() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            from_headers(&headers(&[("retry-after", "1")]), now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            from_headers(
                &headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")]),
                now
            ),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            from_headers(
                &headers(&[("retry-after", "Wed, 21 Oct 2015 07:27:00 GMT")]),
                now
            ),
            Some(Duration::ZERO)
        );
        assert_eq!(
            from_headers(
                &headers(&[("retry-after-ms", "250.5"), ("retry-after", "9")]),
                now
            ),
            Some(Duration::from_micros(250_500))
        );
    }

    #[test]
    fn nonsense_is_no_wait_and_huge_is_saturated() {
        let now = SystemTime::now();
        for junk in ["", "-1", "1.5", "soon", "NaN", "1e400"] {
            assert_eq!(parse_retry_after(junk, now), None, "{junk:?}");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::MAX)
        );
        assert_eq!(
            from_headers(&headers(&[("retry-after-ms", "inf")]), now),
            None
        );
        assert_eq!(
            from_headers(&headers(&[("retry-after-ms", "-5")]), now),
            None
        );
        for zero in ["0", "0.0", "-0"] {
            assert_eq!(
                from_headers(&headers(&[("retry-after-ms", zero)]), now),
                Some(Duration::ZERO),
                "{zero}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// Any header value gives a wait the policy bounds (at most the
        /// 60 s cap, or no retry at all), and never panics.
        #[test]
        fn any_header_value_gives_a_bounded_wait_or_none(
            retry_after in ".*",
            retry_after_ms in ".*",
            seconds_since_epoch in 0u64..4_000_000_000,
        ) {
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds_since_epoch);
            let mut map = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&retry_after) {
                map.insert(RETRY_AFTER, value);
            }
            if let Ok(value) = HeaderValue::from_str(&retry_after_ms) {
                map.insert("retry-after-ms", value);
            }
            let asked = from_headers(&map, now);
            let policy = super::super::retry_policy::RetryPolicy::default();
            if let Some(wait) = policy.decide(1, asked, Duration::from_secs(3600)) {
                proptest::prop_assert!(wait <= Duration::from_secs(60));
            }
        }

        /// Numeric values of every size parse without overflow.
        #[test]
        fn numbers_of_any_size_parse(digits in "[0-9]{1,40}") {
            let wait = parse_retry_after(&digits, SystemTime::now());
            proptest::prop_assert!(wait.is_some());
        }
    }
}
