//! The sandbox clock: Unix seconds, formatted as ISO-8601 without any date crate.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// 2026-01-01T00:00:00Z, where a sandbox's clock starts unless told otherwise.
pub const DEFAULT_START: i64 = 1_767_225_600;

/// 9999-12-31T23:59:59Z, the last instant the clock may show (ISO-8601 years have four
/// digits); `start` and `advance` refuse anything later.
pub const MAX: i64 = 253_402_300_799;

/// `2026-01-01T00:00:00Z` from Unix seconds.
pub fn iso(secs: i64) -> String {
    let days = secs.div_euclid(DAY);
    let rem = secs.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Unix seconds from `YYYY-MM-DDTHH:MM:SSZ` (or a bare date); `None` when malformed.
pub fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * DAY;
    if b.len() > 10 {
        if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || se > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + se;
        if !matches!(&s[19..], "" | "Z" | "+00:00") {
            return None;
        }
    }
    Some(secs)
}

// Howard Hinnant's civil-date algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(iso(DEFAULT_START), "2026-01-01T00:00:00Z");
        assert_eq!(iso(DEFAULT_START + 59 * DAY + 3723), "2026-03-01T01:02:03Z");
        for s in [0, DEFAULT_START, 951_782_400, 4_102_444_799] {
            assert_eq!(parse_iso(&iso(s)), Some(s));
        }
        assert_eq!(parse_iso("2026-01-01"), Some(DEFAULT_START));
        assert_eq!(parse_iso("2026-13-01"), None);
        assert_eq!(parse_iso("2026-01-01T00:00"), None);
        assert_eq!(iso(MAX), "9999-12-31T23:59:59Z");
        assert_eq!(iso(MAX + 1), "10000-01-01T00:00:00Z");
        assert_eq!(parse_iso("9999-12-31T23:59:59Z"), Some(MAX));
    }
}
